"""Condition scenarios: one or more per clause, written to catch the bugs a Condition tends to
have (lost wakeups, notify waking the wrong number or order, wait not releasing every level of
an RLock, a timed-out wait returning without the lock, timeouts ignored, missing owner checks).

Several scenarios are written so that any order the spec allows still makes sense: a step by
a thread that is still blocked is skipped by the driver, so "t0 release; t1 release; t0
release" releases the lock for whichever of t0 and t1 got it first, then for the other.
"""

from __future__ import annotations

from conformance.scenario import CallMaker, EnvironmentCall, Scenario
from conformance.scenarios import Generator
from conformance.timeouts import EXPIRING_TIMEOUT, NEGATIVE_TIMEOUT, NEVER_EXPIRING_TIMEOUT, ZERO_TIMEOUT
from spec import condition as c
from spec import condition_lock as cl
from spec.profiles import Version
from spec.values import ENV, Call, Gate, New, call, template

INIT = call(0, "__init__")
"""``Condition()``: a condition variable over a fresh RLock."""

OVER_LOCK = call(0, "__init__", New("Lock"))
"""``Condition(Lock())``."""

OVER_RLOCK = call(0, "__init__", lock=New("RLock"))
"""``Condition(lock=RLock())``."""

OVER_PYTHON_RLOCK = call(0, "__init__", New(c.PYTHON_RLOCK))
"""``Condition(threading._PyRLock())``: the only way to reach that class's ``_is_owned``,
``_release_save`` and ``_acquire_restore``."""

E, N, Z, NEG = EXPIRING_TIMEOUT, NEVER_EXPIRING_TIMEOUT, ZERO_TIMEOUT, NEGATIVE_TIMEOUT
EXIT = (None, None, None)
"""The arguments of ``__exit__`` when the with block ended without an exception."""
INF, NAN = float("inf"), float("nan")


def scenario(
    name: str,
    init: Call,
    steps: list[Call],
    covers: list[str],
    since: Version = (2, 7),
    until: Version | None = None,
) -> Scenario:
    return Scenario(name, c.PRIMITIVE, init, tuple(steps), tuple(covers), since, until)


def opens(gate: int, exc: str | None = None) -> Call:
    """The environment makes predicate ``Gate(gate)`` return None (or raise ``exc``) from now on."""
    return call(ENV, "gate.open", gate) if exc is None else call(ENV, "gate.open", gate, exc)


def each_releases(*threads: int) -> list[Call]:
    """Each thread releases once, in turn, twice round: whoever holds the lock releases it first."""
    return [call(t, "release") for t in threads + threads]


# ---------------------------------------------------------------------------
# The constructor and the underlying lock
# ---------------------------------------------------------------------------

