"""Exhaustive bounded exploration of the specs and of impl; contracts; static checks."""
