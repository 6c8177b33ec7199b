"""Barrier: a rendezvous for a fixed number of threads, reusable generation after generation.

The documentation promises: ``wait`` blocks until ``parties`` threads have called
it, then all are released, each returning a different index in ``range(parties)``;
an optional action is called by one of them first. A timeout, an action that
raises, ``abort`` or ``reset`` make waiting threads raise ``BrokenBarrierError``
(a ``RuntimeError``); a broken barrier stays broken until ``reset``. Added in 3.2.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterator
from dataclasses import dataclass, replace

from spec.clauses import Ambiguity, Reading, clause
from spec.core import TIMEOUT_MAX, Blocked, Done, PrimitiveSpec, Result, Step, dispatch, is_number
from spec.profiles import Profile, Strictness
from spec.values import ANY_INT, ENV, MISSING, Call, Gate, Outcome, Raised, Returned, ThreadId, Value, bind

PRIMITIVE = "Barrier"
BROKEN_ERROR = "BrokenBarrierError"
"""The agent reports the exception's MRO, so this name matches the class and its bases."""

ATTRIBUTES = ("parties", "n_waiting", "broken")

# ---------------------------------------------------------------------------
# Clauses
# ---------------------------------------------------------------------------

INIT_ABSENT_BEFORE_3_2 = clause(
    "Barrier.init.absent-before-3.2",
    doc="threading.Barrier",
    quote="[Added in 3.2] Before 3.2 the module has no Barrier class: naming it raises "
    "AttributeError.",
    until=(3, 2),
)
INIT_CREATES_EMPTY_BARRIER = clause(
    "Barrier.init.creates-empty-barrier",
    doc="threading.Barrier",
    quote="Create a barrier object for parties number of threads.",
    since=(3, 2),
)
INIT_PARTIES_BELOW_ONE_RAISES = clause(
    "Barrier.init.parties-below-one-raises",
    doc="threading.Barrier",
    quote="[CPython 3.13+, undocumented: parties < 1 raises ValueError; a parties that cannot "
    "be compared with 1 raises TypeError; any other is accepted: Barrier(2.0) trips at the second wait]",
    since=(3, 13),
    strictness=Strictness.CPYTHON,
)
INIT_PARTIES_UNCHECKED_BEFORE_3_13 = clause(
    "Barrier.init.parties-unchecked-before-3.13",
    doc="threading.Barrier",
    quote="[CPython 3.2-3.12, undocumented: any parties is accepted; a barrier trips when a "
    "thread arrives with index + 1 == parties, so Barrier(0) or Barrier(-1) never trips]",
    since=(3, 2),
    until=(3, 13),
    strictness=Strictness.CPYTHON,
)
INIT_DEFAULT_TIMEOUT = clause(
    "Barrier.init.default-timeout",
    doc="threading.Barrier",
    quote="timeout is the default timeout value if none is specified for the wait() method.",
    since=(3, 2),
)
WAIT_BLOCKS_UNTIL_ALL_PARTIES = clause(
    "Barrier.wait.blocks-until-all-parties",
    doc="threading.Barrier",
    quote="Each of the threads tries to pass the barrier by calling the wait() method and will "
    "block until all of the threads have made their wait() calls.",
    since=(3, 2),
)
WAIT_RELEASES_ALL_WITH_DISTINCT_INDICES = clause(
    "Barrier.wait.releases-all-with-distinct-indices",
    doc="threading.Barrier.wait",
    quote="When all the threads party to the barrier have called this function, they are all "
    "released simultaneously. The return value is an integer in the range 0 to parties -- 1, "
    "different for each thread.",
    since=(3, 2),
)
WAIT_INDEX_IS_ARRIVAL_ORDER = clause(
    "Barrier.wait.index-is-arrival-order",
    doc="threading.Barrier.wait",
    quote="[CPython, undocumented: a thread's index is the number of threads that arrived "
    "before it in its generation; the last to arrive is released at once and returns "
    "parties - 1]",
    since=(3, 2),
    strictness=Strictness.CPYTHON,
)
WAIT_REUSABLE = clause(
    "Barrier.wait.reusable",
    doc="threading.Barrier",
    quote="The barrier can be reused any number of times for the same number of threads.",
    since=(3, 2),
)
WAIT_WAITS_WHILE_PREVIOUS_GENERATION_LEAVES = clause(
    "Barrier.wait.waits-while-previous-generation-leaves",
    doc="threading.Barrier.wait",
    quote="[CPython, undocumented: a wait() that arrives while the threads of the previous "
    "generation are still leaving (released or reset) waits until the last of them has left, "
    "then joins the next generation]",
    since=(3, 2),
    strictness=Strictness.CPYTHON,
)
WAIT_BROKEN_RAISES = clause(
    "Barrier.wait.broken-raises",
    doc="threading.Barrier.abort",
    quote="Put the barrier into a broken state. This causes any active or future calls to "
    "wait() to fail with the BrokenBarrierError.",
    since=(3, 2),
)
WAIT_BROKEN_WHILE_WAITING_RAISES = clause(
    "Barrier.wait.broken-while-waiting-raises",
    doc="threading.Barrier.wait; threading.BrokenBarrierError",
    quote="This method may raise a BrokenBarrierError exception if the barrier is broken or "
    "reset while a thread is waiting. [threading.BrokenBarrierError] This exception, a subclass "
    "of RuntimeError, is raised when the Barrier object is reset or broken.",
    since=(3, 2),
)
WAIT_TIMEOUT_BREAKS = clause(
    "Barrier.wait.timeout-breaks",
    doc="threading.Barrier.wait",
    quote="If the call times out, the barrier is put into the broken state.",
    since=(3, 2),
)
WAIT_TIMEOUT_OVERRIDES_DEFAULT = clause(
    "Barrier.wait.timeout-overrides-default",
    doc="threading.Barrier.wait",
    quote="If a timeout is provided, it is used in preference to any that was supplied to the "
    "class constructor.",
    since=(3, 2),
)
WAIT_BAD_TIMEOUT_RAISES = clause(
    "Barrier.wait.bad-timeout-raises",
    doc="threading.Barrier.wait",
    quote="[CPython, undocumented: for a thread that has to wait, a timeout that is not a "
    "number raises TypeError and one above TIMEOUT_MAX (or infinite) raises OverflowError; "
    "the barrier is not broken. The last thread to arrive never looks at its timeout]",
    since=(3, 2),
    strictness=Strictness.CPYTHON,
)
WAIT_NONPOSITIVE_TIMEOUT_EXPIRES_AT_ONCE = clause(
    "Barrier.wait.nonpositive-timeout-expires-at-once",
    doc="threading.Barrier.wait",
    quote="[CPython, undocumented: a zero or negative timeout does not wait: unless the barrier "
    "trips first, it expires at once and breaks the barrier]",
    since=(3, 2),
    strictness=Strictness.CPYTHON,
)
WAIT_NAN_TIMEOUT_NEVER_EXPIRES = clause(
    "Barrier.wait.nan-timeout-never-expires",
    doc="threading.Barrier.wait",
    quote="[CPython, undocumented: a NaN timeout never expires; the thread waits (spinning) "
    "until it is released, reset or broken]",
    since=(3, 2),
    strictness=Strictness.CPYTHON,
)
WAIT_ACTION_CALLED_BEFORE_RELEASE = clause(
    "Barrier.wait.action-called-before-release",
    doc="threading.Barrier.wait",
    quote="If an action was provided to the constructor, one of the threads will have called "
    "it prior to being released.",
    since=(3, 2),
)
WAIT_ACTION_HOLDS_THE_LOCK = clause(
    "Barrier.wait.action-holds-the-lock",
    doc="threading.Barrier",
    quote="[CPython, undocumented: the last thread to arrive calls the action while holding "
    "the barrier's lock: wait(), reset() and abort() called meanwhile wait until the action "
    "returns or raises]",
    since=(3, 2),
    strictness=Strictness.CPYTHON,
)
WAIT_ACTION_ERROR_BREAKS = clause(
    "Barrier.wait.action-error-breaks",
    doc="threading.Barrier.wait",
    quote="If an action was provided to the constructor, one of the threads will have called "
    "it prior to being released. Should this call raise an error, the barrier is put into the "
    "broken state.",
    since=(3, 2),
)
WAIT_ACTION_NOT_CALLABLE_RAISES_TYPEERROR = clause(
    "Barrier.wait.action-not-callable-raises-typeerror",
    doc="threading.Barrier",
    quote="[CPython, undocumented: an action that is true but not callable makes the last "
    "thread to arrive raise TypeError and breaks the barrier; a false one (0, '') is not "
    "called]",
    since=(3, 2),
    strictness=Strictness.CPYTHON,
)
ACTION_ENVIRONMENT_OPENS_GATE = clause(
    "Barrier.action.environment-opens-gate",
    doc="threading.Barrier",
    quote="[environment: the action, a function the checker controls, returns (or raises) "
    "when the environment opens its gate]",
    since=(3, 2),
)
RESET_RETURNS_TO_EMPTY_STATE = clause(
    "Barrier.reset.returns-to-empty-state",
    doc="threading.Barrier.reset",
    quote="Return the barrier to the default, empty state.",
    since=(3, 2),
)
RESET_WAITERS_RAISE = clause(
    "Barrier.reset.waiters-raise",
    doc="threading.Barrier.reset",
    quote="Any threads waiting on it will receive the BrokenBarrierError exception.",
    since=(3, 2),
)
RESET_NO_EFFECT_WHILE_RELEASING = clause(
    "Barrier.reset.no-effect-while-releasing",
    doc="threading.Barrier.reset",
    quote="[CPython, undocumented: reset() while released threads are still leaving wait() "
    "leaves them be: they return their indices, and the barrier empties when the last leaves]",
    since=(3, 2),
    strictness=Strictness.CPYTHON,
)
ABORT_BREAKS = clause(
    "Barrier.abort.breaks",
    doc="threading.Barrier.abort",
    quote="Put the barrier into a broken state. This causes any active or future calls to "
    "wait() to fail with the BrokenBarrierError.",
    since=(3, 2),
)
PARTIES_REPORTS = clause(
    "Barrier.parties.reports",
    doc="threading.Barrier.parties",
    quote="The number of threads required to pass the barrier.",
    since=(3, 2),
)
N_WAITING_REPORTS = clause(
    "Barrier.n_waiting.reports",
    doc="threading.Barrier.n_waiting",
    quote="The number of threads currently waiting in the barrier.",
    since=(3, 2),
)
N_WAITING_TRANSIENT_VALUES = clause(
    "Barrier.n_waiting.transient-values",
    doc="threading.Barrier.n_waiting",
    quote="[CPython, undocumented: while the action runs n_waiting is parties (the thread "
    "calling it counts); while threads are being released or reset, or are leaving a broken "
    "barrier, it is 0]",
    since=(3, 2),
    strictness=Strictness.CPYTHON,
)
BROKEN_REPORTS = clause(
    "Barrier.broken.reports",
    doc="threading.Barrier.broken",
    quote="A boolean that is True if the barrier is in the broken state.",
    since=(3, 2),
)
ATTRIBUTES_READ_ONLY = clause(
    "Barrier.attributes.read-only",
    doc="threading.Barrier",
    quote="[CPython, undocumented: parties, n_waiting and broken are read-only properties: "
    "assigning or deleting one raises AttributeError]",
    since=(3, 2),
    strictness=Strictness.CPYTHON,
)
CALL_BAD_ARGUMENTS_RAISE_TYPEERROR = clause(
    "Barrier.call.bad-arguments-raise-typeerror",
    doc="threading.Barrier",
    quote="[Python] A call with arguments that do not match the documented signature raises "
    "TypeError; an operation the class does not have raises AttributeError.",
    since=(3, 2),
    strictness=Strictness.CPYTHON,
)

