"""A harness that runs one impl object against its spec, call by call, on real threads.

Worker threads (CPython's own, so that only the object differs) make the calls.
Every invocation and completion goes to ``conformance.checker.Checker``, which
keeps the spec configurations consistent with what has been observed: an
outcome no configuration explains fails at once (same outcome). At each
quiescent point, the object's ``_spec_state()`` must equal the spec state of one
of those configurations (same abstract state).

Nothing sleeps for a time. The driver waits on Events for completions; a call
the spec says blocks is waited for until the object's abstract state lists its
thread among the waiters; the abstract state is compared once it has
converged to one the spec allows, with ``SETTLE_DEADLINE`` the time after which
the object counts as stuck in a state the spec does not have.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from conformance.checker import CallStatus, Checker, Observation
from spec.core import PrimitiveSpec
from spec.values import ENV, Call, Outcome, Raised, Returned, ThreadId, outcome_matches

SETTLE_DEADLINE = 10.0
"""Seconds the driver waits for a completion the spec owes, or for the object's abstract
state to become one the spec allows, before it calls the run a disagreement."""

Abstraction = Callable[[Any, dict[int, ThreadId], dict[ThreadId, Call], Any], Any]
"""``(object, idents → thread ids, pending calls, candidate spec state) → impl's abstract state``.

