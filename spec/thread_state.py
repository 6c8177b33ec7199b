"""The state of a Thread or Timer object, and the words its parts share.

Where the object is in its life (``Life``), the runs of ``run()`` in progress (``Run``),
the threads waiting in ``join()`` (``Joiner``), what calling its target does (``Action``),
and the module around it (``spec.module.ModuleState``). ``spec.thread`` specifies the
object's lifecycle and holds the specs of both classes; ``spec.thread_attributes`` its
name, ident and daemon flag; ``spec.timer`` what only a Timer does.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from spec import module
from spec.module import ModuleState
from spec.profiles import Profile
from spec.values import ANY, ENV, Gate, New, Outcome, Raised, Returned, ThreadId, Value, in_gate

OWN: ThreadId = in_gate(1)
"""The thread of control a ``Thread`` object runs, as the runner of its own ``run()`` and as
the caller of its own methods from inside its target (gate 1 by the scenarios'
convention). Any thread id below ``ENV`` names this thread, waiting in some gate."""


def is_own(thread: ThreadId) -> bool:
    """Is ``thread`` the Thread's own thread (waiting in one of its gates)?"""
    return thread < ENV


class Kind(enum.Enum):
    THREAD = "Thread"
    TIMER = "Timer"
    SUBCLASS = "ThreadSubclass"  # a subclass whose run() overrides the standard one (spec.thread_subclass)


class Life(enum.Enum):
    """Where a Thread is in its life, from its construction to its end."""

    NEW = "new"  # constructed, start() not called
    RUNNING = "running"  # started: its run() is in progress (alive, listed by enumerate())
    HOOK = "excepthook"  # run() raised; excepthook, a gate, is handling it (alive, listed)
    EXITING = "exiting"  # run() is over and the thread left enumerate(); is_alive() still True
    STOPPED = "stopped"  # terminated: is_alive() is False, join() returns


ALIVE = (Life.RUNNING, Life.HOOK, Life.EXITING)
LISTED = (Life.RUNNING, Life.HOOK)


class RunStage(enum.Enum):
    """Where a ``run()`` in progress is."""

    WAITING = "waiting"  # Timer: waiting for the interval to pass, or for cancel()
    CALLING = "calling"  # calling the target (Thread) or the function (Timer)


@dataclass(frozen=True, slots=True)
class Run:
    """A ``run()`` in progress: a worker's direct call, or (``thread == OWN``) the thread's own.

    ``late``: it began after an earlier ``run()`` had deleted the target (CPython).
    """

    thread: ThreadId
    stage: RunStage
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
    """A Thread or Timer object, and the module around it."""

    profile: Profile
    # what the object is: given to the constructor, or set through its attributes
    kind: Kind = Kind.THREAD
    action: Action = None
    interval: Interval = None
    name: Value = None  # None: the default name; ANY_STR: a name the spec cannot tell
    daemon: Value = INHERITED
    # its life
    life: Life = Life.NEW
    stop_seen: bool = False  # CPython's _is_stopped: a join()/is_alive() saw the end (see alive)
    hook_gate: int | None = None  # HOOK: the gate excepthook waits in
    hook_exc: str | None = None  # HOOK: the exception run() raised, handed to excepthook
    # what its end owes (spec.thread_excepthook): the default hook printing run()'s exception, or
    # sys.excepthook handling what excepthook raised: (clause, exception), judged at thread.exited
    report: tuple[str, str] | None = None
    call_args: Value = ()  # the arguments the target or function is called with, as observed
    call_kwargs: Value = ()  # ... and its keyword arguments, as sorted (name, value) pairs
    # the runs of run() in progress
    runs: tuple[Run, ...] = ()
    consumed: bool = False  # Thread: a run() ended and deleted the target (CPython)
    finished: bool = False  # Timer: its 'finished' event is set (cancelled, or the function ran)
    # the threads waiting in join()
    joiners: tuple[Joiner, ...] = ()
    raced: bool = False  # CPython < 3.13: a joiner raised in the join race (Thread.join.concurrent-...)
    # what its own thread reported when it entered its target
    hooks: tuple[Value, Value] | None = None  # (trace, profile) its run() gets; None: unknown
    ids: tuple[Value, Value] | None = None  # (get_ident(), OS id) its own thread reported, if seen
    # 3.14+: the clause saying what a context variable the agent set reads in its run(), by the
    # context argument (Thread.run.context-*); None: before 3.14, or an argument not modelled
    context: str | None = None
    # the module around it (spec.module)
    module: ModuleState = ModuleState()

    @property
    def alive(self) -> bool:
        """What ``is_alive()`` says: started and not ended, unless CPython 3.9-3.12 marked the
        thread stopped early (``Thread.join.rejected-timeout-marks-stopped``)."""
        return self.life in ALIVE and not self.stop_seen

    @property
    def listed(self) -> int:
        """1 while ``enumerate()`` lists the thread, else 0."""
        return 1 if self.life in LISTED else 0


# ---------------------------------------------------------------------------
# What calling the target does
# ---------------------------------------------------------------------------


def readable(v: Value) -> Value:
    """``v`` as the checker reads it back, or ``ANY`` for an object it cannot compare."""
    return ANY if isinstance(v, (Gate, New)) else v


def is_iterable(v: Value) -> bool:
    return isinstance(v, (tuple, list, str, dict))


def observed_arguments(args: Value, kwargs: Value) -> tuple[Value, Value]:
    """The arguments a call ``fn(*args, **kwargs)`` hands the function, as the checker reads
    them when the function is a gate (an object it cannot compare reads as ``ANY``)."""
    positional: Value = tuple(readable(v) for v in args) if is_iterable(args) else ()
    named: Value = ()
    if isinstance(kwargs, dict):
        named = tuple(sorted((str(k), readable(v)) for k, v in kwargs.items()))
    return positional, named


def callable_action(fn: Value, args: Value, kwargs: Value) -> Action:
    """What calling ``fn(*args, **kwargs)`` does."""
    if not isinstance(fn, Gate) or not is_iterable(args):
        return "TypeError"
    if kwargs is not None and not isinstance(kwargs, dict):
        return "TypeError"
    return fn.id


def action_outcome(s: State) -> Outcome | None:
    """What a call of the target/function does now; ``None`` while its gate is closed."""
    if s.action is None:
        return Returned(None)
    if isinstance(s.action, str):
        return Raised(s.action)
    return module.gate_outcome(s.module, s.action)
