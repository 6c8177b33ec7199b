"""The checker: is every observation of a target explained by some run of the spec?

A just-in-time linearizability check. The checker keeps the set of
*configurations* consistent with what has been observed so far: a spec state plus,
for each call that has been invoked and not yet observed to complete, its status:

* ``INVOKED`` — its effect has not yet taken place in the spec (it may linearize
  at any moment until it is observed to complete);
* ``BLOCKED`` — it was applied and waits, recorded among the state's waiters;
* ``DONE`` — the spec completed it with an outcome the target still owes.

Between observations, configurations move by applying invoked calls and by the
spec's internal steps (wakeups at any time, expiries once a call's timeout has
passed by the agent's clock). An observed completion keeps the configurations in
which that call is ``DONE`` with a matching outcome; none left is a violation.
A call that every consistent configuration says must complete, and that has not
completed by the deadline, is a violation too (lost wakeup, deadlock, timeout
ignored).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from conformance.branches import Sited, is_token
from spec.clauses import REGISTRY
from spec.core import Blocked, Done, PrimitiveSpec
from spec.profiles import Profile
from spec.values import ENV, Call, Outcome, Returned, ThreadId, outcome_matches

EXPIRY_TOLERANCE = 0.002
"""Seconds by which a timed-out result may precede its timeout (clock granularity)."""


def expiry_tolerance(clock_resolution: float | None) -> float:
    """``EXPIRY_TOLERANCE`` plus the step of the agent's clock (its hello says; Jython's
    ``time.time`` steps by a millisecond): an interval between two stamps may look shorter by
    up to one step. One-sided: it only ever lets a timeout expire later than it looks."""
    return EXPIRY_TOLERANCE + max(clock_resolution or 0.0, 0.0)

CONFIG_LIMIT = 50_000
"""The most configurations the checker tracks before it gives up (reported, not hidden)."""


class CallStatus(enum.Enum):
    """How far a configuration's spec has taken a call the target has not completed yet."""

    INVOKED = "invoked"
    """Its effect has not taken place yet."""
    BLOCKED = "blocked"
    """It was applied and waits among the state's waiters."""
    DONE = "done"
    """The spec completed it; the target owes the outcome."""


@dataclass(frozen=True, slots=True)
class CallState:
    thread: ThreadId
    status: CallStatus
    outcome: Outcome | None = None
    clause: str | None = None


Calls = tuple[CallState, ...]
Key = tuple[Any, Calls]


@dataclass(frozen=True, slots=True)
class Observation:
    """What the target did: a call completed with ``outcome`` at agent time ``t``."""

    thread: ThreadId
    outcome: Outcome
    t: float
    mro: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


class ViolationKind(enum.StrEnum):
    """What kind of failure a check found (the value is what reports print)."""

    UNEXPECTED_OUTCOME = "unexpected-outcome"
    """A completion (or an environment call) that no consistent configuration explains."""
    EARLY_TIMEOUT = "early-timeout"
    """A timed-out result that came before its timeout."""
    MISSING_COMPLETION = "missing-completion"
    """A completion the spec says is owed did not come by the deadline."""
    CONSTRUCTOR = "constructor"
    """The constructor's outcome is not the spec's."""
    GAVE_UP = "gave-up"
    """The history was too ambiguous to check (more than ``CONFIG_LIMIT`` configurations)."""
    CRASH = "crash"
    """The target died or exited during a run."""
    EXIT = "exit"
    """The program did not exit as documented (the exit probe)."""


@dataclass
class Violation:
    """An observation no spec run explains, or a completion the spec says is owed."""

    kind: ViolationKind
    clause: str | None
    thread: ThreadId | None
    call: Call | None
    observed: str
    allowed: list[str]
    outcomes: list[Outcome] = field(default_factory=list)
    """The outcomes the spec allows at the failing call, as data (for reproducers)."""
    may_block: bool = False
    """The spec also allows the failing call not to complete yet."""

    def describe(self) -> str:
        who = f"t{self.thread} " if self.thread is not None else ""
        what = f"{who}{self.call!r}" if self.call is not None else who.strip()
        allowed = "; ".join(self.allowed) if self.allowed else "nothing"
        return f"{self.kind.value}: {what}: observed {self.observed}; the spec allows {allowed}"


NOT_JUDGED = "not judged:"
"""How the reason of a run the spec declines to judge starts (``within_the_profile``): the run
went where only a clause of another strictness or version speaks. Such a run is reported as
not observed, yet lost nothing: ``check --allow-incomplete`` lets it pass."""


