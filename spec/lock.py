"""Lock: a primitive lock, "locked" or "unlocked", owned by no thread.

The documentation promises: ``acquire`` on an unlocked lock locks it and returns;
on a locked lock it blocks until some thread (any thread) releases it, and
exactly one waiter then proceeds; releasing an unlocked lock is an error.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from spec import lockstep
from spec.clauses import Ambiguity, Reading, clause
from spec.core import Blocked, Done, PrimitiveSpec, Result, Step, dispatch
from spec.lockstep import Acquirer, LockKind
from spec.profiles import Profile, Strictness
from spec.values import Call, Raised, Returned, ThreadId

PRIMITIVE = "Lock"

# ---------------------------------------------------------------------------
# Clauses
# ---------------------------------------------------------------------------

INIT_CREATED_UNLOCKED = clause(
    "Lock.init.created-unlocked",
    doc="threading.Lock",
    quote="A primitive lock is in one of two states, \"locked\" or \"unlocked\". "
    "It is created in the unlocked state.",
)
INIT_NO_ARGUMENTS = clause(
    "Lock.init.no-arguments",
    doc="threading.Lock",
    quote="class threading.Lock() [Python: the constructor takes no arguments]",
    strictness=Strictness.CPYTHON,
)
ACQUIRE_UNLOCKED_LOCKS = clause(
    "Lock.acquire.unlocked-locks",
    doc="threading.Lock.acquire",
    quote="When invoked with the blocking argument set to True (the default), block until "
    "the lock is unlocked, then set it to locked and return True.",
)
ACQUIRE_LOCKED_BLOCKS = clause(
    "Lock.acquire.locked-blocks",
    doc="threading.Lock.acquire",
    quote="When the state is locked, acquire() blocks until a call to release() in another "
    "thread changes it to unlocked, then the acquire() call resets it to locked and returns.",
)
ACQUIRE_NONBLOCKING_RETURNS_FALSE = clause(
    "Lock.acquire.nonblocking-returns-false",
    doc="threading.Lock.acquire",
    quote="When invoked with the blocking argument set to False, do not block. If a call with "
    "blocking set to True would block, return False immediately; otherwise, set the lock to "
    "locked and return True.",
)
ACQUIRE_TIMEOUT_RETURNS_FALSE = clause(
    "Lock.acquire.timeout-returns-false",
    doc="threading.Lock.acquire",
    quote="When invoked with the floating-point timeout argument set to a positive value, block "
    "for at most the number of seconds specified by timeout and as long as the lock cannot be "
    "acquired. The return value is True if the lock is acquired successfully, False if not "
    "(for example if the timeout expired).",
    since=(3, 2),
)
ACQUIRE_TIMEOUT_WITH_NONBLOCKING_RAISES = clause(
    "Lock.acquire.timeout-with-nonblocking-raises",
    doc="threading.Lock.acquire",
    quote="It is forbidden to specify a timeout when blocking is False.",
    since=(3, 2),
)
ACQUIRE_BAD_TIMEOUT_RAISES = clause(
    "Lock.acquire.bad-timeout-raises",
    doc="threading.Lock.acquire",
    quote="A timeout argument of -1 specifies an unbounded wait. [TIMEOUT_MAX: a timeout greater "
    "than this value (an infinite one too) will raise an OverflowError; with blocking False, any "
    "exception; what other timeouts do is Lock.acquire.undocumented-timeout-raises]",
    since=(3, 2),
)
ACQUIRE_UNDOCUMENTED_TIMEOUT_RAISES = clause(
    "Lock.acquire.undocumented-timeout-raises",
    doc="threading.Lock.acquire",
    quote="[CPython 3.2+: a timeout the documentation gives no meaning to raises: a negative one other "
    "than -1, or a NaN, ValueError; one below -TIMEOUT_MAX that is infinite or an int too large for a "
    "float, OverflowError; one that is no number (None, a str), TypeError]",
    since=(3, 2),
    strictness=Strictness.CPYTHON,
)
ACQUIRE_NO_KEYWORDS_IN_2_7 = clause(
    "Lock.acquire.no-keywords-in-2.7",
    doc="threading.Lock.acquire",
    quote="Lock.acquire([blocking]) [2.7: the only parameter is positional; "
    "keyword arguments raise TypeError] [Changed in 3.2: The timeout parameter is new.]",
    until=(3, 2),
)
RELEASE_LOCKED_UNLOCKS = clause(
    "Lock.release.locked-unlocks",
    doc="threading.Lock.release",
    quote="When the lock is locked, reset it to unlocked, and return. If any other threads are "
    "blocked waiting for the lock to become unlocked, allow exactly one of them to proceed.",
)
RELEASE_ANY_THREAD = clause(
    "Lock.release.any-thread",
    doc="threading.Lock.release",
    quote="Release a lock. This can be called from any thread, not only the thread which has "
    "acquired the lock. [2.7, Lock(): Once a thread has acquired it, subsequent attempts to acquire "
    "it block, until it is released; any thread may release it.]",
)
RELEASE_UNLOCKED_RAISES_THREADERROR = clause(
    "Lock.release.unlocked-raises-threaderror",
    doc="threading.Lock.release",
    quote="When invoked on an unlocked lock, a ThreadError is raised.",
    until=(3, 0),
)
RELEASE_UNLOCKED_RAISES_RUNTIMEERROR = clause(
    "Lock.release.unlocked-raises-runtimeerror",
    doc="threading.Lock.release",
    quote="When invoked on an unlocked lock, a RuntimeError is raised.",
    since=(3, 0),
)
RELEASE_WAKES_ONE_WAITER = clause(
    "Lock.release.wakes-one-waiter",
    doc="threading.Lock",
    quote="When more than one thread is blocked in acquire() waiting for the state to turn to "
    "unlocked, only one thread proceeds when a release() call resets the state to unlocked; "
    "which one of the waiting threads proceeds is not defined, and may vary across "
    "implementations.",
)
LOCKED_REPORTS_STATE = clause(
    "Lock.locked.reports-state",
    doc="threading.Lock.locked",
    quote="Return true if the lock is acquired.",
    since=(3, 0),
)
LOCKED_REPORTS_STATE_IN_2_7 = clause(
    "Lock.locked.reports-state-in-2.7",
    doc="thread.lock.locked",
    quote="[2.7 thread docs] Return the status of the lock: True if it has been acquired by some "
    "thread, False if not. [2.7: documented for the thread module's lock objects, which "
    "threading.Lock returns]",
    until=(3, 0),
)
WITH_ACQUIRES_AND_RELEASES = clause(
    "Lock.with.acquires-and-releases",
    doc="threading.Lock",
    quote="All of the objects provided by this module that have acquire() and release() methods "
    "can be used as context managers for a with statement. The acquire() method will be called "
    "when the block is entered, and release() will be called when the block is exited.",
)
CALL_BAD_ARGUMENTS_RAISE_TYPEERROR = clause(
    "Lock.call.bad-arguments-raise-typeerror",
    doc="threading.Lock",
    quote="[Python] A call with arguments that do not match the documented signature raises "
    "TypeError.",
    strictness=Strictness.CPYTHON,
)
ACQUIRE_INTERRUPTED_BY_SIGNALS = clause(
    "Lock.acquire.interrupted-by-signals",
    doc="threading.Lock.acquire",
    quote="Lock acquisition can now be interrupted by signals on POSIX if the underlying threading "
    "implementation supports it. [Changed in 3.2] [the reading: a blocked acquire() in the main "
    "thread, whose signal handler raises, raises that exception and leaves the lock as it was]",
    since=(3, 2),
    unexercisable="no transition models it and no scenario can make it happen: Python runs signal "
    "handlers only in the main thread, and the agent's main thread only reads and dispatches the "
    "host's commands (conformance/agent.py: serve), so every acquire() a check makes is a worker's, "
    "which no signal interrupts; exercising it needs an agent command that makes the main thread "
    "itself block in acquire() on a lock a worker holds while a repeating timer signal "
    "(signal.setitimer, SIGALRM) runs a handler that raises, and a spec step for the interruption",
)
"""Not modelled (see ``unexercisable``): the spec has no step in which a signal interrupts a
blocked acquire, so a run that showed one would be reported as a violation of
``Lock.acquire.locked-blocks``."""

# ---------------------------------------------------------------------------
# State
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class State:
    profile: Profile
    locked: bool = False
    waiters: tuple[Acquirer, ...] = ()
    holder: ThreadId | None = None
    """The thread whose acquire locked it. Informative only: any thread may release."""


def create(profile: Profile, c: Call) -> Done[State | None]:
    if c.args or c.kwargs:
        return Done(Raised("TypeError"), None, INIT_NO_ARGUMENTS)
    return Done(Returned(None), State(profile), INIT_CREATED_UNLOCKED)


# ---------------------------------------------------------------------------
# Transitions
# ---------------------------------------------------------------------------


def timeout(c: Call) -> float | None:
    """The timeout of a pending ``acquire`` (``None``: waits without limit)."""
    return lockstep.pending_timeout(c) if c.op == "acquire" else None


def acquire(s: State, c: Call) -> Result[State]:
    p = s.profile
    a = lockstep.bind_acquire(p, c, LockKind.LOCK)
    err = "TypeError" if a is None else lockstep.acquire_error(p, a["blocking"], a["timeout"])
    if err is not None:
        which = ACQUIRE_NO_KEYWORDS_IN_2_7 if p.py2 else ACQUIRE_BAD_TIMEOUT_RAISES
        if err == "ValueError" and a is not None and a["blocking"] is False:
            which = ACQUIRE_TIMEOUT_WITH_NONBLOCKING_RAISES
        elif a is not None and lockstep.undocumented(a["blocking"], a["timeout"], err):
            which = ACQUIRE_UNDOCUMENTED_TIMEOUT_RAISES
        # clause Lock.acquire.bad-timeout-raises (or timeout-with-nonblocking, undocumented-timeout,
        # no-keywords-in-2.7)
        args = (True,) if a is None else (a["blocking"], a["timeout"])
        return Done(lockstep.rejected(p, err, *args), s, which)
    assert a is not None
    if not s.locked:
        # clause Lock.acquire.unlocked-locks
        return Done(Returned(True), replace(s, locked=True, holder=c.thread), ACQUIRE_UNLOCKED_LOCKS)
    if not a["blocking"]:
        # clause Lock.acquire.nonblocking-returns-false
        return Done(Returned(False), s, ACQUIRE_NONBLOCKING_RETURNS_FALSE)
    # clause Lock.acquire.locked-blocks
    waiter = Acquirer(c.thread, timed=lockstep.is_timed(a["timeout"]))
    return Blocked(replace(s, waiters=s.waiters + (waiter,)), ACQUIRE_LOCKED_BLOCKS)


def release(s: State, c: Call) -> Result[State]:
    if c.args or c.kwargs:
        return Done(Raised("TypeError"), s, CALL_BAD_ARGUMENTS_RAISE_TYPEERROR)
    if not s.locked:
        if s.profile.py2:
            # clause Lock.release.unlocked-raises-threaderror
            return Done(Raised("ThreadError"), s, RELEASE_UNLOCKED_RAISES_THREADERROR)
        # clause Lock.release.unlocked-raises-runtimeerror
        return Done(Raised("RuntimeError"), s, RELEASE_UNLOCKED_RAISES_RUNTIMEERROR)
    unlocked = replace(s, locked=False, holder=None)
    if s.holder is not None and s.holder != c.thread:
        # clause Lock.release.any-thread
        return Done(Returned(None), unlocked, RELEASE_ANY_THREAD)
    # clause Lock.release.locked-unlocks
    return Done(Returned(None), unlocked, RELEASE_LOCKED_UNLOCKS)


def locked(s: State, c: Call) -> Result[State]:
    if c.args or c.kwargs:
        return Done(Raised("TypeError"), s, CALL_BAD_ARGUMENTS_RAISE_TYPEERROR)
    # clause Lock.locked.reports-state / Lock.locked.reports-state-in-2.7
    which = LOCKED_REPORTS_STATE_IN_2_7 if s.profile.py2 else LOCKED_REPORTS_STATE
    return Done(Returned(s.locked), s, which)


def enter(s: State, c: Call) -> Result[State]:
    # clause Lock.with.acquires-and-releases
    # [CPython] __enter__ is acquire itself and takes the same arguments
    r = acquire(s, Call(c.thread, "acquire", c.args, c.kwargs))
    if c.args or c.kwargs:
        return r
    if isinstance(r, Done):
        return Done(lockstep.entered(s.profile, r.outcome), r.state, WITH_ACQUIRES_AND_RELEASES)
    waiters = r.state.waiters[:-1] + (Acquirer(c.thread, timed=False, entering=True),)
    return Blocked(replace(r.state, waiters=waiters), WITH_ACQUIRES_AND_RELEASES)


def exit_(s: State, c: Call) -> Result[State]:
    # clause Lock.with.acquires-and-releases
    r = release(s, Call(c.thread, "release"))
    if isinstance(r, Done) and isinstance(r.outcome, Returned):
        return Done(lockstep.exited(s.profile), r.state, WITH_ACQUIRES_AND_RELEASES)
    return r


TRANSITIONS = {
    "acquire": acquire,
    "release": release,
    "locked": locked,
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


def wakeups(s: State) -> Iterator[Step[State]]:
    """Once the lock is unlocked, any one waiter may take it (which one is not defined)."""
    if s.locked:
        return
    for w, rest in lockstep.takers(s.waiters):
        taken = replace(s, locked=True, waiters=rest, holder=w.thread)
        # clause Lock.release.wakes-one-waiter
        yield Step(w.thread, lockstep.taken(s.profile, w), taken, RELEASE_WAKES_ONE_WAITER)


def expiries(s: State) -> Iterator[Step[State]]:
    """A waiter with a timeout may give up, returning False."""
    for w, rest in lockstep.giving_up(s.waiters):
        # clause Lock.acquire.timeout-returns-false
        yield Step(w.thread, Returned(False), replace(s, waiters=rest), ACQUIRE_TIMEOUT_RETURNS_FALSE)


# ---------------------------------------------------------------------------
# Invariants
# ---------------------------------------------------------------------------


def inv_waiters_distinct(s: State) -> bool:
    """A thread has at most one pending call."""
    return len({w.thread for w in s.waiters}) == len(s.waiters)


def inv_waiters_only_when_locked_or_wakeup_enabled(s: State) -> bool:
    """Waiters exist only while the lock is locked, or a wakeup is enabled (never stranded)."""
    return s.locked or not s.waiters or any(True for _ in wakeups(s))


def inv_timeouts_only_since_32(s: State) -> bool:
    """Before 3.2 no acquire has a timeout."""
    return s.profile.since(3, 2) or not any(w.timed for w in s.waiters)


INVARIANTS = (
    inv_waiters_distinct,
    inv_waiters_only_when_locked_or_wakeup_enabled,
    inv_timeouts_only_since_32,
)


AMBIGUITIES = (
    Ambiguity(
        topic="which waiter proceeds",
        text="which one of the waiting threads proceeds is not defined, and may vary across "
        "implementations.",
        reading="Every profile, both strictness levels: any waiter may be the one woken; "
        "CPython's own order depends on the OS and is not FIFO.",
    ),
    Ambiguity(
        topic="acquire by the holder",
        text="Once a thread has acquired a lock, subsequent attempts to acquire it block, until "
        "it is released; any thread may release it.",
        reading="Acquiring a lock one already holds blocks (a self-deadlock unless another thread "
        "releases it); it is not an error.",
    ),
    Ambiguity(
        topic="exception of a rejected timeout",
        text="A timeout argument of -1 specifies an unbounded wait. It is forbidden to specify a "
        "timeout when blocking is False.",
        reading="documented: a negative timeout other than -1, a NaN timeout, or a timeout with "
        "blocking False raises some exception (PyPy raises OverflowError for NaN); OverflowError only "
        "for a blocking call above TIMEOUT_MAX; cpython: ValueError.",
        readings=(
            Reading(
                "2.7's acquire takes no timeout: the question does not arise.",
                None, (2, 7), (3, 0),
            ),
            Reading(
                'ValueError for a negative timeout other than -1, a NaN timeout, or a timeout with blocking'
                ' False; OverflowError for an infinite timeout or an int too large for a float, whatever '
                'blocking says.',
                Strictness.CPYTHON, (3, 0),
            ),
            Reading(
                'a negative timeout other than -1, a NaN timeout, or a timeout with blocking False raises '
                'some exception (PyPy raises OverflowError for NaN). OverflowError is required of a blocking '
                'call whose timeout is above TIMEOUT_MAX (infinite, or an int too large for a float) only: '
                'with blocking False two rules reject the call and their order is not said (PyPy raises '
                'ValueError, CPython OverflowError).',
                Strictness.DOCUMENTED, (3, 0),
            ),
        ),
    ),
    Ambiguity(
        topic="timeout of zero",
        text="block for at most the number of seconds specified by timeout",
        reading="acquire(timeout=0) on a locked lock is a wait that may expire at once; it "
        "returns False without any release in between.",
    ),
    Ambiguity(
        topic="acquire(blocking=False, timeout=-1)",
        text="It is forbidden to specify a timeout when blocking is False.",
        reading="Read literally, passing timeout=-1 with blocking False is forbidden. CPython cannot "
        "tell an explicit -1 from the default and accepts it: the call is a non-blocking acquire. "
        "Both levels follow CPython (so do Lock, RLock and a Condition's acquire): only a timeout "
        "other than -1 with blocking False raises.",
    ),
)

SPEC: PrimitiveSpec[State] = PrimitiveSpec(
    PRIMITIVE, create, invoke, wakeups, expiries, INVARIANTS, timeout, ops, AMBIGUITIES
)