# ---------------------------------------------------------------------------
# State
# ---------------------------------------------------------------------------


class Phase(enum.Enum):
    """What the barrier is doing (CPython's ``_state``)."""

    FILLING = "filling"  # threads arrive and wait to be released
    DRAINING = "draining"  # released threads are leaving wait()
    RESETTING = "resetting"  # reset() was called; waiting threads are leaving with the error
    BROKEN = "broken"


class Where(enum.Enum):
    """Where a thread's pending call stands."""

    QUEUED = "queued"  # waits for the barrier's lock, held by the thread calling the action
    ENTERING = "entering"  # in wait(), waits for the previous generation to leave
    WAITING = "waiting"  # in wait(), counted, waits for release (or the error)
    ACTION = "action"  # in wait(), the last to arrive, calling the action


class Action(enum.Enum):
    NONE = "none"  # None, or a false value: not called
    GATE = "gate"  # a function controlled by the environment
    NOT_CALLABLE = "not callable"  # a true value that is not callable


class GateState(enum.Enum):
    CLOSED = "closed"
    OPEN = "open"  # the action returns
    RAISING = "raising"  # the action raises ``State.gate_exc``


@dataclass(frozen=True, slots=True)
class Pending:
    """A thread's pending call: ``wait``, or ``reset``/``abort`` queued behind the action.

    ``timeout`` is a wait's effective timeout (its own, or the barrier's default when
    it passed none; ``explicit`` tells which); ``index`` is its arrival index once
    counted.
    """

    thread: ThreadId
    op: str
    where: Where
    timeout: Value = None
    explicit: bool = False
    index: int = -1


