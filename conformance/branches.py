"""Branch coverage of the spec: which clause-citing results of ``spec/`` explained a run.

A clause reported ``passed`` says that *some* branch citing it explained an observation; a
transition often cites one clause from several branches (an attribute read that returns 0 when
nobody waits and the exact count while threads wait). This module measures the branches
themselves.

* A *branch* is a place in ``spec/*.py`` that builds a transition result citing a clause:
  a ``Done``, ``Blocked`` or ``Step`` (``spec.core``), or an object of another spec dataclass
  with a ``clause`` field that a result is later made from (``barrier.Move``,
  ``rlock.Option``), paired with the clause it cites. ``static_branches`` finds them with
  ``ast``; a construction whose clause is an expression with several constants (``which = A
  if ... else B``) is one branch per constant; one whose clause cannot be resolved statically
  (a parameter, a loop variable) is one branch with clause ``*``; one that passes on the
  clause of another result (``Done(r.outcome, s, r.clause)``) is no branch of its own: the
  result it relays keeps its first site.
* While measuring (``measuring()``), those classes record where they were built: their
  ``clause`` becomes a ``Sited`` string (equal to the clause id, so nothing else changes),
  and the checker adds a token ``@file:line#clause`` beside the clause to the path of every
  configuration a step took. Off, nothing is patched and the checker only tests a type.
* A branch counts as *exercised* only when its token is on the path of a configuration that
  the run's observations kept (``Checker.exercised_clauses``: consistent with every outcome
  observed, and owing none it has not seen). A branch evaluated for a candidate configuration
  that an observation then rejected does not count, nor does a step taken speculatively for a
  call that never completed (a configuration still owing an outcome).
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import fnmatch
import functools
import importlib
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType, ModuleType
from typing import Any

import spec
from spec.clauses import REGISTRY

SPEC_DIR = Path(spec.__file__).resolve().parent
TOKEN = "@"
"""Exercised-set entries that start with this are branch tokens, not clause ids."""
ANY = "*"
"""The clause of a branch whose clause is not known statically."""

DOCUMENTED = (
    "documented strictness only: the branch is the documentation's wider reading, taken when the "
    "profile is not CPython's; a default check of CPython runs at cpython strictness"
)
PY2 = "2.7 only: the profile's version guards the branch"
SINCE_3_14 = "the op exists from 3.14 (locked()); earlier the call is an AttributeError"
CONTEXT_3_14 = "3.14 only: a thread's run() in the context given by Thread(context=...) (no 3.14 here)"
BEFORE_3_8 = "before 3.8 only (threading.excepthook is not there yet)"
HARNESS = (
    "rejects a malformed harness call (an environment call, or get:/set:/del: with arguments) "
    "that the agent never sends: it refuses such a call itself"
)
REFUSAL = (
    "refuses an environment report: the checker accepts an environment call only when the spec "
    "returns from it, so this branch explains no run of a conforming target (it is the violation "
    "of one that deviates)"
)
NOT_YET = (
    "a placeholder for a call that cannot have been made yet: nothing wakes it, so the target's "
    "completion always rules the configuration out"
)
NOT_MODELLED = (
    "a call the spec does not model (the thread's own run() or module function): no scenario makes it"
)
OVER_APPROXIMATED = (
    "not a real branch: the static enumeration over-approximates the clause expression ({why})"
)
RACE = "a race window no schedule forces ({why})"
SPEC_GAP = (
    "a Timer's run() called directly: the spec gives the run() call no timeout (timer_timeout is "
    "None for it), so the checker never lets its interval pass and a conforming Timer is reported "
    "early; needs spec/thread.py to give run() the interval (owned by another helper)"
)

CANNOT: dict[str, str] = {
    "spec/barrier.py:_release#Barrier.wait.action-called-before-release@1": DOCUMENTED,
    "spec/barrier.py:_release#Barrier.wait.releases-all-with-distinct-indices@1": DOCUMENTED,
    "spec/barrier.py:_release#Barrier.wait.releases-all-with-distinct-indices@2": OVER_APPROXIMATED.format(
        why="given releases-all-with-distinct-indices, the branch cites index-is-arrival-order"
    ),
    "spec/barrier.py:_action_failed#Barrier.wait.action-*@1": DOCUMENTED,
    "spec/barrier.py:get_n_waiting#Barrier.n_waiting.reports@3": DOCUMENTED,
    "spec/barrier.py:invoke#Barrier.call.bad-arguments-raise-typeerror@1": HARNESS,
    "spec/barrier.py:wakeups#Barrier.wait.action-error-breaks@1": DOCUMENTED
    + " (only then is an action error owed)",
    "spec/condition.py:create#Condition.init.bad-arguments-raise@[23]": PY2,
    "spec/condition.py:wait#Condition.wait.unowned-raises@2": DOCUMENTED + " (ownership undecided)",
    "spec/condition.py:wait_for#Condition.wait.unowned-raises@[13]": DOCUMENTED
    + " (ownership undecided; @1: a wait_for by a thread not holding the lock, before its predicate)",
    "spec/condition.py:_notifier#Condition.notify*.unowned-raises@2": DOCUMENTED + " (ownership undecided)",
    "spec/condition.py:environment#Condition.call.bad-arguments-raise-typeerror@1": HARNESS,
    "spec/condition.py:_notification_steps#*": DOCUMENTED,
    "spec/condition.py:_extra_wakeups#*": DOCUMENTED,
    "spec/condition.py:_undecided_steps#*": DOCUMENTED + " (ownership undecided)",
    "spec/condition_lock.py:locked#*": SINCE_3_14,
    "spec/local.py:invoke#local.call.bad-arguments@2": HARNESS,
    "spec/module.py:count#module.enumerate.lists-alive-threads@2": OVER_APPROXIMATED.format(
        why="enumerate returns above it, under default-names-distinct"
    ),
    "spec/module.py:excepthook#module.call.bad-name-or-arguments@1": BEFORE_3_8,
    "spec/module.py:get_attribute#module.call.bad-name-or-arguments@1": HARNESS,
    "spec/module.py:get_attribute#module.call.bad-name-or-arguments@2": BEFORE_3_8,
    "spec/module.py:set_excepthook#module.call.bad-name-or-arguments@1": HARNESS,
    "spec/module.py:open_gate#module.call.bad-name-or-arguments@1": HARNESS,
    "spec/rlock.py:create#RLock.init.factory-accepts-arguments@[12]": PY2,
    "spec/rlock.py:locked#*": SINCE_3_14,
    "spec/semaphore.py:wakeups#Semaphore.release.wakes-one-waiter-per-unit@2": DOCUMENTED,
    "spec/semaphore.py:expiries#Semaphore.acquire.timeout-returns-false@1": RACE.format(
        why="a timed waiter no release notified must time out while the counter is positive, "
        "between a release and the notified waiter's wakeup"
    ),
    "spec/thread.py:join#Thread.join.undefined-timeout@1": DOCUMENTED,
    "spec/thread.py:join#Thread.join.undefined-timeout@3": PY2 + " (2.7 waits on an undefined timeout)",
    "spec/thread.py:_joiner_steps#Thread.join.undefined-timeout@*": DOCUMENTED
    + " (an undefined-timeout joiner)",
    "spec/thread.py:_joiner_steps#Thread.join.rejected-timeout-marks-stopped@1": DOCUMENTED
    + " (an undefined-timeout joiner)",
    "spec/thread.py:own_call#Thread.call.bad-arguments@1": NOT_MODELLED,
    "spec/thread.py:own_call#Thread.start.runs-in-new-thread@1": NOT_YET,
    "spec/thread.py:own_call#Timer.run.calls-function-after-interval@1": NOT_YET,
    "spec/thread.py:own_call#Thread.run.calls-target@1": NOT_YET,
    "spec/thread.py:own_call#Thread.run.end-terminates-thread@1": NOT_YET,
    "spec/thread.py:entered#Thread.call.bad-arguments@1": HARNESS,
    "spec/thread.py:entered#Thread.run.exception-calls-excepthook@1": REFUSAL,
    "spec/thread.py:entered#Thread.run.calls-target@[12]": REFUSAL,
    "spec/thread.py:entered#Timer.run.calls-function-after-interval@1": REFUSAL,
    "spec/thread.py:entered#Thread.run.excepthook-gets-the-exception-and-thread@1": REFUSAL,
    "spec/thread.py:entered#Timer.run.function-called-with-arguments@1": REFUSAL,
    "spec/thread.py:entered#ThreadSubclass.run.override-replaces-target@[12]": REFUSAL,
    "spec/thread.py:entered#[*]@1": REFUSAL,
    "spec/thread.py:entered#[*]@2": REFUSAL,  # a run() outside the context it was given (3.14)
    "spec/thread.py:entered#[*]@3": CONTEXT_3_14,
    "spec/thread.py:exited#Thread.call.bad-arguments@1": HARNESS,
    "spec/thread.py:exited#Thread.run.end-terminates-thread@1": REFUSAL,
    "spec/timer.py:run#Timer.run.calls-function-after-interval@1": SPEC_GAP,
}
"""Branches (``Branch.key`` globs) that no default check of the host (CPython 3.11 at cpython
strictness) can exercise, with the reason. ``--coverage`` prints them apart, and only while
they stay unexercised; clauses of known bugs (a race no schedule forces) are added by
``cannot_reason``, as are those of clauses no target here can reach (``Clause.unexercisable``)."""


UNCLOSED: dict[str, str] = {}
"""Branches a default check misses that are neither closed by a scenario nor known to be out of
reach: printed with the missed ones, with what is known."""


class Sited(str):
    """A clause id that remembers the branch that cited it first (``token``)."""

    token: str

    def __new__(cls, clause: str, site: str) -> Sited:
        s = super().__new__(cls, clause)
        s.token = f"{TOKEN}{site}#{clause}"
        return s


@dataclass(frozen=True, slots=True, order=True)
class Branch:
    """``file:line`` builds a result that cites ``clause`` (``*``: not known statically)."""

    file: str
    line: int
    function: str
    clause: str
    owner: str = ""
    """The primitive of the spec module (for a branch whose clause is not known statically)."""
    ordinal: int = 1
    """Which of the function's branches citing this clause, in source order (1, 2…)."""

    @property
    def key(self) -> str:
        """``file:function#clause@ordinal``: names the branch across edits that move lines."""
        return f"{self.file}:{self.function}#{self.clause}@{self.ordinal}"

    @property
    def primitive(self) -> str:
        if self.clause in REGISTRY:
            return REGISTRY[self.clause].primitive
        return self.owner or Path(self.file).stem

    def hit_by(self, token: str) -> bool:
        site, _, clause = token[len(TOKEN):].partition("#")
        return site == f"{self.file}:{self.line}" and self.clause in (ANY, clause)

    def __str__(self) -> str:
        return f"{self.file}:{self.line} {self.clause} ({self.function})"


