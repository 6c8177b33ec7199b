"""Barrier spec: one test per clause, exhaustive explorations with pinned state counts, and a
check that every history the CPython reading allows is one the documented reading allows."""

from __future__ import annotations

import itertools
import random
from functools import partial

import pytest

from conformance.checker import Checker, Observation
from conformance.scenarios.barrier import WALK_ALPHABET
from proofs import bounds
from spec import barrier as b
from spec.clauses import REGISTRY
from spec.core import Blocked, Done
from spec.explore import explore
from spec.profiles import PY27, PY311, PY312, PY313, PY314, Strictness
from spec.values import ANY_INT, ENV, Gate, Raised, Returned, call
from tests.spec import helpers
from tests.spec.helpers import done

DOC311 = PY311.with_strictness(Strictness.DOCUMENTED)
BBE = Raised("BrokenBarrierError")


fresh = partial(helpers.fresh, b.SPEC)
block = partial(helpers.block, b.SPEC)


def waits(s: b.State, *threads: int) -> b.State:
    for t in threads:
        s = block(s, call(t, "wait"))
    return s


def get(s: b.State, attr: str):
    return done(b.invoke(s, call(9, f"get:{attr}"))).outcome


def step(s: b.State, thread: int, outcome=None):
    """The only wakeup of ``thread`` (with ``outcome``, if given)."""
    steps = [st for st in b.wakeups(s) if st.thread == thread]
    if outcome is not None:
        steps = [st for st in steps if st.outcome == outcome]
    assert len(steps) == 1, steps
    return steps[0]


def drain(s: b.State, order) -> tuple[b.State, dict[int, object]]:
    """Let the threads in ``order`` take their (only) wakeup, one after the other."""
    out = {}
    for t in order:
        st = step(s, t)
        out[t], s = st.outcome, st.state
    return s, out


def gate_open(s: b.State, *args) -> b.State:
    r = done(b.invoke(s, call(ENV, "gate.open", 1, *args)))
    assert r.outcome == Returned(None) and r.clause == b.ACTION_ENVIRONMENT_OPENS_GATE
    return r.state


# ---------------------------------------------------------------------------
# Construction
# ---------------------------------------------------------------------------


def _mro(outcome: object) -> tuple[str, ...]:
    """The MRO names the agent reports for the real exception class of ``outcome``."""
    exc = getattr(outcome, "exc", "")
    return (exc, "RuntimeError", "Exception") if exc == "BrokenBarrierError" else (exc,)


def test_absent_before_32() -> None:
    r = b.create(PY27, call(0, "__init__", 2))
    assert r.outcome == Raised("AttributeError") and r.state is None and r.clause == b.INIT_ABSENT_BEFORE_3_2
    r2 = done(b.invoke(b.State(PY27), call(0, "wait")))
    assert r2.outcome == Raised("AttributeError") and r2.clause == b.INIT_ABSENT_BEFORE_3_2
    assert b.ops(PY27) == ()


def test_creates_empty_barrier() -> None:
    r = b.create(PY311, call(0, "__init__", 3))
    assert r.outcome == Returned(None) and r.clause == b.INIT_CREATES_EMPTY_BARRIER and r.state is not None
    assert get(r.state, "parties") == Returned(3)
    assert get(r.state, "n_waiting") == Returned(0)
    assert get(r.state, "broken") == Returned(False)


@pytest.mark.parametrize("profile", [PY313, PY314])
@pytest.mark.parametrize(
    "parties,exc",
    [(0, "ValueError"), (-1, "ValueError"), (0.5, "ValueError"), (False, "ValueError"),
     ("2", "TypeError"), (None, "TypeError"), (Gate(1), "TypeError")],
)
def test_parties_below_one_raises_since_313(profile, parties, exc) -> None:
    r = b.create(profile, call(0, "__init__", parties))
    assert r.outcome == Raised(exc) and r.state is None and r.clause == b.INIT_PARTIES_BELOW_ONE_RAISES


