"""``threadspec matrix``: finding targets, folding reports into cells, and a real matrix run.

The real run (``real_matrix``, module scope) checks Lock and Semaphore, 5 s each, on four targets:
this interpreter; CPython 3.11.7 with a seeded Semaphore bug (a copy of its threading.py with one
change, as ``tests/test_mutants.py`` makes them); 3.11.7 with a threading.py that lacks Semaphore;
and an interpreter path that does not exist, named with markup. ``tests/test_matrix_browser.py``
opens the page it writes in headless chromium.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import spec
from conformance import diagrams, matrix, matrix_html
from conformance.cli import main
from spec.clauses import REGISTRY
from tests.interpreters import interpreter
from tests.mutants.all import MUTANTS

SOURCE_VERSION = "3.11.7"
MUTANT = "semaphore-acquire-forgets-decrement"
EXPECTED_MUTANT = "semaphore-enter-returns-none"
"""A seeded bug whose one deviation the matrix is told to expect (``--expect``): a purple cell."""
EXPECTED_CLAUSE = "Semaphore.with.acquires-and-releases"
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
    _e, _d, old_enter, new_enter = {m[0]: m for m in MUTANTS}[EXPECTED_MUTANT]
    known = seeded_module_dir(base, "known", py, (old_enter, new_enter))
    expect_dir = base / "expect"  # one file per target, as docs/expect/ holds them
    expect_dir.mkdir()
    (expect_dir / "known.json").write_text(json.dumps({"expected": [
        {"target": sys.executable, "clause": EXPECTED_CLAUSE, "reason": "a known deviation",
         "issue": "https://example.org/issues/1"}]}))
    (expect_dir / "other.json").write_text(json.dumps({"expected": [
        {"target": "pypy *", "clause": "Lock.*", "reason": "another target's"}]}))
    out = base / "out"
    done = subprocess.run(
        [sys.executable, "-m", "conformance.cli", "matrix", "--no-discover", "--python", sys.executable,
         "--path-target", py, str(mutant), "--path-target", py, str(nosem), "--python", HOSTILE_PYTHON,
         "--path-target", sys.executable, str(known), "--expect", str(expect_dir),
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
        "--python", "--python", "--path-target", "--path-target", "--path-target"]


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


def test_an_expected_deviation_is_a_cell_apart(real_matrix: MatrixRun) -> None:
    """The directory given with --expect: each file's entries reach every check, and apply to the
    targets their globs name; the seeded deviation listed is expected, not failed."""
    row = real_matrix.row("--path-target", "known")
    assert row["ran"] and row["verdict"] in ("conformant", "incomplete") and row["exit_status"] in (0, 3)
    cell = row["cells"]["Semaphore"]
    assert cell["status"] == "expected" and cell["failures"] == [] and cell["failed"] == 0
    assert cell["expected_clauses"] == [EXPECTED_CLAUSE]
    assert {(e["reason"], e["issue"]) for e in cell["expected"]} == {
        ("a known deviation", "https://example.org/issues/1")}
    options = real_matrix.data["options"]
    assert [Path(f).name for f in options["expect_sources"]] == ["known.json", "other.json"]
    merged = json.loads(Path(options["expect"]).read_text())["expected"]
    assert [e["reason"] for e in merged] == ["a known deviation", "another target's"]
    # the host is the same interpreter: the entry applies to it too, but it does not deviate
    host = real_matrix.data["targets"][0]
    assert host["python"] == sys.executable and host["cells"]["Semaphore"]["expected"] == []
    assert re.search(r"known\s+(conformant|incomplete)\s+(ok|incompl\.)\s+1 expected", real_matrix.stdout)


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
    assert "5/5 targets done" in real_matrix.stderr
    assert re.search(r"mutant\s+violations\s+(ok|incompl\.)\s+\d+ failed", real_matrix.stdout)
    wall = re.search(r"5 targets x 2 primitives in ([\d.]+) s wall time", real_matrix.stdout)
    assert wall and float(wall.group(1)) == pytest.approx(real_matrix.data["wall_seconds"], abs=0.06)
    # two checks at a time (--jobs 2): a second one started before the first was done
    before_first_done = real_matrix.stderr.split("1/5 targets done")[0]
    assert before_first_done.count(": started (") == 2


def test_page_is_self_contained_and_escapes_target_text(real_matrix: MatrixRun) -> None:
    page = (real_matrix.out / "matrix.html").read_text()
    assert "<script" not in page.lower()
    assert "/nonexistent/&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert not re.search(r'src="(https?:)?//', page)
    # the one link out is the upstream issue of the expected deviation (a link, nothing loaded)
    assert set(re.findall(r'href="((?:https?:)?//[^"]*)"', page)) == {"https://example.org/issues/1"}
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


def test_discover_finds_pyenv_versions_pypy_jython_and_free_threaded_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(matrix, "ADAPTERS", {})  # the adapters' targets: test_adapters
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


def test_discover_without_pyenv_or_path_finds_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(matrix, "ADAPTERS", {})
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
        "not_exercised_by_the_target": ["Semaphore.release.y"],
    }
    cells = matrix.cells_of(report, ["Lock", "Semaphore", "Event", "Condition", "Barrier", "Timer"])
    assert {p: c["status"] for p, c in cells.items()} == {
        "Lock": "incomplete", "Semaphore": "incomplete", "Event": "not applicable", "Condition": "failed",
        "Barrier": "could not check", "Timer": "not checked"}
    assert cells["Condition"]["failed"] == 1 and cells["Condition"]["failed_clauses"] == ["Condition.wait.a"]
    assert cells["Lock"]["passed"] == 2 and cells["Semaphore"]["not_exercised"] == 1
    assert cells["Semaphore"]["not_exercised_by_the_target"] == 1
    assert cells["Lock"]["not_exercised_by_the_target"] == 0
    report["could_not_observe"] = []
    assert matrix.cells_of(report, ["Lock"])["Lock"]["status"] == "passed"
    # a violation of a clause the report lists as not applicable is still a failed clause
    report["failures"] = [{"clause": "Event.wait.z", "schedule": "Event() ; t0.wait(nan)"}]
    event = matrix.cells_of(report, ["Event"])["Event"]
    assert event["status"] == "failed" and event["failed"] == 1
    assert event["failed_clauses"] == ["Event.wait.z"]


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


@pytest.mark.parametrize("args,message", [
    (["--jobs", "0"], "--jobs must be at least 1"),
    (["--budget", "0.5"], "--budget must be at least 1 seconds"),
    (["--budget", "nan"], "--budget must be at least 1 seconds"),
    (["--budget", "inf"], "--budget must be at least 1 seconds"),
    (["--only", "Lock,Mutex"], "unknown primitive: Mutex"),
])
def test_bad_options_are_clear_errors_before_any_check(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path)
    assert main(["matrix", "--no-discover", "--python", sys.executable, *args, "--output", out]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "reports").exists()


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



# -- in a browser ----------------------------------------------------------------------------

CHROMIUM_MISSING = "chromium is not installed (apt-get install -y chromium)"
DOT_MISSING = "Graphviz's dot is not installed (apt-get install -y graphviz)"
COLOURS = {"failed": (198, 40, 40), "passed": (46, 125, 50), "incomplete": (249, 168, 37),
           "could not check": (97, 97, 97), "expected": (106, 27, 154)}
"""The colour of each status in ``matrix_html.CSS`` (could not check, expected: one of its two stripes)."""


@dataclass
class Element:
    tag: str
    classes: list[str]
    attrs: dict[str, str]
    text: str = ""


class _Dom(HTMLParser):
    """What the tests look at in the DOM chromium built: the matrix's rows of cells, the text of
    each section by id, whether each diagram figure holds an ``<svg>`` and how many nodes."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[Element]] = []
        self.sections: dict[str, list[str]] = {}
        self.figures: dict[str, list[int]] = {}
        self.tags: set[str] = set()
        self._cell: Element | None = None
        self._section: str | None = None
        self._figure: str | None = None
        self._in_table = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        classes = a.get("class", "").split()
        self.tags.add(tag)
        if tag == "table" and "matrix" in classes:
            self._in_table = True
        elif self._in_table and tag == "tr":
            self.rows.append([])
        elif self._in_table and tag in ("th", "td"):
            self._cell = Element(tag, classes, a)
            self.rows[-1].append(self._cell)
        elif self._cell is not None and tag == "a":
            self._cell.attrs["href"] = a.get("href", "")
        elif tag == "section":
            self._section = a.get("id", "")
            self.sections[self._section] = []
        elif tag == "figure":
            self._figure = a.get("id", "")
            self.figures[self._figure] = [0, 0]
        elif self._figure and tag == "svg":
            self.figures[self._figure][0] += 1
        elif self._figure and tag == "g" and "node" in classes:
            self.figures[self._figure][1] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._in_table = False
        elif tag in ("th", "td"):
            if self._cell is not None:
                self._cell.text = " ".join(self._cell.text.split())
            self._cell = None
        elif tag == "section":
            self._section = None
        elif tag == "figure":
            self._figure = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.text += data
        if self._section is not None:
            self.sections[self._section].append(data)

    def section_text(self, ident: str) -> str:
        return " ".join("".join(self.sections[ident]).split())