LOCK_SCENARIOS = (
    scenario(
        "default-lock-is-reentrant",
        INIT,
        [call(0, "acquire"), call(0, "acquire"), call(1, "acquire", False), call(0, "release"),
         call(1, "acquire", False), call(0, "release"), call(1, "acquire", False), call(1, "release"),
         call(0, "release")],
        [c.INIT_DEFAULT_CREATES_RLOCK, cl.ACQUIRE_CALLS_LOCK_ACQUIRE, cl.ACQUIRE_RLOCK_OWNER_REENTERS,
         cl.ACQUIRE_NONBLOCKING_RETURNS_FALSE,
         cl.RELEASE_RLOCK_DECREMENTS_LEVEL, cl.RELEASE_CALLS_LOCK_RELEASE, cl.RELEASE_RLOCK_NOT_OWNED_RAISES],
    ),
    scenario(
        "given-rlock-is-used",
        OVER_RLOCK,
        [call(0, "acquire"), call(0, "acquire"), call(1, "release"), call(1, "acquire", False),
         call(0, "release"), call(0, "release"), call(1, "acquire", False)],
        [c.INIT_USES_GIVEN_LOCK, cl.RELEASE_RLOCK_NOT_OWNED_RAISES, cl.ACQUIRE_RLOCK_OWNER_REENTERS],
    ),
    scenario(
        "given-lock-is-not-reentrant",
        OVER_LOCK,
        [call(0, "acquire"), call(0, "acquire", False), call(1, "release"), call(1, "release"),
         call(1, "acquire")],
        [c.INIT_USES_GIVEN_LOCK, cl.ACQUIRE_NONBLOCKING_RETURNS_FALSE, cl.RELEASE_CALLS_LOCK_RELEASE,
         cl.RELEASE_UNLOCKED_LOCK_RAISES],
    ),
    scenario(
        "constructor-rejects-extra-arguments",
        call(0, "__init__", None, None, None),
        [],
        [c.INIT_BAD_ARGUMENTS_RAISE],
    ),
    scenario(
        "constructor-second-argument-is-2.7-verbose",
        call(0, "__init__", New("Lock"), None),
        [call(0, "acquire"), call(0, "acquire", False)],
        [c.INIT_BAD_ARGUMENTS_RAISE, c.INIT_USES_GIVEN_LOCK],
    ),
    scenario(
        "constructor-rejects-non-lock",
        call(0, "__init__", 1),
        [],
        [c.INIT_BAD_ARGUMENTS_RAISE],
    ),
    scenario(
        "acquire-blocks-until-release",
        INIT,
        [call(0, "acquire"), call(1, "acquire"), call(2, "__enter__"), call(0, "release"),
         call(1, "release"), call(2, "__exit__", None, None, None), call(1, "release")],
        [cl.ACQUIRE_HELD_LOCK_BLOCKS, cl.RELEASE_ONE_BLOCKED_THREAD_PROCEEDS, cl.WITH_ACQUIRES_AND_RELEASES],
    ),
    scenario(
        "plain-lock-acquire-by-holder-blocks",
        OVER_LOCK,
        [call(0, "acquire"), call(0, "acquire"), call(1, "release"), call(0, "release")],
        [cl.ACQUIRE_HELD_LOCK_BLOCKS, cl.RELEASE_ONE_BLOCKED_THREAD_PROCEEDS],
    ),
    scenario(
        "acquire-timeout-returns-false",
        INIT,
        [call(0, "acquire"), call(1, "acquire", timeout=E), call(1, "acquire", True, E), call(0, "release"),
         call(1, "acquire", timeout=E)],
        [cl.ACQUIRE_TIMEOUT_RETURNS_FALSE],
        since=(3, 2),
    ),
    scenario(
        "acquire-bad-timeout-raises",
        OVER_LOCK,
        # what the documentation says first: at documented strictness a run is not judged past a
        # timeout it gives no meaning to ('1', -2: CPython's reading)
        [call(0, "acquire", False, 1), call(0, "acquire", timeout=INF), call(0, "acquire", timeout="1"),
         call(0, "acquire", timeout=-2), call(0, "acquire", False)],
        [cl.ACQUIRE_BAD_TIMEOUT_RAISES, cl.ACQUIRE_UNDOCUMENTED_TIMEOUT_RAISES],
        since=(3, 2),
    ),
    scenario(
        "acquire-takes-no-timeout-in-2.7",
        OVER_LOCK,
        [call(0, "acquire", timeout=E), call(0, "acquire", True, E), call(0, "acquire", blocking=False),
         call(0, "acquire", False)],
        [cl.ACQUIRE_NO_TIMEOUT_IN_2_7],
        until=(3, 0),
    ),
    scenario(
        "with-statement-uses-the-lock",
        OVER_LOCK,
        [call(0, "__enter__"), call(1, "__enter__"), call(0, "__exit__", None, None, None),
         call(1, "__exit__", None, None, None), call(1, "__exit__", None, None, None)],
        [cl.WITH_ACQUIRES_AND_RELEASES, cl.RELEASE_UNLOCKED_LOCK_RAISES],
    ),
    scenario(
        "exit-checks-its-arguments",
        INIT,
        [call(0, "acquire"), call(0, "__exit__"), call(1, "acquire", False), call(0, "__exit__", None, None),
         call(0, "__exit__", *EXIT), call(1, "acquire", False), call(0, "__exit__", *EXIT),
         call(1, "__exit__", *EXIT), call(1, "__exit__", *EXIT)],
        [cl.WITH_EXIT_ARGUMENTS, cl.WITH_ACQUIRES_AND_RELEASES, cl.RELEASE_RLOCK_NOT_OWNED_RAISES],
    ),
    scenario(
        "nested-with-statements-release-the-rlock-last",
        INIT,
        [call(0, "__enter__"), call(0, "__enter__"), call(1, "acquire", False), call(0, "__exit__", *EXIT),
         call(1, "acquire", False), call(1, "__exit__", *EXIT), call(0, "__exit__", *EXIT),
         call(1, "__enter__"), call(0, "__exit__", *EXIT), call(1, "__exit__", *EXIT)],
        [cl.WITH_ACQUIRES_AND_RELEASES, cl.ACQUIRE_RLOCK_OWNER_REENTERS, cl.RELEASE_RLOCK_DECREMENTS_LEVEL,
         cl.RELEASE_RLOCK_NOT_OWNED_RAISES],
    ),
    scenario(
        "locked-reports-lock-state",
        INIT,
        [call(0, "locked"), call(0, "acquire"), call(0, "acquire"), call(1, "locked"), call(0, "release"),
         call(1, "locked"), call(0, "release"), call(1, "locked")],
        [cl.LOCKED_REPORTS_LOCK_STATE],
        since=(3, 14),
    ),
)

