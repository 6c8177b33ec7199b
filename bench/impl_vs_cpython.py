"""impl against CPython's pure-Python threading classes, in the same run, as time ratios.

    python bench/impl_vs_cpython.py [--repeat 15] [--scale 1.0] [--json]

For each workload, impl's class and CPython's pure-Python one (``threading._PyRLock``,
``threading.Condition``, ``Semaphore``, ``BoundedSemaphore``, ``Event``,
``Barrier``, ``Thread``) run alternately ``--repeat`` times; the best time of
each is kept (the least disturbed by the rest of the machine) and the ratio
impl / CPython is printed. A ratio above ``LIMIT`` (1.10) is flagged, and the
exit status is 1 if any is.

Each workload runs in a fresh interpreter (the one running this script), so
that what one workload leaves behind (specialised bytecode, shared instance
dictionaries, garbage) does not tilt the next, pinned to one CPU where the OS
allows, so that hand-offs between threads measure the code rather than the
scheduler's cross-CPU wakeups. A workload that runs wholly in the calling thread,
without blocking, is timed by that thread's CPU time; the others (helper threads,
hand-offs, ``join``) by the wall clock.

A Condition is compared with the same kind of lock on both sides: wholly in
Python (``_PyRLock`` under CPython's Condition, impl's RLock under impl's), or
the interpreter's primitive Lock under both. The helper threads of the
contended workloads are CPython's own, so that only the primitive differs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import impl  # noqa: E402

LIMIT = 1.10

CPYTHON = SimpleNamespace(
    name="cpython",
    RLock=threading._PyRLock,  # type: ignore[attr-defined]
    Lock=threading.Lock,
    Condition=threading.Condition,
    Semaphore=threading.Semaphore,
    BoundedSemaphore=threading.BoundedSemaphore,
    Event=threading.Event,
    Barrier=threading.Barrier,
    Thread=threading.Thread,
)
IMPL = SimpleNamespace(
    name="impl",
    RLock=impl.RLock,
    Lock=impl.Lock,
    Condition=impl.Condition,
    Semaphore=impl.Semaphore,
    BoundedSemaphore=impl.BoundedSemaphore,
    Event=impl.Event,
    Barrier=impl.Barrier,
    Thread=impl.Thread,
)

Workload = Callable[[Any, int], float]
"""Runs ``n`` operations with the classes of one side; returns the seconds they took."""


yield_cpu: Callable[[], None] = getattr(os, "sched_yield", lambda: time.sleep(0))
"""Let another thread run: releases the GIL, and (pinned to one CPU) hands the CPU over."""


def timed(fn: Callable[[], None]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def timed_in_this_thread(fn: Callable[[], None]) -> float:
    """The CPU time ``fn`` takes in the calling thread, for work that neither blocks nor uses
    other threads: on a loaded machine, wall time would also count the slices other
    processes take from the (pinned) CPU, on either side at random."""
    start = time.thread_time()
    fn()
    return time.thread_time() - start


def in_two_threads(a: Callable[[], None], b: Callable[[], None]) -> float:
    """Run ``a`` and ``b`` in two helper threads started together; the time until both end."""
    gate = threading.Barrier(3)

    def run(body: Callable[[], None]) -> Callable[[], None]:
        def go() -> None:
            gate.wait()
            body()

        return go

    threads = [threading.Thread(target=run(a)), threading.Thread(target=run(b))]
    for t in threads:
        t.start()
    start = time.perf_counter()
    gate.wait()
    for t in threads:
        t.join()
    return time.perf_counter() - start


# ---------------------------------------------------------------------------
# Workloads
# ---------------------------------------------------------------------------


def rlock_acquire_release(m: Any, n: int) -> float:
    lock = m.RLock()

    def loop() -> None:
        acquire, release = lock.acquire, lock.release
        for _ in range(n):
            acquire()
            release()

    return timed_in_this_thread(loop)


def rlock_with(m: Any, n: int) -> float:
    lock = m.RLock()

    def loop() -> None:
        for _ in range(n):
            with lock:
                pass

    return timed_in_this_thread(loop)


def rlock_recursive(m: Any, n: int) -> float:
    lock = m.RLock()
    lock.acquire()

    def loop() -> None:
        for _ in range(n):
            with lock:
                pass

    return timed_in_this_thread(loop)


def rlock_contended(m: Any, n: int) -> float:
    """Each thread yields the CPU while it holds the lock, so the other finds it held.

    Without the yield the two threads would not contend at all: under the GIL each
    runs its loop uncontended for a whole switch interval (milliseconds), and the
    workload would measure the uncontended path a second time. With it, pinned to
    one CPU, nearly every ``acquire`` (all but a handful in 20,000) blocks.
    """
    lock = m.RLock()

    def loop() -> None:
        acquire, release = lock.acquire, lock.release
        for _ in range(n // 2):
            acquire()
            yield_cpu()
            release()

    return in_two_threads(loop, loop)


def _condition_ping_pong(cond: Any, n: int) -> float:
    state = {"turn": 0}

    def player(me: int) -> Callable[[], None]:
        def play() -> None:
            for _ in range(n // 2):
                with cond:
                    while state["turn"] != me:
                        cond.wait()
                    state["turn"] = 1 - me
                    cond.notify()

        return play

    return in_two_threads(player(0), player(1))


def condition_rlock_round_trip(m: Any, n: int) -> float:
    return _condition_ping_pong(m.Condition(m.RLock()), n)


def condition_lock_round_trip(m: Any, n: int) -> float:
    return _condition_ping_pong(m.Condition(m.Lock()), n)


def condition_notify_no_waiters(m: Any, n: int) -> float:
    cond = m.Condition(m.Lock())

    def loop() -> None:
        with cond:
            for _ in range(n):
                cond.notify()

    return timed_in_this_thread(loop)


def semaphore_acquire_release(m: Any, n: int) -> float:
    sem = m.Semaphore(1)

    def loop() -> None:
        for _ in range(n):
            sem.acquire()
            sem.release()

    return timed_in_this_thread(loop)


def bounded_semaphore_with(m: Any, n: int) -> float:
    sem = m.BoundedSemaphore(1)

    def loop() -> None:
        for _ in range(n):
            with sem:
                pass

    return timed_in_this_thread(loop)


def semaphore_round_trip(m: Any, n: int) -> float:
    ping, pong = m.Semaphore(0), m.Semaphore(0)

    def a() -> None:
        for _ in range(n // 2):
            ping.release()
            pong.acquire()

    def b() -> None:
        for _ in range(n // 2):
            ping.acquire()
            pong.release()

    return in_two_threads(a, b)


def event_set_wait_round_trip(m: Any, n: int) -> float:
    ping, pong = m.Event(), m.Event()

    def a() -> None:
        for _ in range(n // 2):
            ping.set()
            pong.wait()
            pong.clear()

    def b() -> None:
        for _ in range(n // 2):
            ping.wait()
            ping.clear()
            pong.set()

    return in_two_threads(a, b)


def event_is_set_wait_set(m: Any, n: int) -> float:
    event = m.Event()
    event.set()

    def loop() -> None:
        for _ in range(n):
            event.wait()
            event.is_set()

    return timed_in_this_thread(loop)


def barrier_rounds(m: Any, n: int) -> float:
    barrier = m.Barrier(2)

    def party() -> None:
        for _ in range(n // 2):
            barrier.wait()

    return in_two_threads(party, party)


def thread_start_join(m: Any, n: int) -> float:
    def noop() -> None:
        pass

    def loop() -> None:
        for _ in range(n):
            t = m.Thread(target=noop)
            t.start()
            t.join()

    return timed(loop)


@dataclass(frozen=True)
class Bench:
    name: str
    workload: Workload
    n: int


BENCHES = (
    Bench("RLock acquire+release, uncontended", rlock_acquire_release, 20_000),
    Bench("RLock with, uncontended", rlock_with, 20_000),
    Bench("RLock with, recursive", rlock_recursive, 20_000),
    Bench("RLock acquire+release, two threads contending", rlock_contended, 20_000),
    Bench("Condition(RLock) wait/notify round trip", condition_rlock_round_trip, 2_000),
    Bench("Condition(Lock) wait/notify round trip", condition_lock_round_trip, 2_000),
    Bench("Condition notify, no waiters", condition_notify_no_waiters, 20_000),
    Bench("Semaphore acquire+release, uncontended", semaphore_acquire_release, 20_000),
    Bench("BoundedSemaphore with, uncontended", bounded_semaphore_with, 20_000),
    Bench("Semaphore release/acquire round trip", semaphore_round_trip, 2_000),
    Bench("Event set/wait round trip", event_set_wait_round_trip, 2_000),
    Bench("Event wait+is_set when set", event_is_set_wait_set, 20_000),
    Bench("Barrier(2) rounds", barrier_rounds, 2_000),
    Bench("Thread start+join", thread_start_join, 500),
)


@dataclass(frozen=True)
class Row:
    name: str
    cpython_us: float
    impl_us: float

    @property
    def ratio(self) -> float:
        return self.impl_us / self.cpython_us


def measure(bench: Bench, repeat: int, scale: float) -> Row:
    n = max(2, int(bench.n * scale))
    best = {"cpython": float("inf"), "impl": float("inf")}
    for i in range(repeat):
        sides = (CPYTHON, IMPL) if i % 2 == 0 else (IMPL, CPYTHON)
        for side in sides:
            best[side.name] = min(best[side.name], bench.workload(side, n))
    return Row(bench.name, best["cpython"] / n * 1e6, best["impl"] / n * 1e6)


def measure_in_child(bench: Bench, repeat: int, scale: float) -> Row:
    """``measure`` in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, __file__, "--worker", bench.name, "--repeat", str(repeat), "--scale", str(scale)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return Row(**json.loads(out))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=21, help="runs of each side (best kept)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the operation counts")
    parser.add_argument("--only", default="", help="run only benchmarks whose name contains this")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        if hasattr(os, "sched_setaffinity"):
            # One CPU for all threads: a hand-off between threads then costs a context
            # switch, not a cross-CPU wakeup whose latency varies with the machine's load.
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        (bench,) = [b for b in BENCHES if b.name == args.worker]
        print(json.dumps(measure(bench, args.repeat, args.scale).__dict__))
        return 0
    rows = [measure_in_child(b, args.repeat, args.scale) for b in BENCHES if args.only in b.name]
    if args.json:
        print(json.dumps([{**r.__dict__, "ratio": r.ratio} for r in rows], indent=1))
    else:
        version = ".".join(map(str, sys.version_info[:3]))
        print(f"Python {version}: impl vs CPython's pure-Python classes (best of {args.repeat})")
        print(f"{'workload':45} {'cpython µs/op':>14} {'impl µs/op':>11} {'ratio':>6}")
        for r in rows:
            flag = "" if r.ratio <= LIMIT else f"  > {LIMIT}"
            print(f"{r.name:45} {r.cpython_us:14.3f} {r.impl_us:11.3f} {r.ratio:6.2f}{flag}")
    return 0 if all(r.ratio <= LIMIT for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
