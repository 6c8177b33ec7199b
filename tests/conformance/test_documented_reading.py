"""What documented strictness judges, found triaging Jython 2.7 (issue 12).

A runtime is held to the documentation, not to CPython's reading of what it leaves open:
``__exit__`` returns a false value (Jython: False, CPython: None); a reentered RLock under a
Condition returns "true" (Jython: True, CPython 2.7: 1); and a run that reaches behaviour only a
CPython clause describes (a NaN timeout in 2.7, ``notify(-1)``, an undocumented argument) is not
judged, so that no clause that does not apply is ever reported as violated. At CPython
strictness every one of these stays as strict as before.
"""

from __future__ import annotations

from typing import Any

from conformance.checker import Checker, Observation, Violation, ViolationKind, within_the_profile
from spec import condition, lock
from spec.core import Blocked, Done
from spec.profiles import Strictness, profile_for
from spec.values import FALSY, TRUTHY, Call, New, Raised, Returned, outcome_matches

DOC27 = profile_for("2.7", Strictness.DOCUMENTED)
CPY27 = profile_for("2.7", Strictness.CPYTHON)
DOC311 = profile_for("3.11", Strictness.DOCUMENTED)
CPY311 = profile_for("3.11", Strictness.CPYTHON)


def _violation(clause: str | None) -> Violation:
    return Violation(ViolationKind.UNEXPECTED_OUTCOME, clause, 1, Call(1, "wait", (0.05,)),
                     "returned False", ["that it does not complete yet"])


def _after(spec: Any, profile: Any, init: Call, *calls: Call) -> Any:
    created = spec.create(profile, init)
    assert isinstance(created, Done) and created.state is not None
    s = created.state
    result: Any = None
    for c in calls:
        result = spec.invoke(s, c)
        s = result.state
    return result


def test_false_and_true_values() -> None:
    falsy, truthy = Returned(FALSY), Returned(TRUTHY)
    for v in (None, False, 0, 0.0, "", ()):
        assert outcome_matches(falsy, Returned(v)) and not outcome_matches(truthy, Returned(v))
    for w in (True, 1, 2.5, "x", ("thread", ())):
        assert outcome_matches(truthy, Returned(w)) and not outcome_matches(falsy, Returned(w))


def test_lock_exit_returns_a_false_value_at_documented_strictness_and_none_at_cpythons() -> None:
    steps = (Call(1, "acquire"), Call(1, "__exit__", (None, None, None)))
    for profile, allowed, refused in ((DOC27, (None, False), (True, 1)), (CPY311, (None,), (False, True))):
        r = _after(lock.SPEC, profile, Call(0, "__init__"), *steps)
        assert isinstance(r, Done)
        assert all(outcome_matches(r.outcome, Returned(v)) for v in allowed), profile
        assert not any(outcome_matches(r.outcome, Returned(v)) for v in refused), profile


def test_condition_rlock_reentry_returns_true_at_documented_strictness() -> None:
    steps = (Call(1, "acquire"), Call(1, "acquire", (True,)))
    doc = _after(condition.SPEC, DOC27, Call(0, "__init__"), *steps)
    cpy = _after(condition.SPEC, CPY27, Call(0, "__init__"), *steps)
    assert outcome_matches(doc.outcome, Returned(True)) and not outcome_matches(doc.outcome, Returned(False))
    assert outcome_matches(cpy.outcome, Returned(1)) and not outcome_matches(cpy.outcome, Returned(True))


def test_condition_wait_with_a_nan_or_keyword_timeout_in_2_7_cites_cpythons_reading() -> None:
    for wait in (Call(1, "wait", (float("nan"),)), Call(1, "wait", (), (("timeout", 0.0),))):
        for profile in (DOC27, CPY27):
            r = _after(condition.SPEC, profile, Call(0, "__init__"), Call(1, "acquire"), wait)
            assert isinstance(r, Blocked)
            assert r.clause == condition.WAIT_PYTHON_2_7_TIMEOUT_READING
    keyword = Call(1, "wait", (), (("timeout", 0.0),))
    r = _after(condition.SPEC, DOC311, Call(0, "__init__"), Call(1, "acquire"), keyword)
    assert r.clause != condition.WAIT_PYTHON_2_7_TIMEOUT_READING


