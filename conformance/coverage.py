"""``threadspec coverage``: how much of the documentation the spec's clauses cover.

Every sentence of the two reference documents (``docs/threading-3.11.rst`` and
``docs/threading-2.7.rst``; ``conformance.sentences`` says how they are cut) is annotated in
``docs/trace/<document>.json`` as *normative*, with the ids of the clauses that implement it, or
*informative*, with a one-line reason. A normative sentence that no clause covers yet carries a
``gap``: why it is not covered. A covered sentence whose clauses check less than it says
carries a ``loose`` note (``ident`` "is a nonzero integer", but the spec accepts any int).
``docs/trace/threading-3.12-3.14.json`` annotates the changes of the
later versions in the same way, sentence by sentence, each with the version and its source.

The command prints, per section, the number of sentences, of normative ones and of covered ones,
and lists what is uncovered; its exit status is 1 while a normative sentence is uncovered, 2 when
an annotation file is out of date with its document or names an unknown clause.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from conformance.sentences import Unit, normalize, split
from spec.clauses import Clause

ROOT = Path(__file__).resolve().parent.parent
TRACE_DIR = ROOT / "docs" / "trace"
DOCUMENTS = ("docs/threading-3.11.rst", "docs/threading-2.7.rst")
LATER_CHANGES = "docs/trace/threading-3.12-3.14.json"

NORMATIVE = "normative"
INFORMATIVE = "informative"

# A clause quote that is not the documentation's text must say where it comes from, in a
# leading bracket: CPython's behaviour, the Python language, the harness, another document.
SOURCE_TAG = re.compile(
    r"^\[(CPython|Python|Harness|harness|environment|checker|What's New|2\.7 thread docs|Added in|"
    r"Changed in|\d\.\d+(\+|:| |-)|The documentation)"
)


# ---------------------------------------------------------------------------
# Annotations
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Annotation:
    """The reading of one unit of a document."""

    key: str
    section: str
    object: str
    kind: str
    text: str
    status: str  # NORMATIVE or INFORMATIVE
    clauses: tuple[str, ...] = ()
    reason: str = ""  # why informative
    gap: str = ""  # why a normative sentence has no clause yet
    loose: str = ""  # what the covering clauses leave unchecked
    version: str = ""  # for the later versions' changes: the version that made the change
    source: str = ""  # for the later versions' changes: where the sentence comes from

    @property
    def covered(self) -> bool:
        return self.status == NORMATIVE and bool(self.clauses)


@dataclass
class Trace:
    """One annotated document: its annotations and what is wrong with them."""

    name: str
    version: str
    annotations: list[Annotation]
    problems: list[str] = field(default_factory=list)


def trace_path(document: str) -> Path:
    return TRACE_DIR / (Path(document).stem + ".json")


def _annotation(raw: dict[str, object]) -> Annotation:
    clauses = raw.get("clauses") or []
    assert isinstance(clauses, list)
    return Annotation(
        key=str(raw["key"]),
        section=str(raw.get("section", "")),
        object=str(raw.get("object", "")),
        kind=str(raw.get("kind", "sentence")),
        text=str(raw["text"]),
        status=str(raw["status"]),
        clauses=tuple(str(c) for c in clauses),
        reason=str(raw.get("reason", "")),
        gap=str(raw.get("gap", "")),
        loose=str(raw.get("loose", "")),
        version=str(raw.get("version", "")),
        source=str(raw.get("source", "")),
    )


def load(path: Path) -> tuple[dict[str, object], list[Annotation]]:
    data = json.loads(path.read_text())
    return data, [_annotation(u) for u in data["units"]]


def load_document(document: str) -> Trace:
    """The annotations of a document, checked against the document's current sentences."""
    doc_path = ROOT / document
    data, annotations = load(trace_path(document))
    version = str(data["version"])
    trace = Trace(document, version, annotations)
    units = {u.key: u for u in split(doc_path.read_text())}
    by_key = {a.key: a for a in annotations}
    for key, unit in units.items():
        a = by_key.get(key)
        if a is None:
            trace.problems.append(f"{document}: sentence {key} is not annotated: {unit.excerpt!r}")
        elif a.text != unit.text:
            trace.problems.append(f"{document}: sentence {key} has changed: {unit.excerpt!r}")
    for key in by_key.keys() - units.keys():
        trace.problems.append(f"{document}: annotation {key} matches no sentence (stale)")
    trace.annotations = [by_key[k] for k in units if k in by_key]
    trace.problems += check_annotations(trace)
    return trace


