"""Scenarios and random-schedule alphabets for Semaphore and BoundedSemaphore.

Written to catch the bugs a seeded threading.py would have: counter arithmetic off by one
(or ignoring ``n``), a release that wakes nobody or too few, a waiter that returns without
taking a unit, timeouts ignored or reported as success, a bounded check made after the
counter changed, a context manager that does not release.
"""

from __future__ import annotations

from conformance.scenario import BackToBackTemplate, CallMaker, Scenario, back_to_back
from conformance.scenarios import Generator
from conformance.scenarios import lock as lock_scenarios
from conformance.timeouts import EXPIRING_TIMEOUT, NEGATIVE_TIMEOUT, NEVER_EXPIRING_TIMEOUT, ZERO_TIMEOUT
from spec import semaphore as sem
from spec.values import Call, Value, call, template

EXIT = (None, None, None)
"""The arguments of ``__exit__`` when the with block ended without an exception."""


def _init(*args: Value, **kwargs: Value) -> Call:
    return call(0, "__init__", *args, **kwargs)


def semaphore(
    name: str, init: Call, steps: tuple[Call, ...], covers: tuple[str, ...], **versions: tuple[int, int]
) -> Scenario:
    return Scenario(name, sem.PRIMITIVE, init, steps, covers, **versions)


def bounded(
    name: str, init: Call, steps: tuple[Call, ...], covers: tuple[str, ...], **versions: tuple[int, int]
) -> Scenario:
    return Scenario(name, sem.BOUNDED_PRIMITIVE, init, steps, covers, **versions)