# ---------------------------------------------------------------------------
# wait
# ---------------------------------------------------------------------------

WAIT_SCENARIOS = (
    scenario(
        "wait-and-notify-need-the-lock",
        INIT,
        [call(0, "wait"), call(0, "wait", Z), call(0, "notify"), call(0, "notify_all"), call(1, "acquire"),
         call(0, "wait", N), call(0, "notify"), call(0, "notifyAll"), call(1, "notify")],
        [c.WAIT_UNOWNED_RAISES, c.NOTIFY_UNOWNED_RAISES, c.NOTIFY_ALL_UNOWNED_RAISES],
    ),
    scenario(
        "unowned-wait-leaves-no-trace",
        INIT,
        [call(0, "wait"), call(1, "acquire"), call(1, "wait"), call(0, "acquire"), call(0, "notify"),
         call(0, "release"), call(1, "release")],
        [c.WAIT_UNOWNED_RAISES, c.WAIT_RETURNS_TRUE_WHEN_NOTIFIED],
    ),
    scenario(
        "wait-on-unlocked-plain-lock-raises",
        OVER_LOCK,
        [call(0, "wait"), call(0, "notify"), call(0, "notify_all"), call(0, "acquire"), call(0, "release"),
         call(0, "wait", E)],
        [c.WAIT_UNOWNED_RAISES, c.NOTIFY_UNOWNED_RAISES, c.NOTIFY_ALL_UNOWNED_RAISES],
    ),
    scenario(
        "wait-releases-the-lock-until-notified",
        INIT,
        [call(0, "acquire"), call(0, "wait"), call(1, "acquire"), call(2, "acquire", False),
         call(1, "notify"), call(2, "acquire", False), call(1, "release"), call(2, "acquire", False),
         call(0, "release"), call(2, "acquire", False)],
        [c.WAIT_RELEASES_LOCK_AND_BLOCKS, c.WAIT_RETURNS_TRUE_WHEN_NOTIFIED, c.WAIT_RETURNS_NONE_IN_2_7,
         c.NOTIFY_WAKES_AT_MOST_N],
    ),
    scenario(
        "wait-restores-the-recursion-level",
        INIT,
        [call(0, "acquire"), call(0, "acquire"), call(0, "acquire"), call(0, "wait"), call(1, "acquire"),
         call(1, "notify"), call(1, "release"), call(0, "release"), call(0, "release"),
         call(1, "acquire", False), call(0, "release"), call(1, "acquire", False), call(0, "release")],
        [c.WAIT_RLOCK_RELEASES_ALL_LEVELS, cl.ACQUIRE_RLOCK_OWNER_REENTERS],
    ),
    scenario(
        "wait-timeout-returns-false-holding-the-lock",
        INIT,
        [call(0, "acquire"), call(0, "wait", E), call(1, "acquire", False), call(0, "release"),
         call(1, "acquire", False)],
        [c.WAIT_TIMEOUT_EXPIRES, c.WAIT_RETURNS_FALSE_AFTER_TIMEOUT, c.WAIT_RETURNS_NONE_IN_2_7],
    ),
    scenario(
        "timed-out-wait-returns-only-with-the-lock",
        INIT,
        [call(0, "acquire"), call(1, "acquire"), call(0, "wait", E), call(1, "release"), call(0, "release"),
         call(1, "release"), call(2, "acquire", False)],
        [c.WAIT_TIMEOUT_EXPIRES, cl.RELEASE_ONE_BLOCKED_THREAD_PROCEEDS, c.WAIT_RETURNS_FALSE_AFTER_TIMEOUT],
    ),
    scenario(
        "wait-zero-timeout-still-releases-the-lock",
        INIT,
        [call(0, "acquire"), call(1, "acquire"), call(0, "wait", Z), call(1, "release"), call(0, "release"),
         call(1, "release")],
        [c.WAIT_NONPOSITIVE_TIMEOUT_DOES_NOT_SLEEP, cl.RELEASE_ONE_BLOCKED_THREAD_PROCEEDS],
    ),
    scenario(
        "wait-negative-timeout-returns-at-once",
        OVER_LOCK,
        [opens(1), call(0, "acquire"), call(0, "wait", -1), call(0, "wait", timeout=Z), call(0, "wait", NEG),
         call(0, "wait_for", Gate(1), NEG), call(1, "acquire", False),
         call(1, "release")],
        [c.WAIT_NONPOSITIVE_TIMEOUT_DOES_NOT_SLEEP],
    ),
    scenario(
        "wait-nan-timeout",
        INIT,
        [call(0, "acquire"), call(0, "wait", NAN), call(1, "acquire"), call(1, "notify"), call(1, "release"),
         call(0, "release"), call(1, "release")],
        [c.WAIT_NONPOSITIVE_TIMEOUT_DOES_NOT_SLEEP, c.WAIT_RELEASES_LOCK_AND_BLOCKS,
         c.WAIT_PYTHON_2_7_TIMEOUT_READING],
    ),
    scenario(
        "wait-bad-timeout-raises-holding-the-lock",
        INIT,
        [call(0, "acquire"), call(0, "acquire"), call(0, "wait", INF), call(0, "wait", "1"),
         call(1, "acquire", False), call(0, "release"), call(1, "acquire", False), call(0, "release"),
         call(1, "acquire", False)],
        [c.WAIT_BAD_TIMEOUT_RAISES_AFTER_REACQUIRING],
        since=(3, 0),
    ),
    scenario(
        "wait-with-bad-timeout-then-notify",
        INIT,
        [call(0, "acquire"), call(0, "wait", "1"), call(0, "release"), call(1, "acquire"), call(1, "wait"),
         call(0, "acquire"), call(0, "notify"), call(0, "release"), call(0, "acquire"), call(0, "notify"),
         call(0, "release"), call(1, "release")],
        [c.WAIT_BAD_TIMEOUT_RAISES_AFTER_REACQUIRING, c.WAIT_BAD_TIMEOUT_LEAVES_STALE_ENTRY],
    ),
)

