"""``check --agents N``: the scenarios run on N agents side by side, with the same findings as one."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conformance import runner
from conformance.report import ClauseStatus, Report, Target
from conformance.runner import CheckOptions
from tests.conformance.test_driver import BUGGY_BASE, BUGS

THREADSPEC = [sys.executable, "-m", "conformance.cli"]


def test_agents_below_one_is_a_usage_error() -> None:
    p = subprocess.run([*THREADSPEC, "check", "--agents", "0"], capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and "--agents must be at least 1" in p.stderr


class _Counting(runner._Connection):
    started = 0

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        type(self).started += 1


def _check(monkeypatch: pytest.MonkeyPatch, target: Target, agents: int) -> tuple[Report, int]:
    counting: type[_Counting] = type("Counting", (_Counting,), {"started": 0})
    monkeypatch.setattr(runner, "_Connection", counting)
    return _scenarios_only(monkeypatch, target, agents=agents), counting.started


def _scenarios_only(monkeypatch: pytest.MonkeyPatch, target: Target, **options: object) -> Report:
    """A check of Lock's scenarios alone (the random schedules would take the whole budget),
    with a budget no run comes near: every scenario runs, however loaded the machine."""
    monkeypatch.setattr(runner._Execution, "_generators", lambda self: None)
    return runner.check(target, CheckOptions(only=("Lock",), budget=300, **options))  # type: ignore[arg-type]


def _scenario_findings(report: Report) -> list[tuple[str, str]]:
    return [(f.source, f.clause) for f in report.failures if f.source.startswith("scenario ")]


def test_three_agents_run_every_scenario_with_the_findings_of_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new, _ = BUGS["release-unchecked"]
    (tmp_path / "buggylock.py").write_text(textwrap.dedent(BUGGY_BASE).replace(old, new))
    target = Target(sys.executable, "buggylock", (str(tmp_path),))
    one, started_one = _check(monkeypatch, target, 1)
    three, started_three = _check(monkeypatch, target, 3)
    assert (started_one, started_three) == (1, 3)
    assert one.scenarios_run == three.scenarios_run > 0
    assert not one.budget_exhausted and not three.budget_exhausted
    findings = _scenario_findings(one)
    assert findings and _scenario_findings(three) == findings  # the same, in the plan's order
    assert {c for _, c in findings} == {"Lock.release.unlocked-raises-runtimeerror"}


def test_three_agents_on_the_host_lock_pass_every_clause(monkeypatch: pytest.MonkeyPatch) -> None:
    report, started = _check(monkeypatch, Target(sys.executable), 3)
    assert started == 3 and report.failures == [] and report.unobserved == []
    statuses = {c: s for c, s in report.clauses.items() if c.startswith("Lock.")}
    allowed = {ClauseStatus.PASSED, ClauseStatus.NOT_APPLICABLE, ClauseStatus.NOT_EXERCISABLE}
    assert statuses and set(statuses.values()) <= allowed


def test_fail_fast_stops_every_agent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old, new, _ = BUGS["release-unchecked"]
    (tmp_path / "buggylock.py").write_text(textwrap.dedent(BUGGY_BASE).replace(old, new))
    target = Target(sys.executable, "buggylock", (str(tmp_path),))
    full, _ = _check(monkeypatch, target, 3)
    fast = _scenarios_only(monkeypatch, target, agents=3, fail_fast=True)
    # each agent finishes the run it is in, then takes no other scenario
    assert 1 <= len(_scenario_findings(fast)) <= len(_scenario_findings(full))
    assert fast.scenarios_run < full.scenarios_run
