"""Event: a flag, initially false, that ``set`` makes true and ``clear`` makes false again.

The documentation promises: ``wait`` returns at once while the flag is true and otherwise
blocks until ``set`` (which wakes every waiter) or until its timeout; since 3.1 ``wait``
returns True if the flag was set during the wait, even if it has been cleared again since
(2.7: it returns the flag as it is when the waiter runs again).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, replace

from spec.clauses import Ambiguity, Reading, clause
from spec.core import (
    TIMEOUT_MAX,
    Blocked,
    Done,
    PrimitiveSpec,
    Result,
    Step,
    as_float,
    dispatch,
    is_huge,
    is_number,
)
from spec.profiles import Profile, Strictness
from spec.values import Call, Raised, Returned, ThreadId, Value, bind

PRIMITIVE = "Event"

# ---------------------------------------------------------------------------
# Clauses
# ---------------------------------------------------------------------------

INIT_FLAG_STARTS_FALSE = clause(
    "Event.init.flag-starts-false",
    doc="threading.Event",
    quote="The flag is initially false.",
)
INIT_NO_ARGUMENTS = clause(
    "Event.init.no-arguments",
    doc="threading.Event",
    quote="class threading.Event() [the constructor takes no arguments; 2.7's factory takes an "
    "optional verbose flag]",
)
IS_SET_REPORTS_FLAG = clause(
    "Event.is_set.reports-flag",
    doc="threading.Event.is_set",
    quote="Return True if and only if the internal flag is true.",
)
ISSET_ALIAS_OF_IS_SET = clause(
    "Event.isSet.alias-of-is-set",
    doc="threading.Event.is_set",
    quote="is_set() / isSet(): Return true if and only if the internal flag is true.",
    until=(3, 10),
)
ISSET_DEPRECATED_ALIAS_WARNS = clause(
    "Event.isSet.deprecated-alias-warns",
    doc="threading.Event.is_set",
    quote="The method isSet is a deprecated alias for this method. [3.10+: calling it emits "
    "DeprecationWarning]",
    since=(3, 10),
)
SET_SETS_FLAG = clause(
    "Event.set.sets-flag",
    doc="threading.Event.set",
    quote="Set the internal flag to true. [...] Threads that call wait() once the flag is true "
    "will not block at all.",
)
SET_WAKES_ALL_WAITERS = clause(
    "Event.set.wakes-all-waiters",
    doc="threading.Event.set",
    quote="All threads waiting for it to become true are awakened.",
)
CLEAR_RESETS_FLAG = clause(
    "Event.clear.resets-flag",
    doc="threading.Event.clear",
    quote="Reset the internal flag to false. Subsequently, threads calling wait() will block "
    "until set() is called to set the internal flag to true again.",
)
WAIT_SET_FLAG_RETURNS_TRUE_AT_ONCE = clause(
    "Event.wait.set-flag-returns-true-at-once",
    doc="threading.Event.wait",
    quote="If the internal flag is true on entry, return immediately.",
)
WAIT_CLEAR_FLAG_BLOCKS = clause(
    "Event.wait.clear-flag-blocks",
    doc="threading.Event.wait",
    quote="Otherwise, block until another thread calls set() to set the flag to true, or until "
    "the optional timeout occurs.",
)
WAIT_WOKEN_RETURNS_TRUE = clause(
    "Event.wait.woken-returns-true",
    doc="threading.Event.wait",
    quote="This method returns True if and only if the internal flag has been set to true, "
    "either before the wait call or after the wait starts, so it will always return True "
    "except if a timeout is given and the operation times out. [Changed in 3.1: Previously, the "
    "method always returned None.]",
    since=(3, 1),
)
WAIT_RETURNS_FLAG_ON_EXIT = clause(
    "Event.wait.returns-flag-on-exit",
    doc="threading.Event.wait",
    quote="This method returns the internal flag on exit, so it will always return True except "
    "if a timeout is given and the operation times out. [2.7; 3.0]",
    until=(3, 1),
)
WAIT_TIMEOUT_RETURNS_FALSE = clause(
    "Event.wait.timeout-returns-false",
    doc="threading.Event.wait",
    quote="When the timeout argument is present and not None, it should be a floating point "
    "number specifying a timeout for the operation in seconds (or fractions thereof). [...] it "
    "will always return True except if a timeout is given and the operation times out.",
)
WAIT_NEGATIVE_TIMEOUT_DOES_NOT_WAIT = clause(
    "Event.wait.negative-timeout-does-not-wait",
    doc="threading.Event.wait",
    quote="[CPython: a negative timeout (3.x: or NaN) is an interval already over: wait returns "
    "False at once while the flag is false]",
    strictness=Strictness.CPYTHON,
)
WAIT_BAD_TIMEOUT_RAISES_WHEN_IT_MUST_WAIT = clause(
    "Event.wait.bad-timeout-raises-when-it-must-wait",
    doc="threading.Event.wait",
    quote="[CPython: the timeout is only looked at while the flag is false; then a timeout that "
    "is not a number raises TypeError, and (3.x) one above TIMEOUT_MAX or infinite raises "
    "OverflowError; so does an int too large for a float (3.x: a positive one, 2.7: of either "
    "sign)]",
    strictness=Strictness.CPYTHON,
)
WAIT_NAN_OR_INFINITE_TIMEOUT_WAITS_WITHOUT_LIMIT = clause(
    "Event.wait.nan-or-infinite-timeout-waits-without-limit",
    doc="threading.Event.wait",
    quote="[CPython 2.7: the remaining time of a NaN or infinite timeout is never found to be "
    "over, so wait waits (polling) until set() is called]",
    until=(3, 0),
    strictness=Strictness.CPYTHON,
)
CALL_BAD_ARGUMENTS_RAISE_TYPEERROR = clause(
    "Event.call.bad-arguments-raise-typeerror",
    doc="threading.Event",
    quote="[Python] A call with arguments that do not match the documented signature raises "
    "TypeError; an operation the object does not have raises AttributeError.",
    strictness=Strictness.CPYTHON,
)

# ---------------------------------------------------------------------------
# State
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Waiter:
    """A thread blocked in ``wait``; ``timed`` when its call has a timeout; ``woken`` once a
    ``set`` has awakened it (it has not run yet)."""

    thread: ThreadId
    timed: bool
    woken: bool = False


@dataclass(frozen=True, slots=True)
class State:
    profile: Profile
    flag: bool = False
    waiters: tuple[Waiter, ...] = ()


def create(profile: Profile, c: Call) -> Done[State | None]:
    names = ("verbose",) if profile.py2 else ()
    if bind(c, names, {"verbose": None}) is None:
        # clause Event.init.no-arguments
        return Done(Raised("TypeError"), None, INIT_NO_ARGUMENTS)
    # clause Event.init.flag-starts-false
    return Done(Returned(None), State(profile), INIT_FLAG_STARTS_FALSE)


# ---------------------------------------------------------------------------
# Transitions
# ---------------------------------------------------------------------------


def _no_args(s: State, c: Call) -> Done[State] | None:
    if c.args or c.kwargs:
        # clause Event.call.bad-arguments-raise-typeerror
        return Done(Raised("TypeError"), s, CALL_BAD_ARGUMENTS_RAISE_TYPEERROR)
    return None


def is_set(s: State, c: Call) -> Result[State]:
    if bad := _no_args(s, c):
        return bad
    # clause Event.is_set.reports-flag
    return Done(Returned(s.flag), s, IS_SET_REPORTS_FLAG)


def is_set_alias(s: State, c: Call) -> Result[State]:
    if bad := _no_args(s, c):
        return bad
    if s.profile.since(3, 10):
        # clause Event.isSet.deprecated-alias-warns
        return Done(Returned(s.flag, warning="DeprecationWarning"), s, ISSET_DEPRECATED_ALIAS_WARNS)
    # clause Event.isSet.alias-of-is-set
    return Done(Returned(s.flag), s, ISSET_ALIAS_OF_IS_SET)


def set_(s: State, c: Call) -> Result[State]:
    if bad := _no_args(s, c):
        return bad
    woken = tuple(replace(w, woken=True) for w in s.waiters)
    if woken != s.waiters:
        # clause Event.set.wakes-all-waiters
        return Done(Returned(None), replace(s, flag=True, waiters=woken), SET_WAKES_ALL_WAITERS)
    # clause Event.set.sets-flag
    return Done(Returned(None), replace(s, flag=True), SET_SETS_FLAG)


def clear(s: State, c: Call) -> Result[State]:
    if bad := _no_args(s, c):
        return bad
    # clause Event.clear.resets-flag
    return Done(Returned(None), replace(s, flag=False), CLEAR_RESETS_FLAG)


def timeout(c: Call) -> float | None:
    """The timeout of a pending ``wait`` (``None``: it waits without limit)."""
    if c.op != "wait":
        return None
    t: Value = c.kw().get("timeout", c.args[0] if c.args else None)
    if not is_number(t) or is_huge(t) or math.isnan(t) or math.isinf(t) or t <= 0:
        return None
    return float(t)


def _block(s: State, c: Call, timed: bool, which: str) -> Blocked[State]:
    return Blocked(replace(s, waiters=s.waiters + (Waiter(c.thread, timed),)), which)


def wait(s: State, c: Call) -> Result[State]:
    a = bind(c, ("timeout",), {"timeout": None})
    if a is None:
        # clause Event.call.bad-arguments-raise-typeerror
        return Done(Raised("TypeError"), s, CALL_BAD_ARGUMENTS_RAISE_TYPEERROR)
    if s.flag:
        # clause Event.wait.set-flag-returns-true-at-once
        return Done(Returned(True), s, WAIT_SET_FLAG_RETURNS_TRUE_AT_ONCE)
    limit = a["timeout"]
    if limit is None:
        # clause Event.wait.clear-flag-blocks
        return _block(s, c, timed=False, which=WAIT_CLEAR_FLAG_BLOCKS)
    if not is_number(limit):
        # clause Event.wait.bad-timeout-raises-when-it-must-wait
        return Done(Raised("TypeError"), s, WAIT_BAD_TIMEOUT_RAISES_WHEN_IT_MUST_WAIT)
    if is_huge(limit) and (s.profile.py2 or limit > 0):
        # clause Event.wait.bad-timeout-raises-when-it-must-wait (CPython adds it to the time, or
        # converts it: an int too large for a float raises OverflowError, in 2.7 of either sign)
        return Done(Raised("OverflowError"), s, WAIT_BAD_TIMEOUT_RAISES_WHEN_IT_MUST_WAIT)
    t = as_float(limit)
    if s.profile.py2 and (math.isnan(t) or math.isinf(t)):
        # clause Event.wait.nan-or-infinite-timeout-waits-without-limit
        return _block(s, c, timed=False, which=WAIT_NAN_OR_INFINITE_TIMEOUT_WAITS_WITHOUT_LIMIT)
    if t < 0 or math.isnan(t):
        # clause Event.wait.negative-timeout-does-not-wait
        return Done(Returned(False), s, WAIT_NEGATIVE_TIMEOUT_DOES_NOT_WAIT)
    if t == 0:
        # clause Event.wait.timeout-returns-false
        return Done(Returned(False), s, WAIT_TIMEOUT_RETURNS_FALSE)
    if t > TIMEOUT_MAX and not s.profile.py2:
        # clause Event.wait.bad-timeout-raises-when-it-must-wait
        return Done(Raised("OverflowError"), s, WAIT_BAD_TIMEOUT_RAISES_WHEN_IT_MUST_WAIT)
    # clause Event.wait.clear-flag-blocks
    return _block(s, c, timed=True, which=WAIT_CLEAR_FLAG_BLOCKS)


TRANSITIONS = {
    "is_set": is_set,
    "isSet": is_set_alias,
    "set": set_,
    "clear": clear,
    "wait": wait,
}


def ops(profile: Profile) -> tuple[str, ...]:
    return tuple(TRANSITIONS)


def invoke(s: State, c: Call) -> Result[State]:
    return dispatch(s, c, TRANSITIONS, ops(s.profile), CALL_BAD_ARGUMENTS_RAISE_TYPEERROR)


# ---------------------------------------------------------------------------
# Internal steps
# ---------------------------------------------------------------------------


def wakeups(s: State) -> Iterator[Step[State]]:
    """Every waiter a ``set`` has awakened returns, in any order.

    3.x: it returns True, even if the flag has been cleared since. 2.7: it returns the flag
    as it is when it runs.
    """
    for i, w in enumerate(s.waiters):
        if not w.woken:
            continue
        rest = replace(s, waiters=s.waiters[:i] + s.waiters[i + 1 :])
        if s.profile.py2:
            # clause Event.wait.returns-flag-on-exit
            yield Step(w.thread, Returned(s.flag), rest, WAIT_RETURNS_FLAG_ON_EXIT)
        else:
            # clause Event.wait.woken-returns-true
            yield Step(w.thread, Returned(True), rest, WAIT_WOKEN_RETURNS_TRUE)


def expiries(s: State) -> Iterator[Step[State]]:
    """A waiter with a timeout that no ``set`` has awakened may give up, returning False."""
    for i, w in enumerate(s.waiters):
        if w.timed and not w.woken:
            rest = replace(s, waiters=s.waiters[:i] + s.waiters[i + 1 :])
            # clause Event.wait.timeout-returns-false
            yield Step(w.thread, Returned(False), rest, WAIT_TIMEOUT_RETURNS_FALSE)


# ---------------------------------------------------------------------------
# Invariants
# ---------------------------------------------------------------------------


def inv_waiters_distinct(s: State) -> bool:
    """A thread has at most one pending call."""
    return len({w.thread for w in s.waiters}) == len(s.waiters)


def inv_unwoken_waiters_only_while_clear(s: State) -> bool:
    """While the flag is true every waiter has been awakened (set wakes all; wait on a true
    flag does not block)."""
    return not s.flag or all(w.woken for w in s.waiters)


def inv_woken_waiter_can_return(s: State) -> bool:
    """Every awakened waiter has its wakeup enabled (no waiter is stranded)."""
    enabled = {st.thread for st in wakeups(s)}
    return all(w.thread in enabled for w in s.waiters if w.woken)


INVARIANTS = (
    inv_waiters_distinct,
    inv_unwoken_waiters_only_while_clear,
    inv_woken_waiter_can_return,
)


AMBIGUITIES = (
    Ambiguity(
        topic="set then clear before the waiter runs",
        text="This method returns True if and only if the internal flag has been set to true, "
        "either before the wait call or after the wait starts",
        reading="3.x: a waiter awakened by set returns True even if clear came before it ran. "
        "2.7 ('returns the internal flag on exit'): it returns the flag as it is when it runs, "
        "so False if cleared in between.",
        readings=(
            Reading(
                "'returns the internal flag on exit': a woken waiter returns the flag as it is when it "
                'runs, so False if cleared in between.',
                None, (2, 7), (3, 0),
            ),
            Reading(
                'a waiter awakened by set returns True even if clear came before it ran.',
                None, (3, 0),
            ),
        ),
    ),
    Ambiguity(
        topic="timeout versus set",
        text="block until another thread calls set() to set the flag to true, or until the "
        "optional timeout occurs",
        reading="A timed waiter not yet awakened may time out (False); once a set has awakened "
        "it, it returns as awakened. A set racing with the timeout may come after the timeout "
        "in the linear order, so False with the flag now true is allowed.",
    ),
    Ambiguity(
        topic="zero, negative, NaN and huge timeouts",
        text="it should be a floating point number specifying a timeout for the operation in "
        "seconds",
        reading="Zero or negative: wait returns the flag at once. NaN: 3.x returns at once, 2.7 "
        "waits without limit (as for an infinite timeout). 3.x: above TIMEOUT_MAX or infinite "
        "raises OverflowError. Not a number: TypeError. Only while the flag is false; on a true "
        "flag wait returns True whatever the timeout.",
        readings=(
            Reading(
                'only while the flag is false: zero or negative returns the flag at once; NaN and infinity '
                'wait without limit; an int too large for a float raises OverflowError; not a number: '
                'TypeError.',
                None, (2, 7), (3, 0),
            ),
            Reading(
                'only while the flag is false: zero, negative or NaN returns the flag at once; above '
                'TIMEOUT_MAX, infinite or a positive int too large for a float raises OverflowError; not a '
                'number: TypeError.',
                None, (3, 0),
            ),
        ),
    ),
    Ambiguity(
        topic="which waiters a set wakes",
        text="All threads waiting for it to become true are awakened.",
        reading="Exactly the threads waiting when set is called; a thread that begins to wait "
        "after a later clear is not awakened by that earlier set.",
    ),
)

SPEC: PrimitiveSpec[State] = PrimitiveSpec(
    PRIMITIVE, create, invoke, wakeups, expiries, INVARIANTS, timeout, ops, AMBIGUITIES
)