# ---------------------------------------------------------------------------
# notify
# ---------------------------------------------------------------------------

NOTIFY_SCENARIOS = (
    scenario(
        "notify-without-waiters-is-a-no-op",
        INIT,
        [call(0, "acquire"), call(0, "notify"), call(0, "notify", 5), call(0, "notify_all"),
         call(0, "release"), call(1, "acquire", False)],
        [c.NOTIFY_NO_OP_WITHOUT_WAITERS, c.NOTIFY_ALL_WAKES_ALL_WAITERS],
    ),
    scenario(
        "notify-wakes-waiters-in-fifo-order",
        INIT,
        [call(0, "acquire"), call(0, "wait"), call(1, "acquire"), call(1, "wait"), call(2, "acquire"),
         call(2, "notify"), call(2, "release"), call(0, "release"), call(2, "acquire"), call(2, "notify"),
         call(2, "release"), call(1, "release")],
        [c.NOTIFY_WAKES_EXACTLY_N_IN_FIFO_ORDER, c.NOTIFY_WAKES_AT_MOST_N, c.WAIT_RETURNS_TRUE_WHEN_NOTIFIED],
    ),
    scenario(
        "notify-n-wakes-exactly-n",
        INIT,
        [call(0, "acquire"), call(0, "wait"), call(1, "acquire"), call(1, "wait"), call(2, "acquire"),
         call(2, "wait"), call(3, "acquire"), call(3, "notify", 2), call(3, "release"),
         *each_releases(0, 1), call(3, "acquire"), call(3, "notify", 2), call(3, "release"),
         call(2, "release")],
        [c.NOTIFY_WAKES_EXACTLY_N_IN_FIFO_ORDER, c.NOTIFY_WAKES_AT_MOST_N],
    ),
    scenario(
        "notify-zero-or-negative",
        INIT,
        [call(0, "acquire"), call(0, "wait"), call(1, "acquire"), call(1, "wait"), call(2, "acquire"),
         call(2, "notify", 0), call(2, "notify", -1), call(2, "release"), call(0, "release"),
         call(2, "acquire"), call(2, "notify_all"), call(2, "release"), *each_releases(0, 1)],
        [c.NOTIFY_N_BELOW_ONE_WAKES_NONE, c.NOTIFY_NEGATIVE_N_SPARES_LAST_WAITERS, c.NOTIFY_BAD_N_RAISES,
         c.NOTIFY_ALL_WAKES_ALL_WAITERS],
    ),
    scenario(
        "notify-bad-n",
        INIT,
        [call(0, "acquire"), call(0, "notify", "x"), call(0, "notify", None), call(0, "release"),
         call(1, "acquire"), call(1, "wait"), call(0, "acquire"), call(0, "notify", "x"),
         call(0, "notify", 1.5), call(0, "notify_all"), call(0, "release"), call(1, "release")],
        [c.NOTIFY_BAD_N_RAISES, c.NOTIFY_NO_OP_WITHOUT_WAITERS],
    ),
    scenario(
        "notify-all-wakes-every-waiter",
        OVER_LOCK,
        [call(0, "acquire"), call(0, "wait"), call(1, "acquire"), call(1, "wait", N), call(2, "acquire"),
         call(2, "notify_all"), call(2, "release"), *each_releases(0, 1)],
        [c.NOTIFY_ALL_WAKES_ALL_WAITERS, c.WAIT_RETURNS_TRUE_WHEN_NOTIFIED],
    ),
    # A woken waiter that has returned must leave nothing behind: a later notify() wakes the
    # thread that waits next (an entry left in the queue would take that wakeup instead).
    scenario(
        "notify-after-notify-all-wakes-a-later-waiter",
        INIT,
        [call(0, "acquire"), call(0, "wait"), call(1, "acquire"), call(1, "notify_all"), call(1, "release"),
         call(0, "release"), call(2, "acquire"), call(2, "wait"), call(1, "acquire"), call(1, "notify"),
         call(1, "release"), call(2, "release")],
        [c.NOTIFY_ALL_WAKES_ALL_WAITERS, c.NOTIFY_WAKES_EXACTLY_N_IN_FIFO_ORDER,
         c.WAIT_RETURNS_TRUE_WHEN_NOTIFIED],
    ),
    scenario(
        "notify-after-notify-wakes-a-later-waiter",
        OVER_LOCK,
        [call(0, "acquire"), call(0, "wait"), call(1, "acquire"), call(1, "wait"), call(2, "acquire"),
         call(2, "notify", 2), call(2, "release"), *each_releases(0, 1), call(3, "acquire"),
         call(3, "wait"), call(2, "acquire"), call(2, "notify"), call(2, "release"), call(3, "release")],
        [c.NOTIFY_WAKES_EXACTLY_N_IN_FIFO_ORDER, c.WAIT_RETURNS_TRUE_WHEN_NOTIFIED],
    ),
    scenario(
        "notifyAll-is-an-alias",
        INIT,
        [call(0, "acquire"), call(0, "wait"), call(1, "acquire"), call(1, "notifyAll"), call(1, "release"),
         call(0, "release")],
        [c.NOTIFYALL_ALIAS_OF_NOTIFY_ALL, c.NOTIFYALL_DEPRECATED_ALIAS_WARNS],
    ),
    scenario(
        "notified-waiter-competes-with-acquirers",
        INIT,
        [call(0, "acquire"), call(0, "wait"), call(1, "acquire"), call(1, "notify"), call(2, "acquire"),
         call(1, "release"), *each_releases(0, 2)],
        [cl.RELEASE_ONE_BLOCKED_THREAD_PROCEEDS, c.WAIT_RETURNS_TRUE_WHEN_NOTIFIED],
    ),
    scenario(
        "notify-after-a-timed-out-wait-reaches-the-next-waiter",
        INIT,
        [call(0, "acquire"), call(0, "wait", E), call(0, "release"), call(1, "acquire"), call(1, "wait"),
         call(0, "acquire"), call(0, "notify"), call(0, "release"), call(1, "release")],
        [c.WAIT_TIMEOUT_EXPIRES, c.NOTIFY_WAKES_AT_MOST_N, c.WAIT_RETURNS_TRUE_WHEN_NOTIFIED],
    ),
    scenario(
        "timed-out-waiter-still-queued-spends-a-notify",
        INIT,
        [call(0, "acquire"), call(1, "acquire"), call(2, "acquire"), call(0, "wait", E), call(1, "wait", N),
         call(2, "notify"), call(2, "release"), call(0, "release"), call(2, "release"), call(1, "release")],
        [c.NOTIFY_WAKES_EXACTLY_N_IN_FIFO_ORDER, c.WAIT_TIMEOUT_EXPIRES],
    ),
    scenario(
        "plain-lock-notify-by-a-thread-that-did-not-acquire-it",
        OVER_LOCK,
        [call(0, "acquire"), call(0, "wait"), call(1, "acquire"), call(2, "notify"), call(1, "release"),
         call(0, "release")],
        [c.OWNERSHIP_PLAIN_LOCK_HELD_BY_ANYONE_COUNTS, c.NOTIFY_UNOWNED_RAISES],
    ),
    scenario(
        "plain-lock-wait-by-a-thread-that-did-not-acquire-it",
        OVER_LOCK,
        [call(0, "acquire"), call(1, "wait", N), call(2, "acquire", False), call(2, "notify"),
         call(2, "release"), call(0, "release"), call(1, "release")],
        [c.OWNERSHIP_PLAIN_LOCK_HELD_BY_ANYONE_COUNTS, c.WAIT_UNOWNED_RAISES],
    ),
)