def load_later_changes() -> Trace:
    data, annotations = load(ROOT / LATER_CHANGES)
    trace = Trace(LATER_CHANGES, str(data["version"]), annotations)
    trace.problems += check_annotations(trace)
    return trace


def check_annotations(trace: Trace) -> list[str]:
    """What is wrong with a document's annotations, whatever the document says.

    A clause must exist; for a sentence outside a version note, it must apply to the document's
    version (at either strictness); a normative sentence without a clause must say why
    (``gap``), an informative one must give its reason.
    """
    import spec
    from spec.clauses import REGISTRY
    from spec.profiles import profile_for

    assert spec.PRIMITIVES  # importing spec fills the registry
    problems: list[str] = []
    keys: set[str] = set()
    for a in trace.annotations:
        where = f"{trace.name}: {a.key} ({a.text[:50]!r})"
        if a.key in keys:
            problems.append(f"{where}: annotated twice")
        keys.add(a.key)
        if a.status not in (NORMATIVE, INFORMATIVE):
            problems.append(f"{where}: status {a.status!r} is neither normative nor informative")
        if a.status == INFORMATIVE and not a.reason:
            problems.append(f"{where}: informative without a reason")
        if a.status == NORMATIVE and not a.clauses and not a.gap:
            problems.append(f"{where}: normative, with no clause and no gap saying why")
        if a.loose and not a.covered:
            problems.append(f"{where}: only a covered sentence can be covered loosely")
        version = a.version or trace.version
        profile = profile_for(version) if a.kind != "note" else None
        for cid in a.clauses:
            c = REGISTRY.get(cid)
            if c is None:
                problems.append(f"{where}: unknown clause {cid}")
            elif profile is not None and not c.applies_to_version(profile):
                problems.append(f"{where}: clause {cid} ({c.versions_text()}) does not apply to {version}")
    return problems


# ---------------------------------------------------------------------------
# Quotes
# ---------------------------------------------------------------------------


