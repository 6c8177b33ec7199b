"""Thread and Timer: one thread of control, started at most once.

The documentation promises: a ``Thread`` is alive from ``start()`` until just after its
``run()`` — by default a call of the target — returns or raises; ``start()`` twice and
``join()`` before ``start()`` raise ``RuntimeError``; ``join()`` blocks until the thread
has terminated or the timeout expired, and returns ``None`` either way; ``daemon`` can be
set only before ``start()``. A ``Timer`` is a ``Thread`` whose ``run()`` waits for the
interval and then calls its function, unless ``cancel()`` came first.

A target or function is a ``Gate``: it runs until the environment opens the gate. What
the thread then does on its own — its ``run()`` returning, leaving ``enumerate()``,
ceasing to be alive, a timer's interval elapsing — are internal steps of the
environment (``Step(ENV, None, ...)``): nothing a thread of the schedule waits for.
While it waits in its target (or function, or excepthook) the thread itself can be made
to call methods of its own ``Thread`` object: those are the calls of thread ``OWN``
(``in_gate(1)``, the thread waiting in gate 1; ``in_gate(n)`` while it waits in gate n).
The environment call ``thread.exited`` says that the thread's OS thread is gone: the
thread has then certainly terminated; ``gate.entered`` says that it called a gate (its
target, a Timer's function, an excepthook), and with which arguments.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterator
from dataclasses import dataclass, replace

from spec import module
from spec.clauses import Ambiguity, clause
from spec.core import TIMEOUT_MAX, Blocked, Done, PrimitiveSpec, Result, Step, is_number
from spec.module import ModuleState
from spec.profiles import Profile, Strictness
from spec.values import (
    ANY,
    ANY_INT,
    ANY_STR,
    ENV,
    GATE_ENTERED,
    MISSING,
    THREAD_EXITED,
    Call,
    Gate,
    Hook,
    New,
    Outcome,
    Raised,
    Returned,
    ThreadId,
    Value,
    bind,
    gate_of,
    in_gate,
    value_matches,
)

PRIMITIVE = "Thread"
TIMER = "Timer"

OWN: ThreadId = in_gate(1)
"""The thread of control a ``Thread`` object runs, as the runner of its own ``run()`` and as
the caller of its own methods from inside its target (gate 1 by the scenarios'
convention). Any thread id below ``ENV`` names this thread, waiting in some gate."""


def is_own(thread: ThreadId) -> bool:
    """Is ``thread`` the Thread's own thread (waiting in one of its gates)?"""
    return thread < ENV

# ---------------------------------------------------------------------------
# Clauses: Thread
# ---------------------------------------------------------------------------