@pytest.mark.parametrize("parties", [0, -1, 0.5, "2", None, float("nan")])
def test_parties_unchecked_before_313(parties) -> None:
    r = b.create(PY312, call(0, "__init__", parties))
    assert r.outcome == Returned(None) and r.clause == b.INIT_PARTIES_UNCHECKED_BEFORE_3_13
    s = waits(r.state, 0, 1, 2)  # never trips: every thread waits, and all are counted
    assert get(s, "n_waiting") == Returned(3) and list(b.wakeups(s)) == []
    s = done(b.invoke(s, call(3, "reset"))).state
    _, out = drain(s, (0, 1, 2))
    assert set(out.values()) == {BBE}


@pytest.mark.parametrize("profile,clause", [(PY312, b.INIT_PARTIES_UNCHECKED_BEFORE_3_13),
                                            (PY313, b.INIT_PARTIES_BELOW_ONE_RAISES)])
def test_parties_that_are_not_ints_are_not_documented(profile, clause) -> None:
    # "parties number of threads": an int; a barrier of 2.0 parties is CPython's own (aiologic's
    # RBarrier(2.0) fails at the second wait), so a run that makes one is not judged at documented
    # strictness (its clause is CPython's)
    r = b.create(profile.with_strictness(Strictness.DOCUMENTED), call(0, "__init__", 2.0))
    assert r.outcome == Returned(None) and r.clause == clause
    assert b.create(profile, call(0, "__init__", 2.0)).clause == b.INIT_CREATES_EMPTY_BARRIER
    assert b.create(profile.with_strictness(Strictness.DOCUMENTED), call(0, "__init__", 2)).clause == (
        b.INIT_CREATES_EMPTY_BARRIER)


@pytest.mark.parametrize("parties,last", [(2.0, 1), (True, 0), (float("inf"), None)])
def test_parties_that_are_not_ints_trip_when_equal(parties, last) -> None:
    s = fresh(parties, profile=PY313)
    if last is None:
        s = waits(s, 0, 1)
        assert get(s, "n_waiting") == Returned(2)
        return
    s = waits(s, *range(last))
    assert done(b.invoke(s, call(last, "wait"))).outcome == Returned(last)


@pytest.mark.parametrize(
    "c", [call(0, "__init__"), call(0, "__init__", 2, None, None, 1), call(0, "__init__", 2, x=1)]
)
def test_constructor_bad_arguments_raise_typeerror(c) -> None:
    r = b.create(PY311, c)
    assert r.outcome == Raised("TypeError") and r.state is None
    assert r.clause == b.CALL_BAD_ARGUMENTS_RAISE_TYPEERROR


def test_default_timeout_used_when_none_given() -> None:
    s = fresh(2, timeout=5)
    r = b.invoke(s, call(0, "wait"))
    assert isinstance(r, Blocked) and r.clause == b.INIT_DEFAULT_TIMEOUT
    (exp,) = b.expiries(r.state)
    assert exp.outcome == BBE and exp.clause == b.WAIT_TIMEOUT_BREAKS
    r2 = b.invoke(s, call(0, "wait", None))
    assert isinstance(r2, Blocked) and r2.clause == b.INIT_DEFAULT_TIMEOUT
    assert b.timeout(call(0, "wait")) is None  # the call alone does not show the default...
    assert b.SPEC.timeout_of(call(0, "__init__", 2, timeout=5), call(0, "wait")) == 5.0  # ...its barrier does


def test_timeout_in_a_barrier_with_a_default() -> None:
    init = call(0, "__init__", 2, None, 0.5)
    assert b.timeout_in(init, call(0, "wait")) == 0.5
    assert b.timeout_in(init, call(0, "wait", None)) == 0.5
    assert b.timeout_in(init, call(0, "wait", timeout=None)) == 0.5
    assert b.timeout_in(init, call(0, "wait", 2)) == 2.0
    assert b.timeout_in(init, call(0, "wait", -1)) == 0.0
    assert b.timeout_in(init, call(0, "wait", float("nan"))) is None
    assert b.timeout_in(init, call(0, "reset")) is None
    assert b.timeout_in(call(0, "__init__", 2), call(0, "wait")) is None
    assert b.timeout_in(call(0, "__init__", 2, timeout="x"), call(0, "wait")) is None