def _chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.skip(CHROMIUM_MISSING)
    if not diagrams.dot_available():
        pytest.skip(DOT_MISSING)
    return exe


def _run_chromium(exe: str, *args: str) -> str:
    done = subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *args],
                          capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture(scope="module")
def dom(real_matrix: MatrixRun) -> _Dom:
    exe = _chromium()
    parsed = _Dom()
    parsed.feed(_run_chromium(exe, "--dump-dom", (real_matrix.out / "matrix.html").as_uri()))
    return parsed


def _words(s: str) -> str:
    return " ".join(s.split())


def test_rendered_cells_show_each_status_and_count(real_matrix: MatrixRun, dom: _Dom) -> None:
    header, *rows = dom.rows
    assert [c.text for c in header] == ["target", "verdict", "Lock", "Semaphore"]
    assert len(rows) == len(real_matrix.data["targets"])
    for row, t in zip(rows, real_matrix.data["targets"], strict=True):
        assert _words(t["name"]) in row[0].text
        if not t["ran"]:
            assert row[2].classes == ["cell", "norun"] and row[2].attrs["colspan"] == "2"
            assert row[2].text.startswith("could not run: exit status 2: cannot check")
            continue
        for el, p in zip(row[2:], real_matrix.data["primitives"], strict=True):
            cell = t["cells"][p]
            assert el.classes == ["cell", cell["status"].replace(" ", "-")]
            if cell["status"] == "failed":
                assert el.text.startswith(f"{cell['failed']} failed clause")
                n = len(cell["failures"])
                assert f"{n} violation{'s' if n != 1 else ''}, {cell['passed']} passed" in el.text
            elif cell["status"] == "could not check":
                assert el.text == f"? could not check {cell['reason']}"
            elif cell["status"] == "expected":
                n = len(cell["expected_clauses"])
                assert el.text == f"{n} expected deviation{'s' if n != 1 else ''} known, not failures; " \
                    f"{cell['passed']} passed"
            else:
                assert el.text.startswith("0 failed") and f"{cell['passed']} passed" in el.text


