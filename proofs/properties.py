"""Named properties of the specs, checked in every reachable state and transition of a bound.

``check(bound, properties)`` explores a bound of ``proofs.bounds`` breadth-first, as
``spec.explore.explore`` does, and checks each property on the way:

* a *state* property (``on_state``) looks at each distinct spec state once;
* a *history* property (``start`` and ``on_move``) keeps a ghost value beside the spec state,
  computed from what the threads observe (calls, their outcomes, wakeups, expiries), and
  checks each move against it. The ghost is part of the explored node, so every history
  within the bound is followed, not just one per spec state.

A check returns ``None`` when it had nothing to look at, ``HOLDS`` when it looked and the
property held, or a sentence saying what broke. A property that broke is reported with the
schedule that reached the broken move (``Verdict.counterexample``).

The documented guarantees are stated here from what threads can observe, not by re-reading
the spec's own bookkeeping: mutual exclusion counts the acquires and releases that
succeeded; a Semaphore's counter is the initial value plus the units released minus the
successful acquires; an Event's waiter may return True only if a ``set`` came after it began
to wait.
"""

from __future__ import annotations

import copy
import dataclasses
import enum
import time
from collections import deque
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from proofs.bounds import Bound
from spec import barrier, condition, event, lock, rlock, semaphore
from spec.core import Blocked, Done, PrimitiveSpec, Result, Step
from spec.values import ENV, Call, Outcome, Returned, ThreadId, bind

HOLDS = ""
"""What a check returns when it looked and the property held."""

Check = str | None
"""``None``: nothing to check here; ``HOLDS``: held; any other string: what broke."""


class Kind(enum.Enum):
    """What a move of the exploration is."""

    CALL = "call"  # a thread invokes a call: it returns, raises or blocks
    WAKEUP = "wakeup"  # a pending call advances or completes (spec.wakeups)
    EXPIRY = "expiry"  # a pending call's timeout runs out (spec.expiries)
    ENV = "env"  # the environment moves on its own (a Thread's target ending)


@dataclass(slots=True)
class Move:
    """One transition: ``thread``'s ``call`` (made now, or pending and now advancing) took the
    object from ``before`` to ``after``; ``outcome`` is what the call returned or raised,
    ``None`` if it blocked or is still pending. ``pending`` holds each thread's pending call
    before the move."""

    kind: Kind
    thread: ThreadId
    call: Call | None
    outcome: Outcome | None
    before: Any
    after: Any
    pending: tuple[Call | None, ...]


@dataclass(frozen=True)
class Context:
    """What a property may read besides the move: the bound and the spec explored (which a
    test may have broken on purpose)."""

    bound: Bound
    spec: PrimitiveSpec[Any]


@dataclass(frozen=True)
class Property:
    """A named property; ``primitives`` it applies to (empty: every primitive)."""

    name: str
    doc: str
    primitives: frozenset[str] = frozenset()
    on_state: Callable[[Context, Any], Check] | None = None
    start: Callable[[Context], Hashable] | None = None
    on_move: Callable[[Context, Any, Move], tuple[Any, Check]] | None = None

    def applies_to(self, primitive: str) -> bool:
        return not self.primitives or primitive in self.primitives


@dataclass
class Verdict:
    """How one property fared in one bound."""

    prop: Property
    checks: int = 0
    """How many times it looked at something (0: vacuous within this bound)."""
    seconds: float = 0.0
    counterexample: str | None = None

    @property
    def ok(self) -> bool:
        return self.counterexample is None


@dataclass
class Run:
    """What ``check`` explored and found."""

    bound: Bound
    states: int = 0
    """Distinct spec states (as ``spec.explore.explore`` counts them)."""
    spec_nodes: int = 0
    """Distinct (state, blocked threads, calls left): ``explore``'s nodes."""
    nodes: int = 0
    """Nodes of this exploration: spec nodes together with each property's ghost value."""
    transitions: int = 0
    seconds: float = 0.0
    verdicts: dict[str, Verdict] = field(default_factory=dict)

    @property
    def pinned_ok(self) -> bool:
        return (self.states, self.spec_nodes) == self.bound.pinned

    @property
    def engine_seconds(self) -> float:
        """Time spent exploring, not in any property's checks."""
        return max(0.0, self.seconds - sum(v.seconds for v in self.verdicts.values()))


