"""How fast the deterministic scheduler explores, and how much the reduction saves.

Three threads each enter two critical sections on one ``Lock()`` of a fresh impl
(``proofs.sched``). Printed:

* the orders of critical sections reached (all 90 = 6! / (2! 2! 2!) must be);
* the schedules run with the reduction, against naive enumeration (every
  enabled thread at every switch point), counted two ways: by running the naive
  explorer, and by a closed count over the same switch points (a small dynamic
  program, independent of the scheduler);
* the rate in schedules per second (per CPU second, which the machine's load
  does not skew, and per wall second), with ratios against two baselines run in
  this process: the same program run plainly (the host's ``threading``, the
  threads' functions called one after another, no scheduler) and the naive
  explorer. For reference, the issue reports frontrun at 115-290 schedules/s and
  interleave-test at 220-750/s (not measured here).

Usage: ``python bench/explore_rate.py [--seconds S]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from proofs.sched import DepthFirst, Env, Session  # noqa: E402

THREADS, SECTIONS = 3, 2
TARGET = 10_000


def program(env: Env) -> Callable[[], object]:
    lock = env.threading.Lock()
    order: list[int] = []

    def worker(i: int) -> None:
        for _ in range(SECTIONS):
            with lock:
                order.append(i)

    for i in range(THREADS):
        env.spawn(worker, i)
    return lambda: tuple(order)


def plain_run() -> tuple[int, ...]:
    """The same work without a scheduler: the host's Lock, the workers called in turn."""
    lock = threading.Lock()
    order: list[int] = []

    def worker(i: int) -> None:
        for _ in range(SECTIONS):
            with lock:
                order.append(i)

    for i in range(THREADS):
        worker(i)
    return tuple(order)


@cache
def naive_count(started: int, progress: tuple[int, ...], held: bool) -> int:
    """Interleavings of the switch points the scheduler has here: the main thread's three
    starts, then each worker's acquire, release, acquire, release; an acquire only when the
    lock is free. Counts the complete sequences (= leaves of the naive search tree)."""
    moves = []
    if started < THREADS:
        moves.append((started + 1, progress, held))
    for i in range(started):
        p = progress[i]
        if p < 2 * SECTIONS and (p % 2 == 1 or not held):
            moves.append((started, progress[:i] + (p + 1,) + progress[i + 1:], p % 2 == 0))
    if not moves:
        return 1
    return sum(naive_count(*m) for m in moves)


def explore_once(session: Session, reduce: bool) -> tuple[int, int, set[object]]:
    strategy = DepthFirst(reduce=reduce)
    schedules = pruned = 0
    outcomes: set[object] = set()
    while True:
        run = session.run(program, strategy)
        if run.end.value == "pruned":
            pruned += 1
        else:
            schedules += 1
            outcomes.add(run.outcome)
        if not strategy.next():
            return schedules, pruned, outcomes


def rate(fn: Callable[[], int], seconds: float) -> tuple[float, float]:
    """Items per CPU second and per wall second of calling ``fn`` (which returns its item count)."""
    n = 0
    c0, w0 = time.process_time(), time.perf_counter()
    while True:
        n += fn()
        cpu, wall = time.process_time() - c0, time.perf_counter() - w0
        if cpu >= seconds:
            return n / cpu, n / wall


def fresh_state(session: Session, seconds: float) -> None:
    """What a fresh module per schedule costs: a reload, against checking that the loaded copy's
    state is still what it was after loading (what ``fresh="reset"`` does after every run)."""
    snapshot = session.snapshot
    assert snapshot is not None

    def checks() -> int:
        for _ in range(100):
            snapshot.same()
        return 100

    check_rate, _ = rate(checks, seconds)
    reload_ms: dict[str, float] = {}
    for module in ("impl", "threading"):
        other = Session(module, None)

        def reload(s: Session = other) -> int:
            s._load()
            return 1

        load_rate, _ = rate(reload, seconds)
        reload_ms[module] = 1e3 / load_rate
        print(f"a fresh {module} for every schedule: reloading costs {reload_ms[module]:.2f} ms per schedule")
    check_us = 1e6 / check_rate
    print(f"load once and reuse (fresh='reset'): checking that a run left impl's state as loaded costs "
          f"{check_us:.1f} us per schedule, {reload_ms['impl'] * 1e3 / check_us:.0f}x less than a reload")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="CPU seconds per measurement")
    args = parser.parse_args()
    session = Session("impl", None)
    schedules, pruned, outcomes = explore_once(session, reduce=True)
    naive, naive_pruned, naive_outcomes = explore_once(session, reduce=False)
    closed = naive_count(0, (0,) * THREADS, False)
    print(f"{THREADS} threads x {SECTIONS} critical sections on one impl Lock() "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    print(f"orders of critical sections reached: {len(outcomes)} of 90 (naive search: {len(naive_outcomes)})")
    print(f"schedules run: {schedules} (+{pruned} abandoned by sleep sets); naive enumeration: {naive} "
          f"schedules (explorer) = {closed} (closed count); ratio {naive / schedules:.1f}x fewer")
    per_cpu, per_wall = rate(lambda: explore_once(session, True)[0], args.seconds)
    naive_cpu, _ = rate(lambda: explore_once(session, False)[0], args.seconds)
    plain_cpu, _ = rate(lambda: len(plain_run()) // (THREADS * SECTIONS), args.seconds / 4)
    print(f"rate: {per_cpu:,.0f} schedules per CPU second ({per_wall:,.0f} per wall second)")
    print(f"  vs naive explorer, same scheduler: {naive_cpu:,.0f}/s -> ratio {per_cpu / naive_cpu:.2f}; "
          f"the whole exploration takes {1e3 * schedules / per_cpu:.1f} ms CPU reduced, "
          f"{1e3 * naive / naive_cpu:.1f} ms naive")
    print(f"  vs plain run of the same program (no scheduler): {plain_cpu:,.0f} runs/s -> "
          f"a schedule costs {plain_cpu / per_cpu:.0f}x a plain run")
    print(f"  vs frontrun 115-290/s, interleave-test 220-750/s (reported in the issue): "
          f"{per_cpu / 290:.0f}x-{per_cpu / 115:.0f}x and {per_cpu / 750:.0f}x-{per_cpu / 220:.0f}x")
    print(f"target {TARGET:,}/s per CPU second: {'met' if per_cpu >= TARGET else 'NOT met'}")
    fresh_state(session, args.seconds / 4)
    ok = len(outcomes) == 90 and schedules < naive == closed
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
