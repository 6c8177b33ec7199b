"""Event spec: one test per clause, and exhaustive explorations with pinned state counts."""

from __future__ import annotations

from functools import partial

import pytest

from proofs import bounds
from spec import event
from spec.core import Blocked
from spec.explore import explore
from spec.profiles import PY27, PY39, PY310, PY311
from spec.values import Raised, Returned, call
from tests.spec import helpers
from tests.spec.helpers import done

INIT = call(0, "__init__")


def fresh(profile=PY311) -> event.State:
    return helpers.fresh(event.SPEC, profile=profile)


run = partial(helpers.run, event.SPEC)
block = partial(helpers.block, event.SPEC)


def test_init_flag_starts_false() -> None:
    r = event.create(PY311, INIT)
    assert r.outcome == Returned(None) and r.clause == event.INIT_FLAG_STARTS_FALSE
    assert r.state is not None and not r.state.flag


def test_init_takes_no_arguments() -> None:
    r = event.create(PY311, call(0, "__init__", 1))
    assert r.outcome == Raised("TypeError") and r.clause == event.INIT_NO_ARGUMENTS


def test_init_takes_verbose_in_27() -> None:
    assert event.create(PY27, call(0, "__init__", 1)).state is not None
    assert event.create(PY27, call(0, "__init__", verbose=None)).state is not None


def test_is_set_reports_flag() -> None:
    r = done(event.invoke(fresh(), call(0, "is_set")))
    assert r.outcome == Returned(False) and r.clause == event.IS_SET_REPORTS_FLAG
    r = done(event.invoke(run(fresh(), call(0, "set")), call(1, "is_set")))
    assert r.outcome == Returned(True)


@pytest.mark.parametrize("profile", [PY27, PY39])
def test_isset_alias_of_is_set(profile) -> None:
    r = done(event.invoke(run(fresh(profile), call(0, "set")), call(0, "isSet")))
    assert r.outcome == Returned(True) and r.outcome.warning is None
    assert r.clause == event.ISSET_ALIAS_OF_IS_SET


@pytest.mark.parametrize("profile", [PY310, PY311])
def test_isset_deprecated_alias_warns(profile) -> None:
    r = done(event.invoke(fresh(profile), call(0, "isSet")))
    assert r.outcome == Returned(False, warning="DeprecationWarning")
    assert r.clause == event.ISSET_DEPRECATED_ALIAS_WARNS


def test_set_sets_flag() -> None:
    r = done(event.invoke(fresh(), call(0, "set")))
    assert r.outcome == Returned(None) and r.state.flag and r.clause == event.SET_SETS_FLAG
    assert done(event.invoke(r.state, call(0, "set"))).state == r.state


def test_set_wakes_all_waiters() -> None:
    s = block(fresh(), call(1, "wait"))
    s = block(s, call(2, "wait", 10))
    r = done(event.invoke(s, call(0, "set")))
    assert r.clause == event.SET_WAKES_ALL_WAITERS and all(w.woken for w in r.state.waiters)
    steps = list(event.wakeups(r.state))
    assert {st.thread for st in steps} == {1, 2}
    assert all(st.outcome == Returned(True) and st.clause == event.WAIT_WOKEN_RETURNS_TRUE for st in steps)
    assert list(event.expiries(r.state)) == []


def test_clear_resets_flag() -> None:
    r = done(event.invoke(run(fresh(), call(0, "set")), call(0, "clear")))
    assert r.outcome == Returned(None) and not r.state.flag and r.clause == event.CLEAR_RESETS_FLAG
    assert isinstance(event.invoke(r.state, call(1, "wait")), Blocked)


def test_clear_does_not_wake_waiters() -> None:
    s = run(block(fresh(), call(1, "wait")), call(0, "clear"))
    assert list(event.wakeups(s)) == []


@pytest.mark.parametrize(
    "c", [call(1, "wait"), call(1, "wait", 0.5), call(1, "wait", "x"), call(1, "wait", -1)]
)
def test_wait_on_set_flag_returns_true_at_once(c) -> None:
    r = done(event.invoke(run(fresh(), call(0, "set")), c))
    assert r.outcome == Returned(True) and r.clause == event.WAIT_SET_FLAG_RETURNS_TRUE_AT_ONCE


@pytest.mark.parametrize("c", [call(1, "wait"), call(1, "wait", None), call(1, "wait", timeout=0.5)])
def test_wait_on_clear_flag_blocks(c) -> None:
    r = event.invoke(fresh(), c)
    assert isinstance(r, Blocked) and r.clause == event.WAIT_CLEAR_FLAG_BLOCKS


def test_woken_waiter_returns_true_even_if_cleared_again() -> None:
    s = run(block(fresh(), call(1, "wait")), call(0, "set"), call(0, "clear"))
    (step,) = event.wakeups(s)
    assert step.outcome == Returned(True) and step.clause == event.WAIT_WOKEN_RETURNS_TRUE


