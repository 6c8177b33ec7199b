"""Helpers the spec tests share: build a state, assert a transition's kind, apply calls.

Kept in a module rather than ``conftest.py`` because the tests import them as plain
functions (pytest advises against importing from a ``conftest``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conformance.scenario import calls_of
from spec.core import Blocked, Done, PrimitiveSpec, Result
from spec.profiles import PY311, VERSIONS, Profile, profile_for
from spec.values import ENV, THREAD_EXITED, Call, Returned, Value, call


def fresh(spec: PrimitiveSpec[Any], *args: Value, profile: Profile = PY311, **kwargs: Value) -> Any:
    """The state of ``spec``'s object right after the constructor call ``(*args, **kwargs)``."""
    r = spec.create(profile, call(0, "__init__", *args, **kwargs))
    assert r.state is not None, f"{spec.name}{args!r} raises {r.outcome!r}"
    return r.state


def done(r: Result[Any]) -> Done[Any]:
    """``r``, which must be a call that completed at once."""
    assert isinstance(r, Done), r
    return r


def blocked(r: Result[Any]) -> Blocked[Any]:
    """``r``, which must be a call that blocked."""
    assert isinstance(r, Blocked), r
    return r


def run(spec: PrimitiveSpec[Any], s: Any, *calls: Call) -> Any:
    """Apply ``calls``, each of which must complete at once; return the final state."""
    for c in calls:
        s = done(spec.invoke(s, c)).state
    return s


def block(spec: PrimitiveSpec[Any], s: Any, *calls: Call) -> Any:
    """Apply ``calls``, each of which must block; return the final state."""
    for c in calls:
        s = blocked(spec.invoke(s, c)).state
    return s


def simulate(spec: PrimitiveSpec[Any], profile: Profile, scenario: Any) -> set[str]:
    """Run a scenario through the spec alone: every consistent configuration after each step
    (internal steps included); returns the clauses of every transition taken."""
    created = spec.create(profile, scenario.init)
    clauses = {created.clause}
    if created.state is None:
        return clauses
    configs = {(created.state, frozenset[int]())}
    for step in scenario.steps:
        for c in calls_of(step):  # back to back: each call after the previous one completed
            nxt = set()
            for s, pending in configs:
                if c.thread in pending:
                    nxt.add((s, pending))  # the driver skips a call of a thread still blocked
                    continue
                r = spec.invoke(s, c)
                clauses.add(r.clause)
                if c.op == THREAD_EXITED and not (isinstance(r, Done) and r.outcome == Returned(None)):
                    continue  # the thread's end rules out the states in which it still runs
                nxt.add((r.state, pending | {c.thread} if isinstance(r, Blocked) else pending))
            configs = closure(spec, nxt, clauses)
    return clauses


def closure(spec: PrimitiveSpec[Any], configs: set[Any], clauses: set[str]) -> set[Any]:
    """Every configuration the internal steps reach from ``configs``; the clauses of the
    steps taken are added to ``clauses``."""
    seen, todo = set(configs), list(configs)
    while todo:
        s, pending = todo.pop()
        for st in spec.internal_steps(s):
            if st.thread != ENV and st.thread not in pending:
                continue
            clauses.add(st.clause)
            after = pending - {st.thread} if st.outcome is not None else pending
            if (st.state, after) not in seen:
                seen.add((st.state, after))
                todo.append((st.state, after))
    return seen


Simulation = Callable[[PrimitiveSpec[Any], Profile, Any], set[str]]
"""Runs a scenario on a spec in a profile; the clauses it took (e.g. ``simulate``)."""


def check_scenarios(
    scenarios: Any,
    specs: dict[str, PrimitiveSpec[Any]],
    unseen: frozenset[str] = frozenset(),
    simulation: Simulation = simulate,
) -> None:
    """Each scenario has a unique name, applies to some version, and, simulated on the spec
    (by ``simulation``) in every version it applies to, takes every clause it covers (but
    those in ``unseen``: clauses only the agent's reports can take)."""
    names = [sc.name for sc in scenarios]
    assert len(set(names)) == len(names)
    for sc in scenarios:
        profiles = [p for p in (profile_for(v) for v in VERSIONS) if sc.applies_to(p)]
        assert profiles, sc.name
        exercised: set[str] = set()
        for p in profiles:
            exercised |= simulation(specs[sc.primitive], p, sc)
        missing = set(sc.covers) - exercised - unseen
        assert not missing, (sc.name, missing)


def check_generators(generators: Any, specs: dict[str, PrimitiveSpec[Any]]) -> None:
    """Each generator's object can be built, and every call its alphabet draws (each call of
    a back-to-back entry among them) is an operation of its spec."""
    for g in generators:
        spec = specs[g.primitive]
        assert spec.create(PY311, g.init).state is not None, g
        for make in g.alphabet:
            for c in calls_of(make(1)):
                assert c.op in spec.ops(PY311), (make, c)
