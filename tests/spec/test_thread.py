"""Thread, Timer, module functions and local: one test per clause, and exhaustive
explorations with pinned state counts."""

from __future__ import annotations

import math
from functools import partial

import pytest

from conformance.scenarios import thread as scenarios
from proofs import bounds
from spec import module, thread, thread_excepthook, timer
from spec import thread_attributes as attributes
from spec.core import TIMEOUT_MAX, Done
from spec.explore import explore
from spec.profiles import PY27, PY36, PY37, PY38, PY39, PY310, PY311, PY312, PY313, PY314, Strictness
from spec.thread_state import INHERITED, OWN, Life, Run, RunStage, State
from spec.values import (
    ANY,
    ANY_INT,
    ANY_STR,
    ENV,
    GATE_ENTERED,
    THREAD_EXITED,
    Call,
    Gate,
    Hook,
    New,
    Original,
    Raised,
    Returned,
    Value,
    call,
    in_gate,
    outcome_matches,
    template,
)
from tests.spec.helpers import blocked, check_generators, check_scenarios, done, fresh, run

INIT = call(0, "__init__", target=Gate(1))
TIMER_INIT = call(0, "__init__", 0.05, Gate(1))
DOC311 = PY311.with_strictness(Strictness.DOCUMENTED)

do = partial(run, thread.SPEC)
"""``do(s, *calls)``: apply calls that complete at once to a Thread's (or Timer's) state."""


def new_thread(profile=PY311, init=INIT) -> State:
    """A Thread built by ``init`` (by default, one whose target is gate 1)."""
    return fresh(thread.SPEC, *init.args, profile=profile, **init.kw())


def new_timer(profile=PY311, init=TIMER_INIT) -> State:
    """A Timer built by ``init`` (by default, one whose function is gate 1)."""
    return fresh(thread.TIMER_SPEC, *init.args, profile=profile, **init.kw())


def env_steps(s):
    return [st for st in thread.wakeups(s) if st.thread == ENV]


def settle(s):
    """Let the environment move as long as it can (its steps here are deterministic)."""
    while True:
        steps = env_steps(s)
        if not steps:
            return s
        assert len(steps) == 1, steps
        s = steps[0].state


def started(profile=PY311, init=INIT):
    return do(new_thread(profile, init), call(0, "start"))


def stopped(profile=PY311):
    return settle(do(started(profile), call(ENV, "gate.open", 1)))


OPEN_1 = call(ENV, "gate.open", 1)


# ---------------------------------------------------------------------------
# Thread: construction
# ---------------------------------------------------------------------------


def test_init_created_not_started() -> None:
    r = thread.create(PY311, INIT)
    assert r.outcome == Returned(None) and r.clause == thread.INIT_CREATED_NOT_STARTED
    assert r.state is not None and r.state.life is Life.NEW and r.state.action == 1


@pytest.mark.parametrize(
    "profile,init",
    [
        (PY311, call(0, "__init__", None, Gate(1), "n", (), None, True)),
        (PY311, call(0, "__init__", foo=1)),
        (PY311, call(0, "__init__", verbose=None)),
        (PY27, call(0, "__init__", daemon=True)),
        (PY313, call(0, "__init__", context=None)),
    ],
)
def test_init_bad_arguments_raise_typeerror(profile, init) -> None:
    r = thread.create(profile, init)
    assert r.outcome == Raised("TypeError")
    assert r.state is None
    assert r.clause == thread.INIT_BAD_ARGUMENTS_RAISE_TYPEERROR


def test_init_verbose_is_a_parameter_in_27() -> None:
    r = thread.create(PY27, call(0, "__init__", None, Gate(1), "n", (), None, True))
    assert r.outcome == Returned(None) and r.state is not None


def test_init_group_must_be_none() -> None:
    r = thread.create(PY311, call(0, "__init__", group=1, target=Gate(1)))
    assert r.outcome == Raised("AssertionError") and r.clause == thread.INIT_GROUP_MUST_BE_NONE


def test_init_daemon_argument() -> None:
    r = thread.create(PY311, call(0, "__init__", target=Gate(1), daemon=True))
    assert r.clause == thread.INIT_DAEMON_ARGUMENT and r.state is not None
    assert done(thread.invoke(r.state, call(0, "get:daemon"))).outcome == Returned(True)


def test_init_daemon_none_inherits() -> None:
    r = thread.create(PY311, call(0, "__init__", daemon=None))
    assert r.clause == thread.INIT_CREATED_NOT_STARTED and r.state is not None and r.state.daemon is INHERITED


def test_init_context_argument_since_314() -> None:
    r = thread.create(PY314, call(0, "__init__", target=Gate(1), context=None))
    assert r.outcome == Returned(None) and r.clause == thread.INIT_CONTEXT_ARGUMENT


@pytest.mark.parametrize("target", [5, "f", True])
def test_init_non_callable_target_raises_in_the_thread(target) -> None:
    s = new_thread(init=call(0, "__init__", target=target))
    assert s.action == "TypeError"


@pytest.mark.parametrize("kw", [dict(args=5), dict(args=None), dict(kwargs=5)])
def test_init_bad_target_arguments_raise_in_the_thread(kw) -> None:
    assert new_thread(init=call(0, "__init__", target=Gate(1), **kw)).action == "TypeError"


def test_init_no_target_means_nothing_is_called() -> None:
    s = started(init=call(0, "__init__"))
    (step,) = env_steps(s)
    assert step.clause == thread.RUN_NO_TARGET_CALLS_NOTHING and step.state.life is Life.EXITING


# ---------------------------------------------------------------------------
# Thread: start, run, the end of a thread
# ---------------------------------------------------------------------------


def test_start_runs_in_new_thread() -> None:
    r = done(thread.invoke(new_thread(), call(0, "start")))
    assert r.outcome == Returned(None) and r.clause == thread.START_RUNS_IN_NEW_THREAD
    assert r.state.life is Life.RUNNING and r.state.alive and r.state.listed == 1
    assert r.state.runs == (Run(OWN, RunStage.CALLING),)


def test_target_blocks_until_its_gate_opens() -> None:
    assert env_steps(started()) == []


@pytest.mark.parametrize("s", [started(), stopped()], ids=["alive", "stopped"])
def test_start_twice_raises(s) -> None:
    r = done(thread.invoke(s, call(1, "start")))
    assert r.outcome == Raised("RuntimeError") and r.clause == thread.START_TWICE_RAISES and r.state == s


def test_run_calls_target_and_returns_its_result() -> None:
    b = blocked(thread.invoke(new_thread(), call(0, "run")))
    assert b.clause == thread.RUN_CALLS_TARGET and list(thread.wakeups(b.state)) == []
    s = do(b.state, call(ENV, "gate.open", 1))
    (step,) = thread.wakeups(s)
    assert (step.thread, step.outcome, step.clause) == (0, Returned(None), thread.RUN_CALLS_TARGET)
    assert step.state.consumed and step.state.life is Life.NEW


def test_run_propagates_the_targets_exception() -> None:
    running = blocked(thread.invoke(new_thread(), call(0, "run"))).state
    s = do(running, call(ENV, "gate.open", 1, "ValueError"))
    (step,) = thread.wakeups(s)
    assert step.outcome == Raised("ValueError")


def test_run_deletes_target() -> None:
    s = do(new_thread(), call(ENV, "gate.open", 1))
    (step,) = thread.wakeups(blocked(thread.invoke(s, call(0, "run"))).state)
    r = done(thread.invoke(step.state, call(0, "run")))
    assert r.outcome == Raised("AttributeError") and r.clause == thread.RUN_DELETES_TARGET


def test_run_after_run_at_documented_strictness_may_call_target_again() -> None:
    s = do(new_thread(DOC311), call(ENV, "gate.open", 1))
    (step,) = thread.wakeups(blocked(thread.invoke(s, call(0, "run"))).state)
    b = blocked(thread.invoke(step.state, call(0, "run")))
    assert {st.outcome for st in thread.wakeups(b.state)} == {Returned(None), Raised("AttributeError")}


def test_start_after_run_the_thread_raises_attributeerror_and_ends() -> None:
    s = do(new_thread(), call(ENV, "gate.open", 1))
    (step,) = thread.wakeups(blocked(thread.invoke(s, call(0, "run"))).state)
    s = do(step.state, call(0, "start"))
    assert s.runs == (Run(OWN, RunStage.CALLING, late=True),)
    assert settle(s).life is Life.STOPPED


