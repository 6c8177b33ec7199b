"""PEP 316 contracts on every spec transition, one function per primitive.

Each function runs a symbolic script (``proofs.crosshair.script``) from the primitive's
initial state under one of ``PROFILES`` and returns the trace; its ``post:`` condition says
that every transition on the way (``invoke``, ``wakeups``, ``expiries``) kept the named
properties of its tuple (``LOCK_PROPERTIES``...): the invariants, the outcome vocabulary,
determinism, and the documented guarantees of the primitive.
``crosshair check --analysis_kind PEP316 --per_condition_timeout 6 proofs.crosshair.contracts``
searches for a script that breaks one; ``proofs.crosshair.check`` does the same through
CrossHair's API and names the broken properties.
"""

from __future__ import annotations

from collections.abc import Callable

from proofs.crosshair.properties import (
    acquire_succeeds_only_when_unlocked,
    bad_timeouts_raise,
    counter_is_initial_plus_released_minus_acquired,
    deterministic,
    in_vocabulary,
    invariants_hold,
    level_is_owner_acquires_minus_releases,
    non_owner_release_raises,
    notify_wakes_at_most_n,
    rejections_change_nothing,
    releases_exactly_parties,
    steps_complete_pending_calls,
    unowned_wait_and_notify_raise,
    wait_releases_the_lock,
    wait_true_only_after_set,
)
from proofs.crosshair.script import INT_LIMIT, Subject, Trace, init_call, moves, run  # noqa: F401 - INT_LIMIT: in pre:
from spec import barrier, condition, event, lock, rlock, semaphore
from spec.profiles import PY27, PY311, PY314, Profile, Strictness
from spec.values import Call, New

PROFILES: tuple[Profile, ...] = (
    PY311,
    PY311.with_strictness(Strictness.DOCUMENTED),
    PY27,
    PY314,
)
"""The profiles a contract's ``p`` chooses from: the host's at both strictness levels, the
oldest and the newest."""

MOVES = 3
"""The length of a contract's script: its parameters ``t1, o1, s1, k1, i1`` ... ``i3``."""

LOCK = Subject("Lock", lock, "create", ("acquire", "release", "locked", "__enter__", "__exit__"))
RLOCK = Subject("RLock", rlock, "create", ("acquire", "release", "locked", "__enter__", "__exit__"))
SEMAPHORE = Subject(
    "Semaphore", semaphore, "create", ("acquire", "release", "__enter__", "__exit__"), (("release", "n"),)
)
BOUNDED = Subject(
    "BoundedSemaphore", semaphore, "create_bounded", SEMAPHORE.ops, SEMAPHORE.keywords
)
EVENT = Subject("Event", event, "create", ("wait", "set", "clear", "is_set", "isSet"))
CONDITION = Subject(
    "Condition", condition, "create", ("acquire", "release", "wait", "notify", "notify_all"),
    (("notify", "n"),), "lock",
)
BARRIER = Subject(
    "Barrier", barrier, "create", ("wait", "reset", "abort", "get:n_waiting", "get:broken"),
    init_keyword="parties",
)

Property = Callable[[Trace], bool]

GENERIC: tuple[Property, ...] = (
    invariants_hold, in_vocabulary, deterministic, steps_complete_pending_calls,
)
"""What every primitive's transitions keep."""
LOCK_PROPERTIES = GENERIC + (
    rejections_change_nothing, acquire_succeeds_only_when_unlocked, bad_timeouts_raise,
)
RLOCK_PROPERTIES = GENERIC + (
    rejections_change_nothing, level_is_owner_acquires_minus_releases, non_owner_release_raises,
)
SEMAPHORE_PROPERTIES = GENERIC + (
    rejections_change_nothing, counter_is_initial_plus_released_minus_acquired,
)
EVENT_PROPERTIES = GENERIC + (rejections_change_nothing, wait_true_only_after_set)
CONDITION_PROPERTIES = GENERIC + (
    notify_wakes_at_most_n, unowned_wait_and_notify_raise, wait_releases_the_lock,
)
BARRIER_PROPERTIES = GENERIC + (releases_exactly_parties,)


def broken(t: Trace, properties: tuple[Property, ...]) -> list[str]:
    """The names of the ``properties`` that trace ``t`` breaks."""
    return [p.__name__ for p in properties if not p(t)]


def holds(t: Trace, properties: tuple[Property, ...]) -> bool:
    """Does trace ``t`` keep every one of ``properties``?

    Each contract has this one postcondition over a tuple of named properties, rather than
    one ``post:`` line per property, because CrossHair spends its whole per-condition budget
    on every postcondition that holds; a counterexample is replayed (``broken``) to name the
    properties it breaks.
    """
    return all(p(t) for p in properties)


SUBJECTS = (LOCK, RLOCK, SEMAPHORE, BOUNDED, EVENT, CONDITION, BARRIER)

CONDITION_LOCKS = (None, New("Lock"), New("RLock"), New("_PyRLock"))


def lock_contracts(
    p: int, t1: int, o1: int, a1: int, i1: int,
    t2: int, o2: int, a2: int, i2: int, t3: int, o3: int, a3: int, i3: int,
) -> Trace:
    """Lock: every transition keeps the invariants and the documented guarantees.

    pre: 0 <= p < len(PROFILES)
    pre: all(-INT_LIMIT <= x <= INT_LIMIT for x in (i1, i2, i3))
    post: holds(__return__, LOCK_PROPERTIES)
    """
    script = moves(t1, o1, a1, i1, t2, o2, a2, i2, t3, o3, a3, i3)
    return run(LOCK, PROFILES[p], Call(0, "__init__"), script)


