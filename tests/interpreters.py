"""The interpreters installed on this machine, for tests that run targets under each."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

PYENV_VERSIONS = ("2.7.18", "3.6.15", "3.7.16", "3.8.18", "3.9.18", "3.10.13", "3.11.7", "3.12.1", "3.13.0")
INTERPRETERS = (*PYENV_VERSIONS, "pypy3")


def _pyenv_root() -> str:
    root = os.environ.get("PYENV_ROOT")
    if root:
        return root
    exe = shutil.which("pyenv")
    if exe:
        try:
            return subprocess.run([exe, "root"], capture_output=True, text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            pass
    return os.path.expanduser("~/.pyenv")


def path_of(version: str) -> str | None:
    """The interpreter's path, or None when it is not installed."""
    if version == "pypy3":
        return shutil.which("pypy3")
    p = os.path.join(_pyenv_root(), "versions", version, "bin", "python")
    return p if os.access(p, os.X_OK) else None


def interpreter(version: str) -> str:
    """The interpreter's path; skips the test, saying why, when it is absent."""
    p = path_of(version)
    if p is None:
        pytest.skip(f"interpreter {version} is not installed on this machine")
    return p
