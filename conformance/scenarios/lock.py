"""Lock scenarios and the alphabet random schedules are drawn from.

Written to catch what a primitive lock gets wrong: acting reentrant or owned (a
holder's second acquire must block, any thread may release), waking nobody or
everybody on release, ignoring timeouts or expiring them early, wrong exception
types (2.7's ``thread.error`` against 3.x's ``RuntimeError``).
"""

from __future__ import annotations

from conformance.scenario import CallMaker, Scenario
from conformance.timeouts import EXPIRING_TIMEOUT, NEVER_EXPIRING_TIMEOUT, ZERO_TIMEOUT
from spec import lock
from spec.values import Call, ThreadId, Value, call, template

INIT: Call = call(0, "__init__")

NAN = float("nan")
INF = float("inf")
EXIT = (None, None, None)


def _scenario(
    name: str,
    steps: list[Call],
    covers: tuple[str, ...],
    *,
    init: Call = INIT,
    since: tuple[int, int] = (2, 7),
    until: tuple[int, int] | None = None,
) -> Scenario:
    return Scenario(name, lock.PRIMITIVE, init, tuple(steps), covers, since, until)


def _t(thread: ThreadId, op: str, *args: Value, **kwargs: Value) -> Call:
    return call(thread, op, *args, **kwargs)