# ---------------------------------------------------------------------------
# wait_for (3.2+), with checker-controlled predicates
# ---------------------------------------------------------------------------

WAIT_FOR_SCENARIOS = (
    scenario(
        "wait-for-calls-predicate-first-and-rechecks",
        INIT,
        [call(0, "acquire"), call(0, "wait_for", Gate(1)), call(1, "acquire", False), opens(1),
         call(1, "acquire", False), call(1, "notify"), call(1, "release"), call(1, "acquire", False),
         call(1, "release")],
        [c.WAIT_FOR_EVALUATES_PREDICATE_FIRST, c.WAIT_FOR_GATE_PREDICATE_RETURNS,
         c.WAIT_FOR_WAITS_WHILE_PREDICATE_FALSE, c.WAIT_FOR_RECHECKS_AFTER_WAKEUP],
        since=(3, 2),
    ),
    scenario(
        "wait-for-predicate-exception-propagates",
        INIT,
        [call(0, "acquire"), call(0, "wait_for", Gate(1), N), opens(1, "ValueError"),
         call(1, "acquire", False), call(0, "release"), call(1, "acquire", False)],
        [c.WAIT_FOR_PREDICATE_EXCEPTION_PROPAGATES],
        since=(3, 2),
    ),
    scenario(
        "wait-for-timeout-returns-the-false-value",
        INIT,
        [opens(1), call(0, "acquire"), call(0, "wait_for", Gate(1), E), call(1, "acquire", False),
         call(0, "wait_for", Gate(1), timeout=Z), call(0, "release")],
        [c.WAIT_FOR_TIMEOUT_RETURNS_LAST_PREDICATE_VALUE, c.WAIT_FOR_WAITS_WHILE_PREDICATE_FALSE],
        since=(3, 2),
    ),
    scenario(
        "wait-for-notified-waits-again-until-its-timeout",
        INIT,
        [opens(1), call(0, "acquire"), call(0, "wait_for", Gate(1), E), call(1, "acquire"), call(1, "notify"),
         call(1, "release"), call(0, "release")],
        [c.WAIT_FOR_RECHECKS_AFTER_WAKEUP, c.WAIT_FOR_TIMEOUT_RETURNS_LAST_PREDICATE_VALUE],
        since=(3, 2),
    ),
    scenario(
        "wait-for-notified-keeps-waiting-within-a-long-timeout",
        INIT,
        [opens(1), call(0, "acquire"), call(0, "wait_for", Gate(1), N), call(1, "acquire"), call(1, "notify"),
         call(1, "release"), call(1, "acquire", False), call(1, "notify"), call(1, "release"),
         call(2, "acquire", False)],
        [c.WAIT_FOR_RECHECKS_AFTER_WAKEUP, c.WAIT_FOR_WAITS_WHILE_PREDICATE_FALSE],
        since=(3, 2),
    ),
    scenario(
        "wait-for-non-callable-predicate-raises",
        INIT,
        [call(0, "wait_for", 1), call(0, "acquire"), call(0, "wait_for", None), call(0, "wait_for", "x", E),
         call(1, "acquire", False)],
        [c.WAIT_FOR_NON_CALLABLE_PREDICATE_RAISES],
        since=(3, 2),
    ),
    scenario(
        "wait-for-without-the-lock",
        OVER_LOCK,
        [call(0, "wait_for", Gate(1)), opens(1), opens(2), call(1, "wait_for", Gate(2))],
        [c.WAIT_UNOWNED_RAISES, c.WAIT_FOR_EVALUATES_PREDICATE_FIRST],
        since=(3, 2),
    ),
    scenario(
        "wait-for-bad-timeout-raises",
        INIT,
        [opens(1), call(0, "acquire"), call(0, "wait_for", Gate(1), "x"), call(0, "wait_for", Gate(1), INF),
         call(1, "acquire", False), call(0, "release"), call(1, "acquire", False)],
        [c.WAIT_FOR_BAD_TIMEOUT_RAISES],
        since=(3, 2),
    ),
    scenario(
        "wait-for-absent-in-2.7",
        INIT,
        [call(0, "acquire"), call(0, "wait_for", Gate(1)), call(0, "release")],
        [cl.CALL_BAD_ARGUMENTS_RAISE_TYPEERROR],
        until=(3, 2),
    ),
)