def within_the_profile(
    v: Violation | None, profile: Profile, exercised: Iterable[str] = ()
) -> Violation | None:
    """``v``, or the same finding without a clause when the run left what ``profile`` specifies:
    the clause ``v`` names does not apply to it, or the spec took a step that only such a clause
    describes (``exercised``: CPython's own reading of a NaN timeout, of ``notify(-1)``, of an
    argument of an undocumented type, at documented strictness). What follows that step is
    CPython's prediction, not the documentation's, so the run is not judged; a clause that does
    not apply is never reported as violated. At CPython strictness every clause of the version
    applies: nothing changes there."""
    if v is None or v.clause is None:
        return v
    # a step counts when only CPython's strictness has its clause (a clause of another version
    # cited on the way, e.g. by an environment call, says nothing about this one's reading)
    known = [REGISTRY[c] for c in sorted(exercised) if c in REGISTRY]
    steps = [c.id for c in known if not profile.strictness.includes(c.strictness)]
    own = [v.clause] if v.clause in REGISTRY and not REGISTRY[v.clause].applies_to(profile) else []
    beyond = own + steps
    if not beyond:
        return v
    c = REGISTRY[beyond[0]]
    reason = (
        f"{NOT_JUDGED} the run reached behaviour that only {c.id} ({c.strictness.value}, "
        f"{c.versions_text()}) specifies, which does not apply to {profile}; observed {v.observed}"
    )
    return Violation(v.kind, None, v.thread, v.call, reason, v.allowed)


class CheckerGaveUp(Exception):
    """More configurations than ``CONFIG_LIMIT``: the history is too ambiguous to check."""


def _with(calls: Calls, cs: CallState) -> Calls:
    return tuple(sorted([c for c in calls if c.thread != cs.thread] + [cs], key=lambda c: c.thread))


def _without(calls: Calls, thread: ThreadId) -> Calls:
    return tuple(c for c in calls if c.thread != thread)