# ---------------------------------------------------------------------------
# What a move means to a thread
# ---------------------------------------------------------------------------

ACQUIRES = ("acquire", "__enter__")
RELEASES = ("release", "__exit__")


def acquired(c: Call | None, outcome: Outcome | None) -> bool:
    """Did ``c`` acquire (a lock, a unit)? It returned, and not False."""
    return (
        c is not None and c.op in ACQUIRES and isinstance(outcome, Returned) and outcome.value is not False
    )


def released(c: Call | None, outcome: Outcome | None) -> bool:
    """Did ``c`` release (a lock, units)? It returned."""
    return c is not None and c.op in RELEASES and isinstance(outcome, Returned)


def units_released(c: Call) -> int:
    """How many units a successful ``release``/``__exit__`` of a Semaphore gave back."""
    if c.op == "__exit__":
        return 1
    a = bind(c, ("n",), {"n": 1})
    return int(a["n"]) if a is not None else 1


def _thread(t: ThreadId | None) -> str:
    return "none" if t is None else f"t{t}"


def _holders(counts: tuple[int, ...]) -> list[int]:
    return [t for t, n in enumerate(counts) if n > 0]


def _bump(counts: tuple[int, ...], t: int, by: int) -> tuple[int, ...]:
    return counts[:t] + (counts[t] + by,) + counts[t + 1 :]


# ---------------------------------------------------------------------------
# Every primitive: invariants, determinism
# ---------------------------------------------------------------------------


def check_invariants(ctx: Context, s: Any) -> Check:
    broken = ctx.spec.broken_invariants(s)
    return f"invariant {', '.join(broken)} broken" if broken else HOLDS


INVARIANTS = Property(
    "invariants",
    "every reachable state satisfies the spec's named invariants (inv_*)",
    on_state=check_invariants,
)

DETERMINISM = Property(
    "invoke is deterministic",
    "invoke(state, call), wakeups(state) and expiries(state) give equal results for equal states "
    "(checked by calling each again on a copy of the state)",
)
"""Checked by the explorer itself, as it computes each (state, call) once."""


def twin(s: Any) -> Any:
    """An equal copy of state ``s`` that is another object (fields shared)."""
    if not dataclasses.is_dataclass(s) or not hasattr(type(s), "__slots__"):
        return copy.copy(s)
    other = object.__new__(type(s))
    for f in dataclasses.fields(s):
        object.__setattr__(other, f.name, getattr(s, f.name))
    return other


def _summary(r: Result[Any]) -> str:
    what = f"{r.outcome!r}" if isinstance(r, Done) else "blocked"
    return f"{what} ({r.clause})"


def _same_results(spec: PrimitiveSpec[Any], s: Any, c: Call, r: Result[Any]) -> Check:
    again = spec.invoke(twin(s), c)
    if again == r:
        return HOLDS
    states = "" if again.state == r.state else ", in another state"
    return f"{c!r} {_summary(r)}, then {_summary(again)}{states}"


def _idle_step(st: Step[Any]) -> Check:
    return f"a step for idle thread t{st.thread}"


def _same_steps(spec: PrimitiveSpec[Any], s: Any, steps: list[Step[Any]]) -> Check:
    other = twin(s)
    again = [*spec.wakeups(other), *spec.expiries(other)]
    return HOLDS if again == steps else f"internal steps {steps!r}, then {again!r}"


# ---------------------------------------------------------------------------
# Lock, RLock: mutual exclusion; RLock: level
# ---------------------------------------------------------------------------


def _start_counts(ctx: Context) -> tuple[int, ...]:
    return (0,) * ctx.bound.threads


