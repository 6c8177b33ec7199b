"""The checker on hand-written histories of a Lock (no agent, no threads)."""

from __future__ import annotations

from conformance.checker import Checker, Observation
from spec import lock
from spec.profiles import PY311
from spec.values import Raised, Returned, call

CAP = 1.0


def make() -> Checker:
    ch = Checker(lock.SPEC)
    assert ch.created(PY311, call(0, "__init__"), Returned(None)) is None
    return ch


def held() -> Checker:
    """A Lock that t0 has acquired (invoked at agent time 0.0, returned at 0.001)."""
    ch = make()
    ch.invoked(call(0, "acquire"), 0.0)
    assert ch.completed(Observation(0, Returned(True), 0.001)) is None
    return ch


def test_sequential_history_is_explained() -> None:
    ch = make()
    ch.invoked(call(0, "acquire"), 0.0)
    assert ch.completed(Observation(0, Returned(True), 0.001)) is None
    ch.invoked(call(0, "release"), 0.002)
    assert ch.completed(Observation(0, Returned(None), 0.003)) is None
    assert ch.settled(0.004, CAP)
    assert lock.ACQUIRE_UNLOCKED_LOCKS in ch.exercised_clauses()


def test_waiter_may_be_reported_before_the_release_that_woke_it() -> None:
    ch = held()
    ch.invoked(call(1, "acquire"), 0.002)
    assert ch.settled(0.003, CAP)
    ch.invoked(call(0, "release"), 0.004)
    assert ch.completed(Observation(1, Returned(True), 0.005)) is None
    assert ch.completed(Observation(0, Returned(None), 0.006)) is None
    assert ch.settled(0.007, CAP)


def test_acquire_of_a_held_lock_succeeding_is_a_violation() -> None:
    ch = held()
    ch.invoked(call(1, "acquire", False), 0.002)
    v = ch.completed(Observation(1, Returned(True), 0.003))
    assert v is not None and v.kind == "unexpected-outcome"
    assert v.clause == lock.ACQUIRE_NONBLOCKING_RETURNS_FALSE


def test_wrong_exception_type_is_a_violation() -> None:
    ch = make()
    ch.invoked(call(0, "release"), 0.0)
    v = ch.completed(Observation(0, Raised("ValueError"), 0.001, mro=("ValueError", "Exception")))
    assert v is not None and v.clause == lock.RELEASE_UNLOCKED_RAISES_RUNTIMEERROR


def test_exception_subclass_matches_documented_type() -> None:
    ch = make()
    ch.invoked(call(0, "release"), 0.0)
    obs = Observation(0, Raised("error"), 0.001, mro=("error", "RuntimeError", "Exception"))
    assert ch.completed(obs) is None


def test_timeout_result_before_the_timeout_is_an_early_timeout() -> None:
    ch = held()
    ch.invoked(call(1, "acquire", timeout=0.05), 1.0)
    v = ch.completed(Observation(1, Returned(False), 1.01))
    assert v is not None and v.kind == "early-timeout"
    assert v.clause == lock.ACQUIRE_TIMEOUT_RETURNS_FALSE


def test_timeout_result_after_the_timeout_is_explained() -> None:
    ch = held()
    ch.invoked(call(1, "acquire", timeout=0.05), 1.0)
    assert not ch.settled(1.01, CAP)  # the expiry is owed once its time comes
    assert ch.completed(Observation(1, Returned(False), 1.06)) is None
    assert ch.settled(1.07, CAP)


def test_lost_wakeup_is_owed() -> None:
    ch = held()
    ch.invoked(call(1, "acquire"), 0.002)
    ch.invoked(call(0, "release"), 0.003)
    assert ch.completed(Observation(0, Returned(None), 0.004)) is None
    assert not ch.settled(5.0, CAP)
    v = ch.owed(5.0, CAP)
    assert v.kind == "missing-completion" and v.clause == lock.RELEASE_WAKES_ONE_WAITER


def test_long_timeouts_are_not_waited_for() -> None:
    ch = held()
    ch.invoked(call(1, "acquire", timeout=60.0), 0.002)
    assert ch.settled(0.003, CAP)


def test_documented_base_class_is_required() -> None:
    from spec.values import outcome_matches

    expected = Raised("BrokenBarrierError")
    good = ("BrokenBarrierError", "RuntimeError", "Exception", "BaseException", "object")
    bad = ("BrokenBarrierError", "Exception", "BaseException", "object")
    assert outcome_matches(expected, Raised("BrokenBarrierError"), good)
    assert not outcome_matches(expected, Raised("BrokenBarrierError"), bad)


