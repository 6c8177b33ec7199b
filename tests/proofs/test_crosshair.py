"""CrossHair on the spec: the contracts hold, the golden breaks are found, the rows report it.

``test_crosshair_finds_every_golden_break_and_no_false_alarm`` runs CrossHair for real (in
two worker processes): every primitive's contract within ``CONTRACT_BUDGET`` CPU seconds
without a counterexample, and every seeded break of ``proofs.golden_breaks.BREAKS`` reported
with its expected property within its budget.
"""

from __future__ import annotations

import math

import pytest

from proofs import crosshair_rows
from proofs.crosshair.check import Job, Outcome, call_text, replay, run_jobs
from proofs.crosshair.contracts import CONTRACTS, LOCK_PROPERTIES, broken, lock_contracts
from proofs.golden_breaks import BEYOND_BUDGET, BREAKS, Break, patched
from proofs.table import ProveOptions
from spec import PRIMITIVES, semaphore
from spec.profiles import PY27, PY311, Profile
from spec.values import Raised, Returned, call

ALL = BREAKS + BEYOND_BUDGET


def test_the_golden_file_holds_at_least_eight_distinct_breaks() -> None:
    assert len(BREAKS) >= 8
    assert len({b.name for b in ALL}) == len(ALL)
    assert all(b.primitive in CONTRACTS for b in ALL)


@pytest.mark.parametrize("b", ALL, ids=lambda b: b.name)
def test_the_witness_keeps_the_contract_and_the_break_breaks_it(b: Break) -> None:
    fn, properties = CONTRACTS[b.primitive]
    assert broken(fn(*b.witness), properties) == []
    with patched(b):
        assert b.expected in broken(fn(*b.witness), properties)


def test_patched_restores_the_function_and_its_transition_table() -> None:
    (b,) = [x for x in BREAKS if x.name == "semaphore-release-adds-one-more"]
    with patched(b):
        assert semaphore.TRANSITIONS["release"] is semaphore.release
        assert semaphore.release.__name__ == "broken"
    assert semaphore.release.__name__ == "release"
    assert semaphore.TRANSITIONS["release"] is semaphore.release


def test_a_counterexample_is_read_back_from_crosshairs_message_and_replayed() -> None:
    (b,) = [x for x in BREAKS if x.name == "lock-nan-timeout-accepted"]
    args = ", ".join(repr(x) for x in b.witness)
    message = f"false when calling lock_contracts({args}) (which returns Trace(x=(1, 2)))"
    text = call_text(message, "lock_contracts")
    assert text == f"lock_contracts({args})"
    assert replay(lock_contracts, text, LOCK_PROPERTIES) == []
    with patched(b):
        assert replay(lock_contracts, text, LOCK_PROPERTIES) == ["bad_timeouts_raise"]


def test_crosshair_finds_every_golden_break_and_no_false_alarm() -> None:
    jobs = [Job(p, crosshair_rows.CONTRACT_BUDGET) for p in CONTRACTS]
    jobs += [Job(b.primitive, b.budget, b.name) for b in BREAKS]
    outcomes = run_jobs(jobs, crosshair_rows.WORKERS)
    report = [f"{j.seeded or j.primitive}: {o.counterexample or o.message or '-'} {o.broken} "
              f"{o.seconds:.1f} s, {o.iterations} paths" for j, o in zip(jobs, outcomes, strict=True)]
    for job, o in zip(jobs, outcomes, strict=True):
        if job.seeded is None:
            assert o.ok, "\n".join(report)
            assert o.iterations > 0, "\n".join(report)
        else:
            expected = next(b.expected for b in BREAKS if b.name == job.seeded)
            assert expected in o.broken, "\n".join(report)


def test_rows_honour_only(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Job] = []

    def fake(jobs: list[Job], workers: int) -> list[Outcome]:
        seen.extend(jobs)
        return [Outcome(j.primitive, j.budget, 0.0) for j in jobs]

    monkeypatch.setattr(crosshair_rows, "run_jobs", fake)
    rows = list(crosshair_rows.rows(ProveOptions(only=frozenset({"Lock"}))))
    assert {j.primitive for j in seen} == {"Lock"}
    assert [r.property for r in rows] == [
        "Lock contract holds", "Lock impl agrees with the spec", "golden breaks are all found"
    ]
    assert [j.agreement for j in seen][:2] == [False, True]
    # a break that is not found fails the golden row
    assert rows[0].ok and rows[1].ok and not rows[2].ok
    assert list(crosshair_rows.rows(ProveOptions(only=frozenset({"Thread"})))) == []


# What CPython 2.7, 3.6-3.13 do with an int too large for a float as a timeout (measured with each
# pyenv interpreter): the conversion fails, OverflowError, which is the call's outcome.
HUGE = 10**400
HUGE_TIMEOUTS = [
    ("Lock", PY311, (), ("acquire", True, HUGE), Raised("OverflowError")),
    ("Lock", PY311, (), ("acquire", True, -HUGE), Raised("OverflowError")),
    ("Lock", PY311, (), ("acquire", False, HUGE), Raised("OverflowError")),
    ("Lock", PY311, (), ("acquire", False, math.inf), Raised("OverflowError")),
    ("Semaphore", PY311, (0,), ("acquire", True, HUGE), Raised("OverflowError")),
    ("Semaphore", PY311, (0,), ("acquire", True, -HUGE), Raised("OverflowError")),
    ("Semaphore", PY311, (1,), ("acquire", True, HUGE), Returned(True)),
    ("Event", PY311, (), ("wait", HUGE), Raised("OverflowError")),
    ("Event", PY311, (), ("wait", -HUGE), Returned(False)),
    ("Event", PY27, (), ("wait", HUGE), Raised("OverflowError")),
    ("Event", PY27, (), ("wait", -HUGE), Raised("OverflowError")),
]


@pytest.mark.parametrize("kind, profile, init, op, expected", HUGE_TIMEOUTS, ids=str)
def test_a_huge_int_timeout_is_an_outcome_not_a_crash(
    kind: str, profile: Profile, init: tuple[int, ...], op: tuple[object, ...], expected: Raised
) -> None:
    """A CrossHair finding (issue 11): ``float()`` of such a timeout used to raise inside the
    spec's transition instead of becoming the call's outcome."""
    primitive = PRIMITIVES[kind]
    s = primitive.create(profile, call(0, "__init__", *init)).state
    assert s is not None
    r = primitive.invoke(s, call(0, *op))  # type: ignore[arg-type]
    assert getattr(r, "outcome", None) == expected
