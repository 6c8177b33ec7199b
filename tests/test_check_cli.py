"""``threadspec check``: exit status 2 with a one-line reason when a target can't be checked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

THREADSPEC = [sys.executable, "-m", "conformance.cli"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*THREADSPEC, *args], capture_output=True, text=True, timeout=300, cwd=cwd)


def test_missing_interpreter_exits_2_with_a_reason(tmp_path: Path) -> None:
    p = run("check", "--python", str(tmp_path / "no-such-python"), "--budget", "5")
    assert p.returncode == 2
    assert p.stderr.count("\n") == 1 and "cannot check" in p.stderr


def test_import_error_exits_2(tmp_path: Path) -> None:
    p = run("check", "--module", "no_such_threading_module", "--budget", "5")
    assert p.returncode == 2 and "no_such_threading_module" in p.stderr


def test_module_not_from_path_exits_2(tmp_path: Path) -> None:
    # tmp_path holds no threading.py: the stdlib's would be checked instead, which is refused
    p = run("check", "--path", str(tmp_path), "--budget", "5")
    assert p.returncode == 2 and "not from" in p.stderr


def test_unknown_primitive_exits_2() -> None:
    p = run("check", "--only", "Mutex", "--budget", "5")
    assert p.returncode == 2 and "unknown primitive: Mutex" in p.stderr


def test_help_lists_the_options() -> None:
    p = run("check", "--help")
    assert p.returncode == 0
    for opt in ("--python", "--path", "--module", "--profile", "--strictness", "--only", "--budget",
                "--seed", "--format", "--output"):
        assert opt in p.stdout


def test_host_threading_lock_is_conformant_in_json(tmp_path: Path) -> None:
    import json

    p = run("check", "--only", "Lock", "--budget", "10", "--format", "json")
    assert p.returncode == 0, p.stdout[-2000:]
    rep = json.loads(p.stdout)
    assert rep["conformant"] and rep["failures"] == []
    assert rep["target"]["gil"] is True and rep["target"]["free_threaded_build"] is False
    assert set(rep["clauses"].values()) <= {"passed", "not applicable", "not exercisable"}
    assert rep["clauses"]["Lock.release.unlocked-raises-runtimeerror"] == "passed"
    assert rep["clauses"]["Lock.acquire.interrupted-by-signals"] == "not exercisable"


def test_seeded_bug_fails_with_clause_schedule_and_runnable_reproducer(tmp_path: Path) -> None:
    import json
    import textwrap

    from tests.conformance.test_driver import BUGGY_BASE, BUGS

    old, new, _ = BUGS["release-unchecked"]
    (tmp_path / "buggylock.py").write_text(textwrap.dedent(BUGGY_BASE).replace(old, new))
    p = run("check", "--module", "buggylock", "--path", str(tmp_path), "--only", "Lock", "--fail-fast",
            "--budget", "30", "--format", "json", "--reproducers", str(tmp_path / "repro"))
    assert p.returncode == 1, p.stderr
    rep = json.loads(p.stdout)
    (f,) = rep["failures"]
    assert f["clause"] == "Lock.release.unlocked-raises-runtimeerror"
    assert "RuntimeError" in f["quote"] and f["schedule"].startswith("Lock()")
    assert rep["clauses"][f["clause"]] == "failed"
    script = Path(f["reproducer"])
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 1 and out.stdout.split()[-1] == "REPRODUCED", out.stdout + out.stderr
    assert "('returned', 'None')" in out.stdout


def test_scenarios_building_an_absent_private_class_are_skipped(tmp_path: Path) -> None:
    import json

    # a threading look-alike without threading._PyRLock: Condition(_PyRLock()) scenarios are not for it
    (tmp_path / "nopyrlock.py").write_text(
        "import threading as _t\n"
        "globals().update({k: getattr(_t, k) for k in dir(_t)\n"
        "                  if k != '_PyRLock' and not k.startswith('__')})\n"
    )
    # (--allow-incomplete: on a slow machine the budget may not reach every clause; not the point here)
    p = run("check", "--path", str(tmp_path), "--module", "nopyrlock", "--only", "Condition",
            "--budget", "15", "--format", "json", "--allow-incomplete")
    assert p.returncode == 0, p.stdout[-3000:]
    rep = json.loads(p.stdout)
    assert rep["verdict"] in ("conformant", "incomplete") and rep["failures"] == []
    assert rep["missing"] == [] and rep["could_not_observe"] == []
    assert rep["clauses"]["Condition.init.uses-given-lock"] == "passed"