SCENARIOS: tuple[Scenario, ...] = (
    _scenario(
        "lock_created_unlocked",
        [_t(0, "acquire", False), _t(1, "acquire", False), _t(0, "release")],
        (lock.INIT_CREATED_UNLOCKED, lock.ACQUIRE_UNLOCKED_LOCKS),
    ),
    _scenario(
        "lock_constructor_takes_no_arguments",
        [],
        (lock.INIT_NO_ARGUMENTS,),
        init=call(0, "__init__", 1),
    ),
    _scenario(
        "lock_acquire_unlocked_locks",
        [_t(0, "acquire"), _t(1, "acquire", False), _t(0, "release"), _t(1, "acquire"),
         _t(0, "acquire", False)],
        (lock.ACQUIRE_UNLOCKED_LOCKS, lock.RELEASE_LOCKED_UNLOCKS),
    ),
    _scenario(
        "lock_holder_acquiring_again_blocks",
        [_t(0, "acquire"), _t(0, "acquire"), _t(2, "acquire", False), _t(1, "release"),
         _t(2, "acquire", False)],
        (lock.ACQUIRE_LOCKED_BLOCKS, lock.RELEASE_ANY_THREAD, lock.RELEASE_WAKES_ONE_WAITER),
    ),
    _scenario(
        "lock_other_thread_blocks_until_release",
        [_t(0, "acquire"), _t(1, "acquire"), _t(2, "acquire", False), _t(0, "release"),
         _t(0, "acquire", False), _t(1, "release"), _t(0, "acquire", False)],
        (lock.ACQUIRE_LOCKED_BLOCKS, lock.RELEASE_LOCKED_UNLOCKS, lock.RELEASE_WAKES_ONE_WAITER),
    ),
    _scenario(
        "lock_nonblocking_acquire_returns_false",
        [_t(0, "acquire"), _t(1, "acquire", False), _t(0, "acquire", False), _t(0, "release"),
         _t(1, "acquire", False), _t(1, "acquire", 0)],
        (lock.ACQUIRE_NONBLOCKING_RETURNS_FALSE,),
    ),
    _scenario(
        "lock_timeout_expires_while_locked",
        [_t(0, "acquire"), _t(1, "acquire", timeout=EXPIRING_TIMEOUT),
         _t(0, "acquire", timeout=EXPIRING_TIMEOUT), _t(1, "acquire", True, ZERO_TIMEOUT), _t(0, "release"),
         _t(1, "acquire", timeout=EXPIRING_TIMEOUT), _t(0, "acquire", False)],
        (lock.ACQUIRE_TIMEOUT_RETURNS_FALSE, lock.ACQUIRE_UNLOCKED_LOCKS),
        since=(3, 2),
    ),
    _scenario(
        "lock_expired_waiter_does_not_take_the_lock",
        [_t(0, "acquire"), _t(1, "acquire", timeout=EXPIRING_TIMEOUT), _t(0, "release"),
         _t(2, "acquire", False), _t(1, "acquire", False)],
        (lock.ACQUIRE_TIMEOUT_RETURNS_FALSE,),
        since=(3, 2),
    ),
    _scenario(
        "lock_timed_waiter_is_woken_by_release",
        [_t(0, "acquire"), _t(1, "acquire", timeout=NEVER_EXPIRING_TIMEOUT), _t(0, "release"),
         _t(0, "acquire", False), _t(1, "release")],
        (lock.RELEASE_WAKES_ONE_WAITER, lock.ACQUIRE_LOCKED_BLOCKS),
        since=(3, 2),
    ),
    _scenario(
        "lock_timeout_with_nonblocking_raises",
        [_t(0, "acquire", False, NEVER_EXPIRING_TIMEOUT),
         _t(0, "acquire", blocking=False, timeout=ZERO_TIMEOUT), _t(1, "acquire", False),
         _t(0, "acquire", False, EXPIRING_TIMEOUT), _t(1, "release")],
        (lock.ACQUIRE_TIMEOUT_WITH_NONBLOCKING_RAISES,),
        since=(3, 2),
    ),
    _scenario(
        "lock_bad_timeout_raises",
        # what the documentation says first: at documented strictness a run is not judged past the
        # first timeout it gives no meaning to ('1', -2, -0.5, NaN: CPython's reading)
        [_t(0, "acquire", timeout=INF), _t(0, "acquire", timeout="1"), _t(0, "acquire", timeout=-2),
         _t(0, "acquire", timeout=-0.5), _t(0, "acquire", timeout=NAN), _t(1, "acquire", False),
         _t(0, "acquire", timeout=-2), _t(1, "release")],
        (lock.ACQUIRE_BAD_TIMEOUT_RAISES, lock.ACQUIRE_UNDOCUMENTED_TIMEOUT_RAISES),
        since=(3, 2),
    ),
    _scenario(
        "lock_no_keywords_in_2_7",
        [_t(0, "acquire", blocking=False), _t(0, "acquire", True, 1), _t(0, "acquire", timeout=1),
         _t(1, "acquire", False), _t(1, "release")],
        (lock.ACQUIRE_NO_KEYWORDS_IN_2_7,),
        until=(3, 0),
    ),
    _scenario(
        "lock_release_unlocks",
        [_t(0, "acquire"), _t(0, "release"), _t(1, "acquire", False), _t(0, "acquire", False),
         _t(1, "release")],
        (lock.RELEASE_LOCKED_UNLOCKS,),
    ),
    _scenario(
        "lock_release_from_any_thread",
        [_t(0, "acquire"), _t(1, "release"), _t(2, "acquire", False), _t(0, "release"),
         _t(1, "acquire", False)],
        (lock.RELEASE_ANY_THREAD, lock.RELEASE_LOCKED_UNLOCKS),
    ),
    _scenario(
        "lock_release_unlocked_raises_threaderror",
        [_t(0, "release"), _t(0, "acquire"), _t(0, "release"), _t(1, "release"), _t(1, "acquire", False)],
        (lock.RELEASE_UNLOCKED_RAISES_THREADERROR,),
        until=(3, 0),
    ),
    _scenario(
        "lock_release_unlocked_raises_runtimeerror",
        [_t(0, "release"), _t(0, "acquire"), _t(0, "release"), _t(1, "release"), _t(1, "acquire", False)],
        (lock.RELEASE_UNLOCKED_RAISES_RUNTIMEERROR,),
        since=(3, 0),
    ),
    _scenario(
        "lock_release_wakes_exactly_one_of_two_waiters",
        [_t(0, "acquire"), _t(1, "acquire"), _t(2, "acquire"), _t(0, "release"), _t(0, "acquire", False),
         _t(0, "release"), _t(0, "acquire", False)],
        (lock.RELEASE_WAKES_ONE_WAITER,),
    ),
    _scenario(
        "lock_locked_reports_state",
        [_t(0, "locked"), _t(0, "acquire"), _t(1, "locked"), _t(1, "release"), _t(0, "locked")],
        (lock.LOCKED_REPORTS_STATE, lock.LOCKED_REPORTS_STATE_IN_2_7),
    ),
    _scenario(
        "lock_with_statement_acquires_and_releases",
        [_t(0, "__enter__"), _t(1, "acquire", False), _t(0, "__exit__", *EXIT), _t(1, "__enter__"),
         _t(0, "__enter__"), _t(1, "__exit__", *EXIT), _t(0, "__exit__", *EXIT), _t(0, "__exit__", *EXIT)],
        (lock.WITH_ACQUIRES_AND_RELEASES, lock.RELEASE_WAKES_ONE_WAITER,
         lock.RELEASE_UNLOCKED_RAISES_RUNTIMEERROR, lock.RELEASE_UNLOCKED_RAISES_THREADERROR),
    ),
    _scenario(
        "lock_bad_arguments_raise_typeerror",
        [_t(0, "release", 1), _t(0, "acquire"), _t(0, "release", 1), _t(1, "acquire", False),
         _t(0, "release")],
        (lock.CALL_BAD_ARGUMENTS_RAISE_TYPEERROR,),
    ),
)



