"""Lock spec: one test per clause, and an exhaustive exploration with a pinned state count."""

from __future__ import annotations

import pytest

from proofs import bounds
from spec import lock
from spec.core import Blocked
from spec.explore import explore
from spec.profiles import PY27, PY311, PY313, Strictness
from spec.values import Raised, Returned, call, outcome_matches
from tests.spec import helpers
from tests.spec.helpers import done

INIT = call(0, "__init__")


def fresh(profile=PY311) -> lock.State:
    return helpers.fresh(lock.SPEC, profile=profile)


def test_init_created_unlocked() -> None:
    r = lock.create(PY311, INIT)
    assert r.clause == lock.INIT_CREATED_UNLOCKED
    assert r.state is not None and not r.state.locked


def test_init_no_arguments() -> None:
    r = lock.create(PY311, call(0, "__init__", 1))
    assert r.outcome == Raised("TypeError") and r.clause == lock.INIT_NO_ARGUMENTS


def test_acquire_unlocked_locks() -> None:
    r = done(lock.invoke(fresh(), call(0, "acquire")))
    assert r.outcome == Returned(True) and r.state.locked and r.clause == lock.ACQUIRE_UNLOCKED_LOCKS


def test_acquire_locked_blocks_even_for_the_holder() -> None:
    s = done(lock.invoke(fresh(), call(0, "acquire"))).state
    r = lock.invoke(s, call(0, "acquire"))
    assert isinstance(r, Blocked) and r.clause == lock.ACQUIRE_LOCKED_BLOCKS


def test_acquire_nonblocking_returns_false() -> None:
    s = done(lock.invoke(fresh(), call(0, "acquire"))).state
    r = done(lock.invoke(s, call(1, "acquire", False)))
    assert r.outcome == Returned(False) and r.clause == lock.ACQUIRE_NONBLOCKING_RETURNS_FALSE


def test_acquire_timeout_returns_false() -> None:
    s = done(lock.invoke(fresh(), call(0, "acquire"))).state
    b = lock.invoke(s, call(1, "acquire", timeout=0.1))
    assert isinstance(b, Blocked)
    (step,) = lock.expiries(b.state)
    assert step.outcome == Returned(False) and step.clause == lock.ACQUIRE_TIMEOUT_RETURNS_FALSE
    assert step.state == s


def test_untimed_waiter_never_expires() -> None:
    s = done(lock.invoke(fresh(), call(0, "acquire"))).state
    b = lock.invoke(s, call(1, "acquire"))
    assert list(lock.expiries(b.state)) == []


@pytest.mark.parametrize(
    "kwargs",
    [dict(blocking=False, timeout=1), dict(blocking=False, timeout=0)],
)
def test_acquire_timeout_with_nonblocking_raises(kwargs) -> None:
    r = done(lock.invoke(fresh(), call(0, "acquire", **kwargs)))
    assert r.outcome == Raised("ValueError") and r.clause == lock.ACQUIRE_TIMEOUT_WITH_NONBLOCKING_RAISES


@pytest.mark.parametrize(
    "timeout,exc",
    [(-2, "ValueError"), (-0.5, "ValueError"), (float("nan"), "ValueError"),
     (float("inf"), "OverflowError"), (1e300, "OverflowError"), ("1", "TypeError")],
)
def test_acquire_bad_timeout_raises(timeout, exc) -> None:
    r = done(lock.invoke(fresh(), call(0, "acquire", timeout=timeout)))
    which = lock.ACQUIRE_BAD_TIMEOUT_RAISES
    if exc in ("ValueError", "TypeError"):  # negative, NaN, no number: CPython's reading
        which = lock.ACQUIRE_UNDOCUMENTED_TIMEOUT_RAISES
    assert r.outcome == Raised(exc) and r.clause == which


@pytest.mark.parametrize(
    "kwargs,exc",
    [(dict(timeout=float("nan")), "Exception"), (dict(timeout=-2), "Exception"),
     (dict(blocking=False, timeout=1), "Exception"), (dict(timeout=float("inf")), "OverflowError"),
     (dict(timeout=10**400), "OverflowError"), (dict(timeout=-(10**400)), "Exception"),
     (dict(timeout=-float("inf")), "Exception"),
     # two rules reject it, and which is checked first is not said (PyPy: ValueError)
     (dict(blocking=False, timeout=float("inf")), "Exception"),
     (dict(blocking=False, timeout=10**400), "Exception"),
     (dict(timeout="1"), "TypeError")],
)
def test_rejected_timeout_type_is_open_at_documented_strictness(kwargs, exc) -> None:
    # PyPy raises OverflowError for a NaN timeout; the documentation names no type there
    r = done(lock.invoke(fresh(PY311.with_strictness(Strictness.DOCUMENTED)), call(0, "acquire", **kwargs)))
    assert r.outcome == Raised(exc)
    if exc == "Exception":
        assert outcome_matches(r.outcome, Raised("ValueError"), ("ValueError", "Exception"))
        assert outcome_matches(r.outcome, Raised("OverflowError"), ("OverflowError", "Exception"))


