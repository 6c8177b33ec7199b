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

The object's state is ``spec.thread_state.State``; this module specifies its lifecycle
(``start``, ``run``, ``join``, ``is_alive``, the thread's own calls and the environment's
steps) and holds the specs of both classes. Its attributes (name, ident, daemon) are
``spec.thread_attributes``', what only a Timer does is ``spec.timer``'s, and the module
functions, which a Thread scenario calls as ``"module.<name>"``, are ``spec.module``'s,
whose state is the ``module`` part of the object's (see ``_in_module``).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace
from functools import partial

from spec import module, thread_attributes, thread_context, thread_excepthook, thread_subclass, timer
from spec.clauses import Ambiguity, Reading, clause
from spec.core import TIMEOUT_MAX, Blocked, Done, PrimitiveSpec, Result, Step, Transition, is_number
from spec.module import ModuleState
from spec.profiles import Profile, Strictness
from spec.thread_attributes import given_name
from spec.thread_state import (
    INHERITED,
    OWN,
    Joiner,
    Kind,
    Life,
    Run,
    RunStage,
    State,
    action_outcome,
    callable_action,
    is_own,
    observed_arguments,
)
from spec.values import (
    ANY,
    ANY_INT,
    ENV,
    GATE_ENTERED,
    THREAD_EXITED,
    Call,
    Hook,
    Outcome,
    Raised,
    Returned,
    Value,
    bind,
    gate_of,
    value_matches,
)

RUN_CONTEXT_DEFAULT_BY_FLAG = thread_context.RUN_CONTEXT_DEFAULT_BY_FLAG
RUN_CONTEXT_EMPTY_WHEN_GIVEN_A_NEW_CONTEXT = thread_context.RUN_CONTEXT_EMPTY_WHEN_GIVEN_A_NEW_CONTEXT
RUN_CONTEXT_COPY_WHEN_GIVEN_COPY_CONTEXT = thread_context.RUN_CONTEXT_COPY_WHEN_GIVEN_COPY_CONTEXT

PRIMITIVE = "Thread"
TIMER = timer.PRIMITIVE
SUBCLASS = thread_subclass.PRIMITIVE

# ---------------------------------------------------------------------------
# Clauses: Thread
# ---------------------------------------------------------------------------

