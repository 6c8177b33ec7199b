"""The refinement rows: impl and the host's threading.py refine the spec within the bounds; each
seeded impl bug fails its row with a schedule that replays through ``threadspec prove --replay``."""

from __future__ import annotations

import pytest

from conformance.cli import main
from proofs import refinement, thread_properties
from proofs.refinement_subjects import subjects_for
from proofs.refinement_targets import SEEDS, Seed, impl_target
from proofs.table import ProveOptions, Shard

LOCK = ProveOptions(only=frozenset({"Lock"}))


def test_impl_and_host_threading_refine_the_lock_spec() -> None:
    rows = list(refinement.rows(LOCK))
    assert [r.notes["target"] for r in rows] == ["impl", "threading"]
    for row in rows:
        assert row.ok, row.counterexample
        assert row.notes["programs"] == 136 and row.explored >= 136 and row.unit == "schedules"


def test_shards_add_up_to_the_whole_row() -> None:
    target = impl_target()
    sess = target.session()
    subject = next(s for s in subjects_for(sess.modules["impl"]) if s.name == "RLock")
    full = refinement.subject_row(target, sess, subject, ProveOptions())
    parts = [refinement.subject_row(target, sess, subject, ProveOptions(shard=Shard(k, 3)))
             for k in (1, 2, 3)]
    assert all(p.ok for p in parts) and full.ok
    assert sum(p.explored for p in parts) == full.explored
    assert sum(p.notes["programs"] for p in parts) == full.notes["programs"] == 378


@pytest.mark.parametrize("seed", SEEDS, ids=[s.id for s in SEEDS])
def test_a_seeded_bug_fails_its_row_and_its_schedule_replays(
    seed: Seed, capsys: pytest.CaptureFixture[str]
) -> None:
    row = refinement.seeded_row(seed.id)
    assert not row.ok and row.counterexample is not None
    assert row.property.endswith(f"refines the spec: {seed.primitive}")
    violation = row.counterexample.splitlines()[1]
    assert violation.split(":")[0] in ("unexpected-outcome", "missing-completion")
    replay = row.counterexample.splitlines()[-1].split("--replay ", 1)[1].strip("'")
    assert replay.startswith(f"refinement:impl+{seed.id}:{seed.primitive}:")
    assert main(["prove", "--replay", replay]) == 1
    out = capsys.readouterr().out
    assert violation in out and "1 rows, 1 failed" in out
    # the same schedule on impl without the bug is a history the spec allows
    assert main(["prove", "--replay", replay.replace(f"impl+{seed.id}", "impl")]) == 0


def test_thread_properties_hold_for_impl_and_host_threading() -> None:
    rows = list(thread_properties.rows(ProveOptions()))
    assert {r.notes["target"] for r in rows} == {"impl", "threading"}
    assert len(rows) == 6  # 2 programs on impl; 2, and 2 with a switch at every line, on threading.py
    for row in rows:
        assert row.ok, row.counterexample
        assert row.explored > 1
