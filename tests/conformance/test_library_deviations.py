"""The reproducers of the libraries' confirmed deviations (``docs/deviations/<target>/``) reproduce.

Each is a script ``threadspec check --target NAME --reproducers DIR`` wrote (or ``reproducer.render``
wrote for the failing thread's own steps), kept one per deviation: run with this interpreter alone
(the library installed), it prints ``REPRODUCED`` and exits 1. The same script turned onto stock
``threading`` (no prelude, the module ``threading``, OS threads) must print ``NOT REPRODUCED`` and
exit 0: a reproducer that fires on a conforming module would prove nothing. Every script is listed
in its directory's README and every deviation there in ``docs/expect/<target>.json``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conformance import adapters, reproducer
from conformance.adapters import ADAPTERS

REPO = Path(__file__).resolve().parents[2]
DEVIATIONS = REPO / "docs" / "deviations"
TARGETS = sorted(d.name for d in DEVIATIONS.iterdir() if d.name in ADAPTERS)
TIMEOUT = 180.0
ENV = {"THREADSPEC_WAIT": "5"}  # a lost wakeup: 5 s without the owed completion
LIBRARY_IMPORT = re.compile(
    r"^(import|from) .*\b(gevent|eventlet|aiologic|multiprocessing)\b|^[^#\n]*monkey", re.M)


def scripts(target: str) -> list[Path]:
    return sorted((DEVIATIONS / target).glob("*.py"))


def on_stock_threading(text: str) -> str:
    """The script against stock ``threading``: no prelude, the module ``threading``, OS threads."""
    text = re.sub(r"\nimport sys\n.*?M = __import__\('[^']+'", "\nimport sys\nM = __import__('threading'",
                  text, count=1, flags=re.S)
    for green in adapters.GREEN_THREADS.values():
        text = text.replace(green, reproducer._OS_THREADS)
    for a in ADAPTERS.values():
        if a.patch:
            text = text.replace(a.patch, "pass")  # an exit probe's program, inside a string
    return text


def run_all(paths: list[Path], texts: list[str] | None = None) -> dict[str, tuple[int, str, str]]:
    """Each script's exit status, stdout and the end of its stderr."""

    def one(k: int) -> tuple[str, tuple[int, str, str]]:
        cmd = [sys.executable, str(paths[k])] if texts is None else [sys.executable, "-c", texts[k]]
        env = dict(os.environ, **ENV)
        env.pop("PYTHONPATH", None)
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, env=env, cwd=paths[k].parent)
        return paths[k].name, (p.returncode, p.stdout, p.stderr[-2000:])

    with ThreadPoolExecutor(max_workers=3) as pool:
        return dict(pool.map(one, range(len(paths))))


def _library(target: str) -> None:
    a = ADAPTERS[target]
    if importlib.util.find_spec(a.requires) is None:
        pytest.skip(f"{a.requires} is not installed: pip install '{a.install}' (or pip install -e '.[dev]')")


def test_every_library_target_has_its_deviations() -> None:
    assert set(TARGETS) == set(ADAPTERS)
    for t in TARGETS:
        readme = (DEVIATIONS / t / "README.md").read_text()
        expected = json.loads((REPO / "docs" / "expect" / f"{t}.json").read_text())["expected"]
        assert scripts(t) and all(f"`{s.name}`" in readme for s in scripts(t)), t
        assert {e["target"] for e in expected} == {t}
        # each script's clause is one the expect file lists for its target
        listed = {e["clause"] for e in expected}
        for s in scripts(t):
            clause = re.search(r"^# clause: (\S+)$", s.read_text(), re.M)
            assert clause and clause.group(1) in listed, (t, s.name)


@pytest.mark.parametrize("target", TARGETS)
def test_each_reproduces_on_its_library(target: str) -> None:
    _library(target)
    for name, (rc, out, err) in run_all(scripts(target)).items():
        assert (rc, out.strip().splitlines()[-1:]) == (1, ["REPRODUCED"]), (name, out[-3000:], err)


@pytest.mark.parametrize("target", TARGETS)
def test_none_fires_on_stock_threading(target: str) -> None:
    paths = scripts(target)
    texts = [on_stock_threading(p.read_text()) for p in paths]
    assert not any(LIBRARY_IMPORT.search(t) for t in texts)
    for name, (rc, out, err) in run_all(paths, texts).items():
        assert (rc, out.strip().splitlines()[-1:]) == (0, ["NOT REPRODUCED"]), (name, out[-3000:], err)


def test_the_stock_version_of_a_script_imports_no_library() -> None:
    text = (DEVIATIONS / "gevent-direct" / "lock_release_returns_one.py").read_text()
    stock = on_stock_threading(text)
    assert LIBRARY_IMPORT.search(text) and not LIBRARY_IMPORT.search(stock)
    assert "M = __import__('threading', None, None, ['*'])" in stock


def test_expect_files_parse_and_name_clauses_of_the_spec() -> None:
    from conformance import expect
    from spec.clauses import REGISTRY

    files = sorted((REPO / "docs" / "expect").glob("*.json"))
    assert {f.stem for f in files} == {*ADAPTERS, "jython"}
    for f in files:
        for x in expect.load(str(f)):
            assert x.clause in REGISTRY, (f.name, x.clause)
    # Jython's: each names the script of docs/deviations/jython that reproduces it
    jython = DEVIATIONS / "jython"
    for x in expect.load(str(REPO / "docs" / "expect" / "jython.json")):
        named = re.findall(r"(\w+\.py)", x.reason)
        assert named and all((jython / n).is_file() for n in named), x.reason
