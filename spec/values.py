"""Values, calls and outcomes: the words every spec, test and report uses.

A ``Call`` is what one thread asks of the object under test; an ``Outcome`` is what
the call did (returned a value or raised an exception of a documented type). The
environment (``ENV``) stands for what happens *to* an implementation rather than
what a thread of the schedule asks of it: a gated function returning, a thread the
object started entering its target or ending.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from typing import Any

# ---------------------------------------------------------------------------
# Values, calls, outcomes
# ---------------------------------------------------------------------------

ThreadId = int
"""A small integer naming a thread of the schedule (0, 1, 2…)."""

Value = Any
"""A JSON-like argument or return value: None, bool, int, float, str, or a tuple of them."""


@dataclass(frozen=True, slots=True)
class Call:
    """``thread`` invokes ``op(*args, **dict(kwargs))`` on the object under test."""

    thread: ThreadId
    op: str
    args: tuple[Value, ...] = ()
    kwargs: tuple[tuple[str, Value], ...] = ()

    def kw(self) -> dict[str, Value]:
        return dict(self.kwargs)

    def __repr__(self) -> str:
        parts = [repr(a) for a in self.args]
        parts += [f"{k}={v!r}" for k, v in self.kwargs]
        return f"t{self.thread}.{self.op}({', '.join(parts)})"


def call(thread: ThreadId, op: str, *args: Value, **kwargs: Value) -> Call:
    """Build a ``Call`` the way one writes the Python call: ``call(0, "acquire", timeout=1)``."""
    return Call(thread, op, tuple(args), tuple(sorted(kwargs.items())))


@dataclass(frozen=True, slots=True)
class CallTemplate:
    """An entry of an alphabet: the call that any given thread makes, e.g.
    ``template("acquire", timeout=1.0)(2)`` is ``t2.acquire(timeout=1.0)``.

    Its repr is the call without the thread (``acquire(timeout=1.0)``), so that a failing
    schedule or an exploration that names the entry reads as the call it makes.
    """

    op: str
    args: tuple[Value, ...] = ()
    kwargs: tuple[tuple[str, Value], ...] = ()

    def __call__(self, thread: ThreadId) -> Call:
        return Call(thread, self.op, self.args, self.kwargs)

    def __repr__(self) -> str:
        parts = [repr(a) for a in self.args]
        parts += [f"{k}={v!r}" for k, v in self.kwargs]
        return f"{self.op}({', '.join(parts)})"


def template(op: str, *args: Value, **kwargs: Value) -> CallTemplate:
    """Build a ``CallTemplate`` the way one writes the call: ``template("acquire", False)``."""
    return CallTemplate(op, tuple(args), tuple(sorted(kwargs.items())))


class _Missing(enum.Enum):
    MISSING = "missing"


MISSING = _Missing.MISSING
"""Marks an argument that the caller did not pass."""


def bind(c: Call, names: tuple[str, ...], defaults: dict[str, Value]) -> dict[str, Value] | None:
    """Bind ``c``'s arguments to parameter ``names`` the way Python would.

    Returns ``None`` when Python would raise ``TypeError`` (too many positional
    arguments, an unknown or repeated keyword). Parameters not passed get their
    ``defaults`` entry, or ``MISSING`` when they have none.
    """
    if len(c.args) > len(names):
        return None
    bound: dict[str, Value] = dict(zip(names, c.args, strict=False))
    for k, v in c.kwargs:
        if k not in names or k in bound:
            return None
        bound[k] = v
    for n in names:
        if n not in bound:
            bound[n] = defaults.get(n, MISSING)
    return bound


@dataclass(frozen=True, slots=True, eq=False)
class Returned:
    """The call returned ``value``. ``ANY`` stands for a value the documentation leaves open.

    ``warning`` names a warning category the call must emit (e.g. the 3.10+
    ``DeprecationWarning`` of camelCase aliases). Other warnings are compared only
    when exact warnings are asked for (CPython strictness: a call that
    returns emits this warning and no other, ``None`` meaning none at all).
    """

    value: Value
    warning: str | None = None

    def __repr__(self) -> str:
        w = f" with {self.warning}" if self.warning else ""
        return f"returned {self.value!r}{w}"

    # Equality tells True from 1 (Python's == does not): an RLock's reentrant acquire
    # returns True in C and 1 in Python, and the two must stay distinct outcomes.
    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Returned)
            and type(self.value) is type(other.value)
            and self.value == other.value
            and self.warning == other.warning
        )

    def __hash__(self) -> int:
        return hash((type(self.value).__name__, self.value, self.warning))


@dataclass(frozen=True, slots=True)
class Raised:
    """The call raised an exception of the documented type ``exc`` (a name such as
    ``"RuntimeError"``, ``"ValueError"``, ``"ThreadError"``). Messages are never compared."""

    exc: str

    def __repr__(self) -> str:
        return f"raised {self.exc}"


Outcome = Returned | Raised


ENV: ThreadId = -1
"""The environment: calls it makes are not made by a thread of the schedule.

Used for what happens *to* an implementation rather than what a thread asks of
it, e.g. ``call(ENV, "gate.open", 1)``: the target function behind gate 1 (see
``Gate``) returns. Environment calls always complete at once.
"""


def in_gate(gate: int) -> ThreadId:
    """The thread, not one of the schedule's, that waits in gate ``gate`` (e.g. a
    ``Thread``'s own thread, inside its target): a call of this thread id is made by
    that thread, while it waits. Its calls are observed like any thread's."""
    return ENV - gate


