"""The shape of a primitive's spec: transition results, ``PrimitiveSpec``, shared argument rules.

Every primitive's spec module (``spec/lock.py``, ``spec/rlock.py``…) is written
in these terms:

* a frozen ``State`` holding only abstract facts (holder, level, counter, waiters);
* ``invoke(state, call)``: pure and deterministic, returns ``Done`` (the call
  returned or raised) or ``Blocked`` (the thread now waits, recorded in the state);
* ``wakeups(state)`` and ``expiries(state)``: the internal steps that complete (or
  silently advance) pending calls. All nondeterminism of the documentation lives here;
* ``invariants``: named predicates that hold in every reachable state;
* clauses: every branch of a transition names the documented sentence it implements.

The vocabulary they share lives beside this module: ``spec.values`` (calls, values,
outcomes), ``spec.profiles`` (versions and strictness) and ``spec.clauses`` (the clause
registry). Nothing in ``spec`` imports from ``impl``, ``conformance`` or ``proofs``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from spec.clauses import Ambiguity
from spec.profiles import Profile
from spec.values import Call, Outcome, Raised, ThreadId, Value

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


Transition = Callable[[S, Call], "Result[S]"]
"""A transition of a primitive: the result of invoking a call on a state."""


def dispatch(
    s: S,
    c: Call,
    transitions: Mapping[str, Transition[S]],
    available: Collection[str],
    no_such_method: str,
) -> Result[S]:
    """Invoke ``c`` on ``s`` through the transition named after its op.

    An op that the profile's API lacks (``available``) raises AttributeError, as calling a
    method that does not exist does in Python, under clause ``no_such_method``.
    """
    if c.op not in available:
        return Done(Raised("AttributeError"), s, no_such_method)
    return transitions[c.op](s, c)


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
    for none): when an expiry may, and must, happen.
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
    cites: tuple[str, ...] = ()
    """Other primitives whose clauses this spec's transitions cite (``Thread``'s spec runs the
    module functions, ``"module.<name>"`` ops, so it cites the ``module`` clauses)."""
    companions: tuple[str, ...] = ()
    """Specs checked whenever this one is (``local``'s subclassing rules are checked with
    ``LocalSubclass``)."""

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


def is_huge(v: Value) -> bool:
    """Is ``v`` an int too large for a float (``float(v)`` raises OverflowError, as CPython's
    conversion of a timeout does: ``10**400``)?"""
    if not isinstance(v, int):
        return False
    try:
        float(v)
    except OverflowError:
        return True
    return False


def as_float(v: int | float) -> float:
    """``float(v)``, except that an int too large for a float is an infinity of its sign
    (the caller decides what such a timeout raises: ``is_huge``)."""
    if is_huge(v):
        return math.inf if v > 0 else -math.inf
    return float(v)