def test_unexpected_warning_is_a_violation_at_cpython_strictness() -> None:
    from spec import rlock
    from spec.profiles import PY313, Strictness

    warned = ("DeprecationWarning",)
    ch = Checker(rlock.SPEC)
    v = ch.created(PY313, call(0, "__init__"), Returned(None), warnings=warned)
    assert v is not None and v.kind == "constructor" and v.clause == rlock.INIT_CREATED_UNLOCKED
    assert "DeprecationWarning" in v.observed
    documented = Checker(rlock.SPEC)
    assert documented.created(PY313.with_strictness(Strictness.DOCUMENTED), call(0, "__init__"),
                              Returned(None), warnings=warned) is None
    expected = Checker(rlock.SPEC)
    assert expected.created(PY313, call(0, "__init__", 1), Returned(None), warnings=warned) is None


def test_a_returning_call_warns_only_as_the_spec_says() -> None:
    ch = make()
    ch.invoked(call(0, "acquire"), 0.0)
    v = ch.completed(Observation(0, Returned(True), 0.001, warnings=("DeprecationWarning",)))
    assert v is not None and v.kind == "unexpected-outcome" and v.clause == lock.ACQUIRE_UNLOCKED_LOCKS
    assert "DeprecationWarning" in v.observed
    # the warnings of a call that raises are not compared
    ch2 = make()
    ch2.invoked(call(0, "release"), 0.0)
    assert ch2.completed(Observation(0, Raised("RuntimeError"), 0.001, warnings=("UserWarning",))) is None


def test_exact_warnings_allow_only_the_expected_category() -> None:
    from spec.values import outcome_matches

    expected = Returned(None, "DeprecationWarning")
    assert outcome_matches(expected, Returned(None), (), ("DeprecationWarning",), exact_warnings=True)
    assert not outcome_matches(expected, Returned(None), (), ("DeprecationWarning", "UserWarning"),
                               exact_warnings=True)
    assert outcome_matches(expected, Returned(None), (), ("DeprecationWarning", "UserWarning"))
    assert not outcome_matches(Returned(None), Returned(None), (), ("UserWarning",), exact_warnings=True)
    assert outcome_matches(Raised("RuntimeError"), Raised("RuntimeError"), (), ("UserWarning",),
                           exact_warnings=True)


BBE_MRO = ("BrokenBarrierError", "RuntimeError", "Exception")


def barrier_checker(*args, **kwargs) -> Checker:
    from spec import barrier

    ch = Checker(barrier.SPEC)
    assert ch.created(PY311, call(0, "__init__", *args, **kwargs), Returned(None)) is None
    return ch


def test_barrier_default_timeout_is_owed_and_explained() -> None:
    from spec import barrier

    ch = barrier_checker(2, timeout=0.05)
    ch.invoked(call(0, "wait"), 1.0)
    assert ch.call_timeout(call(0, "wait")) == 0.05
    assert ch.short_timeouts_pending(CAP) == [1.05]
    assert not ch.settled(1.01, CAP)
    v = ch.completed(Observation(0, Raised("BrokenBarrierError"), 1.06, mro=BBE_MRO))
    assert v is None
    assert barrier.WAIT_TIMEOUT_BREAKS in ch.exercised_clauses()


def test_barrier_default_timeout_result_before_it_is_an_early_timeout() -> None:
    from spec import barrier

    ch = barrier_checker(2, None, 0.05)
    ch.invoked(call(0, "wait", None), 1.0)
    v = ch.completed(Observation(0, Raised("BrokenBarrierError"), 1.01, mro=BBE_MRO))
    assert v is not None and v.kind == "early-timeout" and v.clause == barrier.WAIT_TIMEOUT_BREAKS


def test_barrier_explicit_timeout_overrides_the_default() -> None:
    ch = barrier_checker(2, timeout=60.0)
    ch.invoked(call(0, "wait", 0.05), 1.0)
    assert ch.short_timeouts_pending(CAP) == [1.05]
    ch2 = barrier_checker(2, timeout=60.0)
    ch2.invoked(call(0, "wait"), 1.0)
    assert ch2.settled(1.01, CAP)  # a long default timeout is not waited for


def test_closure_is_reused_until_something_it_depends_on_changes() -> None:
    ch = held()
    ch.invoked(call(1, "acquire", timeout=0.05), 1.0)
    first = ch._closure(1.01)
    assert ch._closure(1.02) is first  # nothing changed: the same closure
    later = ch._closure(1.06)  # the timeout has passed: the expiry is allowed now
    assert later is not first and len(later) > len(first)
    ch.invoked(call(2, "acquire", False), 1.07)
    assert ch._closure(1.07) is not later  # a new pending call
    assert ch.completed(Observation(2, Returned(False), 1.08)) is None
    assert ch.completed(Observation(1, Returned(False), 1.09)) is None
