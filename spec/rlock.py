"""RLock: a reentrant lock, owned by one thread at a time, with a recursion level.

The documentation promises: the owner may acquire again without blocking and must
release once per acquire; only the final release unlocks the lock and lets exactly
one blocked thread take ownership; another thread blocks (or fails, when not
blocking or when its timeout expires); releasing an unlocked lock is an error.

CPython ships two RLocks that must both satisfy this spec: the C class
(``threading._CRLock``, what ``threading.RLock()`` returns on 3.x) and the Python
class (``threading._PyRLock``, the only one on 2.7). Where they differ (the value a
reentrant ``acquire`` returns, argument checks on reentry, ``__exit__``'s
signature), the call is ``Undecided`` for a moment: it completes at once, through a
wakeup step, with one of the options either class would produce.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, replace

from spec import lockstep
from spec.clauses import Ambiguity, Reading, clause
from spec.core import Blocked, Done, PrimitiveSpec, Result, Step, dispatch
from spec.lockstep import LockKind
from spec.profiles import Profile, Strictness
from spec.values import ANY, MISSING, Call, Outcome, Raised, Returned, ThreadId, Value, bind

PRIMITIVE = "RLock"

# ---------------------------------------------------------------------------
# Clauses
# ---------------------------------------------------------------------------

INIT_CREATED_UNLOCKED = clause(
    "RLock.init.created-unlocked",
    doc="threading.RLock",
    quote="Internally, it uses the concepts of \"owning thread\" and \"recursion level\" in "
    "addition to the locked/unlocked state used by primitive locks. In the locked state, some "
    "thread owns the lock; in the unlocked state, no thread owns it. [A new RLock is unlocked.]",
)
INIT_FACTORY_ACCEPTS_ARGUMENTS = clause(
    "RLock.init.factory-accepts-arguments",
    doc="threading.RLock",
    quote="[CPython: the RLock factory passes its arguments to the class; 2.7's _RLock takes one "
    "optional verbose argument, 3.x's C RLock ignores any; since 3.13 passing arguments emits "
    "DeprecationWarning. The Python class _PyRLock takes none.]",
    strictness=Strictness.CPYTHON,
)
ACQUIRE_UNLOCKED_TAKES_OWNERSHIP = clause(
    "RLock.acquire.unlocked-takes-ownership",
    doc="threading.RLock.acquire",
    quote="Once the lock is unlocked (not owned by any thread), then grab ownership, set the "
    "recursion level to one, and return.",
)
ACQUIRE_OWNER_INCREMENTS_LEVEL = clause(
    "RLock.acquire.owner-increments-level",
    doc="threading.RLock.acquire",
    quote="When invoked without arguments: if this thread already owns the lock, increment the "
    "recursion level by one, and return immediately.",
)
ACQUIRE_OTHER_OWNER_BLOCKS = clause(
    "RLock.acquire.other-owner-blocks",
    doc="threading.RLock.acquire",
    quote="Otherwise, if another thread owns the lock, block until the lock is unlocked.",
)
ACQUIRE_NONBLOCKING_RETURNS_FALSE = clause(
    "RLock.acquire.nonblocking-returns-false",
    doc="threading.RLock.acquire",
    quote="When invoked with the blocking argument set to False, do not block. If a call without "
    "an argument would block, return False immediately; otherwise, do the same thing as when "
    "called without arguments, and return True.",
)
ACQUIRE_TIMEOUT_RETURNS_FALSE = clause(
    "RLock.acquire.timeout-returns-false",
    doc="threading.RLock.acquire",
    quote="When invoked with the floating-point timeout argument set to a positive value, block "
    "for at most the number of seconds specified by timeout and as long as the lock cannot be "
    "acquired. Return True if the lock has been acquired, False if the timeout has elapsed.",
    since=(3, 2),
)
ACQUIRE_TIMEOUT_WITH_NONBLOCKING_RAISES = clause(
    "RLock.acquire.timeout-with-nonblocking-raises",
    doc="threading.RLock.acquire",
    quote="[RLock.acquire takes Lock.acquire's arguments:] It is forbidden to specify a timeout "
    "when blocking is False. [CPython raises ValueError]",
    since=(3, 2),
)
ACQUIRE_BAD_TIMEOUT_RAISES = clause(
    "RLock.acquire.bad-timeout-raises",
    doc="threading.TIMEOUT_MAX",
    quote="The maximum value allowed for the timeout parameter of blocking functions "
    "(Lock.acquire(), RLock.acquire(), Condition.wait(), etc.). Specifying a timeout greater "
    "than this value will raise an OverflowError. [An infinite one too; with blocking False, any "
    "exception; what other timeouts do is RLock.acquire.undocumented-timeout-raises]",
    since=(3, 2),
)
ACQUIRE_UNDOCUMENTED_TIMEOUT_RAISES = clause(
    "RLock.acquire.undocumented-timeout-raises",
    doc="threading.RLock.acquire",
    quote="[CPython 3.2+: a timeout the documentation gives no meaning to raises: a negative one other "
    "than -1, or a NaN, ValueError; one below -TIMEOUT_MAX that is infinite or an int too large for a "
    "float, OverflowError; one that is no number (None, a str), TypeError]",
    since=(3, 2),
    strictness=Strictness.CPYTHON,
)
ACQUIRE_NON_INT_BLOCKING_RAISES = clause(
    "RLock.acquire.non-int-blocking-raises",
    doc="threading.RLock.acquire",
    quote="[CPython before 3.12: the blocking argument must be an int (a bool is one); any other "
    "type raises TypeError. Since 3.12 any object is taken for its truth value]",
    until=(3, 12),
    strictness=Strictness.CPYTHON,
)
ACQUIRE_PYTHON_RLOCK_OWNER_SKIPS_CHECKS = clause(
    "RLock.acquire.python-rlock-owner-skips-checks",
    doc="threading.RLock.acquire",
    quote="[CPython: the Python RLock (2.7's _RLock, 3.x's _PyRLock) increments the owner's "
    "recursion level and returns 1 without looking at blocking or timeout; the C RLock checks "
    "them first and raises as for any other caller]",
    strictness=Strictness.CPYTHON,
)
ACQUIRE_PYTHON_RLOCK_REENTRY_RETURNS_1 = clause(
    "RLock.acquire.python-rlock-reentry-returns-1",
    doc="threading.RLock.acquire",
    quote="[CPython 3.x: when the owner acquires again, the Python RLock (_PyRLock) returns the "
    "int 1 and the C RLock returns True. On 2.7, whose only RLock is the Python class, 1 is simply "
    "what a reentrant acquire returns]",
    since=(3, 0),
    strictness=Strictness.CPYTHON,
)
ACQUIRE_BLOCKING_KEYWORD_IN_2_7 = clause(
    "RLock.acquire.blocking-keyword-in-2.7",
    doc="threading.RLock.acquire",
    quote="RLock.acquire([blocking=1]) [2.7: a Python method; blocking may be passed by keyword; "
    "there is no timeout parameter: passing one, or any other argument, raises TypeError] "
    "[Changed in 3.2: The timeout parameter is new.]",
    until=(3, 2),
)
RELEASE_OWNER_DECREMENTS_LEVEL = clause(
    "RLock.release.owner-decrements-level",
    doc="threading.RLock.release",
    quote="Release a lock, decrementing the recursion level. [...] If after the decrement the "
    "recursion level is still nonzero, the lock remains locked and owned by the calling thread.",
)
RELEASE_FINAL_RELEASE_UNLOCKS = clause(
    "RLock.release.final-release-unlocks",
    doc="threading.RLock.release",
    quote="If after the decrement it is zero, reset the lock to unlocked (not owned by any "
    "thread), and if any other threads are blocked waiting for the lock to become unlocked, "
    "allow exactly one of them to proceed.",
)
RELEASE_UNLOCKED_RAISES = clause(
    "RLock.release.unlocked-raises",
    doc="threading.RLock.release",
    quote="A RuntimeError is raised if this method is called when the lock is unlocked.",
)
RELEASE_NON_OWNER_RAISES = clause(
    "RLock.release.non-owner-raises",
    doc="threading.RLock.release",
    quote="A reentrant lock must be released by the thread that acquired it. [...] Only call "
    "this method when the calling thread owns the lock. [The documentation names no exception; "
    "CPython raises RuntimeError and leaves the lock as it was]",
)
RELEASE_WAKES_ONE_WAITER = clause(
    "RLock.release.wakes-one-waiter",
    doc="threading.RLock",
    quote="only the final release() (the release() of the outermost pair) resets the lock to "
    "unlocked and allows another thread blocked in acquire() to proceed. [...] If more than one "
    "thread is blocked waiting until the lock is unlocked, only one at a time will be able to "
    "grab ownership of the lock.",
)
LOCKED_REPORTS_STATE = clause(
    "RLock.locked.reports-state",
    doc="threading.RLock.locked",
    quote="Return a boolean indicating whether this object is locked right now.",
    since=(3, 14),
)
WITH_ACQUIRES_AND_RELEASES = clause(
    "RLock.with.acquires-and-releases",
    doc="threading.RLock",
    quote="Reentrant locks also support the context management protocol. [...] The acquire() "
    "method will be called when the block is entered, and release() will be called when the "
    "block is exited.",
)
WITH_EXIT_ARGUMENTS = clause(
    "RLock.with.exit-arguments",
    doc="threading.RLock",
    quote="[CPython: the C RLock's __exit__ takes any positional arguments and no keywords; the "
    "Python RLock's __exit__ takes exactly (t, v, tb); other calls raise TypeError]",
    strictness=Strictness.CPYTHON,
)
LOCKED_ABSENT_BEFORE_3_14 = clause(
    "RLock.locked.absent-before-3.14",
    doc="threading.RLock",
    quote="[CPython before 3.14: an RLock has no locked() method (Added in 3.14); an implementation "
    "that has one deviates from no documentation]",
    until=(3, 14),
    strictness=Strictness.CPYTHON,
)
CALL_BAD_ARGUMENTS_RAISE_TYPEERROR = clause(
    "RLock.call.bad-arguments-raise-typeerror",
    doc="threading.RLock",
    quote="[Python] A call with arguments that do not match the documented signature raises "
    "TypeError.",
    strictness=Strictness.CPYTHON,
)

# ---------------------------------------------------------------------------
# State
# ---------------------------------------------------------------------------


class RLockClass(enum.Enum):
    """CPython's two RLock classes."""

    C = "C RLock (threading._CRLock)"
    PYTHON = "Python RLock (threading._PyRLock; 2.7's _RLock)"