OTHER_SCENARIOS = (
    scenario(
        "bad-calls-raise",
        INIT,
        [call(0, "acquire"), call(0, "notify", 1, 2), call(0, "wait", 1, 2), call(0, "release", 1),
         call(0, "notify_all", 1), call(0, "__enter__", 1), call(0, "release")],
        [cl.CALL_BAD_ARGUMENTS_RAISE_TYPEERROR],
    ),
)

OVER_PYTHON_RLOCK_NAMES = (
    "exit-checks-its-arguments",
    "nested-with-statements-release-the-rlock-last",
    "wait-and-notify-need-the-lock",
    "wait-releases-the-lock-until-notified",
    "wait-restores-the-recursion-level",
    "timed-out-wait-returns-only-with-the-lock",
)
"""Scenarios repeated over ``threading._PyRLock`` (3.x; 2.7's RLock is the Python class)."""

PYTHON_RLOCK_SCENARIOS = tuple(
    Scenario(f"python-rlock-{sc.name}", sc.primitive, OVER_PYTHON_RLOCK, sc.steps, sc.covers,
             max(sc.since, (3, 0)), sc.until)
    for sc in LOCK_SCENARIOS + WAIT_SCENARIOS
    if sc.name in OVER_PYTHON_RLOCK_NAMES
)