# ---------------------------------------------------------------------------
# wait
# ---------------------------------------------------------------------------


def test_wait_blocks_until_all_parties() -> None:
    s = fresh(3)
    r = b.invoke(s, call(0, "wait"))
    assert isinstance(r, Blocked) and r.clause == b.WAIT_BLOCKS_UNTIL_ALL_PARTIES
    s = waits(r.state, 1)
    assert list(b.wakeups(s)) == [] and list(b.expiries(s)) == []
    assert get(s, "n_waiting") == Returned(2)


def test_last_arrival_returns_at_once_with_arrival_index() -> None:
    s = waits(fresh(3), 0, 1)
    r = done(b.invoke(s, call(2, "wait")))
    assert r.outcome == Returned(2) and r.clause == b.WAIT_INDEX_IS_ARRIVAL_ORDER
    assert r.state.phase is b.Phase.DRAINING and get(r.state, "n_waiting") == Returned(0)
    assert {st.thread: st.outcome for st in b.wakeups(r.state)} == {0: Returned(0), 1: Returned(1)}


def test_released_threads_return_distinct_indices() -> None:
    s = done(b.invoke(waits(fresh(3), 0, 1), call(2, "wait"))).state
    st = step(s, 1)
    assert st.outcome == Returned(1) and st.clause == b.WAIT_RELEASES_ALL_WITH_DISTINCT_INDICES
    assert st.state.phase is b.Phase.DRAINING


def test_last_to_leave_makes_the_barrier_reusable() -> None:
    s = done(b.invoke(waits(fresh(2), 0), call(1, "wait"))).state
    st = step(s, 0)
    assert st.outcome == Returned(0) and st.clause == b.WAIT_REUSABLE
    assert st.state.phase is b.Phase.FILLING and st.state.pending == ()
    s = waits(st.state, 1)
    assert done(b.invoke(s, call(0, "wait"))).outcome == Returned(1)


def test_documented_indices_are_any_distinct_assignment() -> None:
    s = waits(fresh(3, profile=DOC311), 0, 1)
    r = b.invoke(s, call(2, "wait"))
    assert isinstance(r, Blocked) and r.clause == b.WAIT_RELEASES_ALL_WITH_DISTINCT_INDICES
    seen = set()
    todo = [(r.state, ())]
    while todo:
        st, got = todo.pop()
        nxt = list(b.wakeups(st))
        if not nxt:
            assert st.phase is b.Phase.FILLING and st.pending == ()
            seen.add(tuple(sorted(got)))
        for x in nxt:
            todo.append((x.state, (*got, (x.thread, x.outcome.value))))
    assert seen == {tuple(zip((0, 1, 2), p, strict=True)) for p in itertools.permutations(range(3))}


def test_wait_while_previous_generation_leaves_joins_the_next() -> None:
    s = done(b.invoke(waits(fresh(2), 0), call(1, "wait"))).state  # t0 still to leave
    r = b.invoke(s, call(1, "wait"))
    assert isinstance(r, Blocked) and r.clause == b.WAIT_WAITS_WHILE_PREVIOUS_GENERATION_LEAVES
    assert [st.thread for st in b.wakeups(r.state)] == [0]
    s = step(r.state, 0).state
    st = step(s, 1)
    assert st.outcome is None and st.clause == b.WAIT_BLOCKS_UNTIL_ALL_PARTIES
    assert get(st.state, "n_waiting") == Returned(1)


def test_wait_on_broken_barrier_raises() -> None:
    s = done(b.invoke(fresh(2), call(0, "abort"))).state
    r = done(b.invoke(s, call(1, "wait")))
    assert r.outcome == BBE and r.clause == b.WAIT_BROKEN_RAISES


