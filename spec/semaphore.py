"""Semaphore and BoundedSemaphore: a counter that ``acquire`` decrements and ``release`` increments.

The documentation promises: ``acquire`` on a positive counter decrements it and returns at
once; on a zero counter it blocks until a ``release``, and each unit released lets one
waiter through (which one is not to be relied on); the counter never goes below zero. A
BoundedSemaphore also refuses, with ValueError, a release that would take the counter
above its initial value.

Two specs share this module: ``SEMAPHORE`` (also exported as ``SPEC``) and ``BOUNDED``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, replace

from spec import lockstep
from spec.clauses import Ambiguity, Reading, clause
from spec.core import (
    TIMEOUT_MAX,
    Blocked,
    Done,
    PrimitiveSpec,
    Result,
    Step,
    dispatch,
    is_huge,
    is_number,
)
from spec.profiles import Profile, Strictness
from spec.values import ANY, MISSING, Call, Raised, Returned, ThreadId, Value, bind

PRIMITIVE = "Semaphore"
BOUNDED_PRIMITIVE = "BoundedSemaphore"

# ---------------------------------------------------------------------------
# Clauses
# ---------------------------------------------------------------------------

INIT_COUNTER_STARTS_AT_VALUE = clause(
    "Semaphore.init.counter-starts-at-value",
    doc="threading.Semaphore",
    quote="The optional argument gives the initial value for the internal counter; it defaults "
    "to 1.",
)
INIT_NEGATIVE_VALUE_RAISES = clause(
    "Semaphore.init.negative-value-raises",
    doc="threading.Semaphore",
    quote="If the value given is less than 0, ValueError is raised.",
)
CALL_NON_INTEGER_COUNT_RAISES = clause(
    "Semaphore.call.non-integer-count-raises",
    doc="threading.Semaphore",
    quote="[CPython 3: the initial value and release's n are compared with a number, so a value "
    "that is not a number raises TypeError. The spec's counter is an integer: it answers "
    "TypeError for any value that is not an int, although CPython accepts a non-integral float "
    "(see AMBIGUITIES)]",
    since=(3, 0),
    strictness=Strictness.CPYTHON,
)
ACQUIRE_POSITIVE_COUNTER_DECREMENTS = clause(
    "Semaphore.acquire.positive-counter-decrements",
    doc="threading.Semaphore.acquire",
    quote="If the internal counter is larger than zero on entry, decrement it by one and return "
    "True immediately.",
)
ACQUIRE_BARE_CALL_RETURN_VALUE_2_7 = clause(
    "Semaphore.acquire.bare-call-return-value-2.7",
    doc="threading.Semaphore.acquire",
    quote="When invoked without arguments: if the internal counter is larger than zero on entry, "
    "decrement it by one and return immediately. [...] There is no return value in this case. "
    "[CPython 2.7 returns True]",
    until=(3, 0),
)
ACQUIRE_ZERO_COUNTER_BLOCKS = clause(
    "Semaphore.acquire.zero-counter-blocks",
    doc="threading.Semaphore.acquire",
    quote="If the internal counter is zero on entry, block until awoken by a call to release(). "
    "Once awoken (and the counter is greater than 0), decrement the counter by 1 and return True.",
)
ACQUIRE_NONBLOCKING_RETURNS_FALSE = clause(
    "Semaphore.acquire.nonblocking-returns-false",
    doc="threading.Semaphore.acquire",
    quote="When invoked with blocking set to False, do not block. If a call without an argument "
    "would block, return False immediately; otherwise, do the same thing as when called without "
    "arguments, and return True.",
)
ACQUIRE_TIMEOUT_RETURNS_FALSE = clause(
    "Semaphore.acquire.timeout-returns-false",
    doc="threading.Semaphore.acquire",
    quote="When invoked with a timeout other than None, it will block for at most timeout "
    "seconds. If acquire does not complete successfully in that interval, return False. Return "
    "True otherwise.",
    since=(3, 2),
)
ACQUIRE_TIMEOUT_WITH_NONBLOCKING_RAISES = clause(
    "Semaphore.acquire.timeout-with-nonblocking-raises",
    doc="threading.Semaphore.acquire",
    quote="[CPython 3.2+: a timeout other than None together with a false blocking raises "
    "ValueError, whatever the counter]",
    since=(3, 2),
    strictness=Strictness.CPYTHON,
)
ACQUIRE_BAD_TIMEOUT_RAISES_WHEN_IT_MUST_WAIT = clause(
    "Semaphore.acquire.bad-timeout-raises-when-it-must-wait",
    doc="threading.Semaphore.acquire",
    quote="[CPython 3.2+: the timeout is only looked at when the counter is zero; then a timeout "
    "that is not a number raises TypeError, and one above TIMEOUT_MAX (or infinite, or an int too "
    "large for a float, of either sign) raises OverflowError]",
    since=(3, 2),
    strictness=Strictness.CPYTHON,
)
ACQUIRE_NEGATIVE_TIMEOUT_DOES_NOT_WAIT = clause(
    "Semaphore.acquire.negative-timeout-does-not-wait",
    doc="threading.Semaphore.acquire",
    quote="[CPython 3.2+: a negative timeout (including -1) is an interval that is already "
    "over: acquire returns False at once when the counter is zero]",
    since=(3, 2),
    strictness=Strictness.CPYTHON,
)
ACQUIRE_NAN_TIMEOUT_WAITS_WITHOUT_LIMIT = clause(
    "Semaphore.acquire.nan-timeout-waits-without-limit",
    doc="threading.Semaphore.acquire",
    quote="[CPython 3.2+: with a NaN timeout the remaining time is never found to be over, so "
    "acquire waits (polling) until the counter is positive]",
    since=(3, 2),
    strictness=Strictness.CPYTHON,
)
ACQUIRE_NO_TIMEOUT_BEFORE_3_2 = clause(
    "Semaphore.acquire.no-timeout-before-3.2",
    doc="threading.Semaphore.acquire",
    quote="acquire([blocking]) [2.7: the only parameter is blocking; a timeout raises TypeError]",
    until=(3, 2),
)
RELEASE_INCREMENTS_COUNTER = clause(
    "Semaphore.release.increments-counter",
    doc="threading.Semaphore.release",
    quote="Release a semaphore, incrementing the internal counter by one.",
)
RELEASE_N_INCREMENTS_BY_N = clause(
    "Semaphore.release.n-increments-by-n",
    doc="threading.Semaphore.release",
    quote="Release a semaphore, incrementing the internal counter by n. When it was zero on entry "
    "and other threads are waiting for it to become larger than zero again, wake up n of those "
    "threads.",
    since=(3, 9),
)
RELEASE_N_BELOW_ONE_RAISES = clause(
    "Semaphore.release.n-below-one-raises",
    doc="threading.Semaphore.release",
    quote="[CPython 3.9+: n < 1 raises ValueError and leaves the counter unchanged]",
    since=(3, 9),
    strictness=Strictness.CPYTHON,
)
RELEASE_NO_N_BEFORE_3_9 = clause(
    "Semaphore.release.no-n-before-3.9",
    doc="threading.Semaphore.release",
    quote="release() [before 3.9 release takes no argument; passing one raises TypeError]",
    until=(3, 9),
)
RELEASE_WAKES_ONE_WAITER_PER_UNIT = clause(
    "Semaphore.release.wakes-one-waiter-per-unit",
    doc="threading.Semaphore.acquire",
    quote="Exactly one thread will be awoken by each call to release(). The order in which "
    "threads are awoken should not be relied on.",
)
RELEASE_WAKES_LONGEST_WAITING = clause(
    "Semaphore.release.wakes-longest-waiting",
    doc="threading.Semaphore.release",
    quote="[CPython: the semaphore is a Condition; release(n) notifies the n threads that have "
    "waited longest, and a notified thread that finds the counter back at zero (another "
    "acquire took it first) waits again, behind the others]",
    strictness=Strictness.CPYTHON,
)
WITH_ACQUIRES_AND_RELEASES = clause(
    "Semaphore.with.acquires-and-releases",
    doc="threading.Semaphore",
    quote="Semaphores also support the context management protocol. [...] The acquire() method "
    "will be called when the block is entered, and release() will be called when the block is "
    "exited.",
)
CALL_BAD_ARGUMENTS_RAISE_TYPEERROR = clause(
    "Semaphore.call.bad-arguments-raise-typeerror",
    doc="threading.Semaphore",
    quote="[Python] A call with arguments that do not match the documented signature raises "
    "TypeError; an operation the object does not have raises AttributeError.",
    strictness=Strictness.CPYTHON,
)
BOUNDED_SEMAPHORE_INIT_INITIAL_VALUE_IS_THE_BOUND = clause(
    "BoundedSemaphore.init.initial-value-is-the-bound",
    doc="threading.BoundedSemaphore",
    quote="A bounded semaphore checks to make sure its current value doesn't exceed its initial "
    "value. [...] If not given, value defaults to 1.",
)
BOUNDED_SEMAPHORE_RELEASE_ABOVE_INITIAL_VALUE_RAISES = clause(
    "BoundedSemaphore.release.above-initial-value-raises",
    doc="threading.BoundedSemaphore",
    quote="A bounded semaphore checks to make sure its current value doesn't exceed its initial "
    "value. If it does, ValueError is raised. [CPython: the check comes first, so the counter "
    "is unchanged]",
)

# ---------------------------------------------------------------------------
# State
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Waiter:
    """A thread blocked in ``acquire``.

    ``timed``: its call has a timeout. ``bare``: it was called without arguments (the 2.7
    documentation then promises no return value). ``notified``: only at CPYTHON strictness, a
    release has woken it and it will now look at the counter again. ``entering``: only at
    DOCUMENTED strictness, it is blocked in ``__enter__``, whose value is not documented.
    """

    thread: ThreadId
    timed: bool
    bare: bool = False
    notified: bool = False
    entering: bool = False


@dataclass(frozen=True, slots=True)
class State:
    """``bound`` is a BoundedSemaphore's initial value, ``None`` for a plain Semaphore.

    ``waiters`` are in the order CPython's internal Condition holds them (the order they
    began to wait), which only CPYTHON strictness reads.
    """

    profile: Profile
    counter: int = 1
    bound: int | None = None
    waiters: tuple[Waiter, ...] = ()


def _integer(v: Value) -> int | None:
    """``v`` as a counter value (``bool`` is an ``int``), or ``None`` if it is not an integer."""
    if isinstance(v, bool | int):
        return int(v)
    return None


def _create(profile: Profile, c: Call, bounded: bool) -> Done[State | None]:
    names = ("value", "verbose") if profile.py2 else ("value",)
    a = bind(c, names, {"value": 1, "verbose": None})
    if a is None:
        # clause Semaphore.call.bad-arguments-raise-typeerror
        return Done(Raised("TypeError"), None, CALL_BAD_ARGUMENTS_RAISE_TYPEERROR)
    raw = a["value"]
    if is_number(raw) and raw < 0:
        # clause Semaphore.init.negative-value-raises
        return Done(Raised("ValueError"), None, INIT_NEGATIVE_VALUE_RAISES)
    value = _integer(raw)
    if value is None:
        # clause Semaphore.call.non-integer-count-raises
        return Done(Raised("TypeError"), None, CALL_NON_INTEGER_COUNT_RAISES)
    if bounded:
        # clause BoundedSemaphore.init.initial-value-is-the-bound
        at_bound = State(profile, value, bound=value)
        return Done(Returned(None), at_bound, BOUNDED_SEMAPHORE_INIT_INITIAL_VALUE_IS_THE_BOUND)
    # clause Semaphore.init.counter-starts-at-value
    return Done(Returned(None), State(profile, value), INIT_COUNTER_STARTS_AT_VALUE)


def create(profile: Profile, c: Call) -> Done[State | None]:
    """``Semaphore(value=1)`` (2.7: ``Semaphore(value=1, verbose=None)``)."""
    return _create(profile, c, bounded=False)


def create_bounded(profile: Profile, c: Call) -> Done[State | None]:
    """``BoundedSemaphore(value=1)`` (2.7: ``BoundedSemaphore(value=1, verbose=None)``)."""
    return _create(profile, c, bounded=True)


# ---------------------------------------------------------------------------
# Transitions
# ---------------------------------------------------------------------------


def _acquire_args(profile: Profile, c: Call) -> tuple[bool, Value] | None:
    """(blocking, timeout as passed or ``None``) of an acquire call; ``None`` if it raises TypeError."""
    if profile.before(3, 2):
        a = bind(c, ("blocking",), {"blocking": True})
        return None if a is None else (bool(a["blocking"]), None)
    a = bind(c, ("blocking", "timeout"), {"blocking": True, "timeout": None})
    return None if a is None else (bool(a["blocking"]), a["timeout"])


def _is_bare(c: Call) -> bool:
    return not c.args and not c.kwargs


def _success(profile: Profile, bare: bool) -> Returned:
    """What a successful acquire returns: True, except that the 2.7 documentation promises
    nothing for a call without arguments."""
    if profile.py2 and bare and not profile.cpython:
        return Returned(ANY)
    return Returned(True)


def timeout(c: Call) -> float | None:
    """The timeout of a pending ``acquire`` (``None``: it waits without limit)."""
    if c.op not in ("acquire", "__enter__"):
        return None
    t: Value = c.kw().get("timeout", c.args[1] if len(c.args) > 1 else None)
    if not is_number(t) or is_huge(t) or math.isnan(t) or t <= 0:
        return None
    return float(t)


def _block(s: State, c: Call, timed: bool, which: str) -> Blocked[State]:
    waiter = Waiter(c.thread, timed=timed, bare=_is_bare(c))
    return Blocked(replace(s, waiters=s.waiters + (waiter,)), which)


def acquire(s: State, c: Call) -> Result[State]:
    args = _acquire_args(s.profile, c)
    if args is None:
        if s.profile.before(3, 2) and ("timeout" in c.kw() or len(c.args) == 2):
            # clause Semaphore.acquire.no-timeout-before-3.2
            return Done(Raised("TypeError"), s, ACQUIRE_NO_TIMEOUT_BEFORE_3_2)
        # clause Semaphore.call.bad-arguments-raise-typeerror
        return Done(Raised("TypeError"), s, CALL_BAD_ARGUMENTS_RAISE_TYPEERROR)
    blocking, limit = args
    if not blocking and limit is not None:
        # clause Semaphore.acquire.timeout-with-nonblocking-raises
        return Done(Raised("ValueError"), s, ACQUIRE_TIMEOUT_WITH_NONBLOCKING_RAISES)
    if s.counter > 0:
        taken = replace(s, counter=s.counter - 1)
        if s.profile.py2 and _is_bare(c):
            # clause Semaphore.acquire.bare-call-return-value-2.7
            return Done(_success(s.profile, bare=True), taken, ACQUIRE_BARE_CALL_RETURN_VALUE_2_7)
        # clause Semaphore.acquire.positive-counter-decrements
        return Done(Returned(True), taken, ACQUIRE_POSITIVE_COUNTER_DECREMENTS)
    if not blocking:
        # clause Semaphore.acquire.nonblocking-returns-false
        return Done(Returned(False), s, ACQUIRE_NONBLOCKING_RETURNS_FALSE)
    if limit is None:
        # clause Semaphore.acquire.zero-counter-blocks
        return _block(s, c, timed=False, which=ACQUIRE_ZERO_COUNTER_BLOCKS)
    if not is_number(limit):
        # clause Semaphore.acquire.bad-timeout-raises-when-it-must-wait
        return Done(Raised("TypeError"), s, ACQUIRE_BAD_TIMEOUT_RAISES_WHEN_IT_MUST_WAIT)
    if is_huge(limit):
        # clause Semaphore.acquire.bad-timeout-raises-when-it-must-wait (CPython adds it to the
        # time: an int too large for a float, of either sign, raises OverflowError)
        return Done(Raised("OverflowError"), s, ACQUIRE_BAD_TIMEOUT_RAISES_WHEN_IT_MUST_WAIT)
    t = float(limit)
    if math.isnan(t):
        # clause Semaphore.acquire.nan-timeout-waits-without-limit
        return _block(s, c, timed=False, which=ACQUIRE_NAN_TIMEOUT_WAITS_WITHOUT_LIMIT)
    if t < 0:
        # clause Semaphore.acquire.negative-timeout-does-not-wait
        return Done(Returned(False), s, ACQUIRE_NEGATIVE_TIMEOUT_DOES_NOT_WAIT)
    if t == 0:
        # clause Semaphore.acquire.timeout-returns-false
        return Done(Returned(False), s, ACQUIRE_TIMEOUT_RETURNS_FALSE)
    if t > TIMEOUT_MAX:
        # clause Semaphore.acquire.bad-timeout-raises-when-it-must-wait
        return Done(Raised("OverflowError"), s, ACQUIRE_BAD_TIMEOUT_RAISES_WHEN_IT_MUST_WAIT)
    # clause Semaphore.acquire.zero-counter-blocks
    return _block(s, c, timed=True, which=ACQUIRE_ZERO_COUNTER_BLOCKS)


def _release_count(s: State, c: Call) -> int | Done[State]:
    """How much a release call adds, or the Done of a call that raises."""
    if s.profile.before(3, 9):
        if c.args or c.kwargs:
            # clause Semaphore.release.no-n-before-3.9
            return Done(Raised("TypeError"), s, RELEASE_NO_N_BEFORE_3_9)
        return 1
    a = bind(c, ("n",), {"n": 1})
    if a is None:
        # clause Semaphore.call.bad-arguments-raise-typeerror
        return Done(Raised("TypeError"), s, CALL_BAD_ARGUMENTS_RAISE_TYPEERROR)
    raw = a["n"]
    if is_number(raw) and raw < 1:
        # clause Semaphore.release.n-below-one-raises
        return Done(Raised("ValueError"), s, RELEASE_N_BELOW_ONE_RAISES)
    n = _integer(raw)
    if n is None:
        # clause Semaphore.call.non-integer-count-raises
        return Done(Raised("TypeError"), s, CALL_NON_INTEGER_COUNT_RAISES)
    return n


def _notify(waiters: tuple[Waiter, ...], n: int) -> tuple[tuple[Waiter, ...], int]:
    """Mark the ``n`` longest-waiting un-notified waiters notified; return them and how many."""
    out: list[Waiter] = []
    woken = 0
    for w in waiters:
        if not w.notified and woken < n:
            out.append(replace(w, notified=True))
            woken += 1
        else:
            out.append(w)
    return tuple(out), woken


def release(s: State, c: Call) -> Result[State]:
    n = _release_count(s, c)
    if isinstance(n, Done):
        return n
    if s.bound is not None and s.counter + n > s.bound:
        # clause BoundedSemaphore.release.above-initial-value-raises
        return Done(Raised("ValueError"), s, BOUNDED_SEMAPHORE_RELEASE_ABOVE_INITIAL_VALUE_RAISES)
    released = replace(s, counter=s.counter + n)
    if s.profile.cpython:
        waiters, woken = _notify(s.waiters, n)
        if woken:
            # clause Semaphore.release.wakes-longest-waiting
            return Done(Returned(None), replace(released, waiters=waiters), RELEASE_WAKES_LONGEST_WAITING)
    if c.args or c.kwargs:
        # clause Semaphore.release.n-increments-by-n
        return Done(Returned(None), released, RELEASE_N_INCREMENTS_BY_N)
    # clause Semaphore.release.increments-counter
    return Done(Returned(None), released, RELEASE_INCREMENTS_COUNTER)


def enter(s: State, c: Call) -> Result[State]:
    """``__enter__`` is ``acquire`` itself (it takes the same arguments)."""
    r = acquire(s, Call(c.thread, "acquire", c.args, c.kwargs))
    if isinstance(r, Blocked):
        after = r.state
        if not s.profile.cpython:  # once woken it returns __enter__'s value, not acquire's
            after = replace(after, waiters=after.waiters[:-1] + (replace(after.waiters[-1], entering=True),))
        # clause Semaphore.with.acquires-and-releases
        return Blocked(after, WITH_ACQUIRES_AND_RELEASES)
    if isinstance(r.outcome, Returned):
        # clause Semaphore.with.acquires-and-releases
        # (the documentation does not say what __enter__ returns: CPython, acquire's True)
        return Done(lockstep.entered(s.profile, r.outcome), r.state, WITH_ACQUIRES_AND_RELEASES)
    return r


def exit_(s: State, c: Call) -> Result[State]:
    a = bind(c, ("t", "v", "tb"), {})
    if a is None or any(v is MISSING for v in a.values()):
        # clause Semaphore.call.bad-arguments-raise-typeerror
        return Done(Raised("TypeError"), s, CALL_BAD_ARGUMENTS_RAISE_TYPEERROR)
    r = release(s, Call(c.thread, "release"))
    if isinstance(r, Done) and isinstance(r.outcome, Returned):
        # clause Semaphore.with.acquires-and-releases
        return Done(lockstep.exited(s.profile), r.state, WITH_ACQUIRES_AND_RELEASES)
    return r


TRANSITIONS = {
    "acquire": acquire,
    "release": release,
    "__enter__": enter,
    "__exit__": exit_,
}


def ops(profile: Profile) -> tuple[str, ...]:
    return tuple(TRANSITIONS)


def invoke(s: State, c: Call) -> Result[State]:
    return dispatch(s, c, TRANSITIONS, ops(s.profile), CALL_BAD_ARGUMENTS_RAISE_TYPEERROR)


# ---------------------------------------------------------------------------
# Internal steps
# ---------------------------------------------------------------------------


def _without(waiters: tuple[Waiter, ...], i: int) -> tuple[Waiter, ...]:
    return waiters[:i] + waiters[i + 1 :]


def wakeups(s: State) -> Iterator[Step[State]]:
    """Documented: while the counter is positive, any one waiter may take a unit.

    CPython: only notified waiters run; one that finds the counter positive takes a unit,
    one that finds it zero (an arriving acquire took it first) waits again at the back.
    """
    if s.profile.cpython:
        for i, w in enumerate(s.waiters):
            if not w.notified:
                continue
            rest = _without(s.waiters, i)
            if s.counter > 0:
                taken = replace(s, counter=s.counter - 1, waiters=rest)
                # clause Semaphore.release.wakes-one-waiter-per-unit
                yield Step(w.thread, _success(s.profile, w.bare), taken, RELEASE_WAKES_ONE_WAITER_PER_UNIT)
            else:
                again = replace(w, notified=False)
                # clause Semaphore.release.wakes-longest-waiting
                yield Step(w.thread, None, replace(s, waiters=rest + (again,)), RELEASE_WAKES_LONGEST_WAITING)
        return
    if s.counter == 0:
        return
    for i, w in enumerate(s.waiters):
        taken = replace(s, counter=s.counter - 1, waiters=_without(s.waiters, i))
        took = _success(s.profile, w.bare)
        # clause Semaphore.release.wakes-one-waiter-per-unit
        yield Step(w.thread, lockstep.entered(s.profile, took) if w.entering else took, taken,
                   RELEASE_WAKES_ONE_WAITER_PER_UNIT)


def expiries(s: State) -> Iterator[Step[State]]:
    """A waiter with a timeout may give up and return False.

    CPython decides under its internal lock: a waiter whose time is up takes a unit if the
    counter is positive (returning True) and returns False only while it is zero.
    """
    for i, w in enumerate(s.waiters):
        if not w.timed:
            continue
        rest = _without(s.waiters, i)
        if s.profile.cpython and s.counter > 0:
            if not w.notified:  # a notified waiter's wakeup gives the same result
                taken = replace(s, counter=s.counter - 1, waiters=rest)
                # clause Semaphore.acquire.timeout-returns-false
                yield Step(w.thread, Returned(True), taken, ACQUIRE_TIMEOUT_RETURNS_FALSE)
            continue
        # clause Semaphore.acquire.timeout-returns-false
        yield Step(w.thread, Returned(False), replace(s, waiters=rest), ACQUIRE_TIMEOUT_RETURNS_FALSE)


# ---------------------------------------------------------------------------
# Invariants
# ---------------------------------------------------------------------------


def inv_counter_nonnegative(s: State) -> bool:
    """The counter can never go below zero."""
    return s.counter >= 0


def inv_bounded_counter_at_most_initial(s: State) -> bool:
    """A bounded semaphore's counter never exceeds its initial value."""
    return s.bound is None or s.counter <= s.bound