ALPHABET: tuple[CallMaker, ...] = (
    template("acquire"),
    template("acquire", False),
    template("acquire", True),
    template("acquire", timeout=EXPIRING_TIMEOUT),
    template("acquire", True, NEVER_EXPIRING_TIMEOUT),
    template("acquire", timeout=ZERO_TIMEOUT),
    template("release"),
    template("release"),
    template("locked"),
    template("__enter__"),
    template("__exit__", *EXIT),
    # invalid or version-dependent
    template("acquire", timeout=-2),
    template("acquire", False, EXPIRING_TIMEOUT),
    template("acquire", blocking=False),
    template("release", 1),
)
"""Calls random schedules are drawn from; ``release`` appears twice to keep locks from
staying locked for most of a schedule."""


EXPLORATION_ALPHABET: tuple[CallMaker, ...] = (
    template("acquire"),
    template("acquire", False),
    template("acquire", timeout=EXPIRING_TIMEOUT),
    template("release"),
)
"""A sub-selection of ``ALPHABET`` for the exhaustive exploration of the spec in
``tests/spec`` (three threads, two calls each: its state count is pinned there)."""


# -- timeouts too large for a float (issue 11) ----------------------------------------------------

HUGE = 10**400
"""An int too large for a float: CPython's conversion of the timeout fails (OverflowError)."""

SCENARIOS = SCENARIOS + (
    _scenario(
        "lock_huge_or_infinite_timeout_raises",
        [_t(0, "acquire", True, HUGE), _t(0, "acquire", False, HUGE), _t(0, "acquire", False, INF),
         _t(1, "acquire", False), _t(0, "acquire", True, HUGE), _t(0, "acquire", True, -HUGE),
         _t(1, "release")],  # -HUGE last: the documentation gives it no meaning
        (lock.ACQUIRE_BAD_TIMEOUT_RAISES, lock.ACQUIRE_UNDOCUMENTED_TIMEOUT_RAISES),
        since=(3, 2),
    ),
)
# -- branches a default check did not reach (``threadspec check --coverage``) ----------------------

BRANCH_SCENARIOS: tuple[Scenario, ...] = (
    _scenario(
        "lock_locked_rejects_arguments",
        [_t(0, "locked", 1), _t(0, "acquire"), _t(1, "locked", True), _t(1, "locked")],
        (lock.CALL_BAD_ARGUMENTS_RAISE_TYPEERROR, lock.LOCKED_REPORTS_STATE),
        since=(3, 0),
    ),
)
"""``locked()`` with an argument: the branch of ``spec.lock.locked`` that rejects it."""

SCENARIOS = SCENARIOS + BRANCH_SCENARIOS
