"""Condition: a condition variable bound to an underlying Lock or RLock.

The documentation promises: ``acquire``, ``release`` and ``with`` are the underlying
lock's; ``wait`` releases the lock (every recursion level of an RLock), sleeps until a
``notify``/``notify_all`` wakes it or its timeout passes, and re-acquires the lock
(restoring the level) before it returns; ``notify(n)`` wakes at most ``n`` waiting
threads; ``wait``/``notify`` by a thread that has not acquired the lock raise
``RuntimeError``. The underlying lock is modelled inside the Condition's state.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import TypeVar

from spec import condition_lock
from spec.clauses import Ambiguity, Reading, clause
from spec.condition_arguments import Limit, notify_count, timeout, wait_limit
from spec.condition_lock import CALL_BAD_ARGUMENTS_RAISE_TYPEERROR, Ownership, ownership
from spec.core import Blocked, Done, PrimitiveSpec, Result, Step, dispatch
from spec.lockstep import Acquirer, LockKind
from spec.profiles import Profile, Strictness
from spec.values import ENV, MISSING, Call, Gate, New, Outcome, Raised, Returned, ThreadId, Value, bind

PRIMITIVE = "Condition"

PYTHON_RLOCK = "_PyRLock"
"""CPython's Python RLock class, accepted as ``New(PYTHON_RLOCK)``: it reaches that class's
``_is_owned``, ``_release_save`` and ``_acquire_restore``, which only a Condition calls."""

# ---------------------------------------------------------------------------
# Clauses
# ---------------------------------------------------------------------------

INIT_DEFAULT_CREATES_RLOCK = clause(
    "Condition.init.default-creates-rlock",
    doc="threading.Condition",
    quote="If the lock argument is given and not None, it must be a Lock or RLock object, and it is "
    "used as the underlying lock. Otherwise, a new RLock object is created and used as the "
    "underlying lock.",
)
INIT_USES_GIVEN_LOCK = clause(
    "Condition.init.uses-given-lock",
    doc="threading.Condition",
    quote="If the lock argument is given and not None, it must be a Lock or RLock object, and it is "
    "used as the underlying lock.",
)
INIT_BAD_ARGUMENTS_RAISE = clause(
    "Condition.init.bad-arguments-raise",
    doc="threading.Condition",
    quote="class threading.Condition(lock=None) [Python: other arguments raise TypeError (2.7 also "
    "takes a verbose argument); CPython: a lock argument without an acquire attribute raises "
    "AttributeError, and 2.7's module has no _PyRLock to pass. The documentation names no "
    "exception for a lock that is not a Lock or RLock]",
    strictness=Strictness.CPYTHON,
)
WAIT_UNOWNED_RAISES = clause(
    "Condition.wait.unowned-raises",
    doc="threading.Condition.wait",
    quote="If the calling thread has not acquired the lock when this method is called, a "
    "RuntimeError is raised.",
)
OWNERSHIP_PLAIN_LOCK_HELD_BY_ANYONE_COUNTS = clause(
    "Condition.ownership.plain-lock-held-by-anyone-counts",
    doc="threading.Condition.wait",
    quote="[CPython: a plain Lock has no owner, so wait(), wait_for() and notify() only check that "
    "the lock is locked; a thread that did not acquire it proceeds, and wait() releases it]",
    strictness=Strictness.CPYTHON,
)
WAIT_RELEASES_LOCK_AND_BLOCKS = clause(
    "Condition.wait.releases-lock-and-blocks",
    doc="threading.Condition.wait",
    quote="This method releases the underlying lock, and then blocks until it is awakened by a "
    "notify() or notify_all() call for the same condition variable in another thread, or until the "
    "optional timeout occurs.",
)
WAIT_RLOCK_RELEASES_ALL_LEVELS = clause(
    "Condition.wait.rlock-releases-all-levels",
    doc="threading.Condition.wait",
    quote="When the underlying lock is an RLock, it is not released using its release() method, "
    "since this may not actually unlock the lock when it was acquired multiple times recursively. "
    "Instead, an internal interface of the RLock class is used, which really unlocks it even when "
    "it has been recursively acquired several times. Another internal interface is then used to "
    "restore the recursion level when the lock is reacquired.",
)
WAIT_NONPOSITIVE_TIMEOUT_DOES_NOT_SLEEP = clause(
    "Condition.wait.nonpositive-timeout-does-not-sleep",
    doc="threading.Condition.wait",
    quote="When the timeout argument is present and not None, it should be a floating point number "
    "specifying a timeout for the operation in seconds. [CPython: a timeout <= 0 (3.x: or NaN) "
    "still releases and re-acquires the lock, but expires at once]",
)
WAIT_PYTHON_2_7_TIMEOUT_READING = clause(
    "Condition.wait.python-2.7-timeout-reading",
    doc="threading.Condition.wait",
    quote="wait([timeout]) [CPython 2.7: a Python method, so the timeout may be passed by keyword, "
    "and a polling loop against time() + timeout, so a NaN or infinite timeout never expires; the "
    "documentation names no keyword and gives a timeout in seconds]",
    until=(3, 0),
    strictness=Strictness.CPYTHON,
)
WAIT_TIMEOUT_EXPIRES = clause(
    "Condition.wait.timeout-expires",
    doc="threading.Condition.wait",
    quote="...blocks until it is awakened by a notify() or notify_all() call for the same condition "
    "variable in another thread, or until the optional timeout occurs. Once awakened or timed out, "
    "it re-acquires the lock and returns.",
)
WAIT_RETURNS_TRUE_WHEN_NOTIFIED = clause(
    "Condition.wait.returns-true-when-notified",
    doc="threading.Condition.wait",
    quote="Once awakened or timed out, it re-acquires the lock and returns. The return value is True "
    "unless a given timeout expired, in which case it is False.",
    since=(3, 2),
)
WAIT_RETURNS_FALSE_AFTER_TIMEOUT = clause(
    "Condition.wait.returns-false-after-timeout",
    doc="threading.Condition.wait",
    quote="The return value is True unless a given timeout expired, in which case it is False.",
    since=(3, 2),
)
WAIT_RETURNS_NONE_IN_2_7 = clause(
    "Condition.wait.returns-none-in-2.7",
    doc="threading.Condition.wait",
    quote="Once awakened or timed out, it re-acquires the lock and returns. [Changed in 3.2: "
    "previously, the method always returned None]",
    until=(3, 2),
)
WAIT_BAD_TIMEOUT_RAISES_AFTER_REACQUIRING = clause(
    "Condition.wait.bad-timeout-raises-after-reacquiring",
    doc="threading.Condition.wait",
    quote="When the timeout argument is present and not None, it should be a floating point number. "
    "[CPython: a non-number raises TypeError and (3.x) one above TIMEOUT_MAX raises OverflowError, "
    "after the lock was released and re-acquired]",
)
WAIT_BAD_TIMEOUT_LEAVES_STALE_ENTRY = clause(
    "Condition.wait.bad-timeout-leaves-stale-entry",
    doc="threading.Condition.wait",
    quote="[CPython 2.7: wait() with a non-number timeout raises TypeError but leaves its entry in "
    "the waiters list; a later notify() spends a wakeup on it]",
    until=(3, 0),
    strictness=Strictness.CPYTHON,
)
NOTIFY_UNOWNED_RAISES = clause(
    "Condition.notify.unowned-raises",
    doc="threading.Condition.notify",
    quote="If the calling thread has not acquired the lock when this method is called, a "
    "RuntimeError is raised.",
)
NOTIFY_NO_OP_WITHOUT_WAITERS = clause(
    "Condition.notify.no-op-without-waiters",
    doc="threading.Condition.notify",
    quote="This method wakes up at most n of the threads waiting for the condition variable; it is a "
    "no-op if no threads are waiting.",
)
NOTIFY_WAKES_AT_MOST_N = clause(
    "Condition.notify.wakes-at-most-n",
    doc="threading.Condition.notify",
    quote="By default, wake up one thread waiting on this condition, if any. This method wakes up at "
    "most n of the threads waiting for the condition variable.",
)
NOTIFY_WAKES_EXACTLY_N_IN_FIFO_ORDER = clause(
    "Condition.notify.wakes-exactly-n-in-fifo-order",
    doc="threading.Condition.notify",
    quote="The current implementation wakes up exactly n threads, if at least n threads are waiting. "
    "[CPython: the n threads that began waiting first, including timed-out waiters that have not "
    "yet re-acquired the lock]",
    strictness=Strictness.CPYTHON,
)
NOTIFY_MAY_WAKE_MORE_THAN_N = clause(
    "Condition.notify.may-wake-more-than-n",
    doc="threading.Condition.notify",
    quote="The current implementation wakes up exactly n threads, if at least n threads are waiting. "
    "However, it's not safe to rely on this behavior. A future, optimized implementation may "
    "occasionally wake up more than n threads. [documented strictness only: a notification handed "
    "out may also wake one more of the threads that were waiting when notify() was called]",
    strictness=Strictness.DOCUMENTED,
    strictness_only=True,
)
NOTIFY_N_BELOW_ONE_WAKES_NONE = clause(
    "Condition.notify.n-below-one-wakes-none",
    doc="threading.Condition.notify",
    quote="This method wakes up at most n of the threads waiting for the condition variable. "
    "[CPython: n = 0 wakes none; 3.9+: so does any n <= 0]",
)
NOTIFY_NEGATIVE_N_SPARES_LAST_WAITERS = clause(
    "Condition.notify.negative-n-spares-last-waiters",
    doc="threading.Condition.notify",
    quote="[CPython 2.7: notify(n) wakes waiters[:n], so a negative n wakes all but the last -n "
    "waiters]",
    until=(3, 0),
    strictness=Strictness.CPYTHON,
)
NOTIFY_BAD_N_RAISES = clause(
    "Condition.notify.bad-n-raises",
    doc="threading.Condition.notify",
    quote="notify(n=1) [CPython: 2.7 raises TypeError for an n that is not an integer or None; "
    "3.6-3.8 raise ValueError unless n is None or 0 <= n <= sys.maxsize; 3.9+ raise TypeError for "
    "a non-number n, but only if a thread is waiting]",
    strictness=Strictness.CPYTHON,
)
NOTIFY_ALL_WAKES_ALL_WAITERS = clause(
    "Condition.notify_all.wakes-all-waiters",
    doc="threading.Condition.notify_all",
    quote="Wake up all threads waiting on this condition. This method acts like notify(), but wakes "
    "up all waiting threads instead of one.",
)
NOTIFY_ALL_UNOWNED_RAISES = clause(
    "Condition.notify_all.unowned-raises",
    doc="threading.Condition.notify_all",
    quote="If the calling thread has not acquired the lock when this method is called, a "
    "RuntimeError is raised.",
)
NOTIFYALL_ALIAS_OF_NOTIFY_ALL = clause(
    "Condition.notifyAll.alias-of-notify_all",
    doc="threading.Condition.notify_all",
    quote="notify_all() / notifyAll() [Changed in 2.6: added the notify_all() spelling]",
    until=(3, 10),
)
NOTIFYALL_DEPRECATED_ALIAS_WARNS = clause(
    "Condition.notifyAll.deprecated-alias-warns",
    doc="threading.Condition.notify_all",
    quote="The method notifyAll is a deprecated alias for this method. [3.10+: calling it emits "
    "DeprecationWarning]",
    since=(3, 10),
)
WAIT_FOR_NON_CALLABLE_PREDICATE_RAISES = clause(
    "Condition.wait_for.non-callable-predicate-raises",
    doc="threading.Condition.wait_for",
    quote="predicate should be a callable which result will be interpreted as a boolean value. "
    "[Python: calling a non-callable raises TypeError, before the lock is checked]",
    since=(3, 2),
)
WAIT_FOR_EVALUATES_PREDICATE_FIRST = clause(
    "Condition.wait_for.evaluates-predicate-first",
    doc="threading.Condition.wait_for",
    quote="Ignoring the timeout feature, calling this method is roughly equivalent to writing: "
    "while not predicate(): cv.wait()",
    since=(3, 2),
)
WAIT_FOR_PREDICATE_EXCEPTION_PROPAGATES = clause(
    "Condition.wait_for.predicate-exception-propagates",
    doc="threading.Condition.wait_for",
    quote="while not predicate(): cv.wait() [Python: an exception raised by the predicate "
    "propagates out of wait_for(), with the lock held as it was]",
    since=(3, 2),
)
WAIT_FOR_WAITS_WHILE_PREDICATE_FALSE = clause(
    "Condition.wait_for.waits-while-predicate-false",
    doc="threading.Condition.wait_for",
    quote="This utility method may call wait() repeatedly until the predicate is satisfied, or until "
    "a timeout occurs. Therefore, the same rules apply as with wait(): The lock must be held when "
    "called and is re-acquired on return.",
    since=(3, 2),
)
WAIT_FOR_RECHECKS_AFTER_WAKEUP = clause(
    "Condition.wait_for.rechecks-after-wakeup",
    doc="threading.Condition.wait_for",
    quote="This utility method may call wait() repeatedly until the predicate is satisfied, or until "
    "a timeout occurs. The predicate is evaluated with the lock held.",
    since=(3, 2),
)
WAIT_FOR_TIMEOUT_RETURNS_LAST_PREDICATE_VALUE = clause(
    "Condition.wait_for.timeout-returns-last-predicate-value",
    doc="threading.Condition.wait_for",
    quote="The return value is the last return value of the predicate and will evaluate to False if "
    "the method timed out.",
    since=(3, 2),
)
WAIT_FOR_BAD_TIMEOUT_RAISES = clause(
    "Condition.wait_for.bad-timeout-raises",
    doc="threading.Condition.wait_for",
    quote="A timeout may be provided giving the maximum time to wait. [CPython: a non-number raises "
    "TypeError once the predicate was false, without releasing the lock; one above TIMEOUT_MAX "
    "raises OverflowError after the lock was released and re-acquired]",
    since=(3, 2),
)
WAIT_FOR_GATE_PREDICATE_RETURNS = clause(
    "Condition.wait_for.gate-predicate-returns",
    doc="threading.Condition.wait_for",
    quote="[checker: the environment makes a predicate function return None (a false value) or "
    "raise; once it has returned it returns at once on every later call]",
    since=(3, 2),
)

# ---------------------------------------------------------------------------
# State
# ---------------------------------------------------------------------------


class WaitStage(enum.Enum):
    """Where a thread inside ``wait`` is."""

    WAITING = "waiting to be notified"
    REACQUIRING = "woken or timed out, re-acquiring the lock"


@dataclass(frozen=True, slots=True)
class Sleeper:
    """A thread inside ``wait`` (or the ``wait`` of a ``wait_for``, then ``gate`` is its
    predicate). ``level`` is the recursion level it gave up and will restore; ``notified``
    says whether a notification (rather than its timeout) woke it."""

    thread: ThreadId
    stage: WaitStage
    limit: Limit
    level: int = 1
    notified: bool = False
    gate: int | None = None


@dataclass(frozen=True, slots=True)
class Owed:
    """(DOCUMENTED) ``count`` notifications not yet handed out, each to one of the first
    ``among`` entries of the queue."""

    count: int
    among: int


STALE = None
"""A queue entry left by CPython 2.7's ``wait`` with a non-number timeout: no thread waits on it."""


