"""A Thread's attributes: its name, its identifiers and its daemon flag.

The documentation promises: ``name`` is set by the constructor (by default a unique
"Thread-N") and can be changed at any time; ``ident`` and ``native_id`` are None until the
thread starts, then its ``get_ident()`` and OS thread id; ``daemon`` is inherited from the
creating thread unless given, and can be set only before ``start()``. The camelCase
accessors (``getName``, ``isDaemon``…) are their pre-2.6 spellings, deprecated in 3.10.

These are transitions of the Thread (and Timer) spec, ``spec.thread``, on its
``spec.thread_state.State``; its dispatch has checked their arguments' number.
"""

from __future__ import annotations

from dataclasses import replace

from spec import module
from spec.clauses import clause
from spec.core import Done
from spec.module import NameLike
from spec.profiles import Profile
from spec.thread_state import ALIVE, INHERITED, Kind, Life, State, readable
from spec.values import ANY, ANY_STR, Call, Raised, Returned, Value

# ---------------------------------------------------------------------------
# Clauses
# ---------------------------------------------------------------------------

NAME_SET_BY_CONSTRUCTOR = clause(
    "Thread.name.set-by-constructor",
    doc="threading.Thread.name",
    quote="A string used for identification purposes only. It has no semantics. Multiple "
    "threads may be given the same name. The initial name is set by the constructor.",
)
NAME_DEFAULT_THREAD_N = clause(
    "Thread.name.default-thread-n",
    doc="threading.Thread",
    quote="name is the thread name. By default, a unique name is constructed of the form "
    "\"Thread-N\" where N is a small decimal number.",
)
NAME_DEFAULT_NAMES_THE_TARGET = clause(
    "Thread.name.default-names-the-target",
    doc="threading.Thread",
    quote="By default, a unique name is constructed of the form \"Thread-N\" where N is a small "
    "decimal number, or \"Thread-N (target)\" where \"target\" is target.__name__ if the target "
    "argument is specified. [3.10: Use the target name if name argument is omitted.] [CPython: an "
    "empty name is omitted too]",
    since=(3, 10),
)
NAME_SETTABLE = clause(
    "Thread.name.settable",
    doc="threading.Thread",
    quote="A thread has a name. The name can be passed to the constructor, and read or changed "
    "through the name attribute. [CPython: the name becomes str(value)]",
)
GET_NAME_ALIAS = clause(
    "Thread.getName.alias",
    doc="threading.Thread.getName",
    quote="getName() setName() — Pre-2.6 API for name.",
    until=(3, 10),
)
GET_NAME_DEPRECATION_WARNING = clause(
    "Thread.getName.deprecation-warning",
    doc="threading.Thread.getName",
    quote="Deprecated getter/setter API for name; use it directly as a property instead. "
    "[CPython: they emit DeprecationWarning]",
    since=(3, 10),
)
IDENT_NONE_BEFORE_START = clause(
    "Thread.ident.none-before-start",
    doc="threading.Thread.ident",
    quote="The 'thread identifier' of this thread or None if the thread has not been started.",
)
IDENT_INT_ONCE_STARTED = clause(
    "Thread.ident.int-once-started",
    doc="threading.Thread.ident",
    quote="The 'thread identifier' of this thread or None if the thread has not been started. This "
    "is a nonzero integer. See the get_ident() function. The identifier is available even after the "
    "thread has exited.",
)
NATIVE_ID_NONE_OR_INT = clause(
    "Thread.native_id.none-or-int",
    doc="threading.Thread.native_id",
    quote="The Thread ID (TID) of this thread, as assigned by the OS (kernel). This is a "
    "non-negative integer, or None if the thread has not been started.",
    since=(3, 8),
)
DAEMON_INHERITED_FROM_CREATOR = clause(
    "Thread.daemon.inherited-from-creator",
    doc="threading.Thread.daemon",
    quote="Its initial value is inherited from the creating thread; the main thread is not a "
    "daemon thread and therefore all threads created in the main thread default to daemon = "
    "False.",
)
DAEMON_REPORTS_FLAG = clause(
    "Thread.daemon.reports-flag",
    doc="threading.Thread.daemon",
    quote="A boolean value indicating whether this thread is a daemon thread (True) or not "
    "(False). [CPython: reads back the value assigned, as it was given]",
)
DAEMON_SETTABLE_BEFORE_START = clause(
    "Thread.daemon.settable-before-start",
    doc="threading.Thread",
    quote="The flag can be set through the daemon property.",
)
DAEMON_SET_AFTER_START_RAISES = clause(
    "Thread.daemon.set-after-start-raises",
    doc="threading.Thread.daemon",
    quote="This must be set before start() is called, otherwise RuntimeError is raised.",
)
IS_DAEMON_ALIAS = clause(
    "Thread.isDaemon.alias",
    doc="threading.Thread.isDaemon",
    quote="isDaemon() setDaemon() — Pre-2.6 API for daemon.",
    until=(3, 10),
)
IS_DAEMON_DEPRECATION_WARNING = clause(
    "Thread.isDaemon.deprecation-warning",
    doc="threading.Thread.isDaemon",
    quote="Deprecated getter/setter API for daemon; use it directly as a property instead. "
    "[CPython: they emit DeprecationWarning]",
    since=(3, 10),
)