INIT_CREATED = clause(
    "Thread.init.created-not-started",
    doc="threading.Thread",
    quote="Once a thread object is created, its activity must be started by calling the thread's "
    "start() method.",
)
INIT_SIGNATURE = clause(
    "Thread.init.bad-arguments-raise-typeerror",
    doc="threading.Thread",
    quote="Thread(group=None, target=None, name=None, args=(), kwargs={}, *, daemon=None) "
    "[Python: other arguments raise TypeError; 2.7 has a sixth parameter verbose and no daemon]",
)
INIT_GROUP = clause(
    "Thread.init.group-must-be-none",
    doc="threading.Thread",
    quote="group should be None; reserved for future extension when a ThreadGroup class is "
    "implemented. [CPython: any other value fails an assertion, AssertionError]",
    strictness=Strictness.CPYTHON,
)
INIT_DAEMON = clause(
    "Thread.init.daemon-argument",
    doc="threading.Thread",
    quote="If not None, daemon explicitly sets whether the thread is daemonic. If None (the "
    "default), the daemonic property is inherited from the current thread.",
    since=(3, 3),
)
INIT_CONTEXT = clause(
    "Thread.init.context-argument",
    doc="threading.Thread",
    quote="context is the contextvars.Context value to use while running the thread.",
    since=(3, 14),
)
START = clause(
    "Thread.start.runs-in-new-thread",
    doc="threading.Thread.start",
    quote="Start the thread's activity. It arranges for the object's run() method to be invoked "
    "in a separate thread of control. Once the thread's activity is started, the thread is "
    "considered 'alive'.",
)
START_TWICE = clause(
    "Thread.start.twice-raises",
    doc="threading.Thread.start",
    quote="It must be called at most once per thread object. This method will raise a "
    "RuntimeError if called more than once on the same thread object.",
)
RUN_CALLS_TARGET = clause(
    "Thread.run.calls-target",
    doc="threading.Thread.run",
    quote="The standard run() method invokes the callable object passed to the object's "
    "constructor as the target argument, if any, with positional and keyword arguments taken "
    "from the args and kwargs arguments, respectively.",
)
RUN_DELETES_TARGET = clause(
    "Thread.run.deletes-target",
    doc="threading.Thread.run",
    quote="[CPython: run() deletes the target and its arguments when it ends; a run() that "
    "starts, or ends, after another one ended raises AttributeError]",
    strictness=Strictness.CPYTHON,
)
RUN_EXCEPTHOOK = clause(
    "Thread.run.exception-calls-excepthook",
    doc="threading.Thread",
    quote="If the run() method raises an exception, threading.excepthook() is called to handle "
    "it.",
    since=(3, 8),
)
RUN_EXCEPTHOOK_ARGS = clause(
    "Thread.run.excepthook-gets-the-exception-and-thread",
    doc="threading.excepthook",
    quote="The args argument has the following attributes: exc_type: Exception type. exc_value: "
    "Exception value, can be None. exc_traceback: Exception traceback, can be None. thread: Thread "
    "which raised the exception, can be None. [CPython, for an exception that escaped run(): a "
    "4-tuple of the exception's class, the exception, its traceback and the Thread itself]",
    since=(3, 8),
    strictness=Strictness.CPYTHON,
)
RUN_ENDS_THREAD = clause(
    "Thread.run.end-terminates-thread",
    doc="threading.Thread",
    quote="It stops being alive when its run() method terminates -- either normally, or by "
    "raising an unhandled exception.",
)
IS_ALIVE = clause(
    "Thread.is_alive.reports-alive",
    doc="threading.Thread.is_alive",
    quote="Return whether the thread is alive. This method returns True just before the run() "
    "method starts until just after the run() method terminates.",
)
IS_ALIVE_ALIAS = clause(
    "Thread.isAlive.alias",
    doc="threading.Thread.is_alive",
    quote="is_alive() isAlive() — isAlive is the pre-2.6 spelling of is_alive.",
    until=(3, 9),
)
IS_ALIVE_REMOVED = clause(
    "Thread.isAlive.removed",
    doc="threading.Thread.is_alive",
    quote="[What's New in 3.9] The isAlive() method of threading.Thread has been removed. It was "
    "deprecated since Python 3.8. Use is_alive() instead.",
    since=(3, 9),
)
JOIN_UNSTARTED = clause(
    "Thread.join.before-start-raises",
    doc="threading.Thread.join",
    quote="It is also an error to join() a thread before it has been started and attempts to do "
    "so raise the same exception [RuntimeError].",
)
JOIN_CURRENT = clause(
    "Thread.join.current-thread-raises",
    doc="threading.Thread.join",
    quote="join() raises a RuntimeError if an attempt is made to join the current thread as "
    "that would cause a deadlock.",
)
JOIN_BLOCKS = clause(
    "Thread.join.blocks-until-terminated",
    doc="threading.Thread.join",
    quote="Wait until the thread terminates. This blocks the calling thread until the thread "
    "whose join() method is called terminates -- either normally or through an unhandled "
    "exception -- or until the optional timeout occurs.",
)
JOIN_WAKES = clause(
    "Thread.join.returns-when-terminated",
    doc="threading.Thread.join",
    quote="When the timeout argument is not present or None, the operation will block until the "
    "thread terminates.",
)
JOIN_TERMINATED = clause(
    "Thread.join.terminated-returns-at-once",
    doc="threading.Thread.join",
    quote="A thread can be joined many times.",
)
JOIN_TIMEOUT = clause(
    "Thread.join.timeout-returns-none",
    doc="threading.Thread.join",
    quote="When the timeout argument is present and not None, it should be a floating point "
    "number specifying a timeout for the operation in seconds (or fractions thereof). As join() "
    "always returns None, you must call is_alive() after join() to decide whether a timeout "
    "happened -- if the thread is still alive, the join() call timed out.",
)
JOIN_NEGATIVE = clause(
    "Thread.join.negative-timeout-acts-as-zero",
    doc="threading.Thread.join",
    quote="[CPython: a negative timeout acts as a timeout of 0]",
    strictness=Strictness.CPYTHON,
)
JOIN_BAD_TIMEOUT = clause(
    "Thread.join.bad-timeout-raises",
    doc="threading.Thread.join",
    quote="When the timeout argument is present and not None, it should be a floating point number "
    "[Python: a timeout that is not a number raises TypeError]",
)
JOIN_UNDEFINED_TIMEOUT = clause(
    "Thread.join.undefined-timeout",
    doc="threading.Thread.join",
    quote="it should be a floating point number specifying a timeout for the operation in seconds "
    "[A NaN timeout, or one above TIMEOUT_MAX, is not defined: the call may raise ValueError or "
    "OverflowError, or wait as if it had none. CPython 3.x raises ValueError for NaN, OverflowError "
    "otherwise, whenever it still waits on the thread (always from 3.13); 2.7 waits]",
)
JOIN_BAD_TIMEOUT_STOPS = clause(
    "Thread.join.rejected-timeout-marks-stopped",
    doc="threading.Thread.join",
    quote="[CPython 3.9-3.12, undocumented: a join() whose NaN or too large timeout is rejected while "
    "the thread runs releases the lock that join() waits for and marks the thread stopped: is_alive() "
    "is False and join() returns at once from then on, although the thread still runs]",
    since=(3, 9),
    until=(3, 13),
    strictness=Strictness.CPYTHON,
)
JOIN_RACE = clause(
    "Thread.join.concurrent-joins-may-raise",
    doc="threading.Thread.join",
    quote="[CPython 3.x before 3.13, a known bug (python/cpython#116372): when two join() calls wait "
    "for the same thread's end, one may take and release the lock that join() waits for and then "
    "find the other holding it, and raise AssertionError; from 3.9 its clean-up may then release the "
    "other's lock, so that either raises RuntimeError instead. The thread is stopped all the same]",
    since=(3, 0),
    until=(3, 13),
    known_bug="https://github.com/python/cpython/issues/116372",
)
NAME = clause(
    "Thread.name.set-by-constructor",
    doc="threading.Thread.name",
    quote="A string used for identification purposes only. It has no semantics. Multiple "
    "threads may be given the same name. The initial name is set by the constructor.",
)
NAME_DEFAULT = clause(
    "Thread.name.default-thread-n",
    doc="threading.Thread",
    quote="name is the thread name. By default, a unique name is constructed of the form "
    "\"Thread-N\" where N is a small decimal number.",
)
NAME_SET = clause(
    "Thread.name.settable",
    doc="threading.Thread",
    quote="A thread has a name. The name can be passed to the constructor, and read or changed "
    "through the name attribute. [CPython: the name becomes str(value)]",
)
NAME_ALIAS = clause(
    "Thread.getName.alias",
    doc="threading.Thread.getName",
    quote="getName() setName() — Pre-2.6 API for name.",
    until=(3, 10),
)
NAME_DEPRECATED = clause(
    "Thread.getName.deprecation-warning",
    doc="threading.Thread.getName",
    quote="Deprecated getter/setter API for name; use it directly as a property instead. "
    "[CPython: they emit DeprecationWarning]",
    since=(3, 10),
)
IDENT_BEFORE = clause(
    "Thread.ident.none-before-start",
    doc="threading.Thread.ident",
    quote="The 'thread identifier' of this thread or None if the thread has not been started.",
)
IDENT_AFTER = clause(
    "Thread.ident.int-once-started",
    doc="threading.Thread.ident",
    quote="The 'thread identifier' of this thread or None if the thread has not been started. This "
    "is a nonzero integer. See the get_ident() function. The identifier is available even after the "
    "thread has exited.",
)
NATIVE_ID = clause(
    "Thread.native_id.none-or-int",
    doc="threading.Thread.native_id",
    quote="The Thread ID (TID) of this thread, as assigned by the OS (kernel). This is a "
    "non-negative integer, or None if the thread has not been started.",
    since=(3, 8),
)
DAEMON_DEFAULT = clause(
    "Thread.daemon.inherited-from-creator",
    doc="threading.Thread.daemon",
    quote="Its initial value is inherited from the creating thread; the main thread is not a "
    "daemon thread and therefore all threads created in the main thread default to daemon = "
    "False.",
)
DAEMON_GET = clause(
    "Thread.daemon.reports-flag",
    doc="threading.Thread.daemon",
    quote="A boolean value indicating whether this thread is a daemon thread (True) or not "
    "(False). [CPython: reads back the value assigned, as it was given]",
)
DAEMON_SET = clause(
    "Thread.daemon.settable-before-start",
    doc="threading.Thread",
    quote="The flag can be set through the daemon property.",
)
DAEMON_AFTER_START = clause(
    "Thread.daemon.set-after-start-raises",
    doc="threading.Thread.daemon",
    quote="This must be set before start() is called, otherwise RuntimeError is raised.",
)
EXITS_WITH_DAEMONS = clause(
    "Thread.daemon.program-exits-when-only-daemons-left",
    doc="threading.Thread.daemon",
    quote="A thread can be flagged as a \"daemon thread\". The significance of this flag is that the "
    "entire Python program exits when only daemon threads are left.",
)
"""Checked by the exit probe (``conformance/exit_probe.py``), not by the state machine: it
shows only when the interpreter ends."""
WAITS_FOR_NON_DAEMONS = clause(
    "Thread.daemon.program-waits-for-non-daemon-threads",
    doc="threading.Thread.daemon",
    quote="The entire Python program exits when no alive non-daemon threads are left.",
)
"""Checked by the exit probe, as ``EXITS_WITH_DAEMONS``."""
DAEMON_ALIAS = clause(
    "Thread.isDaemon.alias",
    doc="threading.Thread.isDaemon",
    quote="isDaemon() setDaemon() — Pre-2.6 API for daemon.",
    until=(3, 10),
)
DAEMON_DEPRECATED = clause(
    "Thread.isDaemon.deprecation-warning",
    doc="threading.Thread.isDaemon",
    quote="Deprecated getter/setter API for daemon; use it directly as a property instead. "
    "[CPython: they emit DeprecationWarning]",
    since=(3, 10),
)
BAD_CALL = clause(
    "Thread.call.bad-arguments",
    doc="threading.Thread",
    quote="[Python] A method called with arguments that do not match its signature raises "
    "TypeError; a name the class does not define in this version raises AttributeError.",
)