SEMAPHORE_SCENARIOS = (
    semaphore(
        "default_value_admits_one_thread",
        _init(),
        (call(0, "acquire"), call(1, "acquire", False), call(0, "release"), call(1, "acquire", False)),
        (sem.INIT_COUNTER_STARTS_AT_VALUE, sem.ACQUIRE_POSITIVE_COUNTER_DECREMENTS,
         sem.ACQUIRE_NONBLOCKING_RETURNS_FALSE, sem.RELEASE_INCREMENTS_COUNTER),
    ),
    semaphore(
        "initial_value_admits_that_many_threads",
        _init(value=3),
        (
            call(0, "acquire"),
            call(1, "acquire"),
            call(2, "acquire", True),
            call(3, "acquire", False),
            call(3, "acquire", blocking=False),
        ),
        (sem.INIT_COUNTER_STARTS_AT_VALUE, sem.ACQUIRE_POSITIVE_COUNTER_DECREMENTS,
         sem.ACQUIRE_NONBLOCKING_RETURNS_FALSE),
    ),
    semaphore("negative_value_raises", _init(-1), (), (sem.INIT_NEGATIVE_VALUE_RAISES,)),
    semaphore(
        "value_that_is_not_a_number_raises",
        _init("1"),
        (),
        (sem.CALL_NON_INTEGER_COUNT_RAISES,),
        since=(3, 0),
    ),
    semaphore(
        "zero_counter_blocks_until_release",
        _init(0),
        (call(1, "acquire"), call(0, "release"), call(2, "acquire", False)),
        (sem.ACQUIRE_ZERO_COUNTER_BLOCKS, sem.RELEASE_WAKES_ONE_WAITER_PER_UNIT,
         sem.ACQUIRE_NONBLOCKING_RETURNS_FALSE),
    ),
    semaphore(
        "releases_without_acquires_accumulate",
        _init(0),
        (
            call(0, "release"),
            call(0, "release"),
            call(1, "acquire", False),
            call(2, "acquire", False),
            call(1, "acquire", False),
        ),
        (sem.RELEASE_INCREMENTS_COUNTER, sem.ACQUIRE_POSITIVE_COUNTER_DECREMENTS,
         sem.ACQUIRE_NONBLOCKING_RETURNS_FALSE),
    ),
    semaphore(
        "each_release_wakes_exactly_one_waiter",
        _init(0),
        (
            call(1, "acquire"),
            call(2, "acquire"),
            call(3, "acquire"),
            call(0, "release"),
            call(0, "release"),
            call(0, "acquire", False),
            call(0, "release"),
        ),
        (sem.ACQUIRE_ZERO_COUNTER_BLOCKS, sem.RELEASE_WAKES_ONE_WAITER_PER_UNIT,
         sem.RELEASE_WAKES_LONGEST_WAITING),
    ),
    # an acquire right after the release, back to back, usually takes the unit before the
    # woken waiter has the semaphore's lock back: the waiter must then wait on
    semaphore(
        "woken_waiter_that_finds_the_unit_taken_waits_on",
        _init(0),
        (
            call(1, "acquire"),
            back_to_back(call(0, "release"), call(0, "acquire", False)),
            call(2, "acquire", False),
            call(0, "release"),
            call(2, "acquire", False),
        ),
        (sem.RELEASE_WAKES_LONGEST_WAITING, sem.RELEASE_WAKES_ONE_WAITER_PER_UNIT,
         sem.ACQUIRE_POSITIVE_COUNTER_DECREMENTS, sem.ACQUIRE_NONBLOCKING_RETURNS_FALSE),
    ),
    semaphore(
        "release_from_a_woken_waiter_wakes_the_next",
        _init(0),
        (call(1, "acquire"), call(2, "acquire"), call(0, "release"), call(1, "release")),
        (sem.RELEASE_WAKES_ONE_WAITER_PER_UNIT, sem.RELEASE_WAKES_LONGEST_WAITING),
    ),
    semaphore(
        "release_n_increments_by_n",
        _init(0),
        (
            call(0, "release", 3),
            call(1, "acquire", False),
            call(1, "acquire", False),
            call(1, "acquire", False),
            call(1, "acquire", False),
            call(0, "release", n=2),
            call(2, "acquire", False),
        ),
        (sem.RELEASE_N_INCREMENTS_BY_N, sem.ACQUIRE_POSITIVE_COUNTER_DECREMENTS,
         sem.ACQUIRE_NONBLOCKING_RETURNS_FALSE),
        since=(3, 9),
    ),
    semaphore(
        "release_n_wakes_n_waiters",
        _init(0),
        (
            call(1, "acquire"),
            call(2, "acquire", timeout=NEVER_EXPIRING_TIMEOUT),
            call(3, "acquire"),
            call(0, "release", 2),
            call(0, "acquire", False),
            call(0, "release", 1),
        ),
        (sem.RELEASE_N_INCREMENTS_BY_N, sem.RELEASE_WAKES_ONE_WAITER_PER_UNIT,
         sem.RELEASE_WAKES_LONGEST_WAITING),
        since=(3, 9),
    ),
    semaphore(
        "release_n_below_one_raises",
        _init(0),
        (call(0, "release", 0), call(0, "release", -1), call(0, "release", False), call(1, "acquire", False)),
        (sem.RELEASE_N_BELOW_ONE_RAISES, sem.ACQUIRE_NONBLOCKING_RETURNS_FALSE),
        since=(3, 9),
    ),
    semaphore(
        "release_n_that_is_not_a_number_raises",
        _init(0),
        (call(0, "release", "2"), call(1, "acquire", False)),
        (sem.CALL_NON_INTEGER_COUNT_RAISES,),
        since=(3, 9),
    ),
    semaphore(
        "release_takes_no_argument_before_3_9",
        _init(0),
        (call(0, "release", 2), call(1, "acquire", False)),
        (sem.RELEASE_NO_N_BEFORE_3_9,),
        until=(3, 9),
    ),
    semaphore(
        "timeout_expires_without_taking_a_unit",
        _init(0),
        (
            call(1, "acquire", timeout=EXPIRING_TIMEOUT),
            call(0, "release"),
            call(1, "acquire", True, EXPIRING_TIMEOUT),
            call(2, "acquire", False),
        ),
        (sem.ACQUIRE_TIMEOUT_RETURNS_FALSE, sem.ACQUIRE_POSITIVE_COUNTER_DECREMENTS,
         sem.ACQUIRE_NONBLOCKING_RETURNS_FALSE),
        since=(3, 2),
    ),
    semaphore(
        "timed_waiter_woken_by_release_returns_true",
        _init(0),
        (
            call(1, "acquire", timeout=NEVER_EXPIRING_TIMEOUT),
            call(0, "release"),
            call(2, "acquire", False),
        ),
        (sem.ACQUIRE_ZERO_COUNTER_BLOCKS, sem.RELEASE_WAKES_ONE_WAITER_PER_UNIT),
        since=(3, 2),
    ),
    semaphore(
        "release_after_a_timeout_goes_to_a_live_waiter",
        _init(0),
        (
            call(1, "acquire", timeout=EXPIRING_TIMEOUT),
            call(2, "acquire"),
            call(0, "release"),
        ),
        (sem.ACQUIRE_TIMEOUT_RETURNS_FALSE, sem.RELEASE_WAKES_ONE_WAITER_PER_UNIT),
        since=(3, 2),
    ),
    semaphore(
        "waiter_that_timed_out_first_is_skipped",
        _init(0),
        (
            call(1, "acquire", timeout=EXPIRING_TIMEOUT),
            call(2, "acquire", timeout=NEVER_EXPIRING_TIMEOUT),
            call(0, "release"),
        ),
        (sem.ACQUIRE_TIMEOUT_RETURNS_FALSE, sem.RELEASE_WAKES_ONE_WAITER_PER_UNIT),
        since=(3, 2),
    ),
    semaphore(
        "zero_timeout_does_not_wait",
        _init(1),
        (
            call(0, "acquire", timeout=ZERO_TIMEOUT),
            call(1, "acquire", timeout=ZERO_TIMEOUT),
            call(1, "acquire", True, ZERO_TIMEOUT),
        ),
        (sem.ACQUIRE_POSITIVE_COUNTER_DECREMENTS, sem.ACQUIRE_TIMEOUT_RETURNS_FALSE),
        since=(3, 2),
    ),
    semaphore(
        "timeout_with_nonblocking_raises",
        _init(1),
        (
            call(0, "acquire", False, NEVER_EXPIRING_TIMEOUT),
            call(0, "acquire", blocking=False, timeout=ZERO_TIMEOUT),
            call(0, "acquire", False, None),
            call(1, "acquire", False, EXPIRING_TIMEOUT),
        ),
        (sem.ACQUIRE_TIMEOUT_WITH_NONBLOCKING_RAISES, sem.ACQUIRE_POSITIVE_COUNTER_DECREMENTS),
        since=(3, 2),
    ),
    semaphore(
        "bad_timeout_raises_only_when_it_must_wait",
        _init(1),
        (
            call(0, "acquire", timeout="1"),
            call(1, "acquire", timeout="1"),
            call(1, "acquire", timeout=float("inf")),
            call(1, "acquire", timeout=1e300),
            call(2, "acquire", False),
        ),
        (sem.ACQUIRE_POSITIVE_COUNTER_DECREMENTS, sem.ACQUIRE_BAD_TIMEOUT_RAISES_WHEN_IT_MUST_WAIT,
         sem.ACQUIRE_NONBLOCKING_RETURNS_FALSE),
        since=(3, 2),
    ),
    semaphore(
        "negative_timeout_does_not_wait",
        _init(0),
        (
            call(0, "acquire", timeout=-1),
            call(0, "acquire", True, -0.5),
            call(0, "acquire", True, NEGATIVE_TIMEOUT),
            call(0, "release"),
            call(1, "acquire", timeout=-1),
        ),
        (sem.ACQUIRE_NEGATIVE_TIMEOUT_DOES_NOT_WAIT, sem.ACQUIRE_POSITIVE_COUNTER_DECREMENTS),
        since=(3, 2),
    ),
    semaphore(
        "nan_timeout_waits_until_release",
        _init(0),
        (call(1, "acquire", timeout=float("nan")), call(0, "release"), call(2, "acquire", False)),
        (sem.ACQUIRE_NAN_TIMEOUT_WAITS_WITHOUT_LIMIT, sem.RELEASE_WAKES_ONE_WAITER_PER_UNIT),
        since=(3, 2),
    ),
    semaphore(
        "timeout_is_not_accepted_before_3_2",
        _init(1),
        (call(0, "acquire", timeout=1), call(0, "acquire", True, 1), call(1, "acquire", False)),
        (sem.ACQUIRE_NO_TIMEOUT_BEFORE_3_2, sem.ACQUIRE_POSITIVE_COUNTER_DECREMENTS),
        until=(3, 2),
    ),
    semaphore(
        "bare_acquire_returns_true_in_2_7",
        _init(2),
        (call(0, "acquire"), call(1, "__enter__"), call(2, "acquire", False)),
        (sem.ACQUIRE_BARE_CALL_RETURN_VALUE_2_7, sem.WITH_ACQUIRES_AND_RELEASES),
        until=(3, 0),
    ),
    semaphore(
        "with_block_acquires_and_releases",
        _init(1),
        (
            call(0, "__enter__"),
            call(1, "acquire", False),
            call(0, "__exit__", *EXIT),
            call(1, "acquire", False),
            call(2, "__enter__"),
            call(1, "__exit__", *EXIT),
        ),
        (sem.WITH_ACQUIRES_AND_RELEASES, sem.ACQUIRE_NONBLOCKING_RETURNS_FALSE,
         sem.RELEASE_WAKES_ONE_WAITER_PER_UNIT),
    ),
    semaphore(
        "bad_arguments_raise",
        _init(1),
        (
            call(0, "acquire", True, 1, 2),
            call(0, "acquire", wait=True),
            call(0, "__exit__"),
            call(0, "locked"),
            call(1, "acquire", False),
        ),
        (sem.CALL_BAD_ARGUMENTS_RAISE_TYPEERROR, sem.ACQUIRE_POSITIVE_COUNTER_DECREMENTS),
    ),
)