def test_two_runs_in_the_target_the_second_to_end_raises_attributeerror() -> None:
    s = do(blocked(thread.invoke(started(), call(1, "run"))).state, call(ENV, "gate.open", 1))
    worker_first = next(st for st in thread.wakeups(s) if st.thread == 1)
    assert worker_first.outcome == Returned(None)
    (own,) = env_steps(worker_first.state)
    assert own.clause == thread.RUN_DELETES_TARGET
    own_first = next(st for st in thread.wakeups(s) if st.thread == ENV)
    late = next(st for st in thread.wakeups(own_first.state) if st.thread == 1)
    assert late.outcome == Raised("AttributeError") and late.clause == thread.RUN_DELETES_TARGET


def test_run_end_terminates_thread() -> None:
    s = do(started(), call(ENV, "gate.open", 1))
    (ends,) = env_steps(s)
    assert ends.outcome is None and ends.clause == thread.RUN_CALLS_TARGET
    assert ends.state.life is Life.EXITING and ends.state.alive and ends.state.listed == 0
    (stops,) = env_steps(ends.state)
    assert stops.clause == thread.RUN_END_TERMINATES_THREAD and stops.state.life is Life.STOPPED
    assert not stops.state.alive and env_steps(stops.state) == []


def test_target_exception_ends_the_thread_too() -> None:
    assert settle(do(started(), call(ENV, "gate.open", 1, "ValueError"))).life is Life.STOPPED


def test_exception_calls_excepthook() -> None:
    s = do(new_thread(), call(1, "module.set:excepthook", Gate(2)), call(0, "start"),
           call(ENV, "gate.open", 1, "ValueError"))
    (step,) = env_steps(s)
    assert step.clause == thread.RUN_EXCEPTION_CALLS_EXCEPTHOOK and step.state.life is Life.HOOK
    s = step.state
    assert s.alive and s.listed == 1 and env_steps(s) == []
    (hook_returns,) = env_steps(do(s, call(ENV, "gate.open", 2)))
    assert hook_returns.clause == thread.RUN_EXCEPTION_CALLS_EXCEPTHOOK
    assert hook_returns.state.life is Life.EXITING


def test_excepthook_not_called_before_38() -> None:
    s = do(new_thread(PY37), call(1, "module.set:excepthook", Gate(2)), call(0, "start"),
           call(ENV, "gate.open", 1, "ValueError"))
    assert settle(s).life is Life.STOPPED


def test_excepthook_not_called_when_the_target_returns() -> None:
    s = do(new_thread(), call(1, "module.set:excepthook", Gate(2)), call(0, "start"),
           call(ENV, "gate.open", 1))
    assert settle(s).life is Life.STOPPED


# ---------------------------------------------------------------------------
# Thread: is_alive, join
# ---------------------------------------------------------------------------


def test_is_alive_reports_alive() -> None:
    s = new_thread()
    assert done(thread.invoke(s, call(1, "is_alive"))).outcome == Returned(False)
    s = do(s, call(0, "start"))
    r = done(thread.invoke(s, call(1, "is_alive")))
    assert r.outcome == Returned(True) and r.clause == thread.IS_ALIVE_REPORTS_ALIVE
    exiting = env_steps(do(s, call(ENV, "gate.open", 1)))[0].state
    assert done(thread.invoke(exiting, call(1, "is_alive"))).outcome == Returned(True)
    r = done(thread.invoke(settle(exiting), call(1, "is_alive")))
    assert r.outcome == Returned(False) and r.state.stop_seen


@pytest.mark.parametrize(
    "profile,warning",
    [
        (PY27, None),
        (PY37, "PendingDeprecationWarning"),
        (PY37.with_strictness(Strictness.DOCUMENTED), None),
        (PY38, "DeprecationWarning"),
    ],
)
def test_isAlive_alias(profile, warning) -> None:
    r = done(thread.invoke(started(profile), call(1, "isAlive")))
    assert r.outcome == Returned(True, warning) and r.clause == thread.IS_ALIVE_ALIAS


def test_isAlive_removed_in_39() -> None:
    r = done(thread.invoke(started(PY39), call(1, "isAlive")))
    assert r.outcome == Raised("AttributeError") and r.clause == thread.IS_ALIVE_REMOVED


@pytest.mark.parametrize("args", [(), (0.5,)])
def test_join_before_start_raises(args) -> None:
    r = done(thread.invoke(new_thread(), call(1, "join", *args)))
    assert r.outcome == Raised("RuntimeError") and r.clause == thread.JOIN_BEFORE_START_RAISES


def test_join_current_thread_raises() -> None:
    r = done(thread.invoke(started(), call(OWN, "join")))
    assert r.outcome == Raised("RuntimeError") and r.clause == thread.JOIN_CURRENT_THREAD_RAISES
    r = done(thread.invoke(started(), call(OWN, "join", 0.0)))
    assert r.outcome == Raised("RuntimeError") and r.clause == thread.JOIN_CURRENT_THREAD_RAISES


def test_join_current_thread_raises_in_its_excepthook() -> None:
    s = do(new_thread(), call(1, "module.set:excepthook", Gate(2)), call(0, "start"),
           call(ENV, "gate.open", 1, "ValueError"))
    (hook,) = env_steps(s)
    r = done(thread.invoke(hook.state, call(in_gate(2), "join")))
    assert r.outcome == Raised("RuntimeError") and r.clause == thread.JOIN_CURRENT_THREAD_RAISES


# ---------------------------------------------------------------------------
# Thread: calls of the thread itself, the thread's end
# ---------------------------------------------------------------------------


def test_own_calls_are_methods_of_the_thread_seen_from_inside() -> None:
    s = started()
    assert done(thread.invoke(s, call(OWN, "is_alive"))).outcome == Returned(True)
    assert done(thread.invoke(s, call(OWN, "get:ident"))).outcome == Returned(module.NONZERO_INT)
    assert done(thread.invoke(s, call(OWN, "start"))).clause == thread.START_TWICE_RAISES
    r = done(thread.invoke(s, call(OWN, "set:daemon", True)))
    assert r.clause == attributes.DAEMON_SET_AFTER_START_RAISES
    # the gate is open but the target has not returned yet: the thread still makes calls
    assert done(thread.invoke(do(s, OPEN_1), call(OWN, "is_alive"))).outcome == Returned(True)


@pytest.mark.parametrize(
    "state,who,clause_",
    [
        (new_thread, OWN, thread.START_RUNS_IN_NEW_THREAD),
        (stopped, OWN, thread.RUN_END_TERMINATES_THREAD),
        (started, in_gate(2), thread.RUN_CALLS_TARGET),
        (lambda: do(new_timer(), call(0, "start")), OWN, timer.RUN_CALLS_FUNCTION_AFTER_INTERVAL),
    ],
    ids=["not-started", "ended", "other-gate", "timer-waiting"],
)
def test_own_calls_wait_while_the_thread_is_not_in_the_gate(state, who, clause_) -> None:
    b = blocked(thread.invoke(state(), call(who, "is_alive")))
    assert b.clause == clause_ and b.state == state()


def test_own_calls_in_a_fired_timer_function() -> None:
    s = do(new_timer(), call(0, "start"))
    (fires,) = thread.expiries(s)
    assert done(thread.invoke(fires.state, call(OWN, "is_alive"))).outcome == Returned(True)
    r = done(thread.invoke(fires.state, call(OWN, "cancel")))
    assert r.clause == timer.CANCEL_ONLY_WHILE_WAITING


def test_own_module_calls_and_run_are_not_modelled() -> None:
    for op in ("run", "module.active_count"):
        r = done(thread.invoke(started(), call(OWN, op)))
        assert r.outcome == Raised("AttributeError") and r.clause == thread.CALL_BAD_ARGUMENTS


def test_thread_exited_only_once_terminated() -> None:
    r = done(thread.invoke(stopped(), call(ENV, THREAD_EXITED)))
    assert r.outcome == Returned(None)
    assert r.clause == thread.RUN_END_TERMINATES_THREAD
    assert r.state == stopped()
    exiting = env_steps(do(started(), OPEN_1))[0].state
    for s in (new_thread(), started(), exiting):
        b = blocked(thread.invoke(s, call(ENV, THREAD_EXITED)))  # it cannot have happened yet
        assert b.clause == thread.RUN_END_TERMINATES_THREAD and b.state == s
    assert done(thread.invoke(stopped(), call(1, THREAD_EXITED))).clause == thread.CALL_BAD_ARGUMENTS