@dataclass(frozen=True, slots=True)
class State:
    """The Condition and its underlying lock.

    ``owner``/``level``: who holds the lock (for a plain Lock: the thread that acquired it)
    and the recursion level (0: unlocked; a plain Lock's is at most 1). ``queue``: the
    threads a ``notify`` can reach, in the order they began waiting. ``in_predicate``:
    ``wait_for`` calls blocked in their predicate; ``undecided``: (DOCUMENTED) calls by a
    thread that did not acquire a locked plain Lock, whose outcome the docs leave open.
    ``gates``: predicate gates the environment opened, with the exception they raise.
    ``python_rlock``: the lock is CPython's Python RLock class (``threading._PyRLock``), whose
    ``_is_owned``/``_release_save``/``_acquire_restore`` the Condition then uses.
    """

    profile: Profile
    kind: LockKind = LockKind.RLOCK
    owner: ThreadId | None = None
    level: int = 0
    acquirers: tuple[Acquirer, ...] = ()
    sleepers: tuple[Sleeper, ...] = ()
    queue: tuple[ThreadId | None, ...] = ()
    owed: tuple[Owed, ...] = ()
    in_predicate: tuple[Call, ...] = ()
    undecided: tuple[Call, ...] = ()
    gates: tuple[tuple[int, str | None], ...] = ()
    python_rlock: bool = False

    @property
    def locked(self) -> bool:
        return self.level > 0

    def sleeper(self, thread: ThreadId) -> Sleeper | None:
        return next((w for w in self.sleepers if w.thread == thread), None)


