"""Module functions' returned Threads, enumerate()'s listing, and the agent's local subclass:
one test per clause, and an exhaustive exploration of LocalSubclass with a pinned count."""

from __future__ import annotations

import pytest

from spec import module, thread
from spec.core import Blocked, Done
from spec.explore import explore
from spec.profiles import PY27, PY311, Strictness
from spec.values import ANY, ANY_STR, Raised, Returned, call, value_matches

INIT = call(0, "__init__")
DOC311 = PY311.with_strictness(Strictness.DOCUMENTED)
SUBCLASS_INIT = call(0, "__init__", 5, "five")


def fresh(profile=PY311) -> thread.State:
    s = thread.create(profile, INIT).state
    assert s is not None
    return s


def done(r) -> Done:
    assert isinstance(r, Done), r
    return r


def summary(name, daemon, ident, name_shared=False):
    """A Thread summary as the checker decodes the agent's (sorted fields)."""
    return ("thread", (("daemon", daemon), ("ident", ident), ("name", name), ("name_shared", name_shared)))


MAIN = summary("MainThread", False, "main")


def observed(r: Done, value) -> bool:
    assert isinstance(r.outcome, Returned)
    return value_matches(r.outcome.value, value)


# --- main_thread ---


def test_main_thread_returns_main_thread() -> None:
    r = done(thread.invoke(fresh(), call(1, "module.main_thread")))
    assert r.clause == module.MAIN_THREAD
    assert observed(r, MAIN)
    assert not observed(r, summary("Dummy-3", True, "caller"))  # the caller's thread
    assert not observed(r, summary("Main", False, "main"))  # CPython: named MainThread
    doc = done(thread.invoke(fresh(DOC311), call(1, "module.main_thread")))
    assert observed(doc, summary("Main", False, "main"))


# --- current_thread ---


def test_current_thread_dummy_for_alien_thread() -> None:
    r = done(thread.invoke(fresh(), call(1, "module.current_thread")))
    assert r.clause == module.CURRENT_THREAD and r.state.module.dummies == {1}
    assert observed(r, summary("Dummy-3", True, "caller"))
    assert not observed(r, MAIN)  # the main thread instead of a dummy
    assert not observed(r, summary("Dummy-3", False, "caller"))  # dummies are daemonic
    assert not observed(r, summary("Dummy-3", True, "worker"))  # another worker's dummy
    assert not observed(r, summary("Thread-3", True, "caller"))  # CPython: named Dummy-N
    doc = done(thread.invoke(fresh(DOC311), call(1, "module.current_thread")))
    assert observed(doc, summary("anything", True, "caller"))


def test_currentThread_alias_returns_the_same_summary() -> None:
    r = done(thread.invoke(fresh(PY27), call(1, "module.currentThread")))
    assert r.clause == module.CURRENT_THREAD_ALIAS and observed(r, summary("Dummy-1", True, "caller"))
    r = done(thread.invoke(fresh(), call(1, "module.currentThread")))
    assert r.outcome.warning == "DeprecationWarning" and r.clause == module.CURRENT_THREAD_DEPRECATED


# --- Thread() called by a worker ---


def test_thread_default_name_unique() -> None:
    r = done(thread.invoke(fresh(), call(1, "module.Thread")))
    assert r.clause == module.NEW_THREAD and 1 in r.state.module.dummies
    assert observed(r, summary("Thread-7", True, None))
    assert not observed(r, summary("Thread-7", True, None, name_shared=True))  # a repeated name
    assert not observed(r, summary("Thread-7", False, None))  # daemon inherited from the dummy
    assert not observed(r, summary("Thread-7", True, "caller"))  # not started
    assert not observed(r, summary("worker", True, None))  # CPython: Thread-N
    assert observed(done(thread.invoke(fresh(DOC311), call(1, "module.Thread"))), summary("w", True, None))


def test_thread_with_arguments_not_modelled() -> None:
    r = done(thread.invoke(fresh(), call(1, "module.Thread", name="x")))
    assert r.outcome == Raised("TypeError") and r.clause == module.BAD_CALL


# --- enumerate ---


def bound(profile=PY311, baseline=2) -> thread.State:
    b = thread.invoke(fresh(profile), call(1, "module.enumerate"))
    assert isinstance(b, Blocked)
    return next(st.state for st in thread.wakeups(b.state) if st.state.module.baseline == baseline)


