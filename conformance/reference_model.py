"""What the rendered reference says about a primitive, gathered from the spec itself.

* the abstract state: the spec's ``State`` dataclass, its fields, and the dataclasses and
  enums those fields hold (from their docstrings and annotations);
* the transition table: every (operation, clause, outcome) that the spec's own exploration
  takes (``conformance.diagrams.explore_graph`` over each random-schedule alphabet of
  ``conformance.scenarios``, at both strictness levels), with the states it was taken in,
  the calls that took it, and the source lines of the spec that cite the clause (the
  ``# clause X`` comments that the spec's style puts on every branch);
* the clauses, their versions, and which of them the exploration never reached.

``conformance/reference_html.py`` renders it; ``conformance/reference.py`` is the command.
"""

from __future__ import annotations

import ast
import dataclasses
import enum
import importlib
import inspect
import pkgutil
import re
import sys
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from types import ModuleType
from typing import Any

import spec as spec_package
from conformance.diagrams import BLOCKS, CallMaker, Edge, compact, explore_graph, outcome_text
from spec.clauses import REGISTRY, Clause
from spec.core import PrimitiveSpec
from spec.profiles import Profile, Strictness
from spec.values import ENV, Call, CallTemplate

TABLE_THREADS = 2
TABLE_CALLS_PER_THREAD = 2
TABLE_LIMIT = 100_000
"""The bound of the exploration behind the transition tables (per alphabet and strictness)."""

# ---------------------------------------------------------------------------
# Abstract state
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldDoc:
    name: str
    type_text: str
    default: str


@dataclass(frozen=True)
class TypeDoc:
    """A dataclass or enum of a spec state: its docstring, fields or members."""

    name: str
    module: str
    doc: str
    fields: tuple[FieldDoc, ...] = ()
    members: tuple[str, ...] = ()


def _annotation_texts(cls: type) -> dict[str, str]:
    out: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        out.update({k: v if isinstance(v, str) else getattr(v, "__name__", repr(v))
                    for k, v in getattr(klass, "__annotations__", {}).items()})
    return out


def _nested_types(hint: Any) -> Iterable[type]:
    if isinstance(hint, type):
        yield hint
    for arg in typing.get_args(hint):
        yield from _nested_types(arg)


def type_docs(state_type: type) -> list[TypeDoc]:
    """``state_type`` and every dataclass or enum of ``spec`` reachable through its fields'
    annotations, each once, state type first."""
    out: list[TypeDoc] = []
    seen: set[type] = set()
    todo: list[type] = [state_type]
    while todo:
        cls = todo.pop(0)
        if cls in seen or not cls.__module__.startswith("spec") or cls is Profile:
            continue
        seen.add(cls)
        doc = inspect.cleandoc(cls.__doc__ or "")
        if isinstance(cls, type) and issubclass(cls, enum.Enum):
            out.append(TypeDoc(cls.__name__, cls.__module__, doc, members=tuple(m.name for m in cls)))
            continue
        if not dataclasses.is_dataclass(cls):
            continue
        texts = _annotation_texts(cls)
        try:
            hints = typing.get_type_hints(cls, vars(sys.modules[cls.__module__]))
        except (NameError, TypeError):
            hints = {}
        fields = []
        for f in dataclasses.fields(cls):
            default = "" if f.default is dataclasses.MISSING else compact(f.default)
            fields.append(FieldDoc(f.name, texts.get(f.name, "?"), default))
            todo.extend(_nested_types(hints.get(f.name)))
        out.append(TypeDoc(cls.__name__, cls.__module__, doc, tuple(fields)))
    return out


# ---------------------------------------------------------------------------
# Where the spec cites a clause
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    """A ``# clause X`` comment of the spec: the function it is in, the ``if`` tests that
    guard the branch it labels (``not (...)`` for an ``else``), and its line."""

    module: str
    function: str
    guards: tuple[str, ...]
    line: int

    def text(self) -> str:
        where = f"{self.module.removeprefix('spec.')}.{self.function}"
        return where + (": " + " and ".join(self.guards) if self.guards else "")


