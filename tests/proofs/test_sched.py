"""The deterministic scheduler on impl: every interleaving, deadlocks as verdicts, exact replays."""

from __future__ import annotations

from collections.abc import Callable

from proofs.sched import End, Env, explore, replay
from proofs.schedule_rows import lock_sections

critical_sections = lock_sections
"""``threads`` threads, each entering ``sections`` critical sections on one Lock; the outcome is
the order in which the sections ran, and the check asserts that no two overlapped and that every
section ran (the program of the schedule rows)."""


def test_lock_mutual_exclusion_reaches_all_90_orders_in_fewer_schedules_than_naive() -> None:
    reduced = explore(critical_sections())
    naive = explore(critical_sections(), reduction=False)
    assert reduced.ok and naive.ok and reduced.complete and naive.complete
    assert len(reduced.outcomes) == 90 == len(naive.outcomes)  # 6! / (2! 2! 2!)
    assert reduced.schedules < naive.schedules
    assert not reduced.deadlocks and not naive.deadlocks


def test_a_lock_that_does_not_exclude_is_caught() -> None:
    def program(env: Env) -> None:
        inside: list[int] = []

        def worker(i: int) -> None:
            lock = env.threading.Lock()  # each thread its own lock: no exclusion at all
            with lock:
                env.touch(inside)  # shared, and (the bug) not under one lock
                inside.append(i)
                env.threading.Lock().acquire(blocking=False)  # a switch point inside the section
                env.touch(inside)
                assert len(inside) == 1, "two threads in the critical section"
                inside.remove(i)

        env.spawn(worker, 0)
        env.spawn(worker, 1)

    result = explore(program)
    assert not result.ok
    assert "two threads in the critical section" in result.failures[0].message


def opposite_orders(env: Env) -> None:
    a, b = env.threading.Lock(), env.threading.Lock()

    def first() -> None:
        with a, b:
            pass

    def second() -> None:
        with b, a:
            pass

    env.spawn(first, name="first")
    env.spawn(second, name="second")


def test_two_locks_taken_in_opposite_orders_deadlock_and_the_deadlock_replays() -> None:
    result = explore(opposite_orders)
    assert result.ok and result.deadlock_count >= 1 and result.terminal >= 1
    report = result.deadlocks[0]
    assert len(report.blocked) == 2 and all("acquire" in b for b in report.blocked)
    run = replay(opposite_orders, report.schedule)
    assert run.end is End.DEADLOCK
    assert run.schedule == report.schedule
    assert [b.split(" at ")[0] for b in run.blocked] == [b.split(" at ")[0] for b in report.blocked]


def test_replay_reproduces_a_failure_exactly() -> None:
    def program(env: Env) -> Callable[[], object]:
        lock = env.threading.Lock()
        log: list[str] = []

        def worker(name: str) -> None:
            with lock:
                log.append(name)

        env.spawn(worker, "x")
        env.spawn(worker, "y")

        def check() -> object:
            assert log != ["y", "x"], "y went first"
            return tuple(log)

        return check

    result = explore(program)
    assert result.failure_count == 1 and result.outcomes == {("x", "y"): 1}
    failing = result.failures[0]
    for _ in range(3):
        run = replay(program, failing.schedule)
        assert run.end is End.FAILED and run.schedule == failing.schedule
        assert "y went first" in run.failures[0].message