def quote_segments(quote: str) -> list[str]:
    """The sentences of a clause's quote that claim to be the documentation's words.

    Bracketed text (``[CPython: ...]``, ``[...]``) is the spec's own comment; ``...``, `` — `` and
    brackets separate the quoted pieces; each piece is cut into sentences, since a quote may join
    sentences that the document keeps apart. A leading ``class threading.`` is the signature's.
    """
    text = quote
    while True:
        stripped = re.sub(r"\[[^\[\]]*\]", " | ", text)
        if stripped == text:
            break
        text = stripped
    pieces = re.split(r"\s*(?:\||\.\.\.|…| — | -- (?=[A-Z]))\s*", text)
    out: list[str] = []
    for piece in pieces:
        piece = re.sub(r"^(class\s+)?threading\.", "", piece.strip())
        out += [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", piece) if normalize(s)]
    return out


def corpus_texts() -> list[str]:
    """The normalised text of every document (its sentences, and its raw text, code examples
    included), and of the later versions' changes."""
    texts = [" ".join(normalize(u.text) for u in split((ROOT / d).read_text())) for d in DOCUMENTS]
    texts += [normalize((ROOT / d).read_text()) for d in DOCUMENTS]
    _, later = load(ROOT / LATER_CHANGES)
    texts.append(" ".join(normalize(a.text) for a in later))
    return texts


def unsourced_quotes(clauses: Iterable[Clause]) -> list[str]:
    """Clauses whose quote has words found in no document and that do not say where they are from."""
    corpus = corpus_texts()
    problems: list[str] = []
    for c in clauses:
        quote: str = c.quote
        if SOURCE_TAG.match(quote):
            continue
        for seg in quote_segments(quote):
            if not any(normalize(seg) in t for t in corpus):
                problems.append(f"{c.id}: {seg!r} is in no document")
    return problems


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SectionCount:
    section: str
    sentences: int
    normative: int
    covered: int
    uncovered: tuple[Annotation, ...]
    loose: tuple[Annotation, ...]


def count_sections(annotations: Sequence[Annotation]) -> list[SectionCount]:
    order: list[str] = []
    groups: dict[str, list[Annotation]] = {}
    for a in annotations:
        name = a.section or "(preamble)"
        if name not in groups:
            order.append(name)
            groups[name] = []
        groups[name].append(a)
    out = []
    for name in order:
        group = groups[name]
        normative = [a for a in group if a.status == NORMATIVE]
        uncovered = tuple(a for a in normative if not a.covered)
        loose = tuple(a for a in normative if a.covered and a.loose)
        covered = len(normative) - len(uncovered)
        out.append(SectionCount(name, len(group), len(normative), covered, uncovered, loose))
    return out


def _excerpt(a: Annotation) -> str:
    return repr(a.text if len(a.text) <= 70 else a.text[:67] + "...")


def render(trace: Trace, show_uncovered: bool = True, show_loose: bool = False) -> tuple[str, int, int]:
    """The text report of one document, with its normative and covered totals."""
    lines = [f"{trace.name} (profile {trace.version})"]
    lines.append(f"  {'section':44} {'sentences':>9} {'normative':>9} {'covered':>8} {'loosely':>8}")
    total_n = total_c = total_s = total_l = 0
    for s in count_sections(trace.annotations):
        loose = len(s.loose)
        lines.append(f"  {s.section[:44]:44} {s.sentences:9d} {s.normative:9d} {s.covered:8d} {loose:8d}")
        total_s, total_n, total_c = total_s + s.sentences, total_n + s.normative, total_c + s.covered
        total_l += loose
        for a in s.uncovered if show_uncovered else ():
            lines.append(f"      uncovered {a.key}: {_excerpt(a)}")
            lines.append(f"          gap: {a.gap}")
        for a in s.loose if show_loose else ():
            lines.append(f"      loosely covered {a.key}: {_excerpt(a)} by {', '.join(a.clauses)}")
            lines.append(f"          unchecked: {a.loose}")
    pct = 100.0 * total_c / total_n if total_n else 100.0
    lines.append(
        f"  {'total':44} {total_s:9d} {total_n:9d} {total_c:8d} {total_l:8d}  ({pct:.1f}% covered)"
    )
    return "\n".join(lines), total_n, total_c


def cmd_coverage(args: argparse.Namespace) -> int:
    try:
        if args.doc:
            path = (ROOT / args.doc).resolve()
            if path == (ROOT / LATER_CHANGES).resolve():
                traces = [load_later_changes()]
            else:
                traces = [load_document(str(path.relative_to(ROOT.resolve())))]
        else:
            traces = [load_document(d) for d in DOCUMENTS] + [load_later_changes()]
    except (OSError, ValueError, KeyError) as e:
        print(f"threadspec: cannot read the annotations: {e}", file=sys.stderr)
        return 2
    problems = [p for t in traces for p in t.problems]
    uncovered = 0
    for t in traces:
        text, normative, covered = render(t, show_uncovered=not args.quiet, show_loose=args.loose)
        print(text)
        uncovered += normative - covered
    for p in problems:
        print(f"threadspec: {p}", file=sys.stderr)
    if problems:
        return 2
    return 1 if uncovered else 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    c = sub.add_parser(
        "coverage",
        help="how much of the documentation the spec's clauses cover",
        description="Per section of each reference document: sentences, normative sentences, and "
        "normative sentences covered by a clause; lists the uncovered. Exit status: 0 all covered, "
        "1 some normative sentence uncovered, 2 an annotation file is out of date or wrong.",
    )
    c.add_argument(
        "--doc",
        metavar="FILE",
        help=f"only this document ({', '.join(DOCUMENTS)} or {LATER_CHANGES}); default: all",
    )
    c.add_argument("--quiet", action="store_true", help="counts only, without the uncovered sentences")
    c.add_argument(
        "--loose",
        action="store_true",
        help="also list the covered sentences whose clauses check less than they say",
    )
    c.set_defaults(func=cmd_coverage)


__all__ = ["Annotation", "Trace", "Unit", "cmd_coverage", "load_document", "register", "unsourced_quotes"]
