"""Reproducers decide for themselves: each states what the spec allows, prints REPRODUCED and
exits 1 when the target deviates, NOT REPRODUCED and exits 0 when it does not. Unit tests of the
rendering here; the scripts of real checks of seeded bugs in ``test_reproducer_mutants.py``."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conformance.checker import Violation, ViolationKind
from conformance.reproducer import render
from spec.values import Outcome, Raised, Returned, call
from tests.interpreters import INTERPRETERS, interpreter


def target(version: str) -> str:
    """The interpreter's path (Jython's too); skips the test when it is absent."""
    if version == "jython":
        path = shutil.which("jython")
        if path is None:
            pytest.skip("jython is not installed on this machine")
        return path
    return interpreter(version)


def run_script(py: str, text: str, tmp_path: Path) -> tuple[int, list[str]]:
    script = tmp_path / "repro.py"
    script.write_text(text)
    env = dict(os.environ, THREADSPEC_WAIT="5", THREADSPEC_TRIES="3")
    env.pop("PYTHONPATH", None)
    p = subprocess.run([py, str(script)], capture_output=True, text=True, timeout=120, env=env)
    assert p.returncode in (0, 1), p.stderr
    return p.returncode, p.stdout.splitlines()


def _violation(step: int, allowed: list[Outcome], may_block: bool = False) -> Violation:
    return Violation(ViolationKind.UNEXPECTED_OUTCOME, "c", step, None, "x", [repr(a) for a in allowed],
                     list(allowed), may_block)


@pytest.mark.parametrize("version", [*INTERPRETERS, "jython"])
@pytest.mark.parametrize("allowed", [Returned(True), Returned(1)], ids=["allows-True", "allows-1"])
def test_one_thread_schedule_is_straight_line_code(version: str, allowed: Returned, tmp_path: Path) -> None:
    # a Lock's acquire returns True: a spec allowing only 1 sees a deviation (True is not 1)
    steps = (call(0, "acquire"), call(0, "release"), call(0, "acquire", False))
    text = render("Lock", call(0, "__init__"), steps, header=["a test"], violation=_violation(0, [allowed]),
                  failed_step=2, log=["t0.acquire() -> returned True", "t0.release() -> returned None"])
    assert len(text.splitlines()) < 20 and "Worker" not in text and "_thread" not in text
    rc, lines = run_script(target(version), text, tmp_path)
    reproduced = allowed != Returned(True)
    assert lines[-1] == ("REPRODUCED" if reproduced else "NOT REPRODUCED")
    assert rc == (1 if reproduced else 0)


@pytest.mark.parametrize("version", ["2.7.18", "3.11.7", "pypy3", "jython"])
def test_a_raise_the_spec_allows_is_matched_by_a_base_class(version: str, tmp_path: Path) -> None:
    # releasing an unlocked lock raises RuntimeError (3.x) or thread.error, a ThreadError (2.7)
    if version == "jython":  # Jython 2.7.3 raises java.lang.IllegalMonitorStateException: its own test below
        pytest.skip("Jython's unlocked release raises a Java exception")
    documented = "RuntimeError" if version != "2.7.18" else "ThreadError"
    allowed: list[Outcome] = [Raised(documented)]
    text = render("Lock", call(0, "__init__"), (call(0, "release"),), violation=_violation(0, allowed),
                  failed_step=0)
    name = "RuntimeError" if version != "2.7.18" else "error"
    assert run_script(target(version), text, tmp_path) == (0, [
        f"observed: ('raised', '{name}')", f"the spec allows: [('raised', '{documented}')]", "NOT REPRODUCED",
    ])


@pytest.mark.parametrize("version", ["2.7.18", "3.12.1", "jython"])
def test_a_call_allowed_to_block_is_reproduced_only_when_it_completes(version: str, tmp_path: Path) -> None:
    # t1's acquire of a held lock blocks: a spec that says "blocks, or returns 5" is not contradicted
    # by a call that does not complete (whatever the wait), and is by one that returns True
    steps = (call(0, "acquire"), call(1, "acquire"))
    v = _violation(1, [Returned(5)], may_block=True)
    blocked = render("Lock", call(0, "__init__"), steps, violation=v, failed_step=1)
    assert "def gate" not in blocked and "def hook" not in blocked  # no machinery it does not use
    rc, lines = run_script(target(version), blocked, tmp_path)
    assert (rc, lines[-2:]) == (0, ["the spec allows: [('returned', 5)]", "NOT REPRODUCED"])
    assert lines.count("t1.acquire() -> (not completed)") == 3 and "-- try 3" in lines  # 3 tries
    completes = render("Lock", call(0, "__init__"), (call(0, "acquire"), call(1, "acquire", False)),
                       violation=_violation(1, [Returned(5)], may_block=True), failed_step=1)
    rc, lines = run_script(target(version), completes, tmp_path)
    assert (rc, lines[-1]) == (1, "REPRODUCED")


def test_reproducer_of_a_missing_completion_waits_for_the_owed_calls(tmp_path: Path) -> None:
    # t1 waits on an Event that t0 sets: the spec owes t1's return, which comes (not reproduced);
    # a t1 that waits on a second Event nobody sets never returns (reproduced)
    owed = ["it requires t1 returned True"]
    v = Violation(ViolationKind.MISSING_COMPLETION, "c", None, None, "pending", owed)
    py = interpreter("3.11.7")
    steps = (call(1, "wait"), call(0, "set"))
    woken = render("Event", call(0, "__init__"), steps, violation=v, failed_step=None)
    assert run_script(py, woken, tmp_path)[0] == 0
    lost = woken.replace("lambda: obj.wait()", "lambda: M.Event().wait()")
    rc, lines = run_script(py, lost, tmp_path)
    assert (rc, lines[-2:]) == (1, ["not completed 5.0 s after the last step: ['t1']", "REPRODUCED"])


def test_a_java_exception_on_jython_is_an_outcome_the_script_sees(tmp_path: Path) -> None:
    # Jython's release of an unlocked lock raises java.lang.IllegalMonitorStateException, which is no
    # Python Exception: the script reports it (not a traceback), and the 2.7 documentation's ThreadError
    # is not it
    text = render("Lock", call(0, "__init__"), (call(0, "release"),),
                  violation=_violation(0, [Raised("ThreadError")]), failed_step=0)
    assert run_script(target("jython"), text, tmp_path) == (1, [
        "observed: ('raised', 'IllegalMonitorStateException')",
        "the spec allows: [('raised', 'ThreadError')]", "REPRODUCED",
    ])


def test_a_finding_after_the_last_step_names_the_last_steps_thread() -> None:
    from conformance.checker import Violation, ViolationKind
    from conformance.reproducer import _failing_thread
    from spec.values import call as make_call

    steps = (make_call(0, "acquire"), make_call(2, "release"))
    v = Violation(ViolationKind.MISSING_COMPLETION, None, None, None, "not completed", [])
    # a finding past the last step (an aiologic run crashed the renderer with IndexError)
    assert _failing_thread(v, steps, len(steps)) == 2
    assert _failing_thread(v, steps, 0) == 0
    assert _failing_thread(v, (), 0) == 0
    assert _failing_thread(Violation(ViolationKind.MISSING_COMPLETION, None, 1, None, "x", []), steps, 5) == 1