def test_acquire_keywords_in_27_raise_typeerror() -> None:
    r = done(lock.invoke(fresh(PY27), call(0, "acquire", blocking=False)))
    assert r.outcome == Raised("TypeError") and r.clause == lock.ACQUIRE_NO_KEYWORDS_IN_2_7


def test_release_locked_unlocks() -> None:
    s = done(lock.invoke(fresh(), call(0, "acquire"))).state
    r = done(lock.invoke(s, call(0, "release")))
    assert r.outcome == Returned(None) and not r.state.locked and r.clause == lock.RELEASE_LOCKED_UNLOCKS


def test_release_from_any_thread() -> None:
    s = done(lock.invoke(fresh(), call(0, "acquire"))).state
    r = done(lock.invoke(s, call(1, "release")))
    assert r.outcome == Returned(None) and not r.state.locked and r.clause == lock.RELEASE_ANY_THREAD


@pytest.mark.parametrize("blocking", [None, 2.5, "x"])
def test_acquire_non_int_blocking_raises_before_312(blocking) -> None:
    r = done(lock.invoke(fresh(), call(0, "acquire", blocking)))
    assert r.outcome == Raised("TypeError")
    r = done(lock.invoke(fresh(PY313), call(0, "acquire", blocking)))
    assert r.outcome == Returned(True)


def test_enter_takes_acquires_arguments() -> None:
    s = done(lock.invoke(fresh(), call(0, "acquire"))).state
    r = done(lock.invoke(s, call(1, "__enter__", False)))
    assert r.outcome == Returned(False)


def test_release_unlocked_raises_runtimeerror() -> None:
    r = done(lock.invoke(fresh(), call(0, "release")))
    assert r.outcome == Raised("RuntimeError") and r.clause == lock.RELEASE_UNLOCKED_RAISES_RUNTIMEERROR


def test_release_unlocked_raises_threaderror_in_27() -> None:
    r = done(lock.invoke(fresh(PY27), call(0, "release")))
    assert r.outcome == Raised("ThreadError") and r.clause == lock.RELEASE_UNLOCKED_RAISES_THREADERROR


def test_release_wakes_any_one_waiter() -> None:
    s = done(lock.invoke(fresh(), call(0, "acquire"))).state
    for t in (1, 2):
        b = lock.invoke(s, call(t, "acquire"))
        assert isinstance(b, Blocked)
        s = b.state
    s = done(lock.invoke(s, call(0, "release"))).state
    steps = list(lock.wakeups(s))
    assert {st.thread for st in steps} == {1, 2}
    assert all(st.state.locked and len(st.state.waiters) == 1 for st in steps)
    assert all(st.clause == lock.RELEASE_WAKES_ONE_WAITER for st in steps)


def test_locked_reports_state() -> None:
    s = fresh()
    assert done(lock.invoke(s, call(0, "locked"))).outcome == Returned(False)
    s = done(lock.invoke(s, call(0, "acquire"))).state
    r = done(lock.invoke(s, call(1, "locked")))
    assert r.outcome == Returned(True) and r.clause == lock.LOCKED_REPORTS_STATE


def test_locked_reports_state_in_27() -> None:
    r = done(lock.invoke(fresh(PY27), call(0, "locked")))
    assert r.outcome == Returned(False) and r.clause == lock.LOCKED_REPORTS_STATE_IN_2_7


def test_unknown_method_raises_attributeerror() -> None:
    r = done(lock.invoke(fresh(), call(0, "acquire_lock_forever")))
    assert r.outcome == Raised("AttributeError") and r.clause == lock.CALL_BAD_ARGUMENTS_RAISE_TYPEERROR


def test_with_acquires_and_releases() -> None:
    r = done(lock.invoke(fresh(), call(0, "__enter__")))
    assert r.outcome == Returned(True) and r.state.locked and r.clause == lock.WITH_ACQUIRES_AND_RELEASES
    r = done(lock.invoke(r.state, call(0, "__exit__", None, None, None)))
    assert r.outcome == Returned(None) and not r.state.locked


def test_release_with_arguments_raises_typeerror() -> None:
    r = done(lock.invoke(fresh(), call(0, "release", 1)))
    assert r.outcome == Raised("TypeError") and r.clause == lock.CALL_BAD_ARGUMENTS_RAISE_TYPEERROR


@pytest.mark.parametrize("bound", bounds.for_primitive("Lock"), ids=str)
def test_exhaustive_three_threads_invariants_hold(bound: bounds.Bound) -> None:
    ex = explore(bound.spec, bound.profile, bound.init, bound.alphabet, bound.threads, bound.calls)
    assert ex.violations == []
    # pinned (in proofs/bounds.py): a change to these numbers is a change to the spec; look at it.
    assert (len(ex.states), ex.nodes) == bound.pinned
