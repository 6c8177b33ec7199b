"""ThreadSubclass (spec.thread_subclass): a Thread whose run() is overridden. One test per clause,
its scenarios and alphabet, and its exhaustive explorations (counts pinned in proofs/bounds.py)."""

from __future__ import annotations

import pytest

import spec
from conformance.scenarios import thread_subclass as scenarios
from proofs import bounds
from spec import thread, thread_subclass
from spec.explore import explore
from spec.profiles import PY27, PY311, PY314, Profile
from spec.thread_state import OWN, Kind, Life
from spec.values import ENV, GATE_ENTERED, Call, Gate, Raised, Returned, call
from tests.spec import helpers
from tests.spec.helpers import blocked, done

SPEC = thread.SUBCLASS_SPEC
INIT = scenarios.INIT


def started(profile: Profile = PY311) -> thread.State:
    s = helpers.fresh(SPEC, target=Gate(2), run=Gate(1), profile=profile)
    return helpers.run(SPEC, s, call(1, "start"))


def entered(gate: int) -> Call:
    return call(ENV, GATE_ENTERED, gate, (), ())


@pytest.mark.parametrize("profile", [PY27, PY311, PY314], ids=str)
def test_init_created_keeps_thread_arguments_and_takes_run(profile: Profile) -> None:
    r = SPEC.create(profile, call(0, "__init__", target=Gate(2), name="n", run=Gate(1)))
    assert r.clause == thread_subclass.INIT_CREATED and r.outcome == Returned(None)
    assert r.state is not None and r.state.kind is Kind.SUBCLASS and r.state.name == "n"
    assert r.state.action == 1 and r.state.call_args == () and r.state.call_kwargs == ()


def test_init_with_bad_thread_arguments_raises_as_thread_does() -> None:
    r = SPEC.create(PY311, call(0, "__init__", 1, 2, 3, 4, 5, 6, run=Gate(1)))
    assert r.state is None and r.outcome == Raised("TypeError")
    assert r.clause == thread.INIT_BAD_ARGUMENTS_RAISE_TYPEERROR


def test_start_runs_the_override_in_the_new_thread() -> None:
    s = helpers.fresh(SPEC, target=Gate(2), run=Gate(1))
    r = done(SPEC.invoke(s, call(1, "start")))
    assert r.clause == thread_subclass.START_RUNS_OVERRIDE_IN_NEW_THREAD and r.state.life is Life.RUNNING
    # the thread itself waits in the override's gate 1: its own join() raises
    own = done(SPEC.invoke(r.state, call(OWN, "join")))
    assert own.outcome == Raised("RuntimeError") and own.clause == thread.JOIN_CURRENT_THREAD_RAISES


def test_the_override_is_called_with_no_arguments_and_never_the_target() -> None:
    s = started()
    r = done(SPEC.invoke(s, entered(1)))
    assert r.outcome == Returned(None) and r.clause == thread_subclass.RUN_OVERRIDE_REPLACES_TARGET
    wrong = blocked(SPEC.invoke(s, entered(2)))  # the target: no state of the spec calls it
    assert wrong.clause == thread_subclass.RUN_OVERRIDE_REPLACES_TARGET
    with_arguments = done(SPEC.invoke(s, call(ENV, GATE_ENTERED, 1, (5,), ())))
    assert with_arguments.outcome == Raised("TypeError")


def test_the_override_ends_the_thread_as_its_function_does() -> None:
    s = helpers.run(SPEC, started(), call(ENV, "gate.open", 1, "ValueError"))
    (end,) = [st for st in SPEC.wakeups(s) if st.clause == thread_subclass.RUN_OVERRIDE_REPLACES_TARGET]
    assert end.thread == ENV and end.state.life in (Life.EXITING, Life.HOOK)


def test_run_called_directly_calls_the_override_every_time() -> None:
    """The standard run() deletes the target when it ends (CPython): a second run() raises
    AttributeError. An override keeps its function, so it runs again."""
    s = helpers.fresh(SPEC, target=Gate(2), run=Gate(1))
    s = helpers.run(SPEC, s, call(ENV, "gate.open", 1))
    for _ in range(2):
        b = blocked(SPEC.invoke(s, call(1, "run")))
        assert b.clause == thread_subclass.RUN_OVERRIDE_REPLACES_TARGET
        (back,) = [st for st in SPEC.wakeups(b.state) if st.thread == 1]
        assert back.outcome == Returned(None) and back.clause == thread_subclass.RUN_OVERRIDE_REPLACES_TARGET
        s = back.state
        assert not s.consumed


def test_without_run_the_override_calls_nothing() -> None:
    s = helpers.run(SPEC, helpers.fresh(SPEC, target=Gate(2)), call(1, "start"))
    (end,) = list(SPEC.wakeups(s))
    assert end.clause == thread_subclass.RUN_OVERRIDE_REPLACES_TARGET
    assert blocked(SPEC.invoke(s, entered(2))).clause == thread_subclass.RUN_OVERRIDE_REPLACES_TARGET


def test_a_non_callable_run_raises_typeerror_in_the_thread() -> None:
    s = helpers.run(SPEC, helpers.fresh(SPEC, run=5), call(1, "start"))
    (end,) = list(SPEC.wakeups(s))
    assert end.clause == thread_subclass.RUN_OVERRIDE_REPLACES_TARGET and end.state.life is not Life.RUNNING


def test_the_subclass_is_a_companion_of_thread() -> None:
    assert thread.SPEC.companions == (thread_subclass.PRIMITIVE,)
    assert spec.PRIMITIVES[thread_subclass.PRIMITIVE] is SPEC and SPEC.companions == ()


def test_scenarios_take_the_clauses_they_cover() -> None:
    helpers.check_scenarios(scenarios.SCENARIOS, spec.PRIMITIVES)
    helpers.check_generators(scenarios.GENERATORS, spec.PRIMITIVES)


@pytest.mark.parametrize("bound", bounds.for_primitive(thread_subclass.PRIMITIVE), ids=str)
def test_exhaustive_invariants_hold(bound: bounds.Bound) -> None:
    ex = explore(bound.spec, bound.profile, bound.init, bound.alphabet, bound.threads, bound.calls)
    assert ex.violations == []
    # pinned (in proofs/bounds.py): a change to these numbers is a change to the spec; look at it.
    assert (len(ex.states), ex.nodes) == bound.pinned
