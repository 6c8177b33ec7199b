"""A clause is "not exercised by the target" only when every scenario written for it ran: a
scenario of another primitive with the same name (Event's and Semaphore's
``negative_timeout_does_not_wait``) does not count."""

from __future__ import annotations

from conformance import runner
from conformance.report import ClauseStatus, Report, Target
from conformance.scenarios import load_scenarios
from spec.profiles import Strictness, profile_for

CLAUSE = "Semaphore.acquire.negative-timeout-does-not-wait"
NAME = "negative_timeout_does_not_wait"


def _unreached(ran: set[tuple[str, str]]) -> list[str]:
    scenarios = [sc for sc in load_scenarios() if sc.name == NAME]
    assert {sc.primitive for sc in scenarios} >= {"Event", "Semaphore"}
    assert any(CLAUSE in sc.covers for sc in scenarios if sc.primitive == "Semaphore")
    report = Report(Target("python3"), profile_for("3.13", Strictness.CPYTHON), "3.13.5", "cpython", "x")
    report.clauses[CLAUSE] = ClauseStatus.NOT_EXERCISED
    plan = runner._Plan({"Event", "Semaphore"}, [], {}, {"Event", "Semaphore"}, scenarios, [])
    return runner._unreached(report, plan, ran)


def test_a_scenario_of_another_primitive_with_the_same_name_does_not_count() -> None:
    assert _unreached({("Event", NAME)}) == []


def test_the_clause_is_unreached_once_its_own_scenario_ran() -> None:
    assert _unreached({("Event", NAME), ("Semaphore", NAME)}) == [CLAUSE]
