""""All of the methods described below are executed atomically" (docs/trace: covered loosely by
each primitive's core step clauses): the checker explains overlapping calls only by some order of
whole spec steps, so an effect seen half done is a violation of the step it breaks."""

from __future__ import annotations

from typing import Any

from conformance.checker import Checker, Observation
from spec import event, lock, semaphore
from spec.core import PrimitiveSpec
from spec.profiles import PY311
from spec.values import Returned, Value, call

CAP = 1.0


def _checker(spec: PrimitiveSpec[Any], *args: Value) -> Checker:
    ch = Checker(spec)
    assert ch.created(PY311, call(0, "__init__", *args), Returned(None)) is None
    return ch


def test_two_overlapping_acquires_of_a_lock_cannot_both_take_it() -> None:
    ch = _checker(lock.SPEC)
    ch.invoked(call(0, "acquire"), 0.0)
    ch.invoked(call(1, "acquire"), 0.0005)  # both in progress at once
    assert ch.completed(Observation(0, Returned(True), 0.001)) is None
    v = ch.completed(Observation(1, Returned(True), 0.0011))
    assert v is not None and v.kind == "unexpected-outcome", v


def test_two_overlapping_acquires_cannot_both_take_a_semaphore_s_last_unit() -> None:
    ch = _checker(semaphore.SPEC, 1)
    ch.invoked(call(0, "acquire", False), 0.0)
    ch.invoked(call(1, "acquire", False), 0.0005)
    assert ch.completed(Observation(1, Returned(True), 0.001)) is None
    v = ch.completed(Observation(0, Returned(True), 0.0011))
    assert v is not None and v.clause == semaphore.ACQUIRE_NONBLOCKING_RETURNS_FALSE, v


def test_overlapping_acquires_that_took_one_unit_each_are_explained() -> None:
    ch = _checker(semaphore.SPEC, 2)
    ch.invoked(call(0, "acquire", False), 0.0)
    ch.invoked(call(1, "acquire", False), 0.0005)
    assert ch.completed(Observation(1, Returned(True), 0.001)) is None
    assert ch.completed(Observation(0, Returned(True), 0.0011)) is None
    assert ch.settled(0.002, CAP)


def test_a_set_that_returned_owes_the_waiter_it_found() -> None:
    ch = _checker(event.SPEC)
    ch.invoked(call(1, "wait"), 0.0)
    assert ch.settled(0.001, CAP)  # the waiter blocks
    ch.invoked(call(0, "set"), 0.002)
    assert ch.completed(Observation(0, Returned(None), 0.003)) is None
    assert not ch.settled(0.004, CAP)  # set() is whole: the waiter must wake
    owed = ch.owed(0.004, CAP)
    assert owed.clause == event.WAIT_WOKEN_RETURNS_TRUE and "it requires t1 returned True" in owed.allowed
