"""Exhaustive, bounded exploration of one primitive's spec.

Breadth-first over every interleaving of invocations (each idle thread may call
any operation of a given alphabet, up to a per-thread budget) and internal steps
(wakeups and expiries). Used by the tests and by ``proofs`` to check invariants in
every reachable state and to pin the number of reachable states.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Generic, TypeVar

from spec.core import Blocked, Done, PrimitiveSpec
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


def _invocations(
    spec: PrimitiveSpec[S],
    node: Node[S],
    alphabet: Sequence[Callable[[ThreadId], Call]],
    out: Exploration[S],
) -> Iterator[tuple[Node[S], str]]:
    """Every call an idle thread with calls left may make from ``node``, and where it leads."""
    for t in range(len(node.budget)):
        if t in node.pending or node.budget[t] == 0:
            continue
        budget = node.budget[:t] + (node.budget[t] - 1,) + node.budget[t + 1 :]
        for make in alphabet:
            c = make(t)
            r = spec.invoke(node.state, c)
            out.clauses.add(r.clause)
            if isinstance(r, Done):
                yield Node(r.state, node.pending, budget), f"{c!r} -> {r.outcome!r}"
            elif isinstance(r, Blocked):
                yield Node(r.state, node.pending | {t}, budget), f"{c!r} blocks"


def _internal(
    spec: PrimitiveSpec[S], node: Node[S], path: tuple[str, ...], out: Exploration[S]
) -> Iterator[tuple[Node[S], str]]:
    """Every internal step (wakeup, expiry, the environment moving) from ``node``."""
    for step in spec.internal_steps(node.state):
        out.clauses.add(step.clause)
        if step.thread == ENV and step.outcome is None:
            # the environment moves on its own (a Thread finishing, a Timer firing)
            yield replace(node, state=step.state), f"[env {step.clause}]"
            continue
        if step.thread not in node.pending:
            out.violations.append(f"step for idle thread t{step.thread} after {path}")
            continue
        pending = node.pending - {step.thread} if step.outcome is not None else node.pending
        label = f"[t{step.thread} {step.outcome!r}]" if step.outcome else f"[t{step.thread} moves]"
        yield replace(node, state=step.state, pending=pending), label


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
    given); a broken invariant is recorded in ``violations`` with the schedule that
    reached it. Raises ``RuntimeError`` if more than ``limit`` nodes are reachable.
    """
    created = spec.create(profile, init)
    out: Exploration[S] = Exploration()
    if created.state is None:
        raise ValueError(f"{spec.name} constructor {init!r} raises {created.outcome!r}")
    start: Node[S] = Node(created.state, frozenset(), (calls_per_thread,) * threads)
    seen: dict[Node[S], tuple[str, ...]] = {start: ()}
    queue: deque[Node[S]] = deque([start])
    while queue:
        node = queue.popleft()
        path = seen[node]
        out.nodes += 1
        if out.nodes > limit:
            raise RuntimeError(f"exploration of {spec.name} exceeded {limit} nodes")
        out.states.add(node.state)
        broken = spec.broken_invariants(node.state) + (check(node.state) if check else [])
        for name in broken:
            out.violations.append(f"{name} after {' ; '.join(path) or '(start)'}")
        successors = list(_invocations(spec, node, alphabet, out))
        successors += _internal(spec, node, path, out)
        for nxt, label in successors:
            out.transitions += 1
            if nxt not in seen:
                seen[nxt] = path + (label,)
                queue.append(nxt)
    return out
