"""The HTML of the rendered reference: static pages, inline CSS and SVG, no script, no network.

Every text that goes into a page passes through ``esc`` (``html.escape``); the only markup
not written here is the SVG that Graphviz makes of the spec's own exploration.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from conformance.reference_model import TABLE_CALLS_PER_THREAD, TABLE_THREADS, Row, Site, Table, TypeDoc
from spec.clauses import Ambiguity, Clause
from spec.profiles import VERSIONS, Profile, Strictness, Version

CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d232a;
  margin: 0; background: #fbfbfa; }
header { background: #22313f; color: #f4f6f8; padding: 12px 28px; }
header a { color: #cfe3ff; margin-right: 14px; text-decoration: none; white-space: nowrap; }
header .title { font-size: 22px; font-weight: 600; margin-right: 24px; }
main { padding: 8px 28px 40px; max-width: 1500px; }
h2 { border-bottom: 2px solid #d7dde3; padding-bottom: 3px; margin-top: 34px; }
h3 { margin-bottom: 4px; }
code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13px; }
table { border-collapse: collapse; margin: 8px 0 16px; background: #fff; }
th, td { border: 1px solid #d4d9de; padding: 4px 8px; vertical-align: top; text-align: left; }
th { background: #eef1f4; }
tr.op-start td { border-top: 2px solid #8a97a4; }
td.op { font-weight: 600; white-space: nowrap; }
td.internal { font-style: italic; color: #51606e; }
blockquote { margin: 2px 0; padding: 2px 10px; border-left: 3px solid #9fb6cf; background: #f3f7fb;
  font-family: Georgia, "DejaVu Serif", serif; }
.tag { display: inline-block; font-size: 11px; padding: 0 6px; border-radius: 8px; margin-right: 4px;
  white-space: nowrap; }
.documented { background: #dcefdc; color: #1f5f1f; }
.cpython { background: #fde7cf; color: #8a4a00; }
.blocks { color: #7a3fb0; font-weight: 600; }
.raises { color: #b0302a; font-weight: 600; }
.returns { color: #1f5f1f; font-weight: 600; }
.site { color: #5d6b78; font-size: 12px; }
.grid td.v { width: 26px; padding: 2px; text-align: center; font-size: 11px; }
.grid td.on { background: #4f86c6; color: #fff; }
.grid td.off { background: #f1f3f5; color: #aab; }
.grid th.v { font-size: 11px; padding: 2px; text-align: center; }
.diagram { overflow-x: auto; border: 1px solid #d4d9de; background: #fff; padding: 6px; }
.diagram svg { max-width: 100%; height: auto; }
.note { color: #51606e; font-size: 13px; }
.doc { font-size: 14px; background: #fff; border: 1px solid #e3e7eb; padding: 2px 12px; }
.doc p { margin: 6px 0; }
.columns { display: flex; gap: 28px; flex-wrap: wrap; align-items: flex-start; }
.columns > section { flex: 1 1 520px; min-width: 0; }
nav.toc a { margin-right: 12px; }
dl.ambiguities dt { font-weight: 600; margin-top: 12px; }
dl.ambiguities dd { margin-left: 18px; }
"""


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def inline(text: str) -> str:
    """Docstring text as HTML: escaped, its lines joined, ````name```` as code."""
    joined = " ".join(line.strip() for line in text.splitlines())
    return re.sub(r"``(.+?)``", r"<code>\1</code>", esc(joined))


def prose(text: str) -> str:
    """A docstring as HTML paragraphs (see ``inline``)."""
    return "".join(f"<p>{inline(para)}</p>" for para in re.split(r"\n\s*\n", text.strip()))


def version_text(v: Version) -> str:
    return f"{v[0]}.{v[1]}"


def anchor(clause_id: str) -> str:
    return "clause-" + re.sub(r"[^A-Za-z0-9_.-]", "_", clause_id)


def clause_link(clause_id: str, pages: Iterable[str]) -> str:
    primitive = clause_id.split(".", 1)[0]
    if primitive in pages:
        href = f"{page_file(primitive)}#{anchor(clause_id)}"
        return f'<a href="{esc(href)}"><code>{esc(clause_id)}</code></a>'
    return f"<code>{esc(clause_id)}</code>"


