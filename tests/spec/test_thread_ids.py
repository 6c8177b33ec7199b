"""The ids of threads alive at the same time (``spec.module.thread_id``, the own thread's
``get_ident()`` / ``get_native_id()``): identifiers are nonzero, native ids non-negative, and a
worker's are not those of the Thread's own thread while it is alive."""

from __future__ import annotations

import pytest

from spec import module, thread
from spec.profiles import PY37, PY38, PY311
from spec.thread_state import OWN, Life
from spec.values import ENV, GATE_ENTERED, Call, Gate, Raised, Returned, call, value_matches
from tests.spec.helpers import blocked, done, fresh

SEEN = Call(ENV, GATE_ENTERED, (1, (), ()), (("ident", 140001), ("native_id", 4242)))


def _in_gate(profile=PY311):
    s = fresh(thread.SPEC, target=Gate(1), profile=profile)
    s = done(thread.invoke(s, call(0, "start"))).state
    return done(thread.invoke(s, SEEN)).state


def _value(s, c):
    r = done(thread.invoke(s, c))
    assert isinstance(r.outcome, Returned)
    return r.outcome.value, r.clause


def test_int_other_than_matches_ints_only() -> None:
    v = module.IntOtherThan((0, 7), 0)
    assert [value_matches(v, x) for x in (1, 7, 0, -3, True, 2.0, "1")] == [True] + [False] * 6
    assert value_matches(module.NONZERO_INT, -3) and not value_matches(module.NONZERO_INT, 0)


def test_a_worker_s_ids_are_not_those_of_the_thread_alive_in_its_gate() -> None:
    s = _in_gate()
    native, which = _value(s, call(1, "module.get_native_id"))
    assert which == module.GET_NATIVE_ID_IDENTIFIES_THE_THREAD
    assert value_matches(native, 4243) and not value_matches(native, 4242) and not value_matches(native, -1)
    ident, which = _value(s, call(1, "module.get_ident"))
    assert which == module.GET_IDENT_RETURNS_NONZERO_INT
    assert value_matches(ident, 5) and not value_matches(ident, 140001) and not value_matches(ident, 0)


def test_the_thread_s_own_calls_return_the_ids_read_in_it() -> None:
    s = _in_gate()
    assert _value(s, call(OWN, "module.get_native_id")) == (4242, module.GET_NATIVE_ID_IDENTIFIES_THE_THREAD)
    assert _value(s, call(OWN, "module.get_ident")) == (140001, module.GET_IDENT_RETURNS_NONZERO_INT)
    bad = done(thread.invoke(s, call(OWN, "module.get_ident", 1)))
    assert bad.outcome == Raised("TypeError")


def test_an_own_call_waits_for_the_thread_to_enter_its_gate() -> None:
    s = fresh(thread.SPEC, target=Gate(1))
    blocked(thread.invoke(s, call(OWN, "module.get_native_id")))


def test_once_the_thread_ended_its_ids_may_be_recycled() -> None:
    s = _in_gate()
    s = done(thread.invoke(s, call(ENV, "gate.open", 1))).state
    while s.life is not Life.STOPPED:  # its run() ends, it leaves enumerate(), it stops being alive
        native, which = _value(s, call(1, "module.get_native_id"))
        assert not value_matches(native, 4242) and which == module.GET_NATIVE_ID_IDENTIFIES_THE_THREAD
        (step,) = [st for st in thread.wakeups(s) if st.thread == ENV]
        s = step.state
    native, which = _value(s, call(1, "module.get_native_id"))
    assert value_matches(native, 4242) and which == module.GET_NATIVE_ID_RETURNS_INT


@pytest.mark.parametrize("profile", [PY37, PY38])
def test_before_a_thread_entered_its_gate_nothing_is_excluded_but_0(profile) -> None:
    s = fresh(thread.SPEC, target=Gate(1), profile=profile)
    ident, _ = _value(s, call(1, "module.get_ident"))
    assert ident == module.NONZERO_INT
    if profile is PY38:
        expected = (module.NON_NEGATIVE_INT, module.GET_NATIVE_ID_RETURNS_INT)
        assert _value(s, call(1, "module.get_native_id")) == expected
