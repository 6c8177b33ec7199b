"""RLock scenarios and the alphabet random schedules are drawn from.

Written to catch the bugs a reentrant lock invites: a recursion level that is not
counted (or counted twice), an owner that is not recorded, not cleared or not
checked, a release that unlocks too early or wakes nobody, timeouts ignored or
applied to the owner, wrong exception types. Every scenario must pass on both of
CPython's classes (the C ``_CRLock`` and the Python ``_PyRLock``): ``FACTORY_SCENARIOS``
construct through ``threading.RLock`` and ``PYTHON_CLASS_SCENARIOS`` repeat them on
``threading._PyRLock``, except those in ``FACTORY_ONLY``, which pass the factory
arguments the class does not take.
"""

from __future__ import annotations

from conformance.scenario import CallMaker, Scenario
from conformance.scenarios import lock as lock_scenarios
from conformance.timeouts import EXPIRING_TIMEOUT, NEVER_EXPIRING_TIMEOUT, ZERO_TIMEOUT
from spec import rlock
from spec.profiles import Profile
from spec.values import Call, ThreadId, Value, call, template

INIT: Call = call(0, "__init__")

NAN = float("nan")
INF = float("inf")


def _scenario(
    name: str,
    steps: list[Call],
    covers: tuple[str, ...],
    *,
    init: Call = INIT,
    since: tuple[int, int] = (2, 7),
    until: tuple[int, int] | None = None,
    cpython_only: bool = False,
) -> Scenario:
    kind = CPythonOnlyScenario if cpython_only else Scenario
    return kind(name, rlock.PRIMITIVE, init, tuple(steps), covers, since, until)


class CPythonOnlyScenario(Scenario):
    """A scenario that shows only CPython-only clauses: it does not apply at documented
    strictness, where the spec leaves its outcome open (e.g. ``RLock(None)``: CPython's
    factory accepts it, PyPy's raises TypeError, the documented ``RLock()`` takes nothing)."""

    def applies_to(self, profile: Profile) -> bool:
        return profile.cpython and super().applies_to(profile)


def _t(thread: ThreadId, op: str, *args: Value, **kwargs: Value) -> Call:
    return call(thread, op, *args, **kwargs)


EXIT = (None, None, None)