# ---------------------------------------------------------------------------
# Clauses: Timer
# ---------------------------------------------------------------------------

TIMER_CREATED = clause(
    "Timer.init.created",
    doc="threading.Timer",
    quote="Create a timer that will run function with arguments args and keyword arguments "
    "kwargs, after interval seconds have passed.",
)
TIMER_SIGNATURE = clause(
    "Timer.init.bad-arguments-raise-typeerror",
    doc="threading.Timer",
    quote="Timer(interval, function, args=None, kwargs=None) [Python: other arguments raise "
    "TypeError]",
)
TIMER_START = clause(
    "Timer.start.starts-waiting",
    doc="threading.Timer",
    quote="Timers are started, as with threads, by calling their start() method.",
)
TIMER_FIRES = clause(
    "Timer.run.calls-function-after-interval",
    doc="threading.Timer",
    quote="This class represents an action that should be run only after a certain amount of "
    "time has passed. The interval the timer will wait before executing its action may not be "
    "exactly the same as the interval specified by the user.",
)
TIMER_FUNCTION = clause(
    "Timer.run.function-called-with-arguments",
    doc="threading.Timer",
    quote="If args is None (the default) then an empty list will be used. If kwargs is None (the "
    "default) then an empty dict will be used.",
)
TIMER_CANCEL = clause(
    "Timer.cancel.stops-waiting-timer",
    doc="threading.Timer.cancel",
    quote="The timer can be stopped (before its action has begun) by calling the cancel() "
    "method. Stop the timer, and cancel the execution of the timer's action.",
)
TIMER_CANCEL_LATE = clause(
    "Timer.cancel.only-while-waiting",
    doc="threading.Timer.cancel",
    quote="This will only work if the timer is still in its waiting stage.",
)
TIMER_CANCELLED_SKIPS = clause(
    "Timer.run.cancelled-skips-function",
    doc="threading.Timer",
    quote="The timer can be stopped (before its action has begun) by calling the cancel() "
    "method. [A cancelled timer ends without calling its function]",
)
TIMER_BAD_INTERVAL = clause(
    "Timer.run.bad-interval-raises",
    doc="threading.Timer",
    quote="[CPython: an interval that is not a number makes the timer's run() raise TypeError; "
    "from 3.0 one above TIMEOUT_MAX raises OverflowError, and a NaN one does not wait]",
    strictness=Strictness.CPYTHON,
)

# ---------------------------------------------------------------------------
# State
# ---------------------------------------------------------------------------


class Kind(enum.Enum):
    THREAD = "Thread"
    TIMER = "Timer"


class Phase(enum.Enum):
    NEW = "new"  # constructed, start() not called
    RUNNING = "running"  # started: its run() is in progress (alive, listed by enumerate())
    HOOK = "excepthook"  # run() raised; excepthook, a gate, is handling it (alive, listed)
    EXITING = "exiting"  # run() is over and the thread left enumerate(); is_alive() still True
    STOPPED = "stopped"  # terminated: is_alive() is False, join() returns


ALIVE = (Phase.RUNNING, Phase.HOOK, Phase.EXITING)
LISTED = (Phase.RUNNING, Phase.HOOK)


class Stage(enum.Enum):
    WAITING = "waiting"  # Timer: waiting for the interval to pass, or for cancel()
    CALLING = "calling"  # calling the target (Thread) or the function (Timer)


@dataclass(frozen=True, slots=True)
class Runner:
    """A ``run()`` in progress: a worker's direct call, or (``thread == OWN``) the thread's own.

    ``late``: it began after an earlier ``run()`` had deleted the target (CPython).
    """

    thread: ThreadId
    stage: Stage
    late: bool = False


@dataclass(frozen=True, slots=True)
class Joiner:
    """A thread blocked in ``join``; ``timed`` when its call has a timeout; ``undefined`` when
    the timeout is one the documentation does not define (documented strictness only)."""

    thread: ThreadId
    timed: bool
    undefined: bool = False


class _Inherited(enum.Enum):
    INHERITED = "inherited"


INHERITED = _Inherited.INHERITED
"""``daemon`` was never given: it is the creating (main) thread's flag, False."""

Action = int | str | None
"""What calling the target or function does: a gate id, the exception the call raises at
once (e.g. a target that is not callable), or ``None``: there is nothing to call."""

Interval = float | str | None
"""A Timer's wait: seconds, the exception waiting raises, or ``None``: until cancelled."""


@dataclass(frozen=True, slots=True)
class State:
    profile: Profile
    kind: Kind = Kind.THREAD
    action: Action = None
    interval: Interval = None
    name: str | None = None  # None: a default (or otherwise unknown) name
    daemon: Value = INHERITED
    phase: Phase = Phase.NEW
    stop_seen: bool = False  # CPython's _is_stopped: a join()/is_alive() saw the end (see alive)
    hook_gate: int | None = None  # HOOK: the gate excepthook waits in
    hook_exc: str | None = None  # HOOK: the exception run() raised, handed to excepthook
    call_args: Value = ()  # the arguments the target or function is called with, as observed
    call_kwargs: Value = ()  # ... and its keyword arguments, as sorted (name, value) pairs
    runners: tuple[Runner, ...] = ()
    consumed: bool = False  # Thread: a run() ended and deleted the target (CPython)
    finished: bool = False  # Timer: its 'finished' event is set (cancelled, or the function ran)
    joiners: tuple[Joiner, ...] = ()
    raced: bool = False  # CPython < 3.13: a joiner raised in the join race (JOIN_RACE)
    hooks: tuple[Value, Value] | None = None  # (trace, profile) its run() gets; None: unknown
    ids: tuple[Value, Value] | None = None  # (get_ident(), OS id) its own thread reported, if seen
    module: ModuleState = ModuleState()

    @property
    def alive(self) -> bool:
        """What ``is_alive()`` says: started and not ended, unless CPython 3.9-3.12 marked the
        thread stopped early (``Thread.join.rejected-timeout-marks-stopped``)."""
        return self.phase in ALIVE and not self.stop_seen

    @property
    def listed(self) -> int:
        return 1 if self.phase in LISTED else 0


def _plain(v: Value) -> Value:
    """``v`` as the checker reads it back, or ``ANY`` for an object it cannot compare."""
    return ANY if isinstance(v, (Gate, New)) else v


def _is_iterable(v: Value) -> bool:
    return isinstance(v, (tuple, list, str, dict))


def _observed_arguments(args: Value, kwargs: Value) -> tuple[Value, Value]:
    """The arguments a call ``fn(*args, **kwargs)`` hands the function, as the checker reads
    them when the function is a gate (an object it cannot compare reads as ``ANY``)."""
    positional: Value = tuple(_plain(v) for v in args) if _is_iterable(args) else ()
    named: Value = ()
    if isinstance(kwargs, dict):
        named = tuple(sorted((str(k), _plain(v)) for k, v in kwargs.items()))
    return positional, named


def _callable_action(fn: Value, args: Value, kwargs: Value) -> Action:
    """What calling ``fn(*args, **kwargs)`` does."""
    if not isinstance(fn, Gate) or not _is_iterable(args):
        return "TypeError"
    if kwargs is not None and not isinstance(kwargs, dict):
        return "TypeError"
    return fn.id