def rlock_contracts(
    p: int, t1: int, o1: int, a1: int, i1: int,
    t2: int, o2: int, a2: int, i2: int, t3: int, o3: int, a3: int, i3: int,
) -> Trace:
    """RLock: every transition keeps the invariants and the documented guarantees.

    pre: 0 <= p < len(PROFILES)
    pre: all(-INT_LIMIT <= x <= INT_LIMIT for x in (i1, i2, i3))
    post: holds(__return__, RLOCK_PROPERTIES)
    """
    script = moves(t1, o1, a1, i1, t2, o2, a2, i2, t3, o3, a3, i3)
    return run(RLOCK, PROFILES[p], Call(0, "__init__"), script)


def semaphore_contracts(
    p: int, a0: int, i0: int, t1: int, o1: int, a1: int, i1: int,
    t2: int, o2: int, a2: int, i2: int, t3: int, o3: int, a3: int, i3: int,
) -> Trace:
    """Semaphore(value), the value chosen by ``a0, i0`` like a move's argument: every
    transition keeps the invariants and the documented guarantees.

    pre: 0 <= p < len(PROFILES)
    pre: all(-INT_LIMIT <= x <= INT_LIMIT for x in (i0, i1, i2, i3))
    post: holds(__return__, SEMAPHORE_PROPERTIES)
    """
    script = moves(t1, o1, a1, i1, t2, o2, a2, i2, t3, o3, a3, i3)
    return run(SEMAPHORE, PROFILES[p], init_call(SEMAPHORE, a0, i0), script)


def bounded_semaphore_contracts(
    p: int, a0: int, i0: int, t1: int, o1: int, a1: int, i1: int,
    t2: int, o2: int, a2: int, i2: int, t3: int, o3: int, a3: int, i3: int,
) -> Trace:
    """BoundedSemaphore(value): every transition keeps the invariants (the counter never above
    the initial value) and the documented guarantees.

    pre: 0 <= p < len(PROFILES)
    pre: all(-INT_LIMIT <= x <= INT_LIMIT for x in (i0, i1, i2, i3))
    post: holds(__return__, SEMAPHORE_PROPERTIES)
    """
    script = moves(t1, o1, a1, i1, t2, o2, a2, i2, t3, o3, a3, i3)
    return run(BOUNDED, PROFILES[p], init_call(BOUNDED, a0, i0), script)


def event_contracts(
    p: int, t1: int, o1: int, a1: int, i1: int,
    t2: int, o2: int, a2: int, i2: int, t3: int, o3: int, a3: int, i3: int,
) -> Trace:
    """Event: every transition keeps the invariants and the documented guarantees.

    pre: 0 <= p < len(PROFILES)
    pre: all(-INT_LIMIT <= x <= INT_LIMIT for x in (i1, i2, i3))
    post: holds(__return__, EVENT_PROPERTIES)
    """
    script = moves(t1, o1, a1, i1, t2, o2, a2, i2, t3, o3, a3, i3)
    return run(EVENT, PROFILES[p], Call(0, "__init__"), script)


def condition_contracts(
    p: int, lock: int, t1: int, o1: int, a1: int, i1: int,
    t2: int, o2: int, a2: int, i2: int, t3: int, o3: int, a3: int, i3: int,
) -> Trace:
    """Condition(lock): every transition keeps the invariants and the documented guarantees.

    pre: 0 <= p < len(PROFILES)
    pre: 0 <= lock < len(CONDITION_LOCKS)
    pre: all(-INT_LIMIT <= x <= INT_LIMIT for x in (i1, i2, i3))
    post: holds(__return__, CONDITION_PROPERTIES)
    """
    given = CONDITION_LOCKS[lock]
    init = Call(0, "__init__", () if given is None else (given,))
    script = moves(t1, o1, a1, i1, t2, o2, a2, i2, t3, o3, a3, i3)
    return run(CONDITION, PROFILES[p], init, script)


def barrier_contracts(
    p: int, a0: int, i0: int, t1: int, o1: int, a1: int, i1: int,
    t2: int, o2: int, a2: int, i2: int, t3: int, o3: int, a3: int, i3: int,
) -> Trace:
    """Barrier(parties), the parties chosen by ``a0, i0`` like a move's argument: every
    transition keeps the invariants and the documented guarantees.

    pre: 0 <= p < len(PROFILES)
    pre: all(-INT_LIMIT <= x <= INT_LIMIT for x in (i0, i1, i2, i3))
    post: holds(__return__, BARRIER_PROPERTIES)
    """
    script = moves(t1, o1, a1, i1, t2, o2, a2, i2, t3, o3, a3, i3)
    return run(BARRIER, PROFILES[p], init_call(BARRIER, a0, i0), script)


CONTRACTS: dict[str, tuple[Callable[..., Trace], tuple[Property, ...]]] = {
    "Lock": (lock_contracts, LOCK_PROPERTIES),
    "RLock": (rlock_contracts, RLOCK_PROPERTIES),
    "Semaphore": (semaphore_contracts, SEMAPHORE_PROPERTIES),
    "BoundedSemaphore": (bounded_semaphore_contracts, SEMAPHORE_PROPERTIES),
    "Event": (event_contracts, EVENT_PROPERTIES),
    "Condition": (condition_contracts, CONDITION_PROPERTIES),
    "Barrier": (barrier_contracts, BARRIER_PROPERTIES),
}
"""The contract function of each primitive, by its name in ``spec.PRIMITIVES``."""