FACTORY_SCENARIOS: tuple[Scenario, ...] = (
    _scenario(
        "rlock_created_unlocked",
        [_t(1, "acquire", False), _t(1, "release"), _t(0, "acquire", False)],
        (rlock.INIT_CREATED_UNLOCKED, rlock.ACQUIRE_UNLOCKED_TAKES_OWNERSHIP,
         rlock.RELEASE_FINAL_RELEASE_UNLOCKS),
    ),
    _scenario(
        "rlock_factory_accepts_arguments",
        [_t(0, "acquire", False), _t(1, "acquire", False)],
        (rlock.INIT_FACTORY_ACCEPTS_ARGUMENTS,),
        init=call(0, "__init__", None),
        cpython_only=True,
    ),
    _scenario(
        "rlock_owner_reacquires_without_blocking",
        [_t(0, "acquire"), _t(0, "acquire"), _t(0, "acquire", True), _t(0, "acquire", blocking=False),
         _t(1, "acquire", False), _t(0, "release"), _t(0, "release"), _t(0, "release"),
         _t(1, "acquire", False), _t(0, "release"), _t(1, "acquire", False)],
        (rlock.ACQUIRE_OWNER_INCREMENTS_LEVEL, rlock.ACQUIRE_PYTHON_RLOCK_REENTRY_RETURNS_1,
         rlock.RELEASE_OWNER_DECREMENTS_LEVEL,
         rlock.RELEASE_FINAL_RELEASE_UNLOCKS),
    ),
    _scenario(
        "rlock_owner_with_timeout_reenters_at_once",
        [_t(0, "acquire"), _t(0, "acquire", timeout=NEVER_EXPIRING_TIMEOUT),
         _t(0, "acquire", True, ZERO_TIMEOUT), _t(0, "release"), _t(0, "release"),
         _t(1, "acquire", False), _t(0, "release"), _t(1, "acquire", False)],
        (rlock.ACQUIRE_OWNER_INCREMENTS_LEVEL,),
        since=(3, 2),
    ),
    _scenario(
        "rlock_other_thread_blocks_until_final_release",
        [_t(0, "acquire"), _t(0, "acquire"), _t(1, "acquire"), _t(0, "release"), _t(0, "release"),
         _t(0, "acquire", False), _t(1, "release"), _t(0, "acquire", False)],
        (rlock.ACQUIRE_OTHER_OWNER_BLOCKS, rlock.RELEASE_OWNER_DECREMENTS_LEVEL,
         rlock.RELEASE_FINAL_RELEASE_UNLOCKS, rlock.RELEASE_WAKES_ONE_WAITER),
    ),
    _scenario(
        "rlock_nonblocking_acquire_by_other_returns_false",
        [_t(0, "acquire"), _t(1, "acquire", False), _t(1, "acquire", blocking=False), _t(0, "release"),
         _t(1, "acquire", False), _t(0, "acquire", False)],
        (rlock.ACQUIRE_NONBLOCKING_RETURNS_FALSE, rlock.ACQUIRE_UNLOCKED_TAKES_OWNERSHIP),
    ),
    _scenario(
        "rlock_nonblocking_acquire_by_owner_reenters",
        [_t(0, "acquire"), _t(0, "acquire", False), _t(0, "release"), _t(1, "acquire", False),
         _t(0, "release"), _t(1, "acquire", False)],
        (rlock.ACQUIRE_OWNER_INCREMENTS_LEVEL, rlock.ACQUIRE_NONBLOCKING_RETURNS_FALSE),
    ),
    _scenario(
        "rlock_timeout_expires_while_owned",
        [_t(0, "acquire"), _t(1, "acquire", timeout=EXPIRING_TIMEOUT), _t(1, "acquire", True, ZERO_TIMEOUT),
         _t(0, "release"), _t(1, "acquire", timeout=EXPIRING_TIMEOUT), _t(0, "acquire", False)],
        (rlock.ACQUIRE_TIMEOUT_RETURNS_FALSE, rlock.ACQUIRE_UNLOCKED_TAKES_OWNERSHIP),
        since=(3, 2),
    ),
    _scenario(
        "rlock_expired_waiter_does_not_take_the_lock",
        [_t(0, "acquire"), _t(1, "acquire", timeout=EXPIRING_TIMEOUT), _t(0, "release"),
         _t(2, "acquire", False), _t(1, "acquire", False), _t(2, "release"), _t(1, "release")],
        (rlock.ACQUIRE_TIMEOUT_RETURNS_FALSE, rlock.RELEASE_UNLOCKED_RAISES),
        since=(3, 2),
    ),
    _scenario(
        "rlock_timed_waiter_is_woken_by_final_release",
        [_t(0, "acquire"), _t(0, "acquire"), _t(1, "acquire", timeout=NEVER_EXPIRING_TIMEOUT),
         _t(0, "release"), _t(0, "release"), _t(0, "release"), _t(0, "acquire", False), _t(1, "release")],
        (rlock.RELEASE_WAKES_ONE_WAITER, rlock.RELEASE_NON_OWNER_RAISES),
        since=(3, 2),
    ),
    _scenario(
        "rlock_woken_waiter_becomes_owner",
        [_t(0, "acquire"), _t(1, "acquire"), _t(0, "release"), _t(1, "acquire", False),
         _t(0, "release"), _t(0, "acquire", False), _t(1, "release"), _t(0, "acquire", False),
         _t(1, "release"), _t(0, "acquire", False)],
        (rlock.RELEASE_WAKES_ONE_WAITER, rlock.ACQUIRE_OWNER_INCREMENTS_LEVEL,
         rlock.RELEASE_NON_OWNER_RAISES),
    ),
    _scenario(
        "rlock_final_release_wakes_exactly_one_of_two_waiters",
        [_t(0, "acquire"), _t(1, "acquire"), _t(2, "acquire"), _t(0, "release"), _t(0, "acquire", False)],
        (rlock.RELEASE_WAKES_ONE_WAITER,),
    ),
    _scenario(
        "rlock_release_counts_down_to_unlock",
        [_t(0, "acquire"), _t(0, "acquire"), _t(0, "acquire"), _t(0, "release"), _t(0, "release"),
         _t(1, "acquire", False), _t(0, "release"), _t(1, "acquire", False), _t(1, "release"),
         _t(1, "release")],
        (rlock.RELEASE_OWNER_DECREMENTS_LEVEL, rlock.RELEASE_FINAL_RELEASE_UNLOCKS,
         rlock.RELEASE_UNLOCKED_RAISES),
    ),
    _scenario(
        "rlock_reacquire_after_full_release",
        [_t(0, "acquire"), _t(0, "release"), _t(0, "acquire"), _t(1, "acquire", False), _t(1, "release"),
         _t(0, "release"), _t(1, "acquire", False)],
        (rlock.ACQUIRE_UNLOCKED_TAKES_OWNERSHIP, rlock.RELEASE_FINAL_RELEASE_UNLOCKS,
         rlock.RELEASE_NON_OWNER_RAISES),
    ),
    _scenario(
        "rlock_release_unlocked_raises",
        [_t(0, "release"), _t(0, "acquire"), _t(0, "release"), _t(0, "release"), _t(1, "acquire", False),
         _t(1, "release")],
        (rlock.RELEASE_UNLOCKED_RAISES,),
    ),
    _scenario(
        "rlock_release_by_non_owner_raises_and_keeps_the_lock",
        [_t(0, "acquire"), _t(0, "acquire"), _t(1, "release"), _t(1, "acquire", False), _t(2, "release"),
         _t(0, "release"), _t(1, "acquire", False), _t(0, "release"), _t(1, "acquire", False)],
        (rlock.RELEASE_NON_OWNER_RAISES,),
    ),
    _scenario(
        "rlock_timeout_with_nonblocking_raises",
        [_t(0, "acquire", blocking=False, timeout=NEVER_EXPIRING_TIMEOUT),
         _t(0, "acquire", False, ZERO_TIMEOUT), _t(1, "acquire", False),
         _t(0, "acquire", False, EXPIRING_TIMEOUT), _t(1, "release")],
        (rlock.ACQUIRE_TIMEOUT_WITH_NONBLOCKING_RAISES,),
        since=(3, 2),
    ),
    _scenario(
        "rlock_bad_timeout_raises",
        # what the documentation says first (see lock_bad_timeout_raises)
        [_t(0, "acquire", timeout=INF), _t(0, "acquire", timeout="1"), _t(0, "acquire", True, None),
         _t(0, "acquire", timeout=-2), _t(0, "acquire", timeout=-0.5), _t(0, "acquire", timeout=NAN),
         _t(1, "acquire", False), _t(0, "acquire", timeout=-2), _t(1, "release")],
        (rlock.ACQUIRE_BAD_TIMEOUT_RAISES, rlock.ACQUIRE_UNDOCUMENTED_TIMEOUT_RAISES),
        since=(3, 2),
    ),
    _scenario(
        "rlock_owner_with_bad_timeout_raises_or_reenters",
        [_t(0, "acquire"), _t(0, "acquire", timeout=-2), _t(0, "acquire", timeout=INF), _t(0, "release"),
         _t(1, "acquire", False)],
        (rlock.ACQUIRE_UNDOCUMENTED_TIMEOUT_RAISES, rlock.ACQUIRE_BAD_TIMEOUT_RAISES,
         rlock.ACQUIRE_PYTHON_RLOCK_OWNER_SKIPS_CHECKS),
        since=(3, 2),
    ),
    _scenario(
        "rlock_non_int_blocking_raises",
        [_t(0, "acquire", None), _t(0, "acquire", 2.5), _t(0, "acquire", "x"), _t(1, "acquire", False),
         _t(0, "acquire", None)],
        (rlock.ACQUIRE_NON_INT_BLOCKING_RAISES,),
        until=(3, 12),
    ),
    _scenario(
        "rlock_blocking_is_taken_for_its_truth_value",
        [_t(0, "acquire", None), _t(1, "acquire", None), _t(1, "acquire", "", ZERO_TIMEOUT),
         _t(0, "release"), _t(1, "acquire", "x")],
        (rlock.ACQUIRE_UNLOCKED_TAKES_OWNERSHIP, rlock.ACQUIRE_NONBLOCKING_RETURNS_FALSE,
         rlock.ACQUIRE_TIMEOUT_WITH_NONBLOCKING_RAISES),
        since=(3, 12),
    ),
    _scenario(
        "rlock_blocking_keyword_in_2_7",
        [_t(0, "acquire", blocking=False), _t(1, "acquire", blocking=0), _t(0, "acquire", timeout=1),
         _t(0, "acquire", True, 1), _t(0, "release"), _t(1, "acquire", blocking=1)],
        (rlock.ACQUIRE_BLOCKING_KEYWORD_IN_2_7, rlock.ACQUIRE_NONBLOCKING_RETURNS_FALSE),
        until=(3, 0),
    ),
    _scenario(
        "rlock_owner_acquire_skips_argument_checks_in_2_7",
        [_t(0, "acquire"), _t(0, "acquire", None), _t(1, "acquire", None), _t(0, "release"),
         _t(1, "acquire", False), _t(0, "release"), _t(1, "acquire", False)],
        (rlock.ACQUIRE_PYTHON_RLOCK_OWNER_SKIPS_CHECKS, rlock.ACQUIRE_NON_INT_BLOCKING_RAISES),
        until=(3, 0),
    ),
    _scenario(
        "rlock_with_statement_reenters_and_releases",
        [_t(0, "__enter__"), _t(0, "__enter__"), _t(1, "acquire", False), _t(0, "__exit__", *EXIT),
         _t(1, "acquire", False), _t(0, "__exit__", *EXIT), _t(1, "__enter__"), _t(0, "__exit__", *EXIT),
         _t(1, "__exit__", *EXIT), _t(1, "__exit__", *EXIT)],
        (rlock.WITH_ACQUIRES_AND_RELEASES, rlock.RELEASE_NON_OWNER_RAISES, rlock.RELEASE_UNLOCKED_RAISES),
    ),
    _scenario(
        "rlock_with_statement_blocks_other_thread",
        [_t(0, "__enter__"), _t(1, "__enter__"), _t(0, "__exit__", *EXIT), _t(0, "acquire", False),
         _t(1, "__exit__", *EXIT), _t(0, "acquire", False)],
        (rlock.WITH_ACQUIRES_AND_RELEASES, rlock.RELEASE_WAKES_ONE_WAITER),
    ),
    _scenario(
        "rlock_exit_arguments",
        [_t(0, "acquire"), _t(0, "acquire"), _t(0, "__exit__"), _t(1, "acquire", False), _t(0, "release"),
         _t(1, "acquire", False)],
        (rlock.WITH_EXIT_ARGUMENTS,),
    ),
    _scenario(
        "rlock_locked_reports_ownership",
        [_t(0, "locked"), _t(0, "acquire"), _t(1, "locked"), _t(0, "acquire"), _t(0, "release"),
         _t(1, "locked"), _t(0, "release"), _t(1, "locked")],
        (rlock.LOCKED_REPORTS_STATE,),
        since=(3, 14),
    ),
    _scenario(
        "rlock_locked_absent_before_3_14",
        [_t(0, "locked"), _t(0, "acquire", False), _t(1, "locked")],
        (rlock.LOCKED_ABSENT_BEFORE_3_14,),
        until=(3, 14),
    ),
    _scenario(
        "rlock_bad_arguments_raise_typeerror",
        [_t(0, "release", 1), _t(0, "acquire"), _t(0, "release", 1), _t(1, "acquire", False),
         _t(0, "acquire", 1, 2, 3), _t(0, "acquire", foo=1), _t(0, "release"), _t(1, "acquire", False)],
        (rlock.CALL_BAD_ARGUMENTS_RAISE_TYPEERROR,),
    ),
)