def entered(gate, args=(), kwargs=()):
    return call(ENV, GATE_ENTERED, gate, args, kwargs)


def test_gate_entered_by_the_target_with_its_arguments() -> None:
    init = call(0, "__init__", target=Gate(1), args=(1, "x", Gate(3)), kwargs={"k": 2})
    s = started(init=init)
    r = done(thread.invoke(s, entered(1, (1, "x", ("gate", 9)), (("k", 2),))))
    assert r.outcome == Returned(None) and r.clause == thread.RUN_CALLS_TARGET and r.state == s
    for wrong in (entered(1, (1, "x")), entered(1, (1, "x", 3), ())):
        r = done(thread.invoke(s, wrong))
        assert r.outcome == Raised("TypeError") and r.clause == thread.RUN_CALLS_TARGET
    for not_now in (blocked(thread.invoke(s, entered(2, (1, "x", 3), (("k", 2),)))),
                    blocked(thread.invoke(new_thread(init=init), entered(1))),
                    blocked(thread.invoke(stopped(), entered(1)))):
        assert not_now.clause == thread.RUN_CALLS_TARGET


def hooked(trace, profile, start=True):
    s = do(new_thread(), call(1, "module.settrace", trace), call(1, "module.setprofile", profile))
    return do(s, call(0, "start")) if start else s


def entered_with(trace, profile):
    return Call(ENV, GATE_ENTERED, (1, (), ()), (("profile", profile), ("trace", trace)))


@pytest.mark.parametrize("trace,profile", [(Hook("t"), Hook("p")), (None, None), (Hook("t"), None)])
def test_the_run_gets_the_hooks_stored_before_start(trace, profile) -> None:
    s = hooked(trace, profile)
    r = done(thread.invoke(s, entered_with(trace, profile)))
    assert r.outcome == Returned(None) and r.clause == thread.RUN_CALLS_TARGET
    if trace is not None:
        r = done(thread.invoke(s, entered_with(None, profile)))  # the trace hook not installed
        assert r.outcome == Raised("TypeError") and r.clause == module.SETTRACE_STORES_HOOK
    r = done(thread.invoke(s, entered_with(trace, Hook("t"))))  # another hook as profiler
    assert r.outcome == Raised("TypeError") and r.clause == module.SETPROFILE_STORES_HOOK


def test_hooks_changed_after_start_or_never_set_are_not_checked() -> None:
    changed = do(hooked(Hook("t"), Hook("p")), call(2, "module.settrace", None))
    unset = do(new_thread(), call(0, "start"))
    for s in (changed, unset):
        r = done(thread.invoke(s, entered_with(Hook("x"), Hook("y"))))
        assert r.outcome == Returned(None) and r.clause == thread.RUN_CALLS_TARGET
    # an agent that reports no hooks is not checked either
    assert done(thread.invoke(hooked(Hook("t"), None), entered(1))).outcome == Returned(None)


def test_hooks_set_before_start_are_read_at_start() -> None:
    s = do(hooked(Hook("a"), None, start=False), call(1, "module.settrace", Hook("t")), call(0, "start"))
    assert done(thread.invoke(s, entered_with(Hook("t"), None))).outcome == Returned(None)
    assert done(thread.invoke(s, entered_with(Hook("a"), None))).clause == module.SETTRACE_STORES_HOOK


def test_ident_and_native_id_are_those_its_own_thread_reported() -> None:
    s = started()
    assert done(thread.invoke(s, call(1, "get:ident"))).outcome == Returned(module.NONZERO_INT)
    seen = Call(ENV, GATE_ENTERED, (1, (), ()), (("ident", 140001), ("native_id", 4242)))
    s = done(thread.invoke(s, seen)).state
    for st in (s, settle(do(s, OPEN_1))):
        r = done(thread.invoke(st, call(1, "get:ident")))
        assert r.outcome == Returned(140001) and r.clause == attributes.IDENT_INT_ONCE_STARTED
        assert done(thread.invoke(st, call(1, "get:native_id"))).outcome == Returned(4242)
    # an OS id the agent could not have (None) leaves native_id an integer, as before
    unknown = Call(ENV, GATE_ENTERED, (1, (), ()), (("ident", 7), ("native_id", None)))
    s = done(thread.invoke(started(), unknown)).state
    assert done(thread.invoke(s, call(1, "get:native_id"))).outcome == Returned(module.NON_NEGATIVE_INT)


def test_gate_entered_by_a_timer_only_once_fired() -> None:
    s = do(new_timer(init=call(0, "__init__", 0.05, Gate(1), (1,), {"k": 2})), call(0, "start"))
    b = blocked(thread.invoke(s, entered(1, (1,), (("k", 2),))))
    assert b.clause == timer.RUN_CALLS_FUNCTION_AFTER_INTERVAL
    (fires,) = thread.expiries(s)
    r = done(thread.invoke(fires.state, entered(1, (1,), (("k", 2),))))
    assert r.outcome == Returned(None) and r.clause == timer.RUN_FUNCTION_CALLED_WITH_ARGUMENTS


@pytest.mark.parametrize("profile", [PY311, DOC311])
def test_excepthook_gets_the_exception_and_the_thread(profile) -> None:
    s = do(new_thread(profile), call(1, "module.set:excepthook", Gate(2)), call(0, "start"),
           call(ENV, "gate.open", 1, "ValueError"))
    (hook,) = env_steps(s)
    args = (((("class", "ValueError"),), ("object", "ValueError"), ("object", "traceback"), ("ref", 4)),)
    r = done(thread.invoke(hook.state, entered(2, args)))
    assert r.outcome == Returned(None) and r.clause == thread.RUN_EXCEPTHOOK_GETS_THE_EXCEPTION_AND_THREAD
    no_thread = (args[0][:3] + (None,),)
    r = done(thread.invoke(hook.state, entered(2, no_thread)))
    assert r.outcome == (Raised("TypeError") if profile.cpython else Returned(None))
    # not yet
    assert blocked(thread.invoke(s, entered(2, args))).clause == thread.RUN_EXCEPTION_CALLS_EXCEPTHOOK


def test_after_the_exit_the_thread_is_not_alive_nor_listed() -> None:
    s = done(thread.invoke(stopped(), call(ENV, THREAD_EXITED))).state
    assert done(thread.invoke(s, call(1, "is_alive"))).outcome == Returned(False)
    assert s.listed == 0
    assert done(thread.invoke(s, call(1, "join", 0.0))).clause == thread.JOIN_TERMINATED_RETURNS_AT_ONCE


def test_join_blocks_until_terminated() -> None:
    b = blocked(thread.invoke(started(), call(1, "join")))
    assert b.clause == thread.JOIN_BLOCKS_UNTIL_TERMINATED and list(thread.expiries(b.state)) == []
    s = settle(do(b.state, call(ENV, "gate.open", 1)))
    (step,) = thread.wakeups(s)
    assert (step.thread, step.outcome) == (1, Returned(None))
    assert step.clause == thread.JOIN_RETURNS_WHEN_TERMINATED
    assert step.state.stop_seen and step.state.joiners == ()


def test_join_does_not_return_while_the_thread_is_exiting() -> None:
    s = blocked(thread.invoke(started(), call(1, "join"))).state
    exiting = env_steps(do(s, call(ENV, "gate.open", 1)))[0].state
    assert [st.thread for st in thread.wakeups(exiting)] == [ENV]


def test_join_terminated_returns_at_once() -> None:
    r = done(thread.invoke(stopped(), call(1, "join")))
    assert r.outcome == Returned(None) and r.clause == thread.JOIN_TERMINATED_RETURNS_AT_ONCE


def test_join_wakes_every_joiner() -> None:
    s = started()
    for t in (1, 2):
        s = blocked(thread.invoke(s, call(t, "join"))).state
    s = settle(do(s, call(ENV, "gate.open", 1)))
    assert {st.thread for st in thread.wakeups(s)} == {1, 2}


def _raced(profile):
    s = started(profile)
    for t in (1, 2):
        s = blocked(thread.invoke(s, call(t, "join"))).state
    return settle(do(s, OPEN_1))


