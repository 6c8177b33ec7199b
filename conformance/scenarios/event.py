"""Scenarios and the random-schedule alphabet for Event.

Written to catch the bugs a seeded threading.py would have: set waking one waiter instead of
all (or none), clear not resetting the flag, wait ignoring a flag already set, a woken waiter
reporting False, a timeout ignored or cut short, set toggling instead of setting, the
isSet deprecation missing.
"""

from __future__ import annotations

from conformance.scenario import BackToBackTemplate, CallMaker, Scenario, back_to_back
from conformance.timeouts import EXPIRING_TIMEOUT, NEGATIVE_TIMEOUT, NEVER_EXPIRING_TIMEOUT, ZERO_TIMEOUT
from spec import event
from spec.values import Call, call, template

INIT = call(0, "__init__")
"""A fresh event, its flag false."""


def scenario(
    name: str, steps: tuple[Call, ...], covers: tuple[str, ...], **versions: tuple[int, int]
) -> Scenario:
    return Scenario(name, event.PRIMITIVE, INIT, steps, covers, **versions)


SCENARIOS: tuple[Scenario, ...] = (
    scenario(
        "flag_starts_false",
        (call(0, "is_set"), call(1, "wait", ZERO_TIMEOUT), call(2, "wait", timeout=EXPIRING_TIMEOUT)),
        (event.INIT_FLAG_STARTS_FALSE, event.IS_SET_REPORTS_FLAG, event.WAIT_TIMEOUT_RETURNS_FALSE),
    ),
    Scenario(
        "constructor_takes_no_arguments",
        event.PRIMITIVE,
        call(0, "__init__", 1),
        (),
        (event.INIT_NO_ARGUMENTS,),
        since=(3, 0),
    ),
    Scenario(
        "constructor_takes_only_verbose_in_2_7",
        event.PRIMITIVE,
        call(0, "__init__", None, None),
        (),
        (event.INIT_NO_ARGUMENTS,),
        until=(3, 0),
    ),
    scenario(
        "set_sets_flag_and_wait_returns_at_once",
        (call(0, "set"), call(0, "is_set"), call(1, "wait"), call(2, "wait", EXPIRING_TIMEOUT)),
        (event.SET_SETS_FLAG, event.IS_SET_REPORTS_FLAG, event.WAIT_SET_FLAG_RETURNS_TRUE_AT_ONCE),
    ),
    scenario(
        "set_twice_keeps_the_flag_true",
        (call(0, "set"), call(0, "set"), call(1, "is_set"), call(1, "wait", ZERO_TIMEOUT)),
        (event.SET_SETS_FLAG, event.IS_SET_REPORTS_FLAG, event.WAIT_SET_FLAG_RETURNS_TRUE_AT_ONCE),
    ),
    scenario(
        "set_wakes_all_waiters",
        (
            call(1, "wait"),
            call(2, "wait", NEVER_EXPIRING_TIMEOUT),
            call(3, "wait", timeout=NEVER_EXPIRING_TIMEOUT),
            call(0, "set"),
            call(0, "is_set"),
        ),
        (event.WAIT_CLEAR_FLAG_BLOCKS, event.SET_WAKES_ALL_WAITERS, event.WAIT_WOKEN_RETURNS_TRUE,
         event.WAIT_RETURNS_FLAG_ON_EXIT),
    ),
    scenario(
        "clear_resets_flag_and_wait_blocks_again",
        (
            call(0, "set"),
            call(0, "clear"),
            call(0, "is_set"),
            call(1, "wait", EXPIRING_TIMEOUT),
            call(2, "wait"),
            call(0, "set"),
        ),
        (event.CLEAR_RESETS_FLAG, event.WAIT_TIMEOUT_RETURNS_FALSE, event.SET_WAKES_ALL_WAITERS,
         event.WAIT_WOKEN_RETURNS_TRUE),
    ),
    scenario(
        "clear_does_not_wake_waiters",
        (call(1, "wait"), call(0, "clear"), call(0, "clear"), call(0, "set")),
        (event.CLEAR_RESETS_FLAG, event.SET_WAKES_ALL_WAITERS, event.WAIT_WOKEN_RETURNS_TRUE,
         event.WAIT_RETURNS_FLAG_ON_EXIT),
    ),
    # clear right after set, back to back, usually runs before the woken waiters have the
    # event's lock back: 3.x waiters still return True (what the Condition said), 2.7 ones
    # the flag as they find it
    scenario(
        "woken_waiters_return_true_though_cleared_at_once",
        (
            call(1, "wait"),
            call(2, "wait", NEVER_EXPIRING_TIMEOUT),
            back_to_back(call(0, "set"), call(0, "clear")),
            call(0, "is_set"),
            call(0, "set"),
        ),
        (event.SET_WAKES_ALL_WAITERS, event.CLEAR_RESETS_FLAG, event.WAIT_WOKEN_RETURNS_TRUE,
         event.WAIT_RETURNS_FLAG_ON_EXIT),
    ),
    scenario(
        "timed_out_waiter_is_not_woken_later",
        (call(1, "wait", EXPIRING_TIMEOUT), call(2, "wait"), call(0, "set"), call(1, "wait")),
        (event.WAIT_TIMEOUT_RETURNS_FALSE, event.SET_WAKES_ALL_WAITERS,
         event.WAIT_SET_FLAG_RETURNS_TRUE_AT_ONCE),
    ),
    scenario(
        "waiters_of_one_set_then_of_the_next",
        (
            call(1, "wait"),
            call(0, "set"),
            call(0, "clear"),
            call(1, "wait", NEVER_EXPIRING_TIMEOUT),
            call(2, "wait"),
            call(0, "set"),
        ),
        (event.SET_WAKES_ALL_WAITERS, event.CLEAR_RESETS_FLAG, event.WAIT_WOKEN_RETURNS_TRUE,
         event.WAIT_RETURNS_FLAG_ON_EXIT),
    ),
    scenario(
        "isSet_is_an_alias",
        (call(0, "isSet"), call(0, "set"), call(1, "isSet")),
        (event.ISSET_ALIAS_OF_IS_SET,),
        until=(3, 10),
    ),
    scenario(
        "isSet_warns_deprecation",
        (call(0, "isSet"), call(0, "set"), call(1, "isSet")),
        (event.ISSET_DEPRECATED_ALIAS_WARNS,),
        since=(3, 10),
    ),
    scenario(
        "negative_timeout_does_not_wait",
        (
            call(0, "wait", -1),
            call(1, "wait", timeout=-0.5),
            call(1, "wait", NEGATIVE_TIMEOUT),
            call(0, "set"),
            call(2, "wait", -1),
            call(2, "wait", NEGATIVE_TIMEOUT),
        ),
        (event.WAIT_NEGATIVE_TIMEOUT_DOES_NOT_WAIT, event.WAIT_SET_FLAG_RETURNS_TRUE_AT_ONCE),
    ),
    scenario(
        "nan_timeout_does_not_wait",
        (call(0, "wait", float("nan")),),
        (event.WAIT_NEGATIVE_TIMEOUT_DOES_NOT_WAIT,),
        since=(3, 0),
    ),
    scenario(
        "bad_timeout_raises_only_when_it_must_wait",
        (
            call(0, "wait", "1"),
            call(1, "wait", float("inf")),
            call(1, "wait", 1e300),
            call(0, "set"),
            call(2, "wait", "1"),
            call(2, "wait", float("inf")),
        ),
        (event.WAIT_BAD_TIMEOUT_RAISES_WHEN_IT_MUST_WAIT, event.WAIT_SET_FLAG_RETURNS_TRUE_AT_ONCE),
        since=(3, 0),
    ),
    scenario(
        "timeout_that_is_not_a_number_raises",
        (call(0, "wait", "1"), call(0, "set"), call(1, "wait", "1")),
        (event.WAIT_BAD_TIMEOUT_RAISES_WHEN_IT_MUST_WAIT, event.WAIT_SET_FLAG_RETURNS_TRUE_AT_ONCE),
        until=(3, 0),
    ),
    scenario(
        "nan_or_infinite_timeout_waits_until_set",
        (call(1, "wait", float("nan")), call(2, "wait", float("inf")), call(0, "set")),
        (event.WAIT_NAN_OR_INFINITE_TIMEOUT_WAITS_WITHOUT_LIMIT, event.WAIT_RETURNS_FLAG_ON_EXIT),
        until=(3, 0),
    ),
    scenario(
        "bad_arguments_raise",
        (
            call(0, "set", True),
            call(0, "clear", 1),
            call(0, "is_set", 1),
            call(0, "wait", 1, 2),
            call(0, "wait", time=1),
            call(0, "notify"),
            call(1, "is_set"),
        ),
        (event.CALL_BAD_ARGUMENTS_RAISE_TYPEERROR, event.IS_SET_REPORTS_FLAG),
    ),
)