@dataclass(frozen=True, slots=True)
class State:
    profile: Profile
    parties: Value = 1
    default_timeout: Value = None
    action: Action = Action.NONE
    gate_id: int = 0
    gate: GateState = GateState.CLOSED
    gate_exc: str | None = None
    phase: Phase = Phase.FILLING
    pending: tuple[Pending, ...] = ()
    handed: frozenset[int] = frozenset()
    """Documented strictness: indices already returned by the generation being released."""
    owed: str | None = None
    """Documented strictness: the action's exception, which one party has still to raise."""


def counted(s: State) -> tuple[Pending, ...]:
    """The threads inside the current generation (CPython's ``_count``)."""
    return tuple(p for p in s.pending if p.where in (Where.WAITING, Where.ACTION))


def holder(s: State) -> Pending | None:
    """The thread calling the action (it holds the barrier's lock), if any."""
    return next((p for p in s.pending if p.where is Where.ACTION), None)


def _action_kind(v: Value) -> Action:
    if isinstance(v, Gate):
        return Action.GATE
    if v is None or (isinstance(v, (bool, int, float, str, tuple)) and not v):
        return Action.NONE
    return Action.NOT_CALLABLE


def _is_positive_int(v: Value) -> bool:
    """Is ``v`` a number of parties a barrier can trip at (1, 2, 3.0…)?"""
    if isinstance(v, int):
        return v >= 1
    return isinstance(v, float) and math.isfinite(v) and v >= 1 and v.is_integer()


def _documented_parties(profile: Profile, v: Value) -> bool:
    """Is ``v`` a parties whose barrier the documentation describes? "parties number of threads"
    is an int; a barrier of 2.0 parties trips at the second wait in CPython (its own behaviour,
    judged at ``cpython`` strictness only: a library may reject it)."""
    return profile.cpython or isinstance(v, int)