def page_file(primitive: str) -> str:
    return f"{primitive}.html"


def strictness_tag(level: str) -> str:
    return f'<span class="tag {esc(level)}">{esc(level)}</span>'


def page(title: str, profile: Profile, pages: Sequence[str], body: str) -> str:
    nav = "\n".join(f'<a href="{esc(page_file(p))}">{esc(p)}</a>' for p in pages)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{esc(title)} — threadspec reference</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f'<header><span class="title">{esc(title)}</span>'
        f'<a href="index.html">index</a>\n<a href="changes.html">what changed</a>\n{nav}'
        f'<div class="note" style="color:#cfd8e0">threadspec reference, profile {esc(profile)}</div>'
        "</header>\n"
        f"<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


# ---------------------------------------------------------------------------
# A primitive's page
# ---------------------------------------------------------------------------


@dataclass
class PrimitiveDoc:
    """Everything a primitive's page shows (``conformance/reference.py`` gathers it)."""

    name: str
    summary: str
    types: list[TypeDoc]
    invariants: list[tuple[str, str]]
    table: Table | None
    clauses: list[Clause]
    sites: dict[str, tuple[Site, ...]]
    ambiguities: tuple[Ambiguity, ...]
    svg: str
    diagram_note: str
    unreached: list[Clause]


def _types_html(types: Sequence[TypeDoc]) -> str:
    if not types:
        return '<p class="note">This primitive has no state of its own in this profile.</p>'
    main, *nested = types
    if not nested:
        return _type_html(main)
    names = ", ".join(t.name for t in nested)
    return (f"{_type_html(main)}<details><summary>the types its fields hold: {esc(names)}</summary>"
            f'{"".join(_type_html(t) for t in nested)}</details>')


def _type_html(t: TypeDoc) -> str:
    where = f'<span class="note">({esc(t.module)})</span>'
    out = [f'<h3 id="type-{esc(t.name)}"><code>{esc(t.name)}</code> {where}</h3>']
    if t.doc:
        out.append(f'<div class="doc">{prose(t.doc)}</div>')
    if t.members:
        out.append("<p>Members: " + ", ".join(f"<code>{esc(m)}</code>" for m in t.members) + "</p>")
    if t.fields:
        rows = "".join(
            f"<tr><td><code>{esc(f.name)}</code></td><td><code>{esc(f.type_text)}</code></td>"
            f"<td><code>{esc(f.default)}</code></td></tr>"
            for f in t.fields
        )
        out.append(f"<table><tr><th>field</th><th>type</th><th>default</th></tr>{rows}</table>")
    return "\n".join(out)


def _outcome_html(outcome: str) -> str:
    if outcome == "blocks":
        return '<span class="blocks">blocks</span>'
    if outcome.startswith("raises "):
        return f'<span class="raises">{esc(outcome)}</span>'
    if outcome == "moves on":
        return '<span class="note">moves on (still waiting)</span>'
    return f'returns <span class="returns">{esc(outcome)}</span>'


def _sites_for(op: str, internal: bool, sites: Sequence[Site]) -> Sequence[Site]:
    """The sites in a function named after ``op`` (``enter`` for ``__enter__``), or for an internal
    step those in other functions (``wakeups``, ``expiries``…); all of them if none is."""
    name = op.strip("_").split(":")[0].split(".")[-1]
    mine = [s for s in sites if bool(name and name in s.function) != internal]
    return (mine or list(sites))[:2]