ByThread = TypeVar("ByThread", Sleeper, Call)


def create(profile: Profile, c: Call) -> Done[State | None]:
    """``Condition(lock=None)``.

    Raises:
      ValueError: the lock argument is a fresh object other than a Lock or RLock (outside the spec).
    """
    names = ("lock", "verbose") if profile.py2 else ("lock",)
    a = bind(c, names, {"lock": None, "verbose": None})
    if a is None:
        # clause Condition.init.bad-arguments-raise  [the TypeError is Python's: it belongs to
        # Condition.call.bad-arguments-raise-typeerror, which tests/spec pins otherwise]
        return Done(Raised("TypeError"), None, INIT_BAD_ARGUMENTS_RAISE)
    lock = a["lock"]
    kind = "RLock" if lock is None else lock.kind if isinstance(lock, New) else None
    verbose = len(c.args) > 1 or "verbose" in c.kw()
    if profile.py2 and not profile.cpython and verbose and kind in ("Lock", "RLock"):
        # clause Condition.init.bad-arguments-raise  [2.7's undocumented verbose argument: the run
        # is CPython's, not judged at documented strictness]
        return Done(Returned(None), State(profile, LockKind(kind)), INIT_BAD_ARGUMENTS_RAISE)
    if lock is None:
        # clause Condition.init.default-creates-rlock
        return Done(Returned(None), State(profile, LockKind.RLOCK), INIT_DEFAULT_CREATES_RLOCK)
    if isinstance(lock, New):
        if lock.args or lock.kind not in ("Lock", "RLock", PYTHON_RLOCK):
            raise ValueError(f"Condition over {lock!r} is outside the spec (only Lock and RLock)")
        if lock.kind == PYTHON_RLOCK:
            if profile.py2:
                # clause Condition.init.bad-arguments-raise  [2.7's module has no _PyRLock]
                return Done(Raised("AttributeError"), None, INIT_BAD_ARGUMENTS_RAISE)
            # clause Condition.init.uses-given-lock  [CPython's Python RLock class]
            python_rlock = State(profile, LockKind.RLOCK, python_rlock=True)
            return Done(Returned(None), python_rlock, INIT_USES_GIVEN_LOCK)
        # clause Condition.init.uses-given-lock
        return Done(Returned(None), State(profile, LockKind(lock.kind)), INIT_USES_GIVEN_LOCK)
    # clause Condition.init.bad-arguments-raise  [CPython: no acquire attribute]
    return Done(Raised("AttributeError"), None, INIT_BAD_ARGUMENTS_RAISE)


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def _by_thread(xs: tuple[ByThread, ...]) -> tuple[ByThread, ...]:
    return tuple(sorted(xs, key=lambda x: x.thread))


def _without_sleeper(s: State, t: ThreadId) -> tuple[Sleeper, ...]:
    return tuple(w for w in s.sleepers if w.thread != t)


def _with_sleeper(sleepers: tuple[Sleeper, ...], w: Sleeper) -> tuple[Sleeper, ...]:
    return _by_thread(sleepers + (w,))


def _gate(s: State, gate: int) -> tuple[bool, str | None]:
    """(has the environment opened ``gate``, the exception it raises)."""
    for g, exc in s.gates:
        if g == gate:
            return True, exc
    return False, None


def in_wait(
    profile: Profile, thread: ThreadId, timeout: Value, level: int, *, notified: bool, awake: bool
) -> Sleeper:
    """A thread inside ``wait(timeout)``, as an implementation knows it: the recursion ``level``
    it saved, whether a notification woke it, and whether it is awake (woken or timed out,
    taking the lock back). ``wait_for``'s predicates are not modelled (no gate)."""
    stage = WaitStage.REACQUIRING if awake or notified else WaitStage.WAITING
    return Sleeper(thread, stage, wait_limit(profile, timeout), level, notified)


def _begin_wait(s: State, t: ThreadId, limit: Limit, gate: int | None) -> State:
    """``t`` joins the queue and releases the lock completely (saving its level)."""
    level = s.level if s.kind is LockKind.RLOCK else 1
    stage = WaitStage.REACQUIRING if limit in (Limit.TOO_LARGE, Limit.WRONG_TYPE) else WaitStage.WAITING
    w = Sleeper(t, stage, limit, level, gate=gate)
    return replace(
        s, owner=None, level=0, sleepers=_with_sleeper(s.sleepers, w), queue=s.queue + (t,)
    )


def _wake(s: State, i: int) -> State:
    """Hand a notification to queue entry ``i``: it leaves the queue; a sleeping thread is woken,
    a timed-out or failing one (still queued) spends it without effect."""
    entry = s.queue[i]
    queue = s.queue[:i] + s.queue[i + 1 :]
    if entry is STALE:
        return replace(s, queue=queue)
    w = s.sleeper(entry)
    assert w is not None, f"queue entry t{entry} has no sleeper"
    if w.stage is WaitStage.WAITING:
        w = replace(w, stage=WaitStage.REACQUIRING, notified=True)
    return replace(s, queue=queue, sleepers=_with_sleeper(_without_sleeper(s, entry), w))


