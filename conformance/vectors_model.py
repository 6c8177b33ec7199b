"""What the spec allows at each step of a scenario, as a graph a consumer walks without the spec.

The driver runs a scenario step by step and, after each step, waits for quiescence; the
checker keeps every spec configuration consistent with what it saw. This module does the
same ahead of time, for every possible observation: a *node* is a set of configurations
(spec state, calls still blocked) that the observations so far leave possible; a step
applied to a node yields *cases*, one per observation the spec allows at quiescence (what
the step's calls returned or that the last one blocks, which blocked calls were woken, which
are still blocked), each leading to the node of the configurations that observation leaves.

Quiescence is the checker's: an observation is allowed when some configuration explains it
in which nothing more is owed (every call applied, no wakeup enabled, no timeout of at most
``SHORT_TIMEOUT_CAP`` seconds left to expire); the node it leads to keeps every configuration
that explains it, owed or not (a thread's own end, which nobody observes, may come later).
Longer timeouts never expire within a vector.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from conformance.driver import Settings
from conformance.scenario import Scenario, calls_of
from spec.core import Blocked, Done, PrimitiveSpec
from spec.profiles import Profile
from spec.values import ENV, Call, Outcome, Returned, ThreadId

SHORT_TIMEOUT_CAP = Settings.wait_cap
"""Pending calls with a timeout up to this long must expire within their step (the driver's cap)."""

NODE_LIMIT = 5000
"""The most nodes one step may have before a scenario is refused as too ambiguous."""

CLOSURE_LIMIT = 200_000
"""The most configurations one closure may hold (as the checker, the limit is reported)."""


class TooAmbiguous(Exception):
    """A scenario whose observations the vector format cannot enumerate within the limits."""


class Status(enum.Enum):
    INVOKED = "invoked"
    BLOCKED = "blocked"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class Entry:
    """A call of ``thread`` not yet observed to complete, as far as one configuration took it."""

    thread: ThreadId
    status: Status
    call: Call
    outcome: Outcome | None = None
    clause: str = ""
    expired_after: float | None = None
    """The call's timeout, when it expired (a result that must not come earlier)."""


@dataclass(frozen=True, slots=True)
class Config:
    state: Any
    entries: tuple[Entry, ...]
    results: tuple[Entry, ...] = ()
    """The step's own calls completed so far (the earlier calls of a back-to-back step)."""


BLOCKS = "blocks"


@dataclass(frozen=True, slots=True)
class Seen:
    """One call's part in an observation: its outcome (``None``: it blocks) and, when its
    result comes from a timeout, that timeout."""

    thread: ThreadId
    outcome: Outcome | None
    expired_after: float | None = None


@dataclass(frozen=True, slots=True)
class Observation:
    """What a consumer sees when a step has reached quiescence."""

    results: tuple[Seen, ...]
    """The step's own calls, in order (the last may block)."""
    woken: tuple[Seen, ...]
    """Calls blocked before the step that completed during it."""
    blocked: tuple[ThreadId, ...]
    """Threads whose calls are still blocked after the step."""
    skipped: bool = False
    """The step's thread was still blocked, so the step made no call (as the driver does)."""


Node = frozenset[tuple[Any, tuple[Entry, ...]]]
"""Configurations (state, blocked calls) left possible by the observations so far."""


@dataclass
class Case:
    """From node ``sources``, the step may be observed as ``observation``; then node ``target``."""

    sources: list[int]
    observation: Observation
    clauses: dict[Seen, set[str]]
    """The clauses of each call's part (its outcome, or why it blocks)."""
    env_clauses: set[str]
    target: int


@dataclass
class StepCases:
    step: Call
    cases: list[Case] = field(default_factory=list)


@dataclass
class Simulation:
    """The spec's answer for one scenario in one profile."""

    scenario: Scenario
    init_outcome: Outcome
    init_clause: str
    steps: list[StepCases]


class _Stepper:
    def __init__(self, spec: PrimitiveSpec[Any], init: Call) -> None:
        self.spec, self.init = spec, init
        self.env_timeout = spec.timeout(init)

    def timeout(self, c: Call) -> float | None:
        return self.spec.timeout_of(self.init, c)

    def is_short(self, tmo: float | None) -> bool:
        return tmo is not None and tmo <= SHORT_TIMEOUT_CAP

    # -- internal steps ---------------------------------------------------------

    def successors(self, cf: Config) -> Iterator[tuple[Config, str]]:
        s, entries = cf.state, cf.entries
        for e in entries:
            if e.status is Status.INVOKED:
                r = self.spec.invoke(s, e.call)
                if isinstance(r, Done):
                    new = replace(e, status=Status.DONE, outcome=r.outcome, clause=r.clause)
                else:
                    assert isinstance(r, Blocked)
                    new = replace(e, status=Status.BLOCKED, clause=r.clause)
                yield replace(cf, state=r.state, entries=_with(entries, new)), r.clause
        blocked = {e.thread: e for e in entries if e.status is Status.BLOCKED}
        for st in self.spec.wakeups(s):
            if st.thread in blocked or (st.thread == ENV and st.outcome is None):
                after = self._apply(cf, st.state, blocked.get(st.thread), st.outcome, st.clause, None)
                yield after, st.clause
        for st in self.spec.expiries(s):
            if st.thread == ENV and st.outcome is None:
                if self.is_short(self.env_timeout):
                    yield replace(cf, state=st.state), st.clause
            elif st.thread in blocked:
                tmo = self.timeout(blocked[st.thread].call)
                if self.is_short(tmo):
                    yield self._apply(cf, st.state, blocked[st.thread], st.outcome, st.clause, tmo), st.clause

    @staticmethod
    def _apply(
        cf: Config, state: Any, e: Entry | None, outcome: Outcome | None, clause: str, tmo: float | None
    ) -> Config:
        if e is None:
            return replace(cf, state=state)
        expired = tmo if tmo is not None else e.expired_after
        if outcome is None:
            new = replace(e, expired_after=expired)
        else:
            new = replace(e, status=Status.DONE, outcome=outcome, clause=clause, expired_after=expired)
        return replace(cf, state=state, entries=_with(cf.entries, new))

    def closure(self, configs: Iterable[Config]) -> set[Config]:
        seen = set(configs)
        todo = list(seen)
        while todo:
            for nxt, _clause in self.successors(todo.pop()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
                    if len(seen) > CLOSURE_LIMIT:
                        raise TooAmbiguous(f"more than {CLOSURE_LIMIT} configurations")
        return seen

    def is_stable(self, cf: Config) -> bool:
        """Nothing more is owed: every call applied, no wakeup enabled, no short timeout left."""
        if any(e.status is Status.INVOKED for e in cf.entries):
            return False
        if any(True for _ in self.spec.wakeups(cf.state)):
            return False
        blocked = {e.thread: e for e in cf.entries if e.status is Status.BLOCKED}
        for st in self.spec.expiries(cf.state):
            tmo = self.env_timeout if st.thread == ENV else (
                self.timeout(blocked[st.thread].call) if st.thread in blocked else None
            )
            if self.is_short(tmo):
                return False
        return True


def _with(entries: tuple[Entry, ...], e: Entry) -> tuple[Entry, ...]:
    return tuple(sorted([x for x in entries if x.thread != e.thread] + [e], key=lambda x: x.thread))


Explained = tuple[Observation, dict[Seen, set[str]]]


def _observe(cf: Config, own: ThreadId | None, skipped: bool) -> Explained | None:
    """The observation ``cf`` explains (None while a call is not applied yet)."""
    if any(e.status is Status.INVOKED for e in cf.entries):
        return None
    clauses: dict[Seen, set[str]] = {}

    def seen(e: Entry, blocks: bool = False) -> Seen:
        s = Seen(e.thread, None if blocks else e.outcome, None if blocks else e.expired_after)
        clauses.setdefault(s, set()).add(e.clause)
        return s

    results = [seen(e) for e in cf.results]
    woken: list[Seen] = []
    blocked: list[ThreadId] = []
    for e in cf.entries:
        if e.thread == own and not skipped:
            results.append(seen(e, blocks=e.status is Status.BLOCKED))
            if e.status is Status.BLOCKED:
                blocked.append(e.thread)
        elif e.status is Status.DONE:
            woken.append(seen(e))
        else:
            blocked.append(e.thread)
    return Observation(tuple(results), tuple(woken), tuple(blocked), skipped), clauses


def simulate(spec: PrimitiveSpec[Any], profile: Profile, scenario: Scenario) -> Simulation:
    """Every observation the spec allows at every step of ``scenario``, as a graph of nodes.

    Raises:
      TooAmbiguous: a step has more than ``NODE_LIMIT`` nodes, or a closure is too large.
      ValueError: a step the vector format cannot express (a back-to-back call that blocks
        before the last, an environment call no configuration accepts).
    """
    created = spec.create(profile, scenario.init)
    sim = Simulation(scenario, created.outcome, created.clause, [])
    if created.state is None:
        return sim
    stepper = _Stepper(spec, scenario.init)
    nodes: list[Node] = [frozenset({(created.state, ())})]
    for step in scenario.steps:
        cases: dict[tuple[Observation, Node], Case] = {}
        targets: dict[Node, int] = {}
        for index, node in enumerate(nodes):
            # in a stable order (the spec's sets have none), so that node numbers are reproducible
            ordered = sorted(_step(stepper, node, step), key=lambda x: repr(x[0]))
            for obs, clauses, env_clauses, target in ordered:
                if target not in targets:
                    targets[target] = len(targets)
                key = (obs, target)
                if key in cases:
                    case = cases[key]
                    case.sources.append(index)
                    for k, v in clauses.items():
                        case.clauses.setdefault(k, set()).update(v)
                    case.env_clauses |= env_clauses
                else:
                    cases[key] = Case([index], obs, clauses, env_clauses, targets[target])
        if len(targets) > NODE_LIMIT:
            raise TooAmbiguous(f"{scenario.name}: more than {NODE_LIMIT} nodes after {step!r}")
        if not targets:
            raise ValueError(f"{scenario.name}: the spec allows no observation of {step!r}")
        sim.steps.append(StepCases(step, list(cases.values())))
        nodes = list(targets)
    return sim


def _step(
    stepper: _Stepper, node: Node, step: Call
) -> Iterator[tuple[Observation, dict[Seen, set[str]], set[str], Node]]:
    """The observations of ``step`` from ``node``, each with the node it leads to."""
    start = [Config(s, entries) for s, entries in node]
    env_clauses: set[str] = set()
    own: ThreadId | None = step.thread
    skipped = False
    if step.thread == ENV:
        own = None
        configs = _environment(stepper, start, step, env_clauses)
    elif any(e.thread == step.thread for _, entries in node for e in entries):
        skipped = True  # the driver skips a call of a thread still blocked
        configs = stepper.closure(start)
    else:
        configs = _calls(stepper, start, calls_of(step))
    found: dict[Observation, tuple[dict[Seen, set[str]], set[tuple[Any, tuple[Entry, ...]]]]] = {}
    keys = {o[0] for cf in configs if stepper.is_stable(cf) and (o := _observe(cf, own, skipped))}
    for cf in configs:
        o = _observe(cf, own, skipped)
        if o is None or o[0] not in keys:
            continue
        clauses, target = found.setdefault(o[0], ({}, set()))
        for k, v in o[1].items():
            clauses.setdefault(k, set()).update(v)
        target.add((cf.state, tuple(e for e in cf.entries if e.status is Status.BLOCKED)))
    for obs, (clauses, target) in found.items():
        yield obs, clauses, env_clauses, frozenset(target)


def _environment(stepper: _Stepper, start: list[Config], step: Call, env_clauses: set[str]) -> set[Config]:
    """An environment call: it happens in the configurations that accept it (those in which
    it returns), after any internal steps."""
    after: list[Config] = []
    for cf in stepper.closure(start):
        r = stepper.spec.invoke(cf.state, step)
        if isinstance(r, Done) and isinstance(r.outcome, Returned):
            env_clauses.add(r.clause)
            after.append(replace(cf, state=r.state))
    return stepper.closure(after)


def _calls(stepper: _Stepper, start: list[Config], calls: tuple[Call, ...]) -> set[Config]:
    """The step's calls, each made as soon as the one before it completed."""
    configs: set[Config] = set(start)
    for i, c in enumerate(calls):
        if i > 0:
            nxt: set[Config] = set()
            for cf in configs:
                mine = next(e for e in cf.entries if e.thread == c.thread)
                if mine.status is Status.DONE:
                    rest = tuple(e for e in cf.entries if e.thread != c.thread)
                    nxt.add(replace(cf, entries=rest, results=(*cf.results, mine)))
                elif mine.status is Status.BLOCKED and stepper.is_stable(cf):
                    raise ValueError(f"back-to-back call {calls[i - 1]!r} blocks before {c!r}")
            configs = nxt
        configs = stepper.closure(
            replace(cf, entries=_with(cf.entries, Entry(c.thread, Status.INVOKED, c))) for cf in configs
        )
    return configs
