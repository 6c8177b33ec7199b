"""Thread, Timer, module functions and local: one test per clause, and exhaustive
explorations with pinned state counts."""

from __future__ import annotations

import math

import pytest

from conformance.scenario import calls_of
from spec import module, thread
from spec.core import TIMEOUT_MAX, Blocked, Done
from spec.explore import explore
from spec.profiles import PY27, PY36, PY37, PY38, PY39, PY310, PY311, PY312, PY313, PY314, Strictness
from spec.thread import OWN, Phase
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
    Raised,
    Returned,
    call,
    in_gate,
)

INIT = call(0, "__init__", target=Gate(1))
TIMER_INIT = call(0, "__init__", 0.05, Gate(1))
DOC311 = PY311.with_strictness(Strictness.DOCUMENTED)


def fresh(profile=PY311, init=INIT) -> thread.State:
    s = thread.create(profile, init).state
    assert s is not None
    return s


def timer(profile=PY311, init=TIMER_INIT) -> thread.State:
    s = thread.create_timer(profile, init).state
    assert s is not None
    return s


def done(r) -> Done:
    assert isinstance(r, Done), r
    return r


def blocked(r) -> Blocked:
    assert isinstance(r, Blocked), r
    return r


def do(s, *calls):
    """Apply calls that complete at once; return the final state."""
    for c in calls:
        s = done(thread.invoke(s, c)).state
    return s


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
    return do(fresh(profile, init), call(0, "start"))


def stopped(profile=PY311):
    return settle(do(started(profile), call(ENV, "gate.open", 1)))


OPEN_1 = call(ENV, "gate.open", 1)


# ---------------------------------------------------------------------------
# Thread: construction
# ---------------------------------------------------------------------------


def test_init_created_not_started() -> None:
    r = thread.create(PY311, INIT)
    assert r.outcome == Returned(None) and r.clause == thread.INIT_CREATED
    assert r.state is not None and r.state.phase is Phase.NEW and r.state.action == 1


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
    assert r.outcome == Raised("TypeError") and r.state is None and r.clause == thread.INIT_SIGNATURE


def test_init_verbose_is_a_parameter_in_27() -> None:
    r = thread.create(PY27, call(0, "__init__", None, Gate(1), "n", (), None, True))
    assert r.outcome == Returned(None) and r.state is not None


def test_init_group_must_be_none() -> None:
    r = thread.create(PY311, call(0, "__init__", group=1, target=Gate(1)))
    assert r.outcome == Raised("AssertionError") and r.clause == thread.INIT_GROUP


def test_init_daemon_argument() -> None:
    r = thread.create(PY311, call(0, "__init__", target=Gate(1), daemon=True))
    assert r.clause == thread.INIT_DAEMON and r.state is not None
    assert done(thread.invoke(r.state, call(0, "get:daemon"))).outcome == Returned(True)


def test_init_daemon_none_inherits() -> None:
    r = thread.create(PY311, call(0, "__init__", daemon=None))
    assert r.clause == thread.INIT_CREATED and r.state is not None and r.state.daemon is thread.INHERITED


def test_init_context_argument_since_314() -> None:
    r = thread.create(PY314, call(0, "__init__", target=Gate(1), context=None))
    assert r.outcome == Returned(None) and r.clause == thread.INIT_CONTEXT


@pytest.mark.parametrize("target", [5, "f", True])
def test_init_non_callable_target_raises_in_the_thread(target) -> None:
    s = fresh(init=call(0, "__init__", target=target))
    assert s.action == "TypeError"


@pytest.mark.parametrize("kw", [dict(args=5), dict(args=None), dict(kwargs=5)])
def test_init_bad_target_arguments_raise_in_the_thread(kw) -> None:
    assert fresh(init=call(0, "__init__", target=Gate(1), **kw)).action == "TypeError"


def test_init_no_target_means_nothing_is_called() -> None:
    s = started(init=call(0, "__init__"))
    (step,) = env_steps(s)
    assert step.clause == thread.RUN_CALLS_TARGET and step.state.phase is Phase.EXITING


# ---------------------------------------------------------------------------
# Thread: start, run, the end of a thread
# ---------------------------------------------------------------------------


def test_start_runs_in_new_thread() -> None:
    r = done(thread.invoke(fresh(), call(0, "start")))
    assert r.outcome == Returned(None) and r.clause == thread.START
    assert r.state.phase is Phase.RUNNING and r.state.alive and r.state.listed == 1
    assert r.state.runners == (thread.Runner(OWN, thread.Stage.CALLING),)


def test_target_blocks_until_its_gate_opens() -> None:
    assert env_steps(started()) == []


@pytest.mark.parametrize("s", [started(), stopped()], ids=["alive", "stopped"])
def test_start_twice_raises(s) -> None:
    r = done(thread.invoke(s, call(1, "start")))
    assert r.outcome == Raised("RuntimeError") and r.clause == thread.START_TWICE and r.state == s


def test_run_calls_target_and_returns_its_result() -> None:
    b = blocked(thread.invoke(fresh(), call(0, "run")))
    assert b.clause == thread.RUN_CALLS_TARGET and list(thread.wakeups(b.state)) == []
    s = do(b.state, call(ENV, "gate.open", 1))
    (step,) = thread.wakeups(s)
    assert (step.thread, step.outcome, step.clause) == (0, Returned(None), thread.RUN_CALLS_TARGET)
    assert step.state.consumed and step.state.phase is Phase.NEW


def test_run_propagates_the_targets_exception() -> None:
    s = do(blocked(thread.invoke(fresh(), call(0, "run"))).state, call(ENV, "gate.open", 1, "ValueError"))
    (step,) = thread.wakeups(s)
    assert step.outcome == Raised("ValueError")


def test_run_deletes_target() -> None:
    s = do(fresh(), call(ENV, "gate.open", 1))
    (step,) = thread.wakeups(blocked(thread.invoke(s, call(0, "run"))).state)
    r = done(thread.invoke(step.state, call(0, "run")))
    assert r.outcome == Raised("AttributeError") and r.clause == thread.RUN_DELETES_TARGET


def test_run_after_run_at_documented_strictness_may_call_target_again() -> None:
    s = do(fresh(DOC311), call(ENV, "gate.open", 1))
    (step,) = thread.wakeups(blocked(thread.invoke(s, call(0, "run"))).state)
    b = blocked(thread.invoke(step.state, call(0, "run")))
    assert {st.outcome for st in thread.wakeups(b.state)} == {Returned(None), Raised("AttributeError")}


