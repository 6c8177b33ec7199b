"""``threadspec matrix``: finding targets, folding reports into cells, and a real matrix run.

The real run (``real_matrix``, module scope) checks Lock and Semaphore, 5 s each, on four targets:
this interpreter; CPython 3.11.7 with a seeded Semaphore bug (a copy of its threading.py with one
change, as ``tests/test_mutants.py`` makes them); 3.11.7 with a threading.py that lacks Semaphore;
and an interpreter path that does not exist, named with markup. ``tests/test_matrix_browser.py``
opens the page it writes in headless chromium.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conformance import matrix, matrix_html
from conformance.cli import main
from spec.clauses import REGISTRY
from tests.interpreters import interpreter
from tests.mutants.all import MUTANTS

SOURCE_VERSION = "3.11.7"
MUTANT = "semaphore-acquire-forgets-decrement"
HOSTILE_PYTHON = "/nonexistent/<script>alert(1)</script>\n]]>/python"


@dataclass
class MatrixRun:
    out: Path
    stdout: str
    stderr: str
    data: dict[str, Any]
    python: str
    """The interpreter of the two seeded targets."""

    def row(self, source: str, contains: str = "") -> dict[str, Any]:
        rows = [t for t in self.data["targets"] if t["source"] == source and contains in t["name"]]
        assert len(rows) == 1, [t["name"] for t in self.data["targets"]]
        row: dict[str, Any] = rows[0]
        return row


def seeded_module_dir(base: Path, name: str, python: str, change: tuple[str, str]) -> Path:
    """A directory holding a copy of ``python``'s threading.py with ``change`` (old, new) made."""
    source = (Path(python).resolve().parent.parent / "lib" / "python3.11" / "threading.py").read_text()
    old, new = change
    assert source.count(old) == 1
    d = base / name
    d.mkdir()
    (d / "threading.py").write_text(source.replace(old, new))
    return d