def test_waiters_of_a_broken_barrier_raise() -> None:
    s = done(b.invoke(waits(fresh(3), 0, 1), call(2, "abort"))).state
    st = step(s, 0)
    assert st.outcome == BBE and st.clause == b.WAIT_BROKEN_WHILE_WAITING_RAISES
    assert st.state.phase is b.Phase.BROKEN


def test_timeout_breaks_the_barrier() -> None:
    s = block(waits(fresh(3), 0), call(1, "wait", timeout=0.05))
    (exp,) = b.expiries(s)
    assert exp.thread == 1 and exp.outcome == BBE and exp.clause == b.WAIT_TIMEOUT_BREAKS
    assert get(exp.state, "broken") == Returned(True)
    assert step(exp.state, 0).outcome == BBE


def test_timeout_overrides_default() -> None:
    r = b.invoke(fresh(2, timeout=60), call(0, "wait", timeout=0.05))
    assert isinstance(r, Blocked) and r.clause == b.WAIT_TIMEOUT_OVERRIDES_DEFAULT
    assert b.timeout(call(0, "wait", timeout=0.05)) == 0.05
    assert len(list(b.expiries(r.state))) == 1


@pytest.mark.parametrize(
    "t,exc", [("1", "TypeError"), ((), "TypeError"), (float("inf"), "OverflowError"),
              (1e300, "OverflowError"), (9.3e9, "OverflowError")],
)
def test_bad_timeout_raises_without_breaking(t, exc) -> None:
    r = done(b.invoke(fresh(2), call(0, "wait", t)))
    assert r.outcome == Raised(exc) and r.clause == b.WAIT_BAD_TIMEOUT_RAISES
    assert r.state == fresh(2)
    last = done(b.invoke(waits(fresh(2), 1), call(0, "wait", t)))
    assert last.outcome == Returned(1)  # the last to arrive never looks at its timeout


def test_bad_default_timeout_raises_at_wait() -> None:
    r = done(b.invoke(fresh(2, timeout="x"), call(0, "wait")))
    assert r.outcome == Raised("TypeError") and r.clause == b.WAIT_BAD_TIMEOUT_RAISES


@pytest.mark.parametrize("t", [0, 0.0, -1, -0.5, float("-inf"), False])
def test_nonpositive_timeout_expires_at_once(t) -> None:
    r = b.invoke(fresh(2), call(0, "wait", t))
    assert isinstance(r, Blocked) and r.clause == b.WAIT_NONPOSITIVE_TIMEOUT_EXPIRES_AT_ONCE
    assert b.timeout(call(0, "wait", t)) == 0.0
    (exp,) = b.expiries(r.state)
    assert exp.outcome == BBE


def test_nan_timeout_never_expires() -> None:
    r = b.invoke(fresh(2), call(0, "wait", float("nan")))
    assert isinstance(r, Blocked) and r.clause == b.WAIT_NAN_TIMEOUT_NEVER_EXPIRES
    assert list(b.expiries(r.state)) == [] and b.timeout(call(0, "wait", float("nan"))) is None
    assert done(b.invoke(r.state, call(1, "wait"))).outcome == Returned(1)


# ---------------------------------------------------------------------------
# The action
# ---------------------------------------------------------------------------


def test_action_is_called_before_release() -> None:
    s = waits(fresh(2, Gate(1)), 0)
    r = b.invoke(s, call(1, "wait"))
    assert isinstance(r, Blocked) and r.clause == b.WAIT_ACTION_CALLED_BEFORE_RELEASE
    assert list(b.wakeups(r.state)) == [] and list(b.expiries(r.state)) == []
    s = gate_open(r.state)
    st = step(s, 1)
    assert st.outcome == Returned(1) and st.clause == b.WAIT_ACTION_CALLED_BEFORE_RELEASE
    assert [x.thread for x in b.wakeups(s)] == [1]  # nobody leaves before the action's caller
    assert step(st.state, 0).outcome == Returned(0)