def _row_html(
    r: Row, first: bool, clauses: dict[str, Clause], doc: PrimitiveDoc, pages: Sequence[str]
) -> str:
    c = clauses.get(r.clause)
    quote = f"<blockquote>{esc(c.quote)}</blockquote>" if c else ""
    versions = f' <span class="note">{esc(c.versions_text())}</span>' if c else ""
    strict = strictness_tag(c.strictness.value) if c else ""
    sites = _sites_for(r.op, r.internal, doc.sites.get(r.clause, ()))
    site_html = "".join(f'<div class="site mono">{esc(s.text())}</div>' for s in sites[:3])
    calls = ", ".join(f"<code>{esc(x)}</code>" for x in sorted(r.calls))
    kind = "internal step of a pending " if r.internal else ""
    op_cell = f'<td class="op{" internal" if r.internal else ""}">{esc(kind)}<code>{esc(r.op)}</code></td>'
    levels = "".join(strictness_tag(x) for x in sorted(r.levels, reverse=True))
    return (
        f'<tr class="{"op-start" if first else ""}">{op_cell}'
        f"<td>{calls}<div>{esc(r.condition)}</div>{site_html}</td>"
        f"<td>{_outcome_html(r.outcome)}</td>"
        f"<td>{clause_link(r.clause, pages)}{versions}<br>{strict}{quote}</td>"
        f"<td>{levels}</td></tr>"
    )


def _table_html(doc: PrimitiveDoc, clauses: dict[str, Clause], pages: Sequence[str]) -> str:
    t = doc.table
    if t is None or not t.rows:
        why = "; ".join(t.failed) if t else "no random-schedule alphabet explores this primitive"
        return f'<p class="note">No transitions explored in this profile: {esc(why)}</p>'
    head = ("<tr><th>operation</th><th>condition (calls; state before, as explored; the spec's branch)</th>"
            "<th>outcome</th><th>clause and quoted sentence</th><th>reached at</th></tr>")
    body, last = [], None
    for r in t.rows:
        body.append(_row_html(r, r.op != last, clauses, doc, pages))
        last = r.op
    explored = "".join(f"<li>{esc(e)}</li>" for e in t.explorations)
    return (
        '<p class="note">Each row is an (operation, clause, outcome) that the spec\'s own exploration took: '
        f"{esc(t.states)} states, exploring every schedule of {TABLE_THREADS} threads making up to "
        f"{TABLE_CALLS_PER_THREAD} calls each from "
        "each random-schedule alphabet, at both strictness levels. The state condition is what the "
        "explored states in which the row was taken have in common, compared with every explored "
        "state where a step of the same kind was taken.</p>"
        f'<table class="transitions">{head}{"".join(body)}</table>'
        f'<details><summary class="note">explorations</summary><ul class="note">{explored}</ul></details>'
    )


def _grid_html(clauses: Sequence[Clause], profile: Profile) -> str:
    head = "".join(f'<th class="v">{esc(version_text(v))}</th>' for v in VERSIONS)
    rows = []
    for c in clauses:
        cells = "".join(
            f'<td class="v {"on" if c.applies_to_version(Profile(v, Strictness.CPYTHON)) else "off"}">'
            f'{"●" if c.applies_to_version(Profile(v, Strictness.CPYTHON)) else ""}</td>'
            for v in VERSIONS
        )
        here = "" if c.applies_to_version(profile) else \
            f' <span class="note">(not in {esc(version_text(profile.version))})</span>'
        rows.append(
            f'<tr id="{esc(anchor(c.id))}"><td><code>{esc(c.id)}</code>{here}<br>'
            f'<span class="note">{esc(c.doc)}</span> {strictness_tag(c.strictness_text())}'
            f"<blockquote>{esc(c.quote)}</blockquote>"
            + (f'<div class="note">known bug tolerated: {esc(c.known_bug)}</div>' if c.known_bug else "")
            + (f'<div class="note">not exercisable here: {esc(c.unexercisable)}</div>'
               if c.unexercisable else "")
            + f'</td><td class="mono">{esc(c.versions_text())}</td>{cells}</tr>'
        )
    return (f'<table class="grid"><tr><th>clause</th><th>versions</th>{head}</tr>'
            f'{"".join(rows)}</table>')