def _mutex_move(ctx: Context, counts: tuple[int, ...], m: Move) -> tuple[tuple[int, ...], Check]:
    """Who holds the lock, from the acquires and releases that succeeded."""
    if m.outcome is None or m.thread == ENV:
        return counts, None
    reentrant = ctx.spec.name != lock.PRIMITIVE
    t, holders = m.thread, _holders(counts)
    if acquired(m.call, m.outcome):
        rivals = [u for u in holders if u != t or not reentrant]
        counts = _bump(counts, t, 1)
        if rivals:
            return counts, f"t{t} acquired the lock while t{rivals[0]} held it"
        return counts, HOLDS
    if released(m.call, m.outcome):
        if reentrant or t in holders:
            return (_bump(counts, t, -1) if counts[t] > 0 else counts), HOLDS
        # a Lock may be released by any thread: the holder's hold ends
        return (_bump(counts, holders[0], -1) if holders else counts), HOLDS
    return counts, None


MUTUAL_EXCLUSION = Property(
    "mutual exclusion",
    "at most one thread holds the lock (its successful acquires outnumber its successful "
    "releases); an acquire succeeds only while the lock is free, or (RLock) by its owner",
    frozenset({lock.PRIMITIVE, rlock.PRIMITIVE, rlock.PYTHON_CLASS}),
    start=_start_counts,
    on_move=_mutex_move,
)


def _level_move(ctx: Context, counts: tuple[int, ...], m: Move) -> tuple[tuple[int, ...], Check]:
    """An RLock's owner and level, from each thread's successful acquires and releases."""
    if m.outcome is not None and m.thread != ENV:
        if acquired(m.call, m.outcome):
            counts = _bump(counts, m.thread, 1)
        elif released(m.call, m.outcome):
            counts = _bump(counts, m.thread, -1)
    s: rlock.State = m.after
    now = f"owner {_thread(s.owner)}, level {s.level}"
    if any(n < 0 for n in counts):
        t = next(t for t, n in enumerate(counts) if n < 0)
        return counts, f"t{t} released more often than it acquired ({now})"
    holders = _holders(counts)
    if not holders:
        ok = s.owner is None and s.level == 0
        return counts, HOLDS if ok else f"no thread holds the lock, yet {now}"
    t = holders[0]
    if s.owner != t or s.level != counts[t] or len(holders) > 1:
        return counts, f"t{t} acquired {counts[t]} more times than it released (holders {holders}), yet {now}"
    return counts, HOLDS


RLOCK_LEVEL = Property(
    "RLock level = owner's acquires - releases",
    "the owner is the one thread whose successful acquires outnumber its successful releases, "
    "and the recursion level is the difference; no thread releases more than it acquired",
    frozenset({rlock.PRIMITIVE, rlock.PYTHON_CLASS}),
    start=_start_counts,
    on_move=_level_move,
)

# ---------------------------------------------------------------------------
# Semaphore, BoundedSemaphore: the counter
# ---------------------------------------------------------------------------


def initial_value(init: Call) -> int:
    """The value a Semaphore constructor call gives (1 by default)."""
    a = bind(init, ("value",), {"value": 1})
    return int(a["value"]) if a is not None else 1


def _start_units(ctx: Context) -> int:
    return initial_value(ctx.bound.init)


def _units(units: int, m: Move) -> tuple[int, bool]:
    """The counter as the threads saw it, after ``m``; whether ``m`` moved it."""
    if m.call is None or m.outcome is None or m.thread == ENV:
        return units, False
    if acquired(m.call, m.outcome):
        return units - 1, True
    if released(m.call, m.outcome):
        return units + units_released(m.call), True
    return units, False


def _nonnegative_move(ctx: Context, units: int, m: Move) -> tuple[int, Check]:
    units, moved = _units(units, m)
    if units < 0:
        return units, f"{-units} more acquires succeeded than the initial value and releases allow"
    if m.after.counter < 0:
        return units, f"the counter is {m.after.counter}"
    return units, HOLDS if moved else None


SEMAPHORE_NONNEGATIVE = Property(
    "Semaphore counter >= 0",
    "acquires never succeed beyond the initial value plus the units released (that count, and "
    "the spec's counter, stay >= 0)",
    frozenset({semaphore.SEMAPHORE.name, semaphore.BOUNDED.name}),
    start=_start_units,
    on_move=_nonnegative_move,
)


