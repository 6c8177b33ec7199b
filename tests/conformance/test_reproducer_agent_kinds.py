"""A reproducer of a schedule on one of the agent's own kinds (``LocalSubclass``,
``ThreadSubclass``: PROTOCOL.md) defines that class itself, as the agent does, and replays the
schedule with the target interpreter alone (2.7 and 3.x)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.checker import Violation, ViolationKind
from conformance.reproducer import render
from spec.values import Gate, Outcome, Returned, call
from tests.conformance.test_reproducer import run_script
from tests.interpreters import interpreter


def _violation(step: int, allowed: Outcome) -> Violation:
    return Violation(ViolationKind.UNEXPECTED_OUTCOME, "c", step, None, "x", [repr(allowed)], [allowed])


@pytest.mark.parametrize("version", ["2.7.18", "3.11.7"])
@pytest.mark.parametrize("allowed", [5, 6], ids=["allows-its-value", "allows-another"])
def test_local_subclass_is_defined_by_the_reproducer(version: str, allowed: int, tmp_path: Path) -> None:
    steps = (call(0, "set:x", 5), call(0, "get:x"))
    text = render("LocalSubclass", call(0, "__init__", 5, "five"), steps, header=["a test"],
                  violation=_violation(1, Returned(allowed)), failed_step=1,
                  log=["t0.set:x(5) -> returned None"])
    assert "type('LocalSubclass', (M.local,)" in text
    rc, lines = run_script(interpreter(version), text, tmp_path)
    assert lines[-1] == ("NOT REPRODUCED" if allowed == 5 else "REPRODUCED")


@pytest.mark.parametrize("version", ["2.7.18", "3.11.7"])
@pytest.mark.parametrize("alive", [True, False], ids=["allows-alive", "allows-not-alive"])
def test_thread_subclass_runs_its_override_in_the_reproducer(
    version: str, alive: bool, tmp_path: Path
) -> None:
    """Started, the subclass's thread waits in its run(), gate 1: it is alive (its target, gate 2,
    is never called: were it called, the thread would be alive all the same)."""
    steps = (call(1, "start"), call(1, "is_alive"))
    text = render("ThreadSubclass", call(0, "__init__", target=Gate(2), run=Gate(1)), steps,
                  header=["a test"], violation=_violation(1, Returned(alive)), failed_step=1,
                  log=["t1.start() -> returned None"])
    assert "type('ThreadSubclass', (M.Thread,)" in text
    rc, lines = run_script(interpreter(version), text, tmp_path)
    assert lines[-1] == ("NOT REPRODUCED" if alive else "REPRODUCED")
