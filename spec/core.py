"""Shared vocabulary of the threading specification.

Every primitive's spec module (``spec/lock.py``, ``spec/rlock.py``…) is written
in these terms:

* a frozen ``State`` holding only abstract facts (holder, level, counter, waiters);
* ``invoke(state, call)``: pure and deterministic, returns ``Done`` (the call
  returned or raised) or ``Blocked`` (the thread now waits, recorded in the state);
* ``wakeups(state)`` and ``expiries(state)``: the internal steps that complete (or
  silently advance) pending calls. All nondeterminism of the documentation lives here;
* ``invariants``: named predicates that hold in every reachable state;
* clauses: every branch of a transition names the documented sentence it implements.

Nothing in ``spec`` imports from ``impl``, ``conformance`` or ``proofs``.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

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
    when the checker asks for exact warnings (CPython strictness: a call that
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
being a thread of the schedule (a ``Thread``'s own thread) has ended, as the agent saw
its OS thread go. The driver applies it when the agent reports it; as a step of a
schedule it means: wait for that report (no report, e.g. where the agent cannot watch
threads, is no violation)."""

GATE_ENTERED = "gate.entered"
"""``call(ENV, GATE_ENTERED, gate, args, kwargs)``: a thread that is not one of the
schedule's (a ``Thread``'s own thread) called gate ``gate`` with ``args`` (a tuple) and
``kwargs`` (sorted ``(name, value)`` pairs), as the agent reported it. A class among them
reads ``(("class", name),)``, an object the checker did not create ``("object", type)``,
the object under test ``("ref", n)``. The driver applies it when the agent reports it."""


@dataclass(frozen=True, slots=True)
class New:
    """An argument that is a fresh object of the module under test, e.g. the lock
    passed to ``Condition(New("RLock"))``."""

    kind: str
    args: tuple[Value, ...] = ()


@dataclass(frozen=True, slots=True)
class Gate:
    """An argument that is a function controlled by the checker (a Thread's target,
    a Timer's function, a Barrier's action): when called it blocks until the
    environment opens gate ``id``: ``call(ENV, "gate.open", id)`` makes it return
    ``None``; ``call(ENV, "gate.open", id, "ValueError")`` makes it raise that type."""

    id: int


@dataclass(frozen=True, slots=True)
class Hook:
    """A trace or profile function the agent provides (it does nothing and returns None);
    the agent reports it as this value wherever it finds it: returned by a call, or as the
    ``sys.gettrace()`` / ``sys.getprofile()`` of a thread that enters a gate."""

    name: str


class _Opaque(enum.Enum):
    ANY = "any value"
    ANY_INT = "any int"
    ANY_STR = "any str"


ANY = _Opaque.ANY
ANY_INT = _Opaque.ANY_INT
ANY_STR = _Opaque.ANY_STR