def _bounded_move(ctx: Context, units: int, m: Move) -> tuple[int, Check]:
    units, moved = _units(units, m)
    bound = initial_value(ctx.bound.init)
    if units > bound:
        return units, f"releases that succeeded took the counter to {units}, above its initial {bound}"
    if m.after.counter > bound:
        return units, f"the counter is {m.after.counter}, above its initial {bound}"
    return units, HOLDS if moved else None


BOUNDED_AT_MOST_INITIAL = Property(
    "BoundedSemaphore counter <= initial value",
    "a release that would take the counter above its initial value never succeeds",
    frozenset({semaphore.BOUNDED.name}),
    start=_start_units,
    on_move=_bounded_move,
)

# ---------------------------------------------------------------------------
# No waiter stranded
# ---------------------------------------------------------------------------

Owed = tuple[set[ThreadId], bool]
"""(threads that must each have a wakeup, whether some wakeup must exist)."""


def _lock_owed(s: lock.State) -> Owed:
    return (set() if s.locked else {w.thread for w in s.waiters}), False


def _rlock_owed(s: rlock.State) -> Owed:
    each = {u.thread for u in s.undecided}
    if s.owner is None:
        each |= {w.thread for w in s.waiters}
    return each, False


def _semaphore_owed(s: semaphore.State) -> Owed:
    if s.profile.cpython:
        # a release notifies waiters, each then takes a unit or waits again; while the counter
        # is positive some waiter must be able to take it
        return {w.thread for w in s.waiters if w.notified}, s.counter > 0 and bool(s.waiters)
    return ({w.thread for w in s.waiters} if s.counter > 0 else set()), False


def _event_owed(s: event.State) -> Owed:
    return {w.thread for w in s.waiters if w.woken or s.flag}, False


def _condition_owed(s: condition.State) -> Owed:
    if s.owed:
        return set(), True
    each = {c.thread for c in s.undecided}
    for c in s.in_predicate:
        gate = c.kw().get("predicate", c.args[0] if c.args else None)
        if any(g == getattr(gate, "id", None) for g, _ in s.gates):
            each.add(c.thread)
    if not s.locked:
        each |= {a.thread for a in s.acquirers}
        each |= {w.thread for w in s.sleepers if w.stage is condition.WaitStage.REACQUIRING}
    return each, False


def _barrier_owed(s: barrier.State) -> Owed:
    h = barrier.holder(s)
    if h is not None:
        return ({h.thread} if s.gate is not barrier.GateState.CLOSED else set()), False
    each = set()
    for p in s.pending:
        if p.where is barrier.Where.QUEUED:
            each.add(p.thread)
        elif p.where is barrier.Where.ENTERING and s.phase in (barrier.Phase.FILLING, barrier.Phase.BROKEN):
            each.add(p.thread)
        elif p.where is barrier.Where.WAITING and s.phase is not barrier.Phase.FILLING:
            each.add(p.thread)
    return each, False


OWED: dict[str, Callable[[Any], Owed]] = {
    lock.PRIMITIVE: _lock_owed,
    rlock.PRIMITIVE: _rlock_owed,
    rlock.PYTHON_CLASS: _rlock_owed,
    condition.PRIMITIVE: _condition_owed,
    semaphore.SEMAPHORE.name: _semaphore_owed,
    semaphore.BOUNDED.name: _semaphore_owed,
    event.PRIMITIVE: _event_owed,
    barrier.PRIMITIVE: _barrier_owed,
}
"""Per primitive: which blocked threads the documentation says may now proceed."""


def check_not_stranded(ctx: Context, s: Any) -> Check:
    each, some = OWED[ctx.spec.name](s)
    if not each and not some:
        return None
    woken = {st.thread for st in ctx.spec.wakeups(s)}
    missing = sorted(each - woken)
    if missing:
        return f"t{missing[0]} may proceed, but no wakeup is offered to it"
    if some and not woken:
        return "a blocked thread may proceed, but no wakeup is offered"
    return HOLDS


NOT_STRANDED = Property(
    "no waiter stranded",
    "in every state where a blocked thread may proceed (a free lock, a positive counter, a set "
    "flag, a notified waiter, a released barrier), a wakeup step for it exists",
    frozenset(OWED),
    on_state=check_not_stranded,
)