def create(profile: Profile, c: Call) -> Done[State | None]:
    if profile.before(3, 2):
        # clause Barrier.init.absent-before-3.2
        return Done(Raised("AttributeError"), None, INIT_ABSENT_BEFORE_3_2)
    a = bind(c, ("parties", "action", "timeout"), {"action": None, "timeout": None})
    if a is None or a["parties"] is MISSING:
        # clause Barrier.call.bad-arguments-raise-typeerror
        return Done(Raised("TypeError"), None, CALL_BAD_ARGUMENTS_RAISE_TYPEERROR)
    parties = a["parties"]
    which = INIT_CREATES_EMPTY_BARRIER
    if profile.since(3, 13):
        if not is_number(parties):
            # clause Barrier.init.parties-below-one-raises
            return Done(Raised("TypeError"), None, INIT_PARTIES_BELOW_ONE_RAISES)
        if parties < 1:
            # clause Barrier.init.parties-below-one-raises
            return Done(Raised("ValueError"), None, INIT_PARTIES_BELOW_ONE_RAISES)
        if not _documented_parties(profile, parties):
            # clause Barrier.init.parties-below-one-raises  [2.0: what CPython makes of it, not judged]
            which = INIT_PARTIES_BELOW_ONE_RAISES
    elif not _is_positive_int(parties) or not _documented_parties(profile, parties):
        # clause Barrier.init.parties-unchecked-before-3.13
        which = INIT_PARTIES_UNCHECKED_BEFORE_3_13
    action = a["action"]
    s = State(
        profile,
        parties=parties,
        default_timeout=a["timeout"],
        action=_action_kind(action),
        gate_id=action.id if isinstance(action, Gate) else 0,
    )
    # clause Barrier.init.creates-empty-barrier
    return Done(Returned(None), s, which)


# ---------------------------------------------------------------------------
# Transitions
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Move:
    """What one critical section (a thread holding the barrier's lock) did to a call:
    ``outcome`` None while the call is still pending (recorded in ``state``)."""

    outcome: Outcome | None
    state: State
    clause: str


def _add(s: State, p: Pending) -> State:
    return replace(s, pending=s.pending + (p,))


def _without(s: State, thread: ThreadId) -> State:
    return replace(s, pending=tuple(p for p in s.pending if p.thread != thread))


def _left(s: State) -> State:
    """A counted thread has left: the last one out of a release or reset empties the barrier."""
    if counted(s):
        return s
    if s.phase in (Phase.DRAINING, Phase.RESETTING):
        # clause Barrier.wait.reusable
        return replace(s, phase=Phase.FILLING, handed=frozenset())
    return replace(s, handed=frozenset())


def _timeout_kind(t: Value) -> str:
    """How a wait's effective timeout behaves: none, error names, nan, expiring."""
    if t is None:
        return "none"
    if not is_number(t):
        return "TypeError"
    f = float(t)
    if math.isnan(f):
        return "nan"
    if f > TIMEOUT_MAX:
        return "OverflowError"
    return "expiring"


def _is_timed(p: Pending) -> bool:
    return p.op == "wait" and _timeout_kind(p.timeout) == "expiring"


def _arrive(s: State, p: Pending) -> Move:
    """``wait``'s first critical section; ``p`` is not in ``s.pending``."""
    if s.phase in (Phase.DRAINING, Phase.RESETTING):
        # clause Barrier.wait.waits-while-previous-generation-leaves
        entering = _add(s, replace(p, where=Where.ENTERING))
        return Move(None, entering, WAIT_WAITS_WHILE_PREVIOUS_GENERATION_LEAVES)
    if s.phase is Phase.BROKEN:
        # clause Barrier.wait.broken-raises
        return Move(Raised(BROKEN_ERROR), s, WAIT_BROKEN_RAISES)
    index = len(counted(s))
    me = replace(p, index=index)
    if index + 1 == s.parties:
        return _trip(s, me)
    kind = _timeout_kind(p.timeout)
    if kind in ("TypeError", "OverflowError"):
        # clause Barrier.wait.bad-timeout-raises
        return Move(Raised(kind), s, WAIT_BAD_TIMEOUT_RAISES)
    waiting = _add(s, replace(me, where=Where.WAITING))
    if kind == "nan":
        # clause Barrier.wait.nan-timeout-never-expires
        return Move(None, waiting, WAIT_NAN_TIMEOUT_NEVER_EXPIRES)
    if kind == "expiring" and float(p.timeout) <= 0:
        # clause Barrier.wait.nonpositive-timeout-expires-at-once
        return Move(None, waiting, WAIT_NONPOSITIVE_TIMEOUT_EXPIRES_AT_ONCE)
    if kind == "expiring" and p.explicit and s.default_timeout is not None:
        # clause Barrier.wait.timeout-overrides-default
        return Move(None, waiting, WAIT_TIMEOUT_OVERRIDES_DEFAULT)
    if kind == "expiring" and not p.explicit:
        # clause Barrier.init.default-timeout
        return Move(None, waiting, INIT_DEFAULT_TIMEOUT)
    # clause Barrier.wait.blocks-until-all-parties
    return Move(None, waiting, WAIT_BLOCKS_UNTIL_ALL_PARTIES)


def _trip(s: State, me: Pending) -> Move:
    """The last party has arrived: call the action, then release everyone."""
    if s.action is Action.NOT_CALLABLE:
        # clause Barrier.wait.action-not-callable-raises-typeerror
        return _action_failed(s, me, "TypeError", WAIT_ACTION_NOT_CALLABLE_RAISES_TYPEERROR)
    if s.action is Action.GATE:
        if s.gate is GateState.CLOSED:
            # clause Barrier.wait.action-called-before-release
            return Move(None, _add(s, replace(me, where=Where.ACTION)), WAIT_ACTION_CALLED_BEFORE_RELEASE)
        if s.gate is GateState.RAISING:
            assert s.gate_exc is not None
            # clause Barrier.wait.action-error-breaks
            return _action_failed(s, me, s.gate_exc, WAIT_ACTION_ERROR_BREAKS)
        # clause Barrier.wait.action-called-before-release
        return _release(s, me, WAIT_ACTION_CALLED_BEFORE_RELEASE)
    # clause Barrier.wait.releases-all-with-distinct-indices
    return _release(s, me, WAIT_RELEASES_ALL_WITH_DISTINCT_INDICES)


