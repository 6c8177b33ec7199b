"""CPython's own threading tests, run against impl as a second opinion (see cpython_suites.py).

Each suite runs in a child process of each installed interpreter (3.11, 3.12,
3.13), which writes a JSON summary: tests run and passed, failures, errors,
skips, and the excluded and adapted tests, each with its reason (see
``cpython_suites.excluded`` and ``cpython_suites.ADAPTED``). The test prints
the summary, its ``counts`` line first (``pytest -s`` shows it).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.impl.conftest import INTERPRETERS, ROOT, child_env

HERE = Path(__file__).resolve().parent
SUITE_TIMEOUT = 1200.0
"""Seconds a whole suite may take before it counts as hung (it takes well under a minute)."""


@pytest.fixture(params=["3.11", "3.12", "3.13"])
def python(request: pytest.FixtureRequest) -> str:
    """Path of the interpreter of each version; the test is skipped if it is absent."""
    if request.param not in INTERPRETERS:
        pytest.skip(f"Python {request.param} is not installed (no pyenv versions/{request.param}.*)")
    return INTERPRETERS[request.param]


def default_sigint() -> None:
    """In the child, before ``exec``: SIGINT as Python expects it (the InterruptMainTests need it).

    A shell starts a background job with SIGINT ignored, and a child inherits that.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_suite(python: str, suite: str, tmp_path: Path) -> dict[str, object]:
    env = child_env()
    if suite == "test_threading":
        # Put the shim first, so that every interpreter the suite starts gets impl as threading;
        # PYTHONHOME keeps test.support from starting those in isolated mode (-I ignores PYTHONPATH).
        env["PYTHONPATH"] = os.pathsep.join([str(HERE / "cpython_shim"), str(ROOT)])
        prefix = subprocess.run(
            [python, "-c", "import sys; print(sys.base_prefix)"], capture_output=True, text=True, check=True
        ).stdout.strip()
        env["PYTHONHOME"] = prefix
    result = tmp_path / f"{suite}.json"
    p = subprocess.run(
        [python, str(HERE / "cpython_suites.py"), suite, str(result)],
        capture_output=True,
        text=True,
        env=env,
        timeout=SUITE_TIMEOUT,
        preexec_fn=default_sigint,
    )
    assert result.exists(), p.stderr[-5000:]
    summary: dict[str, object] = json.loads(result.read_text())
    summary["log"] = p.stderr[-20000:]
    return summary


@pytest.mark.parametrize("suite", ["lock_tests", "test_threading"])
def test_cpython_suite_passes(python: str, suite: str, tmp_path: Path) -> None:
    if suite == "test_threading" and python == sys.executable and sys.prefix != sys.base_prefix:
        # In a venv, PYTHONHOME would hide the venv; use the interpreter it was made from.
        python = getattr(sys, "_base_executable", python)
    summary = run_suite(python, suite, tmp_path)
    print("\n" + str(summary["counts"]))
    print(json.dumps({k: v for k, v in summary.items() if k not in ("log", "counts")}, indent=1))
    assert summary["failures"] == [] and summary["errors"] == [], summary["log"]
    assert summary["unexpected_successes"] == []
    assert isinstance(summary["run"], int) and summary["run"] > 100