# ---------------------------------------------------------------------------
# Static enumeration
# ---------------------------------------------------------------------------


def _carriers() -> dict[str, type]:
    """The spec's classes whose objects carry a clause: results and their ingredients."""
    out: dict[str, type] = {}
    for mod in _spec_modules():
        for name, obj in vars(mod).items():
            if isinstance(obj, type) and obj.__module__ == mod.__name__ and dataclasses.is_dataclass(obj):
                if any(f.name == "clause" for f in dataclasses.fields(obj)):
                    out[name] = obj
    return out


def _spec_modules() -> list[ModuleType]:
    return [importlib.import_module(f"spec.{p.stem}") for p in sorted(SPEC_DIR.glob("*.py"))]


class _Resolver:
    """Which clause ids an expression of a spec function can be (None: not known statically)."""

    RELAY = "relay"

    def __init__(self, module: ModuleType, tree: ast.Module) -> None:
        self.module = module
        self.functions = {n.name: n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}

    def resolve(self, e: ast.expr, fn: ast.FunctionDef | None, depth: int = 0) -> set[str] | None | str:
        if depth > 6:
            return None
        if isinstance(e, ast.Constant) and isinstance(e.value, str) and e.value in REGISTRY:
            return {e.value}
        if isinstance(e, ast.Constant) and e.value is None:
            return set()
        if isinstance(e, ast.IfExp):
            return self._union([e.body, e.orelse], fn, depth)
        if isinstance(e, ast.Dict):
            return self._union([v for v in e.values if v is not None], fn, depth)
        if isinstance(e, ast.Name):
            return self._name(e.id, fn, depth, e)
        if isinstance(e, ast.Attribute):
            if e.attr == "clause":
                return self.RELAY
            base = self._global(e.value.id) if isinstance(e.value, ast.Name) else None
            value = getattr(base, e.attr, None) if isinstance(base, ModuleType) else None
            return {value} if isinstance(value, str) and value in REGISTRY else None
        if isinstance(e, ast.Call):
            return self._call(e, fn, depth)
        return None

    def _union(self, es: Iterable[ast.expr], fn: ast.FunctionDef | None, depth: int) -> set[str] | None:
        out: set[str] = set()
        for x in es:
            r = self.resolve(x, fn, depth + 1)
            if r == self.RELAY:  # another result's clause: that result keeps its own site
                continue
            if not isinstance(r, set):
                return None
            out |= r
        return out

    def _global(self, name: str) -> Any:
        return getattr(self.module, name, None)

    def _name(self, name: str, fn: ast.FunctionDef | None, depth: int, use: ast.AST) -> set[str] | None | str:
        if fn is not None:
            params = {a.arg for a in fn.args.args + fn.args.kwonlyargs + fn.args.posonlyargs}
            defs = self._reaching(name, fn, use)
            if defs is None:
                return None
            if not defs and name in params:
                return self._argument(fn, name, depth)
            if defs:
                out: set[str] = set()
                for value, index in defs:
                    r = self._element(value, index, fn, depth) if index is not None else self.resolve(
                        value, fn, depth + 1
                    )
                    if not isinstance(r, set):
                        return None
                    out |= r
                return out
        value = self._global(name)
        return {value} if isinstance(value, str) and value in REGISTRY else None

    def _reaching(
        self, name: str, fn: ast.FunctionDef, use: ast.AST
    ) -> list[tuple[ast.expr, int | None]] | None:
        """The assignments of ``name`` in ``fn`` that may reach ``use`` (value, tuple index): the
        last one on every path to it (in a block enclosing ``use``), and those after it in
        branches that may not be taken. None: a loop variable (not known statically)."""
        parents = {id(c): n for n in ast.walk(fn) for c in ast.iter_child_nodes(n)}
        line = getattr(use, "lineno", 0)
        chain: list[ast.AST] = [use]
        while id(chain[-1]) in parents:
            chain.append(parents[id(chain[-1])])
        ancestors = {id(a) for a in chain}
        found: list[tuple[ast.stmt, ast.expr, int | None, bool]] = []
        for n in ast.walk(fn):
            if isinstance(n, (ast.For, ast.comprehension)) and name in _names(n.target):
                target, source = n.target, n.iter
                if not isinstance(n, ast.For) or not isinstance(target, ast.Tuple):
                    return None
                if not isinstance(source, ast.Call):
                    return None
                # for a, b, which in generator(...): element ``which`` of what the generator yields
                index = [x.id if isinstance(x, ast.Name) else "" for x in target.elts].index(name)
                found.append((n, n.iter, index, False))
                continue
            hit = _assigned(n, name)
            if hit is None or getattr(n, "lineno", line) >= line:
                continue
            assert isinstance(n, ast.stmt)
            block = _block_of(n, parents)
            dominates = any(id(x) in ancestors for x in block[block.index(n) + 1:])
            inside = any(id(x) in ancestors for x in block)
            if isinstance(block[-1], (ast.Return, ast.Raise)) and not inside:  # returns before ``use``
                continue
            found.append((n, hit[0], hit[1], dominates))
        last = max((f[0].lineno for f in found if f[3]), default=0)
        return [(v, i) for st, v, i, _d in found if st.lineno >= last]

    def _argument(self, fn: ast.FunctionDef, name: str, depth: int) -> set[str] | None:
        """The clauses parameter ``name`` of ``fn`` receives from the calls of ``fn`` in the module."""
        position = [a.arg for a in fn.args.posonlyargs + fn.args.args].index(name) if name in [
            a.arg for a in fn.args.posonlyargs + fn.args.args
        ] else None
        out: set[str] = set()
        calls = 0
        for caller in self.functions.values():
            for n in ast.walk(caller):
                if not (isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == fn.name):
                    continue
                given = [k.value for k in n.keywords if k.arg == name]
                if not given and position is not None and position < len(n.args):
                    given = [n.args[position]]
                if not given:
                    continue
                calls += 1
                r = self.resolve(given[0], caller, depth + 1)
                if not isinstance(r, set):
                    return None
                out |= r
        return out if calls else None

    def _element(
        self, value: ast.expr, index: int, fn: ast.FunctionDef, depth: int
    ) -> set[str] | None | str:
        """Element ``index`` of a tuple ``value`` (a tuple literal, or a call of a function of
        the module that returns tuples)."""
        if isinstance(value, ast.Tuple) and index < len(value.elts):
            return self.resolve(value.elts[index], fn, depth + 1)
        if isinstance(value, ast.Subscript) and isinstance(value.value, ast.Name):
            table = self._global(value.value.id)
            if isinstance(table, dict):
                items = [v[index] for v in table.values() if isinstance(v, tuple) and index < len(v)]
                return {v for v in items if isinstance(v, str) and v in REGISTRY}
        called = value.func.id if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) else ""
        if called in self.functions:
            callee = self.functions[called]
            returns = [
                n.value
                for n in ast.walk(callee)
                if isinstance(n, (ast.Return, ast.Yield)) and n.value is not None
            ]
            out: set[str] = set()
            for r in returns:
                got = self._element(r, index, callee, depth + 1)
                if not isinstance(got, set):
                    return None
                out |= got
            return out if returns else None
        return None

    def _call(self, e: ast.Call, fn: ast.FunctionDef | None, depth: int) -> set[str] | None:
        if isinstance(e.func, ast.Attribute) and e.func.attr == "get" and len(e.args) == 2:
            return self._union([e.func.value, e.args[1]], fn, depth)
        if isinstance(e.func, ast.Name) and e.func.id in self.functions:
            callee = self.functions[e.func.id]
            returns = [n.value for n in ast.walk(callee) if isinstance(n, ast.Return) and n.value is not None]
            return self._union(returns, callee, depth) if returns else None
        return None