def _borrowed(doc: PrimitiveDoc, pages: Sequence[str]) -> str:
    """For a spec without clauses of its own (one class of another's family)."""
    owners = sorted({r.clause.split(".", 1)[0] for r in doc.table.rows} if doc.table else set())
    links = ", ".join(f'<a href="{esc(page_file(o))}#clauses">{esc(o)}</a>' for o in owners if o in pages)
    own = f"{esc(doc.name)} has no clauses of its own"
    return f'<p class="note">{own}; its transitions cite those of {links}.</p>'


def _readings_html(a: Ambiguity) -> str:
    """Each profile's reading, where they differ (``Ambiguity.readings``)."""
    if not a.readings:
        return '<p class="note">Every profile takes this reading.</p>'
    items = "".join(f"<li><b>{esc(r.label())}:</b> {esc(r.text)}</li>" for r in a.readings)
    return f'<ul class="readings">{items}</ul>'


def _ambiguities_html(ambiguities: Sequence[Ambiguity]) -> str:
    if not ambiguities:
        return '<p class="note">The spec records no ambiguity for this primitive.</p>'
    items = "".join(
        f"<dt>{esc(a.topic)}</dt><dd><blockquote>{esc(a.text)}</blockquote>"
        f"<p><b>Reading:</b> {esc(a.reading)}</p>{_readings_html(a)}</dd>"
        for a in ambiguities
    )
    return f'<dl class="ambiguities">{items}</dl>'


def primitive_page(
    doc: PrimitiveDoc, profile: Profile, pages: Sequence[str], registry: dict[str, Clause]
) -> str:
    invariants = "".join(
        f"<tr><td><code>{esc(n)}</code></td><td>{inline(d)}</td></tr>" for n, d in doc.invariants
    )
    unreached = "".join(
        f"<li>{clause_link(c.id, pages)} {strictness_tag(c.strictness.value)}"
        + "".join(f'<div class="site mono">{esc(s.text())}</div>' for s in doc.sites.get(c.id, ())[:3])
        + "</li>"
        for c in doc.unreached
    )
    toc = "".join(f'<a href="#{k}">{esc(v)}</a>' for k, v in (
        ("state", "abstract state"), ("invariants", "invariants"), ("diagram", "state diagram"),
        ("transitions", "transitions"), ("clauses", "clauses and versions"), ("ambiguities", "ambiguities"),
        ("unreached", "not reached")))
    body = f"""
<nav class="toc note">{toc}</nav>
<div class="doc">{prose(doc.summary)}</div>
<div class="columns">
<section><h2 id="state">Abstract state</h2>
{_types_html(doc.types)}</section>
<section><h2 id="invariants">Invariants</h2>
{f'<table><tr><th>invariant</th><th>what holds in every reachable state</th></tr>{invariants}</table>'
 if invariants else '<p class="note">none</p>'}</section>
</div>
<h2 id="diagram">State diagram</h2>
<p class="note">{esc(doc.diagram_note)}</p>
<div class="diagram">{doc.svg or '<p class="note">(none)</p>'}</div>
<h2 id="transitions">Transitions</h2>
{_table_html(doc, registry, pages)}
<h2 id="clauses">Clauses and versions</h2>
{_grid_html(doc.clauses, profile) if doc.clauses else _borrowed(doc, pages)}
<h2 id="ambiguities">Ambiguities</h2>
{_ambiguities_html(doc.ambiguities)}
<h2 id="unreached">Clauses the exploration did not reach</h2>
<p class="note">Clauses of {esc(doc.name)} that apply to {esc(version_text(profile.version))} but that no
row above cites (the checker's named scenarios exercise them; the bounded exploration behind the table
does not).</p>
<ul>{unreached or '<li class="note">none</li>'}</ul>
"""
    return page(doc.name, profile, pages, body)


# ---------------------------------------------------------------------------
# The index, clause-only pages, what changed
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexEntry:
    name: str
    summary: str
    clauses: int
    applicable: int
    invariants: int
    ambiguities: int
    states: int | None