def test_start_after_run_the_thread_raises_attributeerror_and_ends() -> None:
    s = do(fresh(), call(ENV, "gate.open", 1))
    (step,) = thread.wakeups(blocked(thread.invoke(s, call(0, "run"))).state)
    s = do(step.state, call(0, "start"))
    assert s.runners == (thread.Runner(OWN, thread.Stage.CALLING, late=True),)
    assert settle(s).phase is Phase.STOPPED


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
    assert ends.state.phase is Phase.EXITING and ends.state.alive and ends.state.listed == 0
    (stops,) = env_steps(ends.state)
    assert stops.clause == thread.RUN_ENDS_THREAD and stops.state.phase is Phase.STOPPED
    assert not stops.state.alive and env_steps(stops.state) == []


def test_target_exception_ends_the_thread_too() -> None:
    assert settle(do(started(), call(ENV, "gate.open", 1, "ValueError"))).phase is Phase.STOPPED


def test_exception_calls_excepthook() -> None:
    s = do(fresh(), call(1, "module.set:excepthook", Gate(2)), call(0, "start"),
           call(ENV, "gate.open", 1, "ValueError"))
    (step,) = env_steps(s)
    assert step.clause == thread.RUN_EXCEPTHOOK and step.state.phase is Phase.HOOK
    s = step.state
    assert s.alive and s.listed == 1 and env_steps(s) == []
    (hook_returns,) = env_steps(do(s, call(ENV, "gate.open", 2)))
    assert hook_returns.clause == thread.RUN_EXCEPTHOOK and hook_returns.state.phase is Phase.EXITING


def test_excepthook_not_called_before_38() -> None:
    s = do(fresh(PY37), call(1, "module.set:excepthook", Gate(2)), call(0, "start"),
           call(ENV, "gate.open", 1, "ValueError"))
    assert settle(s).phase is Phase.STOPPED


def test_excepthook_not_called_when_the_target_returns() -> None:
    s = do(fresh(), call(1, "module.set:excepthook", Gate(2)), call(0, "start"), call(ENV, "gate.open", 1))
    assert settle(s).phase is Phase.STOPPED


# ---------------------------------------------------------------------------
# Thread: is_alive, join
# ---------------------------------------------------------------------------


def test_is_alive_reports_alive() -> None:
    s = fresh()
    assert done(thread.invoke(s, call(1, "is_alive"))).outcome == Returned(False)
    s = do(s, call(0, "start"))
    r = done(thread.invoke(s, call(1, "is_alive")))
    assert r.outcome == Returned(True) and r.clause == thread.IS_ALIVE
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
    r = done(thread.invoke(fresh(), call(1, "join", *args)))
    assert r.outcome == Raised("RuntimeError") and r.clause == thread.JOIN_UNSTARTED


def test_join_current_thread_raises() -> None:
    r = done(thread.invoke(started(), call(OWN, "join")))
    assert r.outcome == Raised("RuntimeError") and r.clause == thread.JOIN_CURRENT
    r = done(thread.invoke(started(), call(OWN, "join", 0.0)))
    assert r.outcome == Raised("RuntimeError") and r.clause == thread.JOIN_CURRENT


def test_join_current_thread_raises_in_its_excepthook() -> None:
    s = do(fresh(), call(1, "module.set:excepthook", Gate(2)), call(0, "start"),
           call(ENV, "gate.open", 1, "ValueError"))
    (hook,) = env_steps(s)
    r = done(thread.invoke(hook.state, call(in_gate(2), "join")))
    assert r.outcome == Raised("RuntimeError") and r.clause == thread.JOIN_CURRENT


# ---------------------------------------------------------------------------
# Thread: calls of the thread itself, the thread's end
# ---------------------------------------------------------------------------


def test_own_calls_are_methods_of_the_thread_seen_from_inside() -> None:
    s = started()
    assert done(thread.invoke(s, call(OWN, "is_alive"))).outcome == Returned(True)
    assert done(thread.invoke(s, call(OWN, "get:ident"))).outcome == Returned(ANY_INT)
    assert done(thread.invoke(s, call(OWN, "start"))).clause == thread.START_TWICE
    assert done(thread.invoke(s, call(OWN, "set:daemon", True))).clause == thread.DAEMON_AFTER_START
    # the gate is open but the target has not returned yet: the thread still makes calls
    assert done(thread.invoke(do(s, OPEN_1), call(OWN, "is_alive"))).outcome == Returned(True)


@pytest.mark.parametrize(
    "state,who,clause_",
    [
        (fresh, OWN, thread.START),
        (stopped, OWN, thread.RUN_ENDS_THREAD),
        (started, in_gate(2), thread.RUN_CALLS_TARGET),
        (lambda: do(timer(), call(0, "start")), OWN, thread.TIMER_FIRES),
    ],
    ids=["not-started", "ended", "other-gate", "timer-waiting"],
)
def test_own_calls_wait_while_the_thread_is_not_in_the_gate(state, who, clause_) -> None:
    b = blocked(thread.invoke(state(), call(who, "is_alive")))
    assert b.clause == clause_ and b.state == state()


def test_own_calls_in_a_fired_timer_function() -> None:
    s = do(timer(), call(0, "start"))
    (fires,) = thread.expiries(s)
    assert done(thread.invoke(fires.state, call(OWN, "is_alive"))).outcome == Returned(True)
    r = done(thread.invoke(fires.state, call(OWN, "cancel")))
    assert r.clause == thread.TIMER_CANCEL_LATE


def test_own_module_calls_and_run_are_not_modelled() -> None:
    for op in ("run", "module.active_count"):
        r = done(thread.invoke(started(), call(OWN, op)))
        assert r.outcome == Raised("AttributeError") and r.clause == thread.BAD_CALL


def test_thread_exited_only_once_terminated() -> None:
    r = done(thread.invoke(stopped(), call(ENV, THREAD_EXITED)))
    assert r.outcome == Returned(None) and r.clause == thread.RUN_ENDS_THREAD and r.state == stopped()
    exiting = env_steps(do(started(), OPEN_1))[0].state
    for s in (fresh(), started(), exiting):
        b = blocked(thread.invoke(s, call(ENV, THREAD_EXITED)))  # it cannot have happened yet
        assert b.clause == thread.RUN_ENDS_THREAD and b.state == s
    assert done(thread.invoke(stopped(), call(1, THREAD_EXITED))).clause == thread.BAD_CALL


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
                    blocked(thread.invoke(fresh(init=init), entered(1))),
                    blocked(thread.invoke(stopped(), entered(1)))):
        assert not_now.clause == thread.RUN_CALLS_TARGET