@pytest.fixture(scope="module")
def real_matrix(tmp_path_factory: pytest.TempPathFactory) -> MatrixRun:
    py = interpreter(SOURCE_VERSION)
    base = tmp_path_factory.mktemp("matrix")
    _mid, _desc, old, new = {m[0]: m for m in MUTANTS}[MUTANT]
    mutant = seeded_module_dir(base, "mutant", py, (old, new))
    nosem = seeded_module_dir(base, "nosem", py, ("\nclass BoundedSemaphore(", "\nclass BoundedSemaphore("))
    with (nosem / "threading.py").open("a") as fh:
        fh.write("\ndel Semaphore\n")  # the module has no Semaphore (nor a working BoundedSemaphore)
    out = base / "out"
    done = subprocess.run(
        [sys.executable, "-m", "conformance.cli", "matrix", "--no-discover", "--python", sys.executable,
         "--path-target", py, str(mutant), "--path-target", py, str(nosem), "--python", HOSTILE_PYTHON,
         "--only", "Lock,Semaphore", "--budget", "5", "--jobs", "2", "--output", str(out)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    data = json.loads((out / "matrix.json").read_text())
    return MatrixRun(out, done.stdout, done.stderr, data, py)


# -- a real run ------------------------------------------------------------------------------


def test_matrix_has_a_row_per_target_and_a_column_per_primitive(real_matrix: MatrixRun) -> None:
    assert real_matrix.data["primitives"] == ["Lock", "Semaphore"]
    assert [t["source"] for t in real_matrix.data["targets"]] == [
        "--python", "--python", "--path-target", "--path-target"]


def test_host_interpreter_cells_have_no_failure(real_matrix: MatrixRun) -> None:
    host = [t for t in real_matrix.data["targets"] if t["python"] == sys.executable][0]
    assert host["ran"] and host["exit_status"] in (0, 3)
    for p in ("Lock", "Semaphore"):
        cell = host["cells"][p]
        assert cell["status"] in ("passed", "incomplete") and cell["failed"] == 0 and cell["passed"] > 0


def test_seeded_bug_is_a_red_semaphore_cell_with_its_violations(real_matrix: MatrixRun) -> None:
    row = real_matrix.row("--path-target", "mutant")
    assert row["ran"] and row["verdict"] == "violations" and row["exit_status"] == 1
    assert row["cells"]["Lock"]["status"] in ("passed", "incomplete")
    cell = row["cells"]["Semaphore"]
    assert cell["status"] == "failed"
    raw = json.loads(Path(row["report_file"]).read_text())
    failed = sorted(
        cid for cid, st in raw["clauses"].items() if st == "failed" and REGISTRY[cid].primitive == "Semaphore"
    )
    assert cell["failed"] == len(failed) > 0
    assert cell["failed_clauses"] == failed
    assert len(cell["failures"]) == len(raw["failures"])
    for f in cell["failures"]:
        assert f["quote"] == REGISTRY[f["clause"]].quote
        assert f["schedule"].startswith("Semaphore(") and f["observed"] and f["spec_allows"]
        repro = Path(f["reproducer"])
        assert repro.is_file() and real_matrix.out / "reproducers" in repro.parents


def test_module_without_semaphore_is_a_could_not_check_cell(real_matrix: MatrixRun) -> None:
    row = real_matrix.row("--path-target", "nosem")
    assert row["ran"] and row["verdict"] == "could not check" and row["exit_status"] == 2
    assert row["cells"]["Semaphore"]["status"] == "could not check"
    assert "Semaphore" in row["cells"]["Semaphore"]["reason"]
    assert row["cells"]["Lock"]["status"] in ("passed", "incomplete")


def test_a_target_that_cannot_run_is_a_row_saying_why(real_matrix: MatrixRun) -> None:
    row = real_matrix.row("--python", "nonexistent")
    assert row["ran"] is False and row["exit_status"] == 2 and "cells" not in row
    assert "cannot run" in row["reason"] and "No such file" in row["reason"]


def test_progress_table_and_wall_time_are_printed(real_matrix: MatrixRun) -> None:
    for t in real_matrix.data["targets"]:
        assert f"threadspec matrix: {t['name'].splitlines()[0]}" in real_matrix.stderr
    assert "4/4 targets done" in real_matrix.stderr
    assert re.search(r"mutant\s+violations\s+(ok|incompl\.)\s+\d+ failed", real_matrix.stdout)
    wall = re.search(r"4 targets x 2 primitives in ([\d.]+) s wall time", real_matrix.stdout)
    assert wall and float(wall.group(1)) == pytest.approx(real_matrix.data["wall_seconds"], abs=0.06)
    # the checks ran two at a time: the wall time is less than the checks' own times added up
    assert real_matrix.data["wall_seconds"] < sum(t["seconds"] for t in real_matrix.data["targets"])


def test_page_is_self_contained_and_escapes_target_text(real_matrix: MatrixRun) -> None:
    page = (real_matrix.out / "matrix.html").read_text()
    assert "<script" not in page.lower()
    assert "/nonexistent/&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert not re.search(r'(src|href)="(https?:)?//', page)
    ids = set(re.findall(r'id="([^"]+)"', page))
    for frag in re.findall(r'href="#([^"]+)"', page):
        assert frag in ids
    for f in real_matrix.row("--path-target", "mutant")["cells"]["Semaphore"]["failures"]:
        assert matrix_html.text(Path(f["reproducer"]).read_text(), matrix_html.REPRODUCER_LIMIT) in page


# -- finding targets -------------------------------------------------------------------------


def _exe(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


def test_discover_finds_pyenv_versions_pypy_jython_and_free_threaded_builds(tmp_path: Path) -> None:
    root = tmp_path / "pyenv"
    for v in ("3.10.1", "3.9.2", "2.7.18", "3.13.5t"):
        _exe(root / "versions" / v / "bin" / "python")
    (root / "versions" / "broken").mkdir()
    bin_ = tmp_path / "bin"
    for n in ("pypy3", "jython", "python3.13t", "python3.13", "python3.13t-config"):
        _exe(bin_ / n)
    _exe(tmp_path / "opt" / "ft" / "bin" / "python3.14t")
    found = matrix.discover(str(root), str(bin_), [str(tmp_path / "opt")])
    assert [(t.name, t.source) for t in found] == [
        ("pyenv 2.7.18", "pyenv"), ("pyenv 3.9.2", "pyenv"), ("pyenv 3.10.1", "pyenv"),
        ("pyenv 3.13.5t", "pyenv"), ("pypy3", "PATH"), ("jython", "PATH"),
        ("python3.13t (free-threaded)", "free-threaded"), ("python3.14t (free-threaded)", "free-threaded"),
    ]
    assert found[5].python == str(bin_ / "jython")


def test_discover_without_pyenv_or_path_finds_nothing(tmp_path: Path) -> None:
    assert matrix.discover(str(tmp_path / "none"), str(tmp_path / "empty"), [str(tmp_path)]) == []


def test_unique_drops_the_same_interpreter_reached_twice(tmp_path: Path) -> None:
    real = _exe(tmp_path / "python3")
    (tmp_path / "python").symlink_to(real)
    a = matrix.MatrixTarget("a", str(real), "pyenv")
    b = matrix.MatrixTarget("b", str(tmp_path / "python"), "--python")
    c = matrix.MatrixTarget("c", str(real), "--path-target", ("--path", "x"))
    assert matrix.unique([a, b, c]) == [a, c]


def test_adapters_are_targets_only_when_their_library_imports() -> None:
    found = matrix.adapter_targets({"json-adapter": "json", "absent": "no_such_module_xyz"})
    assert [(t.name, t.check_args) for t in found] == [("adapter json-adapter", ("--target", "json-adapter"))]


# -- cells -----------------------------------------------------------------------------------


def test_cell_status_follows_the_report() -> None:
    report = {
        "clauses": {"Lock.acquire.x": "passed", "Lock.release.y": "passed", "Semaphore.acquire.x": "passed",
                    "Semaphore.release.y": "not exercised", "Event.wait.z": "not applicable",
                    "Condition.wait.a": "failed", "Barrier.wait.b": "not exercised"},
        "failures": [{"clause": "Condition.wait.a", "quote": "q", "schedule": "Condition() ; t0.wait()"}],
        "could_not_check": {"Barrier": "the module has no Barrier"},
        "could_not_observe": [{"primitive": "Lock", "reason": "r", "schedule": "s"}],
    }
    cells = matrix.cells_of(report, ["Lock", "Semaphore", "Event", "Condition", "Barrier", "Timer"])
    assert {p: c["status"] for p, c in cells.items()} == {
        "Lock": "incomplete", "Semaphore": "incomplete", "Event": "not applicable", "Condition": "failed",
        "Barrier": "could not check", "Timer": "not checked"}
    assert cells["Condition"]["failed"] == 1 and cells["Condition"]["failed_clauses"] == ["Condition.wait.a"]
    assert cells["Lock"]["passed"] == 2 and cells["Semaphore"]["not_exercised"] == 1
    report["could_not_observe"] = []
    assert matrix.cells_of(report, ["Lock"])["Lock"]["status"] == "passed"


def test_primitives_follow_the_registry_order() -> None:
    reports = [{"clauses": {"Semaphore.acquire.x": "passed"}, "could_not_check": {"Barrier": "r"}},
               {"clauses": {"Lock.acquire.x": "passed"}}]
    assert matrix.primitives_of(reports) == ["Lock", "Semaphore", "Barrier"]


# -- the page with hostile text ------------------------------------------------------------------


def _hostile_matrix(tmp_path: Path) -> tuple[dict[str, Any], str]:
    nasty = "</pre></code><script>alert(1)</script>]]>\n\x00\x1b[31m\udcff" + "x" * 100_000
    repro = tmp_path / "repro.py"
    repro.write_text("print('</pre><script>alert(2)</script>')\n", encoding="utf-8")
    failure = {"clause": "Lock.release.unlocked-raises-runtimeerror", "quote": "q <b>", "kind": "k",
               "found_by": nasty, "schedule": nasty, "observed": nasty, "spec_allows": [nasty],
               "log": [nasty], "reproducer": str(repro)}
    cell = {"status": "failed", "passed": 0, "failed": 1, "not_exercised": 0, "not_applicable": 0,
            "known_bug": 0, "failed_clauses": [failure["clause"]], "failures": [failure],
            "could_not_observe": [{"reason": nasty, "schedule": nasty}], "reason": None}
    target = {"name": nasty, "python": nasty, "source": "--python", "check_args": [nasty], "ran": True,
              "verdict": nasty, "exit_status": 1, "version": nasty, "implementation": nasty,
              "profile": nasty, "seconds": 1.0, "cells": {"Lock": cell}}
    norun = {"name": nasty, "python": nasty, "source": "--python", "check_args": [], "ran": False,
             "reason": nasty, "exit_status": 2, "seconds": 0.1}
    data = {"wall_seconds": 1.0, "options": {"only": [nasty]}, "primitives": ["Lock"],
            "targets": [target, norun], "started": nasty}
    return data, nasty


def test_page_escapes_everything_a_target_said(tmp_path: Path) -> None:
    data, _nasty = _hostile_matrix(tmp_path)
    page = matrix_html.render(data, {"Lock": ("<svg></svg>", "caption")}, tmp_path)
    page.encode("utf-8")  # no lone surrogate left
    assert "<script" not in page and "]]>" not in page
    assert "&lt;/pre&gt;&lt;/code&gt;&lt;script&gt;alert(1)&lt;/script&gt;]]&gt;" in page
    assert "\\x00\\x1b[31m\\udcff" in page and "\x00" not in page and "\x1b" not in page
    assert "more characters)" in page and len(page) < 200_000
    assert "print(&#x27;&lt;/pre&gt;&lt;script&gt;alert(2)&lt;/script&gt;&#x27;)" in page


def test_diagrams_without_graphviz_say_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    svgs = matrix_html.primitive_diagrams(["Lock", "module"])
    assert svgs["Lock"][0] == "" and "dot is not on the PATH" in svgs["Lock"][1]
    assert svgs["module"] == ("", "No diagram: module has no state machine of its own.")


# -- the command -----------------------------------------------------------------------------


def test_no_targets_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["matrix", "--no-discover", "--output", str(tmp_path)]) == 2
    assert "no targets" in capsys.readouterr().err


def test_jobs_below_one_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["matrix", "--python", sys.executable, "--jobs", "0", "--output", str(tmp_path)]) == 2
    assert "--jobs must be at least 1" in capsys.readouterr().err


def test_a_check_that_does_not_finish_is_stopped(tmp_path: Path) -> None:
    hang = [sys.executable, "-c", "import threading; print('started', flush=True); threading.Event().wait()"]
    lines: list[str] = []
    rc, out = matrix._run_process(hang, 1.0, lines.append)
    assert rc is None and out == lines == ["started"]


def test_help_describes_the_page(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["matrix", "--help"])
    out = capsys.readouterr().out
    assert "--path-target PYTHON DIR" in out and "--jobs" in out and "matrix.html" in out

