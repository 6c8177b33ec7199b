"""The reduction keeps every outcome, failure and deadlock that naive enumeration finds."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from proofs.sched import Env, explore
from proofs.schedule_rows import event_wait_timeout, rlock_reentry, semaphore_holders
from tests.proofs.test_sched import critical_sections, opposite_orders
from tests.proofs.test_sched_condition import consumers, notify_races_timeout

PROGRAMS: dict[str, Callable[[Env], object]] = {
    "2 threads x 2 sections": critical_sections(2, 2),
    "locks in opposite orders (deadlock)": opposite_orders,
    "wait under if (failure)": consumers(use_while=False),
    "wait(timeout) racing notify (failure)": notify_races_timeout,
    "Event.wait(timeout)": event_wait_timeout,
    "RLock reentry": rlock_reentry,
}
SLOW = ("impl", "wait under if (failure)")
CASES = [(m, p) for m in ("threading", "impl") for p in PROGRAMS if (m, p) != SLOW]
"""(impl's Python RLock makes the naive search of the three-thread Condition program ~90,000 runs)"""


@pytest.mark.parametrize(("module", "name"), CASES)
def test_reduced_and_naive_explorations_agree(module: str, name: str) -> None:
    program = PROGRAMS[name]
    reduced = explore(program, module=module)  # type: ignore[arg-type]
    naive = explore(program, module=module, reduction=False)  # type: ignore[arg-type]
    assert naive.complete and reduced.complete
    assert set(reduced.outcomes) == set(naive.outcomes)
    assert {f.kind for f in reduced.failures} == {f.kind for f in naive.failures}
    assert bool(reduced.deadlock_count) == bool(naive.deadlock_count)
    assert reduced.schedules + reduced.pruned < naive.schedules


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
