"""The seeded mutants are well formed, and a sample of them is caught by ``threadspec check``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.interpreters import interpreter
from tests.mutants.all import MUTANTS

SOURCE_VERSION = "3.11.7"


def source() -> str:
    py = interpreter(SOURCE_VERSION)
    root = Path(py).resolve().parent.parent
    return (root / "lib" / "python3.11" / "threading.py").read_text()


def test_mutant_ids_are_unique_and_texts_occur_once() -> None:
    text = source()
    ids = [m[0] for m in MUTANTS]
    assert len(ids) == len(set(ids))
    for mid, desc, old, new in MUTANTS:
        assert desc and old != new, mid
        assert text.count(old) == 1, f"{mid}: old text found {text.count(old)} times"


def _primitive(mid: str) -> str:
    return mid.split("-", 1)[0]


# the family prefix of a mutant id → the primitives whose scenarios should catch it
ONLY = {
    "lock": "Lock", "rlock": "RLock", "condition": "Condition", "semaphore": "Semaphore",
    "bounded": "BoundedSemaphore", "event": "Event", "barrier": "Barrier",
    "thread": "Thread", "timer": "Timer", "module": "Thread", "subclass": "ThreadSubclass",
}


# one mutant per primitive family is run through the real checker here; the whole set
# runs through ../shared/tools/run_mutants.py (see the README).
SAMPLE = sorted({_primitive(m[0]): m for m in MUTANTS}.values())


@pytest.mark.parametrize("mutant", SAMPLE, ids=[m[0] for m in SAMPLE])
def test_sample_mutant_is_caught(mutant: tuple[str, str, str, str], tmp_path: Path) -> None:
    mid, _desc, old, new = mutant
    (tmp_path / "threading.py").write_text(source().replace(old, new))
    family = _primitive(mid)
    only = ["--only", ONLY[family]] if family in ONLY else []
    p = subprocess.run(
        [sys.executable, "-m", "conformance.cli", "check", "--python", interpreter(SOURCE_VERSION),
         "--path", str(tmp_path), "--budget", "20", "--reproducers", str(tmp_path / "repro"), *only],
        capture_output=True, text=True, timeout=600, env=dict(os.environ),
    )
    assert p.returncode == 1, f"{mid} survived:\n{p.stdout[-2000:]}\n{p.stderr[-2000:]}"