def test_gate_opens_once_and_only_its_own() -> None:
    s = fresh(2, Gate(1))
    assert done(b.invoke(s, call(ENV, "gate.open", 2))).state == s
    s = gate_open(s, "ValueError")
    assert gate_open(s).gate is b.GateState.RAISING  # the first opening stands


def test_opened_gate_passes_at_once() -> None:
    s = gate_open(fresh(2, Gate(1)))
    r = done(b.invoke(waits(s, 0), call(1, "wait")))
    assert r.outcome == Returned(1) and r.clause == b.WAIT_ACTION_CALLED_BEFORE_RELEASE


def test_calls_during_the_action_wait_for_its_lock() -> None:
    s = waits(fresh(2, Gate(1)), 0, 1)
    for op in ("wait", "reset", "abort"):
        r = b.invoke(s, call(2, op))
        assert isinstance(r, Blocked) and r.clause == b.WAIT_ACTION_HOLDS_THE_LOCK
    s = block(s, call(2, "abort"))
    assert list(b.wakeups(s)) == []
    assert get(s, "broken") == Returned(False)
    s = gate_open(s)
    s = step(s, 1).state
    # now the released thread and the queued abort race for the lock
    first_abort = step(s, 2)
    assert first_abort.outcome == Returned(None) and first_abort.clause == b.ABORT_BREAKS
    assert step(first_abort.state, 0).outcome == BBE
    assert step(step(s, 0).state, 2).state.phase is b.Phase.BROKEN


def test_action_error_breaks_the_barrier() -> None:
    s = gate_open(waits(fresh(3, Gate(1)), 0, 1, 2), "ValueError")
    st = step(s, 2)
    assert st.outcome == Raised("ValueError") and st.clause == b.WAIT_ACTION_ERROR_BREAKS
    assert get(st.state, "broken") == Returned(True)
    _, out = drain(st.state, (0, 1))
    assert out == {0: BBE, 1: BBE}


def test_action_error_documented_goes_to_exactly_one_party() -> None:
    s = gate_open(waits(fresh(3, Gate(1), profile=DOC311), 0, 1, 2), "ValueError")
    (st,) = b.wakeups(s)
    assert st.thread == 2 and st.outcome is None and st.clause == b.WAIT_ACTION_ERROR_BREAKS
    endings = set()
    todo = [(st.state, ())]
    while todo:
        cur, got = todo.pop()
        nxt = list(b.wakeups(cur))
        if not nxt:
            endings.add(tuple(sorted(got)))
        todo += [(x.state, (*got, (x.thread, x.outcome.exc))) for x in nxt]
    assert all(sum(e == "ValueError" for _, e in ending) == 1 for ending in endings)
    assert {next(t for t, e in ending if e == "ValueError") for ending in endings} == {0, 1, 2}


@pytest.mark.parametrize("action", [5, "x", float("nan")])
def test_action_not_callable_raises_typeerror(action) -> None:
    r = done(b.invoke(waits(fresh(2, action), 0), call(1, "wait")))
    assert r.outcome == Raised("TypeError") and r.clause == b.WAIT_ACTION_NOT_CALLABLE_RAISES_TYPEERROR
    assert step(r.state, 0).outcome == BBE


@pytest.mark.parametrize("action", [None, 0, "", False])
def test_false_action_is_not_called(action) -> None:
    r = done(b.invoke(waits(fresh(2, action), 0), call(1, "wait")))
    assert r.outcome == Returned(1) and r.clause == b.WAIT_INDEX_IS_ARRIVAL_ORDER


# ---------------------------------------------------------------------------
# reset and abort
# ---------------------------------------------------------------------------


def test_reset_returns_to_empty_state() -> None:
    s = done(b.invoke(fresh(2), call(0, "abort"))).state
    r = done(b.invoke(s, call(0, "reset")))
    assert r.outcome == Returned(None) and r.clause == b.RESET_RETURNS_TO_EMPTY_STATE
    assert r.state == fresh(2)