@pytest.mark.parametrize("profile,errors", [
    (PY311, {"AssertionError", "RuntimeError"}),
    (PY39, {"AssertionError", "RuntimeError"}),
    (PY38, {"AssertionError"}),
    (PY313, set()),
    (PY27, set()),
    (PY311.with_strictness(Strictness.DOCUMENTED), {"AssertionError", "RuntimeError"}),
])
def test_concurrent_joiners_may_raise_only_where_cpython_has_the_race(profile, errors) -> None:
    race = thread.JOIN_CONCURRENT_JOINS_MAY_RAISE
    steps = [st for st in thread.wakeups(_raced(profile)) if st.clause == race]
    assert {st.outcome.exc for st in steps} == errors
    assert {st.thread for st in steps} == ({1, 2} if errors else set())


def test_join_race_needs_two_joiners_and_an_unrecorded_end() -> None:
    s = started()
    s = blocked(thread.invoke(s, call(1, "join"))).state
    s = settle(do(s, OPEN_1))
    assert [st.clause for st in thread.wakeups(s)] == [thread.JOIN_RETURNS_WHEN_TERMINATED]
    two = _raced(PY311)
    woke = next(st.state for st in thread.wakeups(two) if st.clause == thread.JOIN_RETURNS_WHEN_TERMINATED)
    # the end is recorded
    assert [st.clause for st in thread.wakeups(woke)] == [thread.JOIN_RETURNS_WHEN_TERMINATED]


@pytest.mark.parametrize("profile,after", [(PY311, {Returned(None), Raised("RuntimeError")}),
                                           (PY38, {Returned(None)})])
def test_after_a_raised_join_the_other_joiner_returns_or_on_39_raises_runtimeerror(profile, after) -> None:
    raised = next(st.state for st in thread.wakeups(_raced(profile))
                  if st.outcome == Raised("AssertionError") and st.state.stop_seen)
    assert {st.outcome for st in thread.wakeups(raised)} == after
    assert not raised.alive and done(thread.invoke(raised, call(3, "join"))).outcome == Returned(None)


def test_join_race_is_a_known_bug_clause_at_either_strictness() -> None:
    from spec.clauses import REGISTRY

    c = REGISTRY[thread.JOIN_CONCURRENT_JOINS_MAY_RAISE]
    assert c.known_bug.endswith("/116372") and c.strictness is Strictness.DOCUMENTED
    assert c.applies_to(PY39.with_strictness(Strictness.DOCUMENTED)) and not c.applies_to(PY313)


def test_join_timeout_returns_none() -> None:
    b = blocked(thread.invoke(started(), call(1, "join", 0.05)))
    (step,) = thread.expiries(b.state)
    assert step.outcome == Returned(None) and step.clause == thread.JOIN_TIMEOUT_RETURNS_NONE
    assert step.state.alive and step.state.joiners == ()
    assert thread.timeout(call(1, "join", timeout=0.05)) == 0.05


def test_join_negative_timeout_acts_as_zero() -> None:
    b = blocked(thread.invoke(started(), call(1, "join", -1)))
    assert b.clause == thread.JOIN_NEGATIVE_TIMEOUT_ACTS_AS_ZERO and len(list(thread.expiries(b.state))) == 1
    assert thread.timeout(call(1, "join", -1)) == 0.0


@pytest.mark.parametrize(
    "profile,when,timeout,expected",
    [
        (PY311, "alive", "1", "TypeError"),
        (PY311, "stopped", "1", "TypeError"),
        (PY27, "stopped", "1", "TypeError"),
        (PY38, "alive", math.nan, "ValueError"),
        (PY38, "alive", math.inf, "OverflowError"),
        (PY313, "alive", 1e300, "OverflowError"),
        (PY311, "stopped", math.nan, "ValueError"),  # not yet seen to have ended
        (PY311, "seen", math.nan, None),
        (PY311, "seen", math.inf, None),
        (PY313, "seen", math.nan, "ValueError"),
        (PY313, "seen", math.inf, "OverflowError"),
        (PY27, "alive", math.nan, "never"),
        (PY27, "alive", math.inf, "never"),
    ],
)
def test_join_bad_timeout_raises(profile, when, timeout, expected) -> None:
    s = started(profile) if when == "alive" else stopped(profile)
    if when == "seen":
        s = do(s, call(2, "is_alive"))
    r = thread.invoke(s, call(1, "join", timeout))
    if expected == "never":
        assert list(thread.expiries(blocked(r).state)) == [] and r.clause == thread.JOIN_UNDEFINED_TIMEOUT
        assert thread.timeout(call(1, "join", timeout)) is None
    elif expected is None:
        assert done(r).outcome == Returned(None)
    else:
        which = thread.JOIN_BAD_TIMEOUT_RAISES if expected == "TypeError" else thread.JOIN_UNDEFINED_TIMEOUT
        assert done(r).outcome == Raised(expected) and r.clause == which
        assert r.state.alive == s.alive


@pytest.mark.parametrize("profile", [PY39, PY310, PY311, PY312])
@pytest.mark.parametrize("timeout,exc", [(math.nan, "ValueError"), (math.inf, "OverflowError"),
                                         (1e300, "OverflowError")])
def test_join_rejected_timeout_marks_stopped(profile, timeout, exc) -> None:
    s = blocked(thread.invoke(started(profile), call(2, "join"))).state
    r = done(thread.invoke(s, call(1, "join", timeout)))
    assert r.outcome == Raised(exc) and r.clause == thread.JOIN_REJECTED_TIMEOUT_MARKS_STOPPED
    s = r.state
    assert done(thread.invoke(s, call(1, "is_alive"))).outcome == Returned(False)
    assert done(thread.invoke(s, call(1, "join", timeout))).outcome == Returned(None)
    (woken,) = thread.wakeups(s)  # the joiner waiting on the released lock returns
    assert woken.thread == 2 and woken.clause == thread.JOIN_RETURNS_WHEN_TERMINATED
    assert s.listed == 1 and s.life is Life.RUNNING  # the target still runs
    assert settle(do(s, call(ENV, "gate.open", 1))).life is Life.STOPPED


@pytest.mark.parametrize("profile,stops", [(PY311.with_strictness(Strictness.DOCUMENTED), True),
                                           (PY39.with_strictness(Strictness.DOCUMENTED), True),
                                           (PY313.with_strictness(Strictness.DOCUMENTED), False)])
def test_join_undefined_timeout_raises_or_waits_at_documented_strictness(profile, stops) -> None:
    b = blocked(thread.invoke(started(profile), call(1, "join", math.nan)))
    assert b.clause == thread.JOIN_UNDEFINED_TIMEOUT and list(thread.expiries(b.state)) == []
    steps = list(thread.wakeups(b.state))
    assert {st.outcome for st in steps} == {None, Raised("ValueError"), Raised("OverflowError")}
    waits = next(st.state for st in steps if st.outcome is None)
    assert list(thread.wakeups(waits)) == []
    assert any(st.state.stop_seen for st in steps) == stops
    s = settle(do(b.state, call(ENV, "gate.open", 1)))
    assert Returned(None) in {st.outcome for st in thread.wakeups(s)}


def test_join_makes_the_worker_a_dummy_thread() -> None:
    s = bind_count(do(started(), call(2, "module.current_thread")), t=2).state
    assert s.module.baseline == 5
    s = blocked(thread.invoke(s, call(1, "join"))).state
    assert s.module.baseline is None and s.module.dummies == {1, 2}


def test_join_with_arguments_raises_typeerror() -> None:
    r = done(thread.invoke(started(), call(1, "join", 1, 2)))
    assert r.outcome == Raised("TypeError") and r.clause == thread.CALL_BAD_ARGUMENTS


# ---------------------------------------------------------------------------
# Thread: name, ident, native_id, daemon
# ---------------------------------------------------------------------------


def test_name_set_by_constructor() -> None:
    s = new_thread(init=call(0, "__init__", target=Gate(1), name="worker"))
    r = done(thread.invoke(s, call(1, "get:name")))
    assert r.outcome == Returned("worker") and r.clause == attributes.NAME_SET_BY_CONSTRUCTOR


def allows(r: Done[State], name: str) -> bool:
    """Does the spec allow ``name`` as the result of ``r``, a read of ``name``?"""
    return outcome_matches(r.outcome, Returned(name))