def _names(target: ast.expr) -> set[str]:
    return {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}


def _assigned(n: ast.AST, name: str) -> tuple[ast.expr, int | None] | None:
    """(value, index) when statement ``n`` assigns ``name`` (index: its place in a tuple target)."""
    if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name) and n.target.id == name:
        return (n.value, None) if n.value is not None else None
    if not isinstance(n, ast.Assign):
        return None
    for t in n.targets:
        if isinstance(t, ast.Name) and t.id == name:
            return n.value, None
        if isinstance(t, ast.Tuple):
            for i, x in enumerate(t.elts):
                if isinstance(x, ast.Name) and x.id == name:
                    return n.value, i
    return None


def _block_of(st: ast.stmt, parents: dict[int, ast.AST]) -> list[ast.stmt]:
    """The statement list that holds ``st``."""
    parent = parents[id(st)]
    for _field, value in ast.iter_fields(parent):
        if isinstance(value, list) and any(x is st for x in value):
            return value
    return [st]


def _clause_argument(call: ast.Call, cls: type) -> ast.expr | None:
    for k in call.keywords:
        if k.arg == "clause":
            return k.value
    names = [f.name for f in dataclasses.fields(cls)]
    i = names.index("clause")
    if i >= len(call.args) or any(isinstance(a, ast.Starred) for a in call.args):
        return None
    return call.args[i]


