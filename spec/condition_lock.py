"""Condition's underlying lock: ``acquire``, ``release``, ``with`` and ``locked`` are the lock's.

The documentation promises: these methods call the corresponding methods of the lock the
Condition was built over (a Lock or an RLock), with that lock's behaviour. The lock's
facts (``kind``, ``owner``, ``level``, ``acquirers``, ``python_rlock``) are fields of the
Condition's ``State`` (``spec.condition``), next to the threads inside ``wait``; the steps
they share with Lock and RLock are ``spec.lockstep``'s.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from spec import lockstep
from spec.clauses import clause
from spec.core import Blocked, Done, Result, Step
from spec.lockstep import Acquirer, LockKind
from spec.profiles import Strictness
from spec.values import ANY, TRUTHY, Call, Raised, Returned, ThreadId, Value, bind

if TYPE_CHECKING:
    from spec.condition import State

# ---------------------------------------------------------------------------
# Clauses
# ---------------------------------------------------------------------------

ACQUIRE_CALLS_LOCK_ACQUIRE = clause(
    "Condition.acquire.calls-lock-acquire",
    doc="threading.Condition.acquire",
    quote="Acquire the underlying lock. This method calls the corresponding method on the underlying "
    "lock; the return value is whatever that method returns.",
)
ACQUIRE_RLOCK_OWNER_REENTERS = clause(
    "Condition.acquire.rlock-owner-reenters",
    doc="threading.RLock.acquire",
    quote="When invoked without arguments: if this thread already owns the lock, increment the "
    "recursion level by one, and return immediately. [2.7: the Python RLock returns 1]",
)
ACQUIRE_HELD_LOCK_BLOCKS = clause(
    "Condition.acquire.held-lock-blocks",
    doc="threading.Condition.acquire",
    quote="Otherwise, if another thread owns the lock, block until the lock is unlocked. [Lock: once "
    "a thread has acquired a lock, subsequent attempts to acquire it block, until it is released]",
)
ACQUIRE_NONBLOCKING_RETURNS_FALSE = clause(
    "Condition.acquire.nonblocking-returns-false",
    doc="threading.Condition.acquire",
    quote="When invoked with the blocking argument set to False, do not block. If a call without an "
    "argument would block, return False immediately; otherwise, do the same thing as when called "
    "without arguments, and return True.",
)
ACQUIRE_TIMEOUT_RETURNS_FALSE = clause(
    "Condition.acquire.timeout-returns-false",
    doc="threading.Condition.acquire",
    quote="When invoked with the floating-point timeout argument set to a positive value, block for "
    "at most the number of seconds specified by timeout and as long as the lock cannot be acquired. "
    "Return True if the lock has been acquired, False if the timeout has elapsed.",
    since=(3, 2),
)
ACQUIRE_BAD_TIMEOUT_RAISES = clause(
    "Condition.acquire.bad-timeout-raises",
    doc="threading.Condition.acquire",
    quote="It is forbidden to specify a timeout when blocking is False. [TIMEOUT_MAX: one above it, or "
    "an infinite one, raises OverflowError; what other timeouts do is "
    "Condition.acquire.undocumented-timeout-raises]",
    since=(3, 2),
)
ACQUIRE_UNDOCUMENTED_TIMEOUT_RAISES = clause(
    "Condition.acquire.undocumented-timeout-raises",
    doc="threading.Condition.acquire",
    quote="[CPython 3.2+: a timeout the documentation gives no meaning to raises: a negative one other "
    "than -1, or a NaN, ValueError; one below -TIMEOUT_MAX that is infinite or an int too large for a "
    "float, OverflowError; one that is no number (None, a str), TypeError]",
    since=(3, 2),
    strictness=Strictness.CPYTHON,
)
ACQUIRE_NO_TIMEOUT_IN_2_7 = clause(
    "Condition.acquire.no-timeout-in-2.7",
    doc="threading.Condition.acquire",
    quote="acquire([blocking]) [2.7: Lock.acquire takes one positional argument, RLock.acquire "
    "takes blocking; anything else raises TypeError] [Changed in 3.2: The timeout parameter is new.]",
    until=(3, 2),
)
RELEASE_ONE_BLOCKED_THREAD_PROCEEDS = clause(
    "Condition.release.one-blocked-thread-proceeds",
    doc="threading.RLock.release",
    quote="If after the decrement it is zero, reset the lock to unlocked (not owned by any thread), "
    "and if any other threads are blocked waiting for the lock to become unlocked, allow exactly "
    "one of them to proceed.",
)
RELEASE_CALLS_LOCK_RELEASE = clause(
    "Condition.release.calls-lock-release",
    doc="threading.Condition.release",
    quote="Release the underlying lock. This method calls the corresponding method on the underlying "
    "lock; there is no return value.",
)
RELEASE_RLOCK_DECREMENTS_LEVEL = clause(
    "Condition.release.rlock-decrements-level",
    doc="threading.RLock.release",
    quote="Release a lock, decrementing the recursion level. If after the decrement the recursion "
    "level is still nonzero, the lock remains locked and owned by the calling thread.",
)
RELEASE_UNLOCKED_LOCK_RAISES = clause(
    "Condition.release.unlocked-lock-raises",
    doc="threading.Lock.release",
    quote="When invoked on an unlocked lock, a RuntimeError is raised. [2.7: a ThreadError]",
)
RELEASE_RLOCK_NOT_OWNED_RAISES = clause(
    "Condition.release.rlock-not-owned-raises",
    doc="threading.RLock.release",
    quote="Only call this method when the calling thread owns the lock. A RuntimeError is raised if "
    "this method is called when the lock is unlocked. [CPython: also when another thread owns it]",
)
WITH_ACQUIRES_AND_RELEASES = clause(
    "Condition.with.acquires-and-releases",
    doc="threading.Condition",
    quote="A condition variable obeys the context management protocol: using the with statement "
    "acquires the associated lock for the duration of the enclosed block.",
)
WITH_EXIT_ARGUMENTS = clause(
    "Condition.with.exit-arguments",
    doc="threading.Condition",
    quote="[CPython: __exit__ passes its arguments on to the lock's __exit__ (the C lock's takes any "
    "positional arguments and no keywords, the Python RLock's exactly (t, v, tb)); the with statement "
    "always passes three, so what any other call does is CPython's, not documented]",
    strictness=Strictness.CPYTHON,
)
LOCKED_REPORTS_LOCK_STATE = clause(
    "Condition.locked.reports-lock-state",
    doc="threading.Condition.locked",
    quote="[3.14: Condition exports the underlying lock's locked() method: True while any thread "
    "holds the lock]",
    since=(3, 14),
)
CALL_BAD_ARGUMENTS_RAISE_TYPEERROR = clause(
    "Condition.call.bad-arguments-raise-typeerror",
    doc="threading.Condition",
    quote="[Python] A call with arguments that do not match the documented signature raises "
    "TypeError; a method the version does not have raises AttributeError.",
    strictness=Strictness.CPYTHON,
)


# ---------------------------------------------------------------------------
# Ownership, for wait and notify
# ---------------------------------------------------------------------------


class Ownership(enum.Enum):
    """Does the calling thread hold the lock, for ``wait``/``notify``?"""

    OWNED = "owned"
    NOT_OWNED = "not owned"
    HEURISTIC = "a plain Lock another thread holds: CPython counts it as owned"
    UNDECIDED = "a plain Lock another thread holds: the docs leave the outcome open"


def ownership(s: State, t: ThreadId) -> Ownership:
    """Does ``t`` hold the lock? A plain Lock has no owner: CPython only checks that it is locked."""
    if s.kind is LockKind.RLOCK:
        return Ownership.OWNED if s.owner == t else Ownership.NOT_OWNED
    if not s.locked:
        return Ownership.NOT_OWNED
    if s.owner == t:
        return Ownership.OWNED
    return Ownership.HEURISTIC if s.profile.cpython else Ownership.UNDECIDED


# ---------------------------------------------------------------------------
# Transitions
# ---------------------------------------------------------------------------


def acquire(s: State, c: Call) -> Result[State]:
    p, t = s.profile, c.thread
    if s.python_rlock and s.owner == t and bind(c, ("blocking", "timeout"), {}) is not None:
        # clause Condition.acquire.rlock-owner-reenters  [the Python RLock: 1, arguments unchecked]
        value: Value = 1 if p.cpython else (TRUTHY if c.args or c.kwargs else ANY)
        return Done(Returned(value), replace(s, level=s.level + 1), ACQUIRE_RLOCK_OWNER_REENTERS)
    a = lockstep.bind_acquire(p, c, s.kind)
    if a is None:
        # clause Condition.acquire.no-timeout-in-2.7 / Condition.call.bad-arguments-raise-typeerror
        which = ACQUIRE_NO_TIMEOUT_IN_2_7 if p.py2 else CALL_BAD_ARGUMENTS_RAISE_TYPEERROR
        return Done(Raised("TypeError"), s, which)
    # (unlike Lock's and RLock's, this model does not check blocking's type before 3.12)
    err = lockstep.acquire_error(p, a["blocking"], a["timeout"], checks_blocking=False)
    raised = None if err is None else lockstep.rejected(p, err, a["blocking"], a["timeout"])
    if raised is not None and err is not None and lockstep.undocumented(a["blocking"], a["timeout"], err):
        # clause Condition.acquire.undocumented-timeout-raises
        return Done(raised, s, ACQUIRE_UNDOCUMENTED_TIMEOUT_RAISES)
    if raised is not None:
        # clause Condition.acquire.bad-timeout-raises
        return Done(raised, s, ACQUIRE_BAD_TIMEOUT_RAISES)
    if s.kind is LockKind.RLOCK and s.owner == t:
        # clause Condition.acquire.rlock-owner-reenters
        # (CPython: 2.7's Python RLock returns 1; documented: RLock.acquire returns nothing
        # said without arguments, and "true" with blocking true)
        value = (1 if p.py2 else True) if p.cpython else (TRUTHY if c.args or c.kwargs else ANY)
        return Done(Returned(value), replace(s, level=s.level + 1), ACQUIRE_RLOCK_OWNER_REENTERS)
    if not s.locked:
        # clause Condition.acquire.calls-lock-acquire
        return Done(Returned(True), replace(s, owner=t, level=1), ACQUIRE_CALLS_LOCK_ACQUIRE)
    if not a["blocking"]:
        # clause Condition.acquire.nonblocking-returns-false
        return Done(Returned(False), s, ACQUIRE_NONBLOCKING_RETURNS_FALSE)
    # clause Condition.acquire.held-lock-blocks
    waiting = sorted(s.acquirers + (Acquirer(t, lockstep.is_timed(a["timeout"])),), key=lambda w: w.thread)
    return Blocked(replace(s, acquirers=tuple(waiting)), ACQUIRE_HELD_LOCK_BLOCKS)


def release(s: State, c: Call) -> Result[State]:
    if c.args or c.kwargs:
        # clause Condition.call.bad-arguments-raise-typeerror
        return Done(Raised("TypeError"), s, CALL_BAD_ARGUMENTS_RAISE_TYPEERROR)
    if s.kind is LockKind.RLOCK:
        if s.owner != c.thread:
            # clause Condition.release.rlock-not-owned-raises
            return Done(Raised("RuntimeError"), s, RELEASE_RLOCK_NOT_OWNED_RAISES)
        if s.level > 1:
            # clause Condition.release.rlock-decrements-level
            return Done(Returned(None), replace(s, level=s.level - 1), RELEASE_RLOCK_DECREMENTS_LEVEL)
    elif not s.locked:
        # clause Condition.release.unlocked-lock-raises
        exc = "ThreadError" if s.profile.py2 else "RuntimeError"
        return Done(Raised(exc), s, RELEASE_UNLOCKED_LOCK_RAISES)
    # clause Condition.release.calls-lock-release
    return Done(Returned(None), replace(s, owner=None, level=0), RELEASE_CALLS_LOCK_RELEASE)


def enter(s: State, c: Call) -> Result[State]:
    if c.args or c.kwargs:
        # clause Condition.call.bad-arguments-raise-typeerror
        return Done(Raised("TypeError"), s, CALL_BAD_ARGUMENTS_RAISE_TYPEERROR)
    # clause Condition.with.acquires-and-releases
    # (it returns what the lock's __enter__ returns: CPython, acquire's value, 1 for 2.7's
    # reentered RLock)
    r = acquire(s, Call(c.thread, "acquire"))
    if isinstance(r, Done):
        return Done(lockstep.entered(s.profile, r.outcome), r.state, WITH_ACQUIRES_AND_RELEASES)
    acquirers = tuple(replace(a, entering=True) if a.thread == c.thread else a for a in r.state.acquirers)
    return Blocked(replace(r.state, acquirers=acquirers), WITH_ACQUIRES_AND_RELEASES)


def exit_(s: State, c: Call) -> Result[State]:
    python_rlock = (s.profile.py2 or s.python_rlock) and s.kind is LockKind.RLOCK
    if c.kwargs or (python_rlock and len(c.args) != 3):
        # clause Condition.with.exit-arguments  [Python RLock.__exit__(t, v, tb)]
        return Done(Raised("TypeError"), s, WITH_EXIT_ARGUMENTS)
    r = release(s, Call(c.thread, "release"))
    if len(c.args) != 3 and isinstance(r, Done):
        # clause Condition.with.exit-arguments  [a call the with statement never makes: CPython's
        # C lock releases (or raises release's error); at documented strictness not judged]
        return Done(lockstep.exited(s.profile) if isinstance(r.outcome, Returned) else r.outcome, r.state,
                    WITH_EXIT_ARGUMENTS)
    if isinstance(r, Done) and isinstance(r.outcome, Returned):
        # clause Condition.with.acquires-and-releases
        return Done(lockstep.exited(s.profile), r.state, WITH_ACQUIRES_AND_RELEASES)
    return r


def locked(s: State, c: Call) -> Result[State]:
    if c.args or c.kwargs:
        # clause Condition.call.bad-arguments-raise-typeerror
        return Done(Raised("TypeError"), s, CALL_BAD_ARGUMENTS_RAISE_TYPEERROR)
    # clause Condition.locked.reports-lock-state
    return Done(Returned(s.locked), s, LOCKED_REPORTS_LOCK_STATE)


# ---------------------------------------------------------------------------
# Internal steps
# ---------------------------------------------------------------------------


def handoffs(s: State) -> Iterator[Step[State]]:
    """While the lock is free, any one thread blocked in ``acquire`` may take it."""
    if s.locked:
        return
    for a, rest in lockstep.takers(s.acquirers):
        taken = replace(s, acquirers=rest, owner=a.thread, level=1)
        # clause Condition.release.one-blocked-thread-proceeds
        yield Step(a.thread, lockstep.taken(s.profile, a), taken, RELEASE_ONE_BLOCKED_THREAD_PROCEEDS)


def expiries(s: State) -> Iterator[Step[State]]:
    """A thread blocked in ``acquire`` with a timeout may give up, returning False."""
    for a, rest in lockstep.giving_up(s.acquirers):
        # clause Condition.acquire.timeout-returns-false
        yield Step(a.thread, Returned(False), replace(s, acquirers=rest), ACQUIRE_TIMEOUT_RETURNS_FALSE)


# ---------------------------------------------------------------------------
# Invariants
# ---------------------------------------------------------------------------


def inv_lock_holder_consistent(s: State) -> bool:
    """The lock has an owner exactly when it is locked; a plain Lock's level is at most 1."""
    if (s.owner is None) != (s.level == 0) or s.level < 0:
        return False
    return s.kind is LockKind.RLOCK or s.level <= 1