@dataclass
class Checker:
    """Checks one object's history against ``spec``.

    Use: ``created(...)`` once, then ``invoked`` and ``completed`` as the agent
    reports them, ``environment`` for environment calls, and ``settled(now)`` to
    ask whether nothing more is owed.
    """

    spec: PrimitiveSpec[Any]
    configs: dict[Key, frozenset[str]] = field(default_factory=dict)
    pending: dict[ThreadId, tuple[Call, float]] = field(default_factory=dict)
    exercised: set[str] = field(default_factory=set)
    env_timeout: float | None = None
    """How long after construction the environment's own expiries (a Timer firing) may
    happen, and are owed when short: ``spec.timeout(init)``."""
    tolerance: float = EXPIRY_TOLERANCE
    """Seconds by which a timed-out result may precede its timeout (``expiry_tolerance``)."""
    created_at: float = 0.0
    init: Call | None = None
    """The constructor call: a pending call's timeout may be the constructor's default."""
    exact_warnings: bool = False
    """CPython strictness: a call that returns emits exactly the warnings the spec names."""
    profile: Profile | None = None
    """The profile the object was created under (``created``)."""
    _cache: tuple[dict[Key, frozenset[str]], Any, dict[Key, frozenset[str]]] | None = field(
        default=None, repr=False
    )
    """The last closure, with what it depended on (the configurations, the pending calls and
    the expiries allowed): ``settled`` is asked again and again while nothing changes."""

    # -- construction -------------------------------------------------------

    def created(
        self,
        profile: Profile,
        init: Call,
        observed: Outcome,
        mro: tuple[str, ...] = (),
        warnings: tuple[str, ...] = (),
        at: float = 0.0,
    ) -> Violation | None:
        r = self.spec.create(profile, init)
        self.env_timeout, self.created_at, self.init = self.spec.timeout(init), at, init
        self.exact_warnings = profile.cpython
        self.profile = profile
        if not outcome_matches(r.outcome, observed, mro, warnings, self.exact_warnings):
            seen = repr(observed) + _warned(warnings)
            allowed = [repr(r.outcome)]
            return Violation(ViolationKind.CONSTRUCTOR, r.clause, None, init, seen, allowed, [r.outcome])
        self.exercised |= _cited(r.clause)
        if r.state is not None:
            self.configs = {(r.state, ()): frozenset()}
        return None

    @property
    def alive(self) -> bool:
        """Was the object created (the constructor did not raise)?"""
        return bool(self.configs)

    # -- observations ---------------------------------------------------------

    def invoked(self, c: Call, t: float) -> None:
        """``c.thread`` began ``c`` at agent time ``t``."""
        if c.thread in self.pending:
            raise ValueError(f"t{c.thread} invoked {c!r} while its {self.pending[c.thread][0]!r} is pending")
        self.pending[c.thread] = (c, t)
        self.configs = {
            (s, _with(calls, CallState(c.thread, CallStatus.INVOKED))): cl
            for (s, calls), cl in self.configs.items()
        }

    def environment(self, c: Call, now: float | None = None) -> Violation | None:
        """Apply an environment call at agent time ``now`` (it completes at once, its
        outcome is not observed). Calls invoked earlier may have taken effect first."""
        out: dict[Key, frozenset[str]] = {}
        outcomes: list[str] = []
        refused: list[tuple[bool, str]] = []  # (blocks, clause): the call cannot happen yet, or fails
        base = self._closure(now) if now is not None else self.configs
        for (s, calls), cl in base.items():
            r = self.spec.invoke(s, c)
            if isinstance(r, Done) and isinstance(r.outcome, Returned):
                self._add(out, (r.state, calls), cl | _cited(r.clause))
            else:
                refused.append((isinstance(r, Blocked), r.clause))
                outcomes.append(repr(r.outcome) if isinstance(r, Done) else "blocks")
        if not out:
            # a state in which the call happens and fails says more than one in which it cannot yet
            clause = min(refused)[1] if refused else None
            allowed = list(dict.fromkeys(outcomes))
            return Violation(ViolationKind.UNEXPECTED_OUTCOME, clause, None, c, "environment call", allowed)
        self.configs = out
        return None

    def completed(self, obs: Observation) -> Violation | None:
        """``obs.thread``'s pending call completed with ``obs.outcome``."""
        if obs.thread not in self.pending:
            raise ValueError(f"completion for t{obs.thread}, which has no pending call")
        c, t0 = self.pending[obs.thread]
        closure = self._closure(obs.t)
        kept: dict[Key, frozenset[str]] = {}
        allowed: dict[str, str | None] = {}
        outcomes: dict[str, Outcome] = {}
        still_pending = False
        for (s, calls), cl in closure.items():
            mine = next(x for x in calls if x.thread == obs.thread)
            if mine.status is not CallStatus.DONE:
                still_pending = still_pending or mine.status is CallStatus.BLOCKED
                continue
            assert mine.outcome is not None
            allowed.setdefault(repr(mine.outcome), mine.clause)
            outcomes.setdefault(repr(mine.outcome), mine.outcome)
            if outcome_matches(mine.outcome, obs.outcome, obs.mro, obs.warnings, self.exact_warnings):
                self._add(kept, (s, _without(calls, obs.thread)), cl)
        if kept:
            self.configs = kept
            del self.pending[obs.thread]
            return None
        kind, clause = ViolationKind.UNEXPECTED_OUTCOME, None
        early = self._explained_ignoring_time(obs)
        if early is not None:
            kind, clause = ViolationKind.EARLY_TIMEOUT, early
            allowed = {
                f"returned only after its timeout of {self.call_timeout(c)} s "
                f"(it came after {obs.t - t0:.4f} s)": early
            }
        elif allowed:
            clause = next(iter(allowed.values()))
        else:
            clause = self._blocking_clause(closure, obs.thread)
        texts = list(allowed)
        if still_pending:
            texts.append("that it does not complete yet")
        observed = repr(obs.outcome) + (_warned(obs.warnings) if isinstance(obs.outcome, Returned) else "")
        structured = [] if kind is ViolationKind.EARLY_TIMEOUT else list(outcomes.values())
        violation = Violation(kind, clause, obs.thread, c, observed, texts, structured, still_pending)
        return self._judged(violation, closure)

    # -- quiescence -------------------------------------------------------------

    def settled(self, now: float, wait_cap: float) -> bool:
        """Is there a consistent configuration in which nothing more is owed at ``now``?

        Owed: a call not yet applied, a call the spec completed, an enabled wakeup,
        or an expiry of a call whose timeout is at most ``wait_cap`` seconds (longer
        timeouts are not waited for).
        """
        return any(self._is_stable(s, calls, wait_cap) for (s, calls) in self._closure(now))

    def owed(self, now: float, wait_cap: float) -> Violation:
        """Describe what the spec says is owed (call when ``settled`` stays False)."""
        closure = self._closure(now)
        clauses: dict[str, list[str]] = {}
        for s, calls in closure:
            for x in calls:
                if x.status is CallStatus.DONE:
                    clauses.setdefault(x.clause or "?", []).append(f"t{x.thread} {x.outcome!r}")
            for st in self.spec.wakeups(s):
                clauses.setdefault(st.clause, []).append(f"t{st.thread} to be woken")
            for st in self.spec.expiries(s):
                tmo = self.env_timeout if st.thread == ENV else self._timeout(st.thread)
                if tmo is not None and tmo <= wait_cap:
                    clauses.setdefault(st.clause, []).append(f"t{st.thread} to time out")
        clause = next(iter(clauses), None)
        pending = ", ".join(f"t{t} {c!r}" for t, (c, _) in sorted(self.pending.items()))
        allowed = sorted({x for v in clauses.values() for x in v})
        v = Violation(
            ViolationKind.MISSING_COMPLETION,
            clause,
            None,
            None,
            f"still pending after the deadline: {pending or 'nothing'}",
            [f"it requires {a}" for a in allowed],
        )
        return self._judged(v, closure)

    def next_expiry(self) -> float | None:
        """Agent time at which the next pending timeout passes, if any."""
        times = [t0 + tmo for t, (c, t0) in self.pending.items() if (tmo := self.call_timeout(c)) is not None]
        return min(times) if times else None

    def short_timeouts_pending(self, wait_cap: float) -> list[float]:
        """Agent times at which pending calls with a timeout of at most ``wait_cap`` expire."""
        return [
            t0 + tmo
            for c, t0 in self.pending.values()
            if (tmo := self.call_timeout(c)) is not None and tmo <= wait_cap
        ]

    def exercised_clauses(self) -> set[str]:
        """The clauses on the paths of the configurations kept, and (while ``branches`` measures)
        the branch tokens of those that owe no outcome: a step taken only speculatively, for a
        call the target never completed, explained nothing."""
        out = set(self.exercised)
        for (_, calls), cl in self.configs.items():
            if any(x.status is CallStatus.DONE for x in calls):
                cl = frozenset(c for c in cl if not is_token(c))
            out |= cl
        return out

    def call_timeout(self, c: Call) -> float | None:
        """The timeout of pending call ``c`` (its own, or a default the constructor set)."""
        return self.spec.timeout_of(self.init, c)

    # -- internals ----------------------------------------------------------

    def _judged(self, v: Violation, closure: dict[Key, frozenset[str]]) -> Violation:
        """``v``, unless the spec reached it only through a clause the profile does not have
        (``within_the_profile``): every configuration considered (in which the failing call's
        own step was taken, when there is one) went through such a clause. A configuration that
        stayed within the profile keeps the run judged."""
        if self.profile is None:
            return v
        judged = within_the_profile(v, self.profile)
        assert judged is not None
        if judged.clause is None:
            return judged
        paths = [
            cl for (_, calls), cl in closure.items()
            if v.thread is None
            or any(x.thread == v.thread and x.status is not CallStatus.INVOKED for x in calls)
        ] or list(closure.values())
        beyond = [within_the_profile(v, self.profile, set(self.exercised) | cl) for cl in paths]
        if beyond and all(b is not None and b.clause is None for b in beyond):
            first = beyond[0]
            assert first is not None
            return first
        return v

    def _timeout(self, thread: ThreadId) -> float | None:
        entry = self.pending.get(thread)
        return None if entry is None else self.call_timeout(entry[0])

    def _is_stable(self, s: Any, calls: Calls, wait_cap: float) -> bool:
        if any(x.status is not CallStatus.BLOCKED for x in calls):
            return False
        if any(True for _ in self.spec.wakeups(s)):
            return False
        for st in self.spec.expiries(s):
            tmo = self.env_timeout if st.thread == ENV else self._timeout(st.thread)
            if tmo is not None and tmo <= wait_cap:
                return False
        return True

    def _add(self, out: dict[Key, frozenset[str]], key: Key, cl: frozenset[str]) -> None:
        prev = out.get(key)
        out[key] = cl if prev is None else prev | cl
        if len(out) > CONFIG_LIMIT:
            raise CheckerGaveUp(f"more than {CONFIG_LIMIT} configurations")

    def _expiry_allowed(self, thread: ThreadId, now: float | None) -> bool:
        if now is None:
            return True
        entry = self.pending.get(thread)
        if entry is None:
            return False
        tmo = self.call_timeout(entry[0])
        return tmo is not None and entry[1] + tmo <= now + self.tolerance

    def _successors(self, s: Any, calls: Calls, now: float | None) -> Iterable[tuple[Key, str]]:
        for x in calls:
            if x.status is CallStatus.INVOKED:
                c = self.pending[x.thread][0]
                r = self.spec.invoke(s, c)
                if isinstance(r, Done):
                    yield (
                        (r.state, _with(calls, CallState(x.thread, CallStatus.DONE, r.outcome, r.clause))),
                        r.clause,
                    )
                elif isinstance(r, Blocked):
                    yield (r.state, _with(calls, CallState(x.thread, CallStatus.BLOCKED))), r.clause
        blocked = {x.thread for x in calls if x.status is CallStatus.BLOCKED}
        for st in self.spec.wakeups(s):
            if st.thread in blocked or (st.thread == ENV and st.outcome is None):
                yield self._apply_step(st.state, calls, st.thread, st.outcome, st.clause), st.clause
        for st in self.spec.expiries(s):
            if st.thread == ENV and st.outcome is None:
                tmo = self.env_timeout
                if now is None or (tmo is not None and self.created_at + tmo <= now + self.tolerance):
                    yield (st.state, calls), st.clause
            elif st.thread in blocked and self._expiry_allowed(st.thread, now):
                yield self._apply_step(st.state, calls, st.thread, st.outcome, st.clause), st.clause

    @staticmethod
    def _apply_step(s: Any, calls: Calls, thread: ThreadId, outcome: Outcome | None, clause: str) -> Key:
        if outcome is None:
            return (s, calls)
        return (s, _with(calls, CallState(thread, CallStatus.DONE, outcome, clause)))

    def _closure(self, now: float | None) -> dict[Key, frozenset[str]]:
        key = self._closure_key(now)
        if self._cache is not None and self._cache[0] is self.configs and self._cache[1] == key:
            return self._cache[2]
        out = self._compute_closure(now)
        self._cache = (self.configs, key, out)
        return out

    def _closure_key(self, now: float | None) -> Any:
        """What the closure at ``now`` depends on besides the configurations (which are
        replaced, never changed in place): the pending calls and which expiries are allowed."""
        if now is None:
            allowed: Any = None
        else:
            tmo = self.env_timeout
            env = tmo is not None and self.created_at + tmo <= now + self.tolerance
            allowed = (env, frozenset(t for t in self.pending if self._expiry_allowed(t, now)))
        return (tuple(sorted(self.pending.items())), allowed)

    def _compute_closure(self, now: float | None) -> dict[Key, frozenset[str]]:
        out: dict[Key, frozenset[str]] = dict(self.configs)
        todo = list(out)
        while todo:
            key = todo.pop()
            base = out[key]
            for nxt, clause in self._successors(key[0], key[1], now):
                cl = base | ({clause, clause.token} if type(clause) is Sited else {clause})
                prev = out.get(nxt)
                if prev is None:
                    self._add(out, nxt, cl)
                    todo.append(nxt)
                elif not cl <= prev:
                    out[nxt] = prev | cl
        return out

    def _explained_ignoring_time(self, obs: Observation) -> str | None:
        """If ``obs`` is explained once timeouts may expire at any time, the clause of the
        expiry that would explain it: the target timed out too early."""
        for (_, calls), _cl in self._closure(None).items():
            mine = next(x for x in calls if x.thread == obs.thread)
            if (
                mine.status is CallStatus.DONE
                and mine.outcome is not None
                and outcome_matches(mine.outcome, obs.outcome, obs.mro, obs.warnings, self.exact_warnings)
            ):
                return mine.clause
        return None

    def _blocking_clause(self, closure: dict[Key, frozenset[str]], thread: ThreadId) -> str | None:
        """The clause under which ``thread``'s call blocks (it completed when it should wait)."""
        c = self.pending[thread][0]
        for s, calls in closure:
            mine = next(x for x in calls if x.thread == thread)
            if mine.status is CallStatus.INVOKED:
                r = self.spec.invoke(s, c)
                return r.clause
        for s, _calls in self.configs:
            r = self.spec.invoke(s, c)
            return r.clause
        return None


def _cited(clause: str) -> set[str]:
    """The clause, and its branch token while ``branches`` measures."""
    return {clause, clause.token} if type(clause) is Sited else {clause}


def _warned(warnings: tuple[str, ...]) -> str:
    """How the warnings a call emitted read in a violation."""
    return f" (warning {', '.join(warnings)})" if warnings else ""