SCENARIOS: tuple[Scenario, ...] = (
    LOCK_SCENARIOS + WAIT_SCENARIOS + NOTIFY_SCENARIOS + WAIT_FOR_SCENARIOS + OTHER_SCENARIOS
    + PYTHON_RLOCK_SCENARIOS
)

# ---------------------------------------------------------------------------
# Random schedules
# ---------------------------------------------------------------------------

ALPHABET: tuple[CallMaker, ...] = (
    template("acquire"),
    template("acquire", False),
    template("acquire", timeout=E),
    template("release"),
    template("__enter__"),
    template("__exit__", None, None, None),
    template("wait"),
    template("wait", E),
    template("wait", Z),
    template("wait", N),
    template("notify"),
    template("notify", 2),
    template("notify", 0),
    template("notify_all"),
    template("wait_for", Gate(1), E),
    EnvironmentCall(opens(1)),
)

EXPLORATION_ALPHABET: tuple[CallMaker, ...] = (
    template("acquire"),
    template("release"),
    template("wait"),
    template("wait", E),
    template("notify"),
    template("notify_all"),
)
"""A sub-selection of ``ALPHABET`` for the exhaustive exploration of the spec in
``tests/spec`` (three threads, two calls each: its state count is pinned there)."""

STALE_EXPLORATION_ALPHABET: tuple[CallMaker, ...] = (
    template("acquire"),
    template("release"),
    template("wait"),
    template("wait", "1"),
    template("notify"),
)
"""For exploring 2.7's stale queue entries (a ``wait`` with a timeout that is not a number)."""

