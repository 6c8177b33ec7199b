"""impl agrees with the spec, operation by operation: same outcome, same abstract state.

Hypothesis stateful tests, one per primitive, on one thread (only calls that
cannot block) and on three (any call; the driver waits for each to complete or
to be seen blocked). See ``tests/impl/agreement.py`` for how a run is checked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

import impl
from conformance.scenarios import barrier as barrier_scenarios
from conformance.scenarios import condition as condition_scenarios
from conformance.scenarios import event as event_scenarios
from conformance.scenarios import local as local_scenarios
from conformance.scenarios import rlock as rlock_scenarios
from conformance.scenarios import semaphore as semaphore_scenarios
from conformance.scenarios import thread as thread_scenarios
from conformance.timeouts import NEVER_EXPIRING_TIMEOUT
from spec import barrier as spec_barrier
from spec import condition as spec_condition
from spec import event as spec_event
from spec import local as spec_local
from spec import rlock as spec_rlock
from spec import semaphore as spec_semaphore
from spec import thread as spec_thread
from spec.core import PrimitiveSpec
from spec.values import ENV, Call, Gate, New, ThreadId, call
from tests.impl.agreement import Run

NEVER = NEVER_EXPIRING_TIMEOUT
TIMER_INTERVAL = 0.01
"""A Timer's interval: short, so that a started timer soon calls its (gated) function."""
EXIT = (None, None, None)

CallMaker = Callable[[ThreadId], Call]


@dataclass(frozen=True)
class Subject:
    """A primitive under test: its spec, how to build it, how impl reports its abstract state."""

    name: str
    spec: PrimitiveSpec[Any]
    init: Call
    make: Callable[[Run], Any]
    abstraction: Callable[[Any, dict[int, ThreadId], dict[ThreadId, Call], Any], Any]
    waiting: Callable[[Any], Iterable[ThreadId]]
    alphabet: tuple[CallMaker, ...]
    unblock: Callable[[Run], Iterable[tuple[ThreadId | None, Call]]]
    """Calls that free blocked threads at the end of a run (thread None: made by the driver)."""


# ---------------------------------------------------------------------------
# The primitives
# ---------------------------------------------------------------------------


DRIVER = None
"""The driver thread, making a cleanup call itself (one that never blocks)."""


def _rlock_unblock(run: Run) -> list[tuple[ThreadId | None, Call]]:
    owner = run.obj._owner
    tid = run.idents.get(owner) if owner is not None else None
    return [(tid, call(tid, "release"))] if tid is not None and tid in run.idle() else []


RLOCK = Subject(
    "RLock",
    spec_rlock.SPEC,
    call(0, "__init__"),
    lambda run: impl.RLock(),
    lambda obj, threads, calls, s: obj._spec_state(threads),
    lambda s: [w.thread for w in s.waiters],
    rlock_scenarios.AGREEMENT_ALPHABET,
    _rlock_unblock,
)


def _sem_unblock(run: Run) -> list[tuple[ThreadId | None, Call]]:
    return [(DRIVER, call(0, "release"))]


SEMAPHORE = Subject(
    "Semaphore",
    spec_semaphore.SEMAPHORE,
    call(0, "__init__", 1),
    lambda run: impl.Semaphore(1),
    lambda obj, threads, calls, s: obj._spec_state(threads, calls),
    lambda s: [w.thread for w in s.waiters],
    semaphore_scenarios.AGREEMENT_ALPHABET,
    _sem_unblock,
)

BOUNDED = replace(
    SEMAPHORE,
    name="BoundedSemaphore",
    spec=spec_semaphore.BOUNDED,
    init=call(0, "__init__", 2),
    make=lambda run: impl.BoundedSemaphore(2),
)

EVENT = Subject(
    "Event",
    spec_event.SPEC,
    call(0, "__init__"),
    lambda run: impl.Event(),
    lambda obj, threads, calls, s: obj._spec_state(threads),
    lambda s: [w.thread for w in s.waiters],
    event_scenarios.AGREEMENT_ALPHABET,
    lambda run: [(DRIVER, call(0, "set"))],
)


def _condition_unblock(run: Run) -> list[tuple[ThreadId | None, Call]]:
    lock = run.obj._lock
    if isinstance(lock, impl.RLock):
        if lock._owner is not None:  # only the owner can release it; an owner never waits
            owner = run.idents[lock._owner]
            return [(owner, call(owner, "release"))] if owner in run.idle() else []
        return [(DRIVER, c) for c in NOTIFY_ALL_AS_DRIVER]
    # A plain Lock: anyone may release it; whoever holds it may notify.
    return [(DRIVER, c) for c in NOTIFY_ALL_AS_DRIVER[0 if not lock.locked() else 1 :]]


NOTIFY_ALL_AS_DRIVER = (call(0, "acquire", False), call(0, "notify_all"), call(0, "release"))