def index_page(entries: Sequence[IndexEntry], profile: Profile, pages: Sequence[str], total: int) -> str:
    rows = "".join(
        f'<tr><td><a href="{esc(page_file(e.name))}"><code>{esc(e.name)}</code></a></td>'
        f"<td>{inline(e.summary)}</td><td>{e.applicable} of {e.clauses}</td><td>{e.invariants}</td>"
        f"<td>{e.ambiguities}</td><td>{'' if e.states is None else e.states}</td></tr>"
        for e in entries
    )
    body = f"""
<p>Python's <code>threading</code> module as the executable specification in <code>spec/</code> states it:
per primitive its abstract state, invariants, transitions with the sentence of the documentation each
implements, a state diagram drawn from the spec's own exploration, the versions each clause applies to,
and the places where the prose allows more than one reading. {total} clauses in all;
<a href="changes.html">what changed</a> lists them by version, from 2.7 to 3.14.</p>
<p class="note">Transition tables and diagrams are for profile {esc(profile)}. A clause tagged
{strictness_tag("documented")} is guaranteed by the documentation; one tagged {strictness_tag("cpython")}
is what CPython does beyond it.</p>
<table><tr><th>primitive</th><th>what the documentation promises</th>
<th>clauses in {esc(version_text(profile.version))}</th><th>invariants</th><th>ambiguities</th>
<th>states explored</th></tr>{rows}</table>
"""
    return page("threadspec reference", profile, pages, body)


def clauses_page(
    name: str, summary: str, clauses: Sequence[Clause], profile: Profile, pages: Sequence[str]
) -> str:
    body = (f'<div class="doc">{prose(summary)}</div>\n<h2 id="clauses">Clauses and versions</h2>\n'
            f"{_grid_html(clauses, profile)}")
    return page(name, profile, pages, body)


def _clause_items(clauses: Iterable[Clause], pages: Sequence[str]) -> str:
    return "".join(
        f"<li>{clause_link(c.id, pages)} {strictness_tag(c.strictness.value)}"
        f'<span class="note"> {esc(c.versions_text())}</span><blockquote>{esc(c.quote)}</blockquote></li>'
        for c in clauses
    )


def changes_page(clauses: Sequence[Clause], profile: Profile, pages: Sequence[str]) -> str:
    """Clauses by the version they start or stop applying at, and how many apply per version."""
    counts = []
    for v in VERSIONS:
        doc = sum(c.applies_to(Profile(v, Strictness.DOCUMENTED)) for c in clauses)
        cpy = sum(c.applies_to(Profile(v, Strictness.CPYTHON)) for c in clauses)
        counts.append(f"<tr><td>{esc(version_text(v))}</td><td>{doc}</td><td>{cpy}</td></tr>")
    starts = {c.since for c in clauses if c.since != (2, 7)}
    boundaries = sorted(starts | {c.until for c in clauses if c.until})
    sections = []
    for v in boundaries:
        new = [c for c in clauses if c.since == v]
        gone = [c for c in clauses if c.until == v]
        parts = [f'<h2 id="v{esc(version_text(v))}">{esc(version_text(v))}</h2>']
        if new:
            parts.append(f"<h3>New ({len(new)})</h3><ul>{_clause_items(new, pages)}</ul>")
        if gone:
            parts.append(f"<h3>No longer applies ({len(gone)})</h3><ul>{_clause_items(gone, pages)}</ul>")
        sections.append("".join(parts))
    base = [c for c in clauses if c.since == (2, 7)]
    toc = " ".join(f'<a href="#v{esc(version_text(v))}">{esc(version_text(v))}</a>' for v in boundaries)
    body = f"""
<nav class="toc">Versions where clauses begin or stop applying: {toc}</nav>
<p>Every clause of the spec applies from one version (its <code>since</code>) until another (its
<code>until</code>, if any). This page lists them at the version where they begin or stop applying. The
baseline: {len(base)} clauses apply from 2.7 on (those that later stop applying are listed at that
version). Versions 3.0 to 3.5 have no profile of their own; a clause that begins there applies from 3.6
in the checker's profiles.</p>
<table><tr><th>version</th><th>clauses (documented)</th><th>clauses (documented + cpython)</th></tr>
{"".join(counts)}</table>
{"".join(sections)}
"""
    return page("What changed, 2.7 to 3.14", profile, pages, body)