FACTORY_ONLY: frozenset[str] = frozenset({"rlock_factory_accepts_arguments"})
"""Scenarios that construct through the ``RLock`` factory with arguments: ``_PyRLock(arg)``
raises TypeError, so they do not apply when a class is constructed directly."""


def _for_python_class(sc: Scenario) -> Scenario:
    return Scenario(
        sc.name.replace("rlock_", "pyrlock_", 1),
        rlock.PYTHON_CLASS,
        sc.init,
        sc.steps,
        sc.covers,
        max(sc.since, (3, 0)),
        sc.until,
    )


PYTHON_CLASS_SCENARIOS: tuple[Scenario, ...] = tuple(
    _for_python_class(sc)
    for sc in FACTORY_SCENARIOS
    if sc.name not in FACTORY_ONLY and (sc.until is None or sc.until > (3, 0))
)
"""The same scenarios on ``threading._PyRLock`` (3.x; 2.7's only RLock is the Python class
and is what ``RLock()`` returns). They run when ``spec.PRIMITIVES`` has
``rlock.PYTHON_CLASS_SPEC``; on 3.x that is the only way the checker reaches the Python
class, and so the mutants of ``_RLock`` in threading.py."""

SCENARIOS: tuple[Scenario, ...] = FACTORY_SCENARIOS + PYTHON_CLASS_SCENARIOS



