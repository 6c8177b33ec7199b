"""The named properties of proofs/properties.py: each holds on the spec, within bounds where it
has something to check, and each fails on a seeded break of the spec (so none holds vacuously);
the explore rows of ``threadspec prove``."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest

from proofs import bounds, explore_rows, properties, prove
from proofs.properties import PROPERTIES, Property, check
from proofs.table import ProveOptions, Shard
from spec import barrier, condition, event, lock, rlock, semaphore
from spec.core import Done, PrimitiveSpec, Result, Step
from spec.values import Call, Returned

# ---------------------------------------------------------------------------
# Every property holds on the spec, and is exercised
# ---------------------------------------------------------------------------

SMALL = [
    "Lock 3.11",
    "RLock 2.7 basic",
    "RLock 3.11 full",
    "Condition 3.11 cpython RLock",
    "Condition 2.7 cpython Lock",
    "Semaphore(1) 3.11",
    "Semaphore(1) 3.11 documented",
    "BoundedSemaphore(2) 3.11",
    "Event 3.11",
    "Event 2.7",
    "Barrier(2) 3.11",
    "Barrier(2) 3.11 documented",
    "Thread 3.11 excepthook",
    "Timer 3.11",
    "local subclass 3.11",
]
"""A bound or two per primitive, small enough for a test (``threadspec prove`` runs them all)."""


@pytest.mark.parametrize("name", SMALL)
def test_every_property_holds_and_is_exercised(name: str) -> None:
    bound = bounds.named(name)
    run = check(bound)
    assert run.pinned_ok, (run.states, run.spec_nodes)
    assert set(run.verdicts) == {p.name for p in properties.for_bound(bound)}
    for v in run.verdicts.values():
        assert v.ok, v.counterexample
        assert v.checks > 0, f"{v.prop.name} had nothing to check in {name}"


def test_every_property_is_exercised_by_some_small_bound() -> None:
    covered = {p.name for name in SMALL for p in properties.for_bound(bounds.named(name))}
    assert covered == {p.name for p in PROPERTIES}


def test_every_bound_has_a_primitive_of_the_spec() -> None:
    for b in bounds.BOUNDS:
        assert b.spec.name == b.primitive
        assert properties.for_bound(b)[:2] == [properties.INVARIANTS, properties.DETERMINISM]


# ---------------------------------------------------------------------------
# Seeded breaks: each property fails on at least one
# ---------------------------------------------------------------------------

Invoke = Callable[[Any, Call], Result[Any]]
Seed = Callable[[PrimitiveSpec[Any]], PrimitiveSpec[Any]]
Wrap = Callable[[Invoke, Any, Call], Result[Any]]


def with_invoke(spec: PrimitiveSpec[Any], wrap: Wrap) -> PrimitiveSpec[Any]:
    return replace(spec, invoke=lambda s, c: wrap(spec.invoke, s, c))


def semaphore_acquire_decrements_at_zero(spec: PrimitiveSpec[Any]) -> PrimitiveSpec[Any]:
    def wrap(invoke: Invoke, s: semaphore.State, c: Call) -> Result[Any]:
        if c.op == "acquire" and s.counter == 0 and not c.args:
            return Done(Returned(True), replace(s, counter=s.counter - 1), "seeded")
        return invoke(s, c)

    return with_invoke(spec, wrap)


def semaphore_acquire_at_zero_keeps_counter(spec: PrimitiveSpec[Any]) -> PrimitiveSpec[Any]:
    """Subtler: the counter stays at 0 (no invariant breaks), but a thread got a unit."""

    def wrap(invoke: Invoke, s: semaphore.State, c: Call) -> Result[Any]:
        if c.op == "acquire" and s.counter == 0 and not c.args:
            return Done(Returned(True), s, "seeded")
        return invoke(s, c)

    return with_invoke(spec, wrap)


def bounded_release_skips_bound(spec: PrimitiveSpec[Any]) -> PrimitiveSpec[Any]:
    def wrap(invoke: Invoke, s: semaphore.State, c: Call) -> Result[Any]:
        if c.op != "release":
            return invoke(s, c)
        r = invoke(replace(s, bound=None), c)
        assert isinstance(r, Done)
        return Done(r.outcome, replace(r.state, bound=s.bound), r.clause)

    return with_invoke(spec, wrap)


def release_flips_its_clause(spec: PrimitiveSpec[Any]) -> PrimitiveSpec[Any]:
    """invoke reads hidden mutable state: every other release names another clause."""
    flips = itertools.count()

    def wrap(invoke: Invoke, s: Any, c: Call) -> Result[Any]:
        r = invoke(s, c)
        if c.op == "release" and isinstance(r, Done) and next(flips) % 2:
            return Done(r.outcome, r.state, "flipped")
        return r

    return with_invoke(spec, wrap)


def lock_acquire_of_locked_lock_succeeds(spec: PrimitiveSpec[Any]) -> PrimitiveSpec[Any]:
    def wrap(invoke: Invoke, s: lock.State, c: Call) -> Result[Any]:
        if c.op == "acquire" and s.locked and not c.args:
            return Done(Returned(True), replace(s, holder=c.thread), "seeded")
        return invoke(s, c)

    return with_invoke(spec, wrap)


def rlock_release_by_non_owner(spec: PrimitiveSpec[Any]) -> PrimitiveSpec[Any]:
    def wrap(invoke: Invoke, s: rlock.State, c: Call) -> Result[Any]:
        if c.op == "release" and s.owner is not None and s.owner != c.thread:
            r = invoke(replace(s, owner=c.thread), c)
            assert isinstance(r, Done)
            return Done(r.outcome, replace(r.state, owner=s.owner if r.state.level else None), "seeded")
        return invoke(s, c)

    return with_invoke(spec, wrap)


def never_woken(spec: PrimitiveSpec[Any]) -> PrimitiveSpec[Any]:
    """No wakeup is ever offered (the spec's own invariants still call the real wakeups)."""
    return replace(spec, wakeups=lambda s: iter(()))


def event_wakes_unset_waiters(spec: PrimitiveSpec[Any]) -> PrimitiveSpec[Any]:
    """A spurious wakeup: a waiter no set has woken returns True."""

    def wakeups(s: event.State) -> Iterator[Step[Any]]:
        yield from spec.wakeups(s)
        for i, w in enumerate(s.waiters):
            if not w.woken:
                rest = replace(s, waiters=s.waiters[:i] + s.waiters[i + 1 :])
                yield Step(w.thread, Returned(True), rest, "seeded")

    return replace(spec, wakeups=wakeups)


def event_untimed_wait_expires(spec: PrimitiveSpec[Any]) -> PrimitiveSpec[Any]:
    def expiries(s: event.State) -> Iterator[Step[Any]]:
        for i, w in enumerate(s.waiters):
            if not w.woken:
                rest = replace(s, waiters=s.waiters[:i] + s.waiters[i + 1 :])
                yield Step(w.thread, Returned(False), rest, "seeded")

    return replace(spec, expiries=expiries)


def barrier_parties(delta: int) -> Seed:
    """A barrier that trips at ``parties + delta`` arrivals."""

    def seed(spec: PrimitiveSpec[Any]) -> PrimitiveSpec[Any]:
        def create(profile: Any, c: Call) -> Done[Any]:
            r = spec.create(profile, c)
            assert isinstance(r.state, barrier.State)
            return Done(r.outcome, replace(r.state, parties=r.state.parties + delta), r.clause)

        return replace(spec, create=create)

    return seed


def condition_returns_without_the_lock(spec: PrimitiveSpec[Any]) -> PrimitiveSpec[Any]:
    def wakeups(s: condition.State) -> Iterator[Step[Any]]:
        for st in spec.wakeups(s):
            if st.outcome is not None and s.sleeper(st.thread) is not None:
                st = Step(st.thread, st.outcome, replace(st.state, owner=None, level=0), st.clause)
            yield st

    return replace(spec, wakeups=wakeups)


@dataclass(frozen=True)
class Break:
    name: str
    prop: Property
    bound: str
    seed: Seed
    says: str
    """A fragment of the counterexample's first line."""


BREAKS = [
    Break("Semaphore acquire decrements at 0", properties.INVARIANTS, "Semaphore(1) 3.11",
          semaphore_acquire_decrements_at_zero, "inv_counter_nonnegative"),
    Break("Lock release reads hidden state", properties.DETERMINISM, "Lock 3.11", release_flips_its_clause,
          "then"),
    Break("Lock acquire of a locked lock succeeds", properties.MUTUAL_EXCLUSION, "Lock 3.11",
          lock_acquire_of_locked_lock_succeeds, "acquired the lock while"),
    Break("RLock release by a non-owner", properties.RLOCK_LEVEL, "RLock 2.7 basic",
          rlock_release_by_non_owner, "released more often than it acquired"),
    Break("RLock release by a non-owner", properties.MUTUAL_EXCLUSION, "RLock 2.7 basic",
          rlock_release_by_non_owner, "acquired the lock while"),
    Break("Semaphore acquire decrements at 0", properties.SEMAPHORE_NONNEGATIVE, "Semaphore(1) 3.11",
          semaphore_acquire_decrements_at_zero, "more acquires succeeded"),
    Break("Semaphore acquire at 0 keeps the counter", properties.SEMAPHORE_NONNEGATIVE,
          "Semaphore(1) 3.11 documented", semaphore_acquire_at_zero_keeps_counter, "more acquires succeeded"),
    Break("BoundedSemaphore release skips the bound", properties.BOUNDED_AT_MOST_INITIAL,
          "BoundedSemaphore(2) 3.11", bounded_release_skips_bound, "above its initial 2"),
    Break("Event wakeup never offered", properties.NOT_STRANDED, "Event 3.11", never_woken,
          "no wakeup is offered"),
    Break("Lock wakeup never offered", properties.NOT_STRANDED, "Lock 3.11", never_woken,
          "no wakeup is offered"),
    Break("Barrier wakeup never offered", properties.NOT_STRANDED, "Barrier(2) 3.11", never_woken,
          "no wakeup is offered"),
    Break("Event waiter woken without a set", properties.EVENT_WAIT, "Event 3.11", event_wakes_unset_waiters,
          "no set came since it began"),
    Break("Event wait without timeout expires", properties.EVENT_WAIT, "Event 3.11",
          event_untimed_wait_expires, "has no timeout, yet timed out"),
    Break("Barrier releasing parties + 1", properties.BARRIER_RELEASE, "Barrier(2) 3.11", barrier_parties(1),
          "not an index below parties=2"),
    Break("Barrier releasing parties - 1", properties.BARRIER_RELEASE, "Barrier(3) 3.11", barrier_parties(-1),
          "released 2 threads, not parties=3"),
    Break("Condition wait returns without the lock", properties.CONDITION_REACQUIRES,
          "Condition 3.11 cpython RLock", condition_returns_without_the_lock, "returned without the lock"),
]


@pytest.mark.parametrize("brk", BREAKS, ids=lambda b: f"{b.prop.name}: {b.name}")
def test_property_fails_on_a_seeded_break(brk: Break) -> None:
    bound = bounds.named(brk.bound)
    assert check(bound, [brk.prop]).verdicts[brk.prop.name].ok  # the same bound, unbroken
    verdict = check(bound, [brk.prop], spec=brk.seed(bound.spec), limit=200_000).verdicts[brk.prop.name]
    assert not verdict.ok
    assert verdict.counterexample is not None and brk.says in verdict.counterexample.splitlines()[0]
    assert "\n  after: " in verdict.counterexample


def test_every_property_has_a_seeded_break() -> None:
    assert {b.prop.name for b in BREAKS} == {p.name for p in PROPERTIES}


def test_counterexample_is_the_schedule_that_broke_it() -> None:
    bound = bounds.named("Lock 3.11")
    spec = lock_acquire_of_locked_lock_succeeds(bound.spec)
    name = properties.MUTUAL_EXCLUSION.name
    verdict = check(bound, [properties.MUTUAL_EXCLUSION], spec=spec).verdicts[name]
    assert verdict.counterexample == (
        "t0 acquired the lock while t0 held it\n"
        "  after: t0.acquire() -> returned True ; t0.acquire() -> returned True"
    )


def test_a_changed_pinned_count_fails_its_row() -> None:
    bound = replace(bounds.named("Semaphore(1) 2.7"), pinned=(68, 501))
    pinned, *others = explore_rows.bound_rows(bound)
    assert pinned.property == explore_rows.PINNED and not pinned.ok
    assert pinned.counterexample is not None and "68 states and 500 nodes" in pinned.counterexample
    assert all(r.ok for r in others)


# ---------------------------------------------------------------------------
# The rows of threadspec prove
# ---------------------------------------------------------------------------


def test_rows_honour_only_and_name_every_property() -> None:
    rows = list(explore_rows.rows(ProveOptions(only=frozenset({"Semaphore", "Event"}))))
    chosen = bounds.for_primitive("Semaphore", "Event")
    assert {r.bound for r in rows} == {b.describe() for b in chosen}
    expected = sum(1 + len(properties.for_bound(b)) for b in chosen)
    assert len(rows) == expected and all(r.ok and r.family == "explore" for r in rows)
    assert {r.property for r in rows} >= {explore_rows.PINNED, properties.EVENT_WAIT.name,
                                          properties.SEMAPHORE_NONNEGATIVE.name}
    assert all(r.explored > 0 and r.unit == "states" for r in rows)


def test_shards_split_the_bounds() -> None:
    only = frozenset({"RLock"})
    shards = [explore_rows.chosen(ProveOptions(only=only, shard=Shard(k, 4))) for k in (1, 2, 3, 4)]
    names = [b.name for shard in shards for b in shard]
    assert sorted(names) == sorted(b.name for b in bounds.for_primitive("RLock")) and all(shards)


def test_a_spec_that_raises_is_a_failed_row() -> None:
    def boom(s: Any, c: Call) -> Result[Any]:
        raise AssertionError("seeded")

    bound = replace(bounds.named("Lock 3.11"), adapt=lambda spec: replace(spec, invoke=boom))
    (row,) = explore_rows.bound_rows(bound)
    assert not row.ok and row.counterexample is not None and "AssertionError: seeded" in row.counterexample


def test_explore_rows_is_a_prove_family() -> None:
    assert "proofs.explore_rows" in prove.FAMILIES
    assert list(explore_rows.rows(ProveOptions(replay="0.1.2"))) == []