def _name_of(profile: Profile, v: Value) -> str | None:
    """The name ``str(v)`` gives, where the spec can tell."""
    if isinstance(v, str):
        return v
    if profile.cpython and (v is None or isinstance(v, int)):
        return str(v)
    return None


def _kwonly(profile: Profile) -> tuple[str, ...]:
    names: tuple[str, ...] = ("daemon",) if profile.since(3, 3) else ()
    return names + (("context",) if profile.since(3, 14) else ())


def create(profile: Profile, c: Call) -> Done[State | None]:
    """``Thread(group=None, target=None, name=None, args=(), kwargs=None, *, daemon=None)``."""
    kwonly = _kwonly(profile)
    extra = {k: v for k, v in c.kwargs if k in kwonly}
    rest = Call(c.thread, c.op, c.args, tuple((k, v) for k, v in c.kwargs if k not in kwonly))
    names = ("group", "target", "name", "args", "kwargs") + (("verbose",) if profile.py2 else ())
    defaults: dict[str, Value] = {n: None for n in names}
    defaults["args"] = ()
    a = bind(rest, names, defaults)
    if a is None:
        # clause Thread.init.bad-arguments-raise-typeerror
        return Done(Raised("TypeError"), None, INIT_SIGNATURE)
    if a["group"] is not None:
        # clause Thread.init.group-must-be-none
        return Done(Raised("AssertionError"), None, INIT_GROUP)
    target = a["target"]
    action = None if target is None else _callable_action(target, a["args"], a["kwargs"])
    name = _name_of(profile, a["name"]) if a["name"] else None
    daemon = extra.get("daemon")
    positional, named = _observed_arguments(a["args"], a["kwargs"])
    s = State(profile, action=action, name=name, daemon=INHERITED if daemon is None else daemon,
              call_args=positional, call_kwargs=named)
    if "context" in extra:
        # clause Thread.init.context-argument
        return Done(Returned(None), s, INIT_CONTEXT)
    if daemon is not None:
        # clause Thread.init.daemon-argument
        return Done(Returned(None), s, INIT_DAEMON)
    # clause Thread.init.created-not-started
    return Done(Returned(None), s, INIT_CREATED)


def _interval(profile: Profile, v: Value) -> Interval:
    if v is None:
        return None
    if not is_number(v):
        return "TypeError"
    f = float(v)
    if math.isnan(f):
        return None if profile.py2 else 0.0
    if f > TIMEOUT_MAX:
        return None if profile.py2 else "OverflowError"
    return max(f, 0.0)


def create_timer(profile: Profile, c: Call) -> Done[State | None]:
    """``Timer(interval, function, args=None, kwargs=None)``."""
    a = bind(c, ("interval", "function", "args", "kwargs"), {"args": (), "kwargs": {}})
    if a is None or a["interval"] is MISSING or a["function"] is MISSING:
        # clause Timer.init.bad-arguments-raise-typeerror
        return Done(Raised("TypeError"), None, TIMER_SIGNATURE)
    args, kwargs = a["args"], a["kwargs"]
    action: Action
    if profile.py2 and (args is None or kwargs is None):
        action = "TypeError"  # 2.7 keeps an explicit None: *None and **None raise
    else:
        action = _callable_action(a["function"], () if args is None else args, kwargs)
    positional, named = _observed_arguments(() if args is None else args, kwargs)
    s = State(profile, kind=Kind.TIMER, action=action, interval=_interval(profile, a["interval"]),
              call_args=positional, call_kwargs=named)
    # clause Timer.init.created
    return Done(Returned(None), s, TIMER_CREATED)


# ---------------------------------------------------------------------------
# Transitions
# ---------------------------------------------------------------------------


def _no_args(c: Call) -> bool:
    return not c.args and not c.kwargs


def start(s: State, c: Call) -> Result[State]:
    if not _no_args(c):
        return Done(Raised("TypeError"), s, BAD_CALL)
    if s.phase is not Phase.NEW:
        # clause Thread.start.twice-raises
        return Done(Raised("RuntimeError"), s, START_TWICE)
    if s.kind is Kind.TIMER:
        own = Runner(OWN, Stage.WAITING)
        # clause Timer.start.starts-waiting
        return Done(Returned(None), replace(s, phase=Phase.RUNNING, runners=s.runners + (own,)),
                    TIMER_START)
    own = Runner(OWN, Stage.CALLING, late=s.consumed)
    hooks = (s.module.trace, s.module.profile_hook)
    # clause Thread.start.runs-in-new-thread
    return Done(Returned(None), replace(s, phase=Phase.RUNNING, runners=s.runners + (own,), hooks=hooks),
                START)


def run(s: State, c: Call) -> Result[State]:
    """``run()`` called directly: the worker itself runs the target (or the timer's wait)."""
    if not _no_args(c):
        return Done(Raised("TypeError"), s, BAD_CALL)
    if s.kind is Kind.TIMER:
        # clause Timer.run.calls-function-after-interval
        return Blocked(replace(s, runners=s.runners + (Runner(c.thread, Stage.WAITING),)), TIMER_FIRES)
    if s.consumed and s.profile.cpython:
        # clause Thread.run.deletes-target
        return Done(Raised("AttributeError"), s, RUN_DELETES_TARGET)
    runner = Runner(c.thread, Stage.CALLING, late=s.consumed)
    # clause Thread.run.calls-target
    return Blocked(replace(s, runners=s.runners + (runner,)), RUN_CALLS_TARGET)


def _join_timeout(s: State, timeout: Value) -> tuple[bool, str | None]:
    """(does the join have a timeout, the exception the timeout makes it raise)."""
    if timeout is None:
        return False, None
    if not is_number(timeout):
        return False, "TypeError"
    t = float(timeout)
    if not math.isnan(t) and t <= TIMEOUT_MAX:
        return True, None
    if s.profile.py2:
        return False, None  # 2.7 loops on a deadline that never comes
    checked = s.profile.since(3, 13) or not s.stop_seen  # else: no lock left to wait for
    if not checked:
        return False, None
    return False, "ValueError" if math.isnan(t) else "OverflowError"


def _undefined_timeout(timeout: Value) -> bool:
    """A NaN timeout, or one above ``TIMEOUT_MAX``: the documentation leaves them open."""
    return is_number(timeout) and (math.isnan(float(timeout)) or float(timeout) > TIMEOUT_MAX)


def _marks_stopped(s: State) -> bool:
    """Would a rejected join timeout mark this thread stopped (CPython 3.9-3.12)?"""
    return s.profile.since(3, 9) and s.profile.before(3, 13) and s.alive


