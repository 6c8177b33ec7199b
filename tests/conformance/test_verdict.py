"""A verdict never claims more than was checked: a run that leaves applicable clauses not
exercised is INCOMPLETE (exit 3), a budget below one second is a usage error (exit 2), a module
that lacks a class gives one finding per missing name, and a harness failure is "could not
observe", never a violation."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conformance.agent_client import AgentClient
from conformance.checker import ViolationKind
from conformance.driver import Session, Settings
from conformance.protocol import Hello
from conformance.report import ClauseStatus, Failure, Report, Target, Unobserved, Verdict
from conformance.scenario import Scenario
from conformance.scenarios import load_scenarios
from spec.profiles import profile_for
from spec.values import call

THREADSPEC = [sys.executable, "-m", "conformance.cli"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*THREADSPEC, *args], capture_output=True, text=True, timeout=300)


# -- the budget -------------------------------------------------------------------


def test_a_budget_too_short_for_every_clause_is_incomplete_not_conformant() -> None:
    p = run("check", "--budget", "2")
    assert p.returncode == 3, p.stdout[-2000:]
    last = p.stdout.rstrip().splitlines()[-1]
    assert last.startswith("INCOMPLETE: ") and "not exercised" in last and "CONFORMANT" not in p.stdout


def test_allow_incomplete_exits_0_and_still_says_incomplete() -> None:
    p = run("check", "--budget", "2", "--allow-incomplete", "--format", "json")
    assert p.returncode == 0, p.stdout[-2000:]
    rep = json.loads(p.stdout)
    assert rep["verdict"] == "incomplete" and not rep["conformant"]
    assert "not exercised" in rep["clauses"].values()


@pytest.mark.parametrize("budget", ["-1", "0", "0.5", "nan", "inf"])
def test_a_budget_below_one_second_is_a_usage_error(budget: str) -> None:
    p = run("check", f"--budget={budget}")
    assert p.returncode == 2
    assert p.stdout == "" and "--budget must be at least 1 seconds" in p.stderr


def test_help_documents_the_exit_statuses_and_allow_incomplete() -> None:
    out = " ".join(run("check", "--help").stdout.split())
    assert "3 incomplete" in out and "2 could not check" in out and "--allow-incomplete" in out


# -- the verdict of a report ------------------------------------------------------


def _report(**fields: object) -> Report:
    r = Report(Target(sys.executable), profile_for("3.11"), "3.11.7", "cpython", "threading.py")
    r.clauses = {"Lock.init.created-unlocked": ClauseStatus.PASSED}
    for k, v in fields.items():
        setattr(r, k, v)
    return r


FAILURE = Failure("Lock.init.created-unlocked", ViolationKind.CONSTRUCTOR, "scenario x", "Lock",
                  call(0, "__init__"), (), -1, "raised X", ["returned None"], [], "")
UNOBSERVED = Unobserved("Lock", "scenario x", "never started", "Lock()")
NOT_JUDGED = Unobserved("Lock", "scenario y", "not judged: the run reached behaviour that only X "
                        "(cpython, 3.2+) specifies, which does not apply to 3.11 (documented)", "Lock()")


@pytest.mark.parametrize(
    ("fields", "verdict", "status", "allowed"),
    [
        ({}, Verdict.CONFORMANT, 0, 0),
        ({"clauses": {"Lock.init.created-unlocked": ClauseStatus.NOT_EXERCISED}}, Verdict.INCOMPLETE, 3, 0),
        ({"unobserved": [UNOBSERVED]}, Verdict.INCOMPLETE, 3, 3),
        # the spec declining to judge a run is no lost observation: --allow-incomplete lets it pass
        ({"unobserved": [NOT_JUDGED]}, Verdict.INCOMPLETE, 3, 0),
        ({"unobserved": [NOT_JUDGED, UNOBSERVED]}, Verdict.INCOMPLETE, 3, 3),
        ({"unobserved": [UNOBSERVED], "unchecked": {"Lock": "never started"}}, Verdict.COULD_NOT_CHECK, 2, 2),
        ({"failures": [FAILURE], "unobserved": [UNOBSERVED], "unchecked": {"Lock": "x"}}, Verdict.VIOLATIONS,
         1, 1),
    ],
)
def test_verdict_and_exit_status(
    fields: dict[str, object], verdict: Verdict, status: int, allowed: int
) -> None:
    r = _report(**fields)
    assert r.verdict is verdict and r.conformant is (verdict is Verdict.CONFORMANT)
    assert r.exit_status() == status and r.exit_status(allow_incomplete=True) == allowed


# -- a module that lacks the classes ----------------------------------------------

NAMES = ["Barrier", "BoundedSemaphore", "Condition", "Event", "Lock", "RLock", "Semaphore", "Thread", "Timer",
         "local"]


def test_a_module_without_the_classes_gives_one_finding_per_missing_name() -> None:
    p = run("check", "--module", "json", "--budget", "5", "--format", "json")
    assert p.returncode == 2, p.stdout[-2000:]
    rep = json.loads(p.stdout)
    assert rep["verdict"] == "could not check"
    assert rep["missing"] == NAMES and rep["failures"] == [] and rep["could_not_observe"] == []
    assert rep["could_not_check"]["LocalSubclass"] == "the module has no local"
    text = run("check", "--module", "json", "--budget", "5").stdout
    named = [line.split(" has no ")[1].split(":")[0] for line in text.splitlines() if "MISSING" in line]
    assert named == NAMES
    assert "VIOLATION" not in text


def test_a_class_missing_from_a_module_that_has_the_others_is_named(tmp_path: Path) -> None:
    (tmp_path / "nobarrier.py").write_text("from threading import Lock, RLock\n")
    p = run("check", "--path", str(tmp_path), "--module", "nobarrier", "--only", "Lock,Barrier",
            "--budget", "10", "--format", "json")
    assert p.returncode == 2, p.stdout[-2000:]
    rep = json.loads(p.stdout)
    assert rep["missing"] == ["Barrier"] and rep["failures"] == []
    assert rep["clauses"]["Lock.release.unlocked-raises-runtimeerror"] == "passed"
    assert rep["clauses"]["Barrier.wait.reusable"] == "not exercised"


# -- harness failures -------------------------------------------------------------


def test_a_target_whose_threads_never_start_could_not_be_observed(tmp_path: Path) -> None:
    # the target's _thread.start_new_thread does nothing, from before anything else runs (a
    # sitecustomize on its path): neither the agent's workers nor the module's Threads ever run
    (tmp_path / "sitecustomize.py").write_text(
        "import _thread\n"
        "def _never_starts(function, args, kwargs=None):\n"
        "    return 0\n"
        "_thread.start_new_thread = _never_starts\n"
    )
    (tmp_path / "nothreads.py").write_text("from threading import *\n")
    p = run("check", "--path", str(tmp_path), "--module", "nothreads", "--budget", "10", "--deadline", "2")
    assert p.returncode == 2, p.stdout[-2000:] + p.stderr[-2000:]
    assert "VIOLATION" not in p.stdout
    assert "COULD NOT OBSERVE" in p.stdout and "the target's threads do not run" in p.stdout
    assert p.stdout.rstrip().splitlines()[-1].startswith("COULD NOT CHECK ")


def _session_of(tmp_path: Path, name: str, code: str) -> Iterator[Session]:
    (tmp_path / f"{name}.py").write_text(code)
    client = AgentClient.start(sys.executable, module=name, paths=(str(tmp_path),))
    try:
        yield Session(client, profile_for("3.11"), Settings(deadline=2.0))
    finally:
        client.close()


@pytest.fixture
def greenish(tmp_path: Path) -> Iterator[Session]:
    # like eventlet's current_thread() in a green thread: an object of a thread-like class that
    # is no Thread of the module at all; the agent cannot summarise it as a Thread
    yield from _session_of(tmp_path, "greenish", (
        "import threading as _threading\n"
        "from threading import *\n"
        "class _MainThread(object):\n"
        "    name, daemon, ident = 'MainThread', False, _threading.main_thread().ident\n"
        "def main_thread():\n"
        "    return _MainThread()\n"
    ))


@pytest.fixture
def patched(tmp_path: Path) -> Iterator[Session]:
    # like gevent's monkey-patching: the module's Thread is a subclass of the Thread whose
    # instance the main thread's object (made before the patch) is; it is still a Thread
    yield from _session_of(tmp_path, "patched", (
        "import threading as _threading\n"
        "from threading import *\n"
        "class Thread(_threading.Thread):\n"
        "    pass\n"
        "def main_thread():\n"
        "    return _threading.main_thread()\n"
    ))


def _scenario(name: str) -> Scenario:
    (sc,) = [s for s in load_scenarios() if s.name == name]
    return sc


def test_a_thread_the_agent_cannot_summarise_is_no_violation(greenish: Session) -> None:
    sc = _scenario("main_thread_is_the_main_thread_from_every_worker")
    res = greenish.run(sc.primitive, sc.init, sc.steps)
    assert res.violation is not None and res.violation.clause is None
    assert "'_MainThread' that the agent could not summarise" in res.violation.observed


def test_a_thread_of_the_class_the_modules_thread_derives_from_is_summarised(patched: Session) -> None:
    sc = _scenario("main_thread_is_the_main_thread_from_every_worker")
    res = patched.run(sc.primitive, sc.init, sc.steps)
    assert res.violation is None, res.violation
    assert "module.main_thread.returns-main-thread" in res.exercised


def test_a_lock_where_the_main_thread_is_due_is_still_a_violation(tmp_path: Path) -> None:
    (tmp_path / "lockmain.py").write_text(
        "import threading as _threading\nfrom threading import *\n"
        "def main_thread():\n    return _threading.Lock()\n"
    )
    client = AgentClient.start(sys.executable, module="lockmain", paths=(str(tmp_path),))
    try:
        sc = _scenario("main_thread_is_the_main_thread_from_every_worker")
        session = Session(client, profile_for("3.11"), Settings(deadline=2.0))
        res = session.run(sc.primitive, sc.init, sc.steps)
    finally:
        client.close()
    assert res.violation is not None and res.violation.clause is not None
    assert res.violation.clause.startswith("module.main_thread")


def test_clauses_the_target_never_takes_are_named_and_keep_the_run_incomplete() -> None:
    # impl has one RLock class: the Python RLock's answers (CPython strictness) are alternatives it
    # never gives, whatever the budget; the report names them apart from what the budget left out
    root = str(Path(__file__).resolve().parents[2])
    p = run("check", "--module", "impl", "--path", root, "--only", "RLock", "--budget", "15",
            "--format", "json")
    assert p.returncode == 3, p.stdout[-2000:]
    rep = json.loads(p.stdout)
    assert rep["verdict"] == "incomplete" and rep["failures"] == []
    unreached = ["RLock.acquire.python-rlock-owner-skips-checks",
                 "RLock.acquire.python-rlock-reentry-returns-1"]
    assert rep["not_exercised_by_the_target"] == unreached
    assert [c for c, st in rep["clauses"].items() if st == "not exercised"] == unreached


class _AgentWhoseWorkersNeverRun:
    """An agent connection that builds objects (its main thread runs) but whose workers never
    start a call: what a target whose threads are not real threads looks like from the host."""

    def __init__(self) -> None:
        self.hello = Hello(0.0, (3, 11, 7, "final", 0), "cpython", "threading", None)
        self.clock_offset = 0.0
        self._events: list[dict[str, object]] = []

    def send(self, cmd: dict[str, object]) -> None:
        if cmd.get("cmd") == "new":
            self._events.append({"ev": "created", "t": time.monotonic(), "obj": cmd["obj"]})

    def next_event(self, timeout: float) -> dict[str, object] | None:
        if self._events:
            return self._events.pop(0)
        waiting = threading.Event()
        waiting.wait(timeout)  # nothing comes: wait as a real connection would
        return None


def test_a_call_never_started_is_no_violation() -> None:
    session = Session(_AgentWhoseWorkersNeverRun(), profile_for("3.11"), Settings(deadline=0.5))
    res = session.run("Lock", call(0, "__init__"), (call(1, "acquire"),))
    assert res.violation is not None and res.violation.clause is None
    assert "t1.acquire() was never started: the agent's worker thread for t1 never ran it" in (
        res.violation.observed
    )


def test_a_value_the_agent_fails_to_report_could_not_be_observed(tmp_path: Path) -> None:
    # locked() returns an object whose class cannot be read: the agent cannot report the result
    (tmp_path / "badvalue.py").write_text(
        "import threading as _threading\n"
        "from threading import *\n"
        "class _NoClass(object):\n"
        "    @property\n"
        "    def __class__(self):\n"
        "        raise RuntimeError('no class to show')\n"
        "class Lock(object):\n"
        "    def __init__(self):\n"
        "        self._lock = _threading.Lock()\n"
        "    def acquire(self, blocking=True, timeout=-1):\n"
        "        return self._lock.acquire(blocking, timeout)\n"
        "    def release(self):\n"
        "        self._lock.release()\n"
        "    def locked(self):\n"
        "        return _NoClass()\n"
        "    __enter__ = acquire\n"
        "    def __exit__(self, *exc):\n"
        "        self.release()\n"
    )
    p = run("check", "--path", str(tmp_path), "--module", "badvalue", "--only", "Lock", "--budget", "5",
            "--format", "json", "--allow-incomplete")
    assert p.returncode == 3, p.stdout[-2000:]  # never green, even with --allow-incomplete
    rep = json.loads(p.stdout)
    assert rep["verdict"] == "incomplete" and rep["failures"] == []
    reasons = [u["reason"] for u in rep["could_not_observe"]]
    assert reasons and all("the agent failed in" in r and "no class to show" in r for r in reasons)
    assert "Lock.locked.reports-state" not in rep["not_exercised_by_the_target"]