# ---------------------------------------------------------------------------
# Event: wait returns True only after a set, False only by its timeout
# ---------------------------------------------------------------------------

EventGhost = tuple[bool, frozenset[ThreadId]]
"""(the flag as the calls of set and clear left it, threads waiting since before a set)."""


def _has_timeout(c: Call) -> bool:
    a = bind(c, ("timeout",), {"timeout": None})
    return a is not None and isinstance(a["timeout"], int | float)


def _start_event(ctx: Context) -> EventGhost:
    return False, frozenset()


def _event_set_clear(g: EventGhost, m: Move) -> EventGhost:
    flag, seen = g
    if m.call is not None and isinstance(m.outcome, Returned) and m.kind is Kind.CALL:
        if m.call.op == "set":
            waiting = {t for t, c in enumerate(m.pending) if c is not None and c.op == "wait"}
            return True, seen | waiting
        if m.call.op == "clear":
            return False, seen
    return flag, seen


def _event_move(ctx: Context, g: EventGhost, m: Move) -> tuple[EventGhost, Check]:
    flag, seen = g = _event_set_clear(g, m)
    c, t, out = m.call, m.thread, m.outcome
    if c is None or c.op != "wait" or not isinstance(out, Returned):
        return g, None
    g = (flag, seen - {t})
    if m.kind is Kind.CALL:  # returns at once
        if out.value is True:
            return g, HOLDS if flag else f"t{t}.wait returned True at once with the flag clear"
        if flag or not _has_timeout(c):
            return g, f"{c!r} returned False at once (flag {'set' if flag else 'clear'})"
        return g, HOLDS
    if out.value is True:
        return g, HOLDS if t in seen else f"t{t}.wait returned True, but no set came since it began"
    if m.kind is Kind.EXPIRY:
        return g, HOLDS if _has_timeout(c) else f"{c!r} has no timeout, yet timed out"
    # 2.7 returns the flag as it is on exit: False once cleared again after the set
    if ctx.bound.profile.py2 and not flag:
        return g, HOLDS
    return g, f"{c!r} was woken but returned False"


EVENT_WAIT = Property(
    "Event.wait True only after set",
    "wait returns True only if the flag was set when it began or a set came since; it returns "
    "False only at once with a timeout, or when its timeout expires (2.7: also when the flag "
    "was cleared again before it ran)",
    frozenset({event.PRIMITIVE}),
    start=_start_event,
    on_move=_event_move,
)

# ---------------------------------------------------------------------------
# Barrier: exactly parties threads released per generation
# ---------------------------------------------------------------------------


def parties_of(init: Call) -> int:
    a = bind(init, ("parties", "action", "timeout"), {"action": None, "timeout": None})
    assert a is not None and isinstance(a["parties"], int), f"no parties in {init!r}"
    return int(a["parties"])


def _start_barrier(ctx: Context) -> frozenset[int] | None:
    return None


def _barrier_move(
    ctx: Context, g: frozenset[int] | None, m: Move
) -> tuple[frozenset[int] | None, Check]:
    """``g``: the indices returned by the generation being released (``None``: none is)."""
    draining = barrier.Phase.DRAINING
    parties, verdict = parties_of(ctx.bound.init), None
    if g is None and m.after.phase is draining and m.before.phase is not draining:
        g = frozenset()
    if m.call is not None and m.call.op == "wait" and isinstance(m.outcome, Returned):
        i, g = m.outcome.value, g or frozenset()
        if not isinstance(i, int) or not 0 <= i < parties:
            return g, f"t{m.thread}.wait returned {i!r}, not an index below parties={parties}"
        if i in g:
            return g, f"t{m.thread}.wait returned index {i} a second time in one generation"
        g, verdict = g | {i}, HOLDS
    if g is not None and m.after.phase is not draining:
        if m.after.phase is barrier.Phase.FILLING and len(g) != parties:
            return None, f"a generation released {len(g)} threads, not parties={parties}"
        g, verdict = None, HOLDS
    return g, verdict