_CLAUSE_COMMENT = re.compile(r"^\s*# clause (\S+)\s*$")


def _guards(tree: ast.AST, line: int) -> tuple[str, list[str]]:
    """The function around ``line`` and the ``if`` tests on the way down to it."""
    function, guards = "<module>", list[str]()
    node: ast.AST = tree
    while True:
        for child in ast.iter_child_nodes(node):
            end = getattr(child, "end_lineno", None)
            if end is None or not (child.lineno <= line <= end):  # type: ignore[attr-defined]
                continue
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                function, guards = child.name, []
            elif isinstance(child, ast.If):
                test = ast.unparse(child.test)
                first, last = child.body[0].lineno, child.body[-1].end_lineno or 0
                in_body = first <= line <= last
                guards.append(test if in_body else f"not ({test})")
            node = child
            break
        else:
            return function, guards


@cache
def clause_sites() -> dict[str, tuple[Site, ...]]:
    """Every ``# clause X`` comment in the ``spec`` package, by clause id."""
    sites: dict[str, list[Site]] = {}
    for info in pkgutil.iter_modules(spec_package.__path__):
        module = importlib.import_module(f"spec.{info.name}")
        source = inspect.getsource(module)
        tree = ast.parse(source)
        lines = source.splitlines()
        for i, text in enumerate(lines, start=1):
            m = _CLAUSE_COMMENT.match(text)
            if not m:
                continue
            target = next((j for j in range(i + 1, len(lines) + 1) if lines[j - 1].strip()
                           and not lines[j - 1].strip().startswith("#")), i)
            function, guards = _guards(tree, target)
            sites.setdefault(m.group(1), []).append(Site(module.__name__, function, tuple(guards), i))
    return {k: tuple(v) for k, v in sites.items()}


# ---------------------------------------------------------------------------
# The transition table
# ---------------------------------------------------------------------------


@dataclass
class Row:
    """One (operation, clause, outcome) that the exploration took, and where."""

    op: str
    internal: bool
    clause: str
    outcome: str
    calls: set[str] = field(default_factory=set)
    levels: set[str] = field(default_factory=set)
    before: list[Any] = field(default_factory=list)
    condition: str = ""

    def key(self) -> tuple[str, bool, str, str]:
        return (self.op, self.internal, self.clause, self.outcome)


def _call_text(c: Call | None) -> str:
    if c is None:
        return "?"
    if c.thread == ENV:
        return repr(c)
    return repr(CallTemplate(c.op, c.args, c.kwargs))


def _row_key(e: Edge) -> tuple[str, bool, str, str]:
    if e.internal:
        op = e.call.op if e.call is not None and e.thread != ENV else "(environment)"
    else:
        op = e.call.op if e.call is not None and e.call.thread != ENV else "(environment)"
    return (op, e.internal, e.clause, outcome_text(e.outcome))


def _features(state: Any) -> dict[str, Any]:
    """What a condition can say about a state: a scalar field's value, a collection's size."""
    if not dataclasses.is_dataclass(state):
        return {}
    out: dict[str, Any] = {}
    for f in dataclasses.fields(state):
        if f.name == "profile":
            continue
        v = getattr(state, f.name)
        if isinstance(v, (tuple, frozenset, list)):
            out[f"len({f.name})"] = len(v)
        elif v is None or isinstance(v, (bool, int, float, str, enum.Enum)):
            out[f.name] = v
    return out


def _feature_text(name: str, row: set[Any], everywhere: set[Any]) -> str | None:
    if row == everywhere:
        return None
    if name.startswith("len("):
        base = name[4:-1]
        if row == {0}:
            return f"{base} empty"
        if 0 not in row and 0 in everywhere:
            return f"{base} not empty"
        return None  # a size the bound of the exploration limits says nothing about the spec
    values = sorted(row, key=repr)
    if len(values) == 1:
        return f"{name} = {compact(values[0])}"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values + list(everywhere)):
        low = min(values)
        if row == {v for v in everywhere if v >= low}:
            return f"{name} >= {low}"
    return f"{name} in {{{', '.join(compact(v) for v in values)}}}"