WAIT_FOR_EXPLORATION_ALPHABET: tuple[CallMaker, ...] = (
    template("acquire"),
    template("release"),
    template("wait_for", Gate(1), E),
    template("wait_for", Gate(2)),
    template("notify"),
    EnvironmentCall(opens(2)),  # spends a call of the thread whose turn it takes
)
"""For exploring ``wait_for``: predicates that the environment opens, or never does."""

AGREEMENT_ALPHABET: tuple[CallMaker, ...] = (
    template("acquire"),
    template("acquire", False),
    template("acquire", timeout=0),
    template("release"),
    template("__enter__"),
    template("__exit__", *EXIT),
    template("wait"),
    template("wait", 0),
    template("wait", N),
    template("notify"),
    template("notify", 2),
    template("notify_all"),
)
"""Calls for ``tests/impl/test_agreement.py``, which runs impl under real threads and
compares its abstract state with the spec's after every call: no timeout that could
expire in the middle of a run (only 0, or one that never expires)."""

GENERATORS = (
    Generator(c.PRIMITIVE, INIT, ALPHABET),
    Generator(c.PRIMITIVE, OVER_LOCK, ALPHABET),
)


# -- branches a default check did not reach (``threadspec check --coverage``) ----------------------

BRANCH_SCENARIOS: tuple[Scenario, ...] = (
    scenario(
        "condition_acquire_and_wait_for_reject_bad_arguments",
        INIT,
        [call(0, "acquire", foo=1), call(0, "acquire"), call(0, "wait_for"), call(0, "wait_for", x=1),
         call(0, "release"), call(1, "acquire", False), call(1, "release")],
        [cl.CALL_BAD_ARGUMENTS_RAISE_TYPEERROR],
        since=(3, 2),
    ),
    scenario(
        "wait_for_timed_out_and_notified_while_reacquiring_returns_the_last_value",
        INIT,
        [opens(1), call(0, "acquire"), call(1, "acquire"), call(0, "wait_for", Gate(1), E), call(1, "notify"),
         call(1, "release"), call(0, "release"), call(2, "acquire", False)],
        [c.WAIT_FOR_TIMEOUT_RETURNS_LAST_PREDICATE_VALUE],
        since=(3, 2),
    ),
)
"""``acquire`` with an unknown keyword (``spec.condition_lock.acquire``'s TypeError branch),
``wait_for`` without a predicate (``spec.condition.wait_for``'s), and a timed ``wait_for`` whose
wait times out while t1 holds the lock and which t1 then notifies (its entry is still queued
while it re-acquires): it checks its predicate once more and returns its value, past its
deadline (``spec.condition.expiries``'s last branch)."""

SCENARIOS = SCENARIOS + BRANCH_SCENARIOS