def _settle(s: State) -> State:
    """(DOCUMENTED) Hand out the oldest owed notifications wherever no choice is left: none
    owed, as many owed as candidates, or only stale entries (which are all alike) to choose."""
    while s.owed:
        first, rest = s.owed[0], s.owed[1:]
        if first.count == 0:
            s = replace(s, owed=rest)
            continue
        if first.count == first.among:
            for _ in range(first.among):
                s = _wake(s, 0)
        elif all(e is STALE for e in s.queue[: first.among]):
            for _ in range(first.count):
                s = _wake(s, 0)
        else:
            break
        s = replace(s, owed=tuple(Owed(o.count, o.among - first.count) for o in rest))
    return s


def _notify(s: State, count: int) -> State:
    """Hand out ``count`` notifications: CPython, to the first ``count`` queue entries; the
    documented reading, to any ``count`` of them (chosen by internal steps)."""
    if count == 0:
        return s
    if s.profile.cpython:
        for _ in range(count):
            s = _wake(s, 0)
        return s
    return _settle(replace(s, owed=s.owed + (Owed(count, len(s.queue)),)))


def _available(s: State) -> int:
    """Queue entries not already promised a notification."""
    return len(s.queue) - sum(o.count for o in s.owed)


def _undecide(s: State, c: Call) -> State:
    return replace(s, undecided=_by_thread(s.undecided + (c,)))


# ---------------------------------------------------------------------------
# Transitions
# ---------------------------------------------------------------------------


def wait(s: State, c: Call, assume_owner: bool = False) -> Result[State]:
    a = bind(c, ("timeout",), {"timeout": None})
    if a is None:
        # clause Condition.call.bad-arguments-raise-typeerror
        return Done(Raised("TypeError"), s, CALL_BAD_ARGUMENTS_RAISE_TYPEERROR)
    own = Ownership.OWNED if assume_owner else ownership(s, c.thread)
    if own is Ownership.NOT_OWNED:
        # clause Condition.wait.unowned-raises
        return Done(Raised("RuntimeError"), s, WAIT_UNOWNED_RAISES)
    cpythons_reading = _python_2_7_reading(s.profile, c, a["timeout"])
    if own is Ownership.UNDECIDED:
        # clause Condition.wait.unowned-raises  [documented reading: raises, or proceeds like CPython]
        # (clause Condition.wait.python-2.7-timeout-reading where it would proceed like CPython 2.7)
        which = WAIT_PYTHON_2_7_TIMEOUT_READING if cpythons_reading else WAIT_UNOWNED_RAISES
        return Blocked(_undecide(s, c), which)
    limit = wait_limit(s.profile, a["timeout"])
    after = _begin_wait(s, c.thread, limit, None)
    if cpythons_reading:
        # clause Condition.wait.python-2.7-timeout-reading
        return Blocked(after, WAIT_PYTHON_2_7_TIMEOUT_READING)
    if own is Ownership.HEURISTIC:
        # clause Condition.ownership.plain-lock-held-by-anyone-counts
        return Blocked(after, OWNERSHIP_PLAIN_LOCK_HELD_BY_ANYONE_COUNTS)
    if limit in (Limit.TOO_LARGE, Limit.WRONG_TYPE):
        # clause Condition.wait.bad-timeout-raises-after-reacquiring
        return Blocked(after, WAIT_BAD_TIMEOUT_RAISES_AFTER_REACQUIRING)
    if limit is Limit.NOW:
        # clause Condition.wait.nonpositive-timeout-does-not-sleep
        return Blocked(after, WAIT_NONPOSITIVE_TIMEOUT_DOES_NOT_SLEEP)
    if s.level > 1:
        # clause Condition.wait.rlock-releases-all-levels
        return Blocked(after, WAIT_RLOCK_RELEASES_ALL_LEVELS)
    # clause Condition.wait.releases-lock-and-blocks
    return Blocked(after, WAIT_RELEASES_LOCK_AND_BLOCKS)


def _python_2_7_reading(profile: Profile, c: Call, timeout: Value) -> bool:
    """In 2.7, does this ``wait`` rely on what only CPython's Python method gives: a timeout
    passed by keyword, or a NaN or infinite one? (At documented strictness such a run is not
    judged; at CPython's the outcome is CPython's as before, under this clause.)"""
    if not profile.py2:
        return False
    endless = isinstance(timeout, float) and (math.isnan(timeout) or math.isinf(timeout))
    return "timeout" in c.kw() or endless


def wait_for(s: State, c: Call, assume_owner: bool = False, fresh: bool = True) -> Result[State]:
    """``fresh``: the call has not yet called its predicate (nor decided to)."""
    a = bind(c, ("predicate", "timeout"), {"timeout": None})
    if a is None or a["predicate"] is MISSING:
        # clause Condition.call.bad-arguments-raise-typeerror
        return Done(Raised("TypeError"), s, CALL_BAD_ARGUMENTS_RAISE_TYPEERROR)
    predicate = a["predicate"]
    # (DOCUMENTED) "the same rules apply as with wait(): the lock must be held when called": a
    # thread that does not hold it may get wait()'s RuntimeError before its predicate is called
    unowned = fresh and not assume_owner and not s.profile.cpython
    unowned = unowned and ownership(s, c.thread) is Ownership.NOT_OWNED
    if not isinstance(predicate, Gate):
        # clause Condition.wait_for.non-callable-predicate-raises  [documented, unowned: or RuntimeError]
        raised = Raised("Exception" if unowned else "TypeError")
        return Done(raised, s, WAIT_FOR_NON_CALLABLE_PREDICATE_RAISES)
    opened, exc = _gate(s, predicate.id)
    if unowned and not opened:
        # clause Condition.wait.unowned-raises  [documented: RuntimeError now, or the predicate first]
        return Blocked(_undecide(s, c), WAIT_UNOWNED_RAISES)
    if not opened:
        # clause Condition.wait_for.evaluates-predicate-first
        calling = _by_thread(s.in_predicate + (c,))
        return Blocked(replace(s, in_predicate=calling), WAIT_FOR_EVALUATES_PREDICATE_FIRST)
    if exc is not None:
        # clause Condition.wait_for.predicate-exception-propagates
        return Done(Raised(exc), s, WAIT_FOR_PREDICATE_EXCEPTION_PROPAGATES)
    # the predicate returned None, a false value: compute the deadline, then wait
    limit = wait_limit(s.profile, a["timeout"], for_wait_for=True)
    if limit is Limit.WRONG_TYPE:
        # clause Condition.wait_for.bad-timeout-raises  [no release: the deadline sum fails]
        return Done(Raised("TypeError"), s, WAIT_FOR_BAD_TIMEOUT_RAISES)
    own = Ownership.OWNED if assume_owner else ownership(s, c.thread)
    if own is Ownership.NOT_OWNED:
        # clause Condition.wait.unowned-raises
        return Done(Raised("RuntimeError"), s, WAIT_UNOWNED_RAISES)
    if own is Ownership.UNDECIDED:
        # clause Condition.wait.unowned-raises  [documented reading: raises, or proceeds like CPython]
        return Blocked(_undecide(s, c), WAIT_UNOWNED_RAISES)
    after = _begin_wait(s, c.thread, limit, predicate.id)
    if own is Ownership.HEURISTIC:
        # clause Condition.ownership.plain-lock-held-by-anyone-counts
        return Blocked(after, OWNERSHIP_PLAIN_LOCK_HELD_BY_ANYONE_COUNTS)
    if limit is Limit.TOO_LARGE:
        # clause Condition.wait_for.bad-timeout-raises
        return Blocked(after, WAIT_FOR_BAD_TIMEOUT_RAISES)
    # clause Condition.wait_for.waits-while-predicate-false
    return Blocked(after, WAIT_FOR_WAITS_WHILE_PREDICATE_FALSE)


