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
         "--only", "Lock,Condition", "--budget", "20", *args],
        capture_output=True, text=True, timeout=300, cwd=REPO,
    )


# The budget is time: on a loaded machine it can run out before every scenario ran. Such a run must
# still have found nothing wrong (no violation, nothing it could not observe) and say INCOMPLETE for
# that reason alone (exit status 3); any other run must be CONFORMANT (exit status 0), and so is
# one whose budget ran out after every clause was exercised (during the random schedules).


def test_stock_threading_is_conformant_with_the_gil_off(free_threaded: str) -> None:
    p = _check(free_threaded)
    lines = p.stdout.rstrip().splitlines()
    assert lines[0].startswith(f"target {free_threaded} — Python 3.")
    assert "(cpython, free-threaded build, GIL off)" in lines[0]
    assert not any(x.startswith(("VIOLATION", "COULD NOT OBSERVE")) for x in lines), p.stdout[-3000:]
    if lines[-1].startswith("INCOMPLETE: "):
        assert p.returncode == 3, p.stdout[-3000:] + p.stderr[-2000:]
        assert "(budget exhausted)" in lines[1] and "the budget ran out" in lines[-1]
    else:
        assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-2000:]
        assert lines[-1].startswith("CONFORMANT")


def test_impl_is_conformant_with_the_gil_off(free_threaded: str) -> None:
    p = _check(free_threaded, "--module", "impl", "--path", str(REPO), "--format", "json")
    rep = json.loads(p.stdout)
    assert rep["failures"] == [] and rep["could_not_observe"] == [], p.stdout[-3000:]
    assert rep["verdict"] in ("conformant", "incomplete"), p.stdout[-3000:]
    assert p.returncode == (3 if rep["verdict"] == "incomplete" else 0), p.stderr[-2000:]
    assert rep["budget_exhausted"] or rep["verdict"] == "conformant"  # incomplete only for want of time
    assert rep["target"]["gil"] is False and rep["target"]["free_threaded_build"] is True
    assert os.path.realpath(rep["target"]["file"]) == os.path.realpath(REPO / "impl" / "__init__.py")


def test_the_matrix_row_says_the_gil_is_off(free_threaded: str, tmp_path: Path) -> None:
    p = subprocess.run(
        [sys.executable, "-m", "conformance.cli", "matrix", "--no-discover", "--python", free_threaded,
         "--only", "Lock", "--budget", "5", "--jobs", "1", "--output", str(tmp_path)],
        capture_output=True, text=True, timeout=300, cwd=REPO,
    )
    assert p.returncode == 0, p.stderr[-2000:]
    data = json.loads((tmp_path / "matrix.json").read_text(encoding="utf-8"))
    assert [t["gil"] for t in data["targets"]] == [False]
    assert "cpython 3.13" in (page := (tmp_path / "matrix.html").read_text(encoding="utf-8"))
    assert ", GIL off · profile 3.13" in page


@pytest.mark.parametrize("gil,shown", [(True, ", GIL on ·"), (False, ", GIL off ·"), (None, "3.13.5 ·")])
def test_a_matrix_row_header_says_whether_the_gil_is_on(gil: bool | None, shown: str) -> None:
    from conformance import matrix_html

    header = matrix_html._target_header({"name": "t", "python": "p", "ran": True, "implementation": "cpython",
                                          "version": "3.13.5", "profile": "3.13", "seconds": 1.0, "gil": gil})
    assert shown in header and ("GIL" in header) is (gil is not None)