def hooked(trace, profile, start=True):
    s = do(fresh(), call(1, "module.settrace", trace), call(1, "module.setprofile", profile))
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
        assert r.outcome == Raised("TypeError") and r.clause == module.SETTRACE
    r = done(thread.invoke(s, entered_with(trace, Hook("t"))))  # another hook as profiler
    assert r.outcome == Raised("TypeError") and r.clause == module.SETPROFILE


def test_hooks_changed_after_start_or_never_set_are_not_checked() -> None:
    changed = do(hooked(Hook("t"), Hook("p")), call(2, "module.settrace", None))
    unset = do(fresh(), call(0, "start"))
    for s in (changed, unset):
        r = done(thread.invoke(s, entered_with(Hook("x"), Hook("y"))))
        assert r.outcome == Returned(None) and r.clause == thread.RUN_CALLS_TARGET
    # an agent that reports no hooks is not checked either
    assert done(thread.invoke(hooked(Hook("t"), None), entered(1))).outcome == Returned(None)


def test_hooks_set_before_start_are_read_at_start() -> None:
    s = do(hooked(Hook("a"), None, start=False), call(1, "module.settrace", Hook("t")), call(0, "start"))
    assert done(thread.invoke(s, entered_with(Hook("t"), None))).outcome == Returned(None)
    assert done(thread.invoke(s, entered_with(Hook("a"), None))).clause == module.SETTRACE


def test_ident_and_native_id_are_those_its_own_thread_reported() -> None:
    s = started()
    assert done(thread.invoke(s, call(1, "get:ident"))).outcome == Returned(ANY_INT)
    seen = Call(ENV, GATE_ENTERED, (1, (), ()), (("ident", 140001), ("native_id", 4242)))
    s = done(thread.invoke(s, seen)).state
    for st in (s, settle(do(s, OPEN_1))):
        r = done(thread.invoke(st, call(1, "get:ident")))
        assert r.outcome == Returned(140001) and r.clause == thread.IDENT_AFTER
        assert done(thread.invoke(st, call(1, "get:native_id"))).outcome == Returned(4242)
    # an OS id the agent could not have (None) leaves native_id an integer, as before
    unknown = Call(ENV, GATE_ENTERED, (1, (), ()), (("ident", 7), ("native_id", None)))
    s = done(thread.invoke(started(), unknown)).state
    assert done(thread.invoke(s, call(1, "get:native_id"))).outcome == Returned(ANY_INT)


def test_gate_entered_by_a_timer_only_once_fired() -> None:
    s = do(timer(init=call(0, "__init__", 0.05, Gate(1), (1,), {"k": 2})), call(0, "start"))
    assert blocked(thread.invoke(s, entered(1, (1,), (("k", 2),)))).clause == thread.TIMER_FIRES
    (fires,) = thread.expiries(s)
    r = done(thread.invoke(fires.state, entered(1, (1,), (("k", 2),))))
    assert r.outcome == Returned(None) and r.clause == thread.TIMER_FUNCTION


@pytest.mark.parametrize("profile", [PY311, DOC311])
def test_excepthook_gets_the_exception_and_the_thread(profile) -> None:
    s = do(fresh(profile), call(1, "module.set:excepthook", Gate(2)), call(0, "start"),
           call(ENV, "gate.open", 1, "ValueError"))
    (hook,) = env_steps(s)
    args = (((("class", "ValueError"),), ("object", "ValueError"), ("object", "traceback"), ("ref", 4)),)
    r = done(thread.invoke(hook.state, entered(2, args)))
    assert r.outcome == Returned(None) and r.clause == thread.RUN_EXCEPTHOOK_ARGS
    no_thread = (args[0][:3] + (None,),)
    r = done(thread.invoke(hook.state, entered(2, no_thread)))
    assert r.outcome == (Raised("TypeError") if profile.cpython else Returned(None))
    assert blocked(thread.invoke(s, entered(2, args))).clause == thread.RUN_EXCEPTHOOK  # not yet


def test_after_the_exit_the_thread_is_not_alive_nor_listed() -> None:
    s = done(thread.invoke(stopped(), call(ENV, THREAD_EXITED))).state
    assert done(thread.invoke(s, call(1, "is_alive"))).outcome == Returned(False)
    assert s.listed == 0 and done(thread.invoke(s, call(1, "join", 0.0))).clause == thread.JOIN_TERMINATED


def test_join_blocks_until_terminated() -> None:
    b = blocked(thread.invoke(started(), call(1, "join")))
    assert b.clause == thread.JOIN_BLOCKS and list(thread.expiries(b.state)) == []
    s = settle(do(b.state, call(ENV, "gate.open", 1)))
    (step,) = thread.wakeups(s)
    assert (step.thread, step.outcome, step.clause) == (1, Returned(None), thread.JOIN_WAKES)
    assert step.state.stop_seen and step.state.joiners == ()


def test_join_does_not_return_while_the_thread_is_exiting() -> None:
    s = blocked(thread.invoke(started(), call(1, "join"))).state
    exiting = env_steps(do(s, call(ENV, "gate.open", 1)))[0].state
    assert [st.thread for st in thread.wakeups(exiting)] == [ENV]


def test_join_terminated_returns_at_once() -> None:
    r = done(thread.invoke(stopped(), call(1, "join")))
    assert r.outcome == Returned(None) and r.clause == thread.JOIN_TERMINATED


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
    steps = [st for st in thread.wakeups(_raced(profile)) if st.clause == thread.JOIN_RACE]
    assert {st.outcome.exc for st in steps} == errors
    assert {st.thread for st in steps} == ({1, 2} if errors else set())


def test_join_race_needs_two_joiners_and_an_unrecorded_end() -> None:
    s = started()
    s = blocked(thread.invoke(s, call(1, "join"))).state
    s = settle(do(s, OPEN_1))
    assert [st.clause for st in thread.wakeups(s)] == [thread.JOIN_WAKES]
    two = _raced(PY311)
    woke = next(st.state for st in thread.wakeups(two) if st.clause == thread.JOIN_WAKES)
    assert [st.clause for st in thread.wakeups(woke)] == [thread.JOIN_WAKES]  # the end is recorded


@pytest.mark.parametrize("profile,after", [(PY311, {Returned(None), Raised("RuntimeError")}),
                                           (PY38, {Returned(None)})])
def test_after_a_raised_join_the_other_joiner_returns_or_on_39_raises_runtimeerror(profile, after) -> None:
    raised = next(st.state for st in thread.wakeups(_raced(profile))
                  if st.outcome == Raised("AssertionError") and st.state.stop_seen)
    assert {st.outcome for st in thread.wakeups(raised)} == after
    assert not raised.alive and done(thread.invoke(raised, call(3, "join"))).outcome == Returned(None)