def join(s: State, c: Call) -> Result[State]:
    a = bind(c, ("timeout",), {"timeout": None})
    if a is None:
        return Done(Raised("TypeError"), s, BAD_CALL)
    if s.phase is Phase.NEW:
        # clause Thread.join.before-start-raises
        return Done(Raised("RuntimeError"), s, JOIN_UNSTARTED)
    if is_own(c.thread):
        # clause Thread.join.current-thread-raises
        return Done(Raised("RuntimeError"), s, JOIN_CURRENT)
    # [CPython, undocumented] join() asks for current_thread(): a worker gets a dummy thread
    s = replace(s, module=module.note_current_thread(s.module, c.thread))
    timed, error = _join_timeout(s, a["timeout"])
    undefined = _undefined_timeout(a["timeout"])
    if error == "TypeError":
        # clause Thread.join.bad-timeout-raises
        return Done(Raised(error), s, JOIN_BAD_TIMEOUT)
    if undefined and not s.profile.cpython:
        waiting = replace(s, joiners=s.joiners + (Joiner(c.thread, False, undefined=True),))
        # clause Thread.join.undefined-timeout (it may raise, or wait)
        return Blocked(waiting, JOIN_UNDEFINED_TIMEOUT)
    if error is not None and _marks_stopped(s):
        # clause Thread.join.rejected-timeout-marks-stopped
        return Done(Raised(error), replace(s, stop_seen=True), JOIN_BAD_TIMEOUT_STOPS)
    if error is not None:
        # clause Thread.join.undefined-timeout (CPython 3.x raises)
        return Done(Raised(error), s, JOIN_UNDEFINED_TIMEOUT)
    if not s.alive:
        # clause Thread.join.terminated-returns-at-once
        return Done(Returned(None), replace(s, stop_seen=True), JOIN_TERMINATED)
    waiting = replace(s, joiners=s.joiners + (Joiner(c.thread, timed),))
    if undefined:
        # clause Thread.join.undefined-timeout (2.7 waits as if it had no timeout)
        return Blocked(waiting, JOIN_UNDEFINED_TIMEOUT)
    if timed and float(a["timeout"]) < 0:
        # clause Thread.join.negative-timeout-acts-as-zero
        return Blocked(waiting, JOIN_NEGATIVE)
    # clause Thread.join.blocks-until-terminated
    return Blocked(waiting, JOIN_BLOCKS)


def timeout(c: Call) -> float | None:
    """The timeout of a pending ``join`` (``None``: it never expires); negative counts as 0."""
    if c.op != "join":
        return None
    t: Value = c.kw().get("timeout", c.args[0] if c.args else None)
    if not is_number(t) or math.isnan(float(t)) or float(t) > TIMEOUT_MAX:
        return None
    return max(float(t), 0.0)


def timer_timeout(c: Call) -> float | None:
    """As ``timeout``; for the constructor, the interval after ``start()`` that the timer
    waits before it calls its function."""
    if c.op == "__init__":
        v: Value = c.kw().get("interval", c.args[0] if c.args else None)
        if not is_number(v) or math.isnan(float(v)) or float(v) > TIMEOUT_MAX:
            return None
        return max(float(v), 0.0)
    return timeout(c)


def is_alive(s: State, c: Call) -> Result[State]:
    if not _no_args(c):
        return Done(Raised("TypeError"), s, BAD_CALL)
    after = replace(s, stop_seen=True) if s.phase is Phase.STOPPED else s
    if c.op == "isAlive":
        p = s.profile
        # [CPython 3.7: PendingDeprecationWarning; 3.8: DeprecationWarning]
        warning = "DeprecationWarning" if p.since(3, 8) else None
        if p.cpython and p.since(3, 7) and p.before(3, 8):
            warning = "PendingDeprecationWarning"
        # clause Thread.isAlive.alias
        return Done(Returned(s.alive, warning), after, IS_ALIVE_ALIAS)
    # clause Thread.is_alive.reports-alive
    return Done(Returned(s.alive), after, IS_ALIVE)


def _camel(s: State) -> tuple[str | None, str]:
    """The warning and clause of a camelCase accessor (getName, setDaemon…)."""
    if s.profile.since(3, 10):
        return "DeprecationWarning", NAME_DEPRECATED
    return None, NAME_ALIAS


def get_name(s: State, c: Call) -> Result[State]:
    if not _no_args(c):
        return Done(Raised("TypeError"), s, BAD_CALL)
    value: Value = ANY_STR if s.name is None else s.name
    which = NAME_DEFAULT if s.name is None else NAME
    if c.op == "getName":
        warning, which = _camel(s)
        # clause Thread.getName.alias
        return Done(Returned(value, warning), s, which)
    # clause Thread.name.set-by-constructor / Thread.name.default-thread-n
    return Done(Returned(value), s, which)


def set_name(s: State, c: Call) -> Result[State]:
    if c.kwargs or len(c.args) != 1:
        return Done(Raised("TypeError"), s, BAD_CALL)
    renamed = replace(s, name=_name_of(s.profile, c.args[0]))
    if c.op == "setName":
        warning, which = _camel(s)
        # clause Thread.getName.alias (setName)
        return Done(Returned(None, warning), renamed, which)
    # clause Thread.name.settable
    return Done(Returned(None), renamed, NAME_SET)


def get_ident(s: State, c: Call) -> Result[State]:
    if not _no_args(c):
        return Done(Raised("TypeError"), s, BAD_CALL)
    ident, native = s.ids if s.ids is not None else (ANY_INT, ANY_INT)
    if c.op == "get:native_id":
        # clause Thread.native_id.none-or-int (the id of the OS thread it runs in)
        known = native if isinstance(native, int) else ANY_INT
        return Done(Returned(None if s.phase is Phase.NEW else known), s, NATIVE_ID)
    if s.phase is Phase.NEW:
        # clause Thread.ident.none-before-start
        return Done(Returned(None), s, IDENT_BEFORE)
    # clause Thread.ident.int-once-started (the get_ident() of the thread it runs in)
    return Done(Returned(ident if isinstance(ident, int) else ANY_INT), s, IDENT_AFTER)


def get_daemon(s: State, c: Call) -> Result[State]:
    if not _no_args(c):
        return Done(Raised("TypeError"), s, BAD_CALL)
    warning = None
    if c.op == "isDaemon" and s.profile.since(3, 10):
        warning = "DeprecationWarning"
    if s.daemon is INHERITED:
        # clause Thread.daemon.inherited-from-creator
        return Done(Returned(False, warning), s, DAEMON_DEFAULT)
    value = _plain(s.daemon)
    if not isinstance(value, bool) and not s.profile.cpython:
        value = ANY
    which = DAEMON_GET
    if c.op == "isDaemon":
        which = DAEMON_DEPRECATED if warning else DAEMON_ALIAS
    # clause Thread.daemon.reports-flag
    return Done(Returned(value, warning), s, which)


def set_daemon(s: State, c: Call) -> Result[State]:
    if c.kwargs or len(c.args) != 1:
        return Done(Raised("TypeError"), s, BAD_CALL)
    if s.phase is not Phase.NEW:
        # clause Thread.daemon.set-after-start-raises
        return Done(Raised("RuntimeError"), s, DAEMON_AFTER_START)
    after = replace(s, daemon=c.args[0])
    if c.op == "setDaemon":
        warned = s.profile.since(3, 10)
        which = DAEMON_DEPRECATED if warned else DAEMON_ALIAS
        # clause Thread.isDaemon.alias (setDaemon)
        return Done(Returned(None, "DeprecationWarning" if warned else None), after, which)
    # clause Thread.daemon.settable-before-start
    return Done(Returned(None), after, DAEMON_SET)


def cancel(s: State, c: Call) -> Result[State]:
    if not _no_args(c):
        return Done(Raised("TypeError"), s, BAD_CALL)
    waiting = s.phase is Phase.NEW or any(r.stage is Stage.WAITING for r in s.runners)
    if not waiting:
        # clause Timer.cancel.only-while-waiting
        return Done(Returned(None), replace(s, finished=True), TIMER_CANCEL_LATE)
    # clause Timer.cancel.stops-waiting-timer
    return Done(Returned(None), replace(s, finished=True), TIMER_CANCEL)