def _release(s: State, me: Pending, why: str) -> Move:
    """Every counted thread is released; ``me`` (the last to arrive) is not in ``s.pending``."""
    s = _without(s, me.thread)
    if not s.profile.cpython:
        # clause Barrier.wait.releases-all-with-distinct-indices
        released = _add(replace(s, phase=Phase.DRAINING), replace(me, where=Where.WAITING))
        return Move(None, released, why)
    # clause Barrier.wait.index-is-arrival-order
    after = _left(replace(s, phase=Phase.DRAINING))
    all_released = why == WAIT_RELEASES_ALL_WITH_DISTINCT_INDICES
    return Move(Returned(me.index), after, WAIT_INDEX_IS_ARRIVAL_ORDER if all_released else why)


def _action_failed(s: State, me: Pending, exc: str, why: str) -> Move:
    """The action raised ``exc``: the barrier breaks; the caller raises it (CPython: the last
    to arrive; documented: any one party, chosen when the parties leave)."""
    s = _without(s, me.thread)
    if not s.profile.cpython:
        broken = replace(s, phase=Phase.BROKEN, owed=exc)
        return Move(None, _add(broken, replace(me, where=Where.WAITING)), why)
    return Move(Raised(exc), _left(replace(s, phase=Phase.BROKEN)), why)


def _reset(s: State) -> Move:
    """``reset``'s critical section."""
    if not counted(s):
        # clause Barrier.reset.returns-to-empty-state
        emptied = replace(s, phase=Phase.FILLING, handed=frozenset())
        return Move(Returned(None), emptied, RESET_RETURNS_TO_EMPTY_STATE)
    if s.phase is Phase.DRAINING:
        # clause Barrier.reset.no-effect-while-releasing
        return Move(Returned(None), s, RESET_NO_EFFECT_WHILE_RELEASING)
    # clause Barrier.reset.waiters-raise
    return Move(Returned(None), replace(s, phase=Phase.RESETTING), RESET_WAITERS_RAISE)


def _abort(s: State) -> Move:
    """``abort``'s critical section."""
    # clause Barrier.abort.breaks
    return Move(Returned(None), replace(s, phase=Phase.BROKEN), ABORT_BREAKS)


def _critical_section(s: State, p: Pending) -> Move:
    """Thread ``p`` (not in ``s.pending``) takes the barrier's lock and runs its call."""
    if p.op == "reset":
        return _reset(s)
    if p.op == "abort":
        return _abort(s)
    return _arrive(s, p)


def _result(m: Move) -> Result[State]:
    if m.outcome is None:
        return Blocked(m.state, m.clause)
    return Done(m.outcome, m.state, m.clause)


def _locking_call(s: State, p: Pending) -> Result[State]:
    if holder(s) is not None:
        # clause Barrier.wait.action-holds-the-lock
        return Blocked(_add(s, replace(p, where=Where.QUEUED)), WAIT_ACTION_HOLDS_THE_LOCK)
    return _result(_critical_section(s, p))


def wait(s: State, c: Call) -> Result[State]:
    a = bind(c, ("timeout",), {"timeout": None})
    if a is None:
        # clause Barrier.call.bad-arguments-raise-typeerror
        return Done(Raised("TypeError"), s, CALL_BAD_ARGUMENTS_RAISE_TYPEERROR)
    explicit = a["timeout"] is not None
    t = a["timeout"] if explicit else s.default_timeout
    return _locking_call(s, Pending(c.thread, "wait", Where.QUEUED, t, explicit))


def reset(s: State, c: Call) -> Result[State]:
    if c.args or c.kwargs:
        # clause Barrier.call.bad-arguments-raise-typeerror
        return Done(Raised("TypeError"), s, CALL_BAD_ARGUMENTS_RAISE_TYPEERROR)
    return _locking_call(s, Pending(c.thread, "reset", Where.QUEUED))


def abort(s: State, c: Call) -> Result[State]:
    if c.args or c.kwargs:
        # clause Barrier.call.bad-arguments-raise-typeerror
        return Done(Raised("TypeError"), s, CALL_BAD_ARGUMENTS_RAISE_TYPEERROR)
    return _locking_call(s, Pending(c.thread, "abort", Where.QUEUED))


def get_parties(s: State, c: Call) -> Result[State]:
    # clause Barrier.parties.reports
    return Done(Returned(s.parties), s, PARTIES_REPORTS)


def get_broken(s: State, c: Call) -> Result[State]:
    # clause Barrier.broken.reports
    return Done(Returned(s.phase is Phase.BROKEN), s, BROKEN_REPORTS)