BOUNDED_SCENARIOS = (
    bounded(
        "default_bound_is_one",
        _init(),
        (call(0, "release"), call(0, "acquire", False), call(1, "acquire", False), call(1, "release")),
        (sem.BOUNDED_SEMAPHORE_INIT_INITIAL_VALUE_IS_THE_BOUND,
         sem.BOUNDED_SEMAPHORE_RELEASE_ABOVE_INITIAL_VALUE_RAISES, sem.ACQUIRE_NONBLOCKING_RETURNS_FALSE),
    ),
    bounded(
        "release_above_initial_value_raises_and_changes_nothing",
        _init(2),
        (
            call(0, "acquire"),
            call(1, "release"),
            call(1, "release"),
            call(0, "acquire", False),
            call(1, "acquire", False),
            call(2, "acquire", False),
        ),
        (sem.BOUNDED_SEMAPHORE_INIT_INITIAL_VALUE_IS_THE_BOUND,
         sem.BOUNDED_SEMAPHORE_RELEASE_ABOVE_INITIAL_VALUE_RAISES, sem.RELEASE_INCREMENTS_COUNTER),
    ),
    bounded(
        "release_n_above_initial_value_raises_as_a_whole",
        _init(3),
        (
            call(0, "acquire"),
            call(0, "acquire"),
            call(0, "release", 3),
            call(0, "release", 2),
            call(1, "release", 1),
            call(1, "acquire", False),
        ),
        (sem.BOUNDED_SEMAPHORE_RELEASE_ABOVE_INITIAL_VALUE_RAISES, sem.RELEASE_N_INCREMENTS_BY_N),
        since=(3, 9),
    ),
    bounded(
        "zero_bound_refuses_every_release",
        _init(0),
        (call(0, "release"), call(1, "acquire", False)),
        (sem.BOUNDED_SEMAPHORE_RELEASE_ABOVE_INITIAL_VALUE_RAISES, sem.ACQUIRE_NONBLOCKING_RETURNS_FALSE),
    ),
    bounded("negative_bound_raises", _init(-2), (), (sem.INIT_NEGATIVE_VALUE_RAISES,)),
    bounded(
        "bounded_release_wakes_a_waiter",
        _init(1),
        (
            call(0, "acquire"),
            call(1, "acquire"),
            call(0, "release"),
            call(2, "release"),
            call(2, "release"),
        ),
        (sem.ACQUIRE_ZERO_COUNTER_BLOCKS, sem.RELEASE_WAKES_ONE_WAITER_PER_UNIT,
         sem.BOUNDED_SEMAPHORE_RELEASE_ABOVE_INITIAL_VALUE_RAISES),
    ),
    bounded(
        "release_above_initial_value_raises_while_threads_wait",
        _init(1),
        (
            call(0, "acquire"),
            call(1, "acquire"),
            call(0, "release", 2),
            call(2, "acquire", False),
            call(0, "release"),
            call(0, "release"),
            call(2, "acquire", False),
        ),
        (sem.BOUNDED_SEMAPHORE_RELEASE_ABOVE_INITIAL_VALUE_RAISES, sem.RELEASE_WAKES_ONE_WAITER_PER_UNIT,
         sem.ACQUIRE_NONBLOCKING_RETURNS_FALSE),
        since=(3, 9),
    ),
    bounded(
        "bounded_woken_waiter_that_finds_the_unit_taken_waits_on",
        _init(1),
        (
            call(0, "acquire"),
            call(1, "acquire"),
            back_to_back(call(0, "release"), call(0, "acquire", False)),
            call(2, "acquire", False),
            call(0, "release"),
            call(0, "release"),
        ),
        (sem.RELEASE_WAKES_LONGEST_WAITING, sem.RELEASE_WAKES_ONE_WAITER_PER_UNIT,
         sem.BOUNDED_SEMAPHORE_RELEASE_ABOVE_INITIAL_VALUE_RAISES),
    ),
    bounded(
        "with_block_exit_above_bound_raises",
        _init(1),
        (
            call(0, "__enter__"),
            call(0, "__exit__", *EXIT),
            call(0, "__exit__", *EXIT),
            call(1, "acquire", False),
        ),
        (sem.WITH_ACQUIRES_AND_RELEASES, sem.BOUNDED_SEMAPHORE_RELEASE_ABOVE_INITIAL_VALUE_RAISES),
    ),
)

