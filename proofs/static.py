"""The static row of ``threadspec prove``: ``mypy --strict`` over spec, impl, conformance and proofs."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from proofs.table import ProveOptions, Row

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("spec", "impl", "conformance", "proofs")


def rows(options: ProveOptions) -> Iterator[Row]:
    t0 = time.monotonic()
    p = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", *PACKAGES],
        cwd=ROOT, capture_output=True, text=True,
    )
    last = (p.stdout.strip().splitlines() or ["(no output)"])[-1]
    files = sum(1 for pkg in PACKAGES for _ in (ROOT / pkg).rglob("*.py"))
    problems = None if p.returncode == 0 else (p.stdout + p.stderr).strip()
    yield Row("mypy", "mypy --strict is clean", "+".join(PACKAGES), files, "files",
              problems is None, time.monotonic() - t0, problems, {"summary": last})