TRANSITIONS = {
    "start": start,
    "run": run,
    "join": join,
    "is_alive": is_alive,
    "isAlive": is_alive,
    "get:name": get_name,
    "getName": get_name,
    "set:name": set_name,
    "setName": set_name,
    "get:ident": get_ident,
    "get:native_id": get_ident,
    "get:daemon": get_daemon,
    "isDaemon": get_daemon,
    "set:daemon": set_daemon,
    "setDaemon": set_daemon,
    "cancel": cancel,
}


def thread_ops(profile: Profile) -> tuple[str, ...]:
    names = ["start", "run", "join", "is_alive", "get:name", "set:name", "getName", "setName",
             "get:ident", "get:daemon", "set:daemon", "isDaemon", "setDaemon"]
    if profile.before(3, 9):
        names.append("isAlive")
    if profile.since(3, 8):
        names.append("get:native_id")
    return tuple(names) + module.module_ops(profile) + ("gate.open", THREAD_EXITED, GATE_ENTERED)


def timer_ops(profile: Profile) -> tuple[str, ...]:
    return thread_ops(profile) + ("cancel",)


def ops_of(s: State) -> tuple[str, ...]:
    return timer_ops(s.profile) if s.kind is Kind.TIMER else thread_ops(s.profile)


def invoke(s: State, c: Call) -> Result[State]:
    if c.op == "gate.open":
        r = module.open_gate(s.module, c)
        return Done(r.outcome, replace(s, module=r.state), r.clause)
    if c.op == THREAD_EXITED:
        return exited(s, c)
    if c.op == GATE_ENTERED:
        return entered(s, c)
    if c.op.startswith("module.") and not is_own(c.thread):
        m = module.invoke_module(s.profile, s.module, c, s.listed)
        if m.state.trace is not s.module.trace or m.state.profile_hook is not s.module.profile_hook:
            s = replace(s, hooks=None)  # its thread may read the hooks before or after: unknown
        if isinstance(m, Done):
            return Done(m.outcome, replace(s, module=m.state), m.clause)
        return Blocked(replace(s, module=m.state), m.clause)
    if c.op not in ops_of(s):
        if c.op == "isAlive":
            # clause Thread.isAlive.removed
            return Done(Raised("AttributeError"), s, IS_ALIVE_REMOVED)
        return Done(Raised("AttributeError"), s, BAD_CALL)
    if is_own(c.thread):
        return own_call(s, c)
    return TRANSITIONS[c.op](s, c)


def _own_gate(s: State) -> int | None:
    """The gate the thread's own thread waits in now, if it waits in one: its target or a
    fired timer's function while its run() calls it, or a gate that is its excepthook."""
    if s.phase is Phase.HOOK:
        return s.hook_gate
    # (CPython: a run() that began after the target was deleted never calls it)
    calling = any(
        r.thread == OWN and r.stage is Stage.CALLING and not (r.late and s.profile.cpython)
        for r in s.runners
    )
    if s.phase is Phase.RUNNING and calling and isinstance(s.action, int):
        return s.action
    return None


def own_call(s: State, c: Call) -> Result[State]:
    """A call the thread makes on its own ``Thread`` object from inside the gate it waits in.

    Made only while it waits there: in any other state the call cannot have been made yet
    (it stays blocked, and a completion rules that state out).
    """
    if c.op.startswith("module.") or c.op == "run":
        # calls of the thread's own other than methods that do not call the target: not modelled
        return Done(Raised("AttributeError"), s, BAD_CALL)
    if _own_gate(s) != gate_of(c.thread):
        if s.phase is Phase.NEW:
            # clause Thread.start.runs-in-new-thread (not started: the target has not run)
            return Blocked(s, START)
        if s.kind is Kind.TIMER and s.phase is Phase.RUNNING:
            # clause Timer.run.calls-function-after-interval (the function is not called yet)
            return Blocked(s, TIMER_FIRES)
        if s.phase is Phase.RUNNING:
            # clause Thread.run.calls-target (the thread is not in that gate)
            return Blocked(s, RUN_CALLS_TARGET)
        # clause Thread.run.end-terminates-thread (the thread no longer waits in a gate)
        return Blocked(s, RUN_ENDS_THREAD)
    return TRANSITIONS[c.op](s, c)


def _hook_arguments(s: State) -> Value:
    """What excepthook, a gate, is called with: one ``ExceptHookArgs``, as the checker reads it
    (CPython: the exception's class, the exception, its traceback, the Thread itself)."""
    if not s.profile.cpython or s.hook_exc is None:
        return ANY
    exc = s.hook_exc
    return (((("class", exc),), ("object", exc), ("object", "traceback"), ("ref", ANY_INT)),)


def entered(s: State, c: Call) -> Result[State]:
    """``call(ENV, GATE_ENTERED, gate, args, kwargs)``: the thread's own thread called ``gate``
    with these arguments: its target or function (while its run() calls it), or its
    excepthook (while that handles run()'s exception)."""
    hooks = c.kw()
    if c.thread != ENV or set(hooks) - {"trace", "profile", "ident", "native_id"} or len(c.args) != 3:
        return Done(Raised("TypeError"), s, BAD_CALL)
    gate, args, kwargs = c.args
    if s.phase is Phase.HOOK and gate == s.hook_gate:
        which, expected, expected_kw = RUN_EXCEPTHOOK_ARGS, _hook_arguments(s), ()
    elif _own_gate(s) == gate:
        which = TIMER_FUNCTION if s.kind is Kind.TIMER else RUN_CALLS_TARGET
        expected, expected_kw = s.call_args, s.call_kwargs
    elif gate == module.hook_gate(s.profile, s.module):
        # clause Thread.run.exception-calls-excepthook (no exception is being handled now)
        return Blocked(s, RUN_EXCEPTHOOK)
    else:
        which = TIMER_FIRES if s.kind is Kind.TIMER else RUN_CALLS_TARGET
        # clause Thread.run.calls-target / Timer.run.calls-function-after-interval (not now:
        # the call cannot have been made yet)
        return Blocked(s, which)
    if not (value_matches(expected, args) and value_matches(expected_kw, kwargs)):
        # clause Thread.run.calls-target / Timer.run.function-called-with-arguments /
        # Thread.run.excepthook-gets-the-exception-and-thread (other arguments)
        return Done(Raised("TypeError"), s, which)
    wrong_hook = _wrong_hook(s, hooks) if which in (RUN_CALLS_TARGET, TIMER_FUNCTION) else None
    if wrong_hook is not None:
        # clause module.settrace.stores-hook / module.setprofile.stores-hook (its run() is
        # called without the hook settrace()/setprofile() stored, or with another)
        return Done(Raised("TypeError"), s, wrong_hook)
    if which in (RUN_CALLS_TARGET, TIMER_FUNCTION) and "ident" in hooks:
        # the thread's own ids, as it saw them: what ident and native_id must say from now on
        s = replace(s, ids=(hooks["ident"], hooks.get("native_id")))
    # clause Thread.run.calls-target / Timer.run.function-called-with-arguments /
    # Thread.run.excepthook-gets-the-exception-and-thread
    return Done(Returned(None), s, which)