def _enclosing(tree: ast.Module) -> Iterator[tuple[ast.Call, ast.FunctionDef | None]]:
    def visit(node: ast.AST, fn: ast.FunctionDef | None) -> Iterator[tuple[ast.Call, ast.FunctionDef | None]]:
        for child in ast.iter_child_nodes(node):
            inner = child if isinstance(child, ast.FunctionDef) else fn
            if isinstance(child, ast.Call):
                yield child, fn
            yield from visit(child, inner)

    yield from visit(tree, None)


def static_branches() -> list[Branch]:
    """Every clause-citing result the spec builds (see the module docstring), by file and line."""
    return list(_static_branches())


@functools.cache
def _static_branches() -> tuple[Branch, ...]:
    carriers = _carriers()
    out: set[Branch] = set()
    for mod in _spec_modules():
        path = Path(mod.__file__ or "")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        resolver = _Resolver(mod, tree)
        rel = f"spec/{path.name}"
        for call, fn in _enclosing(tree):
            if not (isinstance(call.func, ast.Name) and call.func.id in carriers):
                continue
            arg = _clause_argument(call, carriers[call.func.id])
            clauses = resolver.resolve(arg, fn) if arg is not None else None
            if clauses == _Resolver.RELAY:
                continue
            name = fn.name if fn is not None else "<module>"
            for c in sorted(clauses) if isinstance(clauses, set) else [ANY]:
                out.add(Branch(rel, call.lineno, name, c, str(getattr(mod, "PRIMITIVE", path.stem))))
    numbered: list[Branch] = []
    seen: dict[tuple[str, str, str], int] = {}
    for b in sorted(out):
        k = (b.file, b.function, b.clause)
        seen[k] = seen.get(k, 0) + 1
        numbered.append(dataclasses.replace(b, ordinal=seen[k]))
    return tuple(numbered)