def inv_waiters_distinct(s: State) -> bool:
    """A thread has at most one pending call."""
    return len({w.thread for w in s.waiters}) == len(s.waiters)


def inv_no_stranded_waiter(s: State) -> bool:
    """No thread waits while the counter is positive unless a wakeup is enabled."""
    return s.counter == 0 or not s.waiters or any(True for _ in wakeups(s))


def inv_counter_earmarked_for_notified(s: State) -> bool:
    """CPython: while some waiter is not notified, every unit of the counter has a notified
    waiter on its way to take it (so none is lost)."""
    if not s.profile.cpython:
        return True
    notified = sum(w.notified for w in s.waiters)
    return all(w.notified for w in s.waiters) or s.counter <= notified


def inv_notified_only_at_cpython(s: State) -> bool:
    """The documented reading never tracks notifications."""
    return s.profile.cpython or not any(w.notified for w in s.waiters)


def inv_timeouts_only_since_32(s: State) -> bool:
    """Before 3.2 no acquire has a timeout."""
    return s.profile.since(3, 2) or not any(w.timed for w in s.waiters)


INVARIANTS = (
    inv_counter_nonnegative,
    inv_bounded_counter_at_most_initial,
    inv_waiters_distinct,
    inv_no_stranded_waiter,
    inv_counter_earmarked_for_notified,
    inv_notified_only_at_cpython,
    inv_timeouts_only_since_32,
)

