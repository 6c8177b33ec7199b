"""local: attributes whose values are per thread.

The documentation promises: a ``local`` object's attributes, stored and read by one
thread, are that thread's alone; another thread sees none of them until it stores its
own, and deleting one removes only the caller's. A subclass's ``__init__`` runs again,
with the constructor's arguments, in each thread that uses the object (the agent's
``LocalSubclass``, checked with ``local``: its ``companions``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from spec.clauses import Ambiguity, clause
from spec.core import Done, PrimitiveSpec, Result, Step
from spec.profiles import Profile, Strictness
from spec.values import Call, Raised, Returned, ThreadId, Value

PRIMITIVE = "local"
SUBCLASS_PRIMITIVE = "LocalSubclass"
"""The agent's subclass of ``local`` whose ``__init__(*args)`` stores ``args`` (PROTOCOL.md)."""

# ---------------------------------------------------------------------------
# Clauses: local
# ---------------------------------------------------------------------------

INIT_CREATED_EMPTY = clause(
    "local.init.created-empty",
    doc="threading.local",
    quote="A class that represents thread-local data. Thread-local data are data whose values "
    "are thread specific. To manage thread-local data, just create an instance of local (or a "
    "subclass) and store attributes on it.",
)
INIT_NO_ARGUMENTS = clause(
    "local.init.no-arguments",
    doc="threading.local",
    quote="[CPython: local itself accepts no constructor arguments; passing any raises "
    "TypeError]",
    strictness=Strictness.CPYTHON,
)
GET_OWN_VALUE = clause(
    "local.get.own-value",
    doc="threading.local",
    quote="To manage thread-local data, just create an instance of local (or a subclass) and store "
    "attributes on it: mydata = threading.local(); mydata.x = 1 [Python: the attribute is read back "
    "in the thread that stored it]",
)
GET_UNSET_RAISES_ATTRIBUTEERROR = clause(
    "local.get.unset-raises-attributeerror",
    doc="threading.local",
    quote="The instance's values will be different for separate threads. [Python: reading an "
    "attribute this thread has not set raises AttributeError, whatever other threads stored]",
)
SET_PER_THREAD = clause(
    "local.set.per-thread",
    doc="threading.local",
    quote="The instance's values will be different for separate threads.",
)
DEL_REMOVES_OWN_VALUE = clause(
    "local.del.removes-own-value",
    doc="threading.local",
    quote="[Python: deleting an attribute removes this thread's value only; deleting one this "
    "thread has not set raises AttributeError]",
)
CALL_BAD_ARGUMENTS = clause(
    "local.call.bad-arguments",
    doc="threading.local",
    quote="[Python] Attribute access takes no extra arguments; other operations are not "
    "defined and raise AttributeError.",
    strictness=Strictness.CPYTHON,
)


# ---------------------------------------------------------------------------
# Clauses: LocalSubclass
# ---------------------------------------------------------------------------

LOCAL_SUBCLASS_INIT_CREATED = clause(
    "LocalSubclass.init.created",
    doc="threading.local",
    quote="just create an instance of local (or a subclass) and store attributes on it. "
    "[The agent's subclass takes positional arguments only; keyword arguments raise TypeError]",
)
LOCAL_SUBCLASS_INIT_RUNS_IN_EACH_THREAD = clause(
    "LocalSubclass.init.runs-in-each-thread",
    doc="threading.local",
    quote="For more details and extensive examples, see the documentation string of the "
    "_threading_local module. [Its docstring: a subclass's __init__ is called again, with the "
    "constructor's arguments, in each thread that uses the object]",
)

# ---------------------------------------------------------------------------
# State
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class State:
    """A ``local`` object: each thread's attributes, as sorted ``((thread, name), value)``.

    For the agent's ``LocalSubclass``, ``init_args`` are the constructor's arguments, which
    its ``__init__`` stores as ``args`` in each thread that uses the object (``touched``).
    """

    profile: Profile
    values: tuple[tuple[tuple[ThreadId, str], Value], ...] = ()
    init_args: tuple[Value, ...] | None = None
    touched: frozenset[ThreadId] = frozenset()


# ---------------------------------------------------------------------------
# Transitions
# ---------------------------------------------------------------------------


def create(profile: Profile, c: Call) -> Done[State | None]:
    if c.args or c.kwargs:
        # clause local.init.no-arguments
        return Done(Raised("TypeError"), None, INIT_NO_ARGUMENTS)
    # clause local.init.created-empty
    return Done(Returned(None), State(profile), INIT_CREATED_EMPTY)


def create_subclass(profile: Profile, c: Call) -> Done[State | None]:
    if c.kwargs:
        # clause LocalSubclass.init.created (its __init__ takes positional arguments only)
        return Done(Raised("TypeError"), None, LOCAL_SUBCLASS_INIT_CREATED)
    # clause LocalSubclass.init.created
    return Done(Returned(None), State(profile, init_args=tuple(c.args)), LOCAL_SUBCLASS_INIT_CREATED)


