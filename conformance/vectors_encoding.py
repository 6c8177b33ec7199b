"""The neutral JSON encoding of the spec's values, calls and outcomes for test vectors.

``docs/VECTORS.md`` tells it in prose. Plain JSON stands for itself (``null``, booleans,
integers, strings); everything JSON cannot say, or says ambiguously, is an object with one
tag key:

* ``{"float": "1.5"}``: a float, as Python's ``repr`` writes it (``"nan"``, ``"inf"``,
  ``"-inf"`` included), so that a consumer never confuses ``1.0`` with ``1``;
* ``{"tuple": [...]}``: a tuple (a result that is a tuple or list of values);
* ``{"dict": {...}}``: a dict with string keys (a Thread's ``kwargs``);
* ``{"new": kind, "args": [...]}``: a fresh object of the module (``Condition(Lock())``);
* ``{"gate": n}``: a function the environment controls (see ``gate.open``);
* ``{"hook": name}``: a trace or profile function that does nothing;
* ``{"original": name}``: the value the module's global ``name`` had before any assignment
  (a scenario that replaced ``excepthook`` puts it back);
* patterns, in expected values only: ``{"any": "value" | "int" | "str"}``,
  ``{"name_like": regex}`` (a string the regex matches entirely),
  ``{"alive_threads": n, "cpython": bool}`` (what ``enumerate()`` returns when ``n``
  threads are alive: see VECTORS.md).

``decode`` reads an encoded argument back into the spec's value (``tests`` round-trip them).
"""

from __future__ import annotations

from typing import Any

from spec.module import AliveThreads, IntOtherThan, NameLike
from spec.values import ANY, ANY_INT, ANY_STR, Gate, Hook, New, Original, Outcome, Raised, Value

_OPAQUE = {ANY: "value", ANY_INT: "int", ANY_STR: "str"}


class NotEncodable(ValueError):
    """A value of the spec that the vector format has no encoding for."""


def encode(v: Value) -> Any:
    """Spec value (argument, result or pattern) → neutral JSON value.

    Raises:
      NotEncodable: the value has no encoding.
    """
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return {"float": repr(v)}
    if isinstance(v, (tuple, list)):
        return {"tuple": [encode(x) for x in v]}
    if isinstance(v, dict):
        return {"dict": {str(k): encode(x) for k, x in sorted(v.items())}}
    if isinstance(v, New):
        return {"new": v.kind, "args": [encode(a) for a in v.args]}
    if isinstance(v, Gate):
        return {"gate": v.id}
    if isinstance(v, Hook):
        return {"hook": v.name}
    if isinstance(v, Original):
        return {"original": v.name}
    if v in _OPAQUE:
        return {"any": _OPAQUE[v]}
    if isinstance(v, NameLike):
        return {"name_like": v.pattern}
    if isinstance(v, AliveThreads):
        return {"alive_threads": v.count, "cpython": v.cpython, "caller": v.caller}
    if isinstance(v, IntOtherThan):
        return {"int_other_than": list(v.excluded), "minimum": v.minimum}
    raise NotEncodable(f"no vector encoding for {v!r} ({type(v).__name__})")


def decode(v: Any) -> Value:
    """Neutral JSON argument → spec value (the inverse of ``encode`` for arguments).

    Raises:
      NotEncodable: an object with an unknown tag.
    """
    if not isinstance(v, dict):
        if isinstance(v, list):
            raise NotEncodable(f"a bare JSON array is not a vector value: {v!r}")
        return v
    if "float" in v:
        return float(v["float"])
    if "tuple" in v:
        return tuple(decode(x) for x in v["tuple"])
    if "dict" in v:
        return {k: decode(x) for k, x in v["dict"].items()}
    if "new" in v:
        return New(str(v["new"]), tuple(decode(a) for a in v.get("args", [])))
    if "gate" in v:
        return Gate(int(v["gate"]))
    if "hook" in v:
        return Hook(str(v["hook"]))
    if "original" in v:
        return Original(str(v["original"]))
    if "any" in v:
        return {"value": ANY, "int": ANY_INT, "str": ANY_STR}[v["any"]]
    if "name_like" in v:
        return NameLike(str(v["name_like"]))
    if "alive_threads" in v:
        return AliveThreads(int(v["alive_threads"]), bool(v["cpython"]), bool(v.get("caller", False)))
    if "int_other_than" in v:
        least = v.get("minimum")
        return IntOtherThan(tuple(int(x) for x in v["int_other_than"]), None if least is None else int(least))
    raise NotEncodable(f"unknown vector value {v!r}")


def encode_outcome(o: Outcome) -> dict[str, Any]:
    """``{"raises": "RuntimeError"}`` or ``{"returns": value}`` (with ``"warning"`` when the
    call must emit one)."""
    if isinstance(o, Raised):
        return {"raises": o.exc}
    out: dict[str, Any] = {"returns": encode(o.value)}
    if o.warning is not None:
        out["warning"] = o.warning
    return out


def encode_thread(t: int) -> Any:
    """A thread of the schedule as its number; a thread waiting in gate n as
    ``{"in_gate": n}``; the environment as ``"env"``."""
    if t >= 0:
        return t
    if t == -1:
        return "env"
    return {"in_gate": -1 - t}
