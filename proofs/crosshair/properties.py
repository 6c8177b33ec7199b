"""Properties of a recorded trace (``script.Trace``), named after what they promise.

The generic ones hold for every primitive: invariants, the outcome vocabulary, determinism,
internal steps only for pending calls. The others state one documented guarantee each,
with ghost bookkeeping computed from the outcomes alone (never from the spec's own state
fields where those are what is being checked).
"""

from __future__ import annotations

import math
from typing import Any

import spec
from proofs.crosshair.script import STEP_FUNCTIONS, Record, Trace
from spec.clauses import REGISTRY
from spec.core import Done
from spec.values import Call, Raised, Returned, Value, _Opaque

EXCEPTIONS = frozenset({
    "AttributeError", "BrokenBarrierError", "Exception", "OverflowError", "RuntimeError",
    "ThreadError", "TypeError", "ValueError",
})
"""Every exception type a spec outcome may name."""

WARNINGS = frozenset({None, "DeprecationWarning"})
REJECTIONS = frozenset({"AttributeError", "OverflowError", "TypeError", "ValueError", "Exception"})


# ---------------------------------------------------------------------------
# Generic
# ---------------------------------------------------------------------------


def invariants_hold(t: Trace) -> bool:
    """Every state of the run satisfies every invariant of the primitive's spec."""
    invariants = spec.PRIMITIVES[t.subject.name].invariants
    return all(inv(s) for s in t.states for inv in invariants)


def _value_ok(v: Value) -> bool:
    """A plain value, or one of the spec's opaque readings (any value, any true/false value...)."""
    return v is None or isinstance(v, (bool, int, float, _Opaque))


def in_vocabulary(t: Trace) -> bool:
    """Every outcome is a documented exception type or a plain value, with a known warning, and
    every transition names a registered clause."""
    for r in t.records:
        if r.clause not in REGISTRY:
            return False
        o = r.outcome
        if isinstance(o, Raised) and o.exc not in EXCEPTIONS:
            return False
        if isinstance(o, Returned) and (not _value_ok(o.value) or o.warning not in WARNINGS):
            return False
    return t.created.clause in REGISTRY


def deterministic(t: Trace) -> bool:
    """Invoking the same call on the same state again gives the same result; the internal
    steps of a state are the same list every time they are asked for."""
    for r in t.records:
        if r.kind == "invoke":
            again = t.subject.fn("invoke")(r.before, r.call)
            outcome = again.outcome if isinstance(again, Done) else None
            if (outcome, again.state, again.clause) != (r.outcome, r.after, r.clause):
                return False
        else:
            fn = t.subject.fn(STEP_FUNCTIONS[r.kind])
            if list(fn(r.before)) != list(fn(r.before)):
                return False
    return True


def steps_complete_pending_calls(t: Trace) -> bool:
    """An internal step advances the pending call of a thread that is blocked."""
    pending: set[int] = set()
    for r in t.records:
        if r.kind == "invoke":
            if r.outcome is None:
                pending.add(r.thread)
            continue
        if r.thread not in pending:
            return False
        if r.outcome is not None:
            pending.discard(r.thread)
    return True


def rejections_change_nothing(t: Trace) -> bool:
    """A call refused for its arguments (or an op the object lacks) leaves the object as it was."""
    return all(
        r.after == r.before
        for r in t.records
        if r.kind == "invoke" and isinstance(r.outcome, Raised) and r.outcome.exc in REJECTIONS
    )


# ---------------------------------------------------------------------------
# Locks
# ---------------------------------------------------------------------------

ACQUIRING = ("acquire", "__enter__")
RELEASING = ("release", "__exit__")


def _acquired(r: Record) -> bool:
    o = r.outcome
    return r.call.op in ACQUIRING and isinstance(o, Returned) and o.value is not False


def _released(r: Record) -> bool:
    return r.call.op in RELEASING and isinstance(r.outcome, Returned)


def acquire_succeeds_only_when_unlocked(t: Trace) -> bool:
    """Mutual exclusion (Lock): successful acquires minus successful releases is 0 or 1 at every
    point, and it is 1 exactly when the lock reports itself locked."""
    held = 0
    for r in t.records:
        held += _acquired(r) - _released(r)
        if held not in (0, 1) or bool(held) != r.after.locked:
            return False
    return True


def _timeout_arg(c: Call) -> Value:
    return c.kw().get("timeout", c.args[1] if len(c.args) > 1 else -1)


def bad_timeouts_raise(t: Trace) -> bool:
    """(3.2+) An acquire whose timeout is NaN, negative other than -1, or above TIMEOUT_MAX
    completes at once by raising."""
    for r in t.records:
        if r.kind != "invoke" or r.call.op not in ACQUIRING or r.before.profile.before(3, 2):
            continue
        x = _timeout_arg(r.call)
        if not isinstance(x, (int, float)) or isinstance(x, bool):
            continue
        bad = math.isnan(x) or (x < 0 and x != -1) or x > spec.core.TIMEOUT_MAX
        if bad and not isinstance(r.outcome, Raised):
            return False
    return True


def _ghost_levels(t: Trace) -> list[dict[int, int]]:
    """Per state after each record: each thread's successful acquires minus releases."""
    net: dict[int, int] = {}
    out = []
    for r in t.records:
        net[r.thread] = net.get(r.thread, 0) + _acquired(r) - _released(r)
        out.append(dict(net))
    return out