def _feature_sets(states: Iterable[Any]) -> dict[str, set[Any]]:
    out: dict[str, set[Any]] = {}
    for s in states:
        for k, v in _features(s).items():
            out.setdefault(k, set()).add(v)
    return out


def describe(row: Row, everywhere: dict[str, set[Any]]) -> str:
    """The fields on which the states ``row`` was taken in differ from ``everywhere`` (the
    states in which any step of the same kind, invocation or internal, was taken)."""
    parts = [
        t for k, vs in _feature_sets(row.before).items() if (t := _feature_text(k, vs, everywhere.get(k, vs)))
    ]
    return "; ".join(parts) if parts else "any state explored"


def _alphabets(name: str) -> list[tuple[Call, tuple[CallMaker, ...]]]:
    """The random-schedule alphabets of ``conformance.scenarios`` for ``name`` (calls made
    back to back left out: each of them is in the alphabet on its own too)."""
    from conformance.scenario import BackToBackTemplate
    from conformance.scenarios import load_generators

    wanted = "RLock" if name == "_PyRLock" else name
    return [
        (g.init, tuple(a for a in g.alphabet if not isinstance(a, BackToBackTemplate)))
        for g in load_generators()
        if g.primitive == wanted
    ]


@dataclass
class Table:
    rows: list[Row]
    explorations: list[str]
    states: int
    failed: list[str]


def transition_table(spec: PrimitiveSpec[Any], version: Profile) -> Table:
    """Explore ``spec`` in ``version`` at both strictness levels over every alphabet of its
    random schedules, and collect the (operation, clause, outcome) rows it took."""
    rows: dict[tuple[str, bool, str, str], Row] = {}
    done: list[str] = []
    failed: list[str] = []
    states: set[Any] = set()
    sources: dict[bool, set[Any]] = {False: set(), True: set()}
    for level in Strictness:
        profile = version.with_strictness(level)
        for init, alphabet in _alphabets(spec.name):
            try:
                g = explore_graph(spec, profile, init, alphabet, TABLE_THREADS, TABLE_CALLS_PER_THREAD,
                                  limit=TABLE_LIMIT)
            except (ValueError, RuntimeError) as e:
                if str(e) not in failed:
                    failed.append(str(e))
                continue
            done.append(f"{init!r} at {level.value} strictness: {len(g.states)} states, {g.nodes} nodes")
            states.update(g.states)
            for edge in g.edges:
                sources[edge.internal].add(edge.source)
                key = _row_key(edge)
                row = rows.setdefault(key, Row(*key))
                row.calls.add(_call_text(edge.call))
                row.levels.add(level.value)
                if len(row.before) < 2000:
                    row.before.append(edge.source)
    everywhere = {kind: _feature_sets(sources[kind]) for kind in sources}
    order = {op: i for i, op in enumerate(spec.ops(version))}
    ordered = sorted(rows.values(), key=lambda r: (order.get(r.op, len(order)), r.op, r.internal,
                                                   outcome_order(r.outcome), r.clause, r.outcome))
    for r in ordered:
        r.condition = describe(r, everywhere[r.internal])
        r.before = []
    return Table(ordered, done, len(states), failed)


def outcome_order(outcome: str) -> int:
    return 1 if outcome == BLOCKS else 2 if outcome.startswith("raises") else 0


# ---------------------------------------------------------------------------
# Clauses
# ---------------------------------------------------------------------------


def clauses_of(primitive: str) -> list[Clause]:
    assert spec_package.PRIMITIVES  # importing spec fills the registry
    return [c for c in REGISTRY.values() if c.primitive == primitive]


def spec_module(spec: PrimitiveSpec[Any]) -> ModuleType:
    return sys.modules[spec.invoke.__module__]


def state_type(spec: PrimitiveSpec[Any], init: Call, profiles: Sequence[Profile]) -> type | None:
    """The class of ``spec``'s states (made by ``init`` in the first profile that can)."""
    for p in profiles:
        made = spec.create(p, init)
        if made.state is not None:
            return type(made.state)
    return None
