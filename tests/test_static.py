"""The static checks the project promises: ``mypy --strict`` and ``ruff check`` are clean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *cmd], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


def test_mypy_strict_is_clean() -> None:
    p = run("mypy")
    assert p.returncode == 0, p.stdout + p.stderr


def test_ruff_is_clean() -> None:
    p = run("ruff", "check", ".")
    assert p.returncode == 0, p.stdout + p.stderr
