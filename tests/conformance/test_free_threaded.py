"""Free-threaded CPython (built with ``--disable-gil``) as a target: the agent says the GIL is off,
the report's target line says so, and stock threading and impl are conformant under real parallelism.

Build one (about 5 minutes; installs to ``~/.local/py313t``, where ``threadspec matrix`` finds it) with
``bash ../shared/tools/build-free-threaded-python.sh``; without one these tests skip, saying so.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conformance import matrix
from conformance.agent_client import AgentClient
from tests.conformance.test_agent import START_TIMEOUT

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def free_threaded() -> str:
    found = matrix.free_threaded_targets(os.environ.get("PATH", ""), matrix.BUILD_ROOTS)
    if not found:
        pytest.skip(
            "no free-threaded CPython (python3.Nt on the PATH or under /opt or ~/.local): build one with "
            "bash ../shared/tools/build-free-threaded-python.sh"
        )
    return found[0].python


def test_the_matrix_discovers_it(free_threaded: str) -> None:
    found = matrix.discover()
    assert any(t.source == "free-threaded" and t.python == free_threaded for t in found)


def test_hello_says_the_gil_is_off(free_threaded: str) -> None:
    client = AgentClient.start(free_threaded, timeout=START_TIMEOUT)
    try:
        h = client.hello
        assert tuple(h.python[:2]) >= (3, 13) and h.implementation == "cpython"
        assert h.gil is False and h.free_threaded_build is True
    finally:
        client.close()


def test_hello_says_the_gil_is_on_when_the_environment_re_enables_it(free_threaded: str) -> None:
    client = AgentClient.start(free_threaded, env={**os.environ, "PYTHON_GIL": "1"}, timeout=START_TIMEOUT)
    try:
        assert client.hello.gil is True and client.hello.free_threaded_build is True
    finally:
        client.close()


def _check(free_threaded: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "conformance.cli", "check", "--python", free_threaded,
         "--only", "Lock,Condition", "--budget", "10", *args],
        capture_output=True, text=True, timeout=300, cwd=REPO,
    )


def test_stock_threading_is_conformant_with_the_gil_off(free_threaded: str) -> None:
    p = _check(free_threaded)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-2000:]
    first = p.stdout.splitlines()[0]
    assert first.startswith(f"target {free_threaded} — Python 3.")
    assert "(cpython, free-threaded build, GIL off)" in first
    assert p.stdout.rstrip().splitlines()[-1].startswith("CONFORMANT")


def test_impl_is_conformant_with_the_gil_off(free_threaded: str) -> None:
    p = _check(free_threaded, "--module", "impl", "--path", str(REPO), "--format", "json")
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-2000:]
    rep = json.loads(p.stdout)
    assert rep["verdict"] == "conformant" and rep["failures"] == [] and rep["could_not_observe"] == []
    assert rep["target"]["gil"] is False and rep["target"]["free_threaded_build"] is True
    assert os.path.realpath(rep["target"]["file"]) == os.path.realpath(REPO / "impl" / "__init__.py")
