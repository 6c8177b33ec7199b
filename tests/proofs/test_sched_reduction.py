"""The reduction keeps every outcome, failure and deadlock that naive enumeration finds."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from proofs.sched import Env, Exploration, Session, explore
from proofs.schedule_rows import event_wait_timeout, rlock_reentry, semaphore_holders
from tests.proofs.test_sched import critical_sections, opposite_orders
from tests.proofs.test_sched_condition import consumers, notify_races_timeout


def start_reads_limbo(env: Env) -> Callable[[], object]:
    """(threading.py only) main reads ``_limbo`` under ``_active_limbo_lock`` after starting a thread: the
    new thread takes the same lock to remove itself, so both orders must be kept. (The reduction once
    saw only ``(False,)``: a reload between runs renamed the module's locks, so the footprints the
    sleep sets had recorded no longer met the new run's.)"""
    th = env.threading
    t = th.Thread(target=lambda: None)
    t.start()
    with th._active_limbo_lock:
        seen = t in th._limbo
    t.join()
    return lambda: (seen,)


def event_handoff_then_read(env: Env) -> Callable[[], object]:
    th = env.threading
    ev = th.Event()
    lock = th.Lock()
    box: list[str] = []

    def worker() -> None:
        ev.wait()
        with lock:
            box.append("t")

    h = env.spawn(worker)
    with lock:
        box.append("m1")
    ev.set()
    with lock:
        seen = tuple(box)
    h.join()
    return lambda: (seen, tuple(box))


def event_is_set_race(env: Env) -> Callable[[], object]:
    th = env.threading
    ev = th.Event()
    lock = th.Lock()
    h = env.spawn(ev.set)
    with lock:
        pass
    seen = ev.is_set()
    h.join()
    return lambda: seen


def notify_races_timeouts(env: Env) -> Callable[[], object]:
    th = env.threading
    cond = th.Condition()
    got: list[object] = []

    def waiter(timeout: float) -> None:
        with cond:
            r = cond.wait(timeout)
            got.append((timeout, r, env.now()))

    def notifier() -> None:
        with cond:
            cond.notify()
            got.append(("notified at", env.now()))

    env.spawn(waiter, 0.5)
    env.spawn(notifier)
    return lambda: tuple(map(str, got))


def three_threads_two_locks(env: Env) -> Callable[[], object]:
    th = env.threading
    a, b = th.Lock(), th.Lock()
    order: list[str] = []

    def both() -> None:
        with a:
            env.touch(order)  # appended to under two different locks: declared shared
            order.append("A1")
            with b:
                env.touch(order)
                order.append("AB")

    def only(lock: object, name: str) -> None:
        with lock:  # type: ignore[attr-defined]
            env.touch(order)
            order.append(name)

    env.spawn(both)
    env.spawn(only, b, "B")
    env.spawn(only, a, "A")
    return lambda: tuple(order)


def start_races_enumerate(env: Env) -> Callable[[], object]:
    th = env.threading
    t = th.Thread(target=lambda: None)
    t.start()
    mine = len(th.enumerate())
    t.join()
    return lambda: mine


def handle_done_race(env: Env) -> Callable[[], object]:
    lock = env.threading.Lock()

    def worker() -> None:
        for _ in range(2):
            with lock:
                pass

    h = env.spawn(worker)
    with lock:
        pass
    done = h.done
    h.join()
    return lambda: done


def join_timeout_races_end(env: Env) -> Callable[[], object]:
    """3.13's ``_ThreadHandle.join(timeout)``: the timeout expiring races the thread's end."""
    lock = env.threading.Lock()

    def worker() -> None:
        with lock:
            pass

    handle = env.thread.start_joinable_thread(worker)
    handle.join(0.5)
    done = handle.is_done()
    handle.join()
    return lambda: done


PROGRAMS: dict[str, Callable[[Env], object]] = {
    "2 threads x 2 sections": critical_sections(2, 2),
    "locks in opposite orders (deadlock)": opposite_orders,
    "wait under if (failure)": consumers(use_while=False),
    "wait(timeout) racing notify (failure)": notify_races_timeout,
    "Event.wait(timeout)": event_wait_timeout,
    "RLock reentry": rlock_reentry,
    "thread start, then _limbo read under _active_limbo_lock": start_reads_limbo,
    "Event handoff, then a read under a lock": event_handoff_then_read,
    "Event.is_set racing set": event_is_set_race,
    "Condition notify racing a timeout (clock read)": notify_races_timeouts,
    "three threads on two locks": three_threads_two_locks,
    "thread start racing enumerate()": start_races_enumerate,
    "Handle.done racing the thread's end": handle_done_race,
    "join(timeout) racing the thread's end": join_timeout_races_end,
}
SKIP = {
    ("impl", "wait under if (failure)"),  # impl's Python RLock: the naive search takes ~90,000 runs
    ("impl", "thread start, then _limbo read under _active_limbo_lock"),  # threading.py's own names
    ("threading", "join(timeout) racing the thread's end"),  # 3.11's threading.py has no _ThreadHandle
}
CASES = [(m, p) for m in ("threading", "impl") for p in PROGRAMS if (m, p) not in SKIP]


def outcomes(e: Exploration) -> tuple[set[object], set[tuple[str, str]], bool]:
    """What must agree: the outcomes, the failures (kind and message), whether some run deadlocks."""
    return set(e.outcomes), {(f.kind, f.message) for f in e.failures}, bool(e.deadlock_count)


@pytest.mark.parametrize(("module", "name"), CASES)
def test_reduced_and_naive_explorations_agree(module: str, name: str) -> None:
    program = PROGRAMS[name]
    reduced = explore(program, module=module, max_reports=10**6)  # type: ignore[arg-type]
    naive = explore(program, module=module, reduction=False, max_reports=10**6)  # type: ignore[arg-type]
    assert naive.complete and reduced.complete
    assert len(naive.outcomes) + len(naive.failures) + naive.deadlock_count >= 2, "not a race"
    assert outcomes(reduced) == outcomes(naive)
    assert reduced.schedules <= naive.schedules
    if naive.schedules > 10:  # (a few schedules may all be needed: every pair of transitions conflicts)
        assert reduced.schedules + reduced.pruned < naive.schedules


def test_a_reload_keeps_the_keys_of_the_module_s_locks() -> None:
    """Sleep sets compare footprints recorded in earlier runs: a reload must not rename a lock."""
    session = Session("threading", None)
    before = session.modules["threading"]._active_limbo_lock.key
    session.run(start_reads_limbo, _OneRun())  # a run that changes the module (a new thread's entry)
    session._load()
    assert session.modules["threading"]._active_limbo_lock.key == before


class _OneRun:
    """A strategy that runs the current thread whenever it can (one schedule)."""

    reason = None

    def begin(self) -> None:
        pass

    def choose(self, options: list[int], fp: set[int], current: int) -> int:
        return current << 1 if current << 1 in options else options[0]

    def finish(self, fp: set[int] | None) -> None:
        pass


def test_plain_data_shared_outside_a_lock_must_be_declared_with_touch() -> None:
    """Two Semaphore(2) holders append to one list: without ``env.touch`` the reduction takes the
    appends for independent and never shows both holders at once; declared, it does."""

    def undeclared(env: Env) -> Callable[[], object]:
        sem = env.threading.Semaphore(2)
        holders: list[int] = []
        most = [0]

        def worker(i: int) -> None:
            with sem:
                holders.append(i)
                most[0] = max(most[0], len(holders))
                env.threading.Lock().acquire(blocking=False)
                holders.remove(i)

        for i in range(3):
            env.spawn(worker, i)
        return lambda: most[0]

    assert set(explore(undeclared).outcomes) == {1}
    assert set(explore(semaphore_holders).outcomes) == {1, 2}


def is_set_read_without_a_lock(env: Env) -> Callable[[], object]:
    """``Event.is_set()`` reads the flag without a lock, after a transition on an unrelated lock."""
    th = env.threading
    event = th.Event()
    lock = th.Lock()
    seen: list[bool] = []

    def reader() -> None:
        with lock:
            pass
        seen.append(event.is_set())

    env.spawn(event.set)
    env.spawn(reader)
    return lambda: tuple(seen)


@pytest.mark.xfail(strict=True, reason="known gap: a read the module makes without any lock (Event.is_set) "
                   "is invisible to the footprints; the reduction keeps only one order")
@pytest.mark.parametrize("module", ["threading", "impl"])
def test_a_read_without_a_lock_inside_the_module_is_ordered(module: str) -> None:
    reduced = explore(is_set_read_without_a_lock, module=module)
    naive = explore(is_set_read_without_a_lock, module=module, reduction=False)
    assert set(naive.outcomes) == {(False,), (True,)}
    assert outcomes(reduced) == outcomes(naive)

