"""The scheduler's shortcuts explore exactly what the plain computation does.

* ``DepthFirst`` replays the prefix that ``next()`` kept without recomputing sleep sets (each
  node keeps the one it was reached with): against a strategy that recomputes them at every
  step, the same runs, in the same order, with the same ends and outcomes.
* ``Runtime.op`` and ``Runtime._decide`` compute the options with ``options()`` written out: they
  agree at every switch point.
* ``Snapshot.same()`` compares live objects with copies taken when it was made: every kind of
  change a run can leave in a loaded module is seen; ``VersionReader`` (every dict version in one
  ``struct`` call) sums what a ``ctypes`` cell per dict reads.
* ``Runtime._with`` (memoized footprint unions) is the plain union.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from proofs.sched import DepthFirst, Env, Session, encode
from proofs.sched.loader import _VERSIONS, Snapshot, VersionReader, _version_cell
from proofs.sched.runtime import CLOCK, THREAD_BASE
from proofs.schedule_rows import (
    barrier_generations,
    event_wait_timeout,
    lock_sections,
    producer_consumer,
    rlock_reentry,
    semaphore_holders,
    thread_join,
)
from proofs.table import Shard
from tests.proofs.test_sched import opposite_orders
from tests.proofs.test_sched_condition import consumers, notify_races_timeout
from tests.proofs.test_sched_reduction import (
    handle_done_race,
    join_timeout_races_end,
    notify_races_timeouts,
    three_threads_two_locks,
)


class Recomputing(DepthFirst):
    """``DepthFirst`` without its prefix shortcut: every step recomputes the sleep set."""

    def next(self) -> bool:
        more = super().next()
        self.prefix = -1
        return more


def sleep_then_interrupt(env: Env) -> Callable[[], object]:
    """A sleeper, a timed acquire, and an interrupt of the main thread: every kind of pending operation."""
    lock = env.threading.Lock()
    lock.acquire()
    seen: list[object] = []

    def sleeper() -> None:
        env.time.sleep(0.5)
        seen.append(("slept", env.now()))
        lock.release()

    def timed() -> None:
        seen.append(("timed", lock.acquire(timeout=0.25), env.now()))

    env.spawn(sleeper)
    env.spawn(timed)
    env.spawn(env.thread.interrupt_main)
    try:
        lock.acquire()
    except KeyboardInterrupt:
        seen.append("interrupted")
    return lambda: tuple(map(str, seen))


PROGRAMS: dict[str, Callable[[Env], object]] = {
    "lock sections": lock_sections(3, 2),
    "opposite orders (deadlock)": opposite_orders,
    "Condition, wait under if (failure)": consumers(use_while=False),
    "Condition, wait in a while loop": consumers(use_while=True),
    "wait(timeout) racing notify": notify_races_timeout,
    "notify racing timeouts": notify_races_timeouts,
    "Semaphore holders": semaphore_holders,
    "Barrier generations": barrier_generations,
    "producer and consumer": producer_consumer,
    "RLock reentry": rlock_reentry,
    "Event.wait(timeout)": event_wait_timeout,
    "Thread.join": thread_join,
    "three threads, two locks": three_threads_two_locks,
    "Handle.done racing the end": handle_done_race,
    "join(timeout) racing the end": join_timeout_races_end,
    "sleep, timed acquire, interrupt": sleep_then_interrupt,
}
LIMIT = 600
"""Runs compared per exploration (the first ones; several programs have thousands)."""


def runs(program: Callable[[Env], object], strategy: DepthFirst, module: str) -> list[tuple[object, ...]]:
    session = Session(module, None)
    out: list[tuple[object, ...]] = []
    while len(out) < LIMIT:
        run = session.run(program, strategy)  # type: ignore[arg-type]
        assert not strategy.diverged, strategy.diverged
        out.append((encode(strategy.choices), run.end, repr(run.outcome),
                    tuple(f.message for f in run.failures), tuple(run.blocked)))
        if not strategy.next():
            break
    return out


CASES = [(m, name) for m in ("impl", "threading") for name in PROGRAMS
         if not (m == "threading" and name == "join(timeout) racing the end")]  # (3.11 has no _ThreadHandle)


@pytest.mark.parametrize(("module", "name"), CASES)
def test_replaying_the_prefix_explores_what_recomputing_it_does(module: str, name: str) -> None:
    program = PROGRAMS[name]
    variants: list[tuple[bool, int | None, Shard | None]] = [
        (True, None, None), (False, None, None), (True, 1, None), (True, None, Shard(2, 3))]
    for reduce, bound, shard in variants:
        fast = runs(program, DepthFirst(reduce, bound, shard), module)
        slow = runs(program, Recomputing(reduce, bound, shard), module)
        assert fast == slow, (reduce, bound, shard)
        branched = sum(1 for r in fast if r[0])
        assert branched >= 2 or shard is not None, "a program with a single schedule checks nothing"


class Checking(DepthFirst):
    """``DepthFirst`` that checks, at every switch point, the options against ``Runtime.options()``."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.rt = session.rt
        self.checked = 0

    def choose(self, options: list[int], fp: frozenset[int], current: int) -> int:
        assert options == self.rt.options()
        self.checked += 1
        return super().choose(options, fp, current)


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_the_options_written_out_in_decide_are_options(name: str) -> None:
    module = "threading" if name != "join(timeout) racing the end" else "impl"
    session = Session(module, None)
    strategy = Checking(session)
    for _ in range(200):
        session.run(PROGRAMS[name], strategy)  # type: ignore[arg-type]
        if not strategy.next():
            break
    assert strategy.checked > 3