def test_join_race_is_a_known_bug_clause_at_either_strictness() -> None:
    from spec.clauses import REGISTRY

    c = REGISTRY[thread.JOIN_RACE]
    assert c.known_bug.endswith("/116372") and c.strictness is Strictness.DOCUMENTED
    assert c.applies_to(PY39.with_strictness(Strictness.DOCUMENTED)) and not c.applies_to(PY313)


def test_join_timeout_returns_none() -> None:
    b = blocked(thread.invoke(started(), call(1, "join", 0.05)))
    (step,) = thread.expiries(b.state)
    assert step.outcome == Returned(None) and step.clause == thread.JOIN_TIMEOUT
    assert step.state.alive and step.state.joiners == ()
    assert thread.timeout(call(1, "join", timeout=0.05)) == 0.05


def test_join_negative_timeout_acts_as_zero() -> None:
    b = blocked(thread.invoke(started(), call(1, "join", -1)))
    assert b.clause == thread.JOIN_NEGATIVE and len(list(thread.expiries(b.state))) == 1
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
        which = thread.JOIN_BAD_TIMEOUT if expected == "TypeError" else thread.JOIN_UNDEFINED_TIMEOUT
        assert done(r).outcome == Raised(expected) and r.clause == which
        assert r.state.alive == s.alive


@pytest.mark.parametrize("profile", [PY39, PY310, PY311, PY312])
@pytest.mark.parametrize("timeout,exc", [(math.nan, "ValueError"), (math.inf, "OverflowError"),
                                         (1e300, "OverflowError")])
def test_join_rejected_timeout_marks_stopped(profile, timeout, exc) -> None:
    s = blocked(thread.invoke(started(profile), call(2, "join"))).state
    r = done(thread.invoke(s, call(1, "join", timeout)))
    assert r.outcome == Raised(exc) and r.clause == thread.JOIN_BAD_TIMEOUT_STOPS
    s = r.state
    assert done(thread.invoke(s, call(1, "is_alive"))).outcome == Returned(False)
    assert done(thread.invoke(s, call(1, "join", timeout))).outcome == Returned(None)
    (woken,) = thread.wakeups(s)  # the joiner waiting on the released lock returns
    assert woken.thread == 2 and woken.clause == thread.JOIN_WAKES
    assert s.listed == 1 and s.phase is Phase.RUNNING  # the target still runs
    assert settle(do(s, call(ENV, "gate.open", 1))).phase is Phase.STOPPED


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
    assert r.outcome == Raised("TypeError") and r.clause == thread.BAD_CALL


# ---------------------------------------------------------------------------
# Thread: name, ident, native_id, daemon
# ---------------------------------------------------------------------------


def test_name_set_by_constructor() -> None:
    s = fresh(init=call(0, "__init__", target=Gate(1), name="worker"))
    r = done(thread.invoke(s, call(1, "get:name")))
    assert r.outcome == Returned("worker") and r.clause == thread.NAME


@pytest.mark.parametrize("name", [None, "", 0])
def test_name_default_thread_n(name) -> None:
    r = done(thread.invoke(fresh(init=call(0, "__init__", name=name)), call(1, "get:name")))
    assert r.outcome == Returned(ANY_STR) and r.clause == thread.NAME_DEFAULT


@pytest.mark.parametrize(
    "profile,value,expected",
    [(PY311, "x", "x"), (PY311, 5, "5"), (PY311, None, "None"), (PY27, True, "True"),
     (PY311, 1.5, ANY_STR), (DOC311, 5, ANY_STR)],
)
def test_name_settable(profile, value, expected) -> None:
    r = done(thread.invoke(started(profile), call(1, "set:name", value)))
    assert r.outcome == Returned(None) and r.clause == thread.NAME_SET
    assert done(thread.invoke(r.state, call(1, "get:name"))).outcome == Returned(expected)


@pytest.mark.parametrize("profile,warning,clause_", [
    (PY27, None, thread.NAME_ALIAS), (PY39, None, thread.NAME_ALIAS),
    (PY310, "DeprecationWarning", thread.NAME_DEPRECATED)])
def test_getName_setName(profile, warning, clause_) -> None:
    r = done(thread.invoke(fresh(profile), call(1, "setName", "n")))
    assert r.outcome == Returned(None, warning) and r.clause == clause_
    r = done(thread.invoke(r.state, call(1, "getName")))
    assert r.outcome == Returned("n", warning) and r.clause == clause_


def test_constructor_name_is_str_of_value_in_cpython() -> None:
    s = fresh(init=call(0, "__init__", name=5))
    assert done(thread.invoke(s, call(1, "get:name"))).outcome == Returned("5")


def test_ident_none_before_start() -> None:
    r = done(thread.invoke(fresh(), call(1, "get:ident")))
    assert r.outcome == Returned(None) and r.clause == thread.IDENT_BEFORE


@pytest.mark.parametrize("s", [started(), stopped()], ids=["alive", "stopped"])
def test_ident_int_once_started(s) -> None:
    r = done(thread.invoke(s, call(1, "get:ident")))
    assert r.outcome == Returned(ANY_INT) and r.clause == thread.IDENT_AFTER


def test_native_id() -> None:
    r = done(thread.invoke(fresh(PY38), call(1, "get:native_id")))
    assert r.outcome == Returned(None) and r.clause == thread.NATIVE_ID
    assert done(thread.invoke(started(PY38), call(1, "get:native_id"))).outcome == Returned(ANY_INT)
    r = done(thread.invoke(started(PY37), call(1, "get:native_id")))
    assert r.outcome == Raised("AttributeError") and r.clause == thread.BAD_CALL


def test_daemon_inherited_from_creator() -> None:
    r = done(thread.invoke(fresh(), call(1, "get:daemon")))
    assert r.outcome == Returned(False) and r.clause == thread.DAEMON_DEFAULT


def test_daemon_settable_before_start_and_reports_flag() -> None:
    r = done(thread.invoke(fresh(), call(1, "set:daemon", True)))
    assert r.outcome == Returned(None) and r.clause == thread.DAEMON_SET
    r = done(thread.invoke(r.state, call(1, "get:daemon")))
    assert r.outcome == Returned(True) and r.clause == thread.DAEMON_GET


@pytest.mark.parametrize("profile,expected", [(PY311, 1), (DOC311, ANY)])
def test_daemon_reads_back_what_was_assigned(profile, expected) -> None:
    s = do(fresh(profile), call(1, "set:daemon", 1))
    assert done(thread.invoke(s, call(1, "get:daemon"))).outcome == Returned(expected)