def get_n_waiting(s: State, c: Call) -> Result[State]:
    inside = counted(s)
    if not inside:
        # clause Barrier.n_waiting.reports
        return Done(Returned(0), s, N_WAITING_REPORTS)
    if s.phase is Phase.FILLING and holder(s) is None:
        # clause Barrier.n_waiting.reports
        return Done(Returned(len(inside)), s, N_WAITING_REPORTS)
    if not s.profile.cpython:
        # clause Barrier.n_waiting.reports
        return Done(Returned(ANY_INT), s, N_WAITING_REPORTS)
    # clause Barrier.n_waiting.transient-values
    value = len(inside) if s.phase is Phase.FILLING else 0
    return Done(Returned(value), s, N_WAITING_TRANSIENT_VALUES)


def open_gate(s: State, c: Call) -> Result[State]:
    """The environment opens gate ``args[0]`` (making it raise ``args[1]``, if given).

    A gate opens once: opening it again changes nothing, as in the agent.
    """
    gate_id = c.args[0] if c.args else None
    exc = c.args[1] if len(c.args) > 1 else None
    if s.action is Action.GATE and gate_id == s.gate_id and s.gate is GateState.CLOSED:
        opened = GateState.OPEN if exc is None else GateState.RAISING
        # clause Barrier.action.environment-opens-gate
        return Done(Returned(None), replace(s, gate=opened, gate_exc=exc), ACTION_ENVIRONMENT_OPENS_GATE)
    # clause Barrier.action.environment-opens-gate
    return Done(Returned(None), s, ACTION_ENVIRONMENT_OPENS_GATE)


TRANSITIONS = {
    "wait": wait,
    "reset": reset,
    "abort": abort,
    "get:parties": get_parties,
    "get:n_waiting": get_n_waiting,
    "get:broken": get_broken,
}


def ops(profile: Profile) -> tuple[str, ...]:
    if profile.before(3, 2):
        return ()
    return tuple(TRANSITIONS)


def invoke(s: State, c: Call) -> Result[State]:
    if s.profile.before(3, 2):
        # clause Barrier.init.absent-before-3.2
        return Done(Raised("AttributeError"), s, INIT_ABSENT_BEFORE_3_2)
    if c.thread == ENV:
        if c.op == "gate.open":
            return open_gate(s, c)
        # clause Barrier.call.bad-arguments-raise-typeerror
        return Done(Raised("AttributeError"), s, CALL_BAD_ARGUMENTS_RAISE_TYPEERROR)
    if c.op.startswith(("set:", "del:")) and c.op[4:] in ATTRIBUTES:
        # clause Barrier.attributes.read-only
        return Done(Raised("AttributeError"), s, ATTRIBUTES_READ_ONLY)
    return dispatch(s, c, TRANSITIONS, ops(s.profile), CALL_BAD_ARGUMENTS_RAISE_TYPEERROR)


def _expiring(t: Value) -> float | None:
    """Seconds after which a wait with effective timeout ``t`` may expire (``None``: never)."""
    if _timeout_kind(t) != "expiring":
        return None
    return max(0.0, float(t))


def timeout(c: Call) -> float | None:
    """The timeout given to a pending ``wait`` (``None``: none, or the barrier's default)."""
    if c.op != "wait":
        return None
    return _expiring(c.kw().get("timeout", c.args[0] if c.args else None))


def timeout_in(init: Call, c: Call) -> float | None:
    """The effective timeout of a pending ``wait`` on a barrier built by ``init``: its own,
    or, when it passed none (or None), the constructor's default."""
    if c.op != "wait":
        return None
    a = bind(c, ("timeout",), {"timeout": None})
    if a is None:
        return None
    t = a["timeout"]
    if t is None:
        d = bind(init, ("parties", "action", "timeout"), {"action": None, "timeout": None})
        t = None if d is None else d["timeout"]
    return _expiring(t)


# ---------------------------------------------------------------------------
# Internal steps
# ---------------------------------------------------------------------------


def _leave(s: State, p: Pending) -> Iterator[tuple[Outcome, State, str]]:
    """The ways counted thread ``p`` may leave a barrier that is no longer filling."""
    s = _without(s, p.thread)
    if s.phase is Phase.DRAINING:
        # clause Barrier.wait.releases-all-with-distinct-indices
        # clause Barrier.wait.reusable (the last to leave empties the barrier)
        why = WAIT_RELEASES_ALL_WITH_DISTINCT_INDICES if counted(s) else WAIT_REUSABLE
        if s.profile.cpython:
            yield Returned(p.index), _left(s), why
            return
        size = len(s.handed) + len(counted(s)) + 1
        for i in range(size):
            if i not in s.handed:
                yield Returned(i), _left(replace(s, handed=s.handed | {i})), why
        return
    why = RESET_WAITERS_RAISE if s.phase is Phase.RESETTING else WAIT_BROKEN_WHILE_WAITING_RAISES
    if s.owed is not None:
        # clause Barrier.wait.action-error-breaks
        yield Raised(s.owed), _left(replace(s, owed=None)), WAIT_ACTION_ERROR_BREAKS
        if not counted(s):
            return  # the last to leave must raise the action's error
    # clause Barrier.wait.broken-while-waiting-raises / Barrier.reset.waiters-raise
    yield Raised(BROKEN_ERROR), _left(s), why


