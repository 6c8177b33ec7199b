"""Every bound the specs are explored within, and the state counts pinned for each.

One table (``BOUNDS``) serves ``tests/spec`` (each primitive's exhaustive exploration reads its
rows, ``for_primitive``) and ``proofs.explore_rows`` (which checks the named properties of
``proofs.properties`` in every state of every row). A bound fixes the primitive, the profile,
the constructor call, the alphabet each thread draws its calls from, the number of threads
and the calls each makes; ``pinned`` is what ``spec.explore.explore`` reaches within it:
(distinct spec states, exploration nodes).

Pinned: a change to these numbers is a change to the spec (or to an alphabet); look at it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import spec
from conformance.scenarios import barrier as barrier_scenarios
from conformance.scenarios import condition as condition_scenarios
from conformance.scenarios import event as event_scenarios
from conformance.scenarios import local as local_scenarios
from conformance.scenarios import lock as lock_scenarios
from conformance.scenarios import rlock as rlock_scenarios
from conformance.scenarios import semaphore as semaphore_scenarios
from conformance.scenarios import thread as thread_scenarios
from conformance.scenarios import thread_subclass as subclass_scenarios
from spec.condition import PYTHON_RLOCK
from spec.core import Done, PrimitiveSpec
from spec.profiles import PY27, PY311, PY313, PY314, Profile, Strictness
from spec.values import Call, Gate, New, ThreadId, call

CallMaker = Callable[[ThreadId], Call]
Adapter = Callable[[PrimitiveSpec[Any]], PrimitiveSpec[Any]]


@dataclass(frozen=True)
class Bound:
    """One exhaustive exploration: ``threads`` threads making up to ``calls`` calls each from
    ``alphabet`` on the object ``init`` builds, under ``profile``."""

    name: str
    """Unique, readable: the primitive, the profile and what sets this bound apart."""
    primitive: str
    """A key of ``spec.PRIMITIVES`` (what ``threadspec prove --only`` names)."""
    profile: Profile
    init: Call
    alphabet: tuple[CallMaker, ...]
    threads: int
    calls: int
    pinned: tuple[int, int]
    """(distinct spec states, exploration nodes) that ``spec.explore.explore`` reaches."""
    adapt: Adapter | None = None
    """Changes the primitive's spec for this bound (e.g. objects whose predicate gates start
    opened); ``None``: the spec as it is."""

    @property
    def spec(self) -> PrimitiveSpec[Any]:
        base = spec.PRIMITIVES[self.primitive]
        return base if self.adapt is None else self.adapt(base)

    @property
    def states(self) -> int:
        return self.pinned[0]

    @property
    def nodes(self) -> int:
        return self.pinned[1]

    def describe(self) -> str:
        """The bound as the proofs table prints it."""
        return f"{self.name}: {self.threads} threads x {self.calls} calls"

    def __str__(self) -> str:
        return self.name


def opened_gates(gates: tuple[tuple[int, str | None], ...]) -> Adapter:
    """A Condition spec whose objects start with predicate ``gates`` (id, exception) opened."""

    def adapt(base: PrimitiveSpec[Any]) -> PrimitiveSpec[Any]:
        def create(profile: Profile, c: Call) -> Done[Any]:
            r = base.create(profile, c)
            assert r.state is not None
            return Done(r.outcome, replace(r.state, gates=gates), r.clause)

        return replace(base, create=create)

    return adapt


INIT = call(0, "__init__")
DOC27 = PY27.with_strictness(Strictness.DOCUMENTED)
DOC311 = PY311.with_strictness(Strictness.DOCUMENTED)

# -- Lock, RLock -----------------------------------------------------------------------------

LOCK_ALPHABET = lock_scenarios.EXPLORATION_ALPHABET
RLOCK_BASIC = rlock_scenarios.EXPLORATION_ALPHABET
RLOCK_FULL = rlock_scenarios.FULL_EXPLORATION_ALPHABET

LOCK_BOUNDS = (Bound("Lock 3.11", "Lock", PY311, INIT, LOCK_ALPHABET, 3, 2, (268, 1587)),)

RLOCK_BOUNDS = (
    Bound("RLock 3.11 basic", "RLock", PY311, INIT, RLOCK_BASIC, 3, 3, (226, 4384)),
    Bound("RLock 3.11 full", "RLock", PY311, INIT, RLOCK_FULL, 3, 2, (664, 3633)),
    Bound("RLock 2.7 basic", "RLock", PY27, INIT, RLOCK_BASIC, 3, 3, (55, 1324)),
    Bound("RLock 3.14 full", "RLock", PY314, INIT, RLOCK_FULL, 3, 2, (664, 3633)),
    Bound("RLock 3.11 documented basic", "RLock", DOC311, INIT, RLOCK_BASIC, 3, 3, (226, 4384)),
    Bound("RLock 2.7 documented basic", "RLock", DOC27, INIT, RLOCK_BASIC, 3, 3, (85, 1846)),
)

# -- Condition -------------------------------------------------------------------------------

COND_ALPHABET = condition_scenarios.EXPLORATION_ALPHABET
COND_STALE = condition_scenarios.STALE_EXPLORATION_ALPHABET
COND_WAIT_FOR = condition_scenarios.WAIT_FOR_EXPLORATION_ALPHABET
ON_LOCK = call(0, "__init__", New("Lock"))
ON_PY_RLOCK = call(0, "__init__", New(PYTHON_RLOCK))
GATE_1_OPEN = opened_gates(((1, None),))


def _condition(name: str, profile: Profile, init: Call, alphabet: tuple[CallMaker, ...], calls: int,
               pinned: tuple[int, int], adapt: Adapter | None = None) -> Bound:
    return Bound(f"Condition {name}", "Condition", profile, init, alphabet, 3, calls, pinned, adapt)


CONDITION_BOUNDS = (
    _condition("3.11 cpython RLock", PY311, INIT, COND_ALPHABET, 2, (634, 1554)),
    _condition("3.11 cpython Lock", PY311, ON_LOCK, COND_ALPHABET, 2, (805, 2970)),
    _condition("3.11 cpython _PyRLock", PY311, ON_PY_RLOCK, COND_ALPHABET, 2, (634, 1554)),
    _condition("3.11 documented RLock", DOC311, INIT, COND_ALPHABET, 2, (688, 1608)),
    _condition("3.11 documented Lock", DOC311, ON_LOCK, COND_ALPHABET, 2, (2215, 8544)),
    _condition("2.7 cpython RLock", PY27, INIT, COND_ALPHABET, 2, (446, 1288)),
    _condition("2.7 cpython Lock", PY27, ON_LOCK, COND_ALPHABET, 2, (560, 2395)),
    _condition("3.11 cpython RLock, 3 calls each", PY311, INIT, COND_ALPHABET, 3, (5425, 24571)),
    _condition("2.7 cpython Lock, stale entries", PY27, ON_LOCK, COND_STALE, 2, (1160, 3803)),
    _condition("2.7 documented Lock, stale entries", DOC27, ON_LOCK, COND_STALE, 2, (3311, 10202)),
    _condition("3.11 cpython RLock, wait_for", PY311, INIT, COND_WAIT_FOR, 2, (993, 3253), GATE_1_OPEN),
    _condition("3.11 cpython Lock, wait_for", PY311, ON_LOCK, COND_WAIT_FOR, 2, (1365, 5206), GATE_1_OPEN),
    _condition("3.11 documented RLock, wait_for", DOC311, INIT, COND_WAIT_FOR, 2, (1345, 4752), GATE_1_OPEN),
    _condition("3.11 documented Lock, wait_for", DOC311, ON_LOCK, COND_WAIT_FOR, 2, (3232, 12666),
               GATE_1_OPEN),
)

# -- Semaphore, BoundedSemaphore, Event, Barrier ---------------------------------------------

SEM_ALPHABET = semaphore_scenarios.EXPLORATION_ALPHABET
ONE = call(0, "__init__", 1)

SEMAPHORE_BOUNDS = (
    Bound("Semaphore(1) 3.11", "Semaphore", PY311, ONE, SEM_ALPHABET, 3, 2, (260, 1440)),
    Bound("Semaphore(1) 3.11 documented", "Semaphore", DOC311, ONE, SEM_ALPHABET, 3, 2, (158, 1218)),
    Bound("Semaphore(1) 2.7", "Semaphore", PY27, ONE, SEM_ALPHABET, 3, 2, (68, 500)),
    Bound("BoundedSemaphore(2) 3.11", "BoundedSemaphore", PY311, call(0, "__init__", 2), SEM_ALPHABET, 3, 2,
          (171, 790)),
)

EVENT_ALPHABET = event_scenarios.EXPLORATION_ALPHABET

EVENT_BOUNDS = (
    Bound("Event 3.11", "Event", PY311, INIT, EVENT_ALPHABET, 3, 2, (212, 1529)),
    Bound("Event 2.7", "Event", PY27, INIT, EVENT_ALPHABET, 3, 2, (212, 1529)),
)

BARRIER_ALPHABET = barrier_scenarios.EXPLORATION_ALPHABET
BARRIER_GATED = barrier_scenarios.GATED_EXPLORATION_ALPHABET


def _barrier(profile: Profile, args: tuple[Any, ...], pinned: tuple[int, int]) -> Bound:
    gated = any(isinstance(a, Gate) for a in args)
    shown = ", ".join("gated action" if isinstance(a, Gate) else repr(a) for a in args)
    name = f"Barrier({shown}) 3.11{' documented' if not profile.cpython else ''}"
    alphabet = BARRIER_GATED if gated else BARRIER_ALPHABET
    return Bound(name, "Barrier", profile, call(0, "__init__", *args), alphabet, 3, 2, pinned)


BARRIER_BOUNDS = (
    _barrier(PY311, (2,), (494, 2687)),
    _barrier(PY311, (3,), (896, 4415)),
    _barrier(PY311, (2, Gate(1)), (2214, 8653)),
    _barrier(PY311, (3, Gate(1)), (2136, 9193)),
    _barrier(DOC311, (2,), (1484, 7571)),
    _barrier(DOC311, (3,), (2714, 11711)),
    _barrier(DOC311, (2, Gate(1)), (4704, 16729)),
    _barrier(DOC311, (3, Gate(1)), (4386, 16459)),
)

# -- Thread, Timer, local --------------------------------------------------------------------

THREAD_INIT = thread_scenarios.INIT
TIMER_INIT = thread_scenarios.TIMER_INIT
LIFE = thread_scenarios.EXPLORED_ALPHABET
BAD_TIMEOUTS = thread_scenarios.EXPLORED_BAD_TIMEOUT_ALPHABET


def _thread(name: str, profile: Profile, alphabet: tuple[CallMaker, ...], threads: int, calls: int,
            pinned: tuple[int, int]) -> Bound:
    return Bound(f"Thread {name}", "Thread", profile, THREAD_INIT, alphabet, threads, calls, pinned)


THREAD_BOUNDS = (
    _thread("3.11", PY311, LIFE, 2, 3, (773, 3831)),
    _thread("3.11, 3 threads", PY311, LIFE, 3, 2, (6270, 22655)),
    _thread("3.11 documented", DOC311, LIFE, 2, 3, (1329, 5395)),
    _thread("2.7 bad timeouts", PY27, BAD_TIMEOUTS, 2, 3, (50, 425)),
    _thread("3.11 bad timeouts", PY311, BAD_TIMEOUTS, 2, 3, (71, 579)),
    _thread("3.13 bad timeouts", PY313, BAD_TIMEOUTS, 2, 3, (50, 425)),
    _thread("3.11 documented bad timeouts", DOC311, BAD_TIMEOUTS, 2, 3, (185, 1187)),
    _thread("3.11 excepthook", PY311, thread_scenarios.EXPLORED_HOOK_ALPHABET, 2, 3, (163, 866)),
    _thread("3.11 counts", PY311, thread_scenarios.EXPLORED_COUNT_ALPHABET, 2, 2, (15245, 31571)),
    Bound("Timer 3.11", "Timer", PY311, TIMER_INIT, thread_scenarios.EXPLORED_TIMER_ALPHABET, 2, 3,
          (288, 2043)),
    Bound("Timer 3.11, 3 threads", "Timer", PY311, TIMER_INIT, thread_scenarios.EXPLORED_TIMER_ALPHABET, 3, 2,
          (1884, 11188)),
    Bound("ThreadSubclass 3.11", "ThreadSubclass", PY311, subclass_scenarios.INIT,
          subclass_scenarios.EXPLORED_ALPHABET, 2, 3, (202, 1283)),
    Bound("ThreadSubclass 2.7", "ThreadSubclass", PY27, subclass_scenarios.INIT,
          subclass_scenarios.EXPLORED_ALPHABET, 2, 3, (166, 1155)),
)

LOCAL_BOUNDS = (
    Bound("local 3.11", "local", PY311, local_scenarios.INIT, local_scenarios.EXPLORED_ALPHABET, 3, 2,
          (8, 125)),
    Bound("local subclass 3.11", "LocalSubclass", PY311, local_scenarios.SUBCLASS_INIT,
          local_scenarios.EXPLORED_SUBCLASS_ALPHABET, 3, 2, (64, 343)),
)

BOUNDS: tuple[Bound, ...] = (
    *LOCK_BOUNDS,
    *RLOCK_BOUNDS,
    *CONDITION_BOUNDS,
    *SEMAPHORE_BOUNDS,
    *EVENT_BOUNDS,
    *BARRIER_BOUNDS,
    *THREAD_BOUNDS,
    *LOCAL_BOUNDS,
)
"""Every exploration bound, each with its pinned counts (names are unique)."""


def for_primitive(*primitives: str) -> list[Bound]:
    """The bounds of these primitives, in table order."""
    return [b for b in BOUNDS if b.primitive in primitives]


def named(name: str) -> Bound:
    """The bound called ``name``.

    Raises:
      KeyError: no bound has that name.
    """
    for b in BOUNDS:
        if b.name == name:
            return b
    raise KeyError(f"no exploration bound named {name!r}")

