"""Seeded bugs: copies of CPython 3.11's threading.py with one semantic change each."""