class Effect(enum.Enum):
    """What completing an undecided call does to the lock."""

    NONE = "unchanged"
    REENTER = "owner's recursion level + 1"
    RELEASE = "owner's recursion level - 1, unlocked at 0"


@dataclass(frozen=True, slots=True)
class Option:
    """One way an undecided call may complete."""

    outcome: Outcome
    effect: Effect
    clause: str


@dataclass(frozen=True, slots=True)
class Undecided:
    """A call that completes at once, with one of ``options`` (which one depends on the class)."""

    thread: ThreadId
    options: tuple[Option, ...]


@dataclass(frozen=True, slots=True)
class Waiter:
    """A thread blocked in ``acquire``; ``timed`` when its call has a timeout; ``value`` is
    what its call returns once it owns the lock."""

    thread: ThreadId
    timed: bool
    value: Value


@dataclass(frozen=True, slots=True)
class State:
    profile: Profile
    owner: ThreadId | None = None
    level: int = 0
    waiters: tuple[Waiter, ...] = ()
    undecided: tuple[Undecided, ...] = ()


def create(profile: Profile, c: Call) -> Done[State | None]:
    if not c.args and not c.kwargs:
        return Done(Returned(None), State(profile), INIT_CREATED_UNLOCKED)
    if profile.py2:
        if bind(c, ("verbose",), {}) is None:
            # clause RLock.init.factory-accepts-arguments
            return Done(Raised("TypeError"), None, INIT_FACTORY_ACCEPTS_ARGUMENTS)
        return Done(Returned(None), State(profile), INIT_FACTORY_ACCEPTS_ARGUMENTS)
    # clause RLock.init.factory-accepts-arguments
    # [Changed in 3.13] DeprecationWarning
    warning = "DeprecationWarning" if profile.cpython and profile.since(3, 13) else None
    return Done(Returned(None, warning), State(profile), INIT_FACTORY_ACCEPTS_ARGUMENTS)


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def classes(profile: Profile) -> tuple[RLockClass, ...]:
    """The classes whose behaviour ``profile`` accepts.

    2.7 has only the Python class; at documented strictness every profile accepts both.
    """
    if profile.py2 and profile.cpython:
        return (RLockClass.PYTHON,)
    return (RLockClass.C, RLockClass.PYTHON)


