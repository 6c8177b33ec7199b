"""Check any implementation of threading against the spec, with real threads."""
