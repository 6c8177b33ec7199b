"""Known deviations are data: ``check --expect FILE`` reports a listed deviation as EXPECTED, not a
failure (the exit status is that of a run without it), an unlisted one still fails, a listed one
that did not show is "expected but not seen", and ``matrix --expect`` shows expected cells apart.
Run against a seeded bug: Python 3.11's threading.py whose ``Semaphore.__enter__`` returns None."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conformance import expect
from conformance.report import EXIT_STATUS, Verdict
from tests.interpreters import interpreter
from tests.mutants.all import MUTANTS

SOURCE_VERSION = "3.11.7"
MUTANT = "semaphore-enter-returns-none"
CLAUSE = "Semaphore.with.acquires-and-releases"
ISSUE = "https://example.org/threading/issues/1"


@pytest.fixture(scope="module")
def mutant_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    py = interpreter(SOURCE_VERSION)
    source = (Path(py).resolve().parent.parent / "lib" / "python3.11" / "threading.py").read_text()
    _mid, _desc, old, new = {m[0]: m for m in MUTANTS}[MUTANT]
    d = tmp_path_factory.mktemp("mutant")
    (d / "threading.py").write_text(source.replace(old, new))
    return d


def _write(path: Path, entries: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"expected": entries}))
    return path


def _check(mutant_dir: Path, expect_file: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "conformance.cli", "check", "--python", interpreter(SOURCE_VERSION), "--path",
         str(mutant_dir), "--only", "Semaphore", "--budget", "10", "--expect", str(expect_file), *extra],
        capture_output=True, text=True, timeout=300,
    )


@pytest.fixture(scope="module")
def expected_run(mutant_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str]:
    d = tmp_path_factory.mktemp("expected")
    f = _write(d / "expect.json", [
        {"target": "cpython 3.11.*", "clause": "Semaphore.with.*", "reason": "seeded bug", "issue": ISSUE},
        {"target": "cpython 3.11.*", "clause": "Semaphore.release.*", "reason": "never shows"},
        {"target": "pypy*", "clause": "*", "reason": "another target's"},
    ])
    p = _check(mutant_dir, f, "--fail-fast", "--format", "json", "--output", str(d / "report.json"),
               "--reproducers", str(d / "repro"))
    report = json.loads((d / "report.json").read_text())
    assert p.returncode == EXIT_STATUS[Verdict(report["verdict"])], p.stderr
    return report, p.stderr


def test_a_listed_deviation_is_expected_not_a_failure(expected_run: tuple[dict[str, Any], str]) -> None:
    report, _ = expected_run
    assert report["failures"] == [] and report["verdict"] in ("conformant", "incomplete")
    assert {e["clause"] for e in report["expected"]} == {CLAUSE}
    assert all(e["reason"] == "seeded bug" and e["issue"] == ISSUE for e in report["expected"])
    assert report["clauses"][CLAUSE] == "failed as expected"
    # --fail-fast did not stop at the expected deviation: the other clauses were checked
    assert sum(st == "passed" for st in report["clauses"].values()) >= 10


def test_a_listed_deviation_that_did_not_show_is_expected_but_not_seen(
    expected_run: tuple[dict[str, Any], str]
) -> None:
    report, _ = expected_run
    # the pypy entry does not apply to this target: not reported at all
    unseen = {"clause": "Semaphore.release.*", "reason": "never shows", "issue": None}
    assert report["expected_not_seen"] == [unseen]


def test_the_reproducer_of_an_expected_deviation_works(expected_run: tuple[dict[str, Any], str]) -> None:
    report, _ = expected_run
    path = report["expected"][0]["reproducer"]
    p = subprocess.run([interpreter(SOURCE_VERSION), path], capture_output=True, text=True, timeout=120)
    assert (p.returncode, p.stdout.split()[-1]) == (1, "REPRODUCED")


def test_text_report_shows_expected_deviations_apart(mutant_dir: Path, tmp_path: Path) -> None:
    # the target by its interpreter's path
    entry = {"target": "*/python", "clause": CLAUSE, "reason": "seeded", "issue": ISSUE}
    f = _write(tmp_path / "e.json", [entry])
    p = _check(mutant_dir, f, "--fail-fast")
    assert p.returncode in (0, 3), p.stdout[-3000:]
    lines = p.stdout.splitlines()
    assert f"EXPECTED deviation of {CLAUSE} [unexpected-outcome] (not a failure): seeded" in lines
    assert f"  upstream:  {ISSUE}" in lines
    assert "VIOLATION" not in p.stdout and "EXPECTED deviation(s), not failures" in lines[-1]


def test_an_unlisted_deviation_still_fails(mutant_dir: Path, tmp_path: Path) -> None:
    f = _write(tmp_path / "e.json", [
        {"target": "cpython 3.11.*", "clause": "Semaphore.release.*", "reason": "another clause"},
        {"target": "cpython 3.12.*", "clause": CLAUSE, "reason": "another version"},
    ])
    p = _check(mutant_dir, f, "--fail-fast")
    assert p.returncode == 1 and f"VIOLATION of {CLAUSE}" in p.stdout, p.stdout[-3000:]


@pytest.mark.parametrize("text, message", [
    ("{", "not JSON"),
    ('[{"target": "*", "clause": "*", "reason": "r"}]', '{"expected": [...]} is due'),
    ('{"expected": [{"target": "*", "clause": "*"}]}', "entry 1: 'reason' must be a non-empty string"),
    ('{"expected": [{"target": "*", "clause": "*", "reason": "r", "link": "x"}]}', "unknown field(s) 'link'"),
    ('{"expected": [{"target": "*", "clause": 3, "reason": "r"}]}', "'clause' must be a non-empty string"),
    ('{"expected": ["Lock.*"]}', "entry 1: an object with"),
])
def test_a_bad_file_is_a_usage_error(text: str, message: str, tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text(text)
    with pytest.raises(expect.BadExpectFile, match=None) as e:
        expect.load(str(tmp_path / "bad.json"))
    assert message in str(e.value)
    matrix = ["matrix", "--no-discover", "--python", sys.executable, "--output", str(tmp_path)]
    bad = str(tmp_path / "bad.json")
    for cmd in (["check"], matrix):
        p = subprocess.run([sys.executable, "-m", "conformance.cli", *cmd, "--expect", bad],
                           capture_output=True, text=True, timeout=120)
        assert p.returncode == 2 and p.stdout == ""
        assert p.stderr.count("\n") == 1 and "bad --expect file" in p.stderr and message in p.stderr


def test_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    cmd = [sys.executable, "-m", "conformance.cli", "check", "--expect", str(tmp_path / "none.json")]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert p.returncode == 2 and "bad --expect file" in p.stderr and "cannot read it" in p.stderr


def test_matrix_shows_expected_cells_apart(mutant_dir: Path, tmp_path: Path) -> None:
    f = _write(tmp_path / "e.json", [{"target": "cpython 3.11.*", "clause": CLAUSE, "reason": "seeded",
                                      "issue": ISSUE + "?<x>"}])
    out = tmp_path / "out"
    p = subprocess.run(
        [sys.executable, "-m", "conformance.cli", "matrix", "--no-discover", "--path-target",
         interpreter(SOURCE_VERSION), str(mutant_dir), "--only", "Semaphore", "--budget", "10", "--jobs", "1",
         "--expect", str(f), "--output", str(out)],
        capture_output=True, text=True, timeout=300,
    )
    assert p.returncode == 0, p.stderr[-3000:]
    (row,) = json.loads((out / "matrix.json").read_text())["targets"]
    cell = row["cells"]["Semaphore"]
    assert cell["status"] == "expected" and cell["expected_clauses"] == [CLAUSE] and cell["failures"] == []
    assert "1 expected" in p.stdout
    page = (out / "matrix.html").read_text()
    assert 'class="cell expected"' in page and f"expected deviation of <code>{CLAUSE}</code>" in page
    assert f'<a href="{ISSUE}?&lt;x&gt;">' in page  # the link, escaped


def test_a_library_target_is_matched_by_its_adapter_name() -> None:
    """``--target gevent`` checks module ``threading`` after gevent's patching: its report names the
    adapter, so that an entry for ``gevent`` applies to it and not to stock ``threading``."""
    from conformance.adapters import ADAPTERS
    from conformance.report import Report, Target
    from spec.profiles import PY311

    def names(target: Target) -> list[str]:
        return expect.target_names(Report(target, PY311, "3.11.7", "cpython", "threading.py"))

    for a in ADAPTERS.values():
        assert names(Target(sys.executable, a.module, (), a.prelude, a.workers))[-1] == a.name
    assert names(Target(sys.executable)) == ["cpython 3.11.7", sys.executable, "threading"]
    entry = expect.Expectation("gevent", "Lock.*", "r")
    gevent = ADAPTERS["gevent"]
    patched = Report(Target(sys.executable, "threading", (), gevent.prelude, gevent.workers), PY311, "3.11.7",
                     "cpython", "threading.py")
    assert expect.covers([entry], patched, "Lock.release.locked-unlocks")
    assert not expect.covers([entry], Report(Target(sys.executable), PY311, "3.11.7", "cpython", "t.py"),
                             "Lock.release.locked-unlocks")