def _wrong_hook(s: State, seen: dict[str, Value]) -> str | None:
    """The clause broken when the thread's own thread entered its target with the trace and
    profile functions ``seen`` (reported by the agent), if one is: a hook that
    ``settrace()``/``setprofile()`` stored before ``start()`` (and left alone since) is
    installed in the thread before its run() is called; no hook (None) installs nothing."""
    if s.hooks is None:
        return None
    trace, profile = s.hooks
    for name, which, stored in (("trace", module.SETTRACE, trace), ("profile", module.SETPROFILE, profile)):
        known = stored is None or isinstance(stored, Hook)  # else: unset, or not a function
        if known and name in seen and seen[name] != stored:
            return which
    return None


def exited(s: State, c: Call) -> Result[State]:
    """``call(ENV, THREAD_EXITED)``: the agent saw the thread's OS thread go. The thread has
    terminated: its run() is over, it is not alive, joins return at once."""
    if c.thread != ENV or c.args or c.kwargs:
        return Done(Raised("TypeError"), s, BAD_CALL)
    if s.phase is not Phase.STOPPED:
        # clause Thread.run.end-terminates-thread (a thread still running cannot be gone yet)
        return Blocked(s, RUN_ENDS_THREAD)
    # clause Thread.run.end-terminates-thread
    return Done(Returned(None), s, RUN_ENDS_THREAD)


# ---------------------------------------------------------------------------
# Internal steps
# ---------------------------------------------------------------------------


def _action_outcome(s: State) -> Outcome | None:
    """What a call of the target/function does now; ``None`` while its gate is closed."""
    if s.action is None:
        return Returned(None)
    if isinstance(s.action, str):
        return Raised(s.action)
    return module.gate_outcome(s.module, s.action)


def _completions(s: State, r: Runner) -> list[tuple[Outcome, str]]:
    """The ways runner ``r`` may end its ``run()`` now, with the clause of each."""
    if s.kind is Kind.TIMER:
        if r.stage is Stage.WAITING:
            if s.finished:
                return [(Returned(None), TIMER_CANCELLED_SKIPS)]
            if isinstance(s.interval, str):
                return [(Raised(s.interval), TIMER_BAD_INTERVAL)]
            return []
        called = _action_outcome(s)
        return [] if called is None else [(called, TIMER_FUNCTION)]
    normal = _action_outcome(s)
    deleted: Outcome = Raised("AttributeError")
    if s.profile.cpython:
        if r.late or (s.consumed and normal is not None):
            return [(deleted, RUN_DELETES_TARGET)]
        return [] if normal is None else [(normal, RUN_CALLS_TARGET)]
    # documented: once a run() has ended, another may call the target again or fail
    options: list[tuple[Outcome, str]] = [] if normal is None else [(normal, RUN_CALLS_TARGET)]
    if r.late or (s.consumed and normal is not None):
        options.append((deleted, RUN_DELETES_TARGET))
    return options


def _end_run(s: State, i: int, outcome: Outcome, which: str) -> Step[State]:
    r = s.runners[i]
    after = replace(s, runners=s.runners[:i] + s.runners[i + 1 :])
    if s.kind is Kind.THREAD:
        after = replace(after, consumed=True)
    elif r.stage is Stage.CALLING and isinstance(outcome, Returned):
        after = replace(after, finished=True)
    if r.thread != OWN:
        return Step(r.thread, outcome, after, which)
    gate = module.hook_gate(s.profile, s.module) if isinstance(outcome, Raised) else None
    if gate is not None:
        assert isinstance(outcome, Raised)
        hooked = replace(after, phase=Phase.HOOK, hook_gate=gate, hook_exc=outcome.exc)
        # clause Thread.run.exception-calls-excepthook
        return Step(ENV, None, hooked, RUN_EXCEPTHOOK)
    return Step(ENV, None, replace(after, phase=Phase.EXITING), which)


def _race_errors(s: State) -> tuple[str, ...]:
    """What a joiner may raise in CPython's join race (``Thread.join.concurrent-joins-may-raise``):
    only after the thread ended and while its end is not yet recorded, with a second joiner
    waiting; or (3.9+) RuntimeError once another joiner has raised in the race."""
    p = s.profile
    if not (p.since(3, 0) and p.before(3, 13)) or s.phase is not Phase.STOPPED:
        return ()
    errors: tuple[str, ...] = ()
    if len(s.joiners) >= 2 and not s.stop_seen:
        errors = ("AssertionError", "RuntimeError") if p.since(3, 9) else ("AssertionError",)
    elif s.raced and p.since(3, 9):
        errors = ("RuntimeError",)  # the first to raise released this joiner's lock
    return errors


def wakeups(s: State) -> Iterator[Step[State]]:
    """Runs that may end now; the thread leaving ``enumerate()`` and then ceasing to be
    alive; joiners of a terminated thread; the module's pending calls."""
    for i, r in enumerate(s.runners):
        for outcome, which in _completions(s, r):
            # clause Thread.run.calls-target / Timer.run.function-called-with-arguments / ...
            yield _end_run(s, i, outcome, which)
    if s.phase is Phase.HOOK and s.hook_gate is not None:
        if module.gate_outcome(s.module, s.hook_gate) is not None:
            # clause Thread.run.exception-calls-excepthook (the hook returned or raised)
            ended = replace(s, phase=Phase.EXITING, hook_gate=None, hook_exc=None)
            yield Step(ENV, None, ended, RUN_EXCEPTHOOK)
    if s.phase is Phase.EXITING:
        # clause Thread.run.end-terminates-thread
        yield Step(ENV, None, replace(s, phase=Phase.STOPPED), RUN_ENDS_THREAD)
    for i, j in enumerate(s.joiners):
        rest = s.joiners[:i] + s.joiners[i + 1 :]
        if not s.alive:
            # clause Thread.join.returns-when-terminated
            yield Step(j.thread, Returned(None), replace(s, joiners=rest, stop_seen=True), JOIN_WAKES)
        for exc in _race_errors(s):
            for seen in (True, False):
                # clause Thread.join.concurrent-joins-may-raise
                yield Step(j.thread, Raised(exc), replace(s, joiners=rest, raced=True, stop_seen=seen),
                           JOIN_RACE)
        if j.undefined:
            waits = s.joiners[:i] + (Joiner(j.thread, False),) + s.joiners[i + 1 :]
            # clause Thread.join.undefined-timeout (it waits as if it had no timeout)
            yield Step(j.thread, None, replace(s, joiners=waits), JOIN_UNDEFINED_TIMEOUT)
            for exc in ("ValueError", "OverflowError"):
                # clause Thread.join.undefined-timeout
                yield Step(j.thread, Raised(exc), replace(s, joiners=rest), JOIN_UNDEFINED_TIMEOUT)
                if _marks_stopped(s):
                    # clause Thread.join.rejected-timeout-marks-stopped
                    yield Step(j.thread, Raised(exc), replace(s, joiners=rest, stop_seen=True),
                               JOIN_BAD_TIMEOUT_STOPS)
    for m in module.module_wakeups(s.profile, s.module, s.listed):
        yield Step(m.thread, m.outcome, replace(s, module=m.state), m.clause)