SCENARIOS: tuple[Scenario, ...] = SEMAPHORE_SCENARIOS + BOUNDED_SCENARIOS

INIT = _init(1)
"""A semaphore that admits one thread: every waiter needs a release."""

ALPHABET: tuple[CallMaker, ...] = (
    template("acquire"),
    template("acquire", False),
    template("acquire", timeout=EXPIRING_TIMEOUT),
    template("acquire", timeout=NEVER_EXPIRING_TIMEOUT),
    template("acquire", timeout=ZERO_TIMEOUT),
    template("acquire", False, EXPIRING_TIMEOUT),
    template("release"),
    template("release", 2),
    template("release", 0),
    template("__enter__"),
    template("__exit__", *EXIT),
    BackToBackTemplate((template("release"), template("acquire", False))),
)

EXPLORATION_ALPHABET: tuple[CallMaker, ...] = lock_scenarios.EXPLORATION_ALPHABET
"""A sub-selection of ``ALPHABET`` for the exhaustive exploration of the spec in
``tests/spec`` (three threads, two calls each: its state count is pinned there): the same
calls as a Lock's."""

AGREEMENT_ALPHABET: tuple[CallMaker, ...] = (
    template("acquire"),
    template("acquire", False),
    template("acquire", timeout=0),
    template("acquire", timeout=NEVER_EXPIRING_TIMEOUT),
    template("acquire", False, 1),
    template("release"),
    template("release", 2),
    template("release", 0),
    template("__enter__"),
    template("__exit__", *EXIT),
)
"""Calls for ``tests/impl/test_agreement.py``, which runs impl under real threads and
compares its abstract state with the spec's after every call: no timeout that could
expire in the middle of a run (only 0, or one that never expires)."""