@pytest.mark.parametrize("name", [None, "", 0])
def test_name_default_thread_n(name) -> None:
    r = done(thread.invoke(new_thread(init=call(0, "__init__", name=name)), call(1, "get:name")))
    assert r.clause == attributes.NAME_DEFAULT_THREAD_N
    assert allows(r, "Thread-12") and not allows(r, "Thread-12 (gate_1)")
    assert not allows(r, "") and not allows(r, "worker")


@pytest.mark.parametrize("profile", [PY310, PY311, PY313, DOC311])
def test_from_3_10_a_default_name_names_the_target(profile) -> None:
    s = new_thread(profile, call(0, "__init__", target=Gate(1)))
    r = done(thread.invoke(s, call(1, "get:name")))
    assert r.clause == attributes.NAME_DEFAULT_NAMES_THE_TARGET
    assert allows(r, "Thread-3 (gate_7)")  # the agent numbers its gates itself
    assert not allows(r, "Thread-3") and not allows(r, "Thread-3 (Agent.gate.<locals>.gate)")


@pytest.mark.parametrize("profile", [PY27, PY39])
def test_before_3_10_a_default_name_does_not_name_the_target(profile) -> None:
    s = new_thread(profile, call(0, "__init__", target=Gate(1)))
    r = done(thread.invoke(s, call(1, "get:name")))
    assert r.clause == attributes.NAME_DEFAULT_THREAD_N
    assert allows(r, "Thread-3") and not allows(r, "Thread-3 (gate_1)")


def test_a_timer_default_name_does_not_name_its_function() -> None:
    r = done(thread.invoke(new_timer(), call(1, "get:name")))
    assert allows(r, "Thread-4") and not allows(r, "Thread-4 (gate_1)")


def test_an_empty_name_is_the_default_in_cpython_and_any_string_as_documented() -> None:
    init = call(0, "__init__", target=Gate(1), name="")
    assert not allows(done(thread.invoke(new_thread(PY311, init), call(1, "get:name"))), "")
    assert allows(done(thread.invoke(new_thread(DOC311, init), call(1, "get:name"))), "")


@pytest.mark.parametrize(
    "profile,value,expected",
    [(PY311, "x", "x"), (PY311, 5, "5"), (PY311, None, "None"), (PY27, True, "True"),
     (PY311, 1.5, ANY_STR), (DOC311, 5, ANY_STR)],
)
def test_name_settable(profile, value, expected) -> None:
    r = done(thread.invoke(started(profile), call(1, "set:name", value)))
    assert r.outcome == Returned(None) and r.clause == attributes.NAME_SETTABLE
    assert done(thread.invoke(r.state, call(1, "get:name"))).outcome == Returned(expected)


@pytest.mark.parametrize("profile,warning,clause_", [
    (PY27, None, attributes.GET_NAME_ALIAS), (PY39, None, attributes.GET_NAME_ALIAS),
    (PY310, "DeprecationWarning", attributes.GET_NAME_DEPRECATION_WARNING)])
def test_getName_setName(profile, warning, clause_) -> None:
    r = done(thread.invoke(new_thread(profile), call(1, "setName", "n")))
    assert r.outcome == Returned(None, warning) and r.clause == clause_
    r = done(thread.invoke(r.state, call(1, "getName")))
    assert r.outcome == Returned("n", warning) and r.clause == clause_


def test_constructor_name_is_str_of_value_in_cpython() -> None:
    s = new_thread(init=call(0, "__init__", name=5))
    assert done(thread.invoke(s, call(1, "get:name"))).outcome == Returned("5")


def test_ident_none_before_start() -> None:
    r = done(thread.invoke(new_thread(), call(1, "get:ident")))
    assert r.outcome == Returned(None) and r.clause == attributes.IDENT_NONE_BEFORE_START


@pytest.mark.parametrize("s", [started(), stopped()], ids=["alive", "stopped"])
def test_ident_int_once_started(s) -> None:
    r = done(thread.invoke(s, call(1, "get:ident")))
    assert r.outcome == Returned(module.NONZERO_INT) and r.clause == attributes.IDENT_INT_ONCE_STARTED


def test_native_id() -> None:
    r = done(thread.invoke(new_thread(PY38), call(1, "get:native_id")))
    assert r.outcome == Returned(None) and r.clause == attributes.NATIVE_ID_NONE_OR_INT
    native = done(thread.invoke(started(PY38), call(1, "get:native_id"))).outcome
    assert native == Returned(module.NON_NEGATIVE_INT)
    r = done(thread.invoke(started(PY37), call(1, "get:native_id")))
    assert r.outcome == Raised("AttributeError") and r.clause == thread.CALL_BAD_ARGUMENTS


def test_daemon_inherited_from_creator() -> None:
    r = done(thread.invoke(new_thread(), call(1, "get:daemon")))
    assert r.outcome == Returned(False) and r.clause == attributes.DAEMON_INHERITED_FROM_CREATOR


def test_daemon_settable_before_start_and_reports_flag() -> None:
    r = done(thread.invoke(new_thread(), call(1, "set:daemon", True)))
    assert r.outcome == Returned(None) and r.clause == attributes.DAEMON_SETTABLE_BEFORE_START
    r = done(thread.invoke(r.state, call(1, "get:daemon")))
    assert r.outcome == Returned(True) and r.clause == attributes.DAEMON_REPORTS_FLAG


@pytest.mark.parametrize("profile,expected", [(PY311, 1), (DOC311, ANY)])
def test_daemon_reads_back_what_was_assigned(profile, expected) -> None:
    s = do(new_thread(profile), call(1, "set:daemon", 1))
    assert done(thread.invoke(s, call(1, "get:daemon"))).outcome == Returned(expected)


@pytest.mark.parametrize("s", [started(), stopped()], ids=["alive", "stopped"])
@pytest.mark.parametrize("op", ["set:daemon", "setDaemon"])
def test_daemon_set_after_start_raises(s, op) -> None:
    r = done(thread.invoke(s, call(1, op, True)))
    assert r.outcome == Raised("RuntimeError") and r.clause == attributes.DAEMON_SET_AFTER_START_RAISES


@pytest.mark.parametrize("profile,warning,clause_", [
    (PY36, None, attributes.IS_DAEMON_ALIAS),
    (PY310, "DeprecationWarning", attributes.IS_DAEMON_DEPRECATION_WARNING)])
def test_isDaemon_setDaemon(profile, warning, clause_) -> None:
    r = done(thread.invoke(new_thread(profile), call(1, "setDaemon", True)))
    assert r.outcome == Returned(None, warning) and r.clause == clause_
    r = done(thread.invoke(r.state, call(1, "isDaemon")))
    assert r.outcome == Returned(True, warning) and r.clause == clause_


@pytest.mark.parametrize("c", [call(0, "start", 1), call(0, "is_alive", 1), call(0, "set:name")])
def test_bad_arguments_raise_typeerror(c) -> None:
    r = done(thread.invoke(new_thread(), c))
    assert r.outcome == Raised("TypeError") and r.clause == thread.CALL_BAD_ARGUMENTS


@pytest.mark.parametrize("op", ["cancel", "acquire", "set:ident", "module.nope"])
def test_unknown_names_raise_attributeerror(op) -> None:
    r = done(thread.invoke(new_thread(), call(0, op)))
    assert r.outcome == Raised("AttributeError")


# ---------------------------------------------------------------------------
# Timer
# ---------------------------------------------------------------------------


def test_timer_init_created() -> None:
    r = timer.create(PY311, TIMER_INIT)
    assert r.outcome == Returned(None) and r.clause == timer.INIT_CREATED
    assert r.state is not None and r.state.kind is thread.Kind.TIMER and r.state.interval == 0.05


@pytest.mark.parametrize(
    "init",
    [call(0, "__init__"), call(0, "__init__", 1), call(0, "__init__", 1, Gate(1), (), None, 5),
     call(0, "__init__", 1, Gate(1), daemon=True)],
)
def test_timer_bad_arguments_raise_typeerror(init) -> None:
    r = timer.create(PY311, init)
    assert r.outcome == Raised("TypeError") and r.clause == timer.INIT_BAD_ARGUMENTS_RAISE_TYPEERROR


def test_timer_start_starts_waiting() -> None:
    r = done(thread.invoke(new_timer(), call(0, "start")))
    assert r.clause == timer.START_STARTS_WAITING and r.state.alive
    assert r.state.runs == (Run(OWN, RunStage.WAITING),)
    assert list(thread.wakeups(r.state)) == []