def apply(s: State, thread: ThreadId, effect: Effect) -> State:
    """The state after ``thread``'s call had ``effect``."""
    if effect is Effect.REENTER:
        return replace(s, level=s.level + 1)
    if effect is Effect.RELEASE:
        level = s.level - 1
        return replace(s, owner=s.owner if level else None, level=level)
    return s


def decide(s: State, c: Call, options: list[Option], clause_: str) -> Result[State]:
    """Complete ``c`` now when every class agrees; otherwise leave it undecided."""
    # keyed by repr: Returned(True) == Returned(1), but a caller can tell them apart
    unique = tuple({(repr(o.outcome), o.effect, o.clause): o for o in options}.values())
    if len(unique) == 1:
        (only,) = unique
        return Done(only.outcome, apply(s, c.thread, only.effect), only.clause)
    return Blocked(replace(s, undecided=s.undecided + (Undecided(c.thread, unique),)), clause_)


def success_value(profile: Profile, no_args: bool, rlock_class: RLockClass, reentry: bool) -> Value:
    """What a successful ``acquire`` returns.

    The documentation gives ``acquire()`` without arguments "no return value";
    CPython returns True, except the Python class's reentry, which returns 1.
    """
    if no_args and not profile.cpython:
        return ANY
    if reentry and rlock_class is RLockClass.PYTHON:
        return 1
    return True