def gate_of(thread: ThreadId) -> int | None:
    """The gate whose waiting thread ``thread`` names (see ``in_gate``), if it names one."""
    return ENV - thread if thread < ENV else None


THREAD_EXITED = "thread.exited"
"""``call(ENV, THREAD_EXITED)``: a thread that waited in one of the run's gates without
being a thread of the schedule (a ``Thread``'s own thread) has ended: its thread of the
operating system is gone. (How a harness observes this, and what a harness that cannot
observe it does, is the harness's business: see ``conformance/PROTOCOL.md``.)"""

GATE_ENTERED = "gate.entered"
"""``call(ENV, GATE_ENTERED, gate, args, kwargs)``: a thread that is not one of the
schedule's (a ``Thread``'s own thread) called gate ``gate`` with ``args`` (a tuple) and
``kwargs`` (sorted ``(name, value)`` pairs). A class among them reads ``(("class", name),)``,
an object that no call of the schedule created ``("object", type)``, the object under test
``("ref", n)``."""


@dataclass(frozen=True, slots=True)
class New:
    """An argument that is a fresh object of the module under test, e.g. the lock
    passed to ``Condition(New("RLock"))``."""

    kind: str
    args: tuple[Value, ...] = ()


@dataclass(frozen=True, slots=True)
class Gate:
    """An argument that is a function controlled by the environment (a Thread's target,
    a Timer's function, a Barrier's action): when called it blocks until the
    environment opens gate ``id``: ``call(ENV, "gate.open", id)`` makes it return
    ``None``; ``call(ENV, "gate.open", id, "ValueError")`` makes it raise that type."""

    id: int


@dataclass(frozen=True, slots=True)
class Hook:
    """A trace or profile function the environment provides (it does nothing and returns
    None), named ``name``; it stands for that function wherever it is found: returned by a
    call, or as the ``sys.gettrace()`` / ``sys.getprofile()`` of a thread that enters a gate."""

    name: str


@dataclass(frozen=True, slots=True)
class Original:
    """An argument that is the value the module's attribute ``name`` had before any scenario
    assigned it (e.g. ``threading.excepthook`` as the module defines it): a scenario that
    replaced a module global puts it back with ``call(t, "module.set:NAME", Original(NAME))``."""

    name: str


class _Opaque(enum.Enum):
    ANY = "any value"
    ANY_INT = "any int"
    ANY_STR = "any str"
    FALSY = "any false value"
    TRUTHY = "any true value"


ANY = _Opaque.ANY
ANY_INT = _Opaque.ANY_INT
ANY_STR = _Opaque.ANY_STR
FALSY = _Opaque.FALSY
"""Where the documentation asks only for a false value (``__exit__``: the exception is not
suppressed): None, False, 0, an empty str or sequence."""
TRUTHY = _Opaque.TRUTHY
"""Where the documentation says "return true": a value that is not false (an object is true)."""


def _falsy(observed: Value) -> bool:
    judged = isinstance(observed, bool | int | float | str | tuple | list)
    return observed is None or (judged and not observed)


def value_matches(expected: Value, observed: Value) -> bool:
    """Is the observed return value one that ``expected`` allows?"""
    if expected is ANY:
        return True
    if expected is ANY_INT:
        return isinstance(observed, int) and not isinstance(observed, bool)
    if expected is ANY_STR:
        return isinstance(observed, str)
    if expected is FALSY or expected is TRUTHY:
        return _falsy(observed) == (expected is FALSY)
    if isinstance(expected, bool) or isinstance(observed, bool):
        return type(expected) is type(observed) and expected == observed
    if isinstance(expected, float) and isinstance(observed, float):
        return expected == observed or (math.isnan(expected) and math.isnan(observed))
    if isinstance(expected, tuple) and isinstance(observed, (tuple, list)):
        return len(expected) == len(observed) and all(
            value_matches(e, o) for e, o in zip(expected, observed, strict=True)
        )
    return bool(expected == observed)


DOCUMENTED_BASES: dict[str, tuple[str, ...]] = {
    # doc: threading.BrokenBarrierError
    # > This exception, a subclass of RuntimeError, is raised when the Barrier object is reset or broken.
    "BrokenBarrierError": ("RuntimeError",),
}
"""Exception types whose documented base classes are checked too (when the MRO is known)."""


def outcome_matches(
    expected: Outcome,
    observed: Outcome,
    observed_mro: tuple[str, ...] = (),
    observed_warnings: tuple[str, ...] = (),
    exact_warnings: bool = False,
) -> bool:
    """Does ``observed`` satisfy ``expected``?

    An exception matches when the documented type names the observed class or one
    of its bases (``observed_mro`` lists their names, including ``ThreadError``
    when the class is a subclass of the module's ``ThreadError``). With
    ``exact_warnings``, a returned value also must come with no warning other than
    the expected one (warnings of a call that raises are not compared).
    """
    if isinstance(expected, Raised):
        if not isinstance(observed, Raised):
            return False
        names = (observed.exc, *observed_mro)
        if expected.exc not in names:
            return False
        # a documented base class is part of the documented type
        return not observed_mro or all(b in names for b in DOCUMENTED_BASES.get(expected.exc, ()))
    if expected.warning is not None and expected.warning not in observed_warnings:
        return False
    if exact_warnings and any(w != expected.warning for w in observed_warnings):
        return False
    return isinstance(observed, Returned) and value_matches(expected.value, observed.value)