def test_red_cell_opens_onto_its_violations_with_quoted_sentences(real_matrix: MatrixRun, dom: _Dom) -> None:
    rows = dom.rows[1:]
    i = next(k for k, t in enumerate(real_matrix.data["targets"]) if "mutant" in t["name"])
    red = rows[i][3]
    assert "failed" in red.classes
    section = red.attrs["href"].removeprefix("#")
    assert section in dom.sections
    shown = dom.section_text(section)
    cell = real_matrix.data["targets"][i]["cells"]["Semaphore"]
    for clause in cell["failed_clauses"]:
        assert f"violation of {clause}" in shown
        assert _words(REGISTRY[clause].quote) in shown
    first = cell["failures"][0]
    assert _words(first["schedule"]) in shown and _words(first["observed"]) in shown
    assert "REPRODUCED" in shown  # the reproducer's text is inline
    assert "script" not in dom.tags  # the hostile target's name stayed text


def test_purple_cell_opens_onto_its_expected_deviation(real_matrix: MatrixRun, dom: _Dom) -> None:
    rows = dom.rows[1:]
    i = next(k for k, t in enumerate(real_matrix.data["targets"]) if "known" in t["name"])
    purple = rows[i][3]
    assert purple.classes == ["cell", "expected"] and purple.text.startswith("1 expected deviation")
    shown = dom.section_text(purple.attrs["href"].removeprefix("#"))
    assert f"expected deviation of {EXPECTED_CLAUSE}: a known deviation https://example.org/issues/1" in shown
    assert _words(REGISTRY[EXPECTED_CLAUSE].quote) in shown and "REPRODUCED" in shown
    assert "violation of" not in shown  # nothing failed in it