@pytest.mark.parametrize("s", [started(), stopped()], ids=["alive", "stopped"])
@pytest.mark.parametrize("op", ["set:daemon", "setDaemon"])
def test_daemon_set_after_start_raises(s, op) -> None:
    r = done(thread.invoke(s, call(1, op, True)))
    assert r.outcome == Raised("RuntimeError") and r.clause == thread.DAEMON_AFTER_START


@pytest.mark.parametrize("profile,warning,clause_", [
    (PY36, None, thread.DAEMON_ALIAS), (PY310, "DeprecationWarning", thread.DAEMON_DEPRECATED)])
def test_isDaemon_setDaemon(profile, warning, clause_) -> None:
    r = done(thread.invoke(fresh(profile), call(1, "setDaemon", True)))
    assert r.outcome == Returned(None, warning) and r.clause == clause_
    r = done(thread.invoke(r.state, call(1, "isDaemon")))
    assert r.outcome == Returned(True, warning) and r.clause == clause_


@pytest.mark.parametrize("c", [call(0, "start", 1), call(0, "is_alive", 1), call(0, "set:name")])
def test_bad_arguments_raise_typeerror(c) -> None:
    r = done(thread.invoke(fresh(), c))
    assert r.outcome == Raised("TypeError") and r.clause == thread.BAD_CALL


@pytest.mark.parametrize("op", ["cancel", "acquire", "set:ident", "module.nope"])
def test_unknown_names_raise_attributeerror(op) -> None:
    r = done(thread.invoke(fresh(), call(0, op)))
    assert r.outcome == Raised("AttributeError")


# ---------------------------------------------------------------------------
# Timer
# ---------------------------------------------------------------------------


def test_timer_init_created() -> None:
    r = thread.create_timer(PY311, TIMER_INIT)
    assert r.outcome == Returned(None) and r.clause == thread.TIMER_CREATED
    assert r.state is not None and r.state.kind is thread.Kind.TIMER and r.state.interval == 0.05


@pytest.mark.parametrize(
    "init",
    [call(0, "__init__"), call(0, "__init__", 1), call(0, "__init__", 1, Gate(1), (), None, 5),
     call(0, "__init__", 1, Gate(1), daemon=True)],
)
def test_timer_bad_arguments_raise_typeerror(init) -> None:
    r = thread.create_timer(PY311, init)
    assert r.outcome == Raised("TypeError") and r.clause == thread.TIMER_SIGNATURE


def test_timer_start_starts_waiting() -> None:
    r = done(thread.invoke(timer(), call(0, "start")))
    assert r.clause == thread.TIMER_START and r.state.alive
    assert r.state.runners == (thread.Runner(OWN, thread.Stage.WAITING),)
    assert list(thread.wakeups(r.state)) == []


def test_timer_calls_function_after_interval() -> None:
    s = do(timer(), call(0, "start"))
    (fires,) = thread.expiries(s)
    assert fires.thread == ENV and fires.outcome is None and fires.clause == thread.TIMER_FIRES
    assert env_steps(fires.state) == [] and fires.state.alive
    (ends,) = env_steps(do(fires.state, call(ENV, "gate.open", 1)))
    assert ends.clause == thread.TIMER_FUNCTION and ends.state.finished
    assert settle(ends.state).phase is Phase.STOPPED
    assert thread.timer_timeout(TIMER_INIT) == 0.05


def test_timer_args_none_is_an_empty_list_but_not_in_27() -> None:
    assert timer(init=call(0, "__init__", 1, Gate(1), None, None)).action == 1
    assert timer(PY27, init=call(0, "__init__", 1, Gate(1))).action == 1
    assert timer(PY27, init=call(0, "__init__", 1, Gate(1), None)).action == "TypeError"
    assert timer(PY27, init=call(0, "__init__", 1, Gate(1), kwargs=None)).action == "TypeError"


@pytest.mark.parametrize("before_start", [True, False])
def test_timer_cancel_stops_waiting_timer(before_start) -> None:
    s = timer()
    steps = [call(1, "cancel"), call(0, "start")] if before_start else [call(0, "start"), call(1, "cancel")]
    r = done(thread.invoke(do(s, steps[0]), steps[1])) if before_start else None
    s = do(s, *steps)
    assert s.finished and list(thread.expiries(s)) == []
    (skips,) = env_steps(s)
    assert skips.clause == thread.TIMER_CANCELLED_SKIPS
    assert settle(s).phase is Phase.STOPPED
    assert r is None or r.clause == thread.TIMER_START
    assert done(thread.invoke(timer(), call(1, "cancel"))).clause == thread.TIMER_CANCEL


def test_timer_cancel_only_while_waiting() -> None:
    s = next(iter(thread.expiries(do(timer(), call(0, "start"))))).state
    r = done(thread.invoke(s, call(1, "cancel")))
    assert r.outcome == Returned(None) and r.clause == thread.TIMER_CANCEL_LATE
    assert env_steps(r.state) == []  # the function still runs, until its gate opens
    assert settle(do(r.state, call(ENV, "gate.open", 1))).phase is Phase.STOPPED


def test_timer_cancel_with_arguments_raises_typeerror() -> None:
    assert done(thread.invoke(timer(), call(1, "cancel", 1))).outcome == Raised("TypeError")


@pytest.mark.parametrize(
    "profile,interval,expected",
    [(PY311, "x", "TypeError"), (PY27, "x", "TypeError"), (PY311, math.inf, "OverflowError"),
     (PY311, math.nan, 0.0), (PY27, math.inf, None), (PY27, math.nan, None), (PY311, None, None),
     (PY311, -1, 0.0)],
)
def test_timer_bad_interval(profile, interval, expected) -> None:
    s = timer(profile, call(0, "__init__", interval, Gate(1)))
    assert s.interval == expected
    s = do(s, call(0, "start"))
    if isinstance(expected, str):
        (step,) = env_steps(s)
        assert step.clause == thread.TIMER_BAD_INTERVAL and step.state.phase is Phase.EXITING
    elif expected is None:
        assert list(thread.expiries(s)) == [] and env_steps(s) == []
    else:
        assert len(list(thread.expiries(s))) == 1


def test_timer_run_called_directly_waits_then_calls() -> None:
    b = blocked(thread.invoke(timer(), call(1, "run")))
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
    assert b.clause == module.ACTIVE_COUNT
    steps = list(thread.wakeups(b.state))
    assert {st.outcome.value for st in steps} == {b + 1 for b in module.BASELINE_CHOICES}
    assert all(st.clause == module.ACTIVE_COUNT for st in steps)


