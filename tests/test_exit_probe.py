"""The exit probe: the program exits with only daemon threads left, and waits for the
non-daemon ones; checked on stock interpreters, impl, and two seeded bugs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conformance import exit_probe
from spec import thread
from tests.interpreters import interpreter

STOCK = ["2.7.18", "3.6.15", "3.11.7", "3.13.0"]
NO_JOIN = ("        if not locks:\n            break\n", "        if True:\n            break\n")
"""3.11's shutdown joins no thread: the program ends under its non-daemon thread."""


def _source(version: str) -> str:
    root = Path(interpreter(version)).resolve().parent.parent
    return (root / "lib" / f"python{version.rsplit('.', 1)[0]}" / "threading.py").read_text()


def _mutant(tmp_path: Path, version: str, old: str, new: str) -> Path:
    text = _source(version)
    assert text.count(old) == 1
    (tmp_path / "threading.py").write_text(text.replace(old, new))
    return tmp_path


@pytest.mark.parametrize("version", STOCK)
def test_stock_interpreters_exit_as_documented(version: str) -> None:
    res = exit_probe.run(interpreter(version))
    assert res.ran and res.broken is None, res.log
    assert res.log == [f"stdout: {line}" for line in (exit_probe.MAIN_DONE, *exit_probe.NON_DAEMON_DONE)]


def test_impl_exits_as_documented() -> None:
    root = str(Path(__file__).resolve().parent.parent)
    res = exit_probe.run(sys.executable, module="impl", paths=(root,))
    assert res.ran and res.broken is None, res.log


def test_a_daemon_thread_the_program_waits_for_is_a_hang(tmp_path: Path) -> None:
    # 3.13 starts every OS thread as non-daemon: the interpreter joins the daemon one at exit
    d = _mutant(tmp_path, "3.13.0", "daemon=self.daemon)", "daemon=False)")
    res = exit_probe.run(interpreter("3.13.0"), paths=(str(d),), hang_seconds=5)
    assert res.ran and res.broken == thread.DAEMON_PROGRAM_EXITS_WHEN_ONLY_DAEMONS_LEFT
    assert "had not exited" in res.observed


def test_a_non_daemon_thread_left_behind_is_caught(tmp_path: Path) -> None:
    d = _mutant(tmp_path, "3.11.7", *NO_JOIN)
    res = exit_probe.run(interpreter("3.11.7"), paths=(str(d),), pause=3.0)
    assert res.ran and res.broken == thread.DAEMON_PROGRAM_WAITS_FOR_NON_DAEMON_THREADS
    assert res.log == [f"stdout: {exit_probe.MAIN_DONE}"]


def test_a_program_that_waits_for_one_non_daemon_thread_only_is_caught(tmp_path: Path) -> None:
    # 3.6's shutdown joins the first non-daemon thread it finds, and no other
    old = "    while t:\n        t.join()\n        t = _pickSomeNonDaemonThread()\n"
    d = _mutant(tmp_path, "3.6.15", old, "    if t:\n        t.join()\n")
    res = exit_probe.run(interpreter("3.6.15"), paths=(str(d),), pause=2.0)
    assert res.ran and res.broken == thread.DAEMON_PROGRAM_WAITS_FOR_NON_DAEMON_THREADS
    assert res.log == [f"stdout: {exit_probe.MAIN_DONE}", f"stdout: {exit_probe.NON_DAEMON_DONE[0]}"]


def test_a_module_that_does_not_import_says_nothing(tmp_path: Path) -> None:
    (tmp_path / "threading.py").write_text("raise ImportError('broken on purpose')\n")
    res = exit_probe.run(interpreter("3.11.7"), paths=(str(tmp_path),))
    assert not res.ran and res.broken is None


def test_check_reports_both_clauses_and_a_runnable_reproducer(tmp_path: Path) -> None:
    out = tmp_path / "stock.json"
    p = subprocess.run(
        [sys.executable, "-m", "conformance.cli", "check", "--only", "Thread", "--budget", "15",
         "--allow-incomplete", "--format", "json", "--output", str(out)],
        capture_output=True, text=True, timeout=300,
    )
    assert p.returncode == 0, p.stdout[-2000:]
    clauses = json.loads(out.read_text())["clauses"]
    exits = thread.DAEMON_PROGRAM_EXITS_WHEN_ONLY_DAEMONS_LEFT
    waits = thread.DAEMON_PROGRAM_WAITS_FOR_NON_DAEMON_THREADS
    assert clauses[exits] == clauses[waits] == "passed"
    (tmp_path / "m").mkdir()
    d = _mutant(tmp_path / "m", "3.11.7", *NO_JOIN)
    p = subprocess.run(
        [sys.executable, "-m", "conformance.cli", "check", "--python", interpreter("3.11.7"),
         "--path", str(d), "--only", "Thread", "--fail-fast", "--budget", "30", "--format", "json",
         "--reproducers", str(tmp_path / "r")],
        capture_output=True, text=True, timeout=300,
    )
    assert p.returncode == 1
    (failure,) = json.loads(p.stdout)["failures"]
    assert failure["clause"] == thread.DAEMON_PROGRAM_WAITS_FOR_NON_DAEMON_THREADS
    assert failure["found_by"] == "exit probe"
    (repro,) = (tmp_path / "r").glob("*.py")
    r = subprocess.run([interpreter("3.11.7"), str(repro)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and r.stdout.splitlines()[-1] == "REPRODUCED", r.stdout + r.stderr
    assert repr([exit_probe.MAIN_DONE]) in r.stdout  # its non-daemon threads never printed
