"""Condition spec: one test per clause, and exhaustive explorations with pinned state counts."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

import pytest

from proofs import bounds
from spec import condition as cond
from spec import condition_lock as cl
from spec import lockstep
from spec.clauses import REGISTRY
from spec.core import Step
from spec.explore import explore
from spec.profiles import PY27, PY36, PY39, PY310, PY311, PY313, PY314, Strictness
from spec.values import ANY, ENV, Gate, New, Raised, Returned, call
from tests.spec import helpers
from tests.spec.helpers import blocked, done

INIT = call(0, "__init__")
DOC311 = PY311.with_strictness(Strictness.DOCUMENTED)


def fresh(profile=PY311, lock=None) -> cond.State:
    return helpers.fresh(cond.SPEC, *(() if lock is None else (New(lock),)), profile=profile)


run = partial(helpers.run, cond.SPEC)
block = partial(helpers.block, cond.SPEC)


def step_of(steps, thread):
    (st,) = [st for st in steps if st.thread == thread]
    return st


def wakeup(s, thread):
    return step_of(list(cond.wakeups(s)), thread)


def expiry(s, thread):
    return step_of(list(cond.expiries(s)), thread)


def waiting(profile=PY311, lock=None, threads=(1,), timeout=None):
    """Each of ``threads`` acquires and waits (in that order); the lock ends up free."""
    s = fresh(profile, lock)
    for t in threads:
        s = run(s, call(t, "acquire"))
        s = block(s, call(t, "wait") if timeout is None else call(t, "wait", timeout))
    return s


# -- constructor ---------------------------------------------------------------


def test_init_default_creates_rlock() -> None:
    r = cond.create(PY311, INIT)
    assert r.outcome == Returned(None) and r.clause == cond.INIT_DEFAULT_CREATES_RLOCK
    assert r.state is not None and r.state.kind is lockstep.LockKind.RLOCK and not r.state.locked
    assert cond.create(PY311, call(0, "__init__", None)).clause == cond.INIT_DEFAULT_CREATES_RLOCK


@pytest.mark.parametrize("kind", ["Lock", "RLock"])
def test_init_uses_given_lock(kind) -> None:
    r = cond.create(PY311, call(0, "__init__", lock=New(kind)))
    assert r.clause == cond.INIT_USES_GIVEN_LOCK and r.state is not None and r.state.kind.value == kind


@pytest.mark.parametrize(
    "profile,args,kwargs,exc",
    [(PY311, (None, None), {}, "TypeError"), (PY311, (), {"verbose": 1}, "TypeError"),
     (PY27, (None, None, None), {}, "TypeError"), (PY311, (1,), {}, "AttributeError"),
     (PY27, ("x",), {}, "AttributeError")],
)
def test_init_bad_arguments_raise(profile, args, kwargs, exc) -> None:
    r = cond.create(profile, call(0, "__init__", *args, **kwargs))
    assert r.outcome == Raised(exc) and r.state is None and r.clause == cond.INIT_BAD_ARGUMENTS_RAISE


def test_init_27_takes_verbose() -> None:
    assert cond.create(PY27, call(0, "__init__", New("Lock"), None)).outcome == Returned(None)


def test_init_over_other_primitives_is_outside_the_spec() -> None:
    with pytest.raises(ValueError):
        cond.create(PY311, call(0, "__init__", New("Semaphore")))


def test_init_over_python_rlock_class() -> None:
    # CPython's threading._PyRLock: an RLock whose re-entrant acquire returns 1 without
    # checking its arguments and whose __exit__ takes exactly (t, v, tb); absent in 2.7
    r = cond.create(PY311, call(0, "__init__", New(cond.PYTHON_RLOCK)))
    assert r.outcome == Returned(None) and r.clause == cond.INIT_USES_GIVEN_LOCK
    assert r.state is not None and r.state.kind is lockstep.LockKind.RLOCK and r.state.python_rlock
    r27 = cond.create(PY27, call(0, "__init__", New(cond.PYTHON_RLOCK)))
    assert r27.outcome == Raised("AttributeError") and r27.state is None
    s = run(r.state, call(0, "acquire"))
    for c in (call(0, "acquire"), call(0, "acquire", timeout=-2), call(0, "__enter__")):
        d = done(cond.invoke(s, c))
        assert d.outcome == Returned(1) and type(d.outcome.value) is int and d.state.level == 2
    assert done(cond.invoke(s, call(0, "acquire", 1, 2, 3))).outcome == Raised("TypeError")
    assert done(cond.invoke(s, call(1, "acquire", False))).outcome == Returned(False)
    assert done(cond.invoke(s, call(0, "__exit__"))).outcome == Raised("TypeError")
    assert done(cond.invoke(s, call(0, "__exit__", None, None, None))).outcome == Returned(None)
    s = run(s, call(0, "acquire"))
    r2 = blocked(cond.invoke(s, call(0, "wait")))
    assert not r2.state.locked
    s = run(r2.state, call(1, "acquire"), call(1, "notify"), call(1, "release"))
    st = wakeup(s, 0)
    assert st.outcome == Returned(True) and (st.state.owner, st.state.level) == (0, 2)


# -- the underlying lock -------------------------------------------------------


@pytest.mark.parametrize("lock", ["Lock", "RLock"])
def test_acquire_calls_lock_acquire(lock) -> None:
    r = done(cond.invoke(fresh(lock=lock), call(0, "acquire")))
    assert r.outcome == Returned(True) and r.clause == cl.ACQUIRE_CALLS_LOCK_ACQUIRE
    assert (r.state.owner, r.state.level) == (0, 1)


@pytest.mark.parametrize("profile,value", [(PY311, True), (PY27, 1)])
def test_acquire_rlock_owner_reenters(profile, value) -> None:
    s = run(fresh(profile), call(0, "acquire"))
    r = done(cond.invoke(s, call(0, "acquire")))
    assert r.outcome == Returned(value) and r.state.level == 2
    assert r.clause == cl.ACQUIRE_RLOCK_OWNER_REENTERS
    assert type(r.outcome.value) is type(value)


@pytest.mark.parametrize("lock,thread", [("Lock", 0), ("Lock", 1), ("RLock", 1)])
def test_acquire_held_lock_blocks(lock, thread) -> None:
    s = run(fresh(lock=lock), call(0, "acquire"))
    r = blocked(cond.invoke(s, call(thread, "acquire")))
    assert r.clause == cl.ACQUIRE_HELD_LOCK_BLOCKS
    assert r.state.acquirers == (lockstep.Acquirer(thread, False),)


def test_acquire_nonblocking_returns_false() -> None:
    s = run(fresh(), call(0, "acquire"))
    r = done(cond.invoke(s, call(1, "acquire", False)))
    assert r.outcome == Returned(False) and r.state == s
    assert r.clause == cl.ACQUIRE_NONBLOCKING_RETURNS_FALSE


def test_acquire_timeout_returns_false() -> None:
    s = run(fresh(), call(0, "acquire"))
    b = block(s, call(1, "acquire", timeout=0.5))
    st = expiry(b, 1)
    assert st.outcome == Returned(False) and st.state == s and st.clause == cl.ACQUIRE_TIMEOUT_RETURNS_FALSE
    assert list(cond.expiries(block(s, call(1, "acquire")))) == []


@pytest.mark.parametrize(
    "args,kwargs,exc",
    [((False, 1), {}, "ValueError"), ((), {"timeout": -2}, "ValueError"),
     ((), {"timeout": float("nan")}, "ValueError"), ((), {"timeout": float("inf")}, "OverflowError"),
     ((), {"timeout": "1"}, "TypeError")],
)
@pytest.mark.parametrize("lock", ["Lock", "RLock"])
def test_acquire_bad_timeout_raises(lock, args, kwargs, exc) -> None:
    r = done(cond.invoke(fresh(lock=lock), call(0, "acquire", *args, **kwargs)))
    undocumented = exc in ("ValueError", "TypeError") and args[:1] != (False,)  # CPython's reading
    which = cl.ACQUIRE_UNDOCUMENTED_TIMEOUT_RAISES if undocumented else cl.ACQUIRE_BAD_TIMEOUT_RAISES
    assert r.outcome == Raised(exc) and r.clause == which


@pytest.mark.parametrize(
    "lock,args,kwargs,outcome",
    [("Lock", (), {"blocking": False}, Raised("TypeError")), ("Lock", (True, -1), {}, Raised("TypeError")),
     ("RLock", (), {"timeout": 1}, Raised("TypeError")), ("RLock", (), {"blocking": 0}, Returned(True))],
)
def test_acquire_no_timeout_in_27(lock, args, kwargs, outcome) -> None:
    r = done(cond.invoke(fresh(PY27, lock), call(0, "acquire", *args, **kwargs)))
    assert r.outcome == outcome
    if isinstance(outcome, Raised):
        assert r.clause == cl.ACQUIRE_NO_TIMEOUT_IN_2_7


@pytest.mark.parametrize("lock", ["Lock", "RLock"])
def test_release_hands_lock_to_one_blocked_thread(lock) -> None:
    s = run(fresh(lock=lock), call(0, "acquire"))
    s = block(s, call(1, "acquire"), call(2, "__enter__"))
    s = run(s, call(0, "release"))
    steps = list(cond.wakeups(s))
    assert {st.thread for st in steps} == {1, 2}
    assert all(st.outcome == Returned(True) for st in steps)
    assert all(st.clause == cl.RELEASE_ONE_BLOCKED_THREAD_PROCEEDS for st in steps)
    assert all(st.state.owner == st.thread and len(st.state.acquirers) == 1 for st in steps)


@pytest.mark.parametrize("lock", ["Lock", "RLock"])
def test_release_calls_lock_release(lock) -> None:
    s = run(fresh(lock=lock), call(0, "acquire"))
    r = done(cond.invoke(s, call(0, "release")))
    assert r.outcome == Returned(None) and not r.state.locked and r.clause == cl.RELEASE_CALLS_LOCK_RELEASE


def test_release_of_plain_lock_from_any_thread() -> None:
    s = run(fresh(lock="Lock"), call(0, "acquire"))
    assert not done(cond.invoke(s, call(1, "release"))).state.locked


def test_release_rlock_decrements_level() -> None:
    s = run(fresh(), call(0, "acquire"), call(0, "acquire"))
    r = done(cond.invoke(s, call(0, "release")))
    assert (r.state.owner, r.state.level) == (0, 1) and r.clause == cl.RELEASE_RLOCK_DECREMENTS_LEVEL


@pytest.mark.parametrize("profile,exc", [(PY311, "RuntimeError"), (PY27, "ThreadError")])
def test_release_unlocked_lock_raises(profile, exc) -> None:
    r = done(cond.invoke(fresh(profile, "Lock"), call(0, "release")))
    assert r.outcome == Raised(exc) and r.clause == cl.RELEASE_UNLOCKED_LOCK_RAISES


@pytest.mark.parametrize("profile", [PY27, PY311])
def test_release_rlock_not_owned_raises(profile) -> None:
    s = run(fresh(profile), call(0, "acquire"))
    for who in (0, 1):
        r = done(cond.invoke(fresh(profile) if who == 0 else s, call(who, "release")))
        assert r.outcome == Raised("RuntimeError") and r.clause == cl.RELEASE_RLOCK_NOT_OWNED_RAISES


@pytest.mark.parametrize("lock", ["Lock", "RLock"])
def test_with_acquires_and_releases(lock) -> None:
    r = done(cond.invoke(fresh(lock=lock), call(0, "__enter__")))
    assert r.outcome == Returned(True) and r.state.owner == 0 and r.clause == cl.WITH_ACQUIRES_AND_RELEASES
    r = done(cond.invoke(r.state, call(0, "__exit__", None, None, None)))
    assert r.outcome == Returned(None) and not r.state.locked and r.clause == cl.WITH_ACQUIRES_AND_RELEASES


@pytest.mark.parametrize("lock", ["Lock", "RLock"])
def test_with_enter_value_is_open_at_documented_strictness(lock) -> None:
    # PyPy's lock __enter__ returns the lock itself, which Condition.__enter__ passes on
    r = done(cond.invoke(fresh(DOC311, lock), call(0, "__enter__")))
    assert r.outcome == Returned(ANY) and r.state.owner == 0 and r.clause == cl.WITH_ACQUIRES_AND_RELEASES
    s = block(r.state, call(1, "__enter__"), call(2, "acquire"))
    s = run(s, call(0, "__exit__", None, None, None))
    got = {st.thread: st.outcome for st in cond.wakeups(s)}
    assert got == {1: Returned(ANY), 2: Returned(True)}
    s = block(run(fresh(PY311, lock), call(0, "acquire")), call(1, "__enter__"))
    s = run(s, call(0, "release"))
    assert [st.outcome for st in cond.wakeups(s)] == [Returned(True)]


@pytest.mark.parametrize(
    "kwargs,exc,cpython",
    [(dict(timeout=float("nan")), "Exception", "ValueError"), (dict(timeout=-2), "Exception", "ValueError"),
     (dict(blocking=False, timeout=1), "Exception", "ValueError"),
     (dict(timeout=float("inf")), "OverflowError", "OverflowError"),
     (dict(timeout=10**400), "OverflowError", "OverflowError"),
     (dict(timeout=-(10**400)), "Exception", "OverflowError"),
     # two rules reject it, and which is checked first is not said (PyPy: ValueError)
     (dict(blocking=False, timeout=float("inf")), "Exception", "OverflowError")],
)
def test_acquire_rejected_timeout_type_is_open_at_documented_strictness(kwargs, exc, cpython) -> None:
    # PyPy raises OverflowError for a NaN timeout; the documentation names no type there
    r = done(cond.invoke(fresh(DOC311), call(0, "acquire", **kwargs)))
    undocumented = "blocking" not in kwargs and exc == "Exception"  # a NaN or -2: CPython's reading
    which = cl.ACQUIRE_UNDOCUMENTED_TIMEOUT_RAISES if undocumented else cl.ACQUIRE_BAD_TIMEOUT_RAISES
    assert r.outcome == Raised(exc) and r.clause == which
    r = done(cond.invoke(fresh(PY311), call(0, "acquire", **kwargs)))
    assert r.outcome == Raised(cpython)


def test_with_exit_arguments() -> None:
    s = run(fresh(PY27), call(0, "acquire"))
    assert done(cond.invoke(s, call(0, "__exit__"))).outcome == Raised("TypeError")
    s = run(fresh(PY311), call(0, "acquire"))
    assert done(cond.invoke(s, call(0, "__exit__"))).outcome == Returned(None)
    assert done(cond.invoke(s, call(0, "__enter__", 1))).outcome == Raised("TypeError")


def test_locked_reports_lock_state_since_314() -> None:
    s = fresh(PY314)
    assert done(cond.invoke(s, call(0, "locked"))).outcome == Returned(False)
    r = done(cond.invoke(run(s, call(0, "acquire")), call(1, "locked")))
    assert r.outcome == Returned(True) and r.clause == cl.LOCKED_REPORTS_LOCK_STATE
    assert done(cond.invoke(fresh(PY313), call(0, "locked"))).outcome == Raised("AttributeError")


# -- ownership -----------------------------------------------------------------


@pytest.mark.parametrize("lock,holder", [("RLock", None), ("RLock", 1), ("Lock", None)])
@pytest.mark.parametrize(
    "op,args,which",
    [("wait", (), cond.WAIT_UNOWNED_RAISES), ("notify", (), cond.NOTIFY_UNOWNED_RAISES),
     ("notify_all", (), cond.NOTIFY_ALL_UNOWNED_RAISES), ("wait_for", (Gate(1),), cond.WAIT_UNOWNED_RAISES)],
)
def test_wait_and_notify_unowned_raise(lock, holder, op, args, which) -> None:
    s = run(fresh(lock=lock), call(ENV, "gate.open", 1))
    if holder is not None:
        s = run(s, call(holder, "acquire"))
    r = done(cond.invoke(s, call(0, op, *args)))
    assert r.outcome == Raised("RuntimeError") and r.state == s and r.clause == which


def test_plain_lock_held_by_anyone_counts_in_cpython() -> None:
    s = waiting(lock="Lock", threads=(1,))
    s = run(s, call(0, "acquire"))
    r = done(cond.invoke(s, call(2, "notify")))
    assert r.outcome == Returned(None) and r.clause == cond.OWNERSHIP_PLAIN_LOCK_HELD_BY_ANYONE_COUNTS
    assert r.state.sleeper(1).notified
    b = blocked(cond.invoke(s, call(2, "wait")))
    assert b.clause == cond.OWNERSHIP_PLAIN_LOCK_HELD_BY_ANYONE_COUNTS
    assert not b.state.locked  # t0's lock released by t2


@pytest.mark.parametrize("op", ["wait", "notify", "notify_all"])
def test_plain_lock_held_by_another_is_undecided_when_documented(op) -> None:
    s = run(fresh(DOC311, "Lock"), call(0, "acquire"))
    b = blocked(cond.invoke(s, call(1, op)))
    steps = list(cond.wakeups(b.state))
    assert [st.thread for st in steps] == [1, 1]
    assert steps[0].outcome == Raised("RuntimeError") and steps[0].state == s
    assert steps[1].outcome == (None if op == "wait" else Returned(None))
    s2 = run(b.state, call(0, "release"))
    (only,) = cond.wakeups(s2)
    assert only.outcome == Raised("RuntimeError")


# -- wait ----------------------------------------------------------------------


def test_wait_releases_lock_and_blocks() -> None:
    s = run(fresh(), call(0, "acquire"))
    r = blocked(cond.invoke(s, call(0, "wait")))
    assert r.clause == cond.WAIT_RELEASES_LOCK_AND_BLOCKS and not r.state.locked and r.state.queue == (0,)
    assert r.state.sleeper(0) == cond.Sleeper(0, cond.WaitStage.WAITING, cond.Limit.NONE, 1)
    assert list(cond.wakeups(r.state)) == [] and list(cond.expiries(r.state)) == []


def test_wait_rlock_releases_all_levels_and_restores_them() -> None:
    s = run(fresh(), call(0, "acquire"), call(0, "acquire"), call(0, "acquire"))
    r = blocked(cond.invoke(s, call(0, "wait")))
    assert r.clause == cond.WAIT_RLOCK_RELEASES_ALL_LEVELS and not r.state.locked
    s = run(r.state, call(1, "acquire"), call(1, "notify"), call(1, "release"))
    st = wakeup(s, 0)
    assert st.outcome == Returned(True) and (st.state.owner, st.state.level) == (0, 3)


@pytest.mark.parametrize("value", [0, -1, float("nan"), float("-inf")])
def test_wait_nonpositive_timeout_does_not_sleep(value) -> None:
    s = run(fresh(), call(0, "acquire"))
    r = blocked(cond.invoke(s, call(0, "wait", value)))
    assert r.clause == cond.WAIT_NONPOSITIVE_TIMEOUT_DOES_NOT_SLEEP and not r.state.locked
    assert cond.timeout(call(0, "wait", value)) == 0.0
    st = expiry(r.state, 0)
    assert st.outcome is None
    assert wakeup(st.state, 0).outcome == Returned(False)


def test_wait_timeout_expires_then_reacquires() -> None:
    s = waiting(threads=(1,), timeout=0.5)
    s = run(s, call(0, "acquire"))
    st = expiry(s, 1)
    assert st.outcome is None and st.clause == cond.WAIT_TIMEOUT_EXPIRES
    assert list(cond.wakeups(st.state)) == []  # t0 holds the lock: t1 cannot return yet
    s = run(st.state, call(0, "release"))
    back = wakeup(s, 1)
    assert back.outcome == Returned(False) and back.clause == cond.WAIT_RETURNS_FALSE_AFTER_TIMEOUT
    assert back.state.owner == 1 and back.state.queue == ()


def test_wait_returns_true_when_notified() -> None:
    s = waiting(threads=(1,), timeout=0.5)
    s = run(s, call(0, "acquire"), call(0, "notify"))
    assert list(cond.expiries(s)) == [] and list(cond.wakeups(s)) == []
    s = run(s, call(0, "release"))
    back = wakeup(s, 1)
    assert back.outcome == Returned(True) and back.clause == cond.WAIT_RETURNS_TRUE_WHEN_NOTIFIED


@pytest.mark.parametrize("timeout", [None, 0.5])
def test_wait_returns_none_in_27(timeout) -> None:
    s = waiting(PY27, threads=(1,), timeout=timeout)
    s = run(s, call(0, "acquire"), call(0, "notify"), call(0, "release"))
    back = wakeup(s, 1)
    assert back.outcome == Returned(None) and back.clause == cond.WAIT_RETURNS_NONE_IN_2_7


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_wait_27_nan_or_infinite_timeout_never_expires(value) -> None:
    s = waiting(PY27, threads=(1,), timeout=value)
    assert list(cond.expiries(s)) == []


@pytest.mark.parametrize("value,exc", [(float("inf"), "OverflowError"), (1e300, "OverflowError"),
                                       (10**30, "OverflowError"), ("1", "TypeError")])
def test_wait_bad_timeout_raises_after_reacquiring(value, exc) -> None:
    s = run(fresh(), call(0, "acquire"), call(0, "acquire"))
    s = block(s, call(1, "acquire"))
    r = blocked(cond.invoke(s, call(0, "wait", value)))
    assert r.clause == cond.WAIT_BAD_TIMEOUT_RAISES_AFTER_REACQUIRING and not r.state.locked
    # t1 may take the lock first; t0 then waits for it before raising
    assert {st.thread for st in cond.wakeups(r.state)} == {0, 1}
    back = wakeup(r.state, 0)
    assert back.outcome == Raised(exc) and back.state.level == 2 and back.state.queue == ()


def test_wait_27_bad_timeout_leaves_stale_entry() -> None:
    s = run(fresh(PY27), call(0, "acquire"))
    s = blocked(cond.invoke(s, call(0, "wait", "1"))).state
    back = wakeup(s, 0)
    assert back.outcome == Raised("TypeError") and back.clause == cond.WAIT_BAD_TIMEOUT_LEAVES_STALE_ENTRY
    assert back.state.queue == (cond.STALE,)
    s = block(back.state, call(0, "wait"))  # t0 waits for real, behind the stale entry
    s = run(s, call(1, "acquire"), call(1, "notify"), call(1, "release"))
    assert s.sleeper(0).stage is cond.WaitStage.WAITING and s.queue == (0,)  # the wakeup was spent


def test_wait_27_stale_entry_may_spend_a_documented_notify() -> None:
    s = run(fresh(PY27.with_strictness(Strictness.DOCUMENTED)), call(0, "acquire"))
    s = blocked(cond.invoke(s, call(0, "wait", "1"))).state
    s = wakeup(s, 0).state
    assert s.queue == (cond.STALE,)
    s = block(s, call(0, "wait"))
    s = run(s, call(1, "acquire"), call(1, "notify"))
    steps = [st for st in cond.wakeups(s) if st.clause == cond.NOTIFY_WAKES_AT_MOST_N]
    # the wakeup goes to t0, or to the stale entry (credited to t0)
    assert [st.thread for st in steps] == [0, 0]
    assert {st.state.queue for st in steps} == {(0,), (cond.STALE,)}
    # or (may-wake-more-than-n) to the stale entry and t0 as well
    extra = [st for st in cond.wakeups(s) if st.clause == cond.NOTIFY_MAY_WAKE_MORE_THAN_N]
    assert [(st.thread, st.state.queue) for st in extra] == [(0, ())]


def test_documented_notify_with_only_stale_entries_is_settled_at_once() -> None:
    s = run(fresh(PY27.with_strictness(Strictness.DOCUMENTED)), call(0, "acquire"))
    for _ in range(2):
        s = wakeup(blocked(cond.invoke(s, call(0, "wait", "1"))).state, 0).state
    r = done(cond.invoke(s, call(0, "notify")))
    assert r.state.queue == (cond.STALE,) and r.state.owed == ()


# -- notify --------------------------------------------------------------------


def test_notify_no_op_without_waiters() -> None:
    s = run(fresh(), call(0, "acquire"))
    r = done(cond.invoke(s, call(0, "notify")))
    assert r.outcome == Returned(None) and r.state == s and r.clause == cond.NOTIFY_NO_OP_WITHOUT_WAITERS


def test_notify_wakes_exactly_n_in_fifo_order() -> None:
    s = waiting(threads=(2, 0, 1))
    r = done(cond.invoke(run(s, call(3, "acquire")), call(3, "notify", 2)))
    assert r.clause == cond.NOTIFY_WAKES_EXACTLY_N_IN_FIFO_ORDER and r.state.queue == (1,)
    assert [w.thread for w in r.state.sleepers if w.notified] == [0, 2]


def test_notify_wakes_at_most_n_when_fewer_wait() -> None:
    s = run(waiting(threads=(1, 2)), call(0, "acquire"))
    r = done(cond.invoke(s, call(0, "notify", 3)))
    assert r.clause == cond.NOTIFY_WAKES_AT_MOST_N and r.state.queue == ()


def test_notify_wakes_at_most_n_in_any_order_when_documented() -> None:
    s = waiting(DOC311, threads=(2, 0, 1))
    r = done(cond.invoke(run(s, call(3, "acquire")), call(3, "notify", 2)))
    assert r.clause == cond.NOTIFY_WAKES_AT_MOST_N and r.state.owed == (cond.Owed(2, 3),)
    assert list(cond.expiries(r.state)) == []
    chosen = set()
    for first in _at_most_n(cond.wakeups(r.state)):
        for second in _at_most_n(cond.wakeups(first.state)):
            assert not second.state.owed
            chosen.add(frozenset(w.thread for w in second.state.sleepers if w.notified))
    assert chosen == {frozenset({0, 1}), frozenset({0, 2}), frozenset({1, 2})}


def _at_most_n(steps: Iterable[Step[cond.State]]) -> list[Step[cond.State]]:
    return [st for st in steps if st.clause == cond.NOTIFY_WAKES_AT_MOST_N]


def _more_than_n(steps: Iterable[Step[cond.State]]) -> list[Step[cond.State]]:
    return [st for st in steps if st.clause == cond.NOTIFY_MAY_WAKE_MORE_THAN_N]


def _notified(s: cond.State) -> frozenset[int]:
    return frozenset(w.thread for w in s.sleepers if w.notified)


def test_notify_may_wake_more_than_n_when_documented() -> None:
    s = waiting(DOC311, threads=(2, 0, 1))
    r = done(cond.invoke(run(s, call(3, "acquire")), call(3, "notify")))
    extra = _more_than_n(cond.wakeups(r.state))
    assert {_notified(st.state) for st in extra} == {frozenset({0, 1}), frozenset({0, 2}), frozenset({1, 2})}
    assert all(not st.state.owed and st.state.queue == tuple(set(range(3)) - _notified(st.state))
               for st in extra)
    which = REGISTRY[cond.NOTIFY_MAY_WAKE_MORE_THAN_N]
    assert which.applies_to(DOC311) and not which.applies_to(PY311) and which.applies_to_version(PY311)


def test_notify_wakes_no_more_than_n_at_cpython_strictness() -> None:
    s = waiting(PY311, threads=(2, 0, 1))
    r = done(cond.invoke(run(s, call(3, "acquire")), call(3, "notify")))
    assert not r.state.owed and _notified(r.state) == {2}
    assert _more_than_n(cond.wakeups(r.state)) == []


def test_extra_wakeup_never_takes_a_waiter_a_later_notify_is_owed() -> None:
    s = run(waiting(DOC311, threads=(0, 1, 2)), call(3, "acquire"), call(3, "notify"))
    assert _more_than_n(cond.wakeups(s))  # alone, the first notify may wake two
    s = run(s, call(3, "notify", 2))  # now the three waiters are owed one wakeup each
    assert s.owed == (cond.Owed(1, 3), cond.Owed(2, 3))
    assert _more_than_n(cond.wakeups(s)) == [] and len(_at_most_n(cond.wakeups(s))) == 3


def test_documented_notify_goes_only_to_threads_waiting_at_the_call() -> None:
    s = waiting(DOC311, threads=(1, 2))
    s = run(s, call(0, "acquire"), call(0, "notify"), call(0, "release"), call(0, "acquire"))
    s = block(s, call(0, "wait"))  # t0 arrives after the notify
    assert {st.thread for st in cond.wakeups(s)} == {1, 2}


@pytest.mark.parametrize("profile,n", [(PY311, 0), (PY311, -1), (PY311, -0.5), (PY36, 0), (PY27, 0)])
def test_notify_n_below_one_wakes_none(profile, n) -> None:
    s = run(waiting(profile, threads=(1,)), call(0, "acquire"))
    r = done(cond.invoke(s, call(0, "notify", n)))
    assert r.outcome == Returned(None) and r.state == s and r.clause == cond.NOTIFY_N_BELOW_ONE_WAKES_NONE


def test_notify_positive_fraction_rounds_up_since_39() -> None:
    s = run(waiting(PY39, threads=(1, 2, 3)), call(0, "acquire"))
    assert done(cond.invoke(s, call(0, "notify", 1.5))).state.queue == (3,)


def test_notify_negative_n_spares_last_waiters_in_27() -> None:
    s = run(waiting(PY27, threads=(1, 2, 3)), call(0, "acquire"))
    r = done(cond.invoke(s, call(0, "notify", -1)))
    assert r.clause == cond.NOTIFY_NEGATIVE_N_SPARES_LAST_WAITERS and r.state.queue == (3,)


@pytest.mark.parametrize(
    "profile,n,with_waiter,outcome",
    [(PY27, 1.5, False, Raised("TypeError")), (PY27, "x", True, Raised("TypeError")),
     (PY27, None, True, Returned(None)),
     (PY36, -1, False, Raised("ValueError")), (PY36, 1.5, True, Raised("ValueError")),
     (PY36, 2**63, True, Raised("ValueError")), (PY36, None, True, Returned(None)),
     (PY39, "x", False, Returned(None)), (PY39, "x", True, Raised("TypeError")),
     (PY311, None, True, Raised("TypeError"))],
)
def test_notify_bad_n_raises(profile, n, with_waiter, outcome) -> None:
    s = waiting(profile, threads=(1,)) if with_waiter else fresh(profile)
    s = run(s, call(0, "acquire"))
    r = done(cond.invoke(s, call(0, "notify", n)))
    assert r.outcome == outcome
    if isinstance(outcome, Raised):
        assert r.clause == cond.NOTIFY_BAD_N_RAISES and r.state == s


def test_notify_spends_wakeup_on_timed_out_waiter_in_3x() -> None:
    s = waiting(threads=(1,), timeout=0.5)
    s = block(run(s, call(2, "acquire")), call(2, "wait"))  # queue: t1 (timed), t2
    s = run(s, call(0, "acquire"))
    s = expiry(s, 1).state  # t1 timed out, cannot re-acquire while t0 holds the lock
    s = run(s, call(0, "notify"), call(0, "release"))
    assert s.queue == (2,) and s.sleeper(2).stage is cond.WaitStage.WAITING
    assert wakeup(s, 1).outcome == Returned(False)


def test_notify_reaches_the_next_waiter_in_27() -> None:
    s = waiting(PY27, threads=(1,), timeout=0.5)
    s = block(run(s, call(2, "acquire")), call(2, "wait"))
    s = run(s, call(0, "acquire"))
    s = expiry(s, 1).state  # 2.7: the timed-out waiter leaves the list at once
    s = run(s, call(0, "notify"))
    assert s.queue == () and s.sleeper(2).notified


def test_notified_waiter_competes_with_acquirers() -> None:
    s = waiting(threads=(1,))
    s = run(s, call(0, "acquire"), call(0, "notify"))
    s = block(s, call(2, "acquire"))
    s = run(s, call(0, "release"))
    assert {st.thread for st in cond.wakeups(s)} == {1, 2}


def test_notify_all_wakes_all_waiters() -> None:
    s = run(waiting(threads=(1, 2)), call(0, "acquire"))
    r = done(cond.invoke(s, call(0, "notify_all")))
    assert r.clause == cond.NOTIFY_ALL_WAKES_ALL_WAITERS and r.state.queue == ()
    assert all(w.notified for w in r.state.sleepers)
    assert done(cond.invoke(s, call(0, "notify_all", 1))).outcome == Raised("TypeError")


@pytest.mark.parametrize("profile,warning,which", [(PY27, None, cond.NOTIFYALL_ALIAS_OF_NOTIFY_ALL),
                                                   (PY39, None, cond.NOTIFYALL_ALIAS_OF_NOTIFY_ALL),
                                                   (PY310, "DeprecationWarning",
                                                    cond.NOTIFYALL_DEPRECATED_ALIAS_WARNS)])
def test_notifyAll_alias(profile, warning, which) -> None:
    s = run(waiting(profile, threads=(1,)), call(0, "acquire"))
    r = done(cond.invoke(s, call(0, "notifyAll")))
    assert r.outcome == Returned(None, warning) and r.clause == which and r.state.queue == ()


# -- wait_for ------------------------------------------------------------------


def opened(s, gate=1, exc=None):
    return run(s, call(ENV, "gate.open", gate) if exc is None else call(ENV, "gate.open", gate, exc))


def test_wait_for_absent_in_27() -> None:
    r = done(cond.invoke(run(fresh(PY27), call(0, "acquire")), call(0, "wait_for", Gate(1))))
    assert r.outcome == Raised("AttributeError") and r.clause == cl.CALL_BAD_ARGUMENTS_RAISE_TYPEERROR


@pytest.mark.parametrize("predicate", [None, 1, "x", New("Lock")])
def test_wait_for_non_callable_predicate_raises(predicate) -> None:
    r = done(cond.invoke(fresh(), call(0, "wait_for", predicate)))
    assert r.outcome == Raised("TypeError") and r.clause == cond.WAIT_FOR_NON_CALLABLE_PREDICATE_RAISES


def test_wait_for_evaluates_predicate_first() -> None:
    s = run(fresh(), call(0, "acquire"))
    r = blocked(cond.invoke(s, call(0, "wait_for", Gate(1))))
    assert r.clause == cond.WAIT_FOR_EVALUATES_PREDICATE_FIRST and r.state.owner == 0  # still holds the lock
    assert list(cond.wakeups(r.state)) == []
    assert done(cond.invoke(r.state, call(1, "acquire", False))).outcome == Returned(False)
    st = wakeup(opened(r.state), 0)
    assert st.outcome is None and st.clause == cond.WAIT_FOR_WAITS_WHILE_PREDICATE_FALSE
    assert not st.state.locked


def test_wait_for_gate_opens_once() -> None:
    r = done(cond.invoke(fresh(), call(ENV, "gate.open", 1, "ValueError")))
    assert r.clause == cond.WAIT_FOR_GATE_PREDICATE_RETURNS and r.state.gates == ((1, "ValueError"),)
    assert opened(r.state).gates == ((1, "ValueError"),)


def test_wait_for_predicate_exception_propagates() -> None:
    s = run(fresh(), call(0, "acquire"))
    r = done(cond.invoke(opened(s, exc="ValueError"), call(0, "wait_for", Gate(1))))
    assert r.outcome == Raised("ValueError") and r.state.owner == 0
    assert r.clause == cond.WAIT_FOR_PREDICATE_EXCEPTION_PROPAGATES


def test_wait_for_without_the_lock_calls_predicate_then_raises() -> None:
    s = block(fresh(), call(0, "wait_for", Gate(1)))
    st = wakeup(opened(s), 0)
    assert st.outcome == Raised("RuntimeError") and st.clause == cond.WAIT_UNOWNED_RAISES


@pytest.mark.parametrize("lock,holder", [("RLock", None), ("RLock", 1), ("Lock", None)])
def test_wait_for_unowned_may_raise_before_the_predicate_at_documented_strictness(lock, holder) -> None:
    # "the same rules apply as with wait(): the lock must be held when called": the documentation
    # does not say the predicate is called before the lock is checked (aiologic checks it first)
    s = fresh(DOC311, lock=lock)
    if holder is not None:
        s = run(s, call(holder, "acquire"))
    r = done(cond.invoke(s, call(0, "wait_for", 1)))
    assert r.outcome == Raised("Exception") and r.clause == cond.WAIT_FOR_NON_CALLABLE_PREDICATE_RAISES
    assert done(cond.invoke(fresh(lock=lock), call(0, "wait_for", 1))).outcome == Raised("TypeError")
    r = blocked(cond.invoke(s, call(0, "wait_for", Gate(1))))
    assert r.clause == cond.WAIT_UNOWNED_RAISES
    raises, first = sorted(cond.wakeups(r.state), key=lambda st: st.outcome is None)
    assert raises.outcome == Raised("RuntimeError") and raises.state == s
    # or it calls its predicate first, as CPython does, and raises once the predicate returned
    assert first.outcome is None and first.clause == cond.WAIT_FOR_EVALUATES_PREDICATE_FIRST
    assert list(cond.wakeups(first.state)) == []
    assert wakeup(opened(first.state), 0).outcome == Raised("RuntimeError")


def test_wait_for_waits_while_predicate_false() -> None:
    s = opened(run(fresh(), call(0, "acquire")))
    r = blocked(cond.invoke(s, call(0, "wait_for", Gate(1))))
    assert r.clause == cond.WAIT_FOR_WAITS_WHILE_PREDICATE_FALSE and r.state.queue == (0,)
    assert not r.state.locked


def test_wait_for_rechecks_after_wakeup() -> None:
    s = opened(run(fresh(), call(0, "acquire")))
    s = block(s, call(0, "wait_for", Gate(1)))
    s = run(s, call(1, "acquire"), call(1, "notify"), call(1, "release"))
    st = wakeup(s, 0)
    assert st.outcome is None and st.clause == cond.WAIT_FOR_RECHECKS_AFTER_WAKEUP
    assert st.state.queue == (0,) and not st.state.locked and not st.state.sleeper(0).notified


def test_wait_for_timeout_returns_last_predicate_value() -> None:
    s = opened(run(fresh(), call(0, "acquire")))
    s = block(s, call(0, "wait_for", Gate(1), 0.5))
    s = expiry(s, 0).state
    back = wakeup(s, 0)
    assert back.outcome == Returned(None)
    assert back.clause == cond.WAIT_FOR_TIMEOUT_RETURNS_LAST_PREDICATE_VALUE
    assert back.state.owner == 0


def test_wait_for_notified_after_deadline_returns() -> None:
    s = opened(run(fresh(), call(0, "acquire")))
    s = block(s, call(0, "wait_for", Gate(1), timeout=0.5))
    s = run(s, call(1, "acquire"), call(1, "notify"), call(1, "release"))
    assert wakeup(s, 0).outcome is None  # waits again, or (deadline passed) returns:
    assert expiry(s, 0).outcome == Returned(None)


@pytest.mark.parametrize(
    "value,exc,releases", [("1", "TypeError", False), (float("inf"), "OverflowError", True)]
)
def test_wait_for_bad_timeout_raises(value, exc, releases) -> None:
    s = opened(run(fresh(), call(0, "acquire")))
    r = cond.invoke(s, call(0, "wait_for", Gate(1), value))
    if not releases:
        r = done(r)
        assert r.outcome == Raised(exc) and r.state == s and r.clause == cond.WAIT_FOR_BAD_TIMEOUT_RAISES
        return
    s = blocked(r).state
    assert not s.locked
    back = wakeup(s, 0)
    assert back.outcome == Raised(exc) and back.clause == cond.WAIT_FOR_BAD_TIMEOUT_RAISES


# -- other -----------------------------------------------------------------------


@pytest.mark.parametrize("c", [call(0, "notify", 1, 2), call(0, "wait", 1, 2), call(0, "wait", foo=1),
                               call(0, "release", 1), call(0, "acquire", 1, 2, 3), call(0, "wait_for"),
                               call(0, "_is_owned"), call(0, "notify_all", 1)])
def test_bad_calls_raise(c) -> None:
    s = run(fresh(), call(0, "acquire"))
    r = done(cond.invoke(s, c))
    assert r.outcome in (Raised("TypeError"), Raised("AttributeError"))
    assert r.clause == cl.CALL_BAD_ARGUMENTS_RAISE_TYPEERROR


@pytest.mark.parametrize(
    "c,expected",
    [(call(0, "wait"), None), (call(0, "wait", 0.5), 0.5), (call(0, "wait", timeout=-3), 0.0),
     (call(0, "wait", float("nan")), 0.0), (call(0, "wait", float("inf")), None),
     (call(0, "wait", "1"), None),
     (call(0, "wait_for", Gate(1), 0.25), 0.25), (call(0, "wait_for", Gate(1)), None),
     (call(0, "acquire", timeout=0.5), 0.5), (call(0, "acquire"), None), (call(0, "notify"), None)],
)
def test_timeout_of_pending_calls(c, expected) -> None:
    assert cond.timeout(c) == expected


def test_ops_per_version() -> None:
    assert "wait_for" not in cond.ops(PY27) and "wait_for" in cond.ops(PY311)
    assert "locked" in cond.ops(PY314) and "locked" not in cond.ops(PY313)


# -- exhaustive exploration ----------------------------------------------------

@pytest.mark.parametrize("bound", bounds.for_primitive("Condition"), ids=str)
def test_exhaustive_three_threads_invariants_hold(bound: bounds.Bound) -> None:
    ex = explore(bound.spec, bound.profile, bound.init, bound.alphabet, bound.threads, bound.calls)
    assert ex.violations == []
    # pinned (in proofs/bounds.py): a change to these numbers is a change to the spec; look at it.
    assert (len(ex.states), ex.nodes) == bound.pinned


@pytest.mark.parametrize("lock", ["Lock", "RLock", None])
@pytest.mark.parametrize("args,kwargs", [((), {}), ((None, None), {}), ((None, None, None, None), {}),
                                         ((None, None, None), {"t": None})])
def test_an_exit_the_with_statement_never_makes_is_cpython_s_reading(lock, args, kwargs) -> None:
    """The with statement always calls ``__exit__`` with three positional arguments: what any other
    call does (CPython: whatever the lock's own ``__exit__`` does with them) is not documented, so
    at documented strictness a library whose ``__exit__`` takes exactly three deviates from nothing."""
    for profile in (PY311, DOC311):
        s = run(fresh(profile, lock), call(0, "acquire"))
        r = done(cond.invoke(s, call(0, "__exit__", *args, **kwargs)))
        assert r.clause == cl.WITH_EXIT_ARGUMENTS and not REGISTRY[r.clause].applies_to(DOC311)
        unheld = done(cond.invoke(fresh(profile, lock), call(0, "__exit__", *args, **kwargs)))
        assert unheld.clause == cl.WITH_EXIT_ARGUMENTS  # not release's clause: which error is CPython's
    held = run(fresh(DOC311, lock), call(0, "acquire"))
    three = done(cond.invoke(held, call(0, "__exit__", None, None, None)))
    assert three.clause == cl.WITH_ACQUIRES_AND_RELEASES and three.state.owner is None