def error_clause(profile: Profile, blocking: Value, limit: Value, err: str) -> str:
    if profile.before(3, 12) and not isinstance(blocking, int):
        return ACQUIRE_NON_INT_BLOCKING_RAISES
    if err == "ValueError" and not blocking:
        return ACQUIRE_TIMEOUT_WITH_NONBLOCKING_RAISES
    if lockstep.undocumented(blocking, limit, err):
        return ACQUIRE_UNDOCUMENTED_TIMEOUT_RAISES
    return ACQUIRE_BAD_TIMEOUT_RAISES


def timeout(c: Call) -> float | None:
    """The timeout of a pending ``acquire`` or ``__enter__`` (``None``: waits without limit)."""
    return lockstep.pending_timeout(c) if c.op in ("acquire", "__enter__") else None


# ---------------------------------------------------------------------------
# Transitions
# ---------------------------------------------------------------------------


def _reentry(
    s: State, c: Call, no_args: bool, blocking: Value, limit: Value, err: str | None
) -> Result[State]:
    """The owner acquires again: each class has its own answer (see ``decide``)."""
    p = s.profile
    rlock_classes = classes(p)
    options = []
    for rlock_class in rlock_classes:
        value = success_value(p, no_args, rlock_class, reentry=True)
        if err is not None and rlock_class is RLockClass.C:
            # clause RLock.acquire.bad-timeout-raises (or non-int-blocking, timeout-with-nonblocking,
            # undocumented-timeout)
            which = error_clause(p, blocking, limit, err)
            options.append(Option(lockstep.rejected(p, err, blocking, limit), Effect.NONE, which))
        elif err is not None:
            # clause RLock.acquire.python-rlock-owner-skips-checks
            skips = ACQUIRE_PYTHON_RLOCK_OWNER_SKIPS_CHECKS
            options.append(Option(Returned(value), Effect.REENTER, skips))
        elif value is not ANY and rlock_class is RLockClass.PYTHON and len(rlock_classes) > 1:
            # clause RLock.acquire.python-rlock-reentry-returns-1
            # (its own clause also keeps Returned(1) apart from Returned(True), which are equal)
            returns_1 = ACQUIRE_PYTHON_RLOCK_REENTRY_RETURNS_1
            options.append(Option(Returned(value), Effect.REENTER, returns_1))
        else:
            # clause RLock.acquire.owner-increments-level
            options.append(Option(Returned(value), Effect.REENTER, ACQUIRE_OWNER_INCREMENTS_LEVEL))
    return decide(s, c, options, ACQUIRE_OWNER_INCREMENTS_LEVEL)


