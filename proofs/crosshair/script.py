"""A symbolic script and the pure function that runs it on a primitive's spec.

CrossHair cannot build a valid spec state from nothing, so every contract starts from the
initial state and applies a *script*: a few moves, each four ints that CrossHair makes
symbolic, ``(thread, op, a, i)``:

* ``op`` >= 0 invokes the subject's ``ops[op]`` from ``thread`` (skipped while that thread has
  a pending call); ``op`` == ``WAKEUP`` / ``EXPIRY`` takes internal step number ``i`` of
  ``wakeups`` / ``expiries`` (skipped when there is no such step); a thread or op out of
  range counts as 0, so that every path is a valid script;
* ``a`` chooses the call's argument shape (``arguments``): none, ``(i,)``, ``keyword=i``, a
  ``blocking`` flag before a float timeout, too many, an unknown keyword, or a keyword set to
  one of the values a solver seldom reaches on its own (NaN, ±inf, -1, None, a string, a
  huge int).

The spec's functions are looked up in its module at every call (``module.invoke``...), so
that a seeded break (``proofs.golden_breaks``) that patches one of them is seen.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from spec.core import Blocked, Done
from spec.profiles import Profile
from spec.values import Call, Outcome, ThreadId, Value

Move = tuple[int, int, int, int]
"""``(thread, op, a, i)``: see the module docstring."""

WAKEUP = -1
EXPIRY = -2
THREADS = 3
"""Threads a script may use (0, 1, 2)."""

STEP_FUNCTIONS = {"wakeup": "wakeups", "expiry": "expiries"}
"""The spec function that lists the internal steps of each kind."""

HUGE = 10**20
"""An int above ``TIMEOUT_MAX`` and above any C long."""

ARGUMENT_SHAPES = 16


def arguments(keyword: str, a: int, i: int) -> tuple[tuple[Value, ...], tuple[tuple[str, Value], ...]]:
    """``(args, kwargs)`` of a call: ``a`` chooses one of ``ARGUMENT_SHAPES`` shapes, ``i`` is the
    symbolic int inside some of them (``keyword`` names the op's argument, e.g. ``timeout``).

    The shapes hold the values a solver seldom reaches on its own (NaN, ±inf, -1, None, a
    string, a huge int) as constants, so that a path reaches them by choosing ``a`` alone.
    """
    kw: Value
    if a == 1:
        return (i,), ()
    if a == 2:
        return (), ((keyword, i),)
    if a == 3:
        return (False,), ()
    if a == 4:
        return (True, i + 0.5), ()
    if a == 5:
        return (False, i + 0.5), ()
    if a == 11:
        return (i, i, i), ()
    if a == 13:
        return (), (("bogus", i),)
    if a == 14:
        return (False, -1), ()
    if a == 15:
        return (i + 0.5,), ()
    if a == 6:
        kw = math.nan
    elif a == 7:
        kw = math.inf
    elif a == 8:
        kw = -1
    elif a == 9:
        kw = HUGE
    elif a == 10:
        kw = "1"
    elif a == 12:
        kw = None
    else:
        return (), ()
    return (), ((keyword, kw),)


@dataclass(frozen=True)
class Subject:
    """A primitive as scripts see it: its spec module and the operations a move may name."""

    name: str
    """The key of ``spec.PRIMITIVES``."""
    module: ModuleType
    create: str
    """The name of the constructor's spec function in ``module``."""
    ops: tuple[str, ...]
    keywords: tuple[tuple[str, str], ...] = ()
    """For ops whose argument is passed by keyword (shape 2): ``(op, keyword)``; default ``timeout``."""
    init_keyword: str = "value"

    def keyword(self, op: str) -> str:
        return dict(self.keywords).get(op, "timeout")

    def fn(self, name: str) -> Callable[..., Any]:
        f: Callable[..., Any] = getattr(self.module, name)
        return f


@dataclass(frozen=True)
class Record:
    """One transition of a run: an invocation, or an internal step (``kind`` wakeup/expiry).

    ``outcome`` is None for an invocation that blocked or a silent step; ``call`` is the
    invoked call, or for a step the pending call it advances.
    """

    kind: str
    thread: ThreadId
    call: Call
    before: Any
    outcome: Outcome | None
    after: Any
    clause: str


@dataclass
class Trace:
    """What running a script did: the constructor's result, then every transition."""

    subject: Subject
    init: Call
    created: Done[Any]
    records: list[Record] = field(default_factory=list)

    @property
    def states(self) -> list[Any]:
        if self.created.state is None:
            return []
        return [self.created.state] + [r.after for r in self.records]


def normalized(subject: Subject, m: Move) -> Move:
    """``m`` with its thread in range(THREADS) and its op one of the subject's or a step (an
    out-of-range one counts as 0): every move is a valid move, so that no precondition
    rejects a path."""
    thread, op, a, i = m
    return (thread if 0 <= thread < THREADS else 0, op if EXPIRY <= op < len(subject.ops) else 0, a, i)


def make_call(subject: Subject, m: Move) -> Call:
    thread, op, a, i = m
    name = subject.ops[op]
    args, kwargs = arguments(subject.keyword(name), a, i)
    return Call(thread, name, args, kwargs)


def moves(*fields: int) -> list[Move]:
    """The script of flat fields ``t1, o1, a1, i1, t2, ...`` (four per move). CrossHair searches
    flat int parameters far better than a symbolic list of tuples (whose elements it creates
    afresh on every path)."""
    return [(fields[j], fields[j + 1], fields[j + 2], fields[j + 3]) for j in range(0, len(fields) - 3, 4)]


def init_call(subject: Subject, a: int, i: int) -> Call:
    args, kwargs = arguments(subject.init_keyword, a, i)
    return Call(0, "__init__", args, kwargs)


def run(subject: Subject, profile: Profile, init: Call, script: list[Move]) -> Trace:
    """Run ``script`` on ``subject``'s spec from the state ``init`` creates, recording each step."""
    created: Done[Any] = subject.fn(subject.create)(profile, init)
    trace = Trace(subject, init, created)
    s = created.state
    if s is None:
        return trace
    pending: dict[ThreadId, Call] = {}
    for raw in script:
        m = normalized(subject, raw)
        thread, op, _, i = m
        if op >= 0:
            if thread in pending:
                continue
            c = make_call(subject, m)
            r = subject.fn("invoke")(s, c)
            if isinstance(r, Blocked):
                pending[thread] = c
                trace.records.append(Record("invoke", thread, c, s, None, r.state, r.clause))
            else:
                trace.records.append(Record("invoke", thread, c, s, r.outcome, r.state, r.clause))
            s = r.state
            continue
        kind = "wakeup" if op == WAKEUP else "expiry"
        steps = list(subject.fn(STEP_FUNCTIONS[kind])(s))
        if not 0 <= i < len(steps):
            continue
        st = steps[i]
        c = pending.get(st.thread, Call(st.thread, "?"))
        trace.records.append(Record(kind, st.thread, c, s, st.outcome, st.state, st.clause))
        if st.outcome is not None:
            pending.pop(st.thread, None)
        s = st.state
    return trace


INT_LIMIT = 2**64
"""Symbolic int arguments stay within this (``HUGE`` stands for larger ones): the spec turns
an int timeout into a float with ``float()``, which raises OverflowError itself above
about 1.8e308 (``SPEC_FINDINGS``)."""

SPEC_FINDINGS = (
    "lockstep.acquire_error, semaphore.acquire and event.wait call float(timeout): an int "
    "timeout above 1.8e308 (e.g. 10**400) makes invoke raise OverflowError instead of "
    "returning Done(Raised('OverflowError')) as CPython's acquire/wait do",
)
"""What CrossHair found in the unbroken spec (see ``tests/proofs/test_crosshair.py``)."""