ALPHABET: tuple[CallMaker, ...] = (
    template("acquire"),
    template("acquire", False),
    template("acquire", True),
    template("acquire", blocking=False),
    template("acquire", timeout=EXPIRING_TIMEOUT),
    template("acquire", True, NEVER_EXPIRING_TIMEOUT),
    template("acquire", timeout=ZERO_TIMEOUT),
    template("release"),
    template("release"),
    template("__enter__"),
    template("__exit__", *EXIT),
    template("locked"),
    # invalid or version-dependent
    template("acquire", timeout=-2),
    template("acquire", False, EXPIRING_TIMEOUT),
    template("acquire", None),
    template("acquire", 1, 2, 3),
    template("release", 1),
    template("__exit__"),
)
"""Calls random schedules are drawn from; ``release`` appears twice to keep locks from
staying owned for most of a schedule."""


EXPLORATION_ALPHABET: tuple[CallMaker, ...] = lock_scenarios.EXPLORATION_ALPHABET
"""A sub-selection of ``ALPHABET`` for the exhaustive exploration of the spec in
``tests/spec`` (three threads, two calls each: its state count is pinned there): the same
calls as a Lock's."""

FULL_EXPLORATION_ALPHABET: tuple[CallMaker, ...] = (
    *EXPLORATION_ALPHABET,
    template("acquire", timeout=-2),
    template("__exit__"),
)
"""``EXPLORATION_ALPHABET`` with a rejected timeout and an ``__exit__`` whose arguments the two
classes treat differently (also a sub-selection of ``ALPHABET``)."""