def acquire(s: State, c: Call) -> Result[State]:
    p = s.profile
    a = lockstep.bind_acquire(p, c, LockKind.RLOCK)
    if a is None:
        # clause RLock.acquire.blocking-keyword-in-2.7 / RLock.call.bad-arguments-raise-typeerror
        which = ACQUIRE_BLOCKING_KEYWORD_IN_2_7 if p.py2 else CALL_BAD_ARGUMENTS_RAISE_TYPEERROR
        return Done(Raised("TypeError"), s, which)
    blocking, limit = a["blocking"], a["timeout"]
    no_args = not c.args and not c.kwargs
    err = lockstep.acquire_error(p, blocking, limit)
    if s.owner == c.thread:
        return _reentry(s, c, no_args, blocking, limit, err)
    if err is not None:
        # clause RLock.acquire.bad-timeout-raises (or non-int-blocking, timeout-with-nonblocking,
        # undocumented-timeout)
        return Done(lockstep.rejected(p, err, blocking, limit), s, error_clause(p, blocking, limit, err))
    value = success_value(p, no_args, RLockClass.C, reentry=False)
    if s.owner is None:
        # clause RLock.acquire.unlocked-takes-ownership
        return Done(Returned(value), replace(s, owner=c.thread, level=1), ACQUIRE_UNLOCKED_TAKES_OWNERSHIP)
    if not blocking:
        # clause RLock.acquire.nonblocking-returns-false
        return Done(Returned(False), s, ACQUIRE_NONBLOCKING_RETURNS_FALSE)
    # clause RLock.acquire.other-owner-blocks
    waiter = Waiter(c.thread, timed=lockstep.is_timed(limit), value=value)
    return Blocked(replace(s, waiters=s.waiters + (waiter,)), ACQUIRE_OTHER_OWNER_BLOCKS)


def release(s: State, c: Call) -> Result[State]:
    if c.args or c.kwargs:
        # clause RLock.call.bad-arguments-raise-typeerror
        return Done(Raised("TypeError"), s, CALL_BAD_ARGUMENTS_RAISE_TYPEERROR)
    if s.owner is None:
        # clause RLock.release.unlocked-raises
        return Done(Raised("RuntimeError"), s, RELEASE_UNLOCKED_RAISES)
    if s.owner != c.thread:
        # clause RLock.release.non-owner-raises
        exc = "RuntimeError" if s.profile.cpython else "Exception"
        return Done(Raised(exc), s, RELEASE_NON_OWNER_RAISES)
    after = apply(s, c.thread, Effect.RELEASE)
    if after.owner is None:
        # clause RLock.release.final-release-unlocks
        return Done(Returned(None), after, RELEASE_FINAL_RELEASE_UNLOCKS)
    # clause RLock.release.owner-decrements-level
    return Done(Returned(None), after, RELEASE_OWNER_DECREMENTS_LEVEL)


def locked(s: State, c: Call) -> Result[State]:
    if c.args or c.kwargs:
        # clause RLock.call.bad-arguments-raise-typeerror
        return Done(Raised("TypeError"), s, CALL_BAD_ARGUMENTS_RAISE_TYPEERROR)
    # clause RLock.locked.reports-state
    return Done(Returned(s.owner is not None), s, LOCKED_REPORTS_STATE)


def enter(s: State, c: Call) -> Result[State]:
    """``__enter__`` is ``acquire``, with the same arguments, in every CPython RLock."""
    r = acquire(s, Call(c.thread, "acquire", c.args, c.kwargs))
    if c.args or c.kwargs:
        return r
    # clause RLock.with.acquires-and-releases
    if isinstance(r, Done):
        return Done(r.outcome, r.state, WITH_ACQUIRES_AND_RELEASES)
    return Blocked(r.state, WITH_ACQUIRES_AND_RELEASES)


def exit_(s: State, c: Call) -> Result[State]:
    r = release(s, Call(c.thread, "release"))
    assert isinstance(r, Done)
    effect = Effect.RELEASE if isinstance(r.outcome, Returned) else Effect.NONE
    # clause RLock.with.acquires-and-releases
    outcome = lockstep.exited(s.profile) if effect is Effect.RELEASE else r.outcome
    released = Option(outcome, effect, WITH_ACQUIRES_AND_RELEASES if effect is Effect.RELEASE else r.clause)
    bound = bind(c, ("t", "v", "tb"), {})
    accepts = {
        RLockClass.PYTHON: bound is not None and MISSING not in bound.values(),
        RLockClass.C: not c.kwargs,
    }
    # clause RLock.with.exit-arguments
    refused = Option(Raised("TypeError"), Effect.NONE, WITH_EXIT_ARGUMENTS)
    options = [released if accepts[impl] else refused for impl in classes(s.profile)]
    return decide(s, c, options, WITH_EXIT_ARGUMENTS)


TRANSITIONS = {
    "acquire": acquire,
    "release": release,
    "locked": locked,
    "__enter__": enter,
    "__exit__": exit_,
}