ALPHABET: tuple[CallMaker, ...] = (
    template("wait"),
    template("wait", EXPIRING_TIMEOUT),
    template("wait", NEVER_EXPIRING_TIMEOUT),
    template("wait", ZERO_TIMEOUT),
    template("set"),
    template("clear"),
    template("is_set"),
    BackToBackTemplate((template("set"), template("clear"))),
)


EXPLORATION_ALPHABET: tuple[CallMaker, ...] = (
    template("wait"),
    template("wait", EXPIRING_TIMEOUT),
    template("set"),
    template("clear"),
)
"""A sub-selection of ``ALPHABET`` for the exhaustive exploration of the spec in
``tests/spec`` (three threads, two calls each: its state count is pinned there)."""

AGREEMENT_ALPHABET: tuple[CallMaker, ...] = (
    template("is_set"),
    template("set"),
    template("clear"),
    template("clear"),
    template("wait"),
    template("wait", 0),
    template("wait", -1),
    template("wait", NEVER_EXPIRING_TIMEOUT),
)
"""Calls for ``tests/impl/test_agreement.py``, which runs impl under real threads and
compares its abstract state with the spec's after every call: no timeout that could
expire in the middle of a run (only 0, or one that never expires)."""


# -- timeouts too large for a float (issue 11) ----------------------------------------------------

HUGE = 10**400
"""An int too large for a float: CPython converts it, or adds it to the time (OverflowError)."""

SCENARIOS = SCENARIOS + (
    scenario(
        "huge_timeout_raises_only_when_it_must_wait",
        (call(0, "wait", HUGE), call(1, "wait", -HUGE), call(0, "set"), call(2, "wait", HUGE),
         call(2, "wait", -HUGE)),
        (event.WAIT_BAD_TIMEOUT_RAISES_WHEN_IT_MUST_WAIT, event.WAIT_SET_FLAG_RETURNS_TRUE_AT_ONCE),
    ),
)