def test_active_count_counts_alive_threads() -> None:
    s = bind_count(fresh()).state
    assert done(thread.invoke(s, call(1, "module.active_count"))).outcome == Returned(5)
    s = do(s, call(0, "start"))
    r = done(thread.invoke(s, call(1, "module.active_count")))
    assert r.outcome == Returned(6) and r.clause == module.ACTIVE_COUNT
    exiting = env_steps(do(s, call(ENV, "gate.open", 1)))[0].state
    assert done(thread.invoke(exiting, call(1, "module.active_count"))).outcome == Returned(5)


@pytest.mark.parametrize("profile,warning,clause_", [
    (PY39, None, module.ACTIVE_COUNT_ALIAS), (PY310, "DeprecationWarning", module.ACTIVE_COUNT_DEPRECATED)])
def test_activeCount(profile, warning, clause_) -> None:
    s = bind_count(started(profile)).state
    r = done(thread.invoke(s, call(1, "module.activeCount")))
    assert r.outcome == Returned(6, warning) and r.clause == clause_


def test_enumerate_lists_alive_threads() -> None:
    b = blocked(thread.invoke(started(), call(1, "module.enumerate")))
    step = next(st for st in thread.wakeups(b.state) if st.state.module.baseline == 2)
    listing = Returned(module.AliveThreads(3, True))
    assert step.outcome == listing and step.clause == module.ENUMERATE
    r = done(thread.invoke(step.state, call(1, "module.enumerate")))
    assert r.outcome == listing and r.clause == module.ENUMERATE_NAMES
    blocked(thread.invoke(stopped(), call(1, "module.enumerate")))  # unbound: binds anew


DUMMY = module.thread_value(name=module.NameLike(module.DUMMY_NAME), daemon=True, ident="caller")
"""What current_thread() returns to a worker (spec/module.py; tests/spec/test_module.py)."""


def test_current_thread_dummy_for_alien_thread() -> None:
    s = bind_count(fresh(), t=1).state
    r = done(thread.invoke(s, call(1, "module.current_thread")))
    assert r.outcome == Returned(DUMMY) and r.clause == module.CURRENT_THREAD
    assert r.state.module.baseline is None and r.state.module.dummies == {1}
    s = bind_count(r.state, t=1).state
    assert done(thread.invoke(s, call(1, "module.current_thread"))).state.module.baseline == 5


@pytest.mark.parametrize("profile,warning,clause_", [
    (PY27, None, module.CURRENT_THREAD_ALIAS),
    (PY311, "DeprecationWarning", module.CURRENT_THREAD_DEPRECATED)])
def test_currentThread(profile, warning, clause_) -> None:
    r = done(thread.invoke(fresh(profile), call(1, "module.currentThread")))
    assert r.outcome == Returned(DUMMY, warning) and r.clause == clause_


@pytest.mark.parametrize(
    "op,since,clause_,value",
    [("module.main_thread", PY36, module.MAIN_THREAD,
      module.thread_value(name="MainThread", daemon=False, ident="main")),
     ("module.get_ident", PY36, module.GET_IDENT, ANY_INT),
     ("module.get_native_id", PY38, module.GET_NATIVE_ID, ANY_INT)],
)
def test_identity_functions(op, since, clause_, value) -> None:
    r = done(thread.invoke(fresh(since), call(1, op)))
    assert r.outcome == Returned(value) and r.clause == clause_
    before = PY27 if since is PY36 else PY37
    r = done(thread.invoke(fresh(before), call(1, op)))
    assert r.outcome == Raised("AttributeError") and r.clause == module.BAD_CALL


@pytest.mark.parametrize("setter,getter,set_clause,get_clause", [
    ("settrace", "gettrace", module.SETTRACE, module.GETTRACE),
    ("setprofile", "getprofile", module.SETPROFILE, module.GETPROFILE),
    ("settrace_all_threads", "gettrace", module.SETTRACE_ALL, module.GETTRACE),
    ("setprofile_all_threads", "getprofile", module.SETPROFILE_ALL, module.GETPROFILE),
])
def test_hooks_are_stored_and_read_back(setter, getter, set_clause, get_clause) -> None:
    s = fresh(PY312)
    assert done(thread.invoke(s, call(1, "module." + getter))).outcome == Returned(ANY)
    r = done(thread.invoke(s, call(1, "module." + setter, "hook")))
    assert r.outcome == Returned(None) and r.clause == set_clause
    r = done(thread.invoke(r.state, call(1, "module." + getter)))
    assert r.outcome == Returned("hook") and r.clause == get_clause


def test_hook_functions_by_version() -> None:
    assert done(thread.invoke(fresh(PY27), call(1, "module.settrace", None))).outcome == Returned(None)
    assert done(thread.invoke(fresh(PY39), call(1, "module.gettrace"))).outcome == Raised("AttributeError")
    r = done(thread.invoke(fresh(PY311), call(1, "module.settrace_all_threads", None)))
    assert r.outcome == Raised("AttributeError")
    assert done(thread.invoke(fresh(), call(1, "module.settrace"))).outcome == Raised("TypeError")


def test_stack_size_returns_old_size() -> None:
    s = fresh()
    r = done(thread.invoke(s, call(1, "module.stack_size")))
    assert r.outcome == Returned(ANY_INT) and r.clause == module.STACK_SIZE
    r = done(thread.invoke(s, call(1, "module.stack_size", 262144)))
    assert r.outcome == Returned(ANY_INT)
    assert done(thread.invoke(r.state, call(1, "module.stack_size", 0))).outcome == Returned(262144)
    r = done(thread.invoke(r.state, call(1, "module.stack_size")))
    assert r.outcome == Returned(262144) and r.state.module.stack == 0  # no size: 0 is used


@pytest.mark.parametrize("size", [-1, 1, 1000, 32767, True, -(2**63)])
def test_stack_size_invalid_raises_valueerror(size) -> None:
    s = do(fresh(), call(1, "module.stack_size", 65536))
    r = done(thread.invoke(s, call(1, "module.stack_size", size)))
    assert r.outcome == Raised("ValueError") and r.clause == module.STACK_SIZE_INVALID
    assert r.state == s


@pytest.mark.parametrize("size,exc", [("x", "TypeError"), (1.5, "TypeError"), (None, "TypeError"),
                                      (2**63, "OverflowError")])
def test_stack_size_bad_type_raises(size, exc) -> None:
    r = done(thread.invoke(fresh(), call(1, "module.stack_size", size)))
    assert r.outcome == Raised(exc) and r.clause == module.STACK_SIZE_BAD_TYPE


def test_excepthook_handles_uncaught_exceptions() -> None:
    r = done(thread.invoke(fresh(PY38), call(1, "module.excepthook", 1)))
    assert r.outcome == Raised("TypeError") and r.clause == module.EXCEPTHOOK
    r = done(thread.invoke(fresh(PY38), call(1, "module.get:excepthook")))
    assert r.outcome == Returned(ANY) and r.clause == module.EXCEPTHOOK
    r = done(thread.invoke(fresh(PY37), call(1, "module.excepthook", 1)))
    assert r.outcome == Raised("AttributeError")