def ops(profile: Profile) -> tuple[str, ...]:
    if profile.since(3, 14):
        # [Changed in 3.14] locked() added
        return ("acquire", "release", "locked", "__enter__", "__exit__")
    return ("acquire", "release", "__enter__", "__exit__")


def invoke(s: State, c: Call) -> Result[State]:
    if c.op == "locked" and c.op not in ops(s.profile):
        # clause RLock.locked.absent-before-3.14
        return Done(Raised("AttributeError"), s, LOCKED_ABSENT_BEFORE_3_14)
    return dispatch(s, c, TRANSITIONS, ops(s.profile), CALL_BAD_ARGUMENTS_RAISE_TYPEERROR)


# ---------------------------------------------------------------------------
# Internal steps
# ---------------------------------------------------------------------------


def wakeups(s: State) -> Iterator[Step[State]]:
    """An undecided call completes with any of its options; once the lock is unlocked,
    any one waiter may take ownership (which one is not defined)."""
    for i, u in enumerate(s.undecided):
        rest = replace(s, undecided=s.undecided[:i] + s.undecided[i + 1 :])
        for o in u.options:
            yield Step(u.thread, o.outcome, apply(rest, u.thread, o.effect), o.clause)
    if s.owner is not None:
        return
    for w, rest_w in lockstep.takers(s.waiters):
        after = replace(s, owner=w.thread, level=1, waiters=rest_w)
        # clause RLock.release.wakes-one-waiter
        yield Step(w.thread, Returned(w.value), after, RELEASE_WAKES_ONE_WAITER)


def expiries(s: State) -> Iterator[Step[State]]:
    """A waiter with a timeout may give up, returning False."""
    for w, rest in lockstep.giving_up(s.waiters):
        # clause RLock.acquire.timeout-returns-false
        yield Step(w.thread, Returned(False), replace(s, waiters=rest), ACQUIRE_TIMEOUT_RETURNS_FALSE)


# ---------------------------------------------------------------------------
# Invariants
# ---------------------------------------------------------------------------


def inv_owner_iff_level(s: State) -> bool:
    """The lock has an owner exactly when its recursion level is nonzero."""
    return (s.owner is None) == (s.level == 0)


def inv_level_nonnegative(s: State) -> bool:
    """The recursion level never goes below zero."""
    return s.level >= 0


def inv_pending_distinct(s: State) -> bool:
    """A thread has at most one pending call."""
    threads = [w.thread for w in s.waiters] + [u.thread for u in s.undecided]
    return len(set(threads)) == len(threads)


def inv_owner_never_waits(s: State) -> bool:
    """The owner is never among the threads blocked waiting for the lock."""
    return all(w.thread != s.owner for w in s.waiters)


def inv_only_owner_changes_level(s: State) -> bool:
    """An undecided call that may change the recursion level is the owner's."""
    return all(
        u.thread == s.owner
        for u in s.undecided
        for o in u.options
        if o.effect is not Effect.NONE
    )


def inv_waiters_only_when_locked_or_wakeup_enabled(s: State) -> bool:
    """Waiters exist only while the lock is owned, or a wakeup is enabled (never stranded)."""
    return s.owner is not None or not s.waiters or any(True for _ in wakeups(s))


def inv_timeouts_only_since_32(s: State) -> bool:
    """Before 3.2 no acquire has a timeout."""
    return s.profile.since(3, 2) or not any(w.timed for w in s.waiters)


INVARIANTS = (
    inv_owner_iff_level,
    inv_level_nonnegative,
    inv_pending_distinct,
    inv_owner_never_waits,
    inv_only_owner_changes_level,
    inv_waiters_only_when_locked_or_wakeup_enabled,
    inv_timeouts_only_since_32,
)


