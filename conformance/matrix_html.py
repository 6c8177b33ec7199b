"""``matrix.html``: the matrix as one self-contained page (inline CSS and SVG; no script, no network).

A table of targets × primitives whose cells are coloured by status (``conformance.matrix.STATUSES``);
a red cell links to its violations, grouped by clause, each with the clause's quoted sentence, the
schedule, what was observed and what the spec allows, and the reproducer (its text inline); then a
state diagram of each primitive, drawn from the spec's own exploration (``conformance/diagrams.py``).

Everything a target reported (names, paths, versions, observed values, reproducer text) is data:
``text`` escapes it, after making characters HTML cannot hold (controls, lone surrogates) visible.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import spec
from conformance import diagrams
from spec.profiles import PY311, Strictness

DIAGRAM_PROFILE = PY311.with_strictness(Strictness.DOCUMENTED)
"""The profile the diagrams are drawn in (the reference's default)."""

REPRODUCER_LIMIT = 20_000
"""The most characters of one reproducer shown inline (the rest is counted, not shown)."""

TEXT_LIMIT = 2_000
"""The most characters of any other one text from a target that the page shows."""

CSS = """
body { font-family: sans-serif; margin: 1.5em; color: #1b1b1b; max-width: 1250px; }
h1 { margin-bottom: .2em; } .summary { color: #444; margin-top: 0; }
table.matrix { border-collapse: collapse; margin: 1em 0; }
table.matrix th, table.matrix td { border: 1px solid #fff; padding: .45em .7em; text-align: left;
  vertical-align: top; }
table.matrix thead th { background: #37474f; color: #fff; }
th.target { background: #eceff1; font-weight: normal; min-width: 11em; max-width: 24em;
  overflow-wrap: anywhere; }
th.target b { font-size: 1.05em; } th.target small, td.cell small { display: block; }
td.cell { min-width: 7em; } td.cell a { color: inherit; }
td.cell .count { font-size: 1.5em; font-weight: bold; }
.failed { background: #c62828; color: #fff; }
.passed { background: #2e7d32; color: #fff; }
.expected { color: #fff;
  background: repeating-linear-gradient(-45deg, #6a1b9a, #6a1b9a 10px, #7b1fa2 10px, #7b1fa2 20px); }
.incomplete { background: #f9a825; color: #1b1b1b; outline: 2px dashed #6d4c00; outline-offset: -4px; }
.could-not-check { color: #fff;
  background: repeating-linear-gradient(45deg, #616161, #616161 8px, #757575 8px, #757575 16px); }
.not-applicable, .not-checked { background: #eeeeee; color: #666; }
.norun { background: #263238; color: #fff; overflow-wrap: anywhere; }
td.verdict { background: #fafafa; } td.verdict small { display: block; color: #555; }
.legend span { display: inline-block; padding: .2em .6em; margin-right: .4em; }
section.cell-details { border-left: 6px solid #c62828; padding: .2em 1em; margin: 1em 0; }
section.cell-details:target { background: #fff3f3; }
blockquote.quote { margin: .4em 0 .6em 0; padding: .3em .8em; border-left: 4px solid #90a4ae;
  background: #f5f7f8; font-style: italic; }
div.violation { margin: .5em 0 1em 1em; } dl { margin: 0; }
dt { font-weight: bold; float: left; width: 7.5em; clear: left; } dd { margin-left: 8em; }
pre { background: #f6f8fa; padding: .5em; overflow-x: auto; white-space: pre-wrap;
  overflow-wrap: anywhere; margin: .2em 0; }
code { overflow-wrap: anywhere; }
figure.diagram { margin: 1em 0 2em 0; } figure.diagram svg { max-width: 100%; height: auto; }
figcaption { color: #444; font-size: .9em; }
"""


def text(value: object, limit: int = TEXT_LIMIT) -> str:
    """``value`` as HTML text: characters HTML cannot hold (controls other than newline and
    tab, lone surrogates) shown as escapes, markup escaped, and past ``limit`` characters the
    rest counted, not shown."""
    s = "" if value is None else str(value)
    out = []
    for ch in s:
        o = ord(ch)
        if (o < 0x20 and ch not in "\n\t") or 0x7F <= o < 0xA0 or 0xD800 <= o <= 0xDFFF:
            out.append(ascii(ch)[1:-1])
        else:
            out.append(ch)
    s = "".join(out)
    if len(s) > limit:
        s = f"{s[:limit]}… ({len(s) - limit} more characters)"
    return html.escape(s, quote=True)


# ---------------------------------------------------------------------------
# Diagrams
# ---------------------------------------------------------------------------


def primitive_diagrams(primitives: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Each primitive's state diagram as inline SVG, with its caption; without Graphviz, or for
    a primitive that has no spec of its own, an empty SVG and a caption saying why."""
    out: dict[str, tuple[str, str]] = {}
    bounds = diagrams.diagram_bounds()
    for p in primitives:
        s, bound = spec.PRIMITIVES.get(p), bounds.get(p)
        if s is None or bound is None:
            out[p] = ("", f"No diagram: {p} has no state machine of its own.")
            continue
        if not diagrams.dot_available():
            out[p] = ("", f"No diagram: Graphviz's dot is not on the PATH ({diagrams.INSTALL_HINT}).")
            continue
        try:
            graph = diagrams.diagram_graph(s, DIAGRAM_PROFILE, bound)
            svg = diagrams.render_svg(diagrams.to_dot(graph, f"{p} in {DIAGRAM_PROFILE}"))
        except (ValueError, RuntimeError) as e:
            out[p] = ("", f"No diagram: {e}.")
            continue
        out[p] = (svg, f"{p}, generated from the spec's exploration ({DIAGRAM_PROFILE}): "
                  f"{len(graph.states)} states, {len(graph.edges)} transitions, exploring {bound.text()}. "
                  "Solid arrows are calls, dashed ones wakeups and expiries.")
    return out


# ---------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def _cell_id(row: int, col: int) -> str:
    return f"cell-{row}-{col}"


def _has_details(cell: dict[str, Any]) -> bool:
    return bool(cell["failures"] or cell["could_not_observe"] or cell.get("expected"))


def _cell(row: int, col: int, cell: dict[str, Any]) -> str:
    status: str = cell["status"]
    cls = status.replace(" ", "-")
    if status == "failed":
        n = cell["failed"] or len(cell["failed_clauses"])
        main = (f'<span class="count">{n}</span> failed clause{"s" if n != 1 else ""} '
                f'<small>{_count(len(cell["failures"]), "violation")}, {cell["passed"]} passed</small>')
    elif status == "could not check":
        main = f'<span class="count">?</span> could not check <small>{text(cell["reason"], 200)}</small>'
    elif status == "incomplete":
        unobserved = len(cell["could_not_observe"])
        seen = f", {unobserved} runs not observed" if unobserved else ""
        unreached = cell.get("not_exercised_by_the_target", 0)
        by_target = f" ({unreached} although their scenarios ran)" if unreached else ""
        main = (f'<span class="count">0</span> failed <small>incomplete: {cell["not_exercised"]} not '
                f'exercised{by_target}{seen}; {cell["passed"]} passed</small>')
    elif status == "passed":
        main = f'<span class="count">0</span> failed <small>{cell["passed"]} passed</small>'
    elif status == "expected":
        n = len(cell["expected_clauses"])
        main = (f'<span class="count">{n}</span> expected deviation{"s" if n != 1 else ""} '
                f'<small>known, not failures; {cell["passed"]} passed</small>')
    else:
        main = status
    if status != "expected" and cell.get("expected_clauses"):
        main += f'<small>+{len(cell["expected_clauses"])} expected</small>'
    if _has_details(cell):
        main = f'<a href="#{_cell_id(row, col)}">{main}</a>'
    return f'<td class="cell {cls}" data-status="{text(status)}">{main}</td>'


def _target_header(t: dict[str, Any]) -> str:
    parts = [f"<b>{text(t['name'], 300)}</b>"]
    if t.get("ran"):
        impl = f"{t.get('implementation') or '?'} {t.get('version') or '?'}"
        impl += ", GIL on" if t.get("gil") is True else ", GIL off" if t.get("gil") is False else ""
        parts.append(f"<small>{text(impl, 100)} · profile {text(t.get('profile'), 100)} · "
                     f"{float(t.get('seconds') or 0):.1f} s</small>")
    if t.get("check_args"):
        parts.append(f"<small>check {text(' '.join(t['check_args']), 300)}</small>")
    return f'<th class="target" scope="row" title="{text(t["python"], 500)}">{"".join(parts)}</th>'


def _row(i: int, t: dict[str, Any], primitives: Sequence[str]) -> str:
    if not t.get("ran"):
        return (f"<tr>{_target_header(t)}<td class=\"verdict\">could not run</td>"
                f'<td class="cell norun" colspan="{max(1, len(primitives))}">could not run: '
                f"{text(t.get('reason'), 500)}</td></tr>")
    cells = "".join(_cell(i, j, t["cells"][p]) for j, p in enumerate(primitives))
    verdict = f"{text(t.get('verdict'))} <small>exit status {text(t.get('exit_status'))}</small>"
    return f'<tr>{_target_header(t)}<td class="verdict">{verdict}</td>{cells}</tr>'


def _table(matrix: dict[str, Any]) -> str:
    prims: list[str] = matrix["primitives"]
    head = "".join(f'<th scope="col"><a href="#diagram-{j}" style="color:inherit">{text(p)}</a></th>'
                   for j, p in enumerate(prims))
    rows = "\n".join(_row(i, t, prims) for i, t in enumerate(matrix["targets"]))
    return (f'<table class="matrix"><thead><tr><th>target</th><th>verdict</th>{head}</tr></thead>\n'
            f"<tbody>\n{rows}\n</tbody></table>")


# ---------------------------------------------------------------------------
# Violations
# ---------------------------------------------------------------------------


def _reproducer(path: object, out: Path) -> str:
    if not path:
        return ""
    p = Path(str(path))
    try:
        body = p.read_text(encoding="utf-8", errors="backslashreplace")
    except OSError as e:
        return f"<dt>reproducer</dt><dd><code>{text(p)}</code> (cannot be read: {text(e.strerror)})</dd>"
    try:
        href = p.resolve().relative_to(out.resolve()).as_posix()
        link = f'<a href="{text(href)}"><code>{text(p)}</code></a>'
    except ValueError:
        link = f"<code>{text(p)}</code>"
    lines = body.count("\n")
    return (f'<dt>reproducer</dt><dd>{link}<details class="repro"><summary>script ({lines} lines)</summary>'
            f"<pre>{text(body, REPRODUCER_LIMIT)}</pre></details></dd>")


def _violation(f: dict[str, Any], out: Path) -> str:
    allowed = "; ".join(str(a) for a in f.get("spec_allows") or []) or "nothing"
    log = "\n".join(str(e) for e in f.get("log") or [])
    return (
        '<div class="violation"><dl>'
        f"<dt>schedule</dt><dd><code>{text(f.get('schedule'))}</code></dd>"
        f"<dt>found by</dt><dd>{text(f.get('found_by'))} ({text(f.get('kind'))})</dd>"
        f"<dt>observed</dt><dd>{text(f.get('observed'))}</dd>"
        f"<dt>spec allows</dt><dd>{text(allowed)}</dd>"
        + (f"<dt>log</dt><dd><pre>{text(log)}</pre></dd>" if log else "")
        + _reproducer(f.get("reproducer"), out)
        + "</dl></div>"
    )


def _clause_group(clause: str, group: list[dict[str, Any]], out: Path) -> str:
    first, rest = group[0], group[1:]
    more = ""
    if rest:
        more = (f"<details><summary>{len(rest)} more violation{'s' if len(rest) != 1 else ''} of this "
                f"clause</summary>{''.join(_violation(f, out) for f in rest)}</details>")
    return (f'<details class="clause" open><summary>violation of <code>{text(clause)}</code> '
            f"({len(group)} found)</summary>"
            f'<blockquote class="quote">{text(first.get("quote") or "(no quoted sentence)")}</blockquote>'
            f"{_violation(first, out)}{more}</details>")


def _expected(f: dict[str, Any], out: Path) -> str:
    """A known deviation (``--expect``): its reason and upstream link (only an http(s) link is a link)."""
    issue = str(f.get("issue") or "")
    link = (f'<a href="{text(issue)}">{text(issue)}</a>' if issue.startswith(("https://", "http://"))
            else text(issue))
    return (f'<details class="clause expected-deviation"><summary>expected deviation of '
            f'<code>{text(f.get("clause"))}</code>: {text(f.get("reason"))} {link}</summary>'
            f'<blockquote class="quote">{text(f.get("quote") or "(no quoted sentence)")}</blockquote>'
            f"{_violation(f, out)}</details>")


def _cell_details(i: int, j: int, t: dict[str, Any], p: str, out: Path) -> str:
    cell = t["cells"][p]
    groups: dict[str, list[dict[str, Any]]] = {}
    for f in cell["failures"]:
        groups.setdefault(str(f.get("clause") or "(no clause)"), []).append(f)
    body = "".join(_clause_group(c, g, out) for c, g in groups.items())
    if cell["could_not_observe"]:
        items = "".join(f"<li>{text(u.get('reason'))}: <code>{text(u.get('schedule'))}</code></li>"
                        for u in cell["could_not_observe"])
        body += f"<p>Runs that could not be observed (not violations):</p><ul>{items}</ul>"
    body += "".join(_expected(f, out) for f in cell.get("expected", []))
    expected = len(cell.get("expected_clauses", []))
    heading = (f"{text(t['name'], 300)} — {text(p)}: {len(groups)} failed clause"
               f"{'s' if len(groups) != 1 else ''}, {_count(len(cell['failures']), 'violation')}"
               + (f", {_count(expected, 'expected deviation')}" if expected else ""))
    return f'<section class="cell-details" id="{_cell_id(i, j)}"><h3>{heading}</h3>{body}</section>'


def _details(matrix: dict[str, Any], out: Path) -> str:
    parts = [
        _cell_details(i, j, t, p, out)
        for i, t in enumerate(matrix["targets"]) if t.get("ran")
        for j, p in enumerate(matrix["primitives"]) if _has_details(t["cells"][p])
    ]
    return "\n".join(parts) if parts else "<p>No violations.</p>"


def _diagrams(matrix: dict[str, Any], svgs: dict[str, tuple[str, str]]) -> str:
    parts = []
    for j, p in enumerate(matrix["primitives"]):
        svg, caption = svgs.get(p, ("", "No diagram."))
        parts.append(f'<figure class="diagram" id="diagram-{j}"><h3>{text(p)}</h3>{svg}'
                     f"<figcaption>{text(caption)}</figcaption></figure>")
    return "\n".join(parts)


LEGEND = (
    '<p class="legend"><span class="passed">passed</span><span class="failed">failed: count of failed '
    'clauses</span><span class="expected">expected: known deviations (--expect)</span>'
    '<span class="incomplete">incomplete</span><span class="could-not-check">could not '
    'check</span><span class="not-applicable">not applicable</span><span class="norun">could not '
    "run</span></p>"
)


def render(matrix: dict[str, Any], svgs: dict[str, tuple[str, str]], out: Path) -> str:
    """The page for ``matrix`` (the contents of ``matrix.json``), with the diagrams ``svgs`` (from
    ``primitive_diagrams``); reproducer files are read from their paths, and linked relative to
    ``out`` when they are inside it."""
    opts = matrix.get("options", {})
    only = ", ".join(opts.get("only") or []) or "all"
    budget = opts.get("budget")
    summary = (f"{len(matrix['targets'])} targets × {len(matrix['primitives'])} primitives; wall time "
               f"{float(matrix['wall_seconds']):.1f} s; budget per target "
               f"{'check’s default' if budget is None else f'{budget:g} s'}; primitives: {only}; "
               f"started {matrix.get('started', '?')}")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>threadspec matrix</title>
<style>{CSS}</style></head><body>
<h1>threadspec matrix</h1>
<p class="summary">{text(summary)}</p>
{LEGEND}
{_table(matrix)}
<h2 id="violations">Violations</h2>
{_details(matrix, out)}
<h2 id="diagrams">State diagrams</h2>
{_diagrams(matrix, svgs)}
</body></html>
"""