def test_excepthook_can_be_overridden() -> None:
    r = done(thread.invoke(fresh(PY37), call(1, "module.set:excepthook", None)))
    assert r.outcome == Returned(None) and r.clause == module.EXCEPTHOOK_REPLACEABLE
    assert done(thread.invoke(r.state, call(1, "module.get:excepthook"))).outcome == Returned(None)
    s = do(fresh(), call(1, "module.set:excepthook", Gate(2)))
    b = blocked(thread.invoke(s, call(1, "module.excepthook", 1)))
    (step,) = thread.wakeups(do(b.state, call(ENV, "gate.open", 2, "KeyError")))
    assert step.outcome == Raised("KeyError") and step.clause == module.EXCEPTHOOK_REPLACEABLE


def test_original_excepthook_since_310() -> None:
    r = done(thread.invoke(fresh(PY310), call(1, "module.get:__excepthook__")))
    assert r.outcome == Returned(ANY) and r.clause == module.ORIGINAL_EXCEPTHOOK
    assert done(thread.invoke(fresh(PY39), call(1, "module.get:__excepthook__"))).outcome == Raised(
        "AttributeError")


def test_timeout_max_defined_since_32() -> None:
    r = done(thread.invoke(fresh(), call(1, "module.get:TIMEOUT_MAX")))
    assert r.outcome == Returned(TIMEOUT_MAX) and r.clause == module.TIMEOUT_MAX_DEFINED
    assert done(thread.invoke(fresh(DOC311), call(1, "module.get:TIMEOUT_MAX"))).outcome == Returned(ANY)
    assert done(thread.invoke(fresh(PY27), call(1, "module.get:TIMEOUT_MAX"))).outcome == Raised(
        "AttributeError")


def test_thread_error_defined() -> None:
    r = done(thread.invoke(fresh(PY27), call(1, "module.get:ThreadError")))
    assert r.outcome == Returned(ANY) and r.clause == module.THREAD_ERROR


def test_gate_opens_once() -> None:
    r = done(thread.invoke(fresh(), call(ENV, "gate.open", 1, "ValueError")))
    assert r.outcome == Returned(None) and r.clause == module.GATE_OPEN
    s = do(r.state, call(ENV, "gate.open", 1))
    assert module.gate_outcome(s.module, 1) == Raised("ValueError")
    assert done(thread.invoke(fresh(), call(1, "gate.open", 1))).outcome == Raised("TypeError")


@pytest.mark.parametrize("c", [call(1, "module.active_count", 1), call(1, "module.main_thread", 1),
                               call(1, "module.set:excepthook")])
def test_module_bad_arguments_raise_typeerror(c) -> None:
    r = done(thread.invoke(fresh(), c))
    assert r.outcome == Raised("TypeError") and r.clause == module.BAD_CALL


# ---------------------------------------------------------------------------
# local
# ---------------------------------------------------------------------------

LOCAL_INIT = call(0, "__init__")


def local() -> module.LocalState:
    s = module.create_local(PY311, LOCAL_INIT).state
    assert s is not None
    return s


def ldo(s, *calls):
    for c in calls:
        s = done(module.invoke_local(s, c)).state
    return s


def test_local_created_empty() -> None:
    r = module.create_local(PY311, LOCAL_INIT)
    assert r.outcome == Returned(None) and r.clause == module.LOCAL_CREATED


@pytest.mark.parametrize("init", [call(0, "__init__", 1), call(0, "__init__", x=1)])
def test_local_no_arguments(init) -> None:
    r = module.create_local(PY311, init)
    assert r.outcome == Raised("TypeError") and r.clause == module.LOCAL_INIT_ARGS


def test_local_get_own_value() -> None:
    s = ldo(local(), call(0, "set:x", 1))
    r = done(module.invoke_local(s, call(0, "get:x")))
    assert r.outcome == Returned(1) and r.clause == module.LOCAL_GET


def test_local_get_unset_raises_attributeerror() -> None:
    r = done(module.invoke_local(ldo(local(), call(0, "set:x", 1)), call(1, "get:x")))
    assert r.outcome == Raised("AttributeError") and r.clause == module.LOCAL_GET_UNSET


def test_local_set_per_thread() -> None:
    r = done(module.invoke_local(ldo(local(), call(0, "set:x", 1)), call(1, "set:x", 2)))
    assert r.clause == module.LOCAL_SET
    assert done(module.invoke_local(r.state, call(0, "get:x"))).outcome == Returned(1)
    assert done(module.invoke_local(r.state, call(1, "get:x"))).outcome == Returned(2)


def test_local_del_removes_own_value() -> None:
    s = ldo(local(), call(0, "set:x", 1), call(1, "set:x", 2))
    r = done(module.invoke_local(s, call(0, "del:x")))
    assert r.outcome == Returned(None) and r.clause == module.LOCAL_DEL
    assert done(module.invoke_local(r.state, call(0, "get:x"))).outcome == Raised("AttributeError")
    assert done(module.invoke_local(r.state, call(1, "get:x"))).outcome == Returned(2)
    r = done(module.invoke_local(r.state, call(0, "del:x")))
    assert r.outcome == Raised("AttributeError") and r.clause == module.LOCAL_DEL


@pytest.mark.parametrize("c,exc", [(call(0, "set:x"), "TypeError"), (call(0, "get:x", 1), "TypeError"),
                                   (call(0, "acquire"), "AttributeError"), (call(0, "get:__dict__"),
                                                                            "AttributeError")])
def test_local_bad_call(c, exc) -> None:
    r = done(module.invoke_local(local(), c))
    assert r.outcome == Raised(exc) and r.clause == module.LOCAL_BAD_CALL


# ---------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------

SPECS = {thread.PRIMITIVE: thread.SPEC, thread.TIMER: thread.TIMER_SPEC, module.LOCAL: module.LOCAL_SPEC}


def simulate(spec, profile, scenario) -> set[str]:
    """Run a scenario through the spec alone: every consistent configuration after each step
    (internal steps included); returns the clauses of every transition taken."""
    created = spec.create(profile, scenario.init)
    clauses = {created.clause}
    if created.state is None:
        return clauses
    configs = {(created.state, frozenset())}
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


def closure(spec, configs, clauses):
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


SEEN_ONLY_BY_THE_AGENT = {thread.RUN_EXCEPTHOOK_ARGS}
"""Clauses of what the agent reports on its own (the arguments a gate was called with):
the spec alone, without the agent's reports, cannot take them."""


