"""Semaphore and BoundedSemaphore specs: one test per clause, a refinement check of the CPython
reading against the documented one, and exhaustive explorations with pinned state counts."""

from __future__ import annotations

from collections import deque
from functools import partial

import pytest

from conformance.scenarios.semaphore import EXPLORATION_ALPHABET
from proofs import bounds
from spec import semaphore as sem
from spec.core import Blocked
from spec.explore import explore
from spec.profiles import PY27, PY36, PY39, PY311, Strictness
from spec.values import ANY, Raised, Returned, call
from tests.spec import helpers
from tests.spec.helpers import done

DOC311 = PY311.with_strictness(Strictness.DOCUMENTED)
DOC27 = PY27.with_strictness(Strictness.DOCUMENTED)


def fresh(value=1, profile=PY311, bounded=False) -> sem.State:
    return helpers.fresh(sem.BOUNDED if bounded else sem.SEMAPHORE, value, profile=profile)


run = partial(helpers.run, sem.SPEC)
block = partial(helpers.block, sem.SPEC)


# -- construction --------------------------------------------------------------


@pytest.mark.parametrize("init", [call(0, "__init__"), call(0, "__init__", 3), call(0, "__init__", value=0)])
def test_init_counter_starts_at_value(init) -> None:
    r = sem.create(PY311, init)
    expected = init.kw().get("value", init.args[0] if init.args else 1)
    assert r.outcome == Returned(None) and r.clause == sem.INIT_COUNTER_STARTS_AT_VALUE
    assert r.state is not None and r.state.counter == expected and r.state.bound is None


@pytest.mark.parametrize("make", [sem.create, sem.create_bounded])
def test_init_negative_value_raises(make) -> None:
    r = make(PY311, call(0, "__init__", -1))
    assert r.outcome == Raised("ValueError") and r.state is None
    assert r.clause == sem.INIT_NEGATIVE_VALUE_RAISES


@pytest.mark.parametrize("value", ["1", None, 1.5])
def test_init_non_integer_value_raises(value) -> None:
    r = sem.create(PY311, call(0, "__init__", value))
    assert r.outcome == Raised("TypeError") and r.clause == sem.CALL_NON_INTEGER_COUNT_RAISES


def test_init_takes_verbose_only_in_27() -> None:
    assert sem.create(PY27, call(0, "__init__", 1, None)).state is not None
    r = sem.create(PY311, call(0, "__init__", 1, None))
    assert r.outcome == Raised("TypeError") and r.clause == sem.CALL_BAD_ARGUMENTS_RAISE_TYPEERROR


def test_bounded_init_initial_value_is_the_bound() -> None:
    r = sem.create_bounded(PY311, call(0, "__init__"))
    assert r.clause == sem.BOUNDED_SEMAPHORE_INIT_INITIAL_VALUE_IS_THE_BOUND and r.state is not None
    assert (r.state.counter, r.state.bound) == (1, 1)


# -- acquire ---------------------------------------------------------------------


def test_acquire_positive_counter_decrements() -> None:
    r = done(sem.invoke(fresh(2), call(0, "acquire")))
    assert r.outcome == Returned(True) and r.state.counter == 1
    assert r.clause == sem.ACQUIRE_POSITIVE_COUNTER_DECREMENTS


def test_acquire_bare_call_return_value_in_27() -> None:
    r = done(sem.invoke(fresh(1, PY27), call(0, "acquire")))
    assert r.outcome == Returned(True) and r.clause == sem.ACQUIRE_BARE_CALL_RETURN_VALUE_2_7
    r = done(sem.invoke(fresh(1, DOC27), call(0, "acquire")))
    assert r.outcome == Returned(ANY) and r.clause == sem.ACQUIRE_BARE_CALL_RETURN_VALUE_2_7
    r = done(sem.invoke(fresh(1, DOC27), call(0, "acquire", True)))
    assert r.outcome == Returned(True) and r.clause == sem.ACQUIRE_POSITIVE_COUNTER_DECREMENTS


