"""Reproducer scripts run unchanged on the target interpreters and show each step."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conformance.reproducer import render
from spec.core import call
from tests.interpreters import INTERPRETERS, interpreter


@pytest.mark.parametrize("version", INTERPRETERS)
def test_reproducer_runs_and_reports_each_step(version: str, tmp_path) -> None:
    py = interpreter(version)
    steps = (call(0, "acquire"), call(1, "release"), call(1, "release"))
    text = render("Lock", call(0, "__init__"), steps, header=["a test"])
    script = tmp_path / "repro.py"
    script.write_text(text)
    # a generous settle time: every step here completes at once, none blocks
    env = dict(os.environ, THREADSPEC_SETTLE="20")
    p = subprocess.run([py, str(script)], capture_output=True, text=True, timeout=120, env=env)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert lines[0] == "t0.acquire() -> returned True"
    assert lines[1] == "t1.release() -> returned None"
    assert lines[2].startswith("t1.release() -> raised ")


def test_reproducer_is_valid_python_here() -> None:
    text = render("Lock", call(0, "__init__"), (call(0, "acquire", timeout=float("nan")),))
    compile(text, "repro.py", "exec")
    assert "float('nan')" in text
    assert sys.version_info >= (3, 11)