AMBIGUITIES = (
    Ambiguity(
        topic="which waiter proceeds",
        text="Exactly one thread will be awoken by each call to release(). The order in which "
        "threads are awoken should not be relied on.",
        reading="Documented: while the counter is positive any waiter may take a unit. CPython: "
        "release notifies the longest-waiting waiters of its internal Condition (FIFO); among "
        "several notified waiters the OS decides who runs first.",
        readings=(
            Reading(
                'release notifies the longest-waiting waiters of its internal Condition (FIFO); among '
                'several notified waiters the OS decides who runs first.',
                Strictness.CPYTHON,
            ),
            Reading(
                'while the counter is positive any waiter may take a unit.',
                Strictness.DOCUMENTED,
            ),
        ),
    ),
    Ambiguity(
        topic="arriving acquire versus woken waiter",
        text="If the internal counter is larger than zero on entry, decrement it by one and return "
        "True immediately.",
        reading="Both levels: an acquire that finds the counter positive takes it, even while "
        "woken waiters have not yet run. CPython: such a waiter then waits again, at the back.",
        readings=(
            Reading(
                'an acquire that finds the counter positive takes it, even while woken waiters have not yet'
                ' run; such a waiter then waits again, at the back.',
                Strictness.CPYTHON,
            ),
            Reading(
                'an acquire that finds the counter positive takes it, even while woken waiters have not yet'
                ' run.',
                Strictness.DOCUMENTED,
            ),
        ),
    ),
    Ambiguity(
        topic="one per release, or n",
        text="acquire: 'Exactly one thread will be awoken by each call to release()'; release(n): "
        "'wake up n of those threads' (python/cpython#141196 notes the two disagree).",
        reading="release(n) lets up to min(n, number of waiters) waiters through: one per unit.",
    ),
    Ambiguity(
        topic="'when it was zero on entry'",
        text="When it was zero on entry and other threads are waiting for it to become larger "
        "than zero again, wake up n of those threads.",
        reading="Waiters only wait while the counter is zero, so the condition always holds when "
        "a release finds un-woken waiters; CPython notifies on every release.",
    ),
    Ambiguity(
        topic="timeout with blocking=False",
        text="When invoked with a timeout other than None, it will block for at most timeout "
        "seconds.",
        reading="The Semaphore documentation does not forbid it (Lock's does); CPython raises "
        "ValueError for any timeout other than None, -1 included, and the spec follows it.",
    ),
    Ambiguity(
        topic="zero, negative, NaN and huge timeouts",
        text="it will block for at most timeout seconds",
        reading="Zero or negative: acquire returns False at once if the counter is zero. NaN: "
        "CPython waits without limit. Above TIMEOUT_MAX: OverflowError. A timeout that is not a "
        "number: TypeError. All of these only when the counter is zero; on a positive counter "
        "the timeout is never looked at.",
    ),
    Ambiguity(
        topic="non-integer counter values",
        text="The optional argument gives the initial value for the internal counter",
        reading="The spec's counter is an int (bool counts as one). CPython accepts a float "
        "value or n (Semaphore(1.5) never blocks again; release(1.5) adds 1.5, and in 3.9-3.11 "
        "then raises TypeError), and 2.7 accepts strings because of Python 2's mixed-type "
        "ordering (and raises ValueError for None). The spec answers TypeError for all of them "
        "(in 2.7 too, where no clause applies); no scenario or alphabet uses them.",
    ),
    Ambiguity(
        topic="over-release of a BoundedSemaphore",
        text="If it does, ValueError is raised.",
        reading="The release is refused: ValueError, the counter unchanged and nobody woken. "
        "release(n) is refused as a whole when counter + n exceeds the initial value.",
    ),
    Ambiguity(
        topic="return value in 2.7",
        text="There is no return value in this case.",
        reading="2.7, documented: acquire() without arguments may return anything. CPython 2.7 "
        "returns True (and False for a failed non-blocking acquire), as 3.x does.",
        readings=(
            Reading(
                'acquire() returns True (False for a failed non-blocking acquire), as 3.x does.',
                Strictness.CPYTHON, (2, 7), (3, 0),
            ),
            Reading(
                'acquire() without arguments may return anything.',
                Strictness.DOCUMENTED, (2, 7), (3, 0),
            ),
            Reading(
                'not ambiguous in 3.x: acquire() returns True, False for a failed non-blocking or timed-out'
                ' acquire.',
                None, (3, 0),
            ),
        ),
    ),
)

SEMAPHORE: PrimitiveSpec[State] = PrimitiveSpec(
    PRIMITIVE, create, invoke, wakeups, expiries, INVARIANTS, timeout, ops, AMBIGUITIES
)
BOUNDED: PrimitiveSpec[State] = replace(SEMAPHORE, name=BOUNDED_PRIMITIVE, create=create_bounded)
SPEC = SEMAPHORE
SPECS = (SEMAPHORE, BOUNDED)