CHANGES: dict[str, Callable[[Any], None]] = {
    "a module global rebound": lambda m: setattr(m["impl"], "TIMEOUT_MAX", 1.0),
    "a module global added": lambda m: setattr(m["impl"], "left_by_a_run", 1),
    "a class attribute patched": lambda m: setattr(m["impl"].Condition, "wait", None),
    "a module-level lock left held": lambda m: m["impl.thread"]._active_limbo_lock.acquire(),
    "a registry dict entry added": lambda m: m["impl.thread"]._active.__setitem__(12345, object()),
    "a counter advanced": lambda m: m["impl.thread"]._counter(),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_the_snapshot_sees_every_kind_of_change(change: str) -> None:
    session = Session("impl", None)
    snapshot = Snapshot(session.modules)
    assert snapshot.same()
    CHANGES[change](session.modules)
    assert not snapshot.same()


def _move_first_key_last(d: dict[str, int]) -> None:
    key = next(iter(d))
    d[key] = d.pop(key)


ORDER_CHANGES: dict[str, Callable[[dict[str, int], list[int], set[int]], object]] = {
    "the same items in another order": lambda d, items, members: _move_first_key_last(d),
    "a list reversed": lambda d, items, members: items.reverse(),
    "a set member added": lambda d, items, members: members.add(2),
    "a value rebound": lambda d, items, members: d.__setitem__("a", 3),
}


@pytest.mark.parametrize("change", list(ORDER_CHANGES))
def test_the_snapshot_sees_order_list_and_set_changes_and_not_reads(change: str) -> None:
    d: dict[str, int] = {"a": 1, "b": 2}
    items: list[int] = [1, 2]
    members: set[int] = {1}
    module = type(pytest)("fake")
    module.__dict__.update(d=d, items=items, members=members)
    snapshot = Snapshot({"fake": module})
    assert (d["a"], items[0], 1 in members, module.d) == (1, 1, True, d)  # reads change nothing
    assert snapshot.same()
    ORDER_CHANGES[change](d, items, members)
    assert not snapshot.same()


def test_the_snapshot_sees_a_thread_local_namespace_change() -> None:
    session = Session("impl", None)
    local = session.env.thread._local()
    local.x = 1  # (the main thread's namespace, made outside any run)
    module = type(pytest)("fake")
    module.__dict__.update(local=local)
    snapshot = Snapshot({"fake": module})
    assert local.x == 1 and snapshot.same()
    local.x = 2
    assert not snapshot.same()


@pytest.mark.parametrize("module", ["impl", "threading"])
def test_the_version_reader_sums_what_a_cell_per_dict_reads(module: str) -> None:
    """``VersionReader`` (one ``struct`` over a view of memory) against a ``ctypes`` cell per dict,
    before and after each dict in turn changes."""
    if not _VERSIONS:
        pytest.skip("dict versions cannot be read on this interpreter")
    snapshot = Session(module, None).snapshot
    assert snapshot is not None and len(snapshot.dicts) >= 10
    dicts = [*snapshot.dicts, {"extra": 1}]
    reader = VersionReader(dicts)

    def plain() -> int:
        return sum(_version_cell(d).value for d in dicts)

    assert reader.read() == plain()
    for d in dicts:
        before = reader.read()
        d["left by a run"] = 1
        assert reader.read() == plain() > before
        del d["left by a run"]
    assert VersionReader([]).read() == 0


class Slotted:
    __slots__ = ("a", "b")

    def __init__(self) -> None:
        self.a = 1
        self.b = float("nan")  # (compared by identity first, as a list compares its items)


@pytest.mark.parametrize("change", ["rebound", "deleted", "count advanced"])
def test_the_snapshot_sees_slots_rebound_or_deleted_and_counters(change: str) -> None:
    import itertools

    obj = Slotted()
    counter = itertools.count(3)
    module = type(pytest)("fake")
    module.__dict__.update(obj=obj, counter=counter)
    module.__dict__["__name__"] = "tests"  # (Slotted is one of the snapshot's own classes)
    snapshot = Snapshot({"tests": module})
    assert snapshot.same()
    if change == "rebound":
        obj.a = 2
    elif change == "deleted":
        del obj.a
    else:
        next(counter)
    assert not snapshot.same()


def test_a_union_of_footprints_is_the_plain_union_and_kept() -> None:
    rt = Session("impl", None).rt
    for fp in (frozenset(), frozenset({1}), frozenset({1, 2, CLOCK})):
        for key in (1, 3, THREAD_BASE + 2):
            u = rt._with(fp, key)
            assert u == fp | {key} and rt._with(fp, key) is u