def test_woken_waiter_returns_the_flag_on_exit_in_27() -> None:
    s = run(block(fresh(PY27), call(1, "wait")), call(0, "set"))
    (step,) = event.wakeups(s)
    assert step.outcome == Returned(True) and step.clause == event.WAIT_RETURNS_FLAG_ON_EXIT
    (step,) = event.wakeups(run(s, call(0, "clear")))
    assert step.outcome == Returned(False) and step.clause == event.WAIT_RETURNS_FLAG_ON_EXIT


def test_wait_timeout_returns_false() -> None:
    s = block(fresh(), call(1, "wait", 0.5))
    (step,) = event.expiries(s)
    assert step.outcome == Returned(False) and step.clause == event.WAIT_TIMEOUT_RETURNS_FALSE
    assert step.state == fresh()


def test_wait_zero_timeout_returns_false_at_once() -> None:
    r = done(event.invoke(fresh(), call(1, "wait", 0)))
    assert r.outcome == Returned(False) and r.clause == event.WAIT_TIMEOUT_RETURNS_FALSE


def test_untimed_waiter_never_expires() -> None:
    assert list(event.expiries(block(fresh(), call(1, "wait")))) == []


@pytest.mark.parametrize(
    "profile,t", [(PY311, -1), (PY311, float("nan")), (PY27, -1), (PY27, -0.5)]
)
def test_wait_negative_timeout_does_not_wait(profile, t) -> None:
    r = done(event.invoke(fresh(profile), call(1, "wait", t)))
    assert r.outcome == Returned(False) and r.clause == event.WAIT_NEGATIVE_TIMEOUT_DOES_NOT_WAIT


@pytest.mark.parametrize(
    "profile,t,exc",
    [(PY311, "1", "TypeError"), (PY27, "1", "TypeError"), (PY311, float("inf"), "OverflowError"),
     (PY311, 1e300, "OverflowError")],
)
def test_wait_bad_timeout_raises_when_it_must_wait(profile, t, exc) -> None:
    r = done(event.invoke(fresh(profile), call(1, "wait", t)))
    assert r.outcome == Raised(exc) and r.clause == event.WAIT_BAD_TIMEOUT_RAISES_WHEN_IT_MUST_WAIT


@pytest.mark.parametrize("t", [float("nan"), float("inf")])
def test_wait_nan_or_infinite_timeout_waits_without_limit_in_27(t) -> None:
    c = call(1, "wait", t)
    r = event.invoke(fresh(PY27), c)
    assert isinstance(r, Blocked) and r.clause == event.WAIT_NAN_OR_INFINITE_TIMEOUT_WAITS_WITHOUT_LIMIT
    assert list(event.expiries(r.state)) == [] and event.timeout(c) is None


def test_huge_timeout_is_just_long_in_27() -> None:
    r = event.invoke(fresh(PY27), call(1, "wait", 1e300))
    assert isinstance(r, Blocked) and r.clause == event.WAIT_CLEAR_FLAG_BLOCKS


def test_timeout_of_pending_calls() -> None:
    assert event.timeout(call(0, "wait", 0.5)) == 0.5
    assert event.timeout(call(0, "wait", timeout=2)) == 2.0
    assert event.timeout(call(0, "wait")) is None
    assert event.timeout(call(0, "wait", float("inf"))) is None


@pytest.mark.parametrize(
    "c", [call(0, "set", 1), call(0, "clear", 1), call(0, "is_set", 1), call(0, "wait", 1, 2),
          call(0, "wait", x=1)]
)
def test_bad_arguments_raise_typeerror(c) -> None:
    r = done(event.invoke(fresh(), c))
    assert r.outcome == Raised("TypeError") and r.clause == event.CALL_BAD_ARGUMENTS_RAISE_TYPEERROR


@pytest.mark.parametrize("op", ["notify", "_reset_internal_locks", "acquire"])
def test_unknown_operation_raises_attributeerror(op) -> None:
    r = done(event.invoke(fresh(), call(0, op)))
    assert r.outcome == Raised("AttributeError") and r.clause == event.CALL_BAD_ARGUMENTS_RAISE_TYPEERROR


@pytest.mark.parametrize("bound", bounds.for_primitive("Event"), ids=str)
def test_exhaustive_three_threads_invariants_hold(bound: bounds.Bound) -> None:
    ex = explore(bound.spec, bound.profile, bound.init, bound.alphabet, bound.threads, bound.calls)
    assert ex.violations == []
    # pinned (in proofs/bounds.py): a change to these numbers is a change to the spec; look at it.
    assert (len(ex.states), ex.nodes) == bound.pinned
