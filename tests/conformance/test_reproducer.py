"""Reproducer scripts run unchanged on the target interpreters and show each step."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.reproducer import render
from spec.values import call
from tests.interpreters import INTERPRETERS, interpreter


def run_script(version: str, text: str, tmp_path: Path, settle: str) -> list[str]:
    """Run reproducer ``text`` under interpreter ``version`` with ``THREADSPEC_SETTLE=settle``;
    the lines it printed (it must exit with status 0)."""
    script = tmp_path / "repro.py"
    script.write_text(text)
    env = dict(os.environ, THREADSPEC_SETTLE=settle)
    py = interpreter(version)
    p = subprocess.run([py, str(script)], capture_output=True, text=True, timeout=120, env=env)
    assert p.returncode == 0, p.stderr
    return p.stdout.splitlines()


@pytest.mark.parametrize("version", INTERPRETERS)
def test_reproducer_runs_and_reports_each_step(version: str, tmp_path: Path) -> None:
    steps = (call(0, "acquire"), call(1, "release"), call(1, "release"))
    text = render("Lock", call(0, "__init__"), steps, header=["a test"])
    # a generous settle time: every step here completes at once, none blocks
    lines = run_script(version, text, tmp_path, settle="20")
    assert lines[0] == "t0.acquire() -> returned True"
    assert lines[1] == "t1.release() -> returned None"
    assert lines[2].startswith("t1.release() -> raised ")


def test_reproducer_is_valid_python_here() -> None:
    text = render("Lock", call(0, "__init__"), (call(0, "acquire", timeout=float("nan")),))
    compile(text, "repro.py", "exec")
    assert "float('nan')" in text
    assert sys.version_info >= (3, 11)


@pytest.mark.parametrize("version", ["2.7.18", "3.6.15", "3.12.1", "3.13.0"])
def test_reproducer_shows_back_to_back_calls_and_calls_of_the_thread_itself(
    version: str, tmp_path: Path
) -> None:
    from conformance.scenario import back_to_back
    from spec.values import ENV, THREAD_EXITED, Gate, in_gate

    steps = (
        back_to_back(call(1, "start"), call(1, "is_alive")),
        call(in_gate(1), "join"),
        call(ENV, "gate.open", 1),
        call(ENV, THREAD_EXITED),
        call(1, "is_alive"),
    )
    text = render("Thread", call(0, "__init__", target=Gate(1)), steps)
    # every step completes at once; the settle time is what the script waits for the thread's end
    lines = run_script(version, text, tmp_path, settle="2")
    assert lines[0] == "t1.start(); is_alive() -> returned ['returned None', 'returned True']"
    assert lines[1] == "(thread in gate 1).join() -> raised RuntimeError"
    assert lines[2:] == [
        "env: gate 1 opened",
        "env: waited for the thread to end",
        "t1.is_alive() -> returned False",
    ]