AMBIGUITIES = (
    Ambiguity(
        topic="which waiter proceeds",
        text="If more than one thread is blocked waiting until the lock is unlocked, only one at "
        "a time will be able to grab ownership of the lock.",
        reading="Every profile, both strictness levels: any waiter may be the one woken.",
    ),
    Ambiguity(
        topic="return value of acquire() without arguments, and of a reentrant acquire",
        text="There is no return value in this case. [...] When invoked with the blocking "
        "argument set to True, do the same thing as when called without arguments, and return "
        "True.",
        reading="documented: acquire() without arguments may return anything; with arguments a "
        "reentrant acquire returns True or 1 (equal values). cpython: the first acquisition "
        "returns True; a reentrant one returns True (C RLock) or 1 (Python RLock); 2.7, which "
        "has only the Python RLock, returns exactly 1.",
        readings=(
            Reading(
                'the first acquisition returns True; a reentrant one returns exactly 1 (2.7 has only the '
                'Python RLock).',
                Strictness.CPYTHON, (2, 7), (3, 0),
            ),
            Reading(
                'the first acquisition returns True; a reentrant one returns True (C RLock) or 1 (Python '
                'RLock).',
                Strictness.CPYTHON, (3, 0),
            ),
            Reading(
                'acquire() without arguments may return anything; with arguments a reentrant acquire '
                'returns True or 1 (equal values).',
                Strictness.DOCUMENTED,
            ),
        ),
    ),
    Ambiguity(
        topic="release by a thread that does not own the lock",
        text="A reentrant lock must be released by the thread that acquired it. [...] Only call "
        "this method when the calling thread owns the lock.",
        reading="documented: the call raises some exception (type not compared) and the lock is "
        "unchanged. cpython: RuntimeError, as both classes raise.",
        readings=(
            Reading(
                'RuntimeError, as both classes raise, and the lock is unchanged.',
                Strictness.CPYTHON,
            ),
            Reading(
                'the call raises some exception (type not compared) and the lock is unchanged.',
                Strictness.DOCUMENTED,
            ),
        ),
    ),
    Ambiguity(
        topic="argument checks when the owner acquires again",
        text="RLock.acquire(blocking=True, timeout=-1)",
        reading="Every profile with both classes: an owner's acquire with bad arguments either "
        "raises (C RLock) or reenters and returns 1 (Python RLock, which never looks at them). "
        "Callers that are not the owner always get the exception.",
    ),
    Ambiguity(
        topic="constructor arguments",
        text="class threading.RLock() [...] Note that RLock is actually a factory function which "
        "returns an instance of the most efficient version of the concrete RLock class.",
        reading="The spec describes the factory: it accepts and ignores arguments (2.7: one, "
        "verbose), with DeprecationWarning from 3.13 at cpython strictness. _PyRLock(arg) "
        "raises TypeError; scenarios that pass constructor arguments apply to the factory only.",
        readings=(
            Reading(
                'the factory accepts and ignores arguments (2.7: one, verbose), without a warning; '
                '_PyRLock(arg) raises TypeError.',
                Strictness.CPYTHON, (2, 7), (3, 13),
            ),
            Reading(
                'the factory accepts and ignores arguments with DeprecationWarning; _PyRLock(arg) raises '
                'TypeError.',
                Strictness.CPYTHON, (3, 13),
            ),
            Reading(
                'the factory accepts and ignores arguments (2.7: one, verbose); no warning is required; '
                '_PyRLock(arg) raises TypeError.',
                Strictness.DOCUMENTED,
            ),
        ),
    ),
    Ambiguity(
        topic="timeout of zero",
        text="block for at most the number of seconds specified by timeout",
        reading="acquire(timeout=0) by a thread that does not own a locked RLock is a wait that "
        "may expire at once, returning False.",
    ),
    Ambiguity(
        topic="__exit__ arguments",
        text="release() will be called when the block is exited",
        reading="__exit__(t, v, tb) releases; any other call either releases (C RLock, "
        "positional arguments) or raises TypeError (Python RLock, or keywords to the C RLock).",
    ),
)

SPEC: PrimitiveSpec[State] = PrimitiveSpec(
    PRIMITIVE, create, invoke, wakeups, expiries, INVARIANTS, timeout, ops, AMBIGUITIES
)


PYTHON_CLASS = "_PyRLock"
"""The module attribute naming CPython 3.x's Python RLock class."""


def create_python_class(profile: Profile, c: Call) -> Done[State | None]:
    """``threading._PyRLock(...)``: the class itself takes no arguments (only the factory does)."""
    if c.args or c.kwargs:
        # clause RLock.init.factory-accepts-arguments
        return Done(Raised("TypeError"), None, INIT_FACTORY_ACCEPTS_ARGUMENTS)
    return create(profile, c)


PYTHON_CLASS_SPEC: PrimitiveSpec[State] = replace(SPEC, name=PYTHON_CLASS, create=create_python_class)
"""The same spec, for ``threading._PyRLock`` constructed directly: with it in
``spec.PRIMITIVES``, ``threadspec check`` drives CPython's Python RLock as well as the
class ``threading.RLock()`` returns (only the C one on 3.x)."""
