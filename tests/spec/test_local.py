"""local and the agent's LocalSubclass: one test per clause, exhaustive explorations with
pinned state counts, and the scenarios of conformance/scenarios/local.py."""

from __future__ import annotations

import pytest

from conformance.scenarios import local as scenarios
from proofs import bounds
from spec import local
from spec.explore import explore
from spec.profiles import PY27, PY311
from spec.values import Raised, Returned, call
from tests.spec.helpers import check_generators, check_scenarios, done, fresh, run

SUBCLASS = local.LOCAL_SUBCLASS_SPEC


def test_local_created_empty() -> None:
    r = local.create(PY311, scenarios.INIT)
    assert r.outcome == Returned(None) and r.clause == local.INIT_CREATED_EMPTY


@pytest.mark.parametrize("init", [call(0, "__init__", 1), call(0, "__init__", x=1)])
def test_local_no_arguments(init) -> None:
    r = local.create(PY311, init)
    assert r.outcome == Raised("TypeError") and r.clause == local.INIT_NO_ARGUMENTS


def test_local_get_own_value() -> None:
    s = run(local.LOCAL_SPEC, fresh(local.LOCAL_SPEC), call(0, "set:x", 1))
    r = done(local.invoke(s, call(0, "get:x")))
    assert r.outcome == Returned(1) and r.clause == local.GET_OWN_VALUE


def test_local_get_unset_raises_attributeerror() -> None:
    s = run(local.LOCAL_SPEC, fresh(local.LOCAL_SPEC), call(0, "set:x", 1))
    r = done(local.invoke(s, call(1, "get:x")))
    assert r.outcome == Raised("AttributeError") and r.clause == local.GET_UNSET_RAISES_ATTRIBUTEERROR


def test_local_set_per_thread() -> None:
    s = run(local.LOCAL_SPEC, fresh(local.LOCAL_SPEC), call(0, "set:x", 1))
    r = done(local.invoke(s, call(1, "set:x", 2)))
    assert r.clause == local.SET_PER_THREAD
    assert done(local.invoke(r.state, call(0, "get:x"))).outcome == Returned(1)
    assert done(local.invoke(r.state, call(1, "get:x"))).outcome == Returned(2)


def test_local_del_removes_own_value() -> None:
    s = run(local.LOCAL_SPEC, fresh(local.LOCAL_SPEC), call(0, "set:x", 1), call(1, "set:x", 2))
    r = done(local.invoke(s, call(0, "del:x")))
    assert r.outcome == Returned(None) and r.clause == local.DEL_REMOVES_OWN_VALUE
    assert done(local.invoke(r.state, call(0, "get:x"))).outcome == Raised("AttributeError")
    assert done(local.invoke(r.state, call(1, "get:x"))).outcome == Returned(2)
    r = done(local.invoke(r.state, call(0, "del:x")))
    assert r.outcome == Raised("AttributeError") and r.clause == local.DEL_REMOVES_OWN_VALUE


@pytest.mark.parametrize("c,exc", [(call(0, "set:x"), "TypeError"), (call(0, "get:x", 1), "TypeError"),
                                   (call(0, "acquire"), "AttributeError"), (call(0, "get:__dict__"),
                                                                            "AttributeError")])
def test_local_bad_call(c, exc) -> None:
    r = done(local.invoke(fresh(local.LOCAL_SPEC), c))
    assert r.outcome == Raised(exc) and r.clause == local.CALL_BAD_ARGUMENTS


# ---------------------------------------------------------------------------
# LocalSubclass
# ---------------------------------------------------------------------------


def subclass(init=scenarios.SUBCLASS_INIT) -> local.State:
    return fresh(SUBCLASS, *init.args, **init.kw())