BARRIER_RELEASE = Property(
    "Barrier releases exactly parties",
    "each generation releases exactly parties threads, returning each index in range(parties) "
    "once (a generation broken while it leaves releases fewer, never more)",
    frozenset({barrier.PRIMITIVE}),
    start=_start_barrier,
    on_move=_barrier_move,
)

# ---------------------------------------------------------------------------
# Condition: a woken waiter holds the lock again when wait returns
# ---------------------------------------------------------------------------


def _condition_move(ctx: Context, saved: tuple[int, ...], m: Move) -> tuple[tuple[int, ...], Check]:
    """``saved[t]``: the lock level thread ``t``'s wait released (0: it is not inside wait)."""
    if m.call is None or m.call.op not in ("wait", "wait_for") or m.thread == ENV:
        return saved, None
    t, before, after = m.thread, m.before, m.after
    if saved[t] == 0 and before.locked and not after.locked:
        saved = saved[:t] + (before.level,) + saved[t + 1 :]
    if m.outcome is None or saved[t] == 0:
        return saved, None
    level = saved[t]
    saved = saved[:t] + (0,) + saved[t + 1 :]
    if before.locked:
        return saved, f"t{t}.{m.call.op} returned while t{before.owner} held the lock"
    if after.owner != t or after.level != level:
        return saved, (f"t{t}.{m.call.op} returned without the lock at level {level} "
                       f"(owner {_thread(after.owner)}, level {after.level})")
    return saved, HOLDS


CONDITION_REACQUIRES = Property(
    "Condition waiter reacquires the lock",
    "a thread woken in wait (notified, or its timeout expired) takes the lock back, once it is "
    "free and at the level it released, before wait or wait_for returns",
    frozenset({condition.PRIMITIVE}),
    start=lambda ctx: (0,) * ctx.bound.threads,
    on_move=_condition_move,
)

PROPERTIES: tuple[Property, ...] = (
    INVARIANTS,
    DETERMINISM,
    MUTUAL_EXCLUSION,
    RLOCK_LEVEL,
    SEMAPHORE_NONNEGATIVE,
    BOUNDED_AT_MOST_INITIAL,
    NOT_STRANDED,
    EVENT_WAIT,
    BARRIER_RELEASE,
    CONDITION_REACQUIRES,
)
"""Every named property, in the order the proofs table lists them."""


def for_bound(bound: Bound) -> list[Property]:
    return [p for p in PROPERTIES if p.applies_to(bound.primitive)]


# ---------------------------------------------------------------------------
# The explorer
# ---------------------------------------------------------------------------

NodeKey = tuple[int, tuple[int, ...], tuple[int, ...], tuple[Any, ...]]
"""(state id, calls left per thread, each thread's pending call as an alphabet index or -1,
each history property's ghost value)."""

Label = tuple[Kind, int, int]
"""How a node was reached from its parent: (CALL, thread, alphabet index) or (step kind, 0,
index among the parent state's internal steps)."""