def test_timer_calls_function_after_interval() -> None:
    s = do(new_timer(), call(0, "start"))
    (fires,) = thread.expiries(s)
    assert fires.thread == ENV
    assert fires.outcome is None
    assert fires.clause == timer.RUN_CALLS_FUNCTION_AFTER_INTERVAL
    assert env_steps(fires.state) == [] and fires.state.alive
    (ends,) = env_steps(do(fires.state, call(ENV, "gate.open", 1)))
    assert ends.clause == timer.RUN_FUNCTION_CALLED_WITH_ARGUMENTS and ends.state.finished
    assert settle(ends.state).life is Life.STOPPED
    assert thread.timer_timeout(TIMER_INIT) == 0.05


def test_timer_args_none_is_an_empty_list_but_not_in_27() -> None:
    assert new_timer(init=call(0, "__init__", 1, Gate(1), None, None)).action == 1
    assert new_timer(PY27, init=call(0, "__init__", 1, Gate(1))).action == 1
    assert new_timer(PY27, init=call(0, "__init__", 1, Gate(1), None)).action == "TypeError"
    assert new_timer(PY27, init=call(0, "__init__", 1, Gate(1), kwargs=None)).action == "TypeError"


@pytest.mark.parametrize("before_start", [True, False])
def test_timer_cancel_stops_waiting_timer(before_start) -> None:
    s = new_timer()
    steps = [call(1, "cancel"), call(0, "start")] if before_start else [call(0, "start"), call(1, "cancel")]
    r = done(thread.invoke(do(s, steps[0]), steps[1])) if before_start else None
    s = do(s, *steps)
    assert s.finished and list(thread.expiries(s)) == []
    (skips,) = env_steps(s)
    assert skips.clause == timer.RUN_CANCELLED_SKIPS_FUNCTION
    assert settle(s).life is Life.STOPPED
    assert r is None or r.clause == timer.START_STARTS_WAITING
    assert done(thread.invoke(new_timer(), call(1, "cancel"))).clause == timer.CANCEL_STOPS_WAITING_TIMER


def test_timer_cancel_only_while_waiting() -> None:
    s = next(iter(thread.expiries(do(new_timer(), call(0, "start"))))).state
    r = done(thread.invoke(s, call(1, "cancel")))
    assert r.outcome == Returned(None) and r.clause == timer.CANCEL_ONLY_WHILE_WAITING
    assert env_steps(r.state) == []  # the function still runs, until its gate opens
    assert settle(do(r.state, call(ENV, "gate.open", 1))).life is Life.STOPPED


def test_timer_cancel_with_arguments_raises_typeerror() -> None:
    assert done(thread.invoke(new_timer(), call(1, "cancel", 1))).outcome == Raised("TypeError")


@pytest.mark.parametrize(
    "profile,interval,expected",
    [(PY311, "x", "TypeError"), (PY27, "x", "TypeError"), (PY311, math.inf, "OverflowError"),
     (PY311, math.nan, 0.0), (PY27, math.inf, None), (PY27, math.nan, None), (PY311, None, None),
     (PY311, -1, 0.0)],
)
def test_timer_bad_interval(profile, interval, expected) -> None:
    s = new_timer(profile, call(0, "__init__", interval, Gate(1)))
    assert s.interval == expected
    s = do(s, call(0, "start"))
    if isinstance(expected, str):
        (step,) = env_steps(s)
        assert step.clause == timer.RUN_BAD_INTERVAL_RAISES and step.state.life is Life.EXITING
    elif expected is None:
        assert list(thread.expiries(s)) == [] and env_steps(s) == []
    else:
        assert len(list(thread.expiries(s))) == 1


def test_timer_run_called_directly_waits_then_calls() -> None:
    b = blocked(thread.invoke(new_timer(), call(1, "run")))
    (fires,) = thread.expiries(b.state)
    assert fires.thread == 1 and fires.outcome is None
    (returns,) = thread.wakeups(do(fires.state, call(ENV, "gate.open", 1)))
    assert returns.thread == 1 and returns.outcome == Returned(None) and returns.state.finished


# ---------------------------------------------------------------------------
# Module functions
# ---------------------------------------------------------------------------


def bind_count(s, baseline=5, t=9):
    b = blocked(thread.invoke(s, call(t, "module.active_count")))
    return next(st for st in thread.wakeups(b.state) if st.state.module.baseline == baseline)


def test_active_count_first_count_binds_baseline() -> None:
    b = blocked(thread.invoke(started(), call(1, "module.active_count")))
    assert b.clause == module.ACTIVE_COUNT_COUNTS_ALIVE_THREADS
    steps = list(thread.wakeups(b.state))
    assert {st.outcome.value for st in steps} == {b + 1 for b in module.BASELINE_CHOICES}
    assert all(st.clause == module.ACTIVE_COUNT_COUNTS_ALIVE_THREADS for st in steps)


def test_active_count_counts_alive_threads() -> None:
    s = bind_count(new_thread()).state
    assert done(thread.invoke(s, call(1, "module.active_count"))).outcome == Returned(5)
    s = do(s, call(0, "start"))
    r = done(thread.invoke(s, call(1, "module.active_count")))
    assert r.outcome == Returned(6) and r.clause == module.ACTIVE_COUNT_COUNTS_ALIVE_THREADS
    exiting = env_steps(do(s, call(ENV, "gate.open", 1)))[0].state
    assert done(thread.invoke(exiting, call(1, "module.active_count"))).outcome == Returned(5)


@pytest.mark.parametrize("profile,warning,clause_", [
    (PY39, None, module.ACTIVE_COUNT_ALIAS),
    (PY310, "DeprecationWarning", module.ACTIVE_COUNT_DEPRECATION_WARNING)])
def test_activeCount(profile, warning, clause_) -> None:
    s = bind_count(started(profile)).state
    r = done(thread.invoke(s, call(1, "module.activeCount")))
    assert r.outcome == Returned(6, warning) and r.clause == clause_


def test_enumerate_lists_alive_threads() -> None:
    b = blocked(thread.invoke(started(), call(1, "module.enumerate")))
    step = next(st for st in thread.wakeups(b.state) if st.state.module.baseline == 2)
    listing = Returned(module.AliveThreads(3, True))
    assert step.outcome == listing and step.clause == module.ENUMERATE_LISTS_ALIVE_THREADS
    r = done(thread.invoke(step.state, call(1, "module.enumerate")))
    assert r.outcome == listing and r.clause == module.ENUMERATE_DEFAULT_NAMES_DISTINCT
    blocked(thread.invoke(stopped(), call(1, "module.enumerate")))  # unbound: binds anew


DUMMY = module.thread_value(name=module.NameLike(module.DUMMY_NAME), daemon=True, ident="caller")
"""What current_thread() returns to a worker (spec/module.py; tests/spec/test_module.py)."""


def test_current_thread_dummy_for_alien_thread() -> None:
    s = bind_count(new_thread(), t=1).state
    r = done(thread.invoke(s, call(1, "module.current_thread")))
    assert r.outcome == Returned(DUMMY) and r.clause == module.CURRENT_THREAD_DUMMY_FOR_ALIEN_THREAD
    assert r.state.module.baseline is None and r.state.module.dummies == {1}
    s = bind_count(r.state, t=1).state
    assert done(thread.invoke(s, call(1, "module.current_thread"))).state.module.baseline == 5


@pytest.mark.parametrize("profile,warning,clause_", [
    (PY27, None, module.CURRENT_THREAD_ALIAS),
    (PY311, "DeprecationWarning", module.CURRENT_THREAD_DEPRECATION_WARNING)])
def test_currentThread(profile, warning, clause_) -> None:
    r = done(thread.invoke(new_thread(profile), call(1, "module.currentThread")))
    assert r.outcome == Returned(DUMMY, warning) and r.clause == clause_


@pytest.mark.parametrize(
    "op,since,clause_,value",
    [("module.main_thread", PY36, module.MAIN_THREAD_RETURNS_MAIN_THREAD,
      module.thread_value(name="MainThread", daemon=False, ident="main")),
     ("module.get_ident", PY36, module.GET_IDENT_RETURNS_NONZERO_INT, module.NONZERO_INT),
     ("module.get_native_id", PY38, module.GET_NATIVE_ID_RETURNS_INT, module.NON_NEGATIVE_INT)],
)
def test_identity_functions(op, since, clause_, value) -> None:
    r = done(thread.invoke(new_thread(since), call(1, op)))
    assert r.outcome == Returned(value) and r.clause == clause_
    before = PY27 if since is PY36 else PY37
    r = done(thread.invoke(new_thread(before), call(1, op)))
    assert r.outcome == Raised("AttributeError") and r.clause == module.CALL_BAD_NAME_OR_ARGUMENTS