# ---------------------------------------------------------------------------
# Transitions
# ---------------------------------------------------------------------------


def name_of(profile: Profile, v: Value) -> Value:
    """The name ``str(v)`` gives, where the spec can tell; any string where it cannot."""
    if isinstance(v, str):
        return v
    if profile.cpython and (v is None or isinstance(v, int)):
        return str(v)
    return ANY_STR


def _camel(s: State) -> tuple[str | None, str]:
    """The warning and clause of a camelCase accessor (getName, setDaemon…)."""
    if s.profile.since(3, 10):
        return "DeprecationWarning", GET_NAME_DEPRECATION_WARNING
    return None, GET_NAME_ALIAS


def names_the_target(s: State) -> bool:
    """Does the default name of ``s`` name its target: from 3.10, a Thread whose target is one
    of the checker's gates (a Timer passes no target to Thread's constructor)?"""
    return s.profile.since(3, 10) and s.kind is Kind.THREAD and isinstance(s.action, int)


def default_name(s: State) -> Value:
    """The name a Thread gets when none is given: "Thread-N", and where it names its target,
    "Thread-N (gate_K)" (the agent names gate K's function ``gate_K``, PROTOCOL.md, K its own
    number for the gate). N is not predicted: the counter is shared by every thread the
    process ever made."""
    return NameLike(r"Thread-\d+ \(gate_\d+\)") if names_the_target(s) else NameLike(r"Thread-\d+")


def given_name(profile: Profile, v: Value) -> Value:
    """The name a Thread constructed with ``name=v`` has: ``None`` for the default name (no
    name, or at CPython strictness any false one), else what ``str(v)`` gives where the spec
    can tell. The documentation does not say that an empty name is replaced."""
    if v is None or (not v and profile.cpython):
        return None
    return name_of(profile, v) if v else ANY_STR


def get_name(s: State, c: Call) -> Done[State]:
    value: Value = s.name
    which = NAME_SET_BY_CONSTRUCTOR
    if s.name is None:
        value = default_name(s)
        which = NAME_DEFAULT_NAMES_THE_TARGET if names_the_target(s) else NAME_DEFAULT_THREAD_N
    if c.op == "getName":
        warning, which = _camel(s)
        # clause Thread.getName.alias
        return Done(Returned(value, warning), s, which)
    # clause Thread.name.set-by-constructor / Thread.name.default-thread-n /
    # Thread.name.default-names-the-target
    return Done(Returned(value), s, which)