AGREEMENT_ALPHABET: tuple[CallMaker, ...] = (
    template("acquire"),
    template("acquire", False),
    template("acquire", timeout=0),
    template("acquire", timeout=NEVER_EXPIRING_TIMEOUT),
    template("acquire", True, -1),
    template("acquire", False, 1),
    template("acquire", timeout=-2),
    template("release"),
    template("release"),
    template("__enter__"),
    template("__exit__", *EXIT),
)
"""Calls for ``tests/impl/test_agreement.py``, which runs impl under real threads and
compares its abstract state with the spec's after every call: no timeout that could
expire in the middle of a run (only 0, or one that never expires)."""


# -- branches a default check did not reach (``threadspec check --coverage``) ----------------------

BRANCH_SCENARIOS: tuple[Scenario, ...] = (
    _scenario(
        "rlock_owner_acquiring_with_timeout_and_nonblocking",
        [_t(0, "acquire"), _t(0, "acquire", False, NEVER_EXPIRING_TIMEOUT), _t(0, "release"),
         _t(1, "acquire", False)],
        (rlock.ACQUIRE_TIMEOUT_WITH_NONBLOCKING_RAISES, rlock.ACQUIRE_PYTHON_RLOCK_OWNER_SKIPS_CHECKS),
        since=(3, 2),
    ),
    _scenario(
        "rlock_owner_acquiring_with_non_int_blocking",
        [_t(0, "acquire"), _t(0, "acquire", "x", NEVER_EXPIRING_TIMEOUT), _t(0, "release"),
         _t(1, "acquire", False)],
        (rlock.ACQUIRE_NON_INT_BLOCKING_RAISES, rlock.ACQUIRE_PYTHON_RLOCK_OWNER_SKIPS_CHECKS),
        since=(3, 2),
        until=(3, 12),
    ),
    Scenario(
        "pyrlock_class_takes_no_arguments",
        rlock.PYTHON_CLASS,
        call(0, "__init__", 1),
        (),
        (rlock.INIT_FACTORY_ACCEPTS_ARGUMENTS,),
        (3, 0),
    ),
)
"""The owner's acquire with arguments the C class rejects (the Python class takes it again
unchecked: ``spec.rlock._reentry``'s error options), and ``_PyRLock(arg)``."""

SCENARIOS = SCENARIOS + BRANCH_SCENARIOS
