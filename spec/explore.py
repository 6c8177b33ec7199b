"""Exhaustive, bounded exploration of one primitive's spec.

Breadth-first over every interleaving of invocations (each idle thread may call
any operation of a given alphabet, up to a per-thread budget) and internal steps
(wakeups and expiries). Used by the tests and by ``proofs`` to check invariants in
every reachable state and to pin the number of reachable states.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from spec.core import Blocked, Done, PrimitiveSpec, Result, Step
from spec.profiles import Profile
from spec.values import ENV, Call, ThreadId

S = TypeVar("S")


@dataclass(frozen=True, slots=True)
class Node(Generic[S]):
    """A point of the exploration: the spec state, who is blocked, calls left per thread."""

    state: S
    pending: frozenset[ThreadId]
    budget: tuple[int, ...]


@dataclass
class Exploration(Generic[S]):
    """What an exploration saw."""

    nodes: int = 0
    states: set[S] = field(default_factory=set)
    transitions: int = 0
    clauses: set[str] = field(default_factory=set)
    violations: list[str] = field(default_factory=list)


Key = tuple[int, frozenset[ThreadId], tuple[int, ...]]
"""A node as the exploration keys it: (the state's number, blocked threads, calls left)."""

How = tuple[int, int, int]
"""How a node was reached from its parent: (0, thread, alphabet index) for a call, (1, step
index, 0) for an internal step of the parent's state."""


class _Explorer(Generic[S]):
    """One exploration. Each distinct state is numbered once; what a call or an internal step
    does in it is computed once, however many nodes share the state."""

    def __init__(self, spec: PrimitiveSpec[S], alphabet: Sequence[Callable[[ThreadId], Call]], threads: int,
                 check: Callable[[S], list[str]] | None, out: Exploration[S]) -> None:
        self.spec, self.check, self.out = spec, check, out
        self.calls = [[make(t) for make in alphabet] for t in range(threads)]
        self.ids: dict[S, int] = {}
        self.states: list[S] = []
        self.broken: list[list[str]] = []
        self.invoked: list[dict[tuple[int, int], tuple[Result[S], int]]] = []
        self.steps: list[list[tuple[Step[S], int]] | None] = []
        self.parents: dict[Key, tuple[Key, How] | None] = {}

    def number(self, s: S) -> int:
        sid = self.ids.get(s)
        if sid is None:
            sid = self.ids[s] = len(self.states)
            self.states.append(s)
            self.broken.append(self.spec.broken_invariants(s) + (self.check(s) if self.check else []))
            self.invoked.append({})
            self.steps.append(None)
        return sid

    def invoke(self, sid: int, t: int, k: int) -> tuple[Result[S], int]:
        done = self.invoked[sid].get((t, k))
        if done is None:
            r = self.spec.invoke(self.states[sid], self.calls[t][k])
            self.out.clauses.add(r.clause)
            done = self.invoked[sid][(t, k)] = (r, self.number(r.state))
        return done

    def internal(self, sid: int) -> list[tuple[Step[S], int]]:
        steps = self.steps[sid]
        if steps is None:
            steps = self.steps[sid] = []
            for step in self.spec.internal_steps(self.states[sid]):
                self.out.clauses.add(step.clause)
                steps.append((step, self.number(step.state)))
        return steps

    def successors(self, key: Key) -> Iterator[tuple[Key, How]]:
        """Every call an idle thread with calls left may make, then every internal step
        (wakeup, expiry, the environment moving), and where each leads."""
        sid, pending, budget = key
        for t, left in enumerate(budget):
            if t in pending or left == 0:
                continue
            spent = budget[:t] + (left - 1,) + budget[t + 1 :]
            for k in range(len(self.calls[t])):
                r, nxt = self.invoke(sid, t, k)
                if isinstance(r, Done):
                    yield (nxt, pending, spent), (0, t, k)
                elif isinstance(r, Blocked):
                    yield (nxt, pending | {t}, spent), (0, t, k)
        for i, (step, nxt) in enumerate(self.internal(sid)):
            if step.thread == ENV and step.outcome is None:
                # the environment moves on its own (a Thread finishing, a Timer firing)
                yield (nxt, pending, budget), (1, i, 0)
            elif step.thread not in pending:
                self.out.violations.append(f"step for idle thread t{step.thread} after {self.path(key)}")
            else:
                after = pending - {step.thread} if step.outcome is not None else pending
                yield (nxt, after, budget), (1, i, 0)

    def label(self, parent: Key, how: How) -> str:
        """The move ``how`` from ``parent``, as a schedule prints it."""
        kind, a, b = how
        if kind == 0:
            c, (r, _) = self.calls[a][b], self.invoked[parent[0]][(a, b)]
            return f"{c!r} -> {r.outcome!r}" if isinstance(r, Done) else f"{c!r} blocks"
        steps = self.steps[parent[0]]
        assert steps is not None
        step = steps[a][0]
        if step.thread == ENV and step.outcome is None:
            return f"[env {step.clause}]"
        return f"[t{step.thread} {step.outcome!r}]" if step.outcome else f"[t{step.thread} moves]"

    def path(self, key: Key) -> tuple[str, ...]:
        """The schedule that first reached ``key``."""
        labels: list[str] = []
        link = self.parents[key]
        while link is not None:
            parent, how = link
            labels.append(self.label(parent, how))
            link = self.parents[parent]
        return tuple(reversed(labels))


def explore(
    spec: PrimitiveSpec[S],
    profile: Profile,
    init: Call,
    alphabet: Sequence[Callable[[ThreadId], Call]],
    threads: int,
    calls_per_thread: int,
    check: Callable[[S], list[str]] | None = None,
    limit: int = 2_000_000,
) -> Exploration[S]:
    """Explore every schedule of ``threads`` threads making up to ``calls_per_thread``
    calls each, drawn from ``alphabet`` (functions from a thread id to a ``Call``, such
    as ``spec.values.template(...)`` entries).

    Every reachable state is checked against ``spec.invariants`` (and ``check``, if
    given; each is called once per distinct state); a broken invariant is recorded in
    ``violations`` with the schedule that reached it (once per node in that state).
    Raises ``RuntimeError`` if more than ``limit`` nodes are reachable.
    """
    created = spec.create(profile, init)
    out: Exploration[S] = Exploration()
    if created.state is None:
        raise ValueError(f"{spec.name} constructor {init!r} raises {created.outcome!r}")
    ex = _Explorer(spec, alphabet, threads, check, out)
    start: Key = (ex.number(created.state), frozenset(), (calls_per_thread,) * threads)
    ex.parents[start] = None
    queue: deque[Key] = deque([start])
    while queue:
        key = queue.popleft()
        out.nodes += 1
        if out.nodes > limit:
            raise RuntimeError(f"exploration of {spec.name} exceeded {limit} nodes")
        for name in ex.broken[key[0]]:
            out.violations.append(f"{name} after {' ; '.join(ex.path(key)) or '(start)'}")
        for nxt, how in list(ex.successors(key)):
            out.transitions += 1
            if nxt not in ex.parents:
                ex.parents[nxt] = (key, how)
                queue.append(nxt)
    out.states = {ex.states[key[0]] for key in ex.parents}
    return out
