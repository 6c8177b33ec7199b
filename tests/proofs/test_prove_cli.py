"""``threadspec prove``: its table, its exit status, and its usage errors."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from conformance.cli import main
from proofs import prove
from proofs.table import Row, Shard


def test_prove_prints_a_table_with_the_mypy_row(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(prove, "FAMILIES", ["proofs.static"])
    assert main(["prove", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["family"] for r in rows] == ["mypy"] and rows[0]["ok"] and rows[0]["explored"] > 40


def test_a_failing_row_exits_1_and_prints_its_counterexample() -> None:
    bad = Row("schedule", "mutual exclusion", "3 threads", 7, "schedules", False, 0.1, "replay: 0.1.2")
    text = prove.to_text([bad])
    assert "FAIL" in text and "replay: 0.1.2" in text and "1 failed" in text


@pytest.mark.parametrize("argv", [["prove", "--module", "threading"], ["prove", "--shard", "3/2"]])
def test_usage_errors_exit_2(argv: list[str]) -> None:
    assert main(argv) == 2


def test_shard_parses() -> None:
    assert Shard.parse("2/4") == Shard(2, 4)
    with pytest.raises(ValueError):
        Shard.parse("x")


def test_replay_runs_only_the_family_that_claims_the_string(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys
    import types

    from proofs.table import ProveOptions

    seen: list[str | None] = []

    def fake_rows(options: ProveOptions) -> Iterator[Row]:
        seen.append(options.replay)
        yield Row("fake", "replayed", "1", 1, "schedules", True, 0.0)

    fake = types.ModuleType("fake_family")
    fake.replays = lambda text: text.startswith("fake:")  # type: ignore[attr-defined]
    fake.rows = fake_rows  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fake_family", fake)
    monkeypatch.setattr(prove, "FAMILIES", ["proofs.static", "fake_family"])
    assert main(["prove", "--replay", "fake:0.1", "--format", "json"]) == 0
    assert [r["family"] for r in json.loads(capsys.readouterr().out)] == ["fake"] and seen == ["fake:0.1"]
    assert main(["prove", "--replay", "nobody:0.1"]) == 2
    assert list(prove.run(ProveOptions(replay="nobody:0.1"))) == []


def test_a_plain_schedule_string_goes_to_the_families_that_replay_them_and_prefixed_ones_to_theirs() -> None:
    assert prove.replaying_families("ab3Bc") == ["proofs.schedule_rows"]
    assert prove.replaying_families("refinement:impl:Lock:0:ab") == ["proofs.refinement"]
    assert prove.replaying_families("threads:impl:start-join:ab") == ["proofs.thread_properties"]