def _notifier(
    s: State, c: Call, assume_owner: bool, n: Value, everyone: bool, unowned: str, woke: str | None
) -> Result[State]:
    """The common body of ``notify``, ``notify_all`` and ``notifyAll``."""
    own = Ownership.OWNED if assume_owner else ownership(s, c.thread)
    if own is Ownership.NOT_OWNED:
        # clause Condition.notify.unowned-raises / Condition.notify_all.unowned-raises
        return Done(Raised("RuntimeError"), s, unowned)
    if own is Ownership.UNDECIDED:
        # clause Condition.notify.unowned-raises  [documented reading: raises, or proceeds like CPython]
        return Blocked(_undecide(s, c), unowned)
    available = _available(s)
    count = available if everyone else notify_count(s.profile, n, available)
    warning = "DeprecationWarning" if c.op == "notifyAll" and s.profile.since(3, 10) else None
    if isinstance(count, str):
        # clause Condition.notify.bad-n-raises
        return Done(Raised(count), s, NOTIFY_BAD_N_RAISES)
    after = _notify(s, count)
    done = Returned(None, warning)
    if own is Ownership.HEURISTIC:
        # clause Condition.ownership.plain-lock-held-by-anyone-counts
        return Done(done, after, OWNERSHIP_PLAIN_LOCK_HELD_BY_ANYONE_COUNTS)
    if woke is not None:
        # clause Condition.notify_all.wakes-all-waiters / Condition.notifyAll.*
        return Done(done, after, woke)
    if available == 0:
        # clause Condition.notify.no-op-without-waiters
        return Done(done, after, NOTIFY_NO_OP_WITHOUT_WAITERS)
    if s.profile.py2 and isinstance(n, int) and n < 0:
        # clause Condition.notify.negative-n-spares-last-waiters
        return Done(done, after, NOTIFY_NEGATIVE_N_SPARES_LAST_WAITERS)
    if count == 0:
        # clause Condition.notify.n-below-one-wakes-none
        return Done(done, after, NOTIFY_N_BELOW_ONE_WAKES_NONE)
    if s.profile.cpython and count < available:
        # clause Condition.notify.wakes-exactly-n-in-fifo-order
        return Done(done, after, NOTIFY_WAKES_EXACTLY_N_IN_FIFO_ORDER)
    # clause Condition.notify.wakes-at-most-n  [every waiter is woken, or the docs' reading]
    return Done(done, after, NOTIFY_WAKES_AT_MOST_N)


def notify(s: State, c: Call, assume_owner: bool = False) -> Result[State]:
    a = bind(c, ("n",), {"n": 1})
    if a is None:
        # clause Condition.call.bad-arguments-raise-typeerror
        return Done(Raised("TypeError"), s, CALL_BAD_ARGUMENTS_RAISE_TYPEERROR)
    return _notifier(s, c, assume_owner, a["n"], False, NOTIFY_UNOWNED_RAISES, None)


def notify_all(s: State, c: Call, assume_owner: bool = False) -> Result[State]:
    if c.args or c.kwargs:
        # clause Condition.call.bad-arguments-raise-typeerror
        return Done(Raised("TypeError"), s, CALL_BAD_ARGUMENTS_RAISE_TYPEERROR)
    if c.op == "notify_all":
        woke = NOTIFY_ALL_WAKES_ALL_WAITERS
    else:
        woke = NOTIFYALL_DEPRECATED_ALIAS_WARNS if s.profile.since(3, 10) else NOTIFYALL_ALIAS_OF_NOTIFY_ALL
    return _notifier(s, c, assume_owner, None, True, NOTIFY_ALL_UNOWNED_RAISES, woke)


def environment(s: State, c: Call) -> Result[State]:
    """``call(ENV, "gate.open", id[, exception])``: a predicate gate returns (or raises) from now on."""
    if c.op != "gate.open" or not c.args or not isinstance(c.args[0], int) or c.kwargs:
        # clause Condition.call.bad-arguments-raise-typeerror
        return Done(Raised("AttributeError"), s, CALL_BAD_ARGUMENTS_RAISE_TYPEERROR)
    exc = c.args[1] if len(c.args) > 1 else None
    if _gate(s, c.args[0])[0]:
        # clause Condition.wait_for.gate-predicate-returns  [the first opening wins]
        return Done(Returned(None), s, WAIT_FOR_GATE_PREDICATE_RETURNS)
    gates = tuple(sorted(s.gates + ((c.args[0], exc),), key=lambda g: g[0]))
    # clause Condition.wait_for.gate-predicate-returns
    return Done(Returned(None), replace(s, gates=gates), WAIT_FOR_GATE_PREDICATE_RETURNS)


OWNER_CHECKED: dict[str, Callable[[State, Call, bool], Result[State]]] = {
    "wait": wait,
    "wait_for": wait_for,
    "notify": notify,
    "notify_all": notify_all,
    "notifyAll": notify_all,
}

TRANSITIONS: dict[str, Callable[[State, Call], Result[State]]] = {
    "acquire": condition_lock.acquire,
    "release": condition_lock.release,
    "__enter__": condition_lock.enter,
    "__exit__": condition_lock.exit_,
    "locked": condition_lock.locked,
    "wait": wait,
    "wait_for": wait_for,
    "notify": notify,
    "notify_all": notify_all,
    "notifyAll": notify_all,
}


def ops(profile: Profile) -> tuple[str, ...]:
    names: tuple[str, ...] = ("acquire", "release", "__enter__", "__exit__")
    names += ("wait", "notify", "notify_all", "notifyAll")
    if profile.since(3, 2):
        names += ("wait_for",)
    if profile.since(3, 14):
        names += ("locked",)
    return names


def invoke(s: State, c: Call) -> Result[State]:
    if c.thread == ENV:
        return environment(s, c)
    return dispatch(s, c, TRANSITIONS, ops(s.profile), CALL_BAD_ARGUMENTS_RAISE_TYPEERROR)


# ---------------------------------------------------------------------------
# Internal steps
# ---------------------------------------------------------------------------


def _as_step(t: ThreadId, r: Result[State]) -> Step[State]:
    if isinstance(r, Done):
        return Step(t, r.outcome, r.state, r.clause)
    return Step(t, None, r.state, r.clause)


def _leave_queue(s: State, w: Sleeper) -> tuple[ThreadId | None, ...]:
    """The queue once ``w`` has re-acquired the lock: CPython 3 removes its entry if a notify
    did not; CPython 2.7 leaves the entry of a wait with a non-number timeout behind."""
    if w.thread not in s.queue:
        return s.queue
    i = s.queue.index(w.thread)
    stale: tuple[ThreadId | None, ...] = ()
    if s.profile.py2 and w.limit is Limit.WRONG_TYPE:
        stale = (STALE,)
    return s.queue[:i] + stale + s.queue[i + 1 :]


