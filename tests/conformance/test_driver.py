"""The driver and checker against real targets: a stock interpreter, and small
Lock implementations with one seeded bug each (the checker must name the clause)."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from conformance.agent_client import AgentClient
from conformance.driver import Session, Settings
from conformance.scenario import back_to_back, calls_of
from spec import lock, thread
from spec.profiles import profile_for
from spec.thread import OWN
from spec.values import ENV, THREAD_EXITED, Gate, call
from tests.interpreters import interpreter

INIT = call(0, "__init__")
SCHEDULES = [
    [call(0, "acquire"), call(1, "acquire"), call(0, "release"), call(1, "release")],
    [call(0, "acquire"), call(1, "acquire", timeout=0.05), call(0, "release"), call(0, "release")],
    [call(0, "release")],
    [call(0, "acquire"), call(1, "acquire", False), call(2, "locked")],
    [call(0, "acquire", timeout=-5), call(0, "acquire", False, 1)],
    [call(0, "__enter__"), call(1, "__enter__"), call(0, "__exit__", None, None, None)],
]

BUGGY_BASE = '''
import _thread
ThreadError = RuntimeError
TIMEOUT_MAX = _thread.TIMEOUT_MAX

class Lock(object):
    def __init__(self):
        self._l = _thread.allocate_lock()
    def acquire(self, blocking=True, timeout=-1):
        return self._l.acquire(blocking, timeout)
    def release(self):
        self._l.release()
    def locked(self):
        return self._l.locked()
    def __enter__(self):
        return self.acquire()
    def __exit__(self, *exc):
        self.release()
'''

BUGS = {
    "release-unchecked": (
        "        self._l.release()\n",
        "        if self._l.locked():\n            self._l.release()\n",
        "missing check",
    ),
    "timeout-early": (
        "        return self._l.acquire(blocking, timeout)\n",
        "        return self._l.acquire(blocking, timeout / 10 if timeout > 0 else timeout)\n",
        "early",
    ),
    "timeout-ignored": (
        "        return self._l.acquire(blocking, timeout)\n",
        "        return self._l.acquire(blocking)\n",
        "hang",
    ),
}


def session(python: str, **kw: object) -> Iterator[Session]:
    client = AgentClient.start(python, **kw)  # type: ignore[arg-type]
    try:
        prof = profile_for(".".join(map(str, client.hello.python[:2])))
        yield Session(client, prof, Settings(deadline=2.0))
    finally:
        client.close()


@pytest.mark.parametrize("version", ["2.7.18", "3.6.15", "3.11.7", "3.13.0"])
def test_stock_lock_passes_every_schedule(version: str) -> None:
    for s in session(interpreter(version)):
        for steps in SCHEDULES:
            r = s.run("Lock", INIT, steps)
            assert r.passed, (steps, r.violation and r.violation.describe(), r.log)


def test_host_lock_passes_and_exercises_clauses() -> None:
    exercised: set[str] = set()
    for s in session(sys.executable):
        for steps in SCHEDULES:
            r = s.run("Lock", INIT, steps)
            assert r.passed, r.log
            exercised |= r.exercised
    for c in (lock.ACQUIRE_LOCKED_BLOCKS, lock.RELEASE_WAKES_ONE_WAITER, lock.ACQUIRE_TIMEOUT_RETURNS_FALSE,
              lock.RELEASE_UNLOCKED_RAISES_RUNTIMEERROR,
              lock.ACQUIRE_UNDOCUMENTED_TIMEOUT_RAISES, lock.ACQUIRE_TIMEOUT_WITH_NONBLOCKING_RAISES,
              lock.WITH_ACQUIRES_AND_RELEASES):
        assert c in exercised


def _buggy(tmp_path: Path, bug: str) -> Path:
    old, new, _ = BUGS[bug]
    src = textwrap.dedent(BUGGY_BASE)
    assert src.count(old) == 1
    (tmp_path / "buggylock.py").write_text(src.replace(old, new))
    return tmp_path


def _violations(tmp_path: Path) -> list[tuple[str, str | None]]:
    found = []
    for s in session(sys.executable, module="buggylock", paths=[str(tmp_path)]):
        for steps in SCHEDULES:
            r = s.run("Lock", INIT, steps)
            if r.violation:
                found.append((r.violation.kind, r.violation.clause))
    return found


def test_unbugged_base_module_passes(tmp_path: Path) -> None:
    (tmp_path / "buggylock.py").write_text(textwrap.dedent(BUGGY_BASE))
    assert _violations(tmp_path) == []


def test_missing_release_check_is_caught_with_its_clause(tmp_path: Path) -> None:
    found = _violations(_buggy(tmp_path, "release-unchecked"))
    assert ("unexpected-outcome", lock.RELEASE_UNLOCKED_RAISES_RUNTIMEERROR) in found


def test_timeout_returned_early_is_caught(tmp_path: Path) -> None:
    found = _violations(_buggy(tmp_path, "timeout-early"))
    assert ("early-timeout", lock.ACQUIRE_TIMEOUT_RETURNS_FALSE) in found


def test_timeout_ignored_is_a_missing_completion(tmp_path: Path) -> None:
    found = _violations(_buggy(tmp_path, "timeout-ignored"))
    assert ("missing-completion", lock.ACQUIRE_TIMEOUT_RETURNS_FALSE) in found


# ---------------------------------------------------------------------------
# Thread: calls made back to back, calls of the thread itself, the thread's end
# ---------------------------------------------------------------------------

THREAD_INIT = call(0, "__init__", target=Gate(1))
OPEN = call(ENV, "gate.open", 1)
THREAD_SCHEDULES = {
    "back-to-back": [back_to_back(call(1, "start"), call(1, "is_alive"), call(1, "join", 0.0)), OPEN,
                     call(1, "join")],
    "own-join": [call(0, "start"), call(OWN, "join"), call(OWN, "is_alive"), OPEN, call(1, "join")],
    "exited": [call(0, "start"), OPEN, call(ENV, THREAD_EXITED), call(1, "is_alive")],
    "hook-args": [call(1, "module.set:excepthook", Gate(2)), call(0, "start"),
                  call(ENV, "gate.open", 1, "KeyError"), call(ENV, "gate.open", 2), call(1, "join")],
}

THREAD_BUGS = {
    "back-to-back": ("        self._started.wait()\n", "", thread.IS_ALIVE_REPORTS_ALIVE),
    "own-join": (
        "        if self is current_thread():\n", "        if False:\n", thread.JOIN_CURRENT_THREAD_RAISES
    ),
    "exited": (
        "        self._wait_for_tstate_lock(False)\n        return not self._is_stopped\n",
        "        return not self._is_stopped\n",
        thread.IS_ALIVE_REPORTS_ALIVE,
    ),
    "hook-args": (
        "            args = ExceptHookArgs([*sys_exc_info(), thread])\n",
        "            args = ExceptHookArgs([*sys_exc_info(), None])\n",
        thread.RUN_EXCEPTHOOK_GETS_THE_EXCEPTION_AND_THREAD,
    ),
}


def test_back_to_back_takes_calls_of_one_thread_of_the_schedule() -> None:
    step = back_to_back(call(1, "start"), call(1, "is_alive"))
    assert calls_of(step) == (call(1, "start"), call(1, "is_alive"))
    assert calls_of(call(1, "x")) == (call(1, "x"),)
    for bad in ((), (call(1, "start"), call(2, "is_alive")), (OPEN,), (step,)):
        with pytest.raises(ValueError):
            back_to_back(*bad)


@pytest.mark.parametrize("version", ["2.7.18", "3.6.15", "3.12.1", "3.13.0"])
def test_stock_thread_passes_back_to_back_own_and_exit_schedules(version: str) -> None:
    for s in session(interpreter(version)):
        for name, steps in THREAD_SCHEDULES.items():
            if name == "hook-args" and s.profile.before(3, 8):
                continue
            r = s.run("Thread", THREAD_INIT, steps)
            assert r.passed, (name, r.violation and r.violation.describe(), r.log)
        own_join = s.run("Thread", THREAD_INIT, THREAD_SCHEDULES["own-join"])
        assert thread.JOIN_CURRENT_THREAD_RAISES in own_join.exercised


@pytest.mark.parametrize("bug", sorted(THREAD_BUGS))
def test_thread_bug_is_caught_with_its_clause(bug: str, tmp_path: Path) -> None:
    py = interpreter("3.12.1")
    source = Path(py).resolve().parent.parent / "lib" / "python3.12" / "threading.py"
    old, new, clause = THREAD_BUGS[bug]
    text = source.read_text()
    assert text.count(old) == 1
    (tmp_path / "threading.py").write_text(text.replace(old, new))
    for s in session(py, paths=[str(tmp_path)]):
        r = s.run("Thread", THREAD_INIT, THREAD_SCHEDULES[bug])
        assert r.violation is not None and r.violation.clause == clause, (r.violation, r.log)
