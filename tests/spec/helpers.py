"""Helpers the spec tests share: build a state, assert a transition's kind, apply calls.

Kept in a module rather than ``conftest.py`` because the tests import them as plain
functions (pytest advises against importing from a ``conftest``).
"""

from __future__ import annotations

from typing import Any

from spec.core import Blocked, Done, PrimitiveSpec, Result
from spec.profiles import PY311, Profile
from spec.values import Call, Value, call


def fresh(spec: PrimitiveSpec[Any], *args: Value, profile: Profile = PY311, **kwargs: Value) -> Any:
    """The state of ``spec``'s object right after the constructor call ``(*args, **kwargs)``."""
    r = spec.create(profile, call(0, "__init__", *args, **kwargs))
    assert r.state is not None, f"{spec.name}{args!r} raises {r.outcome!r}"
    return r.state


def done(r: Result[Any]) -> Done[Any]:
    """``r``, which must be a call that completed at once."""
    assert isinstance(r, Done), r
    return r


def blocked(r: Result[Any]) -> Blocked[Any]:
    """``r``, which must be a call that blocked."""
    assert isinstance(r, Blocked), r
    return r


def run(spec: PrimitiveSpec[Any], s: Any, *calls: Call) -> Any:
    """Apply ``calls``, each of which must complete at once; return the final state."""
    for c in calls:
        s = done(spec.invoke(s, c)).state
    return s


def block(spec: PrimitiveSpec[Any], s: Any, *calls: Call) -> Any:
    """Apply ``calls``, each of which must block; return the final state."""
    for c in calls:
        s = blocked(spec.invoke(s, c)).state
    return s