def set_name(s: State, c: Call) -> Done[State]:
    renamed = replace(s, name=name_of(s.profile, c.args[0]))
    if c.op == "setName":
        warning, which = _camel(s)
        # clause Thread.getName.alias (setName)
        return Done(Returned(None, warning), renamed, which)
    # clause Thread.name.settable
    return Done(Returned(None), renamed, NAME_SETTABLE)


def _ids(s: State) -> tuple[Value, Value]:
    """(ident, native id) of the thread: those its own thread reported, or what is known of any
    thread's (a nonzero int, a non-negative int)."""
    ident, native = s.ids if s.ids is not None else (None, None)
    return (ident if isinstance(ident, int) else module.NONZERO_INT,
            native if isinstance(native, int) else module.NON_NEGATIVE_INT)


def get_ident(s: State, c: Call) -> Done[State]:
    ident, native = _ids(s)
    if c.op == "get:native_id":
        # clause Thread.native_id.none-or-int (the id of the OS thread it runs in)
        return Done(Returned(None if s.life is Life.NEW else native), s, NATIVE_ID_NONE_OR_INT)
    if s.life is Life.NEW:
        # clause Thread.ident.none-before-start
        return Done(Returned(None), s, IDENT_NONE_BEFORE_START)
    # clause Thread.ident.int-once-started (the get_ident() of the thread it runs in)
    return Done(Returned(ident), s, IDENT_INT_ONCE_STARTED)


OWN_IDS = ("module.get_ident", "module.get_native_id")
"""The module functions the thread's own thread calls from inside its gate (``own_id``)."""


def own_id(s: State, c: Call) -> Done[State]:
    """``get_ident()`` / ``get_native_id()`` called by the thread's own thread, from inside its
    gate: the ids the agent read in that thread as it entered the gate."""
    ident, native = _ids(s)
    if c.op == "module.get_native_id":
        # clause module.get_native_id.identifies-the-thread (its own id)
        return Done(Returned(native), s, module.GET_NATIVE_ID_IDENTIFIES_THE_THREAD)
    # clause module.get_ident.returns-nonzero-int (its own thread's identifier)
    return Done(Returned(ident), s, module.GET_IDENT_RETURNS_NONZERO_INT)


def live_ids(s: State) -> tuple[Value, Value] | None:
    """The (ident, native id) its own thread reported, while that thread is certainly alive (its
    run() or excepthook not over: no other thread can have those ids), else None."""
    return s.ids if s.life in ALIVE else None


def get_daemon(s: State, c: Call) -> Done[State]:
    warning = None
    if c.op == "isDaemon" and s.profile.since(3, 10):
        warning = "DeprecationWarning"
    if s.daemon is INHERITED:
        # clause Thread.daemon.inherited-from-creator
        return Done(Returned(False, warning), s, DAEMON_INHERITED_FROM_CREATOR)
    value = readable(s.daemon)
    if not isinstance(value, bool) and not s.profile.cpython:
        value = ANY
    which = DAEMON_REPORTS_FLAG
    if c.op == "isDaemon":
        which = IS_DAEMON_DEPRECATION_WARNING if warning else IS_DAEMON_ALIAS
    # clause Thread.daemon.reports-flag
    return Done(Returned(value, warning), s, which)


def set_daemon(s: State, c: Call) -> Done[State]:
    if s.life is not Life.NEW:
        # clause Thread.daemon.set-after-start-raises
        return Done(Raised("RuntimeError"), s, DAEMON_SET_AFTER_START_RAISES)
    after = replace(s, daemon=c.args[0])
    if c.op == "setDaemon":
        warned = s.profile.since(3, 10)
        which = IS_DAEMON_DEPRECATION_WARNING if warned else IS_DAEMON_ALIAS
        # clause Thread.isDaemon.alias (setDaemon)
        return Done(Returned(None, "DeprecationWarning" if warned else None), after, which)
    # clause Thread.daemon.settable-before-start
    return Done(Returned(None), after, DAEMON_SETTABLE_BEFORE_START)