def test_local_subclass_created() -> None:
    r = local.create_subclass(PY311, scenarios.SUBCLASS_INIT)
    assert r.outcome == Returned(None) and r.clause == local.LOCAL_SUBCLASS_INIT_CREATED
    assert r.state is not None and r.state.init_args == (5, "five") and r.state.values == ()
    r = local.create_subclass(PY311, call(0, "__init__", size=5))
    assert r.outcome == Raised("TypeError") and r.state is None
    assert r.clause == local.LOCAL_SUBCLASS_INIT_CREATED


def test_local_subclass_init_runs_in_each_thread() -> None:
    r = done(local.invoke(subclass(), call(1, "get:args")))
    assert r.outcome == Returned((5, "five")) and r.clause == local.LOCAL_SUBCLASS_INIT_RUNS_IN_EACH_THREAD
    r2 = done(local.invoke(r.state, call(2, "get:args")))
    assert r2.outcome == Returned((5, "five")) and r2.clause == local.LOCAL_SUBCLASS_INIT_RUNS_IN_EACH_THREAD
    assert r2.state.touched == {1, 2}


def test_local_subclass_init_runs_before_any_use() -> None:
    s = done(local.invoke(subclass(), call(1, "get:x"))).state  # raises, but inits
    assert done(local.invoke(s, call(1, "get:x"))).outcome == Raised("AttributeError")
    s = done(local.invoke(s, call(1, "set:args", 7))).state
    r = done(local.invoke(s, call(1, "get:args")))
    assert r.outcome == Returned(7) and r.clause == local.GET_OWN_VALUE
    r = done(local.invoke(subclass(), call(3, "del:args")))
    assert r.outcome == Returned(None) and r.clause == local.DEL_REMOVES_OWN_VALUE
    assert done(local.invoke(r.state, call(3, "get:args"))).outcome == Raised("AttributeError")


def test_local_subclass_without_arguments() -> None:
    r = done(local.invoke(subclass(call(0, "__init__")), call(1, "get:args")))
    assert r.outcome == Returned(())


def test_plain_local_has_no_init() -> None:
    r = done(local.invoke(fresh(local.LOCAL_SPEC), call(1, "get:args")))
    assert r.outcome == Raised("AttributeError") and r.state.touched == frozenset()


@pytest.mark.parametrize("profile", [PY27, PY311])
def test_local_subclass_ops(profile) -> None:
    assert "get:args" in local.subclass_ops(profile)
    assert SUBCLASS.name == local.SUBCLASS_PRIMITIVE


# ---------------------------------------------------------------------------
# Exhaustive explorations
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("bound", bounds.for_primitive("local", "LocalSubclass"), ids=str)
def test_exhaustive_invariants_hold(bound: bounds.Bound) -> None:
    ex = explore(bound.spec, bound.profile, bound.init, bound.alphabet, bound.threads, bound.calls)
    assert ex.violations == []
    if bound.primitive == local.SUBCLASS_PRIMITIVE:
        assert local.LOCAL_SUBCLASS_INIT_RUNS_IN_EACH_THREAD in ex.clauses
    # pinned (in proofs/bounds.py): a change to these numbers is a change to the spec; look at it.
    assert (len(ex.states), ex.nodes) == bound.pinned


# ---------------------------------------------------------------------------
# The scenarios and generators of conformance/scenarios/local.py
# ---------------------------------------------------------------------------

SPECS = {local.PRIMITIVE: local.LOCAL_SPEC, local.SUBCLASS_PRIMITIVE: SUBCLASS}


def test_scenarios_are_runnable_and_exercise_what_they_cover() -> None:
    check_scenarios(scenarios.SCENARIOS, SPECS)


def test_new_clauses_have_scenarios() -> None:
    covered = {c for sc in scenarios.SCENARIOS for c in sc.covers}
    assert {local.LOCAL_SUBCLASS_INIT_CREATED, local.LOCAL_SUBCLASS_INIT_RUNS_IN_EACH_THREAD} <= covered


def test_generators_draw_valid_calls() -> None:
    check_generators(scenarios.GENERATORS, SPECS)
