"""State diagrams of a primitive's spec, generated from the spec's own exploration.

``explore_graph`` walks a spec breadth-first exactly as ``spec.explore.explore`` does (every
idle thread with calls left may make any call of an alphabet; every wakeup and expiry the
spec enables may happen), but keeps the edges: each is one transition of the spec, with the
call, its outcome and the clause the spec cites for it. ``to_dot`` draws the graph of spec
states (the exploration's nodes projected onto the spec's state) in Graphviz's DOT, and
``render_svg`` runs ``dot -Tsvg`` on it. The reference pages (``conformance/reference.py``)
use all three; a report can too.
"""

from __future__ import annotations

import dataclasses
import enum
import re
import shutil
import subprocess
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from spec.core import Blocked, Done, PrimitiveSpec
from spec.profiles import Profile
from spec.values import ENV, Call, Outcome, Raised, ThreadId

CallMaker = Callable[[ThreadId], Call]

BLOCKS = "blocks"
"""The outcome text of a call that does not complete at once."""

INSTALL_HINT = "install Graphviz: apt-get install -y graphviz (or brew install graphviz)"


class GraphvizMissing(RuntimeError):
    """Graphviz's ``dot`` is not on the PATH."""


# ---------------------------------------------------------------------------
# The exploration, with its edges
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Edge:
    """One transition the exploration took: from spec state ``source`` to ``target``.

    ``call`` is the call made (for an internal step, the pending call that it completes or
    advances, when known); ``internal`` says the step was a wakeup, an expiry or the
    environment moving rather than an invocation; ``outcome`` is what the call returned or
    raised, ``BLOCKS``, or ``None`` for an internal step that completes nothing.
    """

    source: Any
    target: Any
    thread: ThreadId
    call: Call | None
    outcome: Outcome | None | str
    clause: str
    internal: bool = False


@dataclass(frozen=True, slots=True)
class _Node:
    state: Any
    pending: tuple[tuple[ThreadId, Call], ...]
    budget: tuple[int, ...]


@dataclass
class StateGraph:
    """What ``explore_graph`` found: the start state, every spec state reached (in the order
    first reached), every distinct edge between them, and the number of exploration nodes."""

    start: Any
    states: list[Any] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    nodes: int = 0

    def index(self) -> dict[Any, int]:
        return {s: i for i, s in enumerate(self.states)}


def _invocations(
    spec: PrimitiveSpec[Any], node: _Node, alphabet: Sequence[CallMaker]
) -> Iterator[tuple[_Node, Edge]]:
    pending = dict(node.pending)
    for t in range(len(node.budget)):
        if t in pending or node.budget[t] == 0:
            continue
        budget = node.budget[:t] + (node.budget[t] - 1,) + node.budget[t + 1 :]
        for make in alphabet:
            c = make(t)
            r = spec.invoke(node.state, c)
            if isinstance(r, Done):
                yield _Node(r.state, node.pending, budget), Edge(
                    node.state, r.state, t, c, r.outcome, r.clause
                )
            elif isinstance(r, Blocked):
                waiting = tuple(sorted({**pending, t: c}.items()))
                yield _Node(r.state, waiting, budget), Edge(node.state, r.state, t, c, BLOCKS, r.clause)


def _internal(spec: PrimitiveSpec[Any], node: _Node) -> Iterator[tuple[_Node, Edge]]:
    pending = dict(node.pending)
    for step in spec.internal_steps(node.state):
        edge = Edge(node.state, step.state, step.thread, pending.get(step.thread), step.outcome,
                    step.clause, internal=True)
        if step.thread == ENV and step.outcome is None:
            yield dataclasses.replace(node, state=step.state), edge
            continue
        if step.thread not in pending:
            continue  # spec.explore reports this as a violation; the spec's tests pin that it never happens
        rest = {k: v for k, v in pending.items() if k != step.thread or step.outcome is None}
        yield _Node(step.state, tuple(sorted(rest.items())), node.budget), edge