def _condition_waiting(s: spec_condition.State) -> list[ThreadId]:
    return [a.thread for a in s.acquirers] + [w.thread for w in s.sleepers]


CONDITION_RLOCK = Subject(
    "Condition(RLock)",
    spec_condition.SPEC,
    call(0, "__init__", New("RLock")),
    lambda run: impl.Condition(impl.RLock()),
    lambda obj, threads, calls, s: obj._spec_state(threads, calls),
    _condition_waiting,
    condition_scenarios.AGREEMENT_ALPHABET,
    _condition_unblock,
)

CONDITION_LOCK = replace(
    CONDITION_RLOCK,
    name="Condition(Lock)",
    init=call(0, "__init__", New("Lock")),
    make=lambda run: impl.Condition(impl.Lock()),
    abstraction=lambda obj, threads, calls, s: obj._spec_state(
        threads, calls, holder=getattr(s, "owner", None)
    ),
)

BARRIER = Subject(
    "Barrier",
    spec_barrier.SPEC,
    call(0, "__init__", 3),
    lambda run: impl.Barrier(3),
    lambda obj, threads, calls, s: obj._spec_state(threads, calls),
    lambda s: [p.thread for p in s.pending],
    barrier_scenarios.AGREEMENT_ALPHABET,
    lambda run: [(DRIVER, call(0, "abort"))],
)

THREAD = Subject(
    "Thread",
    spec_thread.SPEC,
    call(0, "__init__", target=Gate(1)),
    lambda run: impl.Thread(target=run.gate(1)),
    lambda obj, threads, calls, s: obj._spec_state(threads, calls, known=s),
    lambda s: [j.thread for j in s.joiners],
    thread_scenarios.AGREEMENT_ALPHABET,
    lambda run: [],  # the run opens every gate; the thread ends and its joiners return
)

TIMER = Subject(
    "Timer",
    spec_thread.TIMER_SPEC,
    call(0, "__init__", TIMER_INTERVAL, Gate(1)),
    lambda run: impl.Timer(TIMER_INTERVAL, run.gate(1)),
    lambda obj, threads, calls, s: obj._spec_state(threads, calls, known=s),
    lambda s: [j.thread for j in s.joiners],
    thread_scenarios.TIMER_AGREEMENT_ALPHABET,
    lambda run: [],  # the run opens every gate, and the timer ends, or was never started
)

LOCAL = Subject(
    "local",
    spec_local.LOCAL_SPEC,
    call(0, "__init__"),
    lambda run: impl.local(),
    lambda obj, threads, calls, s: obj._spec_state(threads),
    lambda s: [],
    local_scenarios.AGREEMENT_ALPHABET,
    lambda run: [],
)

SUBJECTS = {
    s.name: s
    for s in (
        RLOCK, SEMAPHORE, BOUNDED, EVENT, CONDITION_RLOCK, CONDITION_LOCK, BARRIER, THREAD, TIMER, LOCAL
    )
}

# ---------------------------------------------------------------------------
# The state machine
# ---------------------------------------------------------------------------


def machine_for(subject: Subject, threads: int) -> type[RuleBasedStateMachine]:
    class Agreement(RuleBasedStateMachine):
        """Calls by ``threads`` threads on one impl object, each checked against the spec."""

        def __init__(self) -> None:
            super().__init__()
            self.run = Run(
                subject.spec, subject.init, subject.make, subject.abstraction, subject.waiting, threads
            )
            self.run.settle()

        @rule(which=st.integers(0, threads - 1), maker=st.sampled_from(subject.alphabet))
        def invoke(self, which: int, maker: CallMaker) -> None:
            """An idle thread (the ``which``-th, counting round) makes a call; if every thread
            is blocked, the run is only checked as it stands. (The draws do not depend on
            which threads are idle, which real threads decide.)"""
            idle = self.run.idle()
            if not idle:
                self.run.settle()
                return
            c = maker(idle[which % len(idle)])
            if c.thread == ENV:
                self.run.invoke(c)
                return
            if threads == 1 and self.run.may_block(c):
                return  # nobody could ever unblock the only thread
            self.run.invoke(c)

        @invariant()
        def nothing_owed(self) -> None:
            self.run.settle()

        def teardown(self) -> None:
            self.run.drain(subject.unblock)

    Agreement.__name__ = f"Agreement_{subject.name}_{threads}"
    return Agreement


AGREEMENT_SETTINGS = settings(
    max_examples=40,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.mark.parametrize("threads", [1, 3])
@pytest.mark.parametrize("name", sorted(SUBJECTS))
def test_impl_agrees_with_spec(name: str, threads: int) -> None:
    machine = machine_for(SUBJECTS[name], threads)
    machine.TestCase.settings = AGREEMENT_SETTINGS
    machine.TestCase().runTest()
