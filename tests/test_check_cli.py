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