def _wait_result(s: State, w: Sleeper) -> tuple[Outcome, str]:
    """What ``w``'s call returns once it holds the lock again (and will not wait again)."""
    if w.limit in (Limit.TOO_LARGE, Limit.WRONG_TYPE):
        exc = "OverflowError" if w.limit is Limit.TOO_LARGE else "TypeError"
        if w.gate is not None:
            # clause Condition.wait_for.bad-timeout-raises
            return Raised(exc), WAIT_FOR_BAD_TIMEOUT_RAISES
        if _leave_queue(s, w).count(STALE) > s.queue.count(STALE):
            # clause Condition.wait.bad-timeout-leaves-stale-entry
            return Raised(exc), WAIT_BAD_TIMEOUT_LEAVES_STALE_ENTRY
        # clause Condition.wait.bad-timeout-raises-after-reacquiring
        return Raised(exc), WAIT_BAD_TIMEOUT_RAISES_AFTER_REACQUIRING
    if w.gate is not None:
        # (its gate returned None before it waited, so it returns None again: a gate never changes)
        # clause Condition.wait_for.timeout-returns-last-predicate-value
        return Returned(None), WAIT_FOR_TIMEOUT_RETURNS_LAST_PREDICATE_VALUE
    if s.profile.py2:
        # clause Condition.wait.returns-none-in-2.7
        return Returned(None), WAIT_RETURNS_NONE_IN_2_7
    if w.notified:
        # clause Condition.wait.returns-true-when-notified
        return Returned(True), WAIT_RETURNS_TRUE_WHEN_NOTIFIED
    # clause Condition.wait.returns-false-after-timeout
    return Returned(False), WAIT_RETURNS_FALSE_AFTER_TIMEOUT


def _waits_again(w: Sleeper) -> bool:
    """A notified ``wait_for`` whose predicate is still false and whose deadline may not have
    passed calls ``wait`` again."""
    return w.gate is not None and w.notified and w.limit in (Limit.NONE, Limit.TIMED)


def _reacquire(s: State, w: Sleeper) -> Step[State]:
    """``w`` takes the free lock back at its saved level, then returns (or waits again)."""
    t = w.thread
    rest = _without_sleeper(s, t)
    queue = _leave_queue(s, w)
    if _waits_again(w):
        # clause Condition.wait_for.rechecks-after-wakeup
        again = Sleeper(t, WaitStage.WAITING, w.limit, w.level, gate=w.gate)
        after = replace(s, sleepers=_with_sleeper(rest, again), queue=queue + (t,))
        return Step(t, None, after, WAIT_FOR_RECHECKS_AFTER_WAKEUP)
    outcome, which = _wait_result(s, w)
    return Step(t, outcome, replace(s, sleepers=rest, queue=queue, owner=t, level=w.level), which)


def _notification_steps(s: State) -> Iterator[Step[State]]:
    """(DOCUMENTED) The oldest owed notification goes to any of its candidate entries."""
    first, rest = s.owed[0], s.owed[1:]
    owed = (Owed(first.count - 1, first.among - 1),) + tuple(Owed(o.count, o.among - 1) for o in rest)
    candidates = s.queue[: first.among]
    waiting = [e for e in candidates if isinstance(e, int)]
    for i, entry in enumerate(candidates):
        if entry is STALE and i != candidates.index(STALE):
            continue  # stale entries are all alike: spending the wakeup on the first one will do
        # (a stale entry has no thread: the step is credited to a thread that stays waiting)
        thread = waiting[0] if entry is STALE else entry
        # clause Condition.notify.wakes-at-most-n
        yield Step(thread, None, _settle(replace(_wake(s, i), owed=owed)), NOTIFY_WAKES_AT_MOST_N)
        yield from _extra_wakeups(s, i, owed, thread)


def _extra_wakeups(s: State, i: int, owed: tuple[Owed, ...], thread: ThreadId) -> Iterator[Step[State]]:
    """(DOCUMENTED) The oldest owed notification, handed to entry ``i``, also wakes one more of
    the threads still waiting among its candidates: "a future, optimized implementation may
    occasionally wake up more than n threads". Only where the later owed notifications still fit
    the entries left to them: an extra wakeup never takes a waiter that one of them is owed."""
    fewer = tuple(Owed(o.count, o.among - 1) for o in owed)
    for j in range(s.owed[0].among):
        entry = s.queue[j]
        w = None if entry is None else s.sleeper(entry)
        if j == i or w is None or w.stage is not WaitStage.WAITING or (j < i and s.queue[i] is not STALE):
            continue  # (two threads woken: the same step whichever of them the notification went to)
        after = replace(_wake(_wake(s, max(i, j)), min(i, j)), owed=fewer)
        if inv_owed_notifications_fit(after):
            # clause Condition.notify.may-wake-more-than-n
            yield Step(thread, None, _settle(after), NOTIFY_MAY_WAKE_MORE_THAN_N)


def _undecided_steps(s: State) -> Iterator[Step[State]]:
    """(DOCUMENTED) A call by a thread that did not acquire a locked plain Lock raises
    RuntimeError, or proceeds as CPython does; once the lock is free it can only raise. A
    ``wait_for`` by a thread that does not hold the lock raises RuntimeError at once, or calls
    its predicate first as CPython does."""
    unowned = {"wait": WAIT_UNOWNED_RAISES, "wait_for": WAIT_UNOWNED_RAISES, "notify": NOTIFY_UNOWNED_RAISES}
    for c in s.undecided:
        rest = replace(s, undecided=tuple(x for x in s.undecided if x.thread != c.thread))
        own = ownership(rest, c.thread)
        if own is not Ownership.OWNED:
            # clause Condition.wait.unowned-raises / Condition.notify.unowned-raises / ...
            yield Step(c.thread, Raised("RuntimeError"), rest, unowned.get(c.op, NOTIFY_ALL_UNOWNED_RAISES))
        if own is Ownership.NOT_OWNED and c.op == "wait_for":
            # a wait_for by a thread that does not hold the lock calls its predicate first, as CPython's
            yield _as_step(c.thread, wait_for(rest, c, fresh=False))
        if own is not Ownership.NOT_OWNED:
            yield _as_step(c.thread, OWNER_CHECKED[c.op](rest, c, True))


def _predicate_steps(s: State) -> Iterator[Step[State]]:
    """A ``wait_for`` blocked in its predicate goes on once the environment opened the gate."""
    for c in s.in_predicate:
        gate = c.kw().get("predicate", c.args[0] if c.args else None)
        assert isinstance(gate, Gate)
        if not _gate(s, gate.id)[0]:
            continue
        rest = replace(s, in_predicate=tuple(x for x in s.in_predicate if x.thread != c.thread))
        # clause: the one wait_for names once its predicate has returned (or raised)
        yield _as_step(c.thread, wait_for(rest, c, fresh=False))


def wakeups(s: State) -> Iterator[Step[State]]:
    """Owed notifications are handed out first (DOCUMENTED); then undecided calls decide,
    predicates whose gate opened return, and, while the lock is free, any one blocked
    acquirer or woken (or timed-out) waiter may take it (which one is not defined)."""
    if s.owed:
        yield from _notification_steps(s)
        return
    yield from _undecided_steps(s)
    yield from _predicate_steps(s)
    if s.locked:
        return
    yield from condition_lock.handoffs(s)
    for w in s.sleepers:
        if w.stage is WaitStage.REACQUIRING:
            yield _reacquire(s, w)