def test_acquire_zero_counter_blocks() -> None:
    r = sem.invoke(fresh(0), call(1, "acquire"))
    assert isinstance(r, Blocked) and r.clause == sem.ACQUIRE_ZERO_COUNTER_BLOCKS
    assert [w.thread for w in r.state.waiters] == [1] and r.state.counter == 0


@pytest.mark.parametrize("c", [call(0, "acquire", False), call(0, "acquire", blocking=False)])
def test_acquire_nonblocking_returns_false(c) -> None:
    r = done(sem.invoke(fresh(0), c))
    assert r.outcome == Returned(False) and r.clause == sem.ACQUIRE_NONBLOCKING_RETURNS_FALSE


def test_acquire_timeout_returns_false() -> None:
    s = block(fresh(0), call(1, "acquire", timeout=0.5))
    (step,) = sem.expiries(s)
    assert step.outcome == Returned(False) and step.clause == sem.ACQUIRE_TIMEOUT_RETURNS_FALSE
    assert step.state == fresh(0)


def test_acquire_zero_timeout_returns_false_at_once() -> None:
    r = done(sem.invoke(fresh(0), call(0, "acquire", True, 0)))
    assert r.outcome == Returned(False) and r.clause == sem.ACQUIRE_TIMEOUT_RETURNS_FALSE


def test_timed_out_waiter_takes_a_positive_counter_at_cpython() -> None:
    s = fresh(0)
    s = block(s, call(1, "acquire"))
    s = block(s, call(2, "acquire", timeout=0.5))
    s = run(s, call(0, "release"))  # notifies t1, not t2
    (step,) = sem.expiries(s)
    assert step.thread == 2 and step.outcome == Returned(True) and step.state.counter == 0
    doc = run(block(block(fresh(0, DOC311), call(1, "acquire")), call(2, "acquire", timeout=0.5)),
              call(0, "release"))
    assert [st.outcome for st in sem.expiries(doc)] == [Returned(False)]


def test_untimed_waiter_never_expires() -> None:
    assert list(sem.expiries(block(fresh(0), call(1, "acquire")))) == []


@pytest.mark.parametrize("args", [(False, 1), (False, 0), (False, -1), (0, 60)])
def test_acquire_timeout_with_nonblocking_raises(args) -> None:
    for value in (0, 1):
        r = done(sem.invoke(fresh(value), call(0, "acquire", *args)))
        assert r.outcome == Raised("ValueError") and r.clause == sem.ACQUIRE_TIMEOUT_WITH_NONBLOCKING_RAISES
        assert r.state.counter == value


def test_acquire_nonblocking_with_timeout_none_is_fine() -> None:
    assert done(sem.invoke(fresh(1), call(0, "acquire", False, None))).outcome == Returned(True)


@pytest.mark.parametrize(
    "t,exc", [("1", "TypeError"), (float("inf"), "OverflowError"), (1e10, "OverflowError")]
)
def test_acquire_bad_timeout_raises_when_it_must_wait(t, exc) -> None:
    r = done(sem.invoke(fresh(0), call(0, "acquire", timeout=t)))
    assert r.outcome == Raised(exc) and r.clause == sem.ACQUIRE_BAD_TIMEOUT_RAISES_WHEN_IT_MUST_WAIT
    r = done(sem.invoke(fresh(1), call(0, "acquire", timeout=t)))
    assert r.outcome == Returned(True) and r.clause == sem.ACQUIRE_POSITIVE_COUNTER_DECREMENTS


@pytest.mark.parametrize("t", [-1, -0.5])
def test_acquire_negative_timeout_does_not_wait(t) -> None:
    r = done(sem.invoke(fresh(0), call(0, "acquire", timeout=t)))
    assert r.outcome == Returned(False) and r.clause == sem.ACQUIRE_NEGATIVE_TIMEOUT_DOES_NOT_WAIT