def test_reset_makes_waiters_raise() -> None:
    r = done(b.invoke(waits(fresh(3), 0, 1), call(2, "reset")))
    assert r.outcome == Returned(None) and r.clause == b.RESET_WAITERS_RAISE
    assert get(r.state, "broken") == Returned(False)
    st = step(r.state, 1)
    assert st.outcome == BBE and st.clause == b.RESET_WAITERS_RAISE
    s, _ = drain(st.state, (0,))
    assert s == fresh(3)


def test_reset_of_broken_barrier_with_waiters_still_leaving() -> None:
    s = done(b.invoke(waits(fresh(3), 0, 1), call(2, "abort"))).state
    r = done(b.invoke(s, call(2, "reset")))
    assert r.clause == b.RESET_WAITERS_RAISE and r.state.phase is b.Phase.RESETTING
    s, out = drain(r.state, (0, 1))
    assert out == {0: BBE, 1: BBE} and s == fresh(3)


def test_reset_while_releasing_has_no_effect() -> None:
    s = waits(fresh(2, Gate(1)), 0, 1)
    s = gate_open(block(s, call(2, "reset")))
    s = step(s, 1).state
    st = step(s, 2)
    assert st.outcome == Returned(None) and st.clause == b.RESET_NO_EFFECT_WHILE_RELEASING
    assert step(st.state, 0).outcome == Returned(0)


def test_abort_breaks() -> None:
    r = done(b.invoke(fresh(2), call(0, "abort")))
    assert r.outcome == Returned(None) and r.clause == b.ABORT_BREAKS
    assert get(r.state, "broken") == Returned(True)
    assert done(b.invoke(r.state, call(0, "abort"))).state == r.state


# ---------------------------------------------------------------------------
# Properties and bad calls
# ---------------------------------------------------------------------------


def test_parties_reports() -> None:
    r = done(b.invoke(fresh(3), call(0, "get:parties")))
    assert r.outcome == Returned(3) and r.clause == b.PARTIES_REPORTS


def test_n_waiting_reports() -> None:
    r = done(b.invoke(waits(fresh(3), 0, 1), call(2, "get:n_waiting")))
    assert r.outcome == Returned(2) and r.clause == b.N_WAITING_REPORTS


def test_n_waiting_transient_values() -> None:
    s = waits(fresh(2, Gate(1)), 0, 1)
    r = done(b.invoke(s, call(2, "get:n_waiting")))
    assert r.outcome == Returned(2) and r.clause == b.N_WAITING_TRANSIENT_VALUES
    s = step(gate_open(s), 1).state  # t0 still to leave
    r = done(b.invoke(s, call(2, "get:n_waiting")))
    assert r.outcome == Returned(0) and r.clause == b.N_WAITING_TRANSIENT_VALUES


def test_n_waiting_documented_any_int_while_the_action_runs() -> None:
    s = waits(fresh(2, Gate(1), profile=DOC311), 0, 1)
    r = done(b.invoke(s, call(2, "get:n_waiting")))
    assert r.outcome == Returned(ANY_INT) and r.clause == b.N_WAITING_REPORTS


def test_broken_reports() -> None:
    r = done(b.invoke(fresh(2), call(0, "get:broken")))
    assert r.outcome == Returned(False) and r.clause == b.BROKEN_REPORTS


@pytest.mark.parametrize("op", ["set:parties", "set:n_waiting", "set:broken", "del:parties"])
def test_attributes_are_read_only(op) -> None:
    r = done(b.invoke(fresh(2), call(0, op, 1) if op.startswith("set:") else call(0, op)))
    assert r.outcome == Raised("AttributeError") and r.clause == b.ATTRIBUTES_READ_ONLY


