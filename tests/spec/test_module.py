"""Module functions' returned Threads and enumerate()'s listing: one test per clause, and the
scenarios of conformance/scenarios/module_functions.py."""

from __future__ import annotations

import pytest

from conformance.scenarios import module_functions as scenarios
from spec import module, thread
from spec.clauses import REGISTRY
from spec.core import Blocked, Done
from spec.profiles import PY27, PY311, PY312, PY313, PY314, Strictness
from spec.thread_state import State
from spec.values import ANY, ANY_STR, Raised, Returned, call, value_matches
from tests.spec.helpers import check_scenarios, done, fresh

DOC311 = PY311.with_strictness(Strictness.DOCUMENTED)


def unnamed(profile=PY311) -> State:
    """A Thread with no target and a default name, on whose module the functions are called."""
    return fresh(thread.SPEC, profile=profile)


def summary(name, daemon, ident, name_shared=False):
    """A Thread summary as the checker decodes the agent's (sorted fields)."""
    return ("thread", (("daemon", daemon), ("ident", ident), ("name", name), ("name_shared", name_shared)))


MAIN = summary("MainThread", False, "main")


def observed(r: Done, value) -> bool:
    assert isinstance(r.outcome, Returned)
    return value_matches(r.outcome.value, value)


# --- main_thread ---


def test_main_thread_returns_main_thread() -> None:
    r = done(thread.invoke(unnamed(), call(1, "module.main_thread")))
    assert r.clause == module.MAIN_THREAD_RETURNS_MAIN_THREAD
    assert observed(r, MAIN)
    assert not observed(r, summary("Dummy-3", True, "caller"))  # the caller's thread
    assert not observed(r, summary("Main", False, "main"))  # CPython: named MainThread
    doc = done(thread.invoke(unnamed(DOC311), call(1, "module.main_thread")))
    assert observed(doc, summary("Main", False, "main"))


# --- current_thread ---


def test_current_thread_dummy_for_alien_thread() -> None:
    r = done(thread.invoke(unnamed(), call(1, "module.current_thread")))
    assert r.clause == module.CURRENT_THREAD_DUMMY_FOR_ALIEN_THREAD and r.state.module.dummies == {1}
    assert observed(r, summary("Dummy-3", True, "caller"))
    assert not observed(r, MAIN)  # the main thread instead of a dummy
    assert not observed(r, summary("Dummy-3", False, "caller"))  # dummies are daemonic
    assert not observed(r, summary("Dummy-3", True, "worker"))  # another worker's dummy
    assert not observed(r, summary("Thread-3", True, "caller"))  # CPython: named Dummy-N
    doc = done(thread.invoke(unnamed(DOC311), call(1, "module.current_thread")))
    assert observed(doc, summary("anything", True, "caller"))


def test_currentThread_alias_returns_the_same_summary() -> None:
    r = done(thread.invoke(unnamed(PY27), call(1, "module.currentThread")))
    assert r.clause == module.CURRENT_THREAD_ALIAS and observed(r, summary("Dummy-1", True, "caller"))
    r = done(thread.invoke(unnamed(), call(1, "module.currentThread")))
    assert r.outcome.warning == "DeprecationWarning" and r.clause == module.CURRENT_THREAD_DEPRECATION_WARNING


# --- Thread() called by a worker ---


def test_thread_default_name_unique() -> None:
    r = done(thread.invoke(unnamed(), call(1, "module.Thread")))
    assert r.clause == module.THREAD_DEFAULT_NAME_UNIQUE and 1 in r.state.module.dummies
    assert observed(r, summary("Thread-7", True, None))
    assert not observed(r, summary("Thread-7", True, None, name_shared=True))  # a repeated name
    assert not observed(r, summary("Thread-7", False, None))  # daemon inherited from the dummy
    assert not observed(r, summary("Thread-7", True, "caller"))  # not started
    assert not observed(r, summary("worker", True, None))  # CPython: Thread-N
    assert observed(done(thread.invoke(unnamed(DOC311), call(1, "module.Thread"))), summary("w", True, None))


def test_thread_with_arguments_not_modelled() -> None:
    r = done(thread.invoke(unnamed(), call(1, "module.Thread", name="x")))
    assert r.outcome == Raised("TypeError") and r.clause == module.CALL_BAD_NAME_OR_ARGUMENTS


# --- enumerate ---


def bound(profile=PY311, baseline=2) -> State:
    b = thread.invoke(unnamed(profile), call(1, "module.enumerate"))
    assert isinstance(b, Blocked)
    return next(st.state for st in thread.wakeups(b.state) if st.state.module.baseline == baseline)