def test_acquire_nan_timeout_waits_without_limit() -> None:
    c = call(1, "acquire", timeout=float("nan"))
    r = sem.invoke(fresh(0), c)
    assert isinstance(r, Blocked) and r.clause == sem.ACQUIRE_NAN_TIMEOUT_WAITS_WITHOUT_LIMIT
    assert list(sem.expiries(r.state)) == [] and sem.timeout(c) is None


@pytest.mark.parametrize("c", [call(0, "acquire", timeout=1), call(0, "acquire", True, 1)])
def test_acquire_no_timeout_before_32(c) -> None:
    r = done(sem.invoke(fresh(1, PY27), c))
    assert r.outcome == Raised("TypeError") and r.clause == sem.ACQUIRE_NO_TIMEOUT_BEFORE_3_2


def test_timeout_of_pending_calls() -> None:
    assert sem.timeout(call(0, "acquire", timeout=0.5)) == 0.5
    assert sem.timeout(call(0, "acquire", True, 2)) == 2.0
    assert sem.timeout(call(0, "__enter__", True, 2)) == 2.0
    assert sem.timeout(call(0, "acquire")) is None
    assert sem.timeout(call(0, "release")) is None


# -- release ---------------------------------------------------------------------


def test_release_increments_counter() -> None:
    r = done(sem.invoke(fresh(0), call(0, "release")))
    assert r.outcome == Returned(None) and r.state.counter == 1 and r.clause == sem.RELEASE_INCREMENTS_COUNTER


def test_release_without_acquire_is_allowed() -> None:
    assert run(fresh(1), call(2, "release"), call(2, "release")).counter == 3


@pytest.mark.parametrize("c", [call(0, "release", 3), call(0, "release", n=3)])
def test_release_n_increments_by_n(c) -> None:
    r = done(sem.invoke(fresh(0, PY39), c))
    assert r.outcome == Returned(None) and r.state.counter == 3 and r.clause == sem.RELEASE_N_INCREMENTS_BY_N


@pytest.mark.parametrize("n", [0, -1, False, 0.5])
def test_release_n_below_one_raises(n) -> None:
    r = done(sem.invoke(fresh(0), call(0, "release", n)))
    assert r.outcome == Raised("ValueError") and r.state.counter == 0
    assert r.clause == sem.RELEASE_N_BELOW_ONE_RAISES


@pytest.mark.parametrize("n", ["2", 1.5, None])
def test_release_non_integer_n_raises(n) -> None:
    r = done(sem.invoke(fresh(0), call(0, "release", n)))
    assert r.outcome == Raised("TypeError") and r.clause == sem.CALL_NON_INTEGER_COUNT_RAISES


def test_release_n_is_absent_before_39() -> None:
    r = done(sem.invoke(fresh(0, PY36), call(0, "release", 2)))
    assert r.outcome == Raised("TypeError") and r.clause == sem.RELEASE_NO_N_BEFORE_3_9
    assert r.state.counter == 0


def test_release_wakes_one_waiter_per_unit_documented() -> None:
    s = fresh(0, DOC311)
    for t in (1, 2):
        s = block(s, call(t, "acquire"))
    s = run(s, call(0, "release"))
    steps = list(sem.wakeups(s))
    assert {st.thread for st in steps} == {1, 2}
    assert all(st.outcome == Returned(True) and st.state.counter == 0 for st in steps)
    assert all(st.clause == sem.RELEASE_WAKES_ONE_WAITER_PER_UNIT for st in steps)
    assert all(list(sem.wakeups(st.state)) == [] for st in steps)


def test_release_wakes_longest_waiting_at_cpython() -> None:
    s = fresh(0)
    for t in (1, 2, 3):
        s = block(s, call(t, "acquire"))
    r = done(sem.invoke(s, call(0, "release")))
    assert r.clause == sem.RELEASE_WAKES_LONGEST_WAITING
    (step,) = sem.wakeups(r.state)
    assert step.thread == 1 and step.outcome == Returned(True)
    assert step.clause == sem.RELEASE_WAKES_ONE_WAITER_PER_UNIT


