"""Clauses no target here can reach (``Clause.unexercisable``): the report gives them the status
"not exercisable" with the reason, in every format, and they do not hold a verdict at INCOMPLETE;
one a run did exercise is passed as any other."""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET

from conformance.report import ClauseStatus, Report, Target, Verdict, to_json, to_junit, to_text
from spec import lock, module
from spec.clauses import REGISTRY
from spec.profiles import profile_for

UNREACHABLE = (module.STACK_SIZE_UNSUPPORTED_RAISES, lock.ACQUIRE_INTERRUPTED_BY_SIGNALS)


def _report(exercised: set[str]) -> Report:
    r = Report(Target(sys.executable), profile_for("3.11"), "3.11.7", "cpython", "threading.py")
    r.list_clauses({"Lock", "Thread", "module"})
    applicable = {cid for cid, st in r.clauses.items() if st is ClauseStatus.NOT_EXERCISED}
    r.conclude((applicable - set(UNREACHABLE)) | exercised)
    return r


def test_unexercisable_clauses_are_reported_apart_and_the_verdict_is_conformant() -> None:
    r = _report(set())
    assert all(r.clauses[cid] is ClauseStatus.NOT_EXERCISABLE for cid in UNREACHABLE)
    assert r.not_exercised == 0 and r.verdict is Verdict.CONFORMANT
    text = to_text([r])
    for cid in UNREACHABLE:
        assert f"not exercisable here: {cid}: {REGISTRY[cid].unexercisable[:40]}" in text
    assert "1 not exercisable" not in text and "2 not exercisable" in text.splitlines()[-1]
    data = json.loads(to_json([r]))
    assert data["not_exercisable"] == {cid: REGISTRY[cid].unexercisable for cid in UNREACHABLE}
    cases = {c.get("name"): c for c in ET.fromstring(to_junit([r])).iter("testcase")}
    skipped = cases[module.STACK_SIZE_UNSUPPORTED_RAISES].find("skipped")
    assert skipped is not None and skipped.get("message", "").startswith("not exercisable: every platform")


def test_an_unexercisable_clause_a_run_reached_is_passed() -> None:
    r = _report({module.STACK_SIZE_UNSUPPORTED_RAISES})
    assert r.clauses[module.STACK_SIZE_UNSUPPORTED_RAISES] is ClauseStatus.PASSED
    assert r.clauses[lock.ACQUIRE_INTERRUPTED_BY_SIGNALS] is ClauseStatus.NOT_EXERCISABLE


def test_ordinary_clauses_not_reached_still_make_it_incomplete() -> None:
    r = Report(Target(sys.executable), profile_for("3.11"), "3.11.7", "cpython", "threading.py")
    r.list_clauses({"Lock"})
    r.conclude(set())
    assert r.verdict is Verdict.INCOMPLETE
    assert r.clauses[lock.ACQUIRE_INTERRUPTED_BY_SIGNALS] is ClauseStatus.NOT_EXERCISABLE
    assert r.not_exercised == sum(1 for st in r.clauses.values() if st is ClauseStatus.NOT_EXERCISED) > 0
