"""Behaviour of impl's synchronisation primitives, each test run on impl and on CPython's threading.

One behaviour per test, named after it. Blocking is observed without sleeping:
a helper thread's call either completes after the event that should release it,
or gives up after ``EXPIRING_TIMEOUT`` when nothing should.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

import impl
from conformance.timeouts import EXPIRING_TIMEOUT, NEVER_EXPIRING_TIMEOUT
from tests.impl.conftest import Runner, outcome, until

NAN = float("nan")
INF = float("inf")

# ---------------------------------------------------------------------------
# Same outcome as threading, call by call (bad arguments, version differences)
# ---------------------------------------------------------------------------


def _owned_rlock(m: ModuleType) -> Any:
    r = m.RLock()
    r.acquire()
    return r


def _held_condition(m: ModuleType, lock: Any = None) -> Any:
    c = m.Condition(lock)
    c.acquire()
    return c


def _sem_value(s: Any) -> Any:
    return s._value


def _released(sem: Any, n: Any) -> Any:
    try:
        sem.release(n)
    finally:
        result = _sem_value(sem)
    return result


CASES: dict[str, Callable[[ModuleType], Any]] = {
    "RLock()": lambda m: m.RLock().acquire(),
    "RLock(1)": lambda m: m.RLock(1).acquire(),
    "RLock(x=1)": lambda m: m.RLock(x=1).acquire(),
    "RLock.acquire(False)": lambda m: m.RLock().acquire(False),
    "RLock.acquire(timeout=0)": lambda m: m.RLock().acquire(timeout=0),
    "RLock.acquire(blocking=False, timeout=1)": lambda m: m.RLock().acquire(False, 1),
    "RLock.acquire(timeout=-2)": lambda m: m.RLock().acquire(timeout=-2),
    "RLock.acquire(timeout=nan)": lambda m: m.RLock().acquire(timeout=NAN),
    "RLock.acquire(timeout=inf)": lambda m: m.RLock().acquire(timeout=INF),
    "RLock.acquire(timeout='1')": lambda m: m.RLock().acquire(timeout="1"),
    "RLock.acquire(1, 2, 3)": lambda m: m.RLock().acquire(1, 2, 3),
    "RLock.acquire(bogus=1)": lambda m: m.RLock().acquire(bogus=1),
    "owned RLock.acquire()": lambda m: _owned_rlock(m).acquire(),
    "owned RLock.acquire(False, 1)": lambda m: _owned_rlock(m).acquire(False, 1),
    "owned RLock.acquire(timeout=-2)": lambda m: _owned_rlock(m).acquire(timeout=-2),
    "owned RLock.acquire(timeout=nan)": lambda m: _owned_rlock(m).acquire(timeout=NAN),
    "owned RLock.acquire(timeout='x')": lambda m: _owned_rlock(m).acquire(timeout="x"),
    "owned RLock.acquire(timeout=1e300)": lambda m: _owned_rlock(m).acquire(timeout=1e300),
    "RLock.release() unowned": lambda m: m.RLock().release(),
    "RLock.release(1)": lambda m: _owned_rlock(m).release(1),
    "RLock._is_owned()": lambda m: (m.RLock()._is_owned(), _owned_rlock(m)._is_owned()),
    "RLock._recursion_count()": lambda m: _owned_rlock(m)._recursion_count(),
    "RLock._release_save() unowned": lambda m: m.RLock()._release_save(),
    "RLock.locked": lambda m: _owned_rlock(m).locked(),
    "RLock.__exit__ unowned": lambda m: m.RLock().__exit__(None, None, None),
    "Condition(Lock()).wait() unheld": lambda m: m.Condition(m.Lock()).wait(),
    "Condition().wait() unheld": lambda m: m.Condition().wait(),
    "Condition().notify() unheld": lambda m: m.Condition().notify(),
    "Condition().notify_all() unheld": lambda m: m.Condition().notify_all(),
    "Condition().wait(0)": lambda m: _held_condition(m).wait(0),
    "Condition().wait(-1)": lambda m: _held_condition(m).wait(-1),
    "Condition().wait(nan)": lambda m: _held_condition(m).wait(NAN),
    "Condition().wait('1')": lambda m: _held_condition(m).wait("1"),
    "Condition().wait(1e300)": lambda m: _held_condition(m).wait(1e300),
    "Condition(Lock()).wait(0)": lambda m: _held_condition(m, m.Lock()).wait(0),
    "Condition().notify('x') no waiters": lambda m: _held_condition(m).notify("x"),
    "Condition().notify(-1)": lambda m: _held_condition(m).notify(-1),
    "Condition().notifyAll()": lambda m: _held_condition(m).notifyAll(),
    "Condition().wait_for(lambda: 7)": lambda m: _held_condition(m).wait_for(lambda: 7),
    "Condition().wait_for(lambda: 0, 0)": lambda m: _held_condition(m).wait_for(lambda: 0, 0),
    "Condition().wait_for(lambda: 0, -1)": lambda m: _held_condition(m).wait_for(lambda: 0, -1),
    "Condition().wait_for(lambda: 0) unheld": lambda m: m.Condition().wait_for(lambda: 0, 0),
    "Condition().__enter__()": lambda m: m.Condition().__enter__(),
    "Condition(Lock()).__enter__()": lambda m: m.Condition(m.Lock()).__enter__(),
    "Condition(1)": lambda m: m.Condition(1),
    "Semaphore(-1)": lambda m: m.Semaphore(-1),
    "Semaphore('a')": lambda m: m.Semaphore("a"),
    "Semaphore(1.5).acquire()": lambda m: m.Semaphore(1.5).acquire(),
    "Semaphore(0).acquire(False)": lambda m: m.Semaphore(0).acquire(False),
    "Semaphore(0).acquire(timeout=0)": lambda m: m.Semaphore(0).acquire(timeout=0),
    "Semaphore(0).acquire(timeout=-1)": lambda m: m.Semaphore(0).acquire(timeout=-1),
    "Semaphore(1).acquire(timeout='x')": lambda m: m.Semaphore(1).acquire(timeout="x"),
    "Semaphore(0).acquire(timeout='x')": lambda m: m.Semaphore(0).acquire(timeout="x"),
    "Semaphore(1).acquire(False, 1)": lambda m: m.Semaphore(1).acquire(False, 1),
    "Semaphore(1).acquire(False, None)": lambda m: m.Semaphore(1).acquire(False, None),
    "Semaphore.release(0)": lambda m: m.Semaphore().release(0),
    "Semaphore.release(3)": lambda m: _released(m.Semaphore(0), 3),
    "Semaphore.release(1.5)": lambda m: _released(m.Semaphore(0), 1.5),
    "Semaphore.release('x')": lambda m: _released(m.Semaphore(0), "x"),
    "BoundedSemaphore.release() over": lambda m: _released(m.BoundedSemaphore(1), 1),
    "BoundedSemaphore(2).release(1.5)": lambda m: _released(m.BoundedSemaphore(2), 1.5),
    "BoundedSemaphore.release(0)": lambda m: m.BoundedSemaphore().release(0),
    "Semaphore.__enter__()": lambda m: m.Semaphore().__enter__(),
    "Event().is_set()": lambda m: m.Event().is_set(),
    "Event().isSet()": lambda m: m.Event().isSet(),
    "Event().wait(0)": lambda m: m.Event().wait(0),
    "Event().wait(-1)": lambda m: m.Event().wait(-1),
    "Event().wait('x')": lambda m: m.Event().wait("x"),
    "Event(1)": lambda m: m.Event(1),
    "Barrier(0)": lambda m: m.Barrier(0).parties,
    "Barrier(-1)": lambda m: m.Barrier(-1).parties,
    "Barrier('2')": lambda m: m.Barrier("2").parties,
    "Barrier(0).wait(0)": lambda m: m.Barrier(0).wait(0),
    "Barrier(1).wait()": lambda m: m.Barrier(1).wait(),
    "Barrier(2).wait(0)": lambda m: m.Barrier(2).wait(0),
    "Barrier(2, timeout=0).wait()": lambda m: m.Barrier(2, timeout=0).wait(),
    "Barrier(2).n_waiting": lambda m: m.Barrier(2).n_waiting,
    "Barrier(2).broken": lambda m: m.Barrier(2).broken,
    "Barrier(2).abort(); wait()": lambda m: (m.Barrier(2).abort(), m.Barrier(2).wait(0)),
    "Barrier(1, action=1/0).wait()": lambda m: m.Barrier(1, action=lambda: 1 / 0).wait(),
    "Lock(1)": lambda m: m.Lock(1),
    "Lock().release()": lambda m: m.Lock().release(),
    "ThreadError": lambda m: m.ThreadError.__name__,
    "TIMEOUT_MAX": lambda m: m.TIMEOUT_MAX,
    "Thread(group=1)": lambda m: m.Thread(group=1),
    "Thread().join()": lambda m: m.Thread().join(),
    "Thread().daemon": lambda m: m.Thread().daemon,
    "Thread(daemon=True).daemon": lambda m: m.Thread(daemon=True).daemon,
    "Thread().isDaemon()": lambda m: m.Thread().isDaemon(),
    "Thread().setDaemon(True)": lambda m: m.Thread().setDaemon(True),
    "Thread().getName()": lambda m: m.Thread(name="x").getName(),
    "Thread().setName('y')": lambda m: m.Thread().setName("y"),
    "Thread(name=5).name": lambda m: m.Thread(name=5).name,
    "Thread(name='').name prefix": lambda m: m.Thread(name="").name.startswith("Thread-"),
    "Thread().ident": lambda m: m.Thread().ident,
    "Thread().native_id": lambda m: m.Thread().native_id,
    "Thread().is_alive()": lambda m: m.Thread().is_alive(),
    "current_thread().name": lambda m: m.current_thread().name,
    "currentThread()": lambda m: m.currentThread().name,
    "activeCount()": lambda m: type(m.activeCount()).__name__,
    "main_thread().name": lambda m: m.main_thread().name,
    "main_thread().daemon": lambda m: m.main_thread().daemon,
    "main_thread().join()": lambda m: m.main_thread().join(),
    "main_thread() is current_thread()": lambda m: m.main_thread() is m.current_thread(),
    "get_ident()": lambda m: m.get_ident() == threading.get_ident(),
    "get_native_id()": lambda m: m.get_native_id() == threading.get_native_id(),
    "Timer(1, f).name prefix": lambda m: m.Timer(1, print).name.startswith("Thread-"),
    "Timer(1, f).args": lambda m: m.Timer(1, print).args,
    "Timer(1, f).kwargs": lambda m: m.Timer(1, print).kwargs,
    "local(1)": lambda m: m.local(1),
    "local().__dict__ = {}": lambda m: setattr(m.local(), "__dict__", {}),
    "local().x": lambda m: m.local().x,
    "__excepthook__(SystemExit)": lambda m: m.__excepthook__(
        m.ExceptHookArgs((SystemExit, SystemExit(), None, None))
    ),
    "gettrace()": lambda m: m.gettrace(),
    "getprofile()": lambda m: m.getprofile(),
    "stack_size()": lambda m: m.stack_size(),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_same_outcome_as_threading(case: str) -> None:
    expected = outcome(lambda: CASES[case](threading))
    observed = outcome(lambda: CASES[case](impl))
    assert observed == expected


def test_same_public_names_as_threading() -> None:
    public = {n for n in dir(threading) if not n.startswith("_")}
    assert {n for n in dir(impl) if not n.startswith("_")} == public
    assert impl.__all__ == threading.__all__


@pytest.mark.parametrize("name", sorted(n for n in dir(threading) if not n.startswith("_")))
def test_public_name_is_same_kind_as_threading(name: str) -> None:
    ours, theirs = getattr(impl, name), getattr(threading, name)
    if isinstance(theirs, type) and issubclass(theirs, BaseException):
        assert issubclass(ours, BaseException) and ours.__mro__[1:] == theirs.__mro__[1:]
    else:
        assert callable(ours) == callable(theirs)


def test_lock_is_the_interpreters_lock() -> None:
    assert impl.Lock is threading.Lock
    assert type(impl.Lock()) is type(threading.Lock())


# ---------------------------------------------------------------------------
# RLock
# ---------------------------------------------------------------------------


def test_rlock_owner_reacquires_without_blocking(mod: ModuleType) -> None:
    r = mod.RLock()
    assert r.acquire() is True and r.acquire() is True and r.acquire(False) is True
    assert r._recursion_count() == 3


def test_rlock_needs_one_release_per_acquire(mod: ModuleType, runner: Runner) -> None:
    r = mod.RLock()
    r.acquire()
    r.acquire()
    r.release()
    assert runner.start(lambda: r.acquire(False)) is not None
    runner.join()
    r.release()
    result = runner.start(lambda: r.acquire(False))
    runner.join()
    assert result == {"value": True}


def test_rlock_other_thread_cannot_acquire_nonblocking(mod: ModuleType, runner: Runner) -> None:
    r = mod.RLock()
    r.acquire()
    result = runner.start(lambda: r.acquire(False))
    runner.join()
    assert result == {"value": False}


def test_rlock_other_thread_times_out(mod: ModuleType, runner: Runner) -> None:
    r = mod.RLock()
    r.acquire()
    result = runner.start(lambda: r.acquire(timeout=EXPIRING_TIMEOUT))
    runner.join()
    assert result == {"value": False}


def test_rlock_release_by_non_owner_raises(mod: ModuleType, runner: Runner) -> None:
    r = mod.RLock()
    r.acquire()
    result = runner.start(r.release)
    runner.join()
    assert result == {"raised": "RuntimeError"}
    assert r._is_owned()


def test_rlock_release_wakes_a_blocked_acquire(mod: ModuleType, runner: Runner) -> None:
    r = mod.RLock()
    r.acquire()
    result = runner.start(lambda: r.acquire(timeout=NEVER_EXPIRING_TIMEOUT))
    if mod is impl:
        until(lambda: r._waiting, "the helper to wait for the lock")
    r.release()
    runner.join()
    assert result == {"value": True}


def test_rlock_with_statement(mod: ModuleType) -> None:
    r = mod.RLock()
    with r:
        assert r._is_owned()
        with r:
            assert r._recursion_count() == 2
    assert not r._is_owned()


def test_rlock_release_save_frees_whatever_the_level(mod: ModuleType, runner: Runner) -> None:
    r = mod.RLock()
    r.acquire()
    r.acquire()
    saved = r._release_save()
    result = runner.start(lambda: (r.acquire(False), r.release()))
    runner.join()
    assert result == {"value": (True, None)}
    r._acquire_restore(saved)
    assert r._recursion_count() == 2


def test_rlock_repr_says_locked_and_count(mod: ModuleType) -> None:
    r = mod.RLock()
    assert repr(r).startswith("<unlocked ") and "count=0" in repr(r)
    r.acquire()
    assert repr(r).startswith("<locked ") and "count=1" in repr(r)


# ---------------------------------------------------------------------------
# Condition
# ---------------------------------------------------------------------------


def _start_waiters(mod: ModuleType, runner: Runner, cond: Any, n: int) -> list[dict[str, Any]]:
    """Start ``n`` threads waiting on ``cond``, one after the other, each queued before the next."""
    results = []
    order: list[int] = []
    for i in range(n):

        def wait(i: int = i) -> bool:
            with cond:
                got = cond.wait(NEVER_EXPIRING_TIMEOUT)
                order.append(i)
                return bool(got)

        results.append(runner.start(wait))
        until(lambda i=i: len(cond._waiters) == i + 1, "the waiter to queue")
    results.append({"order": order})
    return results


@pytest.mark.parametrize("lock", ["RLock", "Lock", "default"])
def test_condition_notify_wakes_one_waiter(mod: ModuleType, runner: Runner, lock: str) -> None:
    cond = mod.Condition(None if lock == "default" else getattr(mod, lock)())
    results = _start_waiters(mod, runner, cond, 2)
    with cond:
        cond.notify()
    until(lambda: len(results[-1]["order"]) == 1, "one waiter to wake")
    assert len(cond._waiters) == 1
    with cond:
        cond.notify()
    runner.join()
    assert results[:2] == [{"value": True}, {"value": True}]


def test_condition_wakes_waiters_in_arrival_order(mod: ModuleType, runner: Runner) -> None:
    cond = mod.Condition()
    results = _start_waiters(mod, runner, cond, 3)
    for k in range(3):
        with cond:
            cond.notify()
        until(lambda k=k: len(results[-1]["order"]) == k + 1, "the next waiter to wake")
    runner.join()
    assert results[-1]["order"] == [0, 1, 2]


def test_condition_notify_n_wakes_n(mod: ModuleType, runner: Runner) -> None:
    cond = mod.Condition()
    results = _start_waiters(mod, runner, cond, 3)
    with cond:
        cond.notify(2)
        assert len(cond._waiters) == 1
    until(lambda: len(results[-1]["order"]) == 2, "two waiters to wake")
    with cond:
        cond.notify_all()
    runner.join()


def test_condition_notify_all_wakes_every_waiter(mod: ModuleType, runner: Runner) -> None:
    cond = mod.Condition(mod.Lock())
    results = _start_waiters(mod, runner, cond, 3)
    with cond:
        cond.notify_all()
        assert len(cond._waiters) == 0
    runner.join()
    assert sorted(results[-1]["order"]) == [0, 1, 2]


def test_condition_wait_times_out_with_lock_held(mod: ModuleType) -> None:
    cond = mod.Condition()
    with cond:
        assert cond.wait(EXPIRING_TIMEOUT) is False
        assert cond._is_owned()
        assert len(cond._waiters) == 0


def test_condition_wait_releases_an_rlock_completely(mod: ModuleType, runner: Runner) -> None:
    lock = mod.RLock()
    cond = mod.Condition(lock)
    lock.acquire()
    lock.acquire()

    def grab_and_notify() -> bool:
        with cond:
            cond.notify()
            return True

    result: dict[str, Any] = {}

    def notifier_after_queued() -> None:
        until(lambda: len(cond._waiters) == 1, "the main thread to wait")
        result.update(runner_result=grab_and_notify())

    t = threading.Thread(target=notifier_after_queued)
    t.start()
    assert cond.wait(NEVER_EXPIRING_TIMEOUT) is True
    t.join()
    assert result == {"runner_result": True}
    assert lock._recursion_count() == 2
    lock.release()
    lock.release()


def test_condition_bad_timeout_keeps_lock_and_queue_clean(mod: ModuleType) -> None:
    cond = mod.Condition()
    with cond:
        with pytest.raises(TypeError):
            cond.wait("soon")
        assert cond._is_owned() and len(cond._waiters) == 0


def test_condition_wait_for_returns_when_predicate_turns_true(mod: ModuleType, runner: Runner) -> None:
    cond = mod.Condition()
    state = {"ready": False}

    def waiter() -> object:
        with cond:
            return cond.wait_for(lambda: state["ready"] and "ready", NEVER_EXPIRING_TIMEOUT)

    result = runner.start(waiter)
    until(lambda: len(cond._waiters) == 1, "the waiter to queue")
    with cond:
        cond.notify()  # spurious as far as the predicate goes: it waits again
    until(lambda: len(cond._waiters) == 1, "the waiter to queue again")
    with cond:
        state["ready"] = True
        cond.notify()
    runner.join()
    assert result == {"value": "ready"}


def test_condition_wait_for_times_out_with_last_predicate_value(mod: ModuleType) -> None:
    cond = mod.Condition()
    with cond:
        assert cond.wait_for(lambda: 0, EXPIRING_TIMEOUT) == 0


def test_condition_repr_counts_waiters(mod: ModuleType) -> None:
    assert repr(mod.Condition()).startswith("<Condition(<unlocked ")
    assert repr(mod.Condition()).endswith(", 0)>")


# ---------------------------------------------------------------------------
# Semaphore and BoundedSemaphore
# ---------------------------------------------------------------------------


def test_semaphore_counts_down_to_zero(mod: ModuleType) -> None:
    s = mod.Semaphore(2)
    assert s.acquire() and s.acquire(False)
    assert s.acquire(False) is False
    assert s.acquire(timeout=EXPIRING_TIMEOUT) is False


def test_semaphore_release_n_adds_n(mod: ModuleType) -> None:
    s = mod.Semaphore(0)
    s.release(3)
    assert [s.acquire(False) for _ in range(4)] == [True, True, True, False]


def test_semaphore_release_wakes_a_waiter(mod: ModuleType, runner: Runner) -> None:
    s = mod.Semaphore(0)
    result = runner.start(lambda: s.acquire(timeout=NEVER_EXPIRING_TIMEOUT))
    until(lambda: len(s._cond._waiters) == 1, "the helper to wait")
    s.release()
    runner.join()
    assert result == {"value": True}
    assert s.acquire(False) is False


def test_semaphore_release_n_wakes_n_waiters(mod: ModuleType, runner: Runner) -> None:
    s = mod.Semaphore(0)
    results = [runner.start(lambda: s.acquire(timeout=NEVER_EXPIRING_TIMEOUT)) for _ in range(3)]
    until(lambda: len(s._cond._waiters) == 3, "three helpers to wait")
    s.release(3)
    runner.join()
    assert results == [{"value": True}] * 3


def test_bounded_semaphore_refuses_to_exceed_initial_value(mod: ModuleType) -> None:
    s = mod.BoundedSemaphore(2)
    s.acquire()
    with pytest.raises(ValueError):
        s.release(2)
    s.release()
    with pytest.raises(ValueError):
        s.release()
    assert s._value == 2


def test_semaphore_with_statement(mod: ModuleType) -> None:
    s = mod.BoundedSemaphore(1)
    with s:
        assert s.acquire(False) is False
    assert s.acquire(False) is True


def test_semaphore_reprs(mod: ModuleType) -> None:
    assert repr(mod.Semaphore(3)).endswith(": value=3>")
    assert repr(mod.BoundedSemaphore(3)).endswith(": value=3/3>")
    assert repr(mod.Semaphore(3)).startswith(f"<{mod.__name__}.Semaphore at 0x")


# ---------------------------------------------------------------------------
# Event
# ---------------------------------------------------------------------------


def test_event_starts_clear_and_can_be_set_and_cleared(mod: ModuleType) -> None:
    e = mod.Event()
    assert e.is_set() is False
    e.set()
    assert e.is_set() is True and e.wait() is True and e.wait(0) is True
    e.clear()
    assert e.is_set() is False and e.wait(EXPIRING_TIMEOUT) is False


def test_event_set_wakes_every_waiter(mod: ModuleType, runner: Runner) -> None:
    e = mod.Event()
    results = [runner.start(lambda: e.wait(NEVER_EXPIRING_TIMEOUT)) for _ in range(3)]
    until(lambda: len(e._cond._waiters) == 3, "three helpers to wait")
    e.set()
    runner.join()
    assert results == [{"value": True}] * 3


def test_event_waiter_woken_by_set_returns_true_even_if_cleared_again(mod: ModuleType) -> None:
    e = mod.Event()
    result: dict[str, Any] = {}
    t = threading.Thread(target=lambda: result.update(value=e.wait(NEVER_EXPIRING_TIMEOUT)))
    t.start()
    until(lambda: len(e._cond._waiters) == 1, "the helper to wait")
    with e._cond:  # set and clear before the waiter can run
        e._flag = True
        e._cond.notify_all()
        e._flag = False
    t.join()
    assert result == {"value": True}


def test_event_repr(mod: ModuleType) -> None:
    e = mod.Event()
    assert repr(e).endswith(": unset>")
    e.set()
    assert repr(e).endswith(": set>")


# ---------------------------------------------------------------------------
# Barrier
# ---------------------------------------------------------------------------


def _barrier_round(mod: ModuleType, runner: Runner, barrier: Any, n: int) -> list[dict[str, Any]]:
    return [runner.start(lambda: barrier.wait(NEVER_EXPIRING_TIMEOUT)) for _ in range(n)]


def test_barrier_trips_with_distinct_indices(mod: ModuleType, runner: Runner) -> None:
    barrier = mod.Barrier(3)
    results = _barrier_round(mod, runner, barrier, 3)
    runner.join()
    assert sorted(r["value"] for r in results) == [0, 1, 2]
    assert barrier.n_waiting == 0 and not barrier.broken


def test_barrier_runs_the_action_once_per_round(mod: ModuleType, runner: Runner) -> None:
    calls: list[str] = []
    barrier = mod.Barrier(2, action=lambda: calls.append(threading.current_thread().name))
    for _ in range(2):
        _barrier_round(mod, runner, barrier, 2)
        runner.join()
    assert len(calls) == 2


def test_barrier_counts_waiters(mod: ModuleType, runner: Runner) -> None:
    barrier = mod.Barrier(3)
    _barrier_round(mod, runner, barrier, 2)
    until(lambda: barrier.n_waiting == 2, "two parties to wait")
    assert repr(barrier).endswith(": waiters=2/3>")
    barrier.wait()
    runner.join()


def test_barrier_abort_breaks_waiters(mod: ModuleType, runner: Runner) -> None:
    barrier = mod.Barrier(3)
    results = _barrier_round(mod, runner, barrier, 2)
    until(lambda: barrier.n_waiting == 2, "two parties to wait")
    barrier.abort()
    runner.join()
    assert results == [{"raised": "BrokenBarrierError"}] * 2
    assert barrier.broken and repr(barrier).endswith(": broken>")
    with pytest.raises(mod.BrokenBarrierError):
        barrier.wait()


def test_barrier_reset_breaks_waiters_then_works_again(mod: ModuleType, runner: Runner) -> None:
    barrier = mod.Barrier(2)
    results = _barrier_round(mod, runner, barrier, 1)
    until(lambda: barrier.n_waiting == 1, "a party to wait")
    barrier.reset()
    runner.join()
    assert results == [{"raised": "BrokenBarrierError"}]
    assert not barrier.broken
    results = _barrier_round(mod, runner, barrier, 2)
    runner.join()
    assert sorted(r["value"] for r in results) == [0, 1]


def test_barrier_timeout_breaks_it(mod: ModuleType) -> None:
    barrier = mod.Barrier(2, timeout=EXPIRING_TIMEOUT)
    with pytest.raises(mod.BrokenBarrierError):
        barrier.wait()
    assert barrier.broken


def test_barrier_action_exception_breaks_it(mod: ModuleType, runner: Runner) -> None:
    def fail() -> None:
        raise ZeroDivisionError

    barrier = mod.Barrier(2, action=fail)
    results = _barrier_round(mod, runner, barrier, 2)
    runner.join()
    assert sorted(r["raised"] for r in results) == ["BrokenBarrierError", "ZeroDivisionError"]
    assert barrier.broken


def test_broken_barrier_error_is_a_runtime_error(mod: ModuleType) -> None:
    assert issubclass(mod.BrokenBarrierError, RuntimeError)


@pytest.mark.skipif(sys.version_info < (3, 13), reason="parties < 1 is refused from 3.13")
def test_barrier_refuses_no_parties(mod: ModuleType) -> None:
    with pytest.raises(ValueError):
        mod.Barrier(0)