BOUNDED_INIT = _init(2)
"""A bounded semaphore with room for two: over-release is one release away."""

GENERATORS = (
    Generator(sem.PRIMITIVE, INIT, ALPHABET),
    Generator(sem.PRIMITIVE, _init(0), ALPHABET),
    Generator(sem.BOUNDED_PRIMITIVE, BOUNDED_INIT, ALPHABET),
)


# -- timeouts too large for a float (issue 11) ----------------------------------------------------

HUGE = 10**400
"""An int too large for a float: CPython adds the timeout to the time (OverflowError)."""

SCENARIOS = SCENARIOS + (
    semaphore(
        "huge_timeout_raises_only_when_it_must_wait",
        _init(1),
        (call(0, "acquire", True, HUGE), call(1, "acquire", True, HUGE), call(1, "acquire", True, -HUGE),
         call(2, "acquire", False)),
        (sem.ACQUIRE_POSITIVE_COUNTER_DECREMENTS, sem.ACQUIRE_BAD_TIMEOUT_RAISES_WHEN_IT_MUST_WAIT),
        since=(3, 2),
    ),
)
# -- branches a default check did not reach (``threadspec check --coverage``) ----------------------

BRANCH_SCENARIOS: tuple[Scenario, ...] = (
    semaphore(
        "semaphore_constructor_rejects_extra_arguments",
        _init(1, 2),
        (),
        (sem.CALL_BAD_ARGUMENTS_RAISE_TYPEERROR,),
        since=(3, 0),
    ),
    semaphore(
        "semaphore_release_rejects_extra_arguments",
        _init(0),
        (call(0, "release", 1, 2), call(0, "release", m=1), call(1, "acquire", False)),
        (sem.CALL_BAD_ARGUMENTS_RAISE_TYPEERROR,),
        since=(3, 9),
    ),
)
"""Arguments the constructor and ``release(n)`` reject (``spec.semaphore``'s TypeError
branches of ``_create`` and ``_release_count``)."""

SCENARIOS = SCENARIOS + BRANCH_SCENARIOS