def test_enumerate_default_names_distinct() -> None:
    r = done(thread.invoke(bound(), call(1, "module.enumerate")))
    assert r.clause == module.ENUMERATE_NAMES
    assert observed(r, (MAIN, summary("Dummy-2", True, "caller")))
    assert observed(r, (MAIN, ("ref", 4)))  # a Thread the checker created: by reference
    assert observed(r, (MAIN, summary("x", True, "worker", True)))
    assert not observed(r, (MAIN,))  # one thread too few
    assert not observed(r, (MAIN, MAIN))  # the main thread twice
    no_main = (summary("Dummy-1", True, "caller"), summary("Dummy-2", True, "worker"))
    assert not observed(r, no_main)
    two_callers = (MAIN, summary("Dummy-1", True, "caller"), summary("Dummy-2", True, "caller"))
    assert not observed(done(thread.invoke(bound(baseline=3), call(1, "module.enumerate"))), two_callers)


def test_enumerate_repeated_default_names() -> None:
    threads = (MAIN, summary("Thread-1", False, "other"), summary("Thread-1", False, "other"))
    dummies = (MAIN, summary("Dummy-1", True, "worker"), summary("Dummy-1", True, "caller"))
    named = (MAIN, summary("n", True, "worker"), summary("n", True, "caller"))
    cpython = done(thread.invoke(bound(baseline=3), call(1, "module.enumerate")))
    doc = done(thread.invoke(bound(DOC311, baseline=3), call(1, "module.enumerate")))
    assert not observed(cpython, threads) and not observed(doc, threads)
    assert not observed(cpython, dummies) and observed(doc, dummies)  # Dummy-N: CPython only
    assert observed(cpython, named)  # names a program gives may repeat


def test_enumerate_binding_step_checks_the_listing() -> None:
    b = thread.invoke(fresh(), call(1, "module.enumerate"))
    assert isinstance(b, Blocked)
    step = next(st for st in thread.wakeups(b.state) if st.state.module.baseline == 2)
    assert step.clause == module.ENUMERATE
    assert value_matches(step.outcome.value, (MAIN, summary("Dummy-1", True, "caller")))
    assert not value_matches(step.outcome.value, (MAIN, MAIN))


def test_patterns_compare_as_values() -> None:
    assert module.AliveThreads(2, True) == module.AliveThreads(2, True)
    assert module.AliveThreads(2, True) != module.AliveThreads(2, False)
    assert Returned(module.AliveThreads(2, True)) == Returned(module.AliveThreads(2, True))
    assert len({module.NameLike("a"), module.NameLike("a")}) == 1
    assert module.NameLike(module.DUMMY_NAME) == "Dummy-12" and module.NameLike(module.DUMMY_NAME) != "Dummy-"
    assert module.NameLike(module.DEFAULT_THREAD_NAME) == "Thread-3 (gate_1)"
    assert module.summary_field(ANY, "name") is module.MISSING_FIELD


# --- LocalSubclass ---


def subclass(init=SUBCLASS_INIT) -> module.LocalState:
    s = module.create_local_subclass(PY311, init).state
    assert s is not None
    return s


def test_local_subclass_created() -> None:
    r = module.create_local_subclass(PY311, SUBCLASS_INIT)
    assert r.outcome == Returned(None) and r.clause == module.LOCAL_SUBCLASS_CREATED
    assert r.state is not None and r.state.init_args == (5, "five") and r.state.values == ()
    r = module.create_local_subclass(PY311, call(0, "__init__", size=5))
    assert r.outcome == Raised("TypeError") and r.state is None and r.clause == module.LOCAL_SUBCLASS_CREATED


def test_local_subclass_init_runs_in_each_thread() -> None:
    r = done(module.invoke_local(subclass(), call(1, "get:args")))
    assert r.outcome == Returned((5, "five")) and r.clause == module.LOCAL_SUBCLASS_INIT
    r2 = done(module.invoke_local(r.state, call(2, "get:args")))
    assert r2.outcome == Returned((5, "five")) and r2.clause == module.LOCAL_SUBCLASS_INIT
    assert r2.state.touched == {1, 2}