def expiries(s: State) -> Iterator[Step[State]]:
    """A timed acquire may give up; a timed wait may stop waiting (it must still re-acquire
    the lock: a silent step); a notified timed ``wait_for`` whose deadline passed returns."""
    if s.owed:
        return
    yield from condition_lock.expiries(s)
    for w in s.sleepers:
        if w.stage is WaitStage.WAITING and w.limit in (Limit.TIMED, Limit.NOW):
            woken = replace(w, stage=WaitStage.REACQUIRING)
            # [CPython 2.7: the timed-out waiter leaves the queue at once; 3.x: once it re-acquired]
            queue = tuple(x for x in s.queue if x != w.thread) if s.profile.py2 else s.queue
            sleepers = _with_sleeper(_without_sleeper(s, w.thread), woken)
            # clause Condition.wait.timeout-expires
            yield Step(w.thread, None, replace(s, sleepers=sleepers, queue=queue), WAIT_TIMEOUT_EXPIRES)
        elif not s.locked and w.stage is WaitStage.REACQUIRING and _waits_again(w) and w.limit is Limit.TIMED:
            others = _without_sleeper(s, w.thread)
            after = replace(s, sleepers=others, queue=_leave_queue(s, w), owner=w.thread, level=w.level)
            # clause Condition.wait_for.timeout-returns-last-predicate-value
            yield Step(w.thread, Returned(None), after, WAIT_FOR_TIMEOUT_RETURNS_LAST_PREDICATE_VALUE)


# ---------------------------------------------------------------------------
# Invariants
# ---------------------------------------------------------------------------


def _pending(s: State) -> list[ThreadId]:
    return (
        [a.thread for a in s.acquirers]
        + [w.thread for w in s.sleepers]
        + [c.thread for c in s.in_predicate]
        + [c.thread for c in s.undecided]
    )


def inv_pending_threads_distinct(s: State) -> bool:
    """A thread has at most one pending call: it blocks in one place only."""
    pending = _pending(s)
    return len(set(pending)) == len(pending)


def inv_waiter_never_holds_lock(s: State) -> bool:
    """A thread inside wait() (waiting or re-acquiring) does not hold the lock."""
    return s.owner is None or s.sleeper(s.owner) is None


def inv_queue_entries_are_waiters(s: State) -> bool:
    """Every queue entry is a thread inside wait() (or, in CPython 2.7, a stale entry), once."""
    threads = [x for x in s.queue if x is not STALE]
    if len(set(threads)) != len(threads):
        return False
    if len(threads) < len(s.queue) and not s.profile.py2:
        return False
    return all(s.sleeper(t) is not None for t in threads)


def inv_sleeping_waiters_are_reachable(s: State) -> bool:
    """A waiter that is neither notified nor timed out is in the queue: a notify can reach it."""
    return all(w.thread in s.queue for w in s.sleepers if w.stage is WaitStage.WAITING)


def inv_notified_waiters_left_queue(s: State) -> bool:
    """Notified waiters are a subset of the waiters, and no longer queued (no double wakeup)."""
    return all(w.stage is WaitStage.REACQUIRING and w.thread not in s.queue for w in s.sleepers if w.notified)


def inv_waiter_levels(s: State) -> bool:
    """A waiter saved a positive level (1 for a plain Lock) to restore."""
    return all(w.level >= 1 and (s.kind is LockKind.RLOCK or w.level == 1) for w in s.sleepers)


def inv_owed_notifications_fit(s: State) -> bool:
    """(DOCUMENTED) Owed notifications never exceed the queue entries they may go to; CPython's
    reading hands them out at once."""
    if s.profile.cpython and s.owed:
        return False
    promised = 0
    for o in s.owed:
        promised += o.count
        if o.count < 0 or promised > o.among or o.among > len(s.queue):
            return False
    return True


def inv_undecided_only_documented(s: State) -> bool:
    """Only the documented reading leaves ownership undecided: of a plain Lock, or a ``wait_for``
    that has not called its predicate yet."""
    return not s.undecided or not s.profile.cpython and (
        s.kind is LockKind.LOCK or all(c.op == "wait_for" for c in s.undecided))


def inv_no_thread_stranded(s: State) -> bool:
    """While the lock is free, a blocked acquirer or re-acquiring waiter has a wakeup enabled."""
    if s.locked:
        return True
    stuck = bool(s.acquirers) or any(w.stage is WaitStage.REACQUIRING for w in s.sleepers)
    return not stuck or any(True for _ in wakeups(s))


def inv_timeouts_only_since_32(s: State) -> bool:
    """Before 3.2, acquire has no timeout and there is no wait_for."""
    if s.profile.since(3, 2):
        return True
    return not any(a.timed for a in s.acquirers) and not s.in_predicate and all(
        w.gate is None for w in s.sleepers
    )


INVARIANTS = (
    inv_pending_threads_distinct,
    condition_lock.inv_lock_holder_consistent,
    inv_waiter_never_holds_lock,
    inv_queue_entries_are_waiters,
    inv_sleeping_waiters_are_reachable,
    inv_notified_waiters_left_queue,
    inv_waiter_levels,
    inv_owed_notifications_fit,
    inv_undecided_only_documented,
    inv_no_thread_stranded,
    inv_timeouts_only_since_32,
)