def test_enumerate_default_names_distinct() -> None:
    r = done(thread.invoke(bound(), call(1, "module.enumerate")))
    assert r.clause == module.ENUMERATE_DEFAULT_NAMES_DISTINCT
    assert observed(r, (MAIN, summary("Dummy-2", True, "caller")))
    assert observed(r, (MAIN, ("ref", 4)))  # a Thread the checker created: by reference
    assert observed(r, (MAIN, summary("x", True, "worker", True)))
    assert not observed(r, (MAIN,))  # one thread too few
    assert not observed(r, (MAIN, MAIN))  # the main thread twice
    no_main = (summary("Dummy-1", True, "caller"), summary("Dummy-2", True, "worker"))
    assert not observed(r, no_main)
    two_callers = (MAIN, summary("Dummy-1", True, "caller"), summary("Dummy-2", True, "caller"))
    assert not observed(done(thread.invoke(bound(baseline=3), call(1, "module.enumerate"))), two_callers)


@pytest.mark.parametrize("profile", [PY27, PY311, PY311.with_strictness(Strictness.DOCUMENTED)])
def test_enumerate_lists_the_dummy_thread_of_a_caller_that_asked_for_it(profile) -> None:
    """A worker that called current_thread() has a dummy thread: the list it gets has it once
    (the documentation: "The list includes ... dummy thread objects created by current_thread()")."""
    asked = done(thread.invoke(bound(profile), call(1, "module.current_thread"))).state
    b = thread.invoke(asked, call(1, "module.enumerate"))
    assert isinstance(b, Blocked)  # asking may have added a dummy thread: the count binds again
    step = next(st for st in thread.wakeups(b.state) if st.state.module.baseline == 2)
    assert step.clause == module.ENUMERATE_LISTS_CALLERS_DUMMY
    assert value_matches(step.outcome.value, (MAIN, summary("Dummy-1", True, "caller")))
    assert not value_matches(step.outcome.value, (MAIN, summary("Dummy-1", True, "worker")))
    r = done(thread.invoke(step.state, call(1, "module.enumerate")))
    assert r.clause == module.ENUMERATE_LISTS_CALLERS_DUMMY
    assert observed(r, (MAIN, summary("Dummy-1", True, "caller")))
    assert not observed(r, (MAIN, summary("Dummy-1", True, "worker")))  # not the caller's
    other = done(thread.invoke(step.state, call(2, "module.enumerate")))  # a worker that never asked
    assert other.clause == module.ENUMERATE_DEFAULT_NAMES_DISTINCT
    assert observed(other, (MAIN, summary("Dummy-1", True, "worker")))


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
    b = thread.invoke(unnamed(), call(1, "module.enumerate"))
    assert isinstance(b, Blocked)
    step = next(st for st in thread.wakeups(b.state) if st.state.module.baseline == 2)
    assert step.clause == module.ENUMERATE_LISTS_ALIVE_THREADS
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


def test_any_is_not_a_summary() -> None:
    assert module.summary_field(summary("a", True, None), "name") == "a"
    assert ANY_STR is not None


# --- the scenarios in conformance/scenarios/module_functions.py ---


def test_module_function_scenarios_are_runnable_and_exercise_what_they_cover() -> None:
    check_scenarios(scenarios.SCENARIOS, {thread.PRIMITIVE: thread.SPEC})


def test_new_clauses_have_scenarios() -> None:
    covered = {c for sc in scenarios.SCENARIOS for c in sc.covers}
    assert {module.THREAD_DEFAULT_NAME_UNIQUE, module.ENUMERATE_DEFAULT_NAMES_DISTINCT,
            module.MAIN_THREAD_RETURNS_MAIN_THREAD, module.CURRENT_THREAD_DUMMY_FOR_ALIEN_THREAD} <= covered


# --- names that became classes ---


@pytest.mark.parametrize("name", sorted(module.IS_A_CLASS))
def test_names_that_became_classes_hold_classes(name: str) -> None:
    which = module.IS_A_CLASS[name]
    since = REGISTRY[which].since
    r = done(thread.invoke(unnamed(PY314), call(1, f"module.get:{name}")))
    assert r.clause == which
    assert observed(r, ("object", "type"))
    assert not observed(r, ("object", "function"))  # 2.7's factory function
    assert not observed(r, ("object", "builtin_function_or_method"))  # Lock before 3.13
    before = PY27 if since == (3, 3) else PY312
    assert f"module.get:{name}" not in module.ops(before)
    r = done(thread.invoke(unnamed(before), call(1, f"module.get:{name}")))
    assert r.outcome == Raised("AttributeError")


@pytest.mark.parametrize(
    "profile,exc",
    [(PY27, "AssertionError"), (PY311, "AssertionError"), (PY313, "RuntimeError"),
     (PY311.with_strictness(Strictness.DOCUMENTED), "Exception")],
)
def test_a_dummy_thread_cannot_be_joined(profile, exc) -> None:
    r = module.invoke(profile, module.ModuleState(), call(1, "module.current_thread().join"), 0)
    assert r.outcome == Raised(exc) and r.clause == module.CURRENT_THREAD_DUMMY_CANNOT_BE_JOINED
    assert 1 in r.state.dummies and r.state.baseline is None  # it may have made the dummy
    timed = module.invoke(profile, module.ModuleState(), call(1, "module.current_thread().join", 1), 0)
    assert timed.outcome == Raised(exc)
    bad = module.invoke(profile, module.ModuleState(), call(1, "module.current_thread().join", 1, 2), 0)
    assert bad.outcome == Raised("TypeError")