def test_local_subclass_init_runs_before_any_use() -> None:
    s = done(module.invoke_local(subclass(), call(1, "get:x"))).state  # raises, but inits
    assert done(module.invoke_local(s, call(1, "get:x"))).outcome == Raised("AttributeError")
    s = done(module.invoke_local(s, call(1, "set:args", 7))).state
    r = done(module.invoke_local(s, call(1, "get:args")))
    assert r.outcome == Returned(7) and r.clause == module.LOCAL_GET
    r = done(module.invoke_local(subclass(), call(3, "del:args")))
    assert r.outcome == Returned(None) and r.clause == module.LOCAL_DEL
    assert done(module.invoke_local(r.state, call(3, "get:args"))).outcome == Raised("AttributeError")


def test_local_subclass_without_arguments() -> None:
    r = done(module.invoke_local(subclass(call(0, "__init__")), call(1, "get:args")))
    assert r.outcome == Returned(())


def test_plain_local_has_no_init() -> None:
    s = module.create_local(PY311, INIT).state
    assert s is not None
    r = done(module.invoke_local(s, call(1, "get:args")))
    assert r.outcome == Raised("AttributeError") and r.state.touched == frozenset()


@pytest.mark.parametrize("profile", [PY27, PY311])
def test_local_subclass_ops(profile) -> None:
    assert "get:args" in module.local_subclass_ops(profile)
    assert module.LOCAL_SUBCLASS_SPEC.name == module.LOCAL_SUBCLASS


SUBCLASS_ALPHABET = [
    lambda t: call(t, "get:args"),
    lambda t: call(t, "set:args", 1),
    lambda t: call(t, "del:args"),
    lambda t: call(t, "get:x"),
]


def test_exhaustive_local_subclass_invariants_hold() -> None:
    ex = explore(
        module.LOCAL_SUBCLASS_SPEC, PY311, SUBCLASS_INIT, SUBCLASS_ALPHABET, threads=3, calls_per_thread=2
    )
    assert ex.violations == []
    assert module.LOCAL_SUBCLASS_INIT in ex.clauses
    # pinned: a change to these numbers is a change to the spec; look at it.
    assert (len(ex.states), ex.nodes) == (SUBCLASS_STATES, SUBCLASS_NODES)


SUBCLASS_STATES, SUBCLASS_NODES = 64, 343


def test_any_is_not_a_summary() -> None:
    assert module.summary_field(summary("a", True, None), "name") == "a"
    assert ANY_STR is not None


# --- the scenarios in conformance/scenarios/module_functions.py ---

SPECS = {thread.PRIMITIVE: thread.SPEC, module.LOCAL_SUBCLASS: module.LOCAL_SUBCLASS_SPEC}


def test_module_function_scenarios_are_runnable_and_exercise_what_they_cover() -> None:
    from conformance.scenarios import module_functions as scenarios
    from spec.profiles import VERSIONS, profile_for
    from tests.spec.test_thread import simulate

    names = [sc.name for sc in scenarios.SCENARIOS]
    assert len(set(names)) == len(names)
    for sc in scenarios.SCENARIOS:
        profiles = [p for p in (profile_for(v) for v in VERSIONS) if sc.applies_to(p)]
        assert profiles, sc.name
        exercised: set[str] = set()
        for p in profiles:
            exercised |= simulate(SPECS[sc.primitive], p, sc)
        assert set(sc.covers) <= exercised, (sc.name, set(sc.covers) - exercised)


def test_new_clauses_have_scenarios() -> None:
    from conformance.scenarios import module_functions as scenarios

    covered = {c for sc in scenarios.SCENARIOS for c in sc.covers}
    assert {module.NEW_THREAD, module.ENUMERATE_NAMES, module.MAIN_THREAD, module.CURRENT_THREAD,
            module.LOCAL_SUBCLASS_CREATED, module.LOCAL_SUBCLASS_INIT} <= covered


def test_generators_draw_valid_calls() -> None:
    from conformance.scenarios import module_functions as scenarios

    for g in scenarios.GENERATORS:
        spec = SPECS[g.primitive]
        s = spec.create(PY311, g.init).state
        assert s is not None
        for make in g.alphabet:
            assert make(1).op in spec.ops(PY311)
