"""``threadspec prove``: its table, its exit status, and its usage errors."""

from __future__ import annotations

import json

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
