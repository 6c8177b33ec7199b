"""What the target says is data: a module whose exception class names, warning categories and
return values hold newlines, markup, ``]]>``, control characters, undecodable bytes and very long
texts leaves every output of ``threadspec check`` well formed and inert: the text report's lines
are single lines, the JUnit XML parses, the JSON parses (and holds no lone surrogate), and each
reproducer compiles, with a header that is comments only."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
import tokenize
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conformance import report as reporting
from conformance.report import Report, Target
from conformance.reproducer import TITLE
from conformance.runner import CheckOptions, check

PAYLOAD = "print('PWNED')"
"""What a line of the target's text would run, were it ever written as code."""

HOSTILE = (
    "Evil\n" + PAYLOAD + "\r\n<script>alert(1)</script>]]>&amp;\x1b[31m\x0b\x0c\x1c\x85\u2028\u2029\t"
    + "L" * 5000
)
"""A class name: every character a line, a comment or a markup language could trip on."""

MODULE = textwrap.dedent(
    f"""
    import threading as _threading
    import warnings as _warnings
    from threading import *  # noqa: F403 - everything but Lock is the host's

    _Evil = type({HOSTILE!r}, (Exception,), {{}})
    _EvilWarning = type({HOSTILE!r} + "W", (UserWarning,), {{}})


    class Lock(object):
        # releasing an unlocked lock raises _Evil (a violation: RuntimeError is due), acquire
        # warns with _EvilWarning (one: no warning is due), locked() returns a string holding an
        # undecodable byte (one: a bool is due)
        def __init__(self):
            self._lock = _threading.Lock()

        def acquire(self, blocking=True, timeout=-1):
            _warnings.warn("hostile", _EvilWarning)
            return self._lock.acquire(blocking, timeout)

        def release(self):
            if not self._lock.locked():
                raise _Evil()
            self._lock.release()

        def locked(self):
            return b"\\xff<script>]]>\\n".decode("utf-8", "surrogateescape") + {HOSTILE!r}

        __enter__ = acquire

        def __exit__(self, *exc):
            self.release()
    """
)


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # the directory's name is not UTF-8 either: it reaches the report as the module's file
    root = tmp_path_factory.mktemp("hostile")
    d = Path(os.fsdecode(os.fsencode(str(root)) + b"/dir-\xff-<x>]]>"))
    d.mkdir()
    (d / "hostile.py").write_text(MODULE, encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def hostile_report(hostile_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Report:
    target = Target(sys.executable, "hostile", (str(hostile_dir),))
    rep = check(target, CheckOptions(only=("Lock",), budget=10.0))
    reporting.write_reproducers([rep], str(tmp_path_factory.mktemp("repro")))
    return rep


def test_the_hostile_module_is_found_to_violate_what_it_breaks(hostile_report: Report) -> None:
    # the outputs below are tested on real violations carrying the target's texts
    observed = " ".join(f.observed for f in hostile_report.failures)
    assert "Evil" in observed and "<script>" in observed
    assert "Lock.release.unlocked-raises-runtimeerror" in {f.clause for f in hostile_report.failures}


def test_text_report_lines_are_single_printable_lines(hostile_report: Report) -> None:
    text = reporting.to_text([hostile_report], verbose=True)
    assert text.splitlines() == text.split("\n")
    for line in text.split("\n"):
        assert line.isprintable(), repr(line[:200])
        assert not line.lstrip().startswith(PAYLOAD)
        assert len(line) < 2 * reporting.TEXT_LIMIT + 200
    text.encode("utf-8")  # no lone surrogate: the report can be printed and written anywhere
    assert "Evil\\n" + PAYLOAD in text  # the text is there, escaped


def test_json_report_parses_and_holds_only_valid_unicode(hostile_report: Report) -> None:
    out = reporting.to_json([hostile_report])
    rep = json.loads(out)
    json.dumps(rep, ensure_ascii=False).encode("utf-8")  # strict: a lone surrogate would raise
    assert rep["verdict"] == "violations" and rep["failures"]
    assert any("Evil\n" + PAYLOAD in f["observed"] for f in rep["failures"])  # data, kept as data


def test_junit_report_parses_and_carries_no_markup_of_the_target(hostile_report: Report) -> None:
    out = reporting.to_junit([hostile_report])
    root = ET.fromstring(out)  # expat: fails on characters XML cannot hold
    assert "<script>" not in out and "]]>" not in out
    messages = [n.text or "" for n in root.iter("failure")]
    assert any("<script>alert(1)</script>]]>" in m for m in messages)


def _code_tokens(text: str) -> list[str]:
    """The reproducer's tokens that are not comments."""
    toks = tokenize.generate_tokens(io.StringIO(text).readline)
    return [t.string for t in toks if t.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE)]


def test_reproducers_compile_and_their_headers_are_comments(hostile_report: Report) -> None:
    assert hostile_report.failures
    for f in hostile_report.failures:
        assert f.reproducer_path is not None
        text = Path(f.reproducer_path).read_text(encoding="utf-8")
        compile(text, f.reproducer_path, "exec")
        header = text.split("\n\n", 1)[0].split("\n")
        assert header[0] == f"# {TITLE}"
        assert all(line.startswith("# ") and line.isascii() and line.isprintable() for line in header)
        assert not any(PAYLOAD in t or "PWNED" in t for t in _code_tokens(text))


def test_a_reproducer_runs_without_running_the_targets_text(hostile_report: Report) -> None:
    (f,) = [f for f in hostile_report.failures if f.clause == "Lock.release.unlocked-raises-runtimeerror"][:1]
    assert f.reproducer_path is not None
    env = dict(os.environ, THREADSPEC_SETTLE="0.05")
    p = subprocess.run([sys.executable, f.reproducer_path], capture_output=True, timeout=120, env=env)
    assert p.returncode == 1 and p.stdout.endswith(b"\nREPRODUCED\n"), p.stderr[-2000:]
    assert b"PWNED" not in p.stdout.replace(b"print('PWNED')", b"")


def test_check_prints_the_hostile_report_to_a_pipe(hostile_dir: Path, tmp_path: Path) -> None:
    p = subprocess.run(
        [sys.executable, "-m", "conformance.cli", "check", "--path", str(hostile_dir), "--module",
         "hostile", "--only", "Lock", "--fail-fast", "--budget", "10", "--reproducers", str(tmp_path)],
        capture_output=True, timeout=300, env=dict(os.environ, PYTHONIOENCODING="ascii"),
    )
    assert p.returncode == 1, p.stderr[-2000:]
    out = p.stdout.decode("ascii").rstrip("\n")  # printable on a stdout that takes ASCII only
    assert out.splitlines() == out.split("\n") and "VIOLATION of" in out
    assert not any(line.startswith(PAYLOAD) for line in out.split("\n"))


def test_a_hostile_import_error_is_one_printable_line(tmp_path: Path) -> None:
    (tmp_path / "badimport.py").write_text(f"raise ImportError({HOSTILE!r})\n")
    p = subprocess.run(
        [sys.executable, "-m", "conformance.cli", "check", "--path", str(tmp_path), "--module", "badimport",
         "--budget", "5"],
        capture_output=True, text=True, timeout=300,
    )
    assert p.returncode == 2
    assert p.stderr.count("\n") == 1 and p.stderr.rstrip("\n").isprintable() and "cannot check" in p.stderr