@pytest.mark.parametrize("setter,getter,set_clause,get_clause", [
    ("settrace", "gettrace", module.SETTRACE_STORES_HOOK, module.GETTRACE_RETURNS_HOOK),
    ("setprofile", "getprofile", module.SETPROFILE_STORES_HOOK, module.GETPROFILE_RETURNS_HOOK),
    ("settrace_all_threads", "gettrace", module.SETTRACE_ALL_THREADS_STORES_HOOK,
     module.GETTRACE_RETURNS_HOOK),
    ("setprofile_all_threads", "getprofile", module.SETPROFILE_ALL_THREADS_STORES_HOOK,
     module.GETPROFILE_RETURNS_HOOK),
])
def test_hooks_are_stored_and_read_back(setter, getter, set_clause, get_clause) -> None:
    s = new_thread(PY312)
    assert done(thread.invoke(s, call(1, "module." + getter))).outcome == Returned(ANY)
    r = done(thread.invoke(s, call(1, "module." + setter, "hook")))
    assert r.outcome == Returned(None) and r.clause == set_clause
    r = done(thread.invoke(r.state, call(1, "module." + getter)))
    assert r.outcome == Returned("hook") and r.clause == get_clause


def test_hook_functions_by_version() -> None:
    assert done(thread.invoke(new_thread(PY27), call(1, "module.settrace", None))).outcome == Returned(None)
    r = done(thread.invoke(new_thread(PY39), call(1, "module.gettrace")))
    assert r.outcome == Raised("AttributeError")
    r = done(thread.invoke(new_thread(PY311), call(1, "module.settrace_all_threads", None)))
    assert r.outcome == Raised("AttributeError")
    assert done(thread.invoke(new_thread(), call(1, "module.settrace"))).outcome == Raised("TypeError")


def stack_size_set(s, size: int):
    """``s`` after a first ``stack_size(size)`` that returned: the platform can change the size
    (the first call blocks until the spec decides: it may raise, as where it cannot)."""
    pending = blocked(thread.invoke(s, call(1, "module.stack_size", size))).state
    (r,) = [st for st in thread.wakeups(pending) if isinstance(st.outcome, Returned)]
    assert r.outcome == Returned(ANY_INT) and r.clause == module.STACK_SIZE_RETURNS_OLD_SIZE
    return r.state


def test_stack_size_returns_old_size() -> None:
    s = stack_size_set(new_thread(), 262144)
    r = done(thread.invoke(s, call(1, "module.stack_size", 0)))
    assert r.outcome == Returned(262144) and r.clause == module.STACK_SIZE_RETURNS_OLD_SIZE
    r = done(thread.invoke(s, call(1, "module.stack_size")))
    assert r.outcome == Returned(262144) and r.state.module.stack == 0  # no size: 0 is used


@pytest.mark.parametrize("size", [-1, 1, 1000, 32767, True, -(2**63)])
def test_stack_size_invalid_raises_valueerror(size) -> None:
    s = stack_size_set(new_thread(), 65536)
    r = done(thread.invoke(s, call(1, "module.stack_size", size)))
    assert r.outcome == Raised("ValueError") and r.clause == module.STACK_SIZE_INVALID_RAISES_VALUEERROR
    assert r.state == s


@pytest.mark.parametrize("size,exc", [("x", "TypeError"), (1.5, "TypeError"), (None, "TypeError"),
                                      (2**63, "OverflowError")])
def test_stack_size_bad_type_raises(size, exc) -> None:
    r = done(thread.invoke(new_thread(), call(1, "module.stack_size", size)))
    assert r.outcome == Raised(exc) and r.clause == module.STACK_SIZE_BAD_TYPE_RAISES


def test_excepthook_handles_uncaught_exceptions() -> None:
    r = done(thread.invoke(new_thread(PY38), call(1, "module.excepthook", 1)))
    assert r.outcome == Raised("TypeError") and r.clause == module.EXCEPTHOOK_HANDLES_UNCAUGHT_EXCEPTIONS
    r = done(thread.invoke(new_thread(PY38), call(1, "module.get:excepthook")))
    assert r.outcome == Returned(ANY) and r.clause == module.EXCEPTHOOK_HANDLES_UNCAUGHT_EXCEPTIONS
    r = done(thread.invoke(new_thread(PY37), call(1, "module.excepthook", 1)))
    assert r.outcome == Raised("AttributeError")


def test_excepthook_can_be_overridden() -> None:
    r = done(thread.invoke(new_thread(PY37), call(1, "module.set:excepthook", None)))
    assert r.outcome == Returned(None) and r.clause == module.EXCEPTHOOK_PLAIN_ATTRIBUTE_BEFORE_3_8
    assert done(thread.invoke(r.state, call(1, "module.get:excepthook"))).outcome == Returned(None)
    s = do(new_thread(), call(1, "module.set:excepthook", Gate(2)))
    b = blocked(thread.invoke(s, call(1, "module.excepthook", 1)))
    (step,) = thread.wakeups(do(b.state, call(ENV, "gate.open", 2, "KeyError")))
    assert step.outcome == Raised("KeyError") and step.clause == module.EXCEPTHOOK_CAN_BE_OVERRIDDEN


def test_original_excepthook_since_310() -> None:
    r = done(thread.invoke(new_thread(PY310), call(1, "module.get:__excepthook__")))
    assert r.outcome == Returned(ANY) and r.clause == module.__EXCEPTHOOK___HOLDS_ORIGINAL
    assert done(thread.invoke(new_thread(PY39), call(1, "module.get:__excepthook__"))).outcome == Raised(
        "AttributeError")


def test_timeout_max_defined_since_32() -> None:
    r = done(thread.invoke(new_thread(), call(1, "module.get:TIMEOUT_MAX")))
    assert r.outcome == Returned(TIMEOUT_MAX) and r.clause == module.TIMEOUT_MAX_DEFINED
    assert done(thread.invoke(new_thread(DOC311), call(1, "module.get:TIMEOUT_MAX"))).outcome == Returned(ANY)
    assert done(thread.invoke(new_thread(PY27), call(1, "module.get:TIMEOUT_MAX"))).outcome == Raised(
        "AttributeError")


def test_thread_error_defined() -> None:
    r = done(thread.invoke(new_thread(PY27), call(1, "module.get:ThreadError")))
    assert r.outcome == Returned(ANY) and r.clause == module.THREAD_ERROR_DEFINED


def test_gate_opens_once() -> None:
    r = done(thread.invoke(new_thread(), call(ENV, "gate.open", 1, "ValueError")))
    assert r.outcome == Returned(None) and r.clause == module.ENV_GATE_OPENS
    s = do(r.state, call(ENV, "gate.open", 1))
    assert module.gate_outcome(s.module, 1) == Raised("ValueError")
    assert done(thread.invoke(new_thread(), call(1, "gate.open", 1))).outcome == Raised("TypeError")


@pytest.mark.parametrize("c", [call(1, "module.active_count", 1), call(1, "module.main_thread", 1),
                               call(1, "module.set:excepthook")])
def test_module_bad_arguments_raise_typeerror(c) -> None:
    r = done(thread.invoke(new_thread(), c))
    assert r.outcome == Raised("TypeError") and r.clause == module.CALL_BAD_NAME_OR_ARGUMENTS


# ---------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------

SPECS = {thread.PRIMITIVE: thread.SPEC, thread.TIMER: thread.TIMER_SPEC}


SEEN_ONLY_BY_THE_AGENT = {
    thread.RUN_EXCEPTHOOK_GETS_THE_EXCEPTION_AND_THREAD,
    thread.RUN_CONTEXT_DEFAULT_BY_FLAG,
    thread.RUN_CONTEXT_EMPTY_WHEN_GIVEN_A_NEW_CONTEXT,
    thread.RUN_CONTEXT_COPY_WHEN_GIVEN_COPY_CONTEXT,
    thread_excepthook.EXCEPTHOOK_IGNORES_SYSTEMEXIT,
    thread_excepthook.EXCEPTHOOK_PRINTS_TO_STDERR,
    thread_excepthook.EXCEPTHOOK_FAILURE_CALLS_SYS_EXCEPTHOOK,
}
"""Clauses of what the agent reports on its own (the arguments a gate was called with, what a
thread wrote to sys.stderr): the spec alone, without the agent's reports, cannot take them."""