def _line_sites() -> dict[tuple[str, int], str]:
    """(absolute file, any line of a carrier's construction) → ``spec/file.py:first-line``."""
    carriers = _carriers()
    out: dict[tuple[str, int], str] = {}
    for path in sorted(SPEC_DIR.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call, _fn in _enclosing(tree):
            if isinstance(call.func, ast.Name) and call.func.id in carriers:
                for ln in range(call.lineno, (call.end_lineno or call.lineno) + 1):
                    out.setdefault((str(path), ln), f"spec/{path.name}:{call.lineno}")
    return out


# ---------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------


def _site_of(frame: FrameType | None, sites: dict[tuple[str, int], str]) -> str:
    spec_dir = str(SPEC_DIR)
    while frame is not None and not frame.f_code.co_filename.startswith(spec_dir):
        frame = frame.f_back
    if frame is None:
        return "?:0"
    where = (frame.f_code.co_filename, frame.f_lineno or 0)
    return sites.get(where) or f"spec/{Path(where[0]).name}:{where[1]}"


def _sited_init(original: Callable[..., None], sites: dict[tuple[str, int], str]) -> Callable[..., None]:
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        c = self.clause
        if type(c) is not Sited and isinstance(c, str):
            object.__setattr__(self, "clause", Sited(c, _site_of(sys._getframe(1), sites)))

    return __init__


@contextlib.contextmanager
def measuring() -> Iterator[None]:
    """Within: every clause-carrying spec object records the branch that built it."""
    sites = _line_sites()
    carriers = _carriers()
    saved = {cls: cls.__dict__["__init__"] for cls in carriers.values()}
    try:
        for cls, init in saved.items():
            cls.__init__ = _sited_init(init, sites)  # type: ignore[misc]
        yield
    finally:
        for cls, init in saved.items():
            cls.__init__ = init  # type: ignore[misc]


def tokens(exercised: Iterable[str]) -> set[str]:
    """The branch tokens of an exercised set."""
    return {e for e in exercised if e.startswith(TOKEN)}


def is_token(entry: str) -> bool:
    return entry.startswith(TOKEN)


# ---------------------------------------------------------------------------
# Summary
# ---------------------------------------------------------------------------


def cannot_reason(b: Branch) -> str | None:
    """Why no default check of the host exercises ``b`` (None: it should be)."""
    if b.clause in REGISTRY and REGISTRY[b.clause].known_bug:
        return f"a race of a known bug ({REGISTRY[b.clause].known_bug}) that no schedule forces"
    if b.clause in REGISTRY and REGISTRY[b.clause].unexercisable:
        return f"its clause is not exercisable here: {REGISTRY[b.clause].unexercisable}"
    for pattern, why in CANNOT.items():
        if fnmatch.fnmatchcase(b.key, pattern):
            return why
    return None


@dataclass
class Coverage:
    """Branches of the clauses a report checked, and which of them its runs exercised."""

    total: dict[str, int]
    exercised: dict[str, int]
    missed: list[Branch]
    cannot: list[tuple[Branch, str]]
    unlisted: list[str]
    """Tokens of sites the static enumeration does not know (should be none)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "total": sum(self.total.values()),
            "exercised": sum(self.exercised.values()),
            "per_primitive": {
                p: {"total": n, "exercised": self.exercised.get(p, 0)} for p, n in self.total.items()
            },
            "missed": [{**_branch_json(b), **_unclosed(b)} for b in self.missed],
            "cannot_be_exercised": [{**_branch_json(b), "reason": why} for b, why in self.cannot],
            "unlisted_hits": self.unlisted,
        }


def coverage_text(d: dict[str, Any]) -> list[str]:
    """The text report's lines for a ``Coverage.to_json()``."""
    n, e = d["total"], d["exercised"]
    pct = 100.0 * e / n if n else 100.0
    lines = [f"Spec branches (results citing a clause) exercised: {e}/{n} ({pct:.1f}%)"]
    for p, c in d["per_primitive"].items():
        lines.append(f"  {p:<16} {c['exercised']}/{c['total']}")
    where = "{file}:{line} {clause} ({function})"
    if d["missed"]:
        lines.append(f"missed branches ({len(d['missed'])}):")
        lines += ["  " + where.format(**b) + (f": {b['note']}" if "note" in b else "") for b in d["missed"]]
    if d["cannot_be_exercised"]:
        lines.append(f"cannot be exercised here ({len(d['cannot_be_exercised'])}):")
        lines += ["  " + where.format(**b) + f": {b['reason']}" for b in d["cannot_be_exercised"]]
    if d["unlisted_hits"]:
        lines.append(f"hits at sites the enumeration does not list: {', '.join(d['unlisted_hits'])}")
    return lines


def _branch_json(b: Branch) -> dict[str, Any]:
    return {"file": b.file, "line": b.line, "function": b.function, "clause": b.clause, "key": b.key}


def _unclosed(b: Branch) -> dict[str, str]:
    """``{"note": ...}`` for a missed branch ``UNCLOSED`` knows about."""
    for pattern, note in UNCLOSED.items():
        if fnmatch.fnmatchcase(b.key, pattern):
            return {"note": note}
    return {}


def summarize(
    applicable: Iterable[str], hits: Iterable[str], branches: list[Branch] | None = None
) -> Coverage:
    """Coverage of the branches citing the ``applicable`` clauses (and of those whose clause is not
    known statically, in files that cite one of them) by the branch tokens ``hits``."""
    wanted = set(applicable)
    hit = tokens(hits)
    listed = branches if branches is not None else static_branches()
    files = {b.file for b in listed if b.clause in wanted}
    mine = [b for b in listed if b.clause in wanted or (b.clause == ANY and b.file in files)]
    total: dict[str, int] = {}
    exercised: dict[str, int] = {}
    missed: list[Branch] = []
    cannot: list[tuple[Branch, str]] = []
    for b in mine:
        why = cannot_reason(b)
        done = any(b.hit_by(t) for t in hit)
        if why is not None and not done:
            cannot.append((b, why))
            continue
        total[b.primitive] = total.get(b.primitive, 0) + 1
        if done:
            exercised[b.primitive] = exercised.get(b.primitive, 0) + 1
        else:
            missed.append(b)
    unlisted = sorted(t for t in hit if not any(b.hit_by(t) for b in listed))
    return Coverage(dict(sorted(total.items())), exercised, missed, cannot, unlisted)
