"""The controlled ``_thread`` and ``time``: the host's semantics and errors, on a virtual clock."""

from __future__ import annotations

import _thread
import math
from collections.abc import Callable
from typing import Any

import pytest

from proofs.sched import End, Env, decode, encode, explore, replay

BAD_ARGUMENTS = [(False, 1), (True, -2), (True, math.nan), (True, 1e300), (True, "x"), (True, None)]


def host_error(blocking: object, timeout: object) -> tuple[type, str]:
    try:
        _thread.allocate_lock().acquire(blocking, timeout)  # type: ignore[arg-type]
    except Exception as e:
        return type(e), str(e)
    raise AssertionError("the host's lock accepted these arguments")


def single(body: Callable[[Env], object]) -> object:
    """Run ``body(env)`` as a one-thread program; return what it returned (the one outcome)."""
    def program(env: Env) -> Callable[[], object]:
        value = body(env)
        return lambda: value

    result = explore(program)
    assert result.ok, result.failures
    (outcome,) = result.outcomes
    return outcome


@pytest.mark.parametrize("factory", ["allocate_lock", "RLock"])
@pytest.mark.parametrize(("blocking", "timeout"), BAD_ARGUMENTS)
def test_bad_acquire_arguments_raise_what_the_hosts_lock_raises(factory: str, blocking: Any,
                                                                 timeout: Any) -> None:
    def body(env: Env) -> object:
        lock = getattr(env.thread, factory)()
        try:
            lock.acquire(blocking, timeout)
        except Exception as e:
            return type(e), str(e)
        return None

    assert single(body) == host_error(blocking, timeout)


def test_lock_semantics() -> None:
    def body(env: Env) -> object:
        lock = env.threading.Lock()
        out: list[object] = [lock.acquire(), lock.locked(), lock.acquire(False), lock.acquire(timeout=0)]
        out.append(lock.acquire(timeout=1.5))  # the owner itself: times out, 1.5 virtual seconds
        out.append(env.now())
        lock.release()
        try:
            lock.release()
        except RuntimeError as e:
            out.append(str(e))
        return tuple(out)

    assert single(body) == (True, True, False, False, False, 1.5, "release unlocked lock")


def test_c_rlock_semantics() -> None:
    def body(env: Env) -> object:
        rlock = env.thread.RLock()
        out: list[object] = [rlock.acquire(), rlock.acquire(), rlock._is_owned()]
        state = rlock._release_save()
        out += [state[0], rlock._is_owned()]
        rlock._acquire_restore(state)
        rlock.release()
        rlock.release()
        try:
            rlock.release()
        except RuntimeError as e:
            out.append(str(e))
        return tuple(out)

    assert single(body) == (True, True, True, 2, False, "cannot release un-acquired lock")


def test_an_rlock_released_by_another_thread_raises() -> None:
    def program(env: Env) -> Callable[[], object]:
        rlock = env.thread.RLock()
        rlock.acquire()
        errors: list[str] = []

        def other() -> None:
            try:
                rlock.release()
            except RuntimeError as e:
                errors.append(str(e))

        env.spawn(other).join()
        return lambda: tuple(errors)

    assert set(explore(program).outcomes) == {("cannot release un-acquired lock",)}


def test_acquiring_a_lock_one_holds_is_a_deadlock_verdict() -> None:
    def program(env: Env) -> None:
        lock = env.threading.Lock()
        lock.acquire()
        lock.acquire()

    result = explore(program)
    assert result.ok and result.deadlock_count == 1 and "thread 0 (main) blocked in acquire" in (
        result.deadlocks[0].blocked[0])


def test_sleep_is_a_timed_park_on_the_virtual_clock() -> None:
    def program(env: Env) -> Callable[[], object]:
        time = env.time
        marks: list[float] = []

        def sleeper(seconds: float) -> None:
            time.sleep(seconds)
            marks.append(time.monotonic() - 1000.0)

        env.spawn(sleeper, 2.0)
        env.spawn(sleeper, 1.0)
        return lambda: tuple(marks)

    outcomes = set(explore(program).outcomes)
    assert (1.0, 2.0) in outcomes and all(sorted(o) == list(o) for o in outcomes)  # type: ignore[call-overload]


def test_sleep_rejects_what_the_host_rejects() -> None:
    def body(env: Env) -> object:
        time = env.time
        errors = []
        for bad in (-1, math.nan, "1"):
            try:
                time.sleep(bad)
            except (ValueError, TypeError) as e:
                errors.append(type(e).__name__)
        return tuple(errors)

    assert single(body) == ("ValueError", "ValueError", "TypeError")


def test_thread_local_values_are_per_thread_and_dropped_at_the_end() -> None:
    def program(env: Env) -> Callable[[], object]:
        _t = env.thread

        class Counter(_t._local):  # type: ignore[name-defined,misc]
            def __init__(self, start: int) -> None:
                self.n = start

        counter = Counter(10)
        seen: list[tuple[int, int]] = []

        def worker(i: int) -> None:
            counter.n += i
            seen.append((i, counter.n))

        for i in (1, 2):
            env.spawn(worker, i)
        namespaces = object.__getattribute__(counter, "_local__dicts")
        return lambda: (tuple(sorted(seen)), counter.n, len(namespaces))

    assert set(explore(program).outcomes) == {(((1, 11), (2, 12)), 10, 1)}


def test_idents_are_distinct_and_stable_across_runs() -> None:
    def program(env: Env) -> Callable[[], object]:
        ident = env.threading.get_ident
        idents = [ident()]
        handles = [env.spawn(ident) for _ in range(2)]
        return lambda: (idents[0], *(h.result for h in handles))

    assert set(explore(program).outcomes) == {(1, 2, 3)}


def test_schedule_strings_round_trip() -> None:
    choices = [0, 0, 0, 2, 3, 4, 4, 1]
    assert encode(choices) == "a3bBc2A" and decode("a3bBc2A") == choices
    with pytest.raises(ValueError):
        decode("a3-b")


def test_a_replay_that_asks_for_an_impossible_choice_says_it_diverged() -> None:
    def program(env: Env) -> None:
        lock = env.threading.Lock()
        env.spawn(lock.acquire)
        env.spawn(lock.acquire)

    assert replay(program, "z").end is End.DIVERGED
