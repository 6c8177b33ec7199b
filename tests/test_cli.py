"""``threadspec clauses``: the registry as text and JSON."""

from __future__ import annotations

import json

import pytest

from conformance.cli import main
from spec.clauses import REGISTRY


def test_clauses_json_lists_every_registered_clause(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clauses", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["id"] for r in rows} == set(REGISTRY)
    assert all(r["quote"].strip() for r in rows)


def test_clauses_profile_filters_versions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clauses", "--profile", "2.7", "--format", "json"]) == 0
    ids27 = {r["id"] for r in json.loads(capsys.readouterr().out)}
    assert "Lock.release.unlocked-raises-threaderror" in ids27
    assert "Lock.release.unlocked-raises-runtimeerror" not in ids27


def test_clauses_unknown_profile_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clauses", "--profile", "4.2"]) == 2
    assert "no profile for Python 4.2" in capsys.readouterr().err
