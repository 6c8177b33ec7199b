"""``threadspec doc``: the rendered reference, its diagrams, and its errors.

The browser test (``test_semaphore_page_in_headless_chromium``) opens a rendered page in headless
chromium and asserts on the DOM chromium built; set ``THREADSPEC_DOC_SCREENSHOT=PATH`` to keep
a copy of the screenshot it takes.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

import spec
from conformance import diagrams
from conformance.cli import main
from conformance.reference_html import changes_page, page_file
from conformance.reference_model import clause_sites, transition_table
from conformance.scenarios import lock as lock_scenarios
from conformance.scenarios import semaphore as sem_scenarios
from spec import semaphore as sem
from spec.clauses import REGISTRY, Clause
from spec.explore import explore
from spec.profiles import PY311, Strictness

DOT_MISSING = "Graphviz's dot is not installed (apt-get install -y graphviz)"
CHROMIUM_MISSING = "chromium is not installed (apt-get install -y chromium)"
needs_dot = pytest.mark.skipif(not diagrams.dot_available(), reason=DOT_MISSING)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not diagrams.dot_available():
        pytest.skip(DOT_MISSING)
    out = tmp_path_factory.mktemp("reference")
    assert main(["doc", "--output", str(out), "--profile", "3.11"]) == 0
    return out


# -- the exploration behind tables and diagrams --------------------------------------------


@pytest.mark.parametrize(
    "spec_,init,alphabet",
    [
        (sem.SEMAPHORE, sem_scenarios.INIT, sem_scenarios.EXPLORATION_ALPHABET),
        (spec.PRIMITIVES["Lock"], lock_scenarios.INIT, lock_scenarios.EXPLORATION_ALPHABET),
    ],
    ids=["Semaphore", "Lock"],
)
@pytest.mark.parametrize("strictness", list(Strictness), ids=lambda s: s.value)
def test_graph_reaches_exactly_the_states_spec_explore_reaches(spec_, init, alphabet, strictness) -> None:
    profile = PY311.with_strictness(strictness)
    graph = diagrams.explore_graph(spec_, profile, init, alphabet, threads=3, calls_per_thread=2)
    ex = explore(spec_, profile, init, alphabet, threads=3, calls_per_thread=2)
    assert set(graph.states) == ex.states
    assert len(graph.states) == len(ex.states)
    assert {e.clause for e in graph.edges} == ex.clauses
    # every edge is a transition the spec makes from its source state
    for e in graph.edges:
        if not e.internal:
            assert e.call is not None
            assert spec_.invoke(e.source, e.call).state == e.target


def test_semaphore_table_rows_state_their_conditions() -> None:
    table = transition_table(sem.SEMAPHORE, PY311)
    rows = {(r.op, r.internal, r.clause, r.outcome): r for r in table.rows}
    takes = rows[("acquire", False, sem.ACQUIRE_POSITIVE_COUNTER_DECREMENTS, "True")]
    assert takes.condition == "counter >= 1"
    assert {"acquire()", "acquire(False)"} <= takes.calls
    blocks = rows[("acquire", False, sem.ACQUIRE_ZERO_COUNTER_BLOCKS, "blocks")]
    assert blocks.condition == "counter = 0"
    assert blocks.levels == {"documented", "cpython"}
    woken = rows[("acquire", True, sem.RELEASE_WAKES_ONE_WAITER_PER_UNIT, "True")]
    assert woken.condition == "counter >= 1"
    # FIFO notification is CPython's, not the documentation's
    fifo = rows[("release", False, sem.RELEASE_WAKES_LONGEST_WAITING, "None")]
    assert fifo.levels == {"cpython"}
    assert [r for r in table.rows if r.op == "release" and r.outcome == "raises ValueError"]


def test_clause_sites_name_the_branch_that_cites_the_clause() -> None:
    sites = clause_sites()[sem.ACQUIRE_ZERO_COUNTER_BLOCKS]
    assert [(s.module, s.function) for s in sites] == [("spec.semaphore", "acquire")] * 2
    assert any(s.guards == ("limit is None",) for s in sites)
    bad = clause_sites()[sem.ACQUIRE_BAD_TIMEOUT_RAISES_WHEN_IT_MUST_WAIT]
    assert {s.guards[-1] for s in bad} == {"not is_number(limit)", "t > TIMEOUT_MAX"}


# -- diagrams -----------------------------------------------------------------------------


@needs_dot
def test_diagram_renders_one_svg_node_per_spec_state() -> None:
    bound = diagrams.diagram_bounds()["Semaphore"]
    graph = diagrams.diagram_graph(sem.SEMAPHORE, PY311, bound)
    svg = diagrams.render_svg(diagrams.to_dot(graph, "Semaphore"))
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert svg.count('class="node"') == len(graph.states)
    assert "counter=0" in svg


@needs_dot
def test_diagram_text_survives_quotes_backslashes_and_markup() -> None:
    graph = diagrams.StateGraph(start='a"b\\', states=['a"b\\'])
    svg = diagrams.render_svg(diagrams.to_dot(graph, 'title "quoted" <x>'))
    assert "title &quot;quoted&quot; &lt;x&gt;" in svg
    assert "state=&#39;a&quot;b\\\\&#39;" in svg  # repr('a"b\\') is 'a"b\\\\'


def test_every_primitive_has_a_diagram_bound() -> None:
    assert set(diagrams.diagram_bounds()) == set(spec.PRIMITIVES)


# -- the command ---------------------------------------------------------------------------


def test_doc_without_dot_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert main(["doc", "--output", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "dot is not on the PATH" in err and "apt-get install -y graphviz" in err


@needs_dot
def test_doc_into_an_unwritable_directory_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    assert main(["doc", "--output", str(blocker / "out")]) == 2
    assert f"cannot write to {blocker / 'out'}" in capsys.readouterr().err


def test_doc_unknown_profile_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["doc", "--output", str(tmp_path), "--profile", "4.2"]) == 2
    assert "no profile for Python 4.2" in capsys.readouterr().err


def test_doc_help_describes_the_pages(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["doc", "--help"])
    out = capsys.readouterr().out
    assert "--output DIR" in out and "--profile VERSION" in out and "state diagram" in out


# -- the pages -----------------------------------------------------------------------------


def test_one_page_per_primitive_and_clause_group(rendered: Path) -> None:
    names = {p.name for p in rendered.glob("*.html")}
    expected = {page_file(n) for n in spec.PRIMITIVES} | {page_file(c.primitive) for c in REGISTRY.values()}
    assert names == expected | {"index.html", "changes.html"}


def test_pages_are_self_contained_and_links_resolve(rendered: Path) -> None:
    anchors = {p.name: set(re.findall(r'id="([^"]+)"', p.read_text())) for p in rendered.glob("*.html")}
    for p in rendered.glob("*.html"):
        text = p.read_text()
        assert "<script" not in text.lower() and "http://" not in text.replace("http://www.w3.org", "")
        assert not re.search(r'(src|href)="(https?:)?//', text), p.name
        for target in set(re.findall(r'href="([^"]+)"', text)):
            file, _, frag = html.unescape(target).partition("#")
            file = file or p.name
            assert file in anchors, (p.name, target)
            assert not frag or frag in anchors[file], (p.name, target)


def test_every_clause_is_on_its_primitives_page_with_its_quote(rendered: Path) -> None:
    for c in REGISTRY.values():
        text = (rendered / page_file(c.primitive)).read_text()
        assert html.escape(c.quote) in text, c.id


def test_changes_page_lists_clauses_at_the_version_they_start_and_stop(rendered: Path) -> None:
    text = (rendered / "changes.html").read_text()
    release_n = text.index(sem.RELEASE_N_INCREMENTS_BY_N)
    assert text.index('id="v3.9"') < release_n < text.index('id="v3.10"')
    no_n = text.index(sem.RELEASE_NO_N_BEFORE_3_9)
    assert text.index('id="v3.9"') < no_n < text.index('id="v3.10"')


def test_page_text_is_escaped() -> None:
    hostile = Clause("Evil.op.x", "threading.Evil", "<script>alert(1)</script> & more", (3, 9), (3, 10))
    text = changes_page([hostile], PY311, ["Evil"])
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in text


# -- in a browser --------------------------------------------------------------------------


class _Cells(HTMLParser):
    """The text of every cell of the table whose class is ``wanted``, row by row; and whether an
    ``<svg>`` was seen inside the element with class ``diagram``."""

    def __init__(self, wanted: str) -> None:
        super().__init__()
        self.wanted, self.rows, self.depth, self.cell = wanted, list[list[str]](), 0, list[str]()
        self.in_cell = False
        self.svg_in_diagram, self.diagram_depth, self.svg_nodes = False, 0, 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "table" and self.wanted in classes:
            self.depth = 1
        elif tag == "table" and self.depth:
            self.depth += 1
        if self.depth and tag == "tr":
            self.rows.append([])
        if self.depth and tag in ("td", "th"):
            self.in_cell, self.cell = True, []
        if tag == "div" and "diagram" in classes:
            self.diagram_depth = 1
        elif tag == "div" and self.diagram_depth:
            self.diagram_depth += 1
        if tag == "svg" and self.diagram_depth:
            self.svg_in_diagram = True
        if tag == "g" and "node" in classes and self.diagram_depth:
            self.svg_nodes += 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag in ("td", "th") and self.in_cell:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.in_cell = False
        if tag == "table" and self.depth:
            self.depth -= 1
        if tag == "div" and self.diagram_depth:
            self.diagram_depth -= 1

    def handle_data(self, data: str) -> None:
        if self.in_cell:
            self.cell.append(data)


def _png_size_and_colours(path: Path) -> tuple[int, int, int]:
    """Width, height, and how many distinct byte values the image data has (1 for a blank image)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    idat, pos = b"", 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        if kind == b"IDAT":
            idat += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    return width, height, len(set(zlib.decompress(idat)))