def test_scenarios_are_runnable_and_exercise_what_they_cover() -> None:
    check_scenarios(scenarios.SCENARIOS, SPECS, unseen=SEEN_ONLY_BY_THE_AGENT)


def test_every_clause_has_a_scenario() -> None:
    from conformance.scenarios import local as local_scenarios
    from conformance.scenarios import module_functions
    from spec.clauses import REGISTRY

    every = scenarios.SCENARIOS + module_functions.SCENARIOS + local_scenarios.SCENARIOS
    covered = {c for sc in every for c in sc.covers}
    mine = {c for c in REGISTRY if c.split(".")[0] in ("Thread", "Timer", "module", "local")}
    # no schedule forces a known race; the exit probe checks the daemon flag at exit
    probed = {thread.DAEMON_PROGRAM_EXITS_WHEN_ONLY_DAEMONS_LEFT,
              thread.DAEMON_PROGRAM_WAITS_FOR_NON_DAEMON_THREADS}
    # nor one no target here can reach (Clause.unexercisable: tests/spec/test_stack_size.py)
    forceable = {c for c in mine if not REGISTRY[c].known_bug and not REGISTRY[c].unexercisable} - probed
    assert forceable - covered == set()


def test_generators_draw_valid_calls() -> None:
    check_generators(scenarios.GENERATORS, SPECS)


# ---------------------------------------------------------------------------
# Exhaustive explorations
# ---------------------------------------------------------------------------

def _explore_follows_environment_steps() -> bool:
    """Does ``spec.explore`` follow ``Step(ENV, None, ...)``, the steps a thread takes on its own?"""
    ex = explore(thread.SPEC, PY311, call(0, "__init__"), [template("start")], threads=1,
                 calls_per_thread=1)
    return not ex.violations and len(ex.states) == 4


@pytest.mark.skipif(not _explore_follows_environment_steps(),
                    reason="spec.explore does not follow environment steps (Step(ENV, None, ...)) yet")
@pytest.mark.parametrize("bound", bounds.for_primitive("Thread", "Timer"), ids=str)
def test_exhaustive_invariants_hold(bound: bounds.Bound) -> None:
    ex = explore(bound.spec, bound.profile, bound.init, bound.alphabet, bound.threads, bound.calls)
    assert ex.violations == []
    # pinned (in proofs/bounds.py): a change to these numbers is a change to the spec; look at it.
    assert (len(ex.states), ex.nodes) == bound.pinned


# ---------------------------------------------------------------------------
# 3.14: the context argument decides the context run() runs in
# ---------------------------------------------------------------------------


def _entered_in(context: str) -> Call:
    """The thread entered its target (gate 1), where the agent's context variable read ``context``."""
    return Call(ENV, GATE_ENTERED, (1, (), ()), (("context", context),))


@pytest.mark.parametrize(
    "argument, which, reads, not_reads",
    [
        (None, thread.RUN_CONTEXT_DEFAULT_BY_FLAG, ["unset", "worker 3"], ["main", "worker"]),
        (New("Context"), thread.RUN_CONTEXT_EMPTY_WHEN_GIVEN_A_NEW_CONTEXT, ["unset"], ["main", "worker 1"]),
        (New("CopiedContext"), thread.RUN_CONTEXT_COPY_WHEN_GIVEN_COPY_CONTEXT, ["main"],
         ["unset", "worker 1"]),
    ],
)
def test_run_runs_in_the_context_its_argument_says(
    argument: Value, which: str, reads: list[str], not_reads: list[str]
) -> None:
    s = started(PY314, call(0, "__init__", target=Gate(1), context=argument))
    for seen in reads:
        r = done(thread.invoke(s, _entered_in(seen)))
        assert (r.outcome, r.clause) == (Returned(None), which), seen
    for seen in not_reads:
        r = done(thread.invoke(s, _entered_in(seen)))
        assert (r.outcome, r.clause) == (Raised("TypeError"), which), seen


def test_the_context_a_thread_reports_is_not_judged_before_3_14() -> None:
    for profile in (PY37, PY313):
        r = done(thread.invoke(started(profile), _entered_in("worker 9")))
        assert (r.outcome, r.clause) == (Returned(None), thread.RUN_CALLS_TARGET)
    # an argument the spec does not model (not a Context it made) is not judged either
    s = started(PY314, call(0, "__init__", target=Gate(1), context=1))
    r = done(thread.invoke(s, _entered_in("worker 9")))
    assert (r.outcome, r.clause) == (Returned(None), thread.RUN_CALLS_TARGET)


# ---------------------------------------------------------------------------
# What a thread's uncaught exception leaves behind (3.8+), judged at its end
# ---------------------------------------------------------------------------


def _ended(profile=PY311, raises="ValueError", hook: Value = None, hook_raises: str | None = None):
    """A thread whose target raised ``raises`` (handled by ``hook``, a gate opened with
    ``hook_raises``), settled until it has terminated."""
    s = new_thread(profile)
    if hook is not None:
        s = do(s, call(1, "module.set:excepthook", hook), call(ENV, "gate.open", 2, *(
            [hook_raises] if hook_raises else [])))
    s = do(s, call(0, "start"), call(ENV, "gate.open", 1, raises))
    return settle(s)


def _exit(s, **reported: Value):
    return thread.invoke(s, call(ENV, THREAD_EXITED, **reported))


PRINTS = thread_excepthook.EXCEPTHOOK_PRINTS_TO_STDERR
SILENT = thread_excepthook.EXCEPTHOOK_IGNORES_SYSTEMEXIT


@pytest.mark.parametrize(
    "raises,stderr,ok,clause",
    [
        ("ValueError", "Exception in thread T:\nTraceback...\nValueError: gate 1\n", True, PRINTS),
        ("ValueError", "", False, PRINTS),
        ("ValueError", "KeyError: x\nMyValueError: y\n", False, PRINTS),
        ("KeyboardInterrupt", "KeyboardInterrupt: gate\n", True, PRINTS),
        ("SystemExit", "", True, SILENT),
        ("SystemExit", "SystemExit: gate 1\n", False, SILENT),
    ],
)
def test_default_excepthook_output_is_judged_at_the_end(raises, stderr, ok, clause) -> None:
    r = _exit(_ended(raises=raises), stderr=stderr, sys_excepthook=())
    assert isinstance(r, Done) and r.clause == clause
    assert r.outcome == (Returned(None) if ok else Raised("TypeError"))


def test_failing_excepthook_must_reach_sys_excepthook() -> None:
    s = _ended(hook=Gate(2), hook_raises="KeyError")
    which = thread_excepthook.EXCEPTHOOK_FAILURE_CALLS_SYS_EXCEPTHOOK
    assert _exit(s, stderr="", sys_excepthook=("KeyError",)) == Done(Returned(None), s, which)
    assert _exit(s, stderr="KeyError", sys_excepthook=()) == Done(Raised("TypeError"), s, which)
    # a hook that returns, or raises what CPython does not catch: nothing is owed
    for quiet in (_ended(hook=Gate(2)), _ended(hook=Gate(2), hook_raises="SystemExit")):
        assert _exit(quiet, stderr="", sys_excepthook=()).clause == thread.RUN_END_TERMINATES_THREAD


@pytest.mark.parametrize("profile", [PY27, PY37])
def test_nothing_is_judged_before_3_8(profile) -> None:
    r = _exit(_ended(profile, raises="SystemExit"), stderr="SystemExit\n", sys_excepthook=())
    assert r == Done(Returned(None), r.state, thread.RUN_END_TERMINATES_THREAD)


def test_nothing_is_judged_without_the_agent_report_or_after_a_normal_end() -> None:
    assert _exit(_ended()).clause == thread.RUN_END_TERMINATES_THREAD
    assert _exit(stopped(), stderr="ValueError").clause == thread.RUN_END_TERMINATES_THREAD


def test_the_original_excepthook_put_back_is_the_default_again() -> None:
    s = _ended(hook=Original("excepthook"))
    assert s.module.excepthook is module.UNSET
    assert _exit(s, stderr="").outcome == Raised("TypeError")  # the default owes the print