def expiries(s: State) -> Iterator[Step[State]]:
    """A waiting timer's interval passes; a join with a timeout gives up."""
    if s.kind is Kind.TIMER and not s.finished and isinstance(s.interval, float):
        for i, r in enumerate(s.runners):
            if r.stage is Stage.WAITING:
                fired = s.runners[:i] + (replace(r, stage=Stage.CALLING),) + s.runners[i + 1 :]
                # clause Timer.run.calls-function-after-interval (the thread's own run: an
                # environment step)
                yield Step(ENV if r.thread == OWN else r.thread, None, replace(s, runners=fired), TIMER_FIRES)
    for i, j in enumerate(s.joiners):
        if j.timed:
            rest = s.joiners[:i] + s.joiners[i + 1 :]
            # clause Thread.join.timeout-returns-none
            yield Step(j.thread, Returned(None), replace(s, joiners=rest), JOIN_TIMEOUT)


# ---------------------------------------------------------------------------
# Invariants
# ---------------------------------------------------------------------------


def inv_pending_distinct(s: State) -> bool:
    """A thread of the schedule has at most one pending call."""
    threads = [r.thread for r in s.runners if r.thread != OWN] + [j.thread for j in s.joiners]
    threads += [c.thread for c in s.module.counters] + [h.thread for h in s.module.hook_calls]
    return len(set(threads)) == len(threads)


def inv_own_run_iff_running(s: State) -> bool:
    """The thread's own ``run()`` is in progress exactly while the phase is RUNNING."""
    own = [r for r in s.runners if r.thread == OWN]
    return len(own) == (1 if s.phase is Phase.RUNNING else 0)


def inv_hook_gate_iff_in_hook(s: State) -> bool:
    """The thread waits in an excepthook gate exactly in phase HOOK, and only since 3.8."""
    in_hook = s.phase is Phase.HOOK
    return in_hook == (s.hook_gate is not None) and (not in_hook or s.profile.since(3, 8))


def inv_joiners_only_once_started(s: State) -> bool:
    """Nobody waits in ``join`` on a thread that was never started."""
    return s.phase is not Phase.NEW or not s.joiners


def inv_stop_seen_only_when_stopped(s: State) -> bool:
    """Only a terminated thread's end can have been seen, except where CPython 3.9-3.12 marks
    a running thread stopped."""
    marks_early = s.profile.since(3, 9) and s.profile.before(3, 13) and s.phase is not Phase.NEW
    return not s.stop_seen or s.phase is Phase.STOPPED or marks_early


def inv_kind_fields(s: State) -> bool:
    """Threads never wait for an interval; timers never lose their function."""
    if s.kind is Kind.THREAD:
        return not s.finished and s.interval is None and all(r.stage is Stage.CALLING for r in s.runners)
    return not s.consumed and not any(r.late for r in s.runners)


def inv_module(s: State) -> bool:
    """The module-level state is consistent (see ``spec.module``)."""
    return all(inv(s.module) for inv in module.MODULE_INVARIANTS)


INVARIANTS = (
    inv_pending_distinct,
    inv_own_run_iff_running,
    inv_hook_gate_iff_in_hook,
    inv_joiners_only_once_started,
    inv_stop_seen_only_when_stopped,
    inv_kind_fields,
    inv_module,
)

AMBIGUITIES = (
    Ambiguity(
        topic="when a thread stops being alive",
        text="It stops being alive when its run() method terminates. This method returns True just "
        "before the run() method starts until just after the run() method terminates.",
        reading="After run() ends, the thread first leaves enumerate() and active_count(), then "
        "is_alive() turns False and joiners return: two environment steps, in that order (CPython "
        "3.x removes the thread from its table before releasing the lock join() waits for; 2.7 does "
        "both under one lock). A join() that has returned has seen both.",
    ),
    Ambiguity(
        topic="calling run() again",
        text="The standard run() method invokes the callable object passed to the object's "
        "constructor as the target argument, if any.",
        reading="CPython deletes the target when run() ends: a later run() (a direct call, or the "
        "thread's own after start()) raises AttributeError, and of two runs racing in the target the "
        "one ending second does. At documented strictness a later run() may instead call the "
        "target again.",
    ),
    Ambiguity(
        topic="group other than None",
        text="group should be None; reserved for future extension.",
        reading="Both strictness levels take CPython's reading: the constructor fails its assertion "
        "(AssertionError).",
    ),
    Ambiguity(
        topic="join with a negative, NaN or huge timeout",
        text="it should be a floating point number specifying a timeout for the operation in "
        "seconds",
        reading="A negative timeout acts as 0 (CPython comments it as historical behaviour). At "
        "CPython strictness NaN and values above TIMEOUT_MAX raise ValueError / OverflowError on "
        "3.x when the lock is actually waited for (and 3.9-3.12 then wrongly mark the thread "
        "stopped), and never expire on 2.7. At documented strictness the call may raise either "
        "exception (marking the thread stopped, where the version's CPython does) or wait as if it "
        "had no timeout.",
    ),
    Ambiguity(
        topic="default names",
        text="By default, a unique name is constructed of the form \"Thread-N\" where N is a small "
        "decimal number, or \"Thread-N (target)\" [3.10+].",
        reading="Any string: the counter N is shared by every thread the process ever made, and "
        "the target's __name__ is the checker's.",
    ),
    Ambiguity(
        topic="non-boolean daemon values",
        text="A boolean value indicating whether this thread is a daemon thread",
        reading="CPython stores whatever is assigned and reads it back unchanged; at documented "
        "strictness a non-boolean value reads back as anything.",
    ),
    Ambiguity(
        topic="joining the current thread",
        text="join() raises a RuntimeError if an attempt is made to join the current thread",
        reading="Only the thread's own target can make this call: the checker has the thread make "
        "it from inside its target, a gate (thread OWN, waiting in gate 1). Of the thread's own "
        "calls only the methods of its Thread object that do not run the target are modelled.",
    ),
    Ambiguity(
        topic="when the thread is over",
        text="This method returns True just before the run() method starts until just after the "
        "run() method terminates.",
        reading="\"Just after\" is not a deadline, so is_alive() may stay True for a while after run() "
        "returned. Once the thread's OS thread is gone (the agent watches it, where the platform lets "
        "it: thread.exited), the thread has terminated: is_alive() is False, it is not listed, joins "
        "return at once.",
    ),
    Ambiguity(
        topic="a timer's interval",
        text="The interval the timer will wait before executing its action may not be exactly the "
        "same as the interval specified by the user.",
        reading="Firing is an expiry step of the waiting run(): allowed at any time after start(), "
        "owed once the interval (timer_timeout of the constructor call) has passed. cancel() "
        "during the wait, or before start(), means the function is never called; once fired, "
        "cancel() has no effect.",
    ),
    Ambiguity(
        topic="the context argument (3.14)",
        text="context is the contextvars.Context value to use while running the thread.",
        reading="Accepted; what the target sees of context variables is not modelled.",
    ),
)

SPEC: PrimitiveSpec[State] = PrimitiveSpec(
    name=PRIMITIVE,
    create=create,
    invoke=invoke,
    wakeups=wakeups,
    expiries=expiries,
    invariants=INVARIANTS,
    timeout=timeout,
    ops=thread_ops,
    ambiguities=AMBIGUITIES + module.MODULE_AMBIGUITIES,
    cites=(module.PRIMITIVE,),
)

TIMER_SPEC: PrimitiveSpec[State] = PrimitiveSpec(
    name=TIMER,
    create=create_timer,
    invoke=invoke,
    wakeups=wakeups,
    expiries=expiries,
    invariants=INVARIANTS,
    timeout=timer_timeout,
    ops=timer_ops,
    ambiguities=AMBIGUITIES + module.MODULE_AMBIGUITIES,
)