@pytest.mark.parametrize(
    "c,exc",
    [(call(0, "wait", 1, 2), "TypeError"), (call(0, "wait", x=1), "TypeError"),
     (call(0, "reset", 1), "TypeError"), (call(0, "abort", x=1), "TypeError"),
     (call(0, "acquire"), "AttributeError"), (call(ENV, "gate.close", 1), "AttributeError")],
)
def test_bad_calls(c, exc) -> None:
    r = done(b.invoke(fresh(2), c))
    assert r.outcome == Raised(exc) and r.clause == b.CALL_BAD_ARGUMENTS_RAISE_TYPEERROR


def test_timeout_of_calls() -> None:
    assert b.timeout(call(0, "wait", 0.5)) == 0.5
    assert b.timeout(call(0, "wait", timeout=True)) == 1.0
    assert b.timeout(call(0, "wait")) is None
    assert b.timeout(call(0, "wait", "1")) is None
    assert b.timeout(call(0, "reset")) is None


# ---------------------------------------------------------------------------
# Exhaustive exploration
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("bound", bounds.for_primitive("Barrier"), ids=str)
def test_exhaustive_three_threads_invariants_hold(bound: bounds.Bound) -> None:
    ex = explore(bound.spec, bound.profile, bound.init, bound.alphabet, bound.threads, bound.calls)
    assert ex.violations == []
    # pinned (in proofs/bounds.py): a change to these numbers is a change to the spec; look at it.
    assert (len(ex.states), ex.nodes) == bound.pinned


# ---------------------------------------------------------------------------
# Documented ⊇ CPython
# ---------------------------------------------------------------------------


def cpython_history(rng: random.Random, args, length: int):
    """A random history of the CPython reading: (kind, payload, time) events."""
    s = fresh(*args)
    idle, events, now = {0, 1, 2}, [], 0.0
    for _ in range(length):
        now += 1.0
        internal = list(b.SPEC.internal_steps(s))
        if internal and (not idle or rng.random() < 0.5):
            st = rng.choice(internal)
            s = st.state
            if st.outcome is not None:
                idle.add(st.thread)
                events.append(("completed", (st.thread, st.outcome), now))
            continue
        if not idle:
            break
        c = rng.choice(WALK_ALPHABET)(rng.choice(sorted(idle)))
        r = b.invoke(s, c)
        s = r.state
        if c.thread == ENV:
            events.append(("environment", c, now))
            continue
        events.append(("invoked", c, now))
        idle.discard(c.thread)
        if isinstance(r, Done):
            idle.add(c.thread)
            events.append(("completed", (c.thread, r.outcome), now + 0.5))
    return events


class ClosingChecker(Checker):
    """The checker, applying an environment call to every configuration reachable by then.

    ``Checker.environment`` applies it to the configurations kept at the last completion,
    in which calls invoked since may not have taken effect yet: a gate opened while the
    action runs is then only seen as opened before it was called (reported to the lead).
    """

    def environment_at(self, c, now: float):
        self.configs = self._closure(now)
        return self.environment(c)


@pytest.mark.parametrize("strictness", [Strictness.CPYTHON, Strictness.DOCUMENTED])
@pytest.mark.parametrize("args", [(2,), (3,), (2, Gate(1)), (3, Gate(1))])
def test_every_cpython_history_is_allowed(strictness, args) -> None:
    rng = random.Random(f"{args}")
    for _ in range(60):
        events = cpython_history(rng, args, 14)
        ch = ClosingChecker(b.SPEC)
        profile = PY311.with_strictness(strictness)
        assert ch.created(profile, call(0, "__init__", *args), Returned(None)) is None
        for kind, payload, t in events:
            if kind == "invoked":
                ch.invoked(payload, t)
                v = None
            elif kind == "environment":
                v = ch.environment_at(payload, t)
            else:
                thread, outcome = payload
                v = ch.completed(Observation(thread, outcome, t, mro=_mro(outcome)))
            assert v is None, (events, v.describe())


def test_every_clause_has_a_scenario() -> None:
    from conformance.scenarios import barrier as scenarios

    covered = {c for sc in scenarios.SCENARIOS for c in sc.covers}
    clauses = {cid for cid in REGISTRY if cid.startswith("Barrier.")}
    assert clauses - covered == set()