def test_a_violation_of_a_clause_that_does_not_apply_is_not_judged() -> None:
    clause = "Event.wait.nan-or-infinite-timeout-waits-without-limit"  # CPython 2.7's own
    v = within_the_profile(_violation(clause), DOC27)
    assert v is not None and v.clause is None
    assert v.observed.startswith(f"not judged: the run reached behaviour that only {clause}")
    assert within_the_profile(_violation(clause), CPY27) == _violation(clause)


def test_a_run_that_took_a_cpython_only_step_is_not_judged_at_documented_strictness() -> None:
    documented = "Condition.wait.returns-none-in-2.7"
    cpython_only = "Condition.notify.negative-n-spares-last-waiters"
    v = within_the_profile(_violation(documented), DOC27, {documented, cpython_only})
    assert v is not None and v.clause is None and cpython_only in v.observed
    # a run within the documentation, or any run at CPython strictness, is judged as before
    assert within_the_profile(_violation(documented), DOC27, {documented}) == _violation(documented)
    kept = within_the_profile(_violation(documented), CPY27, {documented, cpython_only})
    assert kept == _violation(documented)
    assert within_the_profile(None, DOC27, {cpython_only}) is None


def test_a_clause_of_another_version_cited_on_the_way_does_not_stop_the_judging() -> None:
    documented = "Condition.wait.returns-none-in-2.7"
    other_version = "Condition.wait_for.gate-predicate-returns"  # 3.2+, cited by gate.open
    v = within_the_profile(_violation(documented), DOC27, {documented, other_version})
    assert v == _violation(documented)


def test_a_keyword_timeout_under_a_plain_lock_in_2_7_is_cpythons_reading_too() -> None:
    """Over a plain Lock, documented strictness cannot tell the owner (any thread may release
    it): the wait is left undecided, and still names CPython 2.7's reading of its timeout."""
    keyword = Call(1, "wait", (), (("timeout", 0.0),))
    init = Call(0, "__init__", (New("Lock"),))
    r = _after(condition.SPEC, DOC27, init, Call(1, "acquire"), keyword)
    assert isinstance(r, Blocked) and r.clause == condition.WAIT_PYTHON_2_7_TIMEOUT_READING
    r = _after(condition.SPEC, DOC27, init, Call(1, "acquire"), Call(1, "wait", (0.0,)))
    assert r.clause != condition.WAIT_PYTHON_2_7_TIMEOUT_READING


def _wait_with_a_keyword_timeout(strictness: Strictness) -> Violation | None:
    """Jython's wait(timeout=0.0) raises TypeError: its Condition takes no keyword."""
    ch = Checker(condition.SPEC)
    assert ch.created(profile_for("2.7", strictness), Call(0, "__init__", (New("Lock"),)), Returned(None),
                      (), (), 0.0) is None
    steps = [(Call(0, "acquire"), Returned(True)), (Call(0, "wait", (-1,)), Returned(None))]
    for t, (c, outcome) in enumerate(steps):
        ch.invoked(c, float(t))
        assert ch.completed(Observation(0, outcome, float(t))) is None
    ch.invoked(Call(0, "wait", (), (("timeout", 0.0),)), 5.0)
    return ch.completed(Observation(0, Raised("TypeError"), 5.0))


def test_the_checker_does_not_judge_a_call_that_only_cpythons_reading_describes() -> None:
    """The pending call's own step counts, not only the steps before it."""
    doc = _wait_with_a_keyword_timeout(Strictness.DOCUMENTED)
    assert doc is not None and doc.clause is None
    assert "Condition.wait.python-2.7-timeout-reading" in doc.observed
    cpy = _wait_with_a_keyword_timeout(Strictness.CPYTHON)
    assert cpy is not None and cpy.clause == "Condition.wait.returns-none-in-2.7"