The candidate is passed for what a primitive cannot know about itself and the
spec state records anyway (which thread acquired a plain Lock)."""


def perform(obj: Any, c: Call) -> Any:
    """Make call ``c`` on ``obj`` (``get:attr`` reads an attribute)."""
    if c.op.startswith("get:"):
        return getattr(obj, c.op[4:])
    if c.op.startswith("set:"):
        return setattr(obj, c.op[4:], *c.args)
    if c.op.startswith("del:"):
        return delattr(obj, c.op[4:])
    return getattr(obj, c.op)(*c.args, **c.kw())


def observe(fn: Callable[[], Any]) -> tuple[Outcome, tuple[str, ...]]:
    try:
        value = fn()
    except Exception as exc:  # noqa: BLE001 - every exception is an outcome
        return Raised(type(exc).__name__), tuple(k.__name__ for k in type(exc).__mro__)
    return Returned(value), ()


class Worker:
    """A thread that makes the calls it is handed, one at a time, and reports each result."""

    def __init__(self, tid: ThreadId, results: queue.Queue[tuple[ThreadId, Outcome, tuple[str, ...]]]):
        self.tid = tid
        self.inbox: queue.Queue[tuple[Any, Call, bool] | None] = queue.Queue()
        self.results = results
        self.ready = threading.Event()
        self.ident = 0
        self.thread = threading.Thread(target=self._loop, name=f"agreement-t{tid}", daemon=True)
        self.thread.start()
        self.ready.wait()

    def _loop(self) -> None:
        self.ident = threading.get_ident()
        self.ready.set()
        while (job := self.inbox.get()) is not None:
            obj, c, report = job
            outcome, mro = observe(lambda obj=obj, c=c: perform(obj, c))
            if report:
                self.results.put((self.tid, outcome, mro))

    def give(self, obj: Any, c: Call, report: bool = True) -> None:
        self.inbox.put((obj, c, report))

    def stop(self) -> None:
        self.inbox.put(None)


@dataclass
class Run:
    """One object, its spec, ``n`` worker threads, and the checker following them."""

    spec: PrimitiveSpec[Any]
    init: Call
    make: Callable[[Run], Any]
    """Builds the object; it may take gates from the run (``run.gate(1)``)."""
    abstraction: Abstraction
    waiting: Callable[[Any], Iterable[ThreadId]]
    """The threads an abstract state lists as blocked."""
    n: int
    checker: Checker = field(init=False)
    obj: Any = field(init=False)
    workers: list[Worker] = field(init=False)
    results: queue.Queue[tuple[ThreadId, Outcome, tuple[str, ...]]] = field(init=False)
    pending: dict[ThreadId, Call] = field(init=False)
    log: list[str] = field(init=False)
    gates: dict[int, threading.Event] = field(init=False)

    def __post_init__(self) -> None:
        from impl.lock import spec_profile

        self.results = queue.Queue()
        self.gates = {}
        self.workers = [Worker(t, self.results) for t in range(self.n)]
        self.pending = {}
        self.log = [f"{self.init!r}"]
        self.checker = Checker(self.spec)
        self.obj = self.make(self)
        violation = self.checker.created(spec_profile(), self.init, Returned(None))
        assert violation is None, violation.describe()

    @property
    def idents(self) -> dict[int, ThreadId]:
        return {w.ident: w.tid for w in self.workers}

    def idle(self) -> list[ThreadId]:
        return [w.tid for w in self.workers if w.tid not in self.pending]

    # -- the spec's view ---------------------------------------------------------

    def may_block(self, c: Call) -> bool:
        """Does some configuration leave ``c`` waiting (with no zero timeout to end it)?"""
        probe = Checker(self.spec, dict(self.checker.configs), dict(self.checker.pending))
        probe.invoked(c, time.monotonic())
        closure = probe._closure(None)
        timeout = self.spec.timeout(c)
        if timeout is not None and timeout <= 0:
            return False
        return any(
            x.thread == c.thread and x.status is CallStatus.BLOCKED for _, calls in closure for x in calls
        )

    # -- gates -----------------------------------------------------------------------

    def gate(self, gate_id: int) -> Callable[..., None]:
        """A function standing for ``Gate(gate_id)``: it returns once the gate is opened."""
        opened = self.gates.setdefault(gate_id, threading.Event())

        def gate_function(*args: Any, **kwargs: Any) -> None:
            opened.wait()

        gate_function.__name__ = f"gate_{gate_id}"  # as the agent names it (a 3.10+ default name shows it)
        return gate_function

    def environment(self, c: Call) -> None:
        """An environment call (``gate.open``): do it, tell the checker, let things settle."""
        self.log.append(repr(c))
        assert c.op == "gate.open" and len(c.args) == 1, f"unsupported environment call {c!r}"
        self.gates.setdefault(c.args[0], threading.Event()).set()
        violation = self.checker.environment(c)
        assert violation is None, "\n".join([*self.log, violation.describe()])
        self.settle()

    # -- driving -------------------------------------------------------------------

    def invoke(self, c: Call) -> None:
        """``c.thread`` makes call ``c``; return once everything is quiescent again."""
        if c.thread == ENV:
            self.environment(c)
            return
        self.log.append(repr(c))
        blocks = self.may_block(c)
        self.pending[c.thread] = c
        self.checker.invoked(c, time.monotonic())
        self.workers[c.thread].give(self.obj, c)
        self.settle(expect_blocked={c.thread} if blocks else set())

    def _take_result(self, timeout: float) -> bool:
        try:
            tid, outcome, mro = self.results.get(timeout=timeout)
        except queue.Empty:
            return False
        self.pending.pop(tid)
        self.log.append(f"  t{tid} {outcome!r}")
        violation = self.checker.completed(Observation(tid, outcome, time.monotonic(), mro))
        assert violation is None, "\n".join([*self.log, violation.describe()])
        return True

    def settle(self, expect_blocked: set[ThreadId] = set()) -> None:  # noqa: B006
        """Wait until every completion the spec owes has been observed, every call expected to
        block is seen blocked, and the object's abstract state is one the spec allows."""
        deadline = time.monotonic() + SETTLE_DEADLINE
        while True:
            while self._take_result(0):
                pass
            owed = not self.checker.settled(time.monotonic(), SETTLE_DEADLINE)
            if not owed:
                state = self.abstract_state_if_allowed()
                blocked = state is not None and expect_blocked.issubset(self.waiting(state))
                if state is not None and (blocked or not expect_blocked & set(self.pending)):
                    return
            if time.monotonic() > deadline:
                self.fail(owed)
            # Wait for a completion: the only thing that changes what the spec allows.
            self._take_result(0.001 if not owed else 0.05)

    def abstract_state_if_allowed(self) -> Any:
        """The object's abstract state, if it is the state of a consistent configuration
        in which every pending call waits."""
        for s, calls in self.checker._closure(time.monotonic()):
            if any(x.status is not CallStatus.BLOCKED for x in calls):
                continue
            mine = self.abstraction(self.obj, self.idents, dict(self.pending), s)
            if mine == s:
                return mine
        return None

    def fail(self, owed: bool) -> None:
        candidates = [s for s, calls in self.checker._closure(time.monotonic())]
        first = candidates[0] if candidates else None
        mine = self.abstraction(self.obj, self.idents, dict(self.pending), first)
        what = "a completion the spec owes never came" if owed else "abstract states disagree"
        lines = [*self.log, what, f"impl: {mine!r}", "spec allows:", *(f"  {s!r}" for s in candidates[:8])]
        raise AssertionError("\n".join(lines))

    # -- cleaning up ---------------------------------------------------------------

    def drain(self, unblock: Callable[[Run], Iterable[tuple[ThreadId | None, Call]]]) -> None:
        """Free every blocked worker, then stop the workers.

        ``unblock`` says which idle thread makes which call, outside the check (thread
        None: the driver itself, for calls that never block).
        """
        deadline = time.monotonic() + SETTLE_DEADLINE
        while self.pending and time.monotonic() < deadline:
            for gate in self.gates.values():
                gate.set()
            for tid, c in unblock(self):
                if tid is None:
                    observe(lambda c=c: perform(self.obj, c))
                else:
                    self.workers[tid].give(self.obj, c, report=False)
            try:
                tid, _, _ = self.results.get(timeout=0.01)
                self.pending.pop(tid, None)
            except queue.Empty:
                pass
        # A started Thread may still run a gated target with no call pending: let it end,
        # or it would keep the interpreter from exiting (non-daemon threads are joined).
        for gate in self.gates.values():
            gate.set()
        for w in self.workers:
            w.stop()


def matches(expected: Outcome, observed: Outcome) -> bool:
    return outcome_matches(expected, observed)