def value_matches(expected: Value, observed: Value) -> bool:
    """Is the observed return value one that ``expected`` allows?"""
    if expected is ANY:
        return True
    if expected is ANY_INT:
        return isinstance(observed, int) and not isinstance(observed, bool)
    if expected is ANY_STR:
        return isinstance(observed, str)
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
    of its bases (``observed_mro`` lists their names, the agent adds ``ThreadError``
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


# ---------------------------------------------------------------------------
# Transition results
# ---------------------------------------------------------------------------

S = TypeVar("S")


@dataclass(frozen=True, slots=True)
class Done(Generic[S]):
    """The call completed at once with ``outcome``; the object is now in ``state``."""

    outcome: Outcome
    state: S
    clause: str


@dataclass(frozen=True, slots=True)
class Blocked(Generic[S]):
    """The calling thread now waits; ``state`` records it among the waiters."""

    state: S
    clause: str


Result = Done[S] | Blocked[S]


@dataclass(frozen=True, slots=True)
class Step(Generic[S]):
    """An internal step: pending call of ``thread`` advances.

    ``outcome`` is what the pending call now returns, or ``None`` for a silent
    step (e.g. a Condition waiter whose timeout expired but which must still
    reacquire the lock before ``wait`` returns).
    """

    thread: ThreadId
    outcome: Outcome | None
    state: S
    clause: str


# ---------------------------------------------------------------------------
# Versions, strictness, profiles
# ---------------------------------------------------------------------------

Version = tuple[int, int]


class Strictness(enum.Enum):
    """How much is checked.

    ``DOCUMENTED``: only what the documentation guarantees.
    ``CPYTHON``: also what CPython does beyond it (FIFO wakeup of Condition
    waiters, exact-n ``notify``, arrival-order Barrier indices…).
    """

    DOCUMENTED = "documented"
    CPYTHON = "cpython"

    def includes(self, other: Strictness) -> bool:
        """Does checking at this level include clauses of level ``other``?"""
        return self is Strictness.CPYTHON or other is Strictness.DOCUMENTED


@dataclass(frozen=True, slots=True)
class Profile:
    """One Python version's threading API and semantics, at one strictness.

    Specs ask ``profile.since(3, 2)`` ("is this version 3.2 or later?") and
    ``profile.cpython`` ("are CPython's undocumented behaviours checked?");
    nothing outside ``spec`` branches on the version.
    """

    version: Version
    strictness: Strictness = Strictness.DOCUMENTED

    @property
    def name(self) -> str:
        return f"PY{self.version[0]}{self.version[1]}"

    def since(self, major: int, minor: int) -> bool:
        return self.version >= (major, minor)

    def before(self, major: int, minor: int) -> bool:
        return self.version < (major, minor)

    @property
    def cpython(self) -> bool:
        return self.strictness is Strictness.CPYTHON

    @property
    def py2(self) -> bool:
        return self.version[0] == 2

    def with_strictness(self, strictness: Strictness) -> Profile:
        return Profile(self.version, strictness)

    def __str__(self) -> str:
        return f"{self.version[0]}.{self.version[1]} ({self.strictness.value})"


VERSIONS: tuple[Version, ...] = (
    (2, 7),
    (3, 6),
    (3, 7),
    (3, 8),
    (3, 9),
    (3, 10),
    (3, 11),
    (3, 12),
    (3, 13),
    (3, 14),
)

PY27, PY36, PY37, PY38, PY39, PY310, PY311, PY312, PY313, PY314 = (
    Profile(v, Strictness.CPYTHON) for v in VERSIONS
)
PROFILES: dict[str, Profile] = {f"{v[0]}.{v[1]}": Profile(v, Strictness.CPYTHON) for v in VERSIONS}


def profile_for(version: str | Version, strictness: Strictness = Strictness.CPYTHON) -> Profile:
    """The profile of a version such as ``"3.11"``, ``"3.11.7"`` or ``(3, 11)``.

    Raises:
      ValueError: the version has no profile.
    """
    if isinstance(version, str):
        parts = version.strip().split(".")
        try:
            key: Version = (int(parts[0]), int(parts[1]))
        except (IndexError, ValueError):
            raise ValueError(f"not a Python version: {version!r}") from None
    else:
        key = (version[0], version[1])
    if key not in VERSIONS:
        known = ", ".join(PROFILES)
        raise ValueError(f"no profile for Python {key[0]}.{key[1]}; known: {known}")
    return Profile(key, strictness)


# ---------------------------------------------------------------------------
# Clauses
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Clause:
    """One documented (or CPython-observed) behaviour.

    ``id`` is ``Primitive.method.behaviour-in-kebab-case``; ``doc`` names the
    documented object (``threading.Lock.release``); ``quote`` is the sentence
    itself; the clause applies to versions ``since <= v < until``.
    """

    id: str
    doc: str
    quote: str
    since: Version = (2, 7)
    until: Version | None = None
    strictness: Strictness = Strictness.DOCUMENTED
    known_bug: str = ""  # a known bug of the implementation the spec tolerates (an issue link)

    @property
    def primitive(self) -> str:
        return self.id.split(".", 1)[0]

    def applies_to(self, profile: Profile) -> bool:
        in_range = profile.version >= self.since and (
            self.until is None or profile.version < self.until
        )
        return in_range and profile.strictness.includes(self.strictness)

    def versions_text(self) -> str:
        start = f"{self.since[0]}.{self.since[1]}"
        if self.until is None:
            return f">={start}"
        return f">={start},<{self.until[0]}.{self.until[1]}"


REGISTRY: dict[str, Clause] = {}


def clause(
    id: str,
    *,
    doc: str,
    quote: str,
    since: Version = (2, 7),
    until: Version | None = None,
    strictness: Strictness = Strictness.DOCUMENTED,
    known_bug: str = "",
) -> str:
    """Register a clause and return its id, for use as ``Done(..., clause=X)``.

    ``known_bug`` marks a tolerance rather than a guarantee: a race of the named implementation
    bug that the spec allows, at either strictness, so that an interpreter that has it (stock
    CPython, and implementations that share its code) gets the same verdict from every run
    instead of a violation now and then. No schedule can force such a race, so the report
    says whether it was seen, and names the bug when it was.

    Raises:
      ValueError: the id is registered twice, is malformed, or the quote is empty.
    """
    if id in REGISTRY:
        raise ValueError(f"clause {id} registered twice")
    if id.count(".") < 1 or " " in id:
        raise ValueError(f"clause id {id!r} is not Primitive.method.behaviour")
    if not quote.strip():
        raise ValueError(f"clause {id} has an empty quote")
    REGISTRY[id] = Clause(id, doc, " ".join(quote.split()), since, until, strictness, known_bug)
    return id


def clauses_for(profile: Profile, primitive: str | None = None) -> list[Clause]:
    """The clauses that apply to ``profile``, optionally of one primitive."""
    return [
        c
        for c in REGISTRY.values()
        if c.applies_to(profile) and (primitive is None or c.primitive == primitive)
    ]


@dataclass(frozen=True, slots=True)
class Ambiguity:
    """Where the prose allows more than one reading, and which one each profile takes."""

    topic: str
    text: str
    reading: str


# ---------------------------------------------------------------------------
# The interface of a primitive's spec
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PrimitiveSpec(Generic[S]):
    """A primitive's specification as a bundle of pure functions.

    ``create(profile, args)`` models the constructor call (``args`` is a ``Call``
    with op ``"__init__"``): it returns ``Done(Returned(None), state)`` or
    ``Done(Raised(...), None)``.
    ``timeout(call)`` returns the timeout a blocking call was given (``None``
    for none), so that the checker knows when an expiry may and must happen.
    ``timeout_in(init, call)``, where given, does the same for a call on an object
    built by ``init``: it also sees a default the constructor set (a Barrier's
    ``timeout``), which ``timeout(call)`` alone cannot.
    """

    name: str
    create: Callable[[Profile, Call], Done[S | None]]
    invoke: Callable[[S, Call], Result[S]]
    wakeups: Callable[[S], Iterable[Step[S]]]
    expiries: Callable[[S], Iterable[Step[S]]]
    invariants: tuple[Callable[[S], bool], ...]
    timeout: Callable[[Call], float | None]
    ops: Callable[[Profile], tuple[str, ...]]
    ambiguities: tuple[Ambiguity, ...] = field(default=())
    timeout_in: Callable[[Call, Call], float | None] | None = None

    def timeout_of(self, init: Call | None, c: Call) -> float | None:
        """The timeout of pending call ``c`` on an object built by ``init`` (if known)."""
        if self.timeout_in is not None and init is not None:
            return self.timeout_in(init, c)
        return self.timeout(c)

    def broken_invariants(self, state: S) -> list[str]:
        """Names of the invariants that ``state`` violates."""
        return [inv.__name__ for inv in self.invariants if not inv(state)]

    def internal_steps(self, state: S) -> Iterator[Step[S]]:
        yield from self.wakeups(state)
        yield from self.expiries(state)


# ---------------------------------------------------------------------------
# Argument checks shared by every blocking call with a timeout
# ---------------------------------------------------------------------------

TIMEOUT_MAX = 9223372036.0
"""``threading.TIMEOUT_MAX`` on 64-bit Linux CPython 3.2+ (seconds).

The real value is platform-specific; only its order of magnitude matters here:
a timeout above it raises ``OverflowError``.
"""


def is_number(v: Value) -> bool:
    """Would Python accept ``v`` where a number is expected? (``bool`` is an ``int``.)"""
    return isinstance(v, (int, float))


def lock_timeout_error(profile: Profile, blocking: Value, timeout: Value) -> str | None:
    """The exception a C-level ``acquire(blocking, timeout)`` raises for bad arguments.

    Shared by ``Lock.acquire`` and ``RLock.acquire`` (3.2+): returns the
    exception's documented type name, or ``None`` when the arguments are valid.
    """
    if timeout is MISSING:
        return None
    if not is_number(timeout):
        return "TypeError"
    t = float(timeout)
    if not blocking and t != -1:
        return "ValueError"
    if math.isnan(t):
        return "ValueError"
    if t < 0 and t != -1:
        return "ValueError"
    if t > TIMEOUT_MAX:
        return "OverflowError"
    return None