AMBIGUITIES = (
    Ambiguity(
        topic="which waiters notify(n) wakes",
        text="This method wakes up at most n of the threads waiting for the condition variable ... "
        "The current implementation wakes up exactly n threads, if at least n threads are waiting.",
        reading="CPYTHON: exactly min(n, waiting) queue entries, the ones that began waiting first "
        "(FIFO), at the moment of the call. DOCUMENTED: at least min(n, waiting) too (never fewer: a "
        "notify that wakes nobody while threads wait would be a lost wakeup; more: see \"waking more "
        "than n threads\"), but any of the waiting threads; the choice is made by internal steps that "
        "run before anything else, so it is as if it were made at the call.",
        readings=(
            Reading(
                'exactly min(n, waiting) queue entries, the ones that began waiting first (FIFO), at the '
                'moment of the call.',
                Strictness.CPYTHON,
            ),
            Reading(
                'at least min(n, waiting) too (never fewer: a notify that wakes nobody while threads wait '
                'would be a lost wakeup; more: see "waking more than n threads"), but any of the waiting '
                'threads; the choice is made by internal steps that run before anything else, so it is as '
                'if it were made at the call.',
                Strictness.DOCUMENTED,
            ),
        ),
    ),
    Ambiguity(
        topic="waking more than n threads",
        text="A future, optimized implementation may occasionally wake up more than n threads.",
        reading="CPYTHON: never; notify(n) wakes exactly min(n, waiting). DOCUMENTED: every enabled "
        "internal step is owed (progress), so an extra wakeup is a variant of an owed one: a "
        "notification handed out may also wake one more of the threads that were waiting at the "
        "notify() call (Condition.notify.may-wake-more-than-n, documented strictness only), as long "
        "as the notifications owed by later calls still have waiters to go to. So notify() may wake "
        "up to twice n waiters; a thread that began waiting after the call is never woken by it.",
        readings=(
            Reading('never: notify(n) wakes exactly min(n, waiting).', Strictness.CPYTHON),
            Reading(
                'each notification handed out may also wake one more of the threads that were waiting at '
                'the notify() call (up to twice n in all), as long as the notifications owed by later calls '
                'still have waiters to go to.',
                Strictness.DOCUMENTED,
            ),
        ),
    ),
    Ambiguity(
        topic="owning a plain Lock",
        text="If the calling thread has not acquired the lock when this method is called, a "
        "RuntimeError is raised. / A primitive lock is not owned by a particular thread when locked.",
        reading="CPYTHON: wait/wait_for/notify on a plain Lock only check that the lock is locked "
        "(CPython tries acquire(False)); a thread that did not acquire it proceeds, and its wait() "
        "releases the other thread's lock. DOCUMENTED: such a call may raise RuntimeError or proceed "
        "as CPython does (an undecided call, settled by an internal step); an unlocked lock always "
        "raises.",
        readings=(
            Reading(
                'wait/wait_for/notify on a plain Lock only check that the lock is locked (CPython tries '
                'acquire(False)); a thread that did not acquire it proceeds, and its wait() releases the '
                "other thread's lock.",
                Strictness.CPYTHON,
            ),
            Reading(
                'such a call may raise RuntimeError or proceed as CPython does (an undecided call, settled '
                'by an internal step); an unlocked lock always raises.',
                Strictness.DOCUMENTED,
            ),
        ),
    ),
    Ambiguity(
        topic="a timed-out waiter and notify",
        text="Once awakened or timed out, it re-acquires the lock and returns.",
        reading="CPython 3.x removes a timed-out waiter from the queue only after it re-acquired the "
        "lock, so a notify in between spends a wakeup on it (it still returns False) and another "
        "waiter stays asleep; both levels allow this. CPython 2.7 removes it when the timeout passes.",
        readings=(
            Reading(
                'CPython 2.7 removes a timed-out waiter from the queue when its timeout passes.',
                None, (2, 7), (3, 0),
            ),
            Reading(
                'CPython 3.x removes a timed-out waiter from the queue only after it re-acquired the lock, '
                'so a notify in between spends a wakeup on it (it still returns False) and another waiter '
                'stays asleep; both strictness levels allow this.',
                None, (3, 0),
            ),
        ),
    ),
    Ambiguity(
        topic="timeouts <= 0, NaN, infinite, not a number",
        text="When the timeout argument is present and not None, it should be a floating point number "
        "specifying a timeout for the operation in seconds.",
        reading="Both levels follow CPython: a timeout <= 0 (3.x: or NaN) releases the lock, expires at "
        "once (returning True only if notified in between) and re-acquires; 3.x raises OverflowError "
        "above TIMEOUT_MAX and TypeError for a non-number, each after releasing and re-acquiring; 2.7's "
        "polling loop never expires for NaN or infinity and raises TypeError for a non-number, leaving "
        "a stale entry in its waiters list that later spends a notification (both levels: the "
        "documented reading lets a notify go to any queue entry, stale ones included). The stale entry "
        "is CPython 2.7's (Condition.wait.bad-timeout-leaves-stale-entry, cpython strictness); the "
        "documented level still allows it.",
        readings=(
            Reading(
                'a timeout <= 0 releases the lock, expires at once (returning True only if notified in '
                'between) and re-acquires; the polling loop never expires for NaN or infinity; a non-number'
                ' raises TypeError and leaves a stale entry in the waiters list that later spends a '
                'notification (documented strictness allows that too: a notify may go to any queue entry, '
                'stale ones included).',
                None, (2, 7), (3, 0),
            ),
            Reading(
                'a timeout <= 0 or NaN releases the lock, expires at once (returning True only if notified '
                'in between) and re-acquires; OverflowError above TIMEOUT_MAX and TypeError for a non-'
                'number, each after releasing and re-acquiring.',
                None, (3, 0),
            ),
        ),
    ),
    Ambiguity(
        topic="a lock that is not a Lock or RLock",
        text="If the lock argument is given and not None, it must be a Lock or RLock object, and it is "
        "used as the underlying lock.",
        reading="The documentation names no exception. CPython takes any object with the lock's "
        "methods and raises AttributeError at construction for one without acquire "
        "(Condition.init.bad-arguments-raise, cpython strictness); the documented level still "
        "expects that AttributeError until a reading that accepts any exception (or none) has been "
        "measured on blind bugs. Scenarios pass only Lock, RLock and non-lock values such as 1.",
    ),
    Ambiguity(
        topic="notify(n) with n < 1 or a non-integer n",
        text="This method wakes up at most n of the threads waiting for the condition variable.",
        reading="Both levels follow each version: n = 0 wakes none; 2.7 wakes waiters[:n] (a negative n "
        "spares the last -n waiters); 3.6-3.8 raise ValueError unless None or 0 <= n <= sys.maxsize; "
        "3.9+ wake ceil(n) for a positive number and raise TypeError for a non-number only while a "
        "thread waits. The 3.9 and 3.10 profiles follow their latest patch releases; earlier ones "
        "(before the gh-92530 fix) behave like 3.8. The clauses that say so "
        "(Condition.notify.bad-n-raises, Condition.notify.negative-n-spares-last-waiters) are "
        "CPython's, not the documentation's; the documented level still holds each version's "
        "behaviour until a reading that accepts any outcome has been measured on blind bugs.",
        readings=(
            Reading(
                'n = 0 wakes none; notify wakes waiters[:n], so a negative n spares the last -n waiters.',
                None, (2, 7), (3, 0),
            ),
            Reading(
                'n = 0 wakes none; ValueError unless n is None or 0 <= n <= sys.maxsize.',
                None, (3, 0), (3, 9),
            ),
            Reading(
                'n = 0 wakes none; ceil(n) for a positive number; TypeError for a non-number, only while a '
                'thread waits (the 3.9 and 3.10 profiles follow their latest patch releases).',
                None, (3, 9),
            ),
        ),
    ),
    Ambiguity(
        topic="wait_for's predicate",
        text="predicate should be a callable which result will be interpreted as a boolean value.",
        reading="A predicate cannot cross the agent protocol as a real function, so the spec models two "
        "kinds: a Gate (a checker-controlled function: it blocks until opened, then always returns "
        "None, a false value, or always raises) and any other value (not callable: TypeError at once, "
        "before the lock is checked; see 'wait_for without the lock'). A predicate that becomes true "
        "is not modelled: wait_for with a "
        "Gate returns only by timing out (returning None) or raising. wait_for(timeout=NaN) spins in "
        "CPython 3.x; it is modelled as no timeout. The deadline starts when the predicate first "
        "returns; the checker measures from the invocation, a lenient lower bound.",
    ),
    Ambiguity(
        topic="wait_for without the lock",
        text="Therefore, the same rules apply as with wait(): The lock must be held when called and is "
        "re-acquired on return. / Ignoring the timeout feature, calling this method is roughly "
        "equivalent to writing: while not predicate(): cv.wait()",
        reading="CPython calls the predicate first and raises RuntimeError only when it would wait; the "
        "documentation does not order the two checks.",
        readings=(
            Reading("2.7 has no wait_for: the question does not arise.", None, (2, 7), (3, 0)),
            Reading(
                'the predicate is called first (a non-callable one raises TypeError); RuntimeError comes '
                'when the predicate is false and the thread would wait.',
                Strictness.CPYTHON, (3, 0),
            ),
            Reading(
                'a thread that does not hold the lock gets RuntimeError at once, or calls its predicate '
                'first as CPython does (an undecided call, settled by an internal step); a non-callable '
                'predicate raises TypeError or RuntimeError.',
                Strictness.DOCUMENTED, (3, 0),
            ),
        ),
    ),
    Ambiguity(
        topic="who takes the free lock",
        text="If more than one thread is blocked waiting until the lock is unlocked, only one at a "
        "time will be able to grab ownership of the lock.",
        reading="Woken waiters re-acquiring the lock compete with threads blocked in acquire(); any "
        "one of them may take it, at both levels.",
    ),
    Ambiguity(
        topic="private methods",
        text="_is_owned, _release_save, _acquire_restore",
        reading="Not part of the specification: the spec answers AttributeError for every name "
        "outside ops(profile), even where CPython has the private name.",
    ),
)

SPEC: PrimitiveSpec[State] = PrimitiveSpec(
    PRIMITIVE, create, invoke, wakeups, expiries, INVARIANTS, timeout, ops, AMBIGUITIES
)