def test_release_n_wakes_n_longest_waiting_at_cpython() -> None:
    s = fresh(0)
    for t in (1, 2, 3):
        s = block(s, call(t, "acquire"))
    s = run(s, call(0, "release", 2))
    assert {st.thread for st in sem.wakeups(s)} == {1, 2}


def test_woken_waiter_that_loses_the_counter_waits_again_at_the_back() -> None:
    s = fresh(0)
    for t in (1, 2):
        s = block(s, call(t, "acquire"))
    s = run(s, call(0, "release"), call(3, "acquire"))  # t3 arrives and takes the unit first
    (step,) = sem.wakeups(s)
    assert step.thread == 1 and step.outcome is None and step.clause == sem.RELEASE_WAKES_LONGEST_WAITING
    assert [(w.thread, w.notified) for w in step.state.waiters] == [(2, False), (1, False)]
    s = run(step.state, call(0, "release"))
    assert [st.thread for st in sem.wakeups(s)] == [2]


# -- context manager and bad calls -------------------------------------------------


def test_with_acquires_and_releases() -> None:
    r = done(sem.invoke(fresh(1), call(0, "__enter__")))
    assert r.outcome == Returned(True) and r.state.counter == 0 and r.clause == sem.WITH_ACQUIRES_AND_RELEASES
    r = done(sem.invoke(r.state, call(0, "__exit__", None, None, None)))
    assert r.outcome == Returned(None) and r.state.counter == 1 and r.clause == sem.WITH_ACQUIRES_AND_RELEASES


def test_enter_blocks_on_zero_counter() -> None:
    r = sem.invoke(fresh(0), call(0, "__enter__"))
    assert isinstance(r, Blocked) and r.clause == sem.WITH_ACQUIRES_AND_RELEASES


def test_enter_takes_acquire_arguments() -> None:
    r = done(sem.invoke(fresh(0), call(0, "__enter__", False)))
    assert r.outcome == Returned(False) and r.clause == sem.WITH_ACQUIRES_AND_RELEASES


@pytest.mark.parametrize(
    "c",
    [call(0, "__exit__"), call(0, "release", 1, 2), call(0, "acquire", 1, 2, 3), call(0, "acquire", x=1)],
)
def test_bad_arguments_raise_typeerror(c) -> None:
    r = done(sem.invoke(fresh(1), c))
    assert r.outcome == Raised("TypeError") and r.clause == sem.CALL_BAD_ARGUMENTS_RAISE_TYPEERROR


@pytest.mark.parametrize("op", ["locked", "wait", "_value"])
def test_unknown_operation_raises_attributeerror(op) -> None:
    r = done(sem.invoke(fresh(1), call(0, op)))
    assert r.outcome == Raised("AttributeError") and r.clause == sem.CALL_BAD_ARGUMENTS_RAISE_TYPEERROR


# -- BoundedSemaphore --------------------------------------------------------------


@pytest.mark.parametrize("c", [call(0, "release"), call(0, "__exit__", None, None, None)])
def test_bounded_release_above_initial_value_raises(c) -> None:
    s = fresh(2, bounded=True)
    r = done(sem.invoke(s, c))
    assert r.outcome == Raised("ValueError")
    assert r.clause == sem.BOUNDED_SEMAPHORE_RELEASE_ABOVE_INITIAL_VALUE_RAISES
    assert r.state == s


def test_bounded_release_n_above_initial_value_raises_as_a_whole() -> None:
    s = run(fresh(2, bounded=True), call(0, "acquire"))
    r = done(sem.invoke(s, call(0, "release", 2)))
    assert r.outcome == Raised("ValueError") and r.state.counter == 1
    r = done(sem.invoke(run(s, call(0, "acquire")), call(0, "release", 2)))
    assert r.outcome == Returned(None) and r.state.counter == 2