def test_rendered_diagrams_are_inline_svg_of_the_spec(real_matrix: MatrixRun, dom: _Dom) -> None:
    bounds = diagrams.diagram_bounds()
    for j, p in enumerate(real_matrix.data["primitives"]):
        svgs, nodes = dom.figures[f"diagram-{j}"]
        graph = diagrams.diagram_graph(spec.PRIMITIVES[p], matrix_html.DIAGRAM_PROFILE, bounds[p])
        assert svgs == 1 and nodes == len(graph.states) > 1


def _png_rows(path: Path, max_rows: int) -> list[list[tuple[int, int, int]]]:
    """The first ``max_rows`` rows of an 8-bit RGB(A) PNG, as RGB pixels."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    width = depth = kind = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        name, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if name == b"IHDR":
            width, _h, depth, kind = struct.unpack(">IIBB", body[:10])
        elif name == b"IDAT":
            idat += body
        pos += 12 + length
    assert depth == 8 and kind in (2, 6)
    bpp = 3 if kind == 2 else 4
    raw, stride, prev, rows = zlib.decompress(idat), width * bpp, bytearray(width * bpp), []
    for y in range(max_rows):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 4:  # Paeth: whichever of a, b, c is nearest a + b - c
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                a = a if pa <= pb and pa <= pc else b if pb <= pc else c
            predicted = (0, a, b, (a + b) // 2, a)[f]
            line[i] = (line[i] + predicted) & 255
        rows.append([(line[x], line[x + 1], line[x + 2]) for x in range(0, stride, bpp)])
        prev = line
    return rows


def _runs(row: list[tuple[int, int, int]]) -> list[tuple[tuple[int, int, int], int]]:
    runs: list[tuple[tuple[int, int, int], int]] = []
    for px in row:
        if runs and runs[-1][0] == px:
            runs[-1] = (px, runs[-1][1] + 1)
        else:
            runs.append((px, 1))
    return runs


def _side_by_side(rows: list[list[tuple[int, int, int]]], left: tuple[int, int, int],
                  right: tuple[int, int, int], width: int = 150) -> bool:
    """Whether some row has a run of ``left`` at least ``width`` wide, then (past a thin border) a
    run of ``right``: two adjacent cells of these colours."""
    for row in rows:
        runs = _runs(row)
        for k, (px, n) in enumerate(runs):
            if px == left and n >= width and any(q == right for q, _m in runs[k + 1 : k + 6]):
                return True
    return False


def test_screenshot_shows_green_red_grey_and_purple_cells(real_matrix: MatrixRun, tmp_path: Path) -> None:
    exe = _chromium()
    shot = tmp_path / "matrix.png"
    page = (real_matrix.out / "matrix.html").as_uri()
    _run_chromium(exe, f"--screenshot={shot}", "--window-size=1280,1600", page)
    rows = _png_rows(shot, 900)  # the table is at the top
    assert len(rows[0]) == 1280
    statuses = [(t["cells"]["Lock"]["status"], t["cells"]["Semaphore"]["status"])
                for t in real_matrix.data["targets"] if t["ran"]]
    assert {"could not check", "failed", "expected"} <= {s for _lock, s in statuses}
    for lock, semaphore in statuses:
        assert _side_by_side(rows, COLOURS[lock], COLOURS[semaphore]), (lock, semaphore)
    keep = os.environ.get("THREADSPEC_MATRIX_SCREENSHOT")
    if keep:
        shutil.copyfile(shot, keep)


def test_expect_takes_files_and_directories(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "d").mkdir()
    for n in ("b.json", "a.json", "notes.md"):
        (tmp_path / "d" / n).write_text("{}")
    assert matrix.expect_files([str(tmp_path / "d"), "x.json"]) == [
        str(tmp_path / "d" / "a.json"), str(tmp_path / "d" / "b.json"), "x.json"]
    (tmp_path / "empty").mkdir()
    out = str(tmp_path / "out")
    assert main(["matrix", "--no-discover", "--python", sys.executable, "--expect", str(tmp_path / "empty"),
                 "--output", out]) == 2
    assert "holds no .json file" in capsys.readouterr().err
    # a bad file among a directory's is named
    assert main(["matrix", "--no-discover", "--python", sys.executable, "--expect", str(tmp_path / "d"),
                 "--output", out]) == 2
    err = capsys.readouterr().err
    assert f"bad --expect file {tmp_path / 'd' / 'a.json'}" in err and '{"expected": [...]} is due' in err
