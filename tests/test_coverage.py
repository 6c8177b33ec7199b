"""Traceability: every sentence of the reference documents is annotated, and every normative one
is covered by a clause (or its gap is recorded); every clause quotes a document or says where its
words come from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import spec
from conformance import coverage
from conformance.cli import main
from conformance.coverage import (
    DOCUMENTS,
    LATER_CHANGES,
    Annotation,
    Trace,
    check_annotations,
    load_document,
    load_later_changes,
    quote_segments,
    unsourced_quotes,
)
from conformance.sentences import normalize, split, strip_markup
from spec.clauses import REGISTRY, Clause

assert spec.PRIMITIVES

# The normative sentences no clause covers yet, each with its reason in the annotation (``gap``).
# Closing one lowers its count; a new gap must be recorded here on purpose.
KNOWN_GAPS = {
    "docs/threading-3.11.rst": 0,
    "docs/threading-2.7.rst": 0,
    LATER_CHANGES: 0,
}


def _traces() -> list[Trace]:
    return [load_document(d) for d in DOCUMENTS] + [load_later_changes()]


# -- the splitter --------------------------------------------------------------------------------


def test_markup_is_stripped() -> None:
    assert strip_markup(":meth:`~Thread.run` and ``None`` for *n*") == "run and None for n"
    assert strip_markup(":func:`threading.excepthook`") == "threading.excepthook"
    assert strip_markup(":ref:`Lock objects <lock-objects>`") == "Lock objects"


def test_sentences_split_after_a_full_stop_but_not_after_an_abbreviation() -> None:
    text = ".. function:: f(x)\n\n   One, e.g. two.  Three is :func:`g`.\n\n   .. versionadded:: 3.2\n"
    units = split(text)
    assert [(u.kind, u.text) for u in units] == [
        ("signature", "f(x)"),
        ("sentence", "One, e.g. two."),
        ("sentence", "Three is g."),
        ("note", "[versionadded 3.2]"),
    ]
    assert {u.object for u in units} == {"f"}


def test_methods_are_named_after_their_class_and_code_is_dropped() -> None:
    text = (
        "Lock Objects\n------------\n\nIntro.  Example::\n\n   lock.acquire()\n\n"
        ".. class:: Lock()\n\n   .. method:: acquire(blocking=True)\n\n      Acquire it.\n"
    )
    units = split(text)
    assert [(u.section, u.object, u.text) for u in units] == [
        ("Lock Objects", "", "Intro."),
        ("Lock Objects", "", "Example:"),
        ("Lock Objects", "Lock", "Lock()"),
        ("Lock Objects", "Lock.acquire", "acquire(blocking=True)"),
        ("Lock Objects", "Lock.acquire", "Acquire it."),
    ]


# -- the annotations -----------------------------------------------------------------------------


@pytest.mark.parametrize("trace", _traces(), ids=lambda t: t.name)
def test_annotations_match_their_document(trace: Trace) -> None:
    """Every sentence of the document is annotated, no annotation is stale, every clause exists
    and applies to the document's version, every informative sentence gives its reason."""
    assert trace.problems == []


@pytest.mark.parametrize("trace", _traces(), ids=lambda t: t.name)
def test_every_normative_sentence_has_a_clause_or_a_recorded_gap(trace: Trace) -> None:
    uncovered = [a for a in trace.annotations if a.status == coverage.NORMATIVE and not a.clauses]
    assert all(a.gap for a in uncovered)
    assert len(uncovered) == KNOWN_GAPS[trace.name], [a.text for a in uncovered]


def _annotation(**kw: object) -> Annotation:
    base: dict[str, object] = dict(key="k", section="s", object="o", kind="sentence", text="t")
    base.update(kw)
    return Annotation(**base)  # type: ignore[arg-type]


def test_a_normative_sentence_without_clause_or_gap_is_a_problem() -> None:
    trace = Trace("doc", "3.11", [_annotation(status=coverage.NORMATIVE)])
    assert any("no clause and no gap" in p for p in check_annotations(trace))


def test_a_clause_that_does_not_apply_to_the_version_is_a_problem() -> None:
    barrier = ("Barrier.abort.breaks",)
    trace = Trace("doc", "2.7", [_annotation(status=coverage.NORMATIVE, clauses=barrier)])
    assert any("does not apply to 2.7" in p for p in check_annotations(trace))
    trace = Trace("doc", "3.11", [_annotation(status=coverage.NORMATIVE, clauses=("Lock.nope.x",))])
    assert any("unknown clause" in p for p in check_annotations(trace))