def _attribute(op: str) -> tuple[str, str] | None:
    """``("get", "x")`` for ``"get:x"``; ``None`` for ops outside the model."""
    kind, _, name = op.partition(":")
    if kind not in ("get", "set", "del") or not name.isidentifier() or name.startswith("_"):
        return None
    return kind, name


def ops(profile: Profile) -> tuple[str, ...]:
    return tuple(f"{k}:{n}" for n in ("x", "y") for k in ("get", "set", "del"))


def subclass_ops(profile: Profile) -> tuple[str, ...]:
    return tuple(f"{k}:{n}" for n in ("x", "args") for k in ("get", "set", "del"))


def _stored(s: State, values: dict[tuple[ThreadId, str], Value]) -> State:
    """``s`` holding ``values`` (each thread's attributes)."""
    return replace(s, values=tuple(sorted(values.items())))


def initialized(s: State, thread: ThreadId) -> State:
    """``s`` once ``thread`` has used it: a subclass's ``__init__`` has run there."""
    if s.init_args is None or thread in s.touched:
        return s
    mine = dict(s.values)
    mine[(thread, "args")] = s.init_args
    return replace(_stored(s, mine), touched=s.touched | {thread})


def invoke(s: State, c: Call) -> Result[State]:
    parsed = _attribute(c.op)
    if parsed is None:
        return Done(Raised("AttributeError"), s, CALL_BAD_ARGUMENTS)
    kind, name = parsed
    wanted = 1 if kind == "set" else 0
    if c.kwargs or len(c.args) != wanted:
        return Done(Raised("TypeError"), s, CALL_BAD_ARGUMENTS)
    key = (c.thread, name)
    first_use = s.init_args is not None and c.thread not in s.touched
    s = initialized(s, c.thread)
    mine = dict(s.values)
    if kind == "get" and first_use and name == "args":
        # clause LocalSubclass.init.runs-in-each-thread
        return Done(Returned(mine[key]), s, LOCAL_SUBCLASS_INIT_RUNS_IN_EACH_THREAD)
    if kind == "get":
        if key not in mine:
            # clause local.get.unset-raises-attributeerror
            return Done(Raised("AttributeError"), s, GET_UNSET_RAISES_ATTRIBUTEERROR)
        # clause local.get.own-value
        return Done(Returned(mine[key]), s, GET_OWN_VALUE)
    if kind == "set":
        mine[key] = c.args[0]
        # clause local.set.per-thread
        return Done(Returned(None), _stored(s, mine), SET_PER_THREAD)
    if key not in mine:
        # clause local.del.removes-own-value (nothing to remove)
        return Done(Raised("AttributeError"), s, DEL_REMOVES_OWN_VALUE)
    del mine[key]
    # clause local.del.removes-own-value
    return Done(Returned(None), _stored(s, mine), DEL_REMOVES_OWN_VALUE)


# ---------------------------------------------------------------------------
# Internal steps and invariants
# ---------------------------------------------------------------------------


def _no_steps(s: State) -> Iterator[Step[State]]:
    """Nothing about a ``local`` happens on its own."""
    return iter(())


def timeout(c: Call) -> float | None:
    return None


def inv_keys_distinct(s: State) -> bool:
    """Each thread holds at most one value per attribute."""
    keys = [k for k, _ in s.values]
    return len(set(keys)) == len(keys) and list(keys) == sorted(keys)


def inv_touched_initialized(s: State) -> bool:
    """Only a subclass's instance records the threads that ran its ``__init__``."""
    return s.init_args is not None or not s.touched


INVARIANTS = (inv_keys_distinct, inv_touched_initialized)

AMBIGUITIES = (
    Ambiguity(
        topic="values of exited threads",
        text="The instance's values will be different for separate threads.",
        reading="Not modelled: the checker's worker threads never exit during a run, so values are "
        "never discarded.",
    ),
    Ambiguity(
        topic="special attributes",
        text="store attributes on it",
        reading="Only plain attribute names are modelled; __dict__, __class__ and other names "
        "starting with an underscore are outside the spec.",
    ),
)

LOCAL_SPEC: PrimitiveSpec[State] = PrimitiveSpec(
    PRIMITIVE, create, invoke, _no_steps, _no_steps, INVARIANTS, timeout, ops, AMBIGUITIES,
    companions=(SUBCLASS_PRIMITIVE,),
)

LOCAL_SUBCLASS_SPEC: PrimitiveSpec[State] = replace(
    LOCAL_SPEC, name=SUBCLASS_PRIMITIVE, create=create_subclass, ops=subclass_ops, companions=()
)
"""The agent's ``local`` subclass: ``local``'s rules, with its own constructor and ``args``."""