def _finish_action(s: State, p: Pending) -> Move:
    """The action returned or raised; its caller still holds the lock and finishes."""
    if s.gate is GateState.RAISING:
        assert s.gate_exc is not None
        # clause Barrier.wait.action-error-breaks
        return _action_failed(s, p, s.gate_exc, WAIT_ACTION_ERROR_BREAKS)
    # clause Barrier.wait.action-called-before-release
    return _release(s, p, WAIT_ACTION_CALLED_BEFORE_RELEASE)


def wakeups(s: State) -> Iterator[Step[State]]:
    """Who may take the barrier's lock next, and what its call then does.

    While the action runs only its caller may move, once its gate is open. Otherwise,
    in any order: queued calls run; threads waiting to enter proceed once the previous
    generation has left; counted threads leave once the barrier is no longer filling.
    """
    h = holder(s)
    if h is not None:
        if s.gate is not GateState.CLOSED:
            m = _finish_action(s, h)
            yield Step(h.thread, m.outcome, m.state, m.clause)
        return
    for p in s.pending:
        if p.where is Where.QUEUED or (
            p.where is Where.ENTERING and s.phase in (Phase.FILLING, Phase.BROKEN)
        ):
            m = _critical_section(_without(s, p.thread), p)
            yield Step(p.thread, m.outcome, m.state, m.clause)
        elif p.where is Where.WAITING and s.phase is not Phase.FILLING:
            for outcome, after, why in _leave(s, p):
                yield Step(p.thread, outcome, after, why)


def expiries(s: State) -> Iterator[Step[State]]:
    """A counted thread with a timeout may give up while the barrier fills: it breaks it."""
    if s.phase is not Phase.FILLING or holder(s) is not None:
        return
    for p in s.pending:
        if p.where is Where.WAITING and _is_timed(p):
            broken = _left(replace(_without(s, p.thread), phase=Phase.BROKEN))
            # clause Barrier.wait.timeout-breaks
            yield Step(p.thread, Raised(BROKEN_ERROR), broken, WAIT_TIMEOUT_BREAKS)


# ---------------------------------------------------------------------------
# Invariants
# ---------------------------------------------------------------------------


def _int_parties(s: State) -> int | None:
    p = s.parties
    if isinstance(p, int) and not isinstance(p, bool) and p >= 1:
        return p
    return None


def inv_pending_distinct(s: State) -> bool:
    """A thread has at most one pending call."""
    return len({p.thread for p in s.pending}) == len(s.pending)


def inv_fewer_waiting_than_parties(s: State) -> bool:
    """Fewer than ``parties`` threads wait in a filling barrier; exactly ``parties`` are
    inside it while the action runs (n_waiting then reads ``parties`` in CPython)."""
    n = _int_parties(s)
    if n is None:
        return True
    inside = len(counted(s))
    if holder(s) is not None:
        return inside == n
    if s.phase is Phase.FILLING:
        return inside < n
    return inside <= n


def inv_one_action_at_a_time(s: State) -> bool:
    """At most one thread calls the action, only while filling, with the last index."""
    callers = [p for p in s.pending if p.where is Where.ACTION]
    if not callers:
        return True
    (h,) = callers
    return s.phase is Phase.FILLING and h.index == len(counted(s)) - 1


def inv_only_waits_inside(s: State) -> bool:
    """Only wait() calls enter or are counted; reset() and abort() only ever queue."""
    return all(p.op == "wait" or p.where is Where.QUEUED for p in s.pending)


def inv_leaving_generation_not_empty(s: State) -> bool:
    """A barrier being released or reset has threads still to leave (so it empties)."""
    return s.phase not in (Phase.DRAINING, Phase.RESETTING) or bool(counted(s))


def inv_filling_indices_are_arrival_order(s: State) -> bool:
    """While filling, the counted threads hold indices 0, 1, … in arrival order."""
    if s.phase is not Phase.FILLING:
        return True
    return sorted(p.index for p in counted(s)) == list(range(len(counted(s))))


def inv_broken_barrier_releases_nobody(s: State) -> bool:
    """No thread can still return an index from a broken or resetting barrier."""
    if s.phase not in (Phase.BROKEN, Phase.RESETTING):
        return True
    waits = {p.thread for p in s.pending if p.op == "wait" and p.where is Where.WAITING}
    return all(not isinstance(st.outcome, Returned) for st in wakeups(s) if st.thread in waits)


def inv_documented_bookkeeping(s: State) -> bool:
    """``handed`` and ``owed`` are used at documented strictness only, and consistently."""
    if s.profile.cpython:
        return not s.handed and s.owed is None
    if s.owed is not None and (s.phase not in (Phase.BROKEN, Phase.RESETTING) or not counted(s)):
        return False
    return not s.handed or bool(counted(s))


def inv_not_stranded(s: State) -> bool:
    """Every pending call can progress: some wakeup is enabled, or the action waits for
    its gate, or the only pending calls are counted threads of a filling barrier."""
    if any(True for _ in wakeups(s)):
        return True
    h = holder(s)
    if h is not None:
        return s.gate is GateState.CLOSED
    return s.phase in (Phase.FILLING, Phase.BROKEN) and all(
        p.where is Where.WAITING and s.phase is Phase.FILLING for p in s.pending
    )


INVARIANTS = (
    inv_pending_distinct,
    inv_fewer_waiting_than_parties,
    inv_one_action_at_a_time,
    inv_only_waits_inside,
    inv_leaving_generation_not_empty,
    inv_filling_indices_are_arrival_order,
    inv_broken_barrier_releases_nobody,
    inv_documented_bookkeeping,
    inv_not_stranded,
)


