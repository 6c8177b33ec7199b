"""The reproducers of Jython 2.7's confirmed deviations (``docs/deviations/jython``) reproduce.

Each is a standalone script for ``jython`` alone that prints ``REPRODUCED`` and exits 1 when
the deviation shows, ``NOT REPRODUCED`` and 0 when it does not. They are run here under
Debian's ``jython`` (all at once: each pays the JVM's start-up), and the ones that need no
Jython-only module also under this CPython, where each must say ``NOT REPRODUCED``: a
reproducer that fires on a conforming runtime would prove nothing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DEVIATIONS = Path(__file__).resolve().parents[2] / "docs" / "deviations" / "jython"
SCRIPTS = sorted(DEVIATIONS.glob("*.py"))
TIMEOUT = 120.0


def _run_all(python: str) -> dict[str, tuple[int, str]]:
    procs = {
        s.name: subprocess.Popen([python, str(s)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for s in SCRIPTS
    }
    results = {}
    for name, p in procs.items():
        out, _ = p.communicate(timeout=TIMEOUT)
        results[name] = (p.returncode, out.decode(errors="replace"))
    return results


def test_there_are_reproducers() -> None:
    assert len(SCRIPTS) >= 5


def test_each_reproduces_on_jython() -> None:
    jython = shutil.which("jython")
    if jython is None:
        pytest.skip("jython is not installed on this machine (Debian package jython)")
    for name, (rc, out) in _run_all(jython).items():
        lines = out.strip().splitlines()
        assert (rc, lines[-1:]) == (1, ["REPRODUCED"]), (name, out)


def test_none_fires_on_cpython() -> None:
    """CPython 3 conforms to what each checks (those importing 2.7's ``thread`` are skipped)."""
    portable = [s for s in SCRIPTS if "import thread\n" not in s.read_text()]
    assert portable
    for s in portable:
        p = subprocess.run([sys.executable, str(s)], capture_output=True, text=True, timeout=TIMEOUT)
        last = p.stdout.strip().splitlines()[-1:]
        assert (p.returncode, last) == (0, ["NOT REPRODUCED"]), (s.name, p.stdout)
