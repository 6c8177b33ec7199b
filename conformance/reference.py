"""``threadspec doc``: the spec rendered as a reference, static HTML that needs no network.

One page per primitive (abstract state, invariants, transition table with quoted sentences, a
state diagram from the spec's own exploration, clauses with their versions, ambiguities), a
page for the module functions' clauses, an index, and a page of what changed from 2.7 to 3.14.
Exit status 0 when the pages are written, 2 when they cannot be (Graphviz missing, the output
directory not writable, an unknown profile).
"""

from __future__ import annotations

import argparse
import inspect
import sys
from pathlib import Path
from typing import Any

import spec
from conformance import diagrams
from conformance.reference_html import (
    IndexEntry,
    PrimitiveDoc,
    changes_page,
    clauses_page,
    index_page,
    page_file,
    primitive_page,
)
from conformance.reference_model import (
    clause_sites,
    clauses_of,
    spec_module,
    state_type,
    transition_table,
    type_docs,
)
from spec.clauses import REGISTRY
from spec.core import PrimitiveSpec
from spec.profiles import PY311, PY314, Profile, Strictness, profile_for

CLAUSE_ONLY_SUMMARIES = {
    "module": "The module's functions (active_count, current_thread, enumerate, excepthook, settrace, "
    "stack_size…). They have no state machine of their own: Thread's spec runs them, and its "
    "transitions cite these clauses.",
}


class CannotRender(Exception):
    """The reference cannot be written; the message says why and what to do."""


def _first_paragraph(text: str | None) -> str:
    return inspect.cleandoc(text or "").split("\n\n", 1)[0].replace("\n", " ")


def _diagram(
    s: PrimitiveSpec[Any], profile: Profile, bound: diagrams.Bound | None
) -> tuple[str, str, int | None]:
    """The diagram's SVG, its caption, and the number of states drawn."""
    if bound is None:
        return "", "No diagram: no bound is set for this primitive.", None
    drawn = profile.with_strictness(Strictness.DOCUMENTED)
    try:
        graph = diagrams.diagram_graph(s, drawn, bound)
    except ValueError as e:
        return "", f"No diagram in this profile: {e}.", None
    title = f"{s.name} in {drawn}"
    svg = diagrams.render_svg(diagrams.to_dot(graph, title))
    note = (
        f"Generated from the spec's own exploration ({drawn}): {len(graph.states)} states and "
        f"{len(graph.edges)} transitions, exploring {bound.text()}. Boxes are spec states (the bold "
        "one is the state the constructor makes), solid arrows are calls (tN.op(args) -> outcome), "
        "dashed arrows internal steps (a wakeup or an expiry, named by its clause); calls that leave "
        "the state as it was are left out."
    )
    return svg, note, len(graph.states)


def primitive_doc(s: PrimitiveSpec[Any], profile: Profile) -> tuple[PrimitiveDoc, int | None]:
    bound = diagrams.diagram_bounds().get(s.name)
    module = spec_module(s)
    init = bound.init if bound else spec.values.call(0, "__init__")
    cls = state_type(s, init, (profile, PY314, PY311))
    table = transition_table(s, profile)
    cited = {r.clause for r in table.rows}
    own = clauses_of(s.name)
    applicable = profile.with_strictness(Strictness.CPYTHON)
    unreached = [c for c in own if c.applies_to(applicable) and c.id not in cited]
    svg, note, _drawn = _diagram(s, profile, bound)
    doc = PrimitiveDoc(
        name=s.name,
        summary=inspect.cleandoc(module.__doc__ or ""),
        types=type_docs(cls) if cls else [],
        invariants=[(inv.__name__, _first_paragraph(inv.__doc__)) for inv in s.invariants],
        table=table,
        clauses=own,
        sites=clause_sites(),
        ambiguities=s.ambiguities,
        svg=svg,
        diagram_note=note,
        unreached=unreached,
    )
    return doc, table.states if table.rows else None


def _check_output(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".threadspec-write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as e:
        raise CannotRender(f"cannot write to {out}: {e.strerror or e}") from None


def build(out: Path, profile: Profile) -> list[Path]:
    """Write the reference for ``profile`` into ``out``; return the pages written.

    Raises:
      CannotRender: Graphviz is missing or ``out`` cannot be written.
    """
    if not diagrams.dot_available():
        raise CannotRender(f"Graphviz's dot is not on the PATH; {diagrams.INSTALL_HINT}")
    _check_output(out)
    specs = list(spec.PRIMITIVES.values())
    clause_only = sorted({c.primitive for c in REGISTRY.values()} - set(spec.PRIMITIVES))
    pages = [s.name for s in specs] + clause_only
    written: list[Path] = []
    entries: list[IndexEntry] = []
    applicable = profile.with_strictness(Strictness.CPYTHON)

    def write(name: str, text: str) -> None:
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)

    for s in specs:
        doc, states = primitive_doc(s, profile)
        write(page_file(s.name), primitive_page(doc, profile, pages, REGISTRY))
        own = doc.clauses
        entries.append(IndexEntry(s.name, _first_paragraph(doc.summary), len(own),
                                  sum(c.applies_to(applicable) for c in own), len(doc.invariants),
                                  len(doc.ambiguities), states))
    for name in clause_only:
        own = clauses_of(name)
        summary = CLAUSE_ONLY_SUMMARIES.get(name, f"Clauses of {name}.")
        write(page_file(name), clauses_page(name, summary, own, profile, pages))
        count = sum(c.applies_to(applicable) for c in own)
        entries.append(IndexEntry(name, summary, len(own), count, 0, 0, None))
    write("index.html", index_page(entries, profile, pages, len(REGISTRY)))
    write("changes.html", changes_page(list(REGISTRY.values()), profile, pages))
    return written


def cmd_doc(args: argparse.Namespace) -> int:
    try:
        profile = profile_for(args.profile, Strictness.CPYTHON)
    except ValueError as e:
        print(f"threadspec doc: {e}", file=sys.stderr)
        return 2
    try:
        written = build(Path(args.output), profile)
    except (CannotRender, diagrams.GraphvizMissing) as e:
        print(f"threadspec doc: {e}", file=sys.stderr)
        return 2
    index = Path(args.output) / "index.html"
    print(f"threadspec doc: wrote {len(written)} pages to {args.output} (open {index})")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    d = sub.add_parser(
        "doc",
        help="render the spec as a static HTML reference",
        description="Render the spec as a static HTML reference: one page per primitive (abstract state, "
        "invariants, a transition table whose rows cite their clause and its quoted sentence, a state "
        "diagram generated from the spec's own exploration, the versions each clause applies to, the "
        "ambiguities and the reading each profile takes), a page for the module functions, an index, and "
        "a page of what changed from 2.7 to 3.14. The pages are self-contained (inline CSS and SVG, no "
        "script, no network). Needs Graphviz's dot. Exit status: 0 written, 2 could not write.",
    )
    d.add_argument("--output", metavar="DIR", required=True, help="directory to write the pages into "
                   "(created if missing; existing pages are overwritten)")
    d.add_argument("--profile", metavar="VERSION", default="3.11",
                   help="the version whose transitions, diagrams and applicable clauses the pages show "
                   "(default 3.11); every page lists all versions' clauses regardless")
    d.set_defaults(func=cmd_doc)