def _chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.skip(CHROMIUM_MISSING)
    return exe


def _run_chromium(exe: str, *args: str) -> str:
    done = subprocess.run(
        [exe, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *args],
        capture_output=True, text=True, timeout=180, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_semaphore_page_in_headless_chromium(rendered: Path, tmp_path: Path) -> None:
    exe = _chromium()
    page = rendered / page_file(sem.PRIMITIVE)
    dom = _run_chromium(exe, "--dump-dom", page.as_uri())
    table = _Cells("transitions")
    table.feed(dom)
    header, *rows = table.rows
    assert header[0] == "operation" and header[2] == "outcome"
    blocks = [r for r in rows if r[0] == "acquire" and r[2] == "blocks"]
    assert len(blocks) == 1
    assert blocks[0][3].startswith(sem.ACQUIRE_ZERO_COUNTER_BLOCKS)
    quote = "If the internal counter is zero on entry, block until awoken by a call to release()."
    assert quote in blocks[0][3]
    assert "counter = 0" in blocks[0][1] and "acquire()" in blocks[0][1]
    raises = [r for r in rows if r[0] == "release" and r[2] == "raises ValueError"]
    assert any(r[3].startswith(sem.RELEASE_N_BELOW_ONE_RAISES) for r in raises)
    bound = diagrams.diagram_bounds()[sem.PRIMITIVE]
    drawn = diagrams.diagram_graph(sem.SEMAPHORE, PY311.with_strictness(Strictness.DOCUMENTED), bound)
    assert table.svg_in_diagram and table.svg_nodes == len(drawn.states)
    shot = tmp_path / "semaphore.png"
    _run_chromium(exe, f"--screenshot={shot}", "--window-size=1280,2000", page.as_uri())
    width, height, colours = _png_size_and_colours(shot)
    assert (width, height) == (1280, 2000) and colours > 16
    keep = os.environ.get("THREADSPEC_DOC_SCREENSHOT")
    if keep:
        shutil.copyfile(shot, keep)


@needs_dot
def test_doc_for_2_7_shows_its_own_semantics(tmp_path: Path) -> None:
    assert main(["doc", "--output", str(tmp_path), "--profile", "2.7"]) == 0
    lock = (tmp_path / "Lock.html").read_text()
    table = lock[lock.index('class="transitions"') : lock.index('id="clauses"')]
    assert "Lock.release.unlocked-raises-threaderror" in table
    assert "Lock.release.unlocked-raises-runtimeerror" not in table
    barrier = (tmp_path / "Barrier.html").read_text()
    assert "No transitions explored in this profile" in barrier and "raised AttributeError" in barrier