INIT_CREATED_NOT_STARTED = clause(
    "Thread.init.created-not-started",
    doc="threading.Thread",
    quote="Once a thread object is created, its activity must be started by calling the thread's "
    "start() method.",
)
INIT_BAD_ARGUMENTS_RAISE_TYPEERROR = clause(
    "Thread.init.bad-arguments-raise-typeerror",
    doc="threading.Thread",
    quote="Thread(group=None, target=None, name=None, args=(), kwargs={}, *, daemon=None) "
    "[Python: other arguments raise TypeError; 2.7 has a sixth parameter verbose and no daemon]",
    strictness=Strictness.CPYTHON,
)
INIT_GROUP_MUST_BE_NONE = clause(
    "Thread.init.group-must-be-none",
    doc="threading.Thread",
    quote="group should be None; reserved for future extension when a ThreadGroup class is "
    "implemented. [CPython: any other value fails an assertion, AssertionError]",
    strictness=Strictness.CPYTHON,
)
INIT_DAEMON_ARGUMENT = clause(
    "Thread.init.daemon-argument",
    doc="threading.Thread",
    quote="If not None, daemon explicitly sets whether the thread is daemonic. If None (the "
    "default), the daemonic property is inherited from the current thread.",
    since=(3, 3),
)
INIT_CONTEXT_ARGUMENT = clause(
    "Thread.init.context-argument",
    doc="threading.Thread",
    quote="context is the Context value to use when starting the thread. [3.14: Changed in 3.14: "
    "Added the context parameter.]",
    since=(3, 14),
)
START_RUNS_IN_NEW_THREAD = clause(
    "Thread.start.runs-in-new-thread",
    doc="threading.Thread.start",
    quote="Start the thread's activity. It arranges for the object's run() method to be invoked "
    "in a separate thread of control. Once the thread's activity is started, the thread is "
    "considered 'alive'.",
)
START_TWICE_RAISES = clause(
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
RUN_NO_TARGET_CALLS_NOTHING = clause(
    "Thread.run.no-target-calls-nothing",
    doc="threading.Thread",
    quote="target is the callable object to be invoked by the run() method. Defaults to None, "
    "meaning nothing is called.",
)
RUN_DELETES_TARGET = clause(
    "Thread.run.deletes-target",
    doc="threading.Thread.run",
    quote="[CPython: run() deletes the target and its arguments when it ends; a run() that "
    "starts, or ends, after another one ended raises AttributeError]",
    strictness=Strictness.CPYTHON,
)
RUN_EXCEPTION_CALLS_EXCEPTHOOK = clause(
    "Thread.run.exception-calls-excepthook",
    doc="threading.Thread",
    quote="If the run() method raises an exception, threading.excepthook() is called to handle "
    "it.",
    since=(3, 8),
)
RUN_EXCEPTHOOK_GETS_THE_EXCEPTION_AND_THREAD = clause(
    "Thread.run.excepthook-gets-the-exception-and-thread",
    doc="threading.excepthook",
    quote="The args argument has the following attributes: exc_type: Exception type. exc_value: "
    "Exception value, can be None. exc_traceback: Exception traceback, can be None. thread: Thread "
    "which raised the exception, can be None. [CPython, for an exception that escaped run(): a "
    "4-tuple of the exception's class, the exception, its traceback and the Thread itself]",
    since=(3, 8),
    strictness=Strictness.CPYTHON,
)
RUN_END_TERMINATES_THREAD = clause(
    "Thread.run.end-terminates-thread",
    doc="threading.Thread",
    quote="It stops being alive when its run() method terminates -- either normally, or by "
    "raising an unhandled exception.",
)
IS_ALIVE_REPORTS_ALIVE = clause(
    "Thread.is_alive.reports-alive",
    doc="threading.Thread.is_alive",
    quote="Return whether the thread is alive. This method returns True just before the run() "
    "method starts until just after the run() method terminates.",
)
IS_ALIVE_ALIAS = clause(
    "Thread.isAlive.alias",
    doc="threading.Thread.is_alive",
    quote="is_alive() isAlive() [2.7 documents both spellings: Changed in 2.6: Added is_alive() "
    "spelling.] [What's New in 3.9: isAlive() removed]",
    until=(3, 9),
)
IS_ALIVE_REMOVED = clause(
    "Thread.isAlive.removed",
    doc="threading.Thread.is_alive",
    quote="[What's New in 3.9] The isAlive() method of threading.Thread has been removed. It was "
    "deprecated since Python 3.8. Use is_alive() instead.",
    since=(3, 9),
)
JOIN_BEFORE_START_RAISES = clause(
    "Thread.join.before-start-raises",
    doc="threading.Thread.join",
    quote="It is also an error to join() a thread before it has been started and attempts to do "
    "so raise the same exception [RuntimeError].",
)
JOIN_CURRENT_THREAD_RAISES = clause(
    "Thread.join.current-thread-raises",
    doc="threading.Thread.join",
    quote="join() raises a RuntimeError if an attempt is made to join the current thread as "
    "that would cause a deadlock.",
)
JOIN_BLOCKS_UNTIL_TERMINATED = clause(
    "Thread.join.blocks-until-terminated",
    doc="threading.Thread.join",
    quote="Wait until the thread terminates. This blocks the calling thread until the thread "
    "whose join() method is called terminates -- either normally or through an unhandled "
    "exception -- or until the optional timeout occurs.",
)
JOIN_RETURNS_WHEN_TERMINATED = clause(
    "Thread.join.returns-when-terminated",
    doc="threading.Thread.join",
    quote="When the timeout argument is not present or None, the operation will block until the "
    "thread terminates.",
)
JOIN_TERMINATED_RETURNS_AT_ONCE = clause(
    "Thread.join.terminated-returns-at-once",
    doc="threading.Thread.join",
    quote="A thread can be joined many times.",
)
JOIN_TIMEOUT_RETURNS_NONE = clause(
    "Thread.join.timeout-returns-none",
    doc="threading.Thread.join",
    quote="When the timeout argument is present and not None, it should be a floating point "
    "number specifying a timeout for the operation in seconds (or fractions thereof). As join() "
    "always returns None, you must call is_alive() after join() to decide whether a timeout "
    "happened -- if the thread is still alive, the join() call timed out.",
)
JOIN_NEGATIVE_TIMEOUT_ACTS_AS_ZERO = clause(
    "Thread.join.negative-timeout-acts-as-zero",
    doc="threading.Thread.join",
    quote="[CPython: a negative timeout acts as a timeout of 0]",
    strictness=Strictness.CPYTHON,
)
JOIN_BAD_TIMEOUT_RAISES = clause(
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
JOIN_REJECTED_TIMEOUT_MARKS_STOPPED = clause(
    "Thread.join.rejected-timeout-marks-stopped",
    doc="threading.Thread.join",
    quote="[CPython 3.9-3.12, undocumented: a join() whose NaN or too large timeout is rejected while "
    "the thread runs releases the lock that join() waits for and marks the thread stopped: is_alive() "
    "is False and join() returns at once from then on, although the thread still runs]",
    since=(3, 9),
    until=(3, 13),
    strictness=Strictness.CPYTHON,
)
JOIN_CONCURRENT_JOINS_MAY_RAISE = clause(
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
DAEMON_PROGRAM_EXITS_WHEN_ONLY_DAEMONS_LEFT = clause(
    "Thread.daemon.program-exits-when-only-daemons-left",
    doc="threading.Thread.daemon",
    quote="A thread can be flagged as a \"daemon thread\". The significance of this flag is that the "
    "entire Python program exits when only daemon threads are left.",
)
"""Checked by the exit probe (``conformance/exit_probe.py``), not by the state machine: it
shows only when the interpreter ends."""
DAEMON_PROGRAM_WAITS_FOR_NON_DAEMON_THREADS = clause(
    "Thread.daemon.program-waits-for-non-daemon-threads",
    doc="threading.Thread.daemon",
    quote="The entire Python program exits when no alive non-daemon threads are left.",
)
"""Checked by the exit probe, as ``DAEMON_PROGRAM_EXITS_WHEN_ONLY_DAEMONS_LEFT``."""
CALL_BAD_ARGUMENTS = clause(
    "Thread.call.bad-arguments",
    doc="threading.Thread",
    quote="[Python] A method called with arguments that do not match its signature raises "
    "TypeError; a name the class does not define in this version raises AttributeError.",
    strictness=Strictness.CPYTHON,
)

# ---------------------------------------------------------------------------
# Construction
# ---------------------------------------------------------------------------


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
        return Done(Raised("TypeError"), None, INIT_BAD_ARGUMENTS_RAISE_TYPEERROR)
    if a["group"] is not None:
        # clause Thread.init.group-must-be-none
        return Done(Raised("AssertionError"), None, INIT_GROUP_MUST_BE_NONE)
    target = a["target"]
    action = None if target is None else callable_action(target, a["args"], a["kwargs"])
    name = given_name(profile, a["name"])
    daemon = extra.get("daemon")
    positional, named = observed_arguments(a["args"], a["kwargs"])
    context = thread_context.context_clause(profile, extra.get("context"))
    s = State(profile, action=action, name=name, daemon=INHERITED if daemon is None else daemon,
              call_args=positional, call_kwargs=named, context=context)
    if "context" in extra:
        # clause Thread.init.context-argument
        return Done(Returned(None), s, INIT_CONTEXT_ARGUMENT)
    if daemon is not None:
        # clause Thread.init.daemon-argument
        return Done(Returned(None), s, INIT_DAEMON_ARGUMENT)
    # clause Thread.init.created-not-started
    return Done(Returned(None), s, INIT_CREATED_NOT_STARTED)


# ---------------------------------------------------------------------------
# Transitions
# ---------------------------------------------------------------------------


def start(s: State, c: Call) -> Result[State]:
    if s.life is not Life.NEW:
        # clause Thread.start.twice-raises
        return Done(Raised("RuntimeError"), s, START_TWICE_RAISES)
    if s.kind is Kind.TIMER:
        return timer.start(s)
    own = Run(OWN, RunStage.CALLING, late=s.consumed)
    started = replace(s, life=Life.RUNNING, runs=s.runs + (own,), hooks=module.stored_hooks(s.module))
    if s.kind is Kind.SUBCLASS:
        # clause ThreadSubclass.start.runs-override-in-new-thread
        return Done(Returned(None), started, thread_subclass.START_RUNS_OVERRIDE_IN_NEW_THREAD)
    # clause Thread.start.runs-in-new-thread
    return Done(Returned(None), started, START_RUNS_IN_NEW_THREAD)


def run(s: State, c: Call) -> Result[State]:
    """``run()`` called directly: the worker itself runs the target (or the timer's wait)."""
    if s.kind is Kind.TIMER:
        return timer.run(s, c)
    if s.consumed and s.profile.cpython:
        # clause Thread.run.deletes-target
        return Done(Raised("AttributeError"), s, RUN_DELETES_TARGET)
    calling = Run(c.thread, RunStage.CALLING, late=s.consumed)
    # clause Thread.run.calls-target / ThreadSubclass.run.override-replaces-target
    return Blocked(replace(s, runs=s.runs + (calling,)), _target_clause(s))


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
        return Done(Raised("TypeError"), s, CALL_BAD_ARGUMENTS)
    if s.life is Life.NEW:
        # clause Thread.join.before-start-raises
        return Done(Raised("RuntimeError"), s, JOIN_BEFORE_START_RAISES)
    if is_own(c.thread):
        # clause Thread.join.current-thread-raises
        return Done(Raised("RuntimeError"), s, JOIN_CURRENT_THREAD_RAISES)
    # [CPython, undocumented] join() asks for current_thread(): a worker gets a dummy thread
    s = replace(s, module=module.note_current_thread(s.module, c.thread))
    timed, error = _join_timeout(s, a["timeout"])
    undefined = _undefined_timeout(a["timeout"])
    if error == "TypeError":
        # clause Thread.join.bad-timeout-raises
        return Done(Raised(error), s, JOIN_BAD_TIMEOUT_RAISES)
    if undefined and not s.profile.cpython:
        waiting = replace(s, joiners=s.joiners + (Joiner(c.thread, False, undefined=True),))
        # clause Thread.join.undefined-timeout (it may raise, or wait)
        return Blocked(waiting, JOIN_UNDEFINED_TIMEOUT)
    if error is not None and _marks_stopped(s):
        # clause Thread.join.rejected-timeout-marks-stopped
        return Done(Raised(error), replace(s, stop_seen=True), JOIN_REJECTED_TIMEOUT_MARKS_STOPPED)
    if error is not None:
        # clause Thread.join.undefined-timeout (CPython 3.x raises)
        return Done(Raised(error), s, JOIN_UNDEFINED_TIMEOUT)
    if not s.alive:
        # clause Thread.join.terminated-returns-at-once
        return Done(Returned(None), replace(s, stop_seen=True), JOIN_TERMINATED_RETURNS_AT_ONCE)
    waiting = replace(s, joiners=s.joiners + (Joiner(c.thread, timed),))
    if undefined:
        # clause Thread.join.undefined-timeout (2.7 waits as if it had no timeout)
        return Blocked(waiting, JOIN_UNDEFINED_TIMEOUT)
    if timed and float(a["timeout"]) < 0:
        # clause Thread.join.negative-timeout-acts-as-zero
        return Blocked(waiting, JOIN_NEGATIVE_TIMEOUT_ACTS_AS_ZERO)
    # clause Thread.join.blocks-until-terminated
    return Blocked(waiting, JOIN_BLOCKS_UNTIL_TERMINATED)


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
    return timer.interval_timeout(c) if c.op == "__init__" else timeout(c)


def is_alive(s: State, c: Call) -> Result[State]:
    after = replace(s, stop_seen=True) if s.life is Life.STOPPED else s
    if c.op == "isAlive":
        p = s.profile
        # [CPython 3.7: PendingDeprecationWarning; 3.8: DeprecationWarning]
        warning = "DeprecationWarning" if p.since(3, 8) else None
        if p.cpython and p.since(3, 7) and p.before(3, 8):
            warning = "PendingDeprecationWarning"
        # clause Thread.isAlive.alias
        return Done(Returned(s.alive, warning), after, IS_ALIVE_ALIAS)
    # clause Thread.is_alive.reports-alive
    return Done(Returned(s.alive), after, IS_ALIVE_REPORTS_ALIVE)


METHODS: dict[str, tuple[int | None, Transition[State]]] = {
    "start": (0, start),
    "run": (0, run),
    "join": (None, join),  # binds its own arguments
    "is_alive": (0, is_alive),
    "isAlive": (0, is_alive),
    "get:name": (0, thread_attributes.get_name),
    "getName": (0, thread_attributes.get_name),
    "set:name": (1, thread_attributes.set_name),
    "setName": (1, thread_attributes.set_name),
    "get:ident": (0, thread_attributes.get_ident),
    "get:native_id": (0, thread_attributes.get_ident),
    "get:daemon": (0, thread_attributes.get_daemon),
    "isDaemon": (0, thread_attributes.get_daemon),
    "set:daemon": (1, thread_attributes.set_daemon),
    "setDaemon": (1, thread_attributes.set_daemon),
    "cancel": (0, timer.cancel),
    **{op: (0, thread_attributes.own_id) for op in thread_attributes.OWN_IDS},  # its own thread's calls
}
"""Each method's transition, and how many positional arguments it takes (``None``: it checks
its arguments itself)."""


def call_method(s: State, c: Call) -> Result[State]:
    """A method of the object: its transition, unless the arguments do not fit."""
    arity, transition = METHODS[c.op]
    if arity is not None and (c.kwargs or len(c.args) != arity):
        return Done(Raised("TypeError"), s, CALL_BAD_ARGUMENTS)
    return transition(s, c)


def thread_ops(profile: Profile) -> tuple[str, ...]:
    names = ["start", "run", "join", "is_alive", "get:name", "set:name", "getName", "setName",
             "get:ident", "get:daemon", "set:daemon", "isDaemon", "setDaemon"]
    if profile.before(3, 9):
        names.append("isAlive")
    if profile.since(3, 8):
        names.append("get:native_id")
    return tuple(names) + module.ops(profile) + ("gate.open", THREAD_EXITED, GATE_ENTERED)


def timer_ops(profile: Profile) -> tuple[str, ...]:
    return thread_ops(profile) + ("cancel",)


def ops_of(s: State) -> tuple[str, ...]:
    return timer_ops(s.profile) if s.kind is Kind.TIMER else thread_ops(s.profile)


def invoke(s: State, c: Call) -> Result[State]:
    if c.op == "gate.open":
        return _in_module(s, module.open_gate(s.module, c))
    if c.op == THREAD_EXITED:
        return exited(s, c)
    if c.op == GATE_ENTERED:
        return entered(s, c)
    if c.op.startswith("module.") and not is_own(c.thread):
        return _in_module(s, module.invoke(s.profile, s.module, c, s.listed, thread_attributes.live_ids(s)))
    if c.op not in ops_of(s):
        if c.op == "isAlive":
            # clause Thread.isAlive.removed
            return Done(Raised("AttributeError"), s, IS_ALIVE_REMOVED)
        return Done(Raised("AttributeError"), s, CALL_BAD_ARGUMENTS)
    if is_own(c.thread):
        return own_call(s, c)
    return call_method(s, c)


def _in_module(s: State, r: Result[ModuleState]) -> Result[State]:
    """The seam with ``spec.module``: the result of a module function (or of a gate opening),
    which ``spec.module`` gives for the module state kept in ``s.module``, as a result on
    ``s``."""
    (old_trace, old_profile), (trace, profile) = module.stored_hooks(s.module), module.stored_hooks(r.state)
    if trace is not old_trace or profile is not old_profile:
        s = replace(s, hooks=None)  # its thread may read the hooks before or after: unknown
    after = replace(s, module=r.state)
    return Done(r.outcome, after, r.clause) if isinstance(r, Done) else Blocked(after, r.clause)


# ---------------------------------------------------------------------------
# The thread's own calls, and what the environment reports of it
# ---------------------------------------------------------------------------


def _own_gate(s: State) -> int | None:
    """The gate the thread's own thread waits in now, if it waits in one: its target or a
    fired timer's function while its run() calls it, or a gate that is its excepthook."""
    if s.life is Life.HOOK:
        return s.hook_gate
    # (CPython: a run() that began after the target was deleted never calls it)
    calling = any(
        r.thread == OWN and r.stage is RunStage.CALLING and not (r.late and s.profile.cpython)
        for r in s.runs
    )
    if s.life is Life.RUNNING and calling and isinstance(s.action, int):
        return s.action
    return None


def own_call(s: State, c: Call) -> Result[State]:
    """A call the thread makes on its own ``Thread`` object from inside the gate it waits in.

    Made only while it waits there: in any other state the call cannot have been made yet
    (it stays blocked, and a completion rules that state out).
    """
    if (c.op.startswith("module.") and c.op not in thread_attributes.OWN_IDS) or c.op == "run":
        # calls of the thread's own other than methods that do not call the target: not modelled
        return Done(Raised("AttributeError"), s, CALL_BAD_ARGUMENTS)
    if _own_gate(s) != gate_of(c.thread):
        if s.life is Life.NEW:
            # clause Thread.start.runs-in-new-thread (not started: the target has not run)
            return Blocked(s, START_RUNS_IN_NEW_THREAD)
        if s.kind is Kind.TIMER and s.life is Life.RUNNING:
            # clause Timer.run.calls-function-after-interval (the function is not called yet)
            return Blocked(s, timer.RUN_CALLS_FUNCTION_AFTER_INTERVAL)
        if s.life is Life.RUNNING:
            # clause Thread.run.calls-target (the thread is not in that gate)
            return Blocked(s, RUN_CALLS_TARGET)
        # clause Thread.run.end-terminates-thread (the thread no longer waits in a gate)
        return Blocked(s, RUN_END_TERMINATES_THREAD)
    return call_method(s, c)


def _hook_arguments(s: State) -> Value:
    """What excepthook, a gate, is called with: one ``ExceptHookArgs``, as the checker reads it
    (CPython: the exception's class, the exception, its traceback, the Thread itself)."""
    if not s.profile.cpython or s.hook_exc is None:
        return ANY
    exc = s.hook_exc
    return (((("class", exc),), ("object", exc), ("object", "traceback"), ("ref", ANY_INT)),)


_CALLING = (
    RUN_CALLS_TARGET, timer.RUN_FUNCTION_CALLED_WITH_ARGUMENTS, thread_subclass.RUN_OVERRIDE_REPLACES_TARGET
)
"""The clauses of a run() calling the target (Thread), the function (Timer), or the function an
overriding run() calls (ThreadSubclass)."""


def _target_clause(s: State) -> str:
    """The clause of a Thread's run() calling its target, or of an overriding run() calling its
    function instead."""
    return thread_subclass.RUN_OVERRIDE_REPLACES_TARGET if s.kind is Kind.SUBCLASS else RUN_CALLS_TARGET


def _calling_clause(s: State) -> str:
    """The clause of this object's run() calling its target, function or override's function."""
    return timer.RUN_FUNCTION_CALLED_WITH_ARGUMENTS if s.kind is Kind.TIMER else _target_clause(s)


def entered(s: State, c: Call) -> Result[State]:
    """``call(ENV, GATE_ENTERED, gate, args, kwargs)``: the thread's own thread called ``gate``
    with these arguments: its target or function (while its run() calls it), or its
    excepthook (while that handles run()'s exception)."""
    hooks = c.kw()
    extras = {"trace", "profile", "ident", "native_id", "context"}
    if c.thread != ENV or set(hooks) - extras or len(c.args) != 3:
        return Done(Raised("TypeError"), s, CALL_BAD_ARGUMENTS)
    gate, args, kwargs = c.args
    is_timer = s.kind is Kind.TIMER
    if s.life is Life.HOOK and gate == s.hook_gate:
        which, expected, expected_kw = RUN_EXCEPTHOOK_GETS_THE_EXCEPTION_AND_THREAD, _hook_arguments(s), ()
    elif _own_gate(s) == gate:
        which = _calling_clause(s)
        expected, expected_kw = s.call_args, s.call_kwargs
    elif gate == module.hook_gate(s.profile, s.module):
        # clause Thread.run.exception-calls-excepthook (no exception is being handled now)
        return Blocked(s, RUN_EXCEPTION_CALLS_EXCEPTHOOK)
    else:
        # clause Thread.run.calls-target / Timer.run.calls-function-after-interval /
        # ThreadSubclass.run.override-replaces-target (not now: the call cannot have been made yet;
        # an overriding run() never calls the target)
        return Blocked(s, timer.RUN_CALLS_FUNCTION_AFTER_INTERVAL if is_timer else _target_clause(s))
    if not (value_matches(expected, args) and value_matches(expected_kw, kwargs)):
        # clause Thread.run.calls-target / Timer.run.function-called-with-arguments /
        # Thread.run.excepthook-gets-the-exception-and-thread (other arguments)
        return Done(Raised("TypeError"), s, which)
    wrong_hook = _wrong_hook(s, hooks) if which in _CALLING else None
    if wrong_hook is not None:
        # clause module.settrace.stores-hook / module.setprofile.stores-hook (its run() is
        # called without the hook settrace()/setprofile() stored, or with another)
        return Done(Raised("TypeError"), s, wrong_hook)
    targets = (RUN_CALLS_TARGET, thread_subclass.RUN_OVERRIDE_REPLACES_TARGET)
    context = s.context if which in targets and "context" in hooks else None
    if context is not None and not value_matches(thread_context.READS[context], hooks["context"]):
        # clause Thread.run.context-* (its run() does not run in the context it was given)
        return Done(Raised("TypeError"), s, context)
    if which in _CALLING and "ident" in hooks:
        # the thread's own ids, as it saw them: what ident and native_id must say from now on
        s = replace(s, ids=(hooks["ident"], hooks.get("native_id")))
    if context is not None:
        # clause Thread.run.context-* (3.14: its run() runs in the context it was given)
        return Done(Returned(None), s, context)
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
    for name, which, stored in (
        ("trace", module.SETTRACE_STORES_HOOK, trace),
        ("profile", module.SETPROFILE_STORES_HOOK, profile),
    ):
        known = stored is None or isinstance(stored, Hook)  # else: unset, or not a function
        if known and name in seen and seen[name] != stored:
            return which
    return None


def exited(s: State, c: Call) -> Result[State]:
    """``call(ENV, THREAD_EXITED)``: the agent saw the thread's OS thread go. The thread has
    terminated: its run() is over, it is not alive, joins return at once."""
    if c.thread != ENV or c.args or set(c.kw()) - {"stderr", "sys_excepthook"}:
        return Done(Raised("TypeError"), s, CALL_BAD_ARGUMENTS)
    if s.life is not Life.STOPPED:
        # clause Thread.run.end-terminates-thread (a thread still running cannot be gone yet)
        return Blocked(s, RUN_END_TERMINATES_THREAD)
    verdict = None if s.report is None else thread_excepthook.judge(s.report, c.kw())
    if verdict is not None and s.report is not None:
        # clause module.excepthook.ignores-systemexit / prints-to-stderr / failure-calls-sys-excepthook
        return Done(Returned(None) if verdict else Raised("TypeError"), s, s.report[0])
    # clause Thread.run.end-terminates-thread
    return Done(Returned(None), s, RUN_END_TERMINATES_THREAD)


# ---------------------------------------------------------------------------
# Internal steps
# ---------------------------------------------------------------------------


def _completions(s: State, r: Run) -> list[tuple[Outcome, str]]:
    """The ways run ``r`` may end its ``run()`` now, with the clause of each."""
    if s.kind is Kind.TIMER:
        return timer.completions(s, r)
    if s.kind is Kind.SUBCLASS:
        return thread_subclass.completions(s, r)
    normal = action_outcome(s)
    deleted: Outcome = Raised("AttributeError")
    # clause Thread.run.no-target-calls-nothing (no target: run() returns, having called nothing)
    calls = RUN_NO_TARGET_CALLS_NOTHING if s.action is None else RUN_CALLS_TARGET
    if s.profile.cpython:
        if r.late or (s.consumed and normal is not None):
            return [(deleted, RUN_DELETES_TARGET)]
        return [] if normal is None else [(normal, calls)]
    # documented: once a run() has ended, another may call the target again or fail
    options: list[tuple[Outcome, str]] = [] if normal is None else [(normal, calls)]
    if r.late or (s.consumed and normal is not None):
        options.append((deleted, RUN_DELETES_TARGET))
    return options


def _end_run(s: State, i: int, outcome: Outcome, which: str) -> Step[State]:
    r = s.runs[i]
    after = replace(s, runs=s.runs[:i] + s.runs[i + 1 :])
    if s.kind is Kind.THREAD:
        after = replace(after, consumed=True)
    elif s.kind is Kind.TIMER and r.stage is RunStage.CALLING and isinstance(outcome, Returned):
        after = replace(after, finished=True)
    if r.thread != OWN:
        return Step(r.thread, outcome, after, which)
    gate = module.hook_gate(s.profile, s.module) if isinstance(outcome, Raised) else None
    if gate is not None:
        assert isinstance(outcome, Raised)
        hooked = replace(after, life=Life.HOOK, hook_gate=gate, hook_exc=outcome.exc)
        # clause Thread.run.exception-calls-excepthook
        return Step(ENV, None, hooked, RUN_EXCEPTION_CALLS_EXCEPTHOOK)
    if isinstance(outcome, Raised) and s.module.excepthook is module.UNSET:
        # clause module.excepthook.prints-to-stderr / ignores-systemexit (judged at its end)
        after = replace(after, report=thread_excepthook.owed_report(s.profile, outcome.exc))
    return Step(ENV, None, replace(after, life=Life.EXITING), which)


def _race_errors(s: State) -> tuple[str, ...]:
    """What a joiner may raise in CPython's join race (``Thread.join.concurrent-joins-may-raise``):
    only after the thread ended and while its end is not yet recorded, with a second joiner
    waiting; or (3.9+) RuntimeError once another joiner has raised in the race."""
    p = s.profile
    if not (p.since(3, 0) and p.before(3, 13)) or s.life is not Life.STOPPED:
        return ()
    errors: tuple[str, ...] = ()
    if len(s.joiners) >= 2 and not s.stop_seen:
        errors = ("AssertionError", "RuntimeError") if p.since(3, 9) else ("AssertionError",)
    elif s.raced and p.since(3, 9):
        errors = ("RuntimeError",)  # the first to raise released this joiner's lock
    return errors


def _joiner_steps(s: State, i: int, j: Joiner) -> Iterator[Step[State]]:
    """How joiner ``j`` (the ``i``-th) may return or raise now."""
    rest = s.joiners[:i] + s.joiners[i + 1 :]
    if not s.alive:
        # clause Thread.join.returns-when-terminated
        yield Step(j.thread, Returned(None), replace(s, joiners=rest, stop_seen=True),
                   JOIN_RETURNS_WHEN_TERMINATED)
    for exc in _race_errors(s):
        for seen in (True, False):
            # clause Thread.join.concurrent-joins-may-raise
            yield Step(j.thread, Raised(exc), replace(s, joiners=rest, raced=True, stop_seen=seen),
                       JOIN_CONCURRENT_JOINS_MAY_RAISE)
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
                           JOIN_REJECTED_TIMEOUT_MARKS_STOPPED)


def wakeups(s: State) -> Iterator[Step[State]]:
    """Runs that may end now; the thread leaving ``enumerate()`` and then ceasing to be
    alive; joiners of a terminated thread; the module's pending calls."""
    for i, r in enumerate(s.runs):
        for outcome, which in _completions(s, r):
            # clause Thread.run.calls-target / Timer.run.function-called-with-arguments / ...
            yield _end_run(s, i, outcome, which)
    if s.life is Life.HOOK and s.hook_gate is not None:
        hooked = module.gate_outcome(s.module, s.hook_gate)
        if hooked is not None:
            raised = hooked.exc if isinstance(hooked, Raised) else None
            failed = None if raised is None else thread_excepthook.hook_failed(s.profile, raised)
            # clause Thread.run.exception-calls-excepthook (the hook returned, or raised: then
            # module.excepthook.failure-calls-sys-excepthook, judged at its end)
            ended = replace(s, life=Life.EXITING, hook_gate=None, hook_exc=None, report=failed)
            yield Step(ENV, None, ended, RUN_EXCEPTION_CALLS_EXCEPTHOOK)
    if s.life is Life.EXITING:
        # clause Thread.run.end-terminates-thread
        yield Step(ENV, None, replace(s, life=Life.STOPPED), RUN_END_TERMINATES_THREAD)
    for i, j in enumerate(s.joiners):
        yield from _joiner_steps(s, i, j)
    for m in module.wakeups(s.profile, s.module, s.listed):
        yield Step(m.thread, m.outcome, replace(s, module=m.state), m.clause)


def expiries(s: State) -> Iterator[Step[State]]:
    """A waiting timer's interval passes; a join with a timeout gives up."""
    if s.kind is Kind.TIMER:
        yield from timer.fires(s)
    for i, j in enumerate(s.joiners):
        if j.timed:
            rest = s.joiners[:i] + s.joiners[i + 1 :]
            # clause Thread.join.timeout-returns-none
            yield Step(j.thread, Returned(None), replace(s, joiners=rest), JOIN_TIMEOUT_RETURNS_NONE)


# ---------------------------------------------------------------------------
# Invariants
# ---------------------------------------------------------------------------


def inv_pending_distinct(s: State) -> bool:
    """A thread of the schedule has at most one pending call."""
    threads = [r.thread for r in s.runs if r.thread != OWN] + [j.thread for j in s.joiners]
    threads += module.pending_threads(s.module)
    return len(set(threads)) == len(threads)


def inv_own_run_iff_running(s: State) -> bool:
    """The thread's own ``run()`` is in progress exactly while its life is RUNNING."""
    own = [r for r in s.runs if r.thread == OWN]
    return len(own) == (1 if s.life is Life.RUNNING else 0)


def inv_hook_gate_iff_in_hook(s: State) -> bool:
    """The thread waits in an excepthook gate exactly in HOOK, and only since 3.8."""
    in_hook = s.life is Life.HOOK
    return in_hook == (s.hook_gate is not None) and (not in_hook or s.profile.since(3, 8))


def inv_joiners_only_once_started(s: State) -> bool:
    """Nobody waits in ``join`` on a thread that was never started."""
    return s.life is not Life.NEW or not s.joiners


def inv_stop_seen_only_when_stopped(s: State) -> bool:
    """Only a terminated thread's end can have been seen, except where CPython 3.9-3.12 marks
    a running thread stopped."""
    marks_early = s.profile.since(3, 9) and s.profile.before(3, 13) and s.life is not Life.NEW
    return not s.stop_seen or s.life is Life.STOPPED or marks_early


def inv_kind_fields(s: State) -> bool:
    """Threads never wait for an interval; timers and overriding run()s never lose their function."""
    keeps = s.kind is Kind.THREAD or (not s.consumed and not any(r.late for r in s.runs))
    if s.kind is Kind.TIMER:
        return keeps
    calling = all(r.stage is RunStage.CALLING for r in s.runs)
    return keeps and not s.finished and s.interval is None and calling


def inv_module(s: State) -> bool:
    """The module-level state is consistent (see ``spec.module``)."""
    return all(inv(s.module) for inv in module.INVARIANTS)


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
        readings=(
            Reading(
                "run() deletes the target when it ends: a later run() (a direct call, or the thread's own "
                'after start()) raises AttributeError, and of two runs racing in the target the one ending '
                'second does.',
                Strictness.CPYTHON,
            ),
            Reading(
                "a later run() raises AttributeError as CPython's does, or calls the target again.",
                Strictness.DOCUMENTED,
            ),
        ),
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
        readings=(
            Reading(
                'a negative timeout acts as 0; NaN and values above TIMEOUT_MAX never expire.',
                Strictness.CPYTHON, (2, 7), (3, 0),
            ),
            Reading(
                'a negative timeout acts as 0; NaN and values above TIMEOUT_MAX raise ValueError / '
                'OverflowError when the lock is actually waited for (and 3.9-3.12 then wrongly mark the '
                'thread stopped).',
                Strictness.CPYTHON, (3, 0),
            ),
            Reading(
                'a negative timeout acts as 0; NaN or a value above TIMEOUT_MAX may raise either exception '
                "(marking the thread stopped, where the version's CPython does) or wait as if there were no"
                ' timeout.',
                Strictness.DOCUMENTED,
            ),
        ),
    ),
    Ambiguity(
        topic="default names",
        text="By default, a unique name is constructed of the form \"Thread-N\" where N is a small "
        "decimal number, or \"Thread-N (target)\" [3.10+].",
        reading="\"Thread-N\" with any N (the counter is shared by every thread the process ever "
        "made), and from 3.10 \"Thread-N (gate_K)\" for a target that is the checker's gate K (its "
        "function's __name__). An empty name given to the constructor is replaced by the default "
        "in CPython; the documentation does not say, so documented strictness reads any string.",
    ),
    Ambiguity(
        topic="non-boolean daemon values",
        text="A boolean value indicating whether this thread is a daemon thread",
        reading="CPython stores whatever is assigned and reads it back unchanged; at documented "
        "strictness a non-boolean value reads back as anything.",
        readings=(
            Reading(
                'whatever is assigned is stored and read back unchanged.',
                Strictness.CPYTHON,
            ),
            Reading(
                'a non-boolean value reads back as anything.',
                Strictness.DOCUMENTED,
            ),
        ),
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
        reading="3.14+: a context variable of the agent's own, read in the target, tells the context "
        "run() runs in. Context() gives an empty one; copy_context() (made on the agent's main thread) "
        "that copy; None, an empty context or a copy of the context of the caller of start(), as "
        "sys.flags.thread_inherit_context says: the checker reads neither the flag nor which worker "
        "is which, so it accepts an empty context or any worker's copy. Other values are not "
        "modelled. Before 3.14 there is no context argument.",
    ),
)

SPEC: PrimitiveSpec[State] = PrimitiveSpec(
    PRIMITIVE, create, invoke, wakeups, expiries, INVARIANTS, timeout, thread_ops,
    AMBIGUITIES + module.AMBIGUITIES + thread_excepthook.AMBIGUITIES, cites=(module.PRIMITIVE,),
    companions=(SUBCLASS,),
)

TIMER_SPEC: PrimitiveSpec[State] = replace(
    SPEC, name=TIMER, create=timer.create, timeout=timer_timeout, ops=timer_ops, cites=()
)
"""A Timer's spec: a Thread's, with the Timer's constructor, its ops and the timeout of its
interval."""

SUBCLASS_SPEC: PrimitiveSpec[State] = replace(
    SPEC, name=SUBCLASS, create=partial(thread_subclass.create, thread_create=create), companions=()
)
"""The agent's subclass of Thread whose run() is overridden (``spec.thread_subclass``)."""
