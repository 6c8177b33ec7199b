"""Branch coverage of the spec (``conformance.branches``, ``threadspec check --coverage``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conformance import branches
from conformance.checker import Checker, Observation
from conformance.scenarios import semaphore as semaphore_scenarios
from spec import lock, semaphore, thread_attributes
from spec.clauses import clauses_for
from spec.core import Done
from spec.profiles import PY311
from spec.values import Returned, call
from tests.interpreters import interpreter
from tests.test_mutants import SOURCE_VERSION, source


def _branches(file: str, function: str) -> dict[str, list[branches.Branch]]:
    out: dict[str, list[branches.Branch]] = {}
    for b in branches.static_branches():
        if b.file == file and b.function == function:
            out.setdefault(b.clause, []).append(b)
    return out


def test_every_result_of_lock_locked_is_a_branch_with_its_clauses() -> None:
    got = _branches("spec/lock.py", "locked")
    # the TypeError branch, and one construction citing ``which`` (either reading)
    assert set(got) == {
        lock.CALL_BAD_ARGUMENTS_RAISE_TYPEERROR, lock.LOCKED_REPORTS_STATE, lock.LOCKED_REPORTS_STATE_IN_2_7
    }
    assert got[lock.LOCKED_REPORTS_STATE][0].line == got[lock.LOCKED_REPORTS_STATE_IN_2_7][0].line


def test_a_variable_clause_has_only_the_values_that_reach_its_branch() -> None:
    got = _branches("spec/thread_attributes.py", "get_name")
    alias = got[thread_attributes.GET_NAME_ALIAS][0].line
    named = got[thread_attributes.NAME_SET_BY_CONSTRUCTOR][0].line
    assert alias != named
    assert [b.line for b in got[thread_attributes.GET_NAME_DEPRECATION_WARNING]] == [alias]
    assert [b.line for b in got[thread_attributes.NAME_DEFAULT_THREAD_N]] == [named]


def test_a_relayed_result_is_no_branch_of_its_own() -> None:
    # barrier._result builds Done/Blocked from a Move's clause: the Move's site is the branch
    assert _branches("spec/barrier.py", "_result") == {}


def test_measuring_patches_and_restores_the_result_classes() -> None:
    plain = Done(Returned(None), None, lock.INIT_CREATED_UNLOCKED)
    assert type(plain.clause) is str
    with branches.measuring():
        r = lock.SPEC.create(PY311, call(0, "__init__"))
        assert isinstance(r.clause, branches.Sited)
        assert r.clause == lock.INIT_CREATED_UNLOCKED
        assert r.clause.token.startswith("@spec/lock.py:")
    assert type(Done(Returned(None), None, lock.INIT_CREATED_UNLOCKED).clause) is str


def _key_hit(hits: set[str], file: str, function: str, clause: str) -> bool:
    (b,) = _branches(file, function)[clause]
    return any(b.hit_by(t) for t in hits)


def test_a_branch_counts_when_it_explains_an_observation_not_when_it_was_rejected() -> None:
    with branches.measuring():
        ch = Checker(lock.SPEC)
        assert ch.created(PY311, call(0, "__init__"), Returned(None)) is None
        ch.invoked(call(0, "acquire"), 0.0)
        assert ch.completed(Observation(0, Returned(True), 0.001)) is None
        # t1's acquire(False) and t0's release overlap: the checker considers t1 first (False,
        # nonblocking-returns-false) and the release first (True, unlocked-locks)
        ch.invoked(call(1, "acquire", False), 0.002)
        ch.invoked(call(0, "release"), 0.002)
        assert ch.completed(Observation(0, Returned(None), 0.003)) is None
        assert ch.completed(Observation(1, Returned(True), 0.004)) is None
        hits = branches.tokens(ch.exercised_clauses())
    assert _key_hit(hits, "spec/lock.py", "acquire", lock.ACQUIRE_UNLOCKED_LOCKS)
    assert _key_hit(hits, "spec/lock.py", "release", lock.RELEASE_LOCKED_UNLOCKS)
    assert not _key_hit(hits, "spec/lock.py", "acquire", lock.ACQUIRE_NONBLOCKING_RETURNS_FALSE)
    cov = branches.summarize([c.id for c in clauses_for(PY311, lock.PRIMITIVE)], hits)
    missed = {(b.function, b.clause) for b in cov.missed}
    assert ("acquire", lock.ACQUIRE_NONBLOCKING_RETURNS_FALSE) in missed
    assert ("acquire", lock.ACQUIRE_UNLOCKED_LOCKS) not in missed
    assert sum(cov.exercised.values()) + len(cov.missed) == sum(cov.total.values())


def test_a_step_never_observed_is_not_counted() -> None:
    """A call invoked and not completed: its branch was only ever a candidate."""
    with branches.measuring():
        ch = Checker(lock.SPEC)
        assert ch.created(PY311, call(0, "__init__"), Returned(None)) is None
        ch.invoked(call(0, "locked"), 0.0)
        assert ch.settled(0.001, 1.0) is False  # the closure applied it: it owes True/False
        hits = branches.tokens(ch.exercised_clauses())
    assert not _key_hit(hits, "spec/lock.py", "locked", lock.LOCKED_REPORTS_STATE)
    assert _key_hit(hits, "spec/lock.py", "create", lock.INIT_CREATED_UNLOCKED)


def _check(*args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "conformance.cli", "check", "--reproducers", str(tmp / "repro"), *args],
        capture_output=True, text=True, timeout=600, env=dict(os.environ),
    )


def test_check_coverage_reports_the_branches_in_text_and_json(tmp_path: Path) -> None:
    p = _check("--only", "Lock", "--budget", "8", "--coverage", "--format", "json", tmp=tmp_path)
    assert p.returncode in (0, 3), p.stderr[-2000:]
    cov = json.loads(p.stdout)["branch_coverage"]
    assert cov["per_primitive"]["Lock"]["exercised"] > 0
    assert cov["exercised"] + len(cov["missed"]) == cov["total"]
    assert cov["unlisted_hits"] == []
    text = _check("--only", "Lock", "--budget", "5", "--coverage", tmp=tmp_path).stdout
    assert "Spec branches (results citing a clause) exercised:" in text
    plain = _check("--only", "Lock", "--budget", "5", "--format", "json", tmp=tmp_path)
    assert "branch_coverage" not in json.loads(plain.stdout)


SEEDED = (
    "    def __init__(self, value=1):\n        if value < 0:\n",
    "    def __init__(self, value=1, *extra):\n        if value < 0:\n",
)
"""A Semaphore constructor that takes extra arguments silently: only the branch of
``spec.semaphore._create`` that rejects them (missed by a default check before
``BRANCH_SCENARIOS``) says otherwise."""


def test_a_bug_in_a_branch_a_default_check_missed_is_now_caught(tmp_path: Path) -> None:
    old, new = SEEDED
    assert source().count(old) == 1
    (tmp_path / "threading.py").write_text(source().replace(old, new))
    p = _check("--python", interpreter(SOURCE_VERSION), "--path", str(tmp_path), "--only", "Semaphore",
               "--budget", "20", "--format", "json", tmp=tmp_path)
    assert p.returncode == 1, p.stdout[-2000:] + p.stderr[-2000:]
    failures = json.loads(p.stdout)["failures"]
    assert {f["clause"] for f in failures} == {semaphore.CALL_BAD_ARGUMENTS_RAISE_TYPEERROR}
    names = {s.name for s in semaphore_scenarios.BRANCH_SCENARIOS}
    assert {f["found_by"].removeprefix("scenario ") for f in failures} <= names


# a default run is these together; Thread and Timer share branches (a worker's own run() ends
# through one), so they are checked together
@pytest.mark.parametrize("primitive", ["Lock", "RLock,_PyRLock", "Semaphore,BoundedSemaphore", "Event",
                                       "Condition", "Barrier", "local,LocalSubclass", "Thread,Timer"])
def test_a_check_misses_only_the_branches_listed_as_out_of_reach(primitive: str, tmp_path: Path) -> None:
    """Every branch a check of these primitives missed is one ``branches.UNCLOSED`` records (with
    what is known); every other is exercised, or listed in ``branches.CANNOT`` with the reason."""
    p = _check("--only", primitive, "--budget", "20", "--coverage", "--format", "json", tmp=tmp_path)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-2000:]
    cov = json.loads(p.stdout)["branch_coverage"]
    unexplained = [b for b in cov["missed"] if "note" not in b]
    assert unexplained == [], unexplained
    assert cov["unlisted_hits"] == []