class _Explorer:
    """One breadth-first exploration of a bound, with the properties' checks on the way."""

    def __init__(self, bound: Bound, properties: Iterable[Property], spec: PrimitiveSpec[Any] | None,
                 limit: int) -> None:
        self.bound, self.spec, self.limit = bound, spec or bound.spec, limit
        self.ctx = Context(bound, self.spec)
        self.props = list(properties)
        self.run = Run(bound, verdicts={p.name: Verdict(p) for p in self.props})
        self.state_props = [p for p in self.props if p.on_state is not None]
        self.history_props = [p for p in self.props if p.on_move is not None]
        self.deterministic = self.run.verdicts.get(DETERMINISM.name)
        self.calls = [[make(t) for make in bound.alphabet] for t in range(bound.threads)]
        self.ids: dict[Any, int] = {}
        self.states: list[Any] = []
        self.results: list[dict[tuple[int, int], tuple[Result[Any], int]]] = []
        self.steps: list[list[tuple[Kind, Step[Any]]]] = []
        self.step_ids: list[list[int]] = []
        self.parents: dict[NodeKey, tuple[NodeKey, Label] | None] = {}

    # -- per state, computed once --------------------------------------------------------------

    def state_id(self, s: Any, at: NodeKey | None, label: Label | None) -> int:
        sid = self.ids.get(s)
        if sid is not None:
            return sid
        sid = self.ids[s] = len(self.states)
        self.states.append(s)
        self.results.append({})
        steps = [(Kind.WAKEUP, st) for st in self.spec.wakeups(s)]
        steps += [(Kind.EXPIRY, st) for st in self.spec.expiries(s)]
        self.steps.append(steps)
        self.step_ids.append([-1] * len(steps))
        if self.deterministic is not None:
            plain = [st for _, st in steps]
            self._judge(self.deterministic, _same_steps, (self.spec, s, plain), at, label)
        for p in self.state_props:
            assert p.on_state is not None
            self._judge(self.run.verdicts[p.name], p.on_state, (self.ctx, s), at, label)
        return sid

    def result(self, sid: int, t: int, k: int, at: NodeKey) -> tuple[Result[Any], int]:
        """What thread ``t``'s call ``k`` does in state ``sid``, and the id of the state it leads to."""
        known = self.results[sid].get((t, k))
        if known is None:
            s, c = self.states[sid], self.calls[t][k]
            r = self.spec.invoke(s, c)
            self.results[sid][(t, k)] = (r, -1)  # (a counterexample may name this call)
            if self.deterministic is not None:
                self._judge(self.deterministic, _same_results, (self.spec, s, c, r), at, (Kind.CALL, t, k))
            known = self.results[sid][(t, k)] = (r, self.state_id(r.state, at, (Kind.CALL, t, k)))
        return known

    def step_id(self, sid: int, i: int, at: NodeKey) -> int:
        """The id of the state internal step ``i`` of state ``sid`` leads to."""
        nxt = self.step_ids[sid][i]
        if nxt < 0:
            kind, st = self.steps[sid][i]
            nxt = self.step_ids[sid][i] = self.state_id(st.state, at, (kind, 0, i))
        return nxt

    def _judge(self, v: Verdict, check: Callable[..., Check], args: tuple[Any, ...], at: NodeKey | None,
               label: Label | None) -> None:
        t0 = time.perf_counter()
        found = check(*args)
        v.seconds += time.perf_counter() - t0
        if found is None:
            return
        v.checks += 1
        if found and v.counterexample is None:
            v.counterexample = f"{found}\n  after: {self.schedule(at, label)}"

    # -- moves -----------------------------------------------------------------------------------

    def successors(self, key: NodeKey) -> Iterable[tuple[int, tuple[int, ...], tuple[int, ...], Move | None,
                                                           Label]]:
        """(next state id, calls left, pending calls, the move if a property wants it, label)."""
        sid, budget, pending, _ = key
        s = self.states[sid]
        want = bool(self.history_props)
        waiting = tuple(self.calls[t][k] if k >= 0 else None for t, k in enumerate(pending)) if want else ()
        for t, left in enumerate(budget):
            if pending[t] >= 0 or left == 0:
                continue
            spent = budget[:t] + (left - 1,) + budget[t + 1 :]
            for k in range(len(self.calls[t])):
                r, nxt = self.result(sid, t, k, key)
                blocked = isinstance(r, Blocked)
                # without history properties, which call is pending does not matter: only that one is
                now = pending[:t] + (k if want else 0,) + pending[t + 1 :] if blocked else pending
                c = self.calls[t][k]
                m = Move(Kind.CALL, t, c, None if blocked else r.outcome if isinstance(r, Done) else None,
                         s, r.state, waiting) if want else None
                yield nxt, spent, now, m, (Kind.CALL, t, k)
        for i, (kind, st) in enumerate(self.steps[sid]):
            if st.thread == ENV and st.outcome is None:
                m = Move(Kind.ENV, ENV, None, None, s, st.state, waiting) if want else None
                yield self.step_id(sid, i, key), budget, pending, m, (Kind.ENV, 0, i)
                continue
            if not 0 <= st.thread < len(pending) or pending[st.thread] < 0:
                inv = self.run.verdicts.get(INVARIANTS.name)
                if inv is not None:
                    self._judge(inv, _idle_step, (st,), key, (kind, 0, i))
                continue
            t = st.thread
            now = pending[:t] + (-1,) + pending[t + 1 :] if st.outcome is not None else pending
            m = Move(kind, t, self.calls[t][pending[t]], st.outcome, s, st.state, waiting) if want else None
            yield self.step_id(sid, i, key), budget, now, m, (kind, 0, i)

    def ghosts_after(self, ghosts: tuple[Any, ...], m: Move, key: NodeKey, label: Label) -> tuple[Any, ...]:
        out = []
        for p, g in zip(self.history_props, ghosts, strict=True):
            assert p.on_move is not None
            v = self.run.verdicts[p.name]
            t0 = time.perf_counter()
            g, found = p.on_move(self.ctx, g, m)
            v.seconds += time.perf_counter() - t0
            if found is not None:
                v.checks += 1
                if found and v.counterexample is None:
                    v.counterexample = f"{found}\n  after: {self.schedule(key, label)}"
            out.append(g)
        return tuple(out)

    # -- the exploration ---------------------------------------------------------------------

    def explore(self) -> Run:
        t0 = time.perf_counter()
        b = self.bound
        created = self.spec.create(b.profile, b.init)
        if created.state is None:
            raise ValueError(f"{self.spec.name} constructor {b.init!r} raises {created.outcome!r}")
        ghosts = tuple(p.start(self.ctx) if p.start else None for p in self.history_props)
        root: NodeKey = (self.state_id(created.state, None, None), (b.calls,) * b.threads, (-1,) * b.threads,
                         ghosts)
        self.parents[root] = None
        queue: deque[NodeKey] = deque([root])
        spec_nodes: set[tuple[int, tuple[int, ...], tuple[bool, ...]]] = set()
        while queue:
            key = queue.popleft()
            spec_nodes.add((key[0], key[1], tuple(k >= 0 for k in key[2])))
            if len(self.parents) > self.limit:
                raise RuntimeError(f"exploration of {b.name} exceeded {self.limit} nodes")
            for sid, budget, pending, m, label in list(self.successors(key)):
                self.run.transitions += 1
                ghosts = key[3] if m is None else self.ghosts_after(key[3], m, key, label)
                nxt: NodeKey = (sid, budget, pending, ghosts)
                if nxt not in self.parents:
                    self.parents[nxt] = (key, label)
                    queue.append(nxt)
        run = self.run
        run.states, run.spec_nodes, run.nodes = len(self.states), len(spec_nodes), len(self.parents)
        run.seconds = time.perf_counter() - t0
        return run

    # -- counterexamples ---------------------------------------------------------------------

    def describe(self, parent: NodeKey, label: Label) -> str:
        kind, t, k = label
        sid = parent[0]
        if kind is Kind.CALL:
            c, r = self.calls[t][k], self.results[sid][(t, k)][0]
            return f"{c!r} blocks" if isinstance(r, Blocked) else f"{c!r} -> {r.outcome!r}"
        st = self.steps[sid][k][1]
        if kind is Kind.ENV:
            return f"[env {st.clause}]"
        return f"[t{st.thread} {st.outcome!r}]" if st.outcome is not None else f"[t{st.thread} moves]"

    def schedule(self, at: NodeKey | None, label: Label | None) -> str:
        """The moves from the start to ``at``, then ``label``'s, as one line."""
        moves = [] if at is None or label is None else [self.describe(at, label)]
        node = at
        while node is not None and self.parents.get(node) is not None:
            parent, how = self.parents[node]  # type: ignore[misc]
            moves.append(self.describe(parent, how))
            node = parent
        return " ; ".join(reversed(moves)) or "(start)"


def check(bound: Bound, properties: Iterable[Property] | None = None, spec: PrimitiveSpec[Any] | None = None,
          limit: int = 1_000_000) -> Run:
    """Explore ``bound`` (with ``spec`` instead of the bound's own, if given) and check
    ``properties`` (default: every property that applies to the bound's primitive).

    Raises:
      RuntimeError: more than ``limit`` nodes are reachable.
    """
    props = for_bound(bound) if properties is None else list(properties)
    return _Explorer(bound, props, spec, limit).explore()