def test_scenarios_are_runnable_and_exercise_what_they_cover() -> None:
    from conformance.scenarios import thread as scenarios
    from spec.profiles import VERSIONS, profile_for

    names = [sc.name for sc in scenarios.SCENARIOS]
    assert len(set(names)) == len(names)
    for sc in scenarios.SCENARIOS:
        profiles = [p for p in (profile_for(v) for v in VERSIONS) if sc.applies_to(p)]
        assert profiles, sc.name
        exercised: set[str] = set()
        for p in profiles:
            exercised |= simulate(SPECS[sc.primitive], p, sc)
        missing = set(sc.covers) - exercised - SEEN_ONLY_BY_THE_AGENT
        assert not missing, (sc.name, missing)


def test_every_clause_has_a_scenario() -> None:
    from conformance.scenarios import module_functions
    from conformance.scenarios import thread as scenarios
    from spec.clauses import REGISTRY

    covered = {c for sc in scenarios.SCENARIOS + module_functions.SCENARIOS for c in sc.covers}
    mine = {c for c in REGISTRY if c.split(".")[0] in ("Thread", "Timer", "module", "local")}
    # no schedule forces a known race; the exit probe checks the daemon flag at exit
    probed = {thread.EXITS_WITH_DAEMONS, thread.WAITS_FOR_NON_DAEMONS}
    forceable = {c for c in mine if not REGISTRY[c].known_bug} - probed
    assert forceable - covered == set()


def test_generators_draw_valid_calls() -> None:
    from conformance.scenarios import thread as scenarios

    for g in scenarios.GENERATORS:
        spec = SPECS[g.primitive]
        s = spec.create(PY311, g.init).state
        assert s is not None
        for make in g.alphabet:
            for c in calls_of(make(1)):
                assert c.thread == ENV or c.op in spec.ops(PY311), c


# ---------------------------------------------------------------------------
# Exhaustive explorations
# ---------------------------------------------------------------------------

THREAD_ALPHABET = [
    lambda t: call(t, "start"),
    lambda t: call(t, "join"),
    lambda t: call(t, "join", 0.5),
    lambda t: call(t, "is_alive"),
    lambda t: call(t, "run"),
    lambda t: call(ENV, "gate.open", 1),
    lambda t: call(ENV, "gate.open", 1, "ValueError"),
]

HOOK_ALPHABET = [
    lambda t: call(t, "start"),
    lambda t: call(t, "join"),
    lambda t: call(t, "module.set:excepthook", Gate(2)),
    lambda t: call(ENV, "gate.open", 1, "ValueError"),
    lambda t: call(ENV, "gate.open", 2),
]

COUNT_ALPHABET = [
    lambda t: call(t, "start"),
    lambda t: call(t, "join"),
    lambda t: call(t, "module.active_count"),
    lambda t: call(t, "module.current_thread"),
    lambda t: call(ENV, "gate.open", 1),
]

TIMER_ALPHABET = [
    lambda t: call(t, "start"),
    lambda t: call(t, "cancel"),
    lambda t: call(t, "join"),
    lambda t: call(t, "join", 0.5),
    lambda t: call(t, "is_alive"),
    lambda t: call(ENV, "gate.open", 1),
]

LOCAL_ALPHABET = [
    lambda t: call(t, "get:x"),
    lambda t: call(t, "set:x", t),
    lambda t: call(t, "del:x"),
]


BAD_TIMEOUT_ALPHABET = [
    lambda t: call(t, "start"),
    lambda t: call(t, "join"),
    lambda t: call(t, "join", math.nan),
    lambda t: call(t, "join", "1"),
    lambda t: call(t, "is_alive"),
    lambda t: call(ENV, "gate.open", 1),
]


def _explore_follows_environment_steps() -> bool:
    """Does ``spec.explore`` follow ``Step(ENV, None, ...)``, the steps a thread takes on its own?"""
    ex = explore(thread.SPEC, PY311, call(0, "__init__"), [lambda t: call(t, "start")], threads=1,
                 calls_per_thread=1)
    return not ex.violations and len(ex.states) == 4


@pytest.mark.skipif(not _explore_follows_environment_steps(),
                    reason="spec.explore does not follow environment steps (Step(ENV, None, ...)) yet")
@pytest.mark.parametrize(
    "spec,profile,init,alphabet,threads,calls,pinned",
    [
        pytest.param(thread.SPEC, PY311, INIT, THREAD_ALPHABET, 2, 3, (569, 3141), id="thread"),
        pytest.param(thread.SPEC, PY311, INIT, THREAD_ALPHABET, 3, 2, (4772, 19503), id="thread-3-threads"),
        pytest.param(thread.SPEC, DOC311, INIT, THREAD_ALPHABET, 2, 3, (937, 4357), id="thread-documented"),
        pytest.param(thread.SPEC, PY27, INIT, BAD_TIMEOUT_ALPHABET, 2, 3, (50, 425), id="bad-timeouts-2.7"),
        pytest.param(thread.SPEC, PY311, INIT, BAD_TIMEOUT_ALPHABET, 2, 3, (71, 579), id="bad-timeouts-3.11"),
        pytest.param(thread.SPEC, PY313, INIT, BAD_TIMEOUT_ALPHABET, 2, 3, (50, 425), id="bad-timeouts-3.13"),
        pytest.param(thread.SPEC, DOC311, INIT, BAD_TIMEOUT_ALPHABET, 2, 3, (185, 1187),
                     id="bad-timeouts-documented"),
        pytest.param(thread.SPEC, PY311, INIT, HOOK_ALPHABET, 2, 3, (142, 823), id="excepthook"),
        pytest.param(thread.SPEC, PY311, INIT, COUNT_ALPHABET, 2, 2, (15245, 31571), id="counts"),
        pytest.param(thread.TIMER_SPEC, PY311, TIMER_INIT, TIMER_ALPHABET, 2, 3, (288, 2043), id="timer"),
        pytest.param(thread.TIMER_SPEC, PY311, TIMER_INIT, TIMER_ALPHABET, 3, 2, (1884, 11188),
                     id="timer-3-threads"),
        pytest.param(module.LOCAL_SPEC, PY311, LOCAL_INIT, LOCAL_ALPHABET, 3, 2, (8, 125), id="local"),
    ],
)
def test_exhaustive_invariants_hold(spec, profile, init, alphabet, threads, calls, pinned) -> None:
    ex = explore(spec, profile, init, alphabet, threads=threads, calls_per_thread=calls)
    assert ex.violations == []
    # pinned: a change to these numbers is a change to the spec; look at it.
    assert (len(ex.states), ex.nodes) == pinned