AMBIGUITIES = (
    Ambiguity(
        topic="which index each thread gets",
        text="The return value is an integer in the range 0 to parties -- 1, different for each "
        "thread.",
        reading="Documented: any assignment of distinct indices to the threads of a generation "
        "(the last to arrive may be released like the others). CPython: arrival order, and the "
        "last to arrive returns parties - 1 at once.",
        readings=(
            Reading(
                'arrival order, and the last to arrive returns parties - 1 at once.',
                Strictness.CPYTHON,
            ),
            Reading(
                'any assignment of distinct indices to the threads of a generation (the last to arrive may '
                'be released like the others).',
                Strictness.DOCUMENTED,
            ),
        ),
    ),
    Ambiguity(
        topic="who calls the action, and who sees its error",
        text="one of the threads will have called it prior to being released. Should this call "
        "raise an error, the barrier is put into the broken state.",
        reading="Every profile: the action is called once per generation, before any party "
        "returns. Documented: exactly one party raises the action's error, the others "
        "BrokenBarrierError. CPython: the last to arrive calls it and raises its error.",
        readings=(
            Reading(
                'the action is called once per generation, before any party returns; the last to arrive '
                'calls it and raises its error, the others BrokenBarrierError.',
                Strictness.CPYTHON,
            ),
            Reading(
                'the action is called once per generation, before any party returns; exactly one party '
                "raises the action's error, the others BrokenBarrierError.",
                Strictness.DOCUMENTED,
            ),
        ),
    ),
    Ambiguity(
        topic="calls made while the action runs",
        text="(not addressed)",
        reading="Every profile takes CPython's reading: the action runs under the barrier's "
        "lock, so wait(), reset() and abort() called meanwhile wait until it returns, then "
        "run in any order with the leaving threads (an abort() that gets the lock before a "
        "released thread makes it raise BrokenBarrierError; a reset() does not). The "
        "properties never wait.",
    ),
    Ambiguity(
        topic="n_waiting while a generation leaves",
        text="The number of threads currently waiting in the barrier.",
        reading="Documented: exact while the barrier fills (the threads counted so far) and 0 "
        "when no thread is inside; any int while the action runs or threads leave. CPython: "
        "parties while the action runs, 0 while threads leave. CPython reads n_waiting without "
        "the lock; the spec treats the read as atomic, which only a race with a changing "
        "barrier can tell apart.",
        readings=(
            Reading(
                'exact while the barrier fills and 0 when no thread is inside; parties while the action '
                'runs, 0 while threads leave (read as atomic, though CPython reads it without the lock).',
                Strictness.CPYTHON,
            ),
            Reading(
                'exact while the barrier fills (the threads counted so far) and 0 when no thread is inside;'
                ' any int while the action runs or threads leave.',
                Strictness.DOCUMENTED,
            ),
        ),
    ),
    Ambiguity(
        topic="a wait() arriving while the previous generation leaves",
        text="The barrier can be reused any number of times for the same number of threads.",
        reading="Every profile: it waits until the last thread of the previous generation has "
        "left, then joins the next generation (it neither joins the leaving one nor fails).",
    ),
    Ambiguity(
        topic="the barrier's default timeout",
        text="timeout is the default timeout value if none is specified for the wait() method.",
        reading="Every profile: a wait() without a timeout (or with None) uses the "
        "constructor's; a timeout counts from when the thread starts waiting to be released.",
    ),
    Ambiguity(
        topic="bad parties and timeouts",
        text="Create a barrier object for parties number of threads.",
        reading="CPython 3.13+ rejects parties < 1 (ValueError) and non-numbers (TypeError); "
        "earlier versions accept anything and trip only when index + 1 == parties. A zero or "
        "negative wait timeout expires at once, NaN never expires; a non-number or one above "
        "TIMEOUT_MAX raises when the thread would wait. The documentation says nothing; a parties "
        "that is not an int (2.0) is judged only against CPython.",
        readings=(
            Reading(
                'parties is not checked: any value is accepted and trips only when index + 1 == parties. A '
                'zero or negative wait timeout expires at once, NaN never expires; a non-number or one '
                'above TIMEOUT_MAX raises when the thread would wait.',
                Strictness.CPYTHON, (2, 7), (3, 13),
            ),
            Reading(
                'parties < 1 raises ValueError and a non-number TypeError. A zero or negative wait timeout '
                'expires at once, NaN never expires; a non-number or one above TIMEOUT_MAX raises when the '
                'thread would wait.',
                Strictness.CPYTHON, (3, 13),
            ),
            Reading(
                'as CPython before 3.13, but "parties number of threads" is an int: a barrier of 2.0 '
                'parties (CPython trips it at the second wait) is not judged.',
                Strictness.DOCUMENTED, (2, 7), (3, 13),
            ),
            Reading(
                'as CPython 3.13+, but "parties number of threads" is an int: a barrier of 2.0 parties '
                '(CPython trips it at the second wait) is not judged.',
                Strictness.DOCUMENTED, (3, 13),
            ),
        ),
    ),
)

SPEC: PrimitiveSpec[State] = PrimitiveSpec(
    PRIMITIVE, create, invoke, wakeups, expiries, INVARIANTS, timeout, ops, AMBIGUITIES, timeout_in=timeout_in
)