def level_is_owner_acquires_minus_releases(t: Trace) -> bool:
    """RLock: the recursion level equals the owner's acquires minus its releases; every other
    thread's count is zero."""
    for r, net in zip(t.records, _ghost_levels(t), strict=True):
        s = r.after
        for thread, n in net.items():
            if n != (s.level if thread == s.owner else 0):
                return False
    return True


def non_owner_release_raises(t: Trace) -> bool:
    """RLock: a release by a thread that does not own the lock raises and changes nothing."""
    return all(
        isinstance(r.outcome, Raised) and r.after == r.before
        for r in t.records
        if r.kind == "invoke" and r.call.op == "release" and r.before.owner != r.thread
    )


# ---------------------------------------------------------------------------
# Semaphores
# ---------------------------------------------------------------------------


def _release_n(c: Call) -> int:
    if c.op == "__exit__":
        return 1
    n: Any = c.kw().get("n", c.args[0] if c.args else 1)
    return int(n)


def counter_is_initial_plus_released_minus_acquired(t: Trace) -> bool:
    """Semaphore: the counter equals its initial value, plus every unit released, minus one per
    successful acquire (at once, after waiting, or as its timeout ends)."""
    if t.created.state is None:
        return True
    counter = t.created.state.counter
    for r in t.records:
        if _acquired(r):
            counter -= 1
        elif _released(r):
            counter += _release_n(r.call)
        if counter != r.after.counter or counter < 0:
            return False
    return True


# ---------------------------------------------------------------------------
# Event
# ---------------------------------------------------------------------------


def wait_true_only_after_set(t: Trace) -> bool:
    """Event: a wait returns True only if the flag was set when it began or a set came while it
    waited; one that a set came for is awakened and can return (no waiter stranded)."""
    flag = False
    saw_set: dict[int, bool] = {}
    for r in t.records:
        if r.kind == "invoke" and r.call.op == "set" and isinstance(r.outcome, Returned):
            flag = True
            saw_set = {k: True for k in saw_set}
        elif r.kind == "invoke" and r.call.op == "clear" and isinstance(r.outcome, Returned):
            flag = False
        elif r.kind == "invoke" and r.call.op == "wait":
            if r.outcome is None:
                saw_set[r.thread] = False
            elif isinstance(r.outcome, Returned) and r.outcome.value is True and not flag:
                return False
        else:
            seen = saw_set.pop(r.thread, False)
            if isinstance(r.outcome, Returned) and r.outcome.value is True and not seen:
                return False
        woken = {w.thread for w in r.after.waiters if w.woken}
        if any(seen and k not in woken for k, seen in saw_set.items()):
            return False
    return True


# ---------------------------------------------------------------------------
# Condition
# ---------------------------------------------------------------------------


def _promised(s: Any) -> int:
    """Notifications handed out or owed: notified sleepers plus owed counts."""
    notified: int = sum(w.notified for w in s.sleepers)
    owed: int = sum(o.count for o in s.owed)
    return notified + owed


def _notify_n(c: Call) -> Value:
    return c.kw().get("n", c.args[0] if c.args else 1)


def notify_wakes_at_most_n(t: Trace) -> bool:
    """Condition: notify(n) promises at most n wakeups (n an int; at most one by default)."""
    for r in t.records:
        if r.kind != "invoke" or r.call.op != "notify" or not isinstance(r.outcome, Returned):
            continue
        n = _notify_n(r.call)
        if isinstance(n, int) and _promised(r.after) - _promised(r.before) > max(n, 0):
            return False
    return True


def unowned_wait_and_notify_raise(t: Trace) -> bool:
    """Condition over an RLock: wait and notify by a thread that does not hold the lock raise
    RuntimeError (any exception at documented strictness) and change nothing."""
    for r in t.records:
        s = r.before
        if r.kind != "invoke" or r.call.op not in ("wait", "notify", "notify_all"):
            continue
        if s.kind.value != "RLock" or s.owner == r.thread:
            continue
        if not isinstance(r.outcome, Raised) or r.after != r.before:
            return False
    return True


def wait_releases_the_lock(t: Trace) -> bool:
    """Condition: a wait that blocks has released the lock, every recursion level."""
    return all(
        r.after.owner != r.thread
        for r in t.records
        if r.kind == "invoke" and r.call.op == "wait" and r.outcome is None
    )


# ---------------------------------------------------------------------------
# Barrier
# ---------------------------------------------------------------------------


def releases_exactly_parties(t: Trace) -> bool:
    """Barrier: every generation releases exactly ``parties`` threads: the waits that return an
    index never outnumber whole generations of the waits that did not raise, and the threads
    of one generation return distinct indices in range(parties)."""
    if t.created.state is None:
        return True
    parties = t.created.state.parties
    arrived = returned = 0
    handed: set[int] = set()
    for r in t.records:
        o = r.outcome
        if r.call.op != "wait":
            continue
        if r.kind == "invoke":
            arrived += 1
        if isinstance(o, Raised):
            arrived -= 1
            handed = set()
        elif isinstance(o, Returned):
            returned += 1
            if returned > parties * (arrived // parties):
                return False
            if not isinstance(o.value, int) or not 0 <= o.value < parties or o.value in handed:
                return False
            handed.add(o.value)
            if len(handed) == parties:
                handed = set()
    return True