def test_bounded_release_up_to_initial_value_is_fine() -> None:
    s = run(fresh(1, bounded=True), call(0, "acquire"), call(1, "release"))
    assert s.counter == 1


# -- the CPython reading refines the documented one --------------------------------

def _documented(s: sem.State) -> sem.State:
    """The documented state a CPython state stands for: the same, without notifications."""
    waiters = tuple(sem.Waiter(w.thread, w.timed, w.bare) for w in s.waiters)
    return sem.State(s.profile.with_strictness(Strictness.DOCUMENTED), s.counter, s.bound, waiters)


def _same(a: sem.State, b: sem.State) -> bool:
    """Equal as documented states (the documented reading does not read the waiters' order)."""
    return (a.profile, a.counter, a.bound, set(a.waiters)) == (b.profile, b.counter, b.bound, set(b.waiters))


@pytest.mark.parametrize("bounded", [False, True])
def test_cpython_reading_refines_documented(bounded) -> None:
    """Every CPython transition is a documented transition with the same outcome (a silent
    CPython step is no documented move at all), over all states with counter <= 3."""
    start = fresh(1, bounded=bounded)
    seen, todo = {start}, deque([start])
    while todo:
        s = todo.popleft()
        d = _documented(s)
        successors = []
        idle = [t for t in range(3) if all(w.thread != t for w in s.waiters)]
        for c in (make(t) for t in idle for make in EXPLORATION_ALPHABET):
            r, rd = sem.invoke(s, c), sem.invoke(d, c)
            assert type(r) is type(rd) and getattr(r, "outcome", None) == getattr(rd, "outcome", None)
            assert _documented(r.state) == rd.state
            successors.append(r.state)
        documented_steps = [*sem.wakeups(d), *sem.expiries(d)]
        for st in [*sem.wakeups(s), *sem.expiries(s)]:
            if st.outcome is None:
                assert _same(_documented(st.state), d)
            else:
                mapped = _documented(st.state)
                assert any(
                    (ds.thread, ds.outcome) == (st.thread, st.outcome) and _same(mapped, ds.state)
                    for ds in documented_steps
                ), (s, st)
            successors.append(st.state)
        for nxt in successors:
            if nxt not in seen and nxt.counter <= 3:
                seen.add(nxt)
                todo.append(nxt)
    assert len(seen) > 200, len(seen)


# -- exhaustive explorations -------------------------------------------------------


@pytest.mark.parametrize("bound", bounds.for_primitive("Semaphore", "BoundedSemaphore"), ids=str)
def test_exhaustive_three_threads_invariants_hold(bound: bounds.Bound) -> None:
    ex = explore(bound.spec, bound.profile, bound.init, bound.alphabet, bound.threads, bound.calls)
    assert ex.violations == []
    # pinned (in proofs/bounds.py): a change to these numbers is a change to the spec; look at it.
    assert (len(ex.states), ex.nodes) == bound.pinned


@pytest.mark.parametrize("value", [1, 0])
def test_enter_returns_any_value_at_documented_strictness(value) -> None:
    """"The acquire() method will be called when the block is entered": what __enter__ returns is not
    documented (CPython returns acquire's True; gevent.lock.Semaphore's __enter__ returns None), as
    for a Lock's (``lockstep.entered``), whether it returns at once or once a release woke it."""
    for profile, allowed in ((DOC311, ANY), (PY311, True)):
        s = fresh(value, profile)
        if value:
            r = done(sem.invoke(s, call(0, "__enter__")))
        else:
            s = block(s, call(0, "__enter__"))
            woken = done(sem.invoke(s, call(1, "release")))
            (r,) = list(sem.wakeups(woken.state))
        assert r.outcome == Returned(allowed) and r.clause in (sem.WITH_ACQUIRES_AND_RELEASES,
                                                                sem.RELEASE_WAKES_ONE_WAITER_PER_UNIT)
        assert r.state.counter == 0 and r.state.waiters == ()