def explore_graph(
    spec: PrimitiveSpec[Any],
    profile: Profile,
    init: Call,
    alphabet: Sequence[CallMaker],
    threads: int,
    calls_per_thread: int,
    limit: int = 200_000,
) -> StateGraph:
    """Explore like ``spec.explore.explore`` and keep the graph of spec states and transitions.

    Raises:
      ValueError: the constructor call raises in this profile (the object cannot be made).
      RuntimeError: more than ``limit`` exploration nodes are reachable.
    """
    created = spec.create(profile, init)
    if created.state is None:
        raise ValueError(f"{spec.name} constructor {init!r} {created.outcome!r} in {profile}")
    start = _Node(created.state, (), (calls_per_thread,) * threads)
    graph = StateGraph(created.state, [created.state])
    known_states = {created.state}
    known_edges: set[tuple[Any, Any, ThreadId, Call | None, Any, str]] = set()
    seen = {start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        graph.nodes += 1
        if graph.nodes > limit:
            raise RuntimeError(f"exploration of {spec.name} exceeded {limit} nodes")
        for nxt, edge in [*_invocations(spec, node, alphabet), *_internal(spec, node)]:
            key = (edge.source, edge.target, edge.thread, edge.call, edge.outcome, edge.clause)
            if key not in known_edges:
                known_edges.add(key)
                graph.edges.append(edge)
            if nxt.state not in known_states:
                known_states.add(nxt.state)
                graph.states.append(nxt.state)
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return graph


# ---------------------------------------------------------------------------
# Labels
# ---------------------------------------------------------------------------


def compact(v: Any) -> str:
    """A short, readable text for a value of a spec state: an enum by its member name, a
    dataclass by its first field and the fields that differ from their defaults, a tuple by
    its items."""
    if isinstance(v, enum.Enum):
        return v.name.lower()
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        fields = [f for f in dataclasses.fields(v) if f.name != "profile"]
        parts: list[str] = []
        for i, f in enumerate(fields):
            value = getattr(v, f.name)
            if i == 0:
                parts.append(compact(value))
            elif f.default is not dataclasses.MISSING and value == f.default:
                continue
            elif value is True:
                parts.append(f.name)
            elif value is False:
                continue
            else:
                parts.append(f"{f.name}={compact(value)}")
        return f"{type(v).__name__}({', '.join(parts)})"
    if isinstance(v, (tuple, list)):
        return f"({', '.join(compact(x) for x in v)}{',' if len(v) == 1 else ''})"
    if isinstance(v, frozenset):
        return "{" + ", ".join(sorted(compact(x) for x in v)) + "}"
    return repr(v)


def state_fields(state: Any) -> list[tuple[str, str]]:
    """``(field, value)`` texts for the fields of a spec state (its profile left out)."""
    if not dataclasses.is_dataclass(state):
        return [("state", compact(state))]
    return [
        (f.name, compact(getattr(state, f.name))) for f in dataclasses.fields(state) if f.name != "profile"
    ]


def constant_fields(states: Sequence[Any]) -> list[tuple[str, str]]:
    """The fields that have one value in every state of ``states``, with that value."""
    if not states:
        return []
    first = state_fields(states[0])
    rest = [dict(state_fields(s)) for s in states[1:]]
    return [(k, v) for k, v in first if all(r.get(k) == v for r in rest)]


def state_lines(state: Any, omit: Sequence[str] = ()) -> list[str]:
    """One ``field=value`` line per field of a spec state, except those named in ``omit``."""
    return [f"{k}={v}" for k, v in state_fields(state) if k not in omit] or ["(no other fields)"]


def outcome_text(outcome: Outcome | None | str) -> str:
    """``True``, ``raises ValueError``, ``blocks``; ``moves on`` for a silent internal step."""
    if outcome is None:
        return "moves on"
    if isinstance(outcome, str):
        return outcome
    if isinstance(outcome, Raised):
        return f"raises {outcome.exc}"
    warning = f" (warns {outcome.warning})" if outcome.warning else ""
    return f"{compact(outcome.value)}{warning}"


def edge_label(e: Edge) -> str:
    """``t1.acquire() -> returned True``; an internal step reads ``[t1 wakeup: returned True]``."""
    if e.internal:
        who = "env" if e.thread == ENV else f"t{e.thread}"
        what = e.clause.split(".", 2)[-1]
        return f"[{who} {what}: {outcome_text(e.outcome)}]"
    call_text = repr(e.call) if e.call is not None else f"t{e.thread}.?"
    return f"{call_text} -> {outcome_text(e.outcome)}"


# ---------------------------------------------------------------------------
# DOT and SVG
# ---------------------------------------------------------------------------


def _dot_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\l") + '"'


def to_dot(graph: StateGraph, title: str, max_labels: int = 3, fine: bool = False) -> str:
    """The graph in Graphviz's DOT: one box per spec state (its fields, one per line; the
    start state drawn bold), one arrow per pair of states, labelled with up to ``max_labels``
    of the transitions between them. Self-loops (calls that leave the state as it was) are
    left out unless ``fine``."""
    idx = graph.index()
    fixed = constant_fields(graph.states) if len(graph.states) > 1 else []
    constant = [k for k, _ in fixed]
    if fixed:
        title += "\nin every state: " + ", ".join(f"{k}={v}" for k, v in fixed)
    lines = [
        "digraph spec {",
        f"  graph [label={_dot_string(title + chr(10))}, labelloc=t, fontname=Helvetica, fontsize=12];",
        "  node [shape=box, style=rounded, fontname=Courier, fontsize=10];",
        "  edge [fontname=Helvetica, fontsize=8, color=gray30];",
    ]
    for i, s in enumerate(graph.states):
        style = ", penwidth=2.5" if s == graph.start else ""
        label = _dot_string("\n".join(state_lines(s, constant)) + "\n")
        lines.append(f"  s{i} [label={label}{style}];")
    grouped: dict[tuple[int, int], list[str]] = {}
    for e in graph.edges:
        a, b = idx[e.source], idx[e.target]
        if a == b and not fine:
            continue
        labels = grouped.setdefault((a, b), [])
        text = edge_label(e)
        if text not in labels:
            labels.append(text)
    for (a, b), labels in grouped.items():
        more = [f"... {len(labels) - max_labels} more"] if len(labels) > max_labels else []
        shown = labels[:max_labels] + more
        internal = all(x.startswith("[") for x in labels)
        style = ", style=dashed" if internal else ""
        lines.append(f"  s{a} -> s{b} [label={_dot_string(chr(10).join(shown) + chr(10))}{style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def dot_available() -> bool:
    return shutil.which("dot") is not None


_PROLOGUE = re.compile(r"\A.*?(?=<svg\b)", re.S)


def render_svg(dot_source: str, timeout: float = 60.0) -> str:
    """Run Graphviz ``dot -Tsvg`` on ``dot_source`` and return the ``<svg>`` element alone
    (no XML prologue or doctype), ready to be inlined in an HTML page.

    Raises:
      GraphvizMissing: ``dot`` is not installed.
      RuntimeError: ``dot`` failed.
    """
    exe = shutil.which("dot")
    if exe is None:
        raise GraphvizMissing(f"Graphviz's dot is not on the PATH; {INSTALL_HINT}")
    done = subprocess.run(
        [exe, "-Tsvg"], input=dot_source, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"dot -Tsvg failed ({done.returncode}): {done.stderr.strip()[:500]}")
    return _PROLOGUE.sub("", done.stdout, count=1).strip()


# ---------------------------------------------------------------------------
# The bound each primitive's diagram is drawn at
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Bound:
    """An exploration bound: the object ``init`` builds, ``threads`` threads making up to
    ``calls_per_thread`` calls each, drawn from ``alphabet``."""

    init: Call
    alphabet: tuple[CallMaker, ...]
    threads: int = 2
    calls_per_thread: int = 2

    def text(self) -> str:
        calls = ", ".join(repr(a) for a in self.alphabet)
        return (f"{self.init!r}; {self.threads} threads making up to {self.calls_per_thread} "
                f"calls each, drawn from {calls}")


def diagram_bounds() -> dict[str, Bound]:
    """Small bounds that keep each primitive's diagram readable (a few dozen states at most)."""
    from conformance.scenario import EnvironmentCall
    from conformance.scenarios import thread as thread_scenarios
    from conformance.scenarios import thread_subclass as subclass_scenarios
    from spec.values import call, template

    def init(*args: Any, **kwargs: Any) -> Call:
        return call(0, "__init__", *args, **kwargs)

    acquire, release = template("acquire"), template("release")
    opened = EnvironmentCall(thread_scenarios.OPEN)
    return {
        "Lock": Bound(init(), (acquire, template("acquire", False), release)),
        "RLock": Bound(init(), (acquire, release)),
        "_PyRLock": Bound(init(), (acquire, release)),
        "Condition": Bound(init(), (acquire, release, template("wait"), template("notify"))),
        "Semaphore": Bound(init(1), (acquire, template("acquire", False), release)),
        "BoundedSemaphore": Bound(init(1), (acquire, release)),
        "Event": Bound(init(), (template("wait"), template("set"), template("clear"))),
        "Barrier": Bound(init(2), (template("wait"), template("reset"), template("abort"))),
        "Thread": Bound(thread_scenarios.INIT, (template("start"), template("join"), opened), 1, 3),
        "Timer": Bound(thread_scenarios.TIMER_INIT, (template("start"), template("cancel"), opened), 1, 3),
        "ThreadSubclass": Bound(subclass_scenarios.INIT, (template("start"), template("join"), opened), 1, 3),
        "local": Bound(init(), (template("get:x"), template("set:x", 1), template("del:x")), 2, 1),
        "LocalSubclass": Bound(init(5, "five"), (template("get:args"), template("set:args", 1)), 2, 1),
    }


def diagram_graph(spec: PrimitiveSpec[Any], profile: Profile, bound: Bound) -> StateGraph:
    """Explore ``spec`` at ``bound`` (see ``explore_graph``)."""
    return explore_graph(spec, profile, bound.init, bound.alphabet, bound.threads, bound.calls_per_thread)