def test_a_changed_document_makes_its_annotation_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = "docs/threading-3.11.rst"
    original = (coverage.ROOT / doc).read_text()
    text = original.replace("This is a nonzero\n   integer.", "This is an integer.", 1)
    assert text != original
    (tmp_path / "docs" / "trace").mkdir(parents=True)
    (tmp_path / doc).write_text(text)
    (tmp_path / "docs/trace/threading-3.11.json").write_text(coverage.trace_path(doc).read_text())
    monkeypatch.setattr(coverage, "ROOT", tmp_path)
    monkeypatch.setattr(coverage, "TRACE_DIR", tmp_path / "docs" / "trace")
    problems = load_document(doc).problems
    assert any("is not annotated" in p and "an integer" in p for p in problems)
    assert any("stale" in p for p in problems)


# -- the quotes ----------------------------------------------------------------------------------


def test_every_clause_quotes_a_document_or_says_where_it_comes_from() -> None:
    assert unsourced_quotes(REGISTRY.values()) == []


def test_an_invented_quote_is_reported_and_a_tagged_one_is_not() -> None:
    invented = Clause("Lock.x.y", "threading.Lock", "A lock is created unlocked and painted blue.")
    tagged = Clause("Lock.x.z", "threading.Lock", "[CPython: a lock is painted blue]")
    stitched = Clause(
        "Lock.x.w", "threading.Lock", "It is created in the unlocked state. [...] Release a lock."
    )
    assert [p.split(":")[0] for p in unsourced_quotes([invented, tagged, stitched])] == ["Lock.x.y"]


def test_quote_segments_leave_out_the_spec_s_comments() -> None:
    segments = quote_segments("Release a lock. [CPython: also [nested]] When invoked... it raises.")
    assert [normalize(s) for s in segments] == ["release a lock", "when invoked", "it raises"]


# -- the command ---------------------------------------------------------------------------------


def test_coverage_command_prints_sections_and_fails_while_a_sentence_is_uncovered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rc = main(["coverage", "--doc", "docs/threading-2.7.rst"])
    out = capsys.readouterr().out
    assert "Lock Objects" in out
    total = [line for line in out.splitlines() if line.strip().startswith("total")]
    assert len(total) == 1
    normative, covered = (int(x) for x in total[0].split()[2:4])
    assert rc == (1 if covered < normative else 0)
    assert normative - covered == KNOWN_GAPS["docs/threading-2.7.rst"]
    # the same document with one of its Lock sentences' clauses taken away
    data = json.loads(coverage.trace_path("docs/threading-2.7.rst").read_text())
    unit = next(u for u in data["units"] if u["section"] == "Lock Objects" and u.get("clauses"))
    unit["clauses"], unit["gap"] = [], "taken away by the test"
    unit.pop("loose", None)
    (tmp_path / "threading-2.7.json").write_text(json.dumps(data))
    monkeypatch.setattr(coverage, "TRACE_DIR", tmp_path)
    assert main(["coverage", "--doc", "docs/threading-2.7.rst"]) == 1
    out = capsys.readouterr().out
    assert "uncovered" in out and "gap: taken away by the test" in out
    total = [line for line in out.splitlines() if line.strip().startswith("total")]
    assert int(total[0].split()[3]) == covered - 1


def test_coverage_command_passes_on_a_fully_covered_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads((coverage.ROOT / LATER_CHANGES).read_text())
    data["units"] = [u for u in data["units"] if u["status"] == "informative" or u["clauses"]]
    later = tmp_path / "later.json"
    later.write_text(json.dumps(data))
    monkeypatch.setattr(coverage, "LATER_CHANGES", str(later))
    monkeypatch.setattr(coverage, "ROOT", Path("/"))
    assert main(["coverage", "--doc", str(later)]) == 0
    assert "(100.0% covered)" in capsys.readouterr().out


def test_loosely_covered_sentences_are_listed_with_what_is_unchecked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["coverage", "--doc", "docs/threading-3.11.rst", "--quiet", "--loose"])
    out = capsys.readouterr().out
    assert "loosely covered" in out and "unchecked: the spec accepts any int" in out
    assert "uncovered" not in out  # --quiet


def test_a_loose_note_on_an_uncovered_sentence_is_a_problem() -> None:
    trace = Trace("doc", "3.11", [_annotation(status=coverage.NORMATIVE, gap="g", loose="l")])
    assert any("covered loosely" in p for p in check_annotations(trace))
