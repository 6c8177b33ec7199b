"""RLock spec: one test per clause, exhaustive explorations with pinned counts, and a check
that the host's two CPython RLock classes agree with the spec on sequential schedules."""

from __future__ import annotations

import queue
import sys
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.scenarios.rlock import EXPLORATION_ALPHABET, FULL_EXPLORATION_ALPHABET
from proofs import bounds
from spec import rlock
from spec.clauses import REGISTRY
from spec.core import Blocked, Done
from spec.explore import explore
from spec.profiles import PY27, PY311, PY312, PY313, PY314, Strictness, profile_for
from spec.values import ANY, Raised, Returned, call, outcome_matches
from tests.spec import helpers
from tests.spec.helpers import done

INIT = call(0, "__init__")
DOC311 = PY311.with_strictness(Strictness.DOCUMENTED)


def fresh(profile=PY311) -> rlock.State:
    return helpers.fresh(rlock.SPEC, profile=profile)


def owned(profile=PY311, thread=0, level=1) -> rlock.State:
    return rlock.State(profile, owner=thread, level=level)


def options(r) -> set[tuple]:
    """The (outcome, level) pairs an undecided call may complete with (by repr: True != 1)."""
    assert isinstance(r, Blocked) and r.state.undecided, r
    return {(repr(st_.outcome), st_.state.level) for st_ in rlock.wakeups(r.state)}


def opts(*pairs) -> set[tuple]:
    return {(repr(outcome), level) for outcome, level in pairs}


def test_init_created_unlocked() -> None:
    r = rlock.create(PY311, INIT)
    assert r.outcome == Returned(None) and r.clause == rlock.INIT_CREATED_UNLOCKED
    assert r.state is not None and r.state.owner is None and r.state.level == 0


@pytest.mark.parametrize(
    "profile,args,kwargs,outcome",
    [
        (PY311, (None,), {}, Returned(None)),
        (PY311, (1, 2), {"x": 3}, Returned(None)),
        (PY313, (None,), {}, Returned(None, "DeprecationWarning")),
        (PY27, (None,), {}, Returned(None)),
        (PY27, (), {"verbose": None}, Returned(None)),
        (PY27, (1, 2), {}, Raised("TypeError")),
        (PY27, (), {"foo": 1}, Raised("TypeError")),
    ],
)
def test_init_factory_accepts_arguments(profile, args, kwargs, outcome) -> None:
    r = rlock.create(profile, call(0, "__init__", *args, **kwargs))
    assert r.outcome == outcome and r.clause == rlock.INIT_FACTORY_ACCEPTS_ARGUMENTS


def test_python_class_takes_no_arguments() -> None:
    r = rlock.PYTHON_CLASS_SPEC.create(PY311, call(0, "__init__", None))
    assert r.outcome == Raised("TypeError") and r.state is None
    assert r.clause == rlock.INIT_FACTORY_ACCEPTS_ARGUMENTS
    r = rlock.PYTHON_CLASS_SPEC.create(PY311, INIT)
    assert r.outcome == Returned(None) and r.state == fresh()
    assert rlock.PYTHON_CLASS_SPEC.name == "_PyRLock"


def test_acquire_unlocked_takes_ownership() -> None:
    r = done(rlock.invoke(fresh(), call(1, "acquire")))
    assert r.outcome == Returned(True) and r.clause == rlock.ACQUIRE_UNLOCKED_TAKES_OWNERSHIP
    assert (r.state.owner, r.state.level) == (1, 1)


def test_acquire_without_arguments_has_no_documented_value() -> None:
    r = done(rlock.invoke(fresh(DOC311), call(0, "acquire")))
    assert r.outcome == Returned(ANY)
    r = done(rlock.invoke(fresh(DOC311), call(0, "acquire", True)))
    assert r.outcome == Returned(True)


def test_acquire_owner_increments_level_c_or_python_rlock() -> None:
    r = rlock.invoke(owned(), call(0, "acquire"))
    assert isinstance(r, Blocked) and r.clause == rlock.ACQUIRE_OWNER_INCREMENTS_LEVEL
    assert options(r) == opts((Returned(True), 2), (Returned(1), 2))
    clauses = {repr(st_.outcome): st_.clause for st_ in rlock.wakeups(r.state)}
    assert clauses == {
        "returned True": rlock.ACQUIRE_OWNER_INCREMENTS_LEVEL,
        "returned 1": rlock.ACQUIRE_PYTHON_RLOCK_REENTRY_RETURNS_1,
    }


def test_acquire_owner_increments_level_27_returns_1() -> None:
    r = done(rlock.invoke(owned(PY27, level=2), call(0, "acquire")))
    assert r.outcome == Returned(1) and r.state.level == 3
    assert r.clause == rlock.ACQUIRE_OWNER_INCREMENTS_LEVEL


def test_acquire_owner_without_arguments_documented_any_value() -> None:
    r = done(rlock.invoke(owned(DOC311), call(0, "acquire")))
    assert r.outcome == Returned(ANY) and r.state.level == 2


def test_acquire_other_owner_blocks() -> None:
    r = rlock.invoke(owned(), call(1, "acquire"))
    assert isinstance(r, Blocked) and r.clause == rlock.ACQUIRE_OTHER_OWNER_BLOCKS
    assert r.state.waiters == (rlock.Waiter(1, timed=False, value=True),)
    assert list(rlock.wakeups(r.state)) == []


def test_acquire_nonblocking_returns_false() -> None:
    r = done(rlock.invoke(owned(), call(1, "acquire", False)))
    assert r.outcome == Returned(False) and r.state == owned()
    assert r.clause == rlock.ACQUIRE_NONBLOCKING_RETURNS_FALSE


def test_acquire_nonblocking_by_owner_reenters() -> None:
    r = rlock.invoke(owned(), call(0, "acquire", blocking=False))
    assert options(r) == opts((Returned(True), 2), (Returned(1), 2))


def test_acquire_timeout_returns_false() -> None:
    s = owned()
    b = rlock.invoke(s, call(1, "acquire", timeout=0.1))
    assert isinstance(b, Blocked)
    (step,) = rlock.expiries(b.state)
    assert step.outcome == Returned(False) and step.clause == rlock.ACQUIRE_TIMEOUT_RETURNS_FALSE
    assert step.state == s


def test_acquire_zero_timeout_may_expire_at_once() -> None:
    b = rlock.invoke(owned(), call(1, "acquire", True, 0))
    assert isinstance(b, Blocked) and len(list(rlock.expiries(b.state))) == 1


def test_untimed_waiter_never_expires() -> None:
    b = rlock.invoke(owned(), call(1, "acquire", True, -1))
    assert isinstance(b, Blocked) and list(rlock.expiries(b.state)) == []


@pytest.mark.parametrize("kwargs", [dict(blocking=False, timeout=1), dict(blocking=False, timeout=0)])
def test_acquire_timeout_with_nonblocking_raises(kwargs) -> None:
    for s in (fresh(), owned(thread=1)):
        r = done(rlock.invoke(s, call(0, "acquire", **kwargs)))
        assert r.outcome == Raised("ValueError") and r.clause == rlock.ACQUIRE_TIMEOUT_WITH_NONBLOCKING_RAISES
        assert r.state == s


@pytest.mark.parametrize(
    "timeout,exc",
    [(-2, "ValueError"), (-0.5, "ValueError"), (float("nan"), "ValueError"),
     (float("inf"), "OverflowError"), (1e300, "OverflowError"), ("1", "TypeError"), (None, "TypeError")],
)
def test_acquire_bad_timeout_raises(timeout, exc) -> None:
    for s in (fresh(), owned(thread=1)):
        r = done(rlock.invoke(s, call(0, "acquire", timeout=timeout)))
        which = rlock.ACQUIRE_BAD_TIMEOUT_RAISES
        if exc in ("ValueError", "TypeError"):  # negative, NaN, no number: CPython's reading
            which = rlock.ACQUIRE_UNDOCUMENTED_TIMEOUT_RAISES
        assert r.outcome == Raised(exc) and r.clause == which and r.state == s


@pytest.mark.parametrize(
    "kwargs,exc",
    [(dict(timeout=float("nan")), "Exception"), (dict(timeout=-2), "Exception"),
     (dict(blocking=False, timeout=1), "Exception"), (dict(timeout=float("inf")), "OverflowError"),
     (dict(timeout=10**400), "OverflowError"), (dict(timeout=-(10**400)), "Exception"),
     (dict(timeout=-float("inf")), "Exception"),
     # two rules reject it, and which is checked first is not said (PyPy: ValueError)
     (dict(blocking=False, timeout=float("inf")), "Exception"),
     (dict(blocking=False, timeout=10**400), "Exception"),
     (dict(timeout="1"), "TypeError")],
)
def test_rejected_timeout_type_is_open_at_documented_strictness(kwargs, exc) -> None:
    # PyPy raises OverflowError for a NaN timeout; the documentation names no type there
    r = done(rlock.invoke(fresh(DOC311), call(0, "acquire", **kwargs)))
    assert r.outcome == Raised(exc)
    if exc == "Exception":
        assert outcome_matches(r.outcome, Raised("ValueError"), ("ValueError", "Exception"))
        assert outcome_matches(r.outcome, Raised("OverflowError"), ("OverflowError", "Exception"))


def test_acquire_bad_timeout_by_owner_raises_or_reenters() -> None:
    r = rlock.invoke(owned(), call(0, "acquire", timeout=-2))
    assert options(r) == opts((Raised("ValueError"), 1), (Returned(1), 2))
    clauses = {st_.outcome: st_.clause for st_ in rlock.wakeups(r.state)}
    assert clauses == {
        Raised("ValueError"): rlock.ACQUIRE_UNDOCUMENTED_TIMEOUT_RAISES,
        Returned(1): rlock.ACQUIRE_PYTHON_RLOCK_OWNER_SKIPS_CHECKS,
    }


@pytest.mark.parametrize("blocking", [None, 2.5, "x"])
def test_acquire_non_int_blocking_raises_before_312(blocking) -> None:
    for profile in (PY27, PY311):
        r = done(rlock.invoke(fresh(profile), call(0, "acquire", blocking)))
        assert r.outcome == Raised("TypeError") and r.clause == rlock.ACQUIRE_NON_INT_BLOCKING_RAISES
    r = done(rlock.invoke(fresh(PY312), call(0, "acquire", blocking)))
    assert r.outcome == Returned(True) and r.clause == rlock.ACQUIRE_UNLOCKED_TAKES_OWNERSHIP


def test_acquire_python_rlock_owner_skips_checks_in_27() -> None:
    r = done(rlock.invoke(owned(PY27), call(0, "acquire", None)))
    assert r.outcome == Returned(1) and r.state.level == 2
    assert r.clause == rlock.ACQUIRE_PYTHON_RLOCK_OWNER_SKIPS_CHECKS


@pytest.mark.parametrize(
    "args,kwargs,outcome",
    [((), {"blocking": False}, Returned(True)), ((), {"timeout": 1}, Raised("TypeError")),
     ((True, 1), {}, Raised("TypeError")), ((1,), {"blocking": 1}, Raised("TypeError"))],
)
def test_acquire_blocking_keyword_in_27(args, kwargs, outcome) -> None:
    r = done(rlock.invoke(fresh(PY27), call(0, "acquire", *args, **kwargs)))
    assert r.outcome == outcome
    if isinstance(outcome, Raised):
        assert r.clause == rlock.ACQUIRE_BLOCKING_KEYWORD_IN_2_7


def test_acquire_extra_arguments_raise_typeerror() -> None:
    for c in (call(0, "acquire", 1, 2, 3), call(0, "acquire", foo=1), call(0, "acquire", 1, blocking=1)):
        r = done(rlock.invoke(owned(), c))
        assert r.outcome == Raised("TypeError") and r.clause == rlock.CALL_BAD_ARGUMENTS_RAISE_TYPEERROR


def test_release_owner_decrements_level() -> None:
    r = done(rlock.invoke(owned(level=3), call(0, "release")))
    assert r.outcome == Returned(None) and r.clause == rlock.RELEASE_OWNER_DECREMENTS_LEVEL
    assert (r.state.owner, r.state.level) == (0, 2)


def test_release_final_release_unlocks() -> None:
    r = done(rlock.invoke(owned(), call(0, "release")))
    assert r.outcome == Returned(None) and r.clause == rlock.RELEASE_FINAL_RELEASE_UNLOCKS
    assert (r.state.owner, r.state.level) == (None, 0)


def test_release_non_final_wakes_nobody() -> None:
    s = owned(level=2)
    s = rlock.invoke(s, call(1, "acquire")).state
    s = done(rlock.invoke(s, call(0, "release"))).state
    assert list(rlock.wakeups(s)) == []


def test_release_wakes_any_one_waiter() -> None:
    s = owned()
    for t in (1, 2):
        b = rlock.invoke(s, call(t, "acquire", timeout=5))
        assert isinstance(b, Blocked)
        s = b.state
    s = done(rlock.invoke(s, call(0, "release"))).state
    steps = list(rlock.wakeups(s))
    assert {st_.thread for st_ in steps} == {1, 2}
    assert all(st_.outcome == Returned(True) for st_ in steps)
    assert all(st_.clause == rlock.RELEASE_WAKES_ONE_WAITER for st_ in steps)
    assert all(st_.state.owner == st_.thread and st_.state.level == 1 for st_ in steps)
    assert all(len(st_.state.waiters) == 1 for st_ in steps)


@pytest.mark.parametrize("profile", [PY27, PY311, DOC311])
def test_release_unlocked_raises(profile) -> None:
    r = done(rlock.invoke(fresh(profile), call(0, "release")))
    assert r.outcome == Raised("RuntimeError") and r.clause == rlock.RELEASE_UNLOCKED_RAISES


def test_release_non_owner_raises() -> None:
    s = owned(level=2)
    r = done(rlock.invoke(s, call(1, "release")))
    assert r.outcome == Raised("RuntimeError") and r.state == s and r.clause == rlock.RELEASE_NON_OWNER_RAISES


def test_release_non_owner_documented_raises_some_exception() -> None:
    r = done(rlock.invoke(owned(DOC311), call(1, "release")))
    assert r.outcome == Raised("Exception")
    mro = ("AssertionError", "Exception", "BaseException", "object")
    assert outcome_matches(r.outcome, Raised("AssertionError"), mro)


def test_locked_reports_state() -> None:
    assert done(rlock.invoke(fresh(PY314), call(0, "locked"))).outcome == Returned(False)
    r = done(rlock.invoke(owned(PY314, level=2), call(1, "locked")))
    assert r.outcome == Returned(True) and r.clause == rlock.LOCKED_REPORTS_STATE


@pytest.mark.parametrize("profile", [PY27, PY311, PY313])
def test_locked_absent_before_314(profile) -> None:
    r = done(rlock.invoke(fresh(profile), call(0, "locked")))
    assert r.outcome == Raised("AttributeError") and r.clause == rlock.LOCKED_ABSENT_BEFORE_3_14


def test_with_acquires_and_releases() -> None:
    r = done(rlock.invoke(fresh(), call(0, "__enter__")))
    assert r.outcome == Returned(True) and r.state.level == 1 and r.clause == rlock.WITH_ACQUIRES_AND_RELEASES
    r = done(rlock.invoke(r.state, call(0, "__exit__", None, None, None)))
    assert r.outcome == Returned(None) and r.state.owner is None
    assert r.clause == rlock.WITH_ACQUIRES_AND_RELEASES


def test_with_reenters_and_blocks_others() -> None:
    r = rlock.invoke(owned(), call(0, "__enter__"))
    assert options(r) == opts((Returned(True), 2), (Returned(1), 2))
    b = rlock.invoke(owned(), call(1, "__enter__"))
    assert isinstance(b, Blocked) and b.clause == rlock.WITH_ACQUIRES_AND_RELEASES and b.state.waiters


def test_enter_takes_acquire_arguments() -> None:
    r = done(rlock.invoke(owned(), call(1, "__enter__", False)))
    assert r.outcome == Returned(False) and r.clause == rlock.ACQUIRE_NONBLOCKING_RETURNS_FALSE


def test_exit_by_non_owner_raises() -> None:
    r = done(rlock.invoke(owned(), call(1, "__exit__", None, None, None)))
    assert r.outcome == Raised("RuntimeError") and r.clause == rlock.RELEASE_NON_OWNER_RAISES


def test_exit_arguments() -> None:
    r = rlock.invoke(owned(), call(0, "__exit__"))
    assert isinstance(r, Blocked) and r.clause == rlock.WITH_EXIT_ARGUMENTS
    assert options(r) == opts((Returned(None), 0), (Raised("TypeError"), 1))
    r = rlock.invoke(owned(), call(0, "__exit__", t=None, v=None, tb=None))
    assert options(r) == opts((Returned(None), 0), (Raised("TypeError"), 1))
    r = done(rlock.invoke(owned(PY27), call(0, "__exit__")))
    assert r.outcome == Raised("TypeError") and r.clause == rlock.WITH_EXIT_ARGUMENTS
    r = done(rlock.invoke(owned(PY27), call(0, "__exit__", t=None, v=None, tb=None)))
    assert r.outcome == Returned(None)


def test_release_with_arguments_raises_typeerror() -> None:
    r = done(rlock.invoke(owned(), call(0, "release", 1)))
    assert r.outcome == Raised("TypeError") and r.clause == rlock.CALL_BAD_ARGUMENTS_RAISE_TYPEERROR


def test_timeout_of_pending_call() -> None:
    assert rlock.timeout(call(1, "acquire", timeout=0.5)) == 0.5
    assert rlock.timeout(call(1, "acquire", True, 2)) == 2.0
    assert rlock.timeout(call(1, "__enter__", True, 2)) == 2.0
    assert rlock.timeout(call(1, "acquire")) is None
    assert rlock.timeout(call(1, "acquire", timeout=-1)) is None
    assert rlock.timeout(call(1, "release")) is None


# ---------------------------------------------------------------------------
# Exhaustive exploration
# ---------------------------------------------------------------------------

_CHECKED: dict[rlock.State, list[str]] = {}


def deterministic(s: rlock.State) -> list[str]:
    """invoke is a function of (state, call)."""
    if s not in _CHECKED:
        calls = [make(t) for t in range(3) for make in FULL_EXPLORATION_ALPHABET]
        _CHECKED[s] = [f"nondeterministic {c!r}" for c in calls if rlock.invoke(s, c) != rlock.invoke(s, c)]
    return _CHECKED[s]


@pytest.mark.parametrize("bound", bounds.for_primitive("RLock"), ids=str)
def test_exhaustive_three_threads_invariants_hold(bound: bounds.Bound) -> None:
    ex = explore(bound.spec, bound.profile, bound.init, bound.alphabet, bound.threads, bound.calls,
                 check=deterministic)
    assert ex.violations == []
    # pinned (in proofs/bounds.py): a change to these numbers is a change to the spec; look at it.
    assert (len(ex.states), ex.nodes) == bound.pinned
    assert max(s.level for s in ex.states) == bound.calls


def test_exhaustive_reaches_every_transition_clause() -> None:
    basic = explore(rlock.SPEC, PY311, INIT, EXPLORATION_ALPHABET, threads=3, calls_per_thread=3)
    full = explore(rlock.SPEC, PY311, INIT, FULL_EXPLORATION_ALPHABET, threads=3, calls_per_thread=2)
    assert {
        rlock.ACQUIRE_UNLOCKED_TAKES_OWNERSHIP, rlock.ACQUIRE_OWNER_INCREMENTS_LEVEL,
        rlock.ACQUIRE_OTHER_OWNER_BLOCKS,
        rlock.ACQUIRE_NONBLOCKING_RETURNS_FALSE, rlock.ACQUIRE_TIMEOUT_RETURNS_FALSE,
        rlock.ACQUIRE_UNDOCUMENTED_TIMEOUT_RAISES,
        rlock.ACQUIRE_PYTHON_RLOCK_OWNER_SKIPS_CHECKS, rlock.ACQUIRE_PYTHON_RLOCK_REENTRY_RETURNS_1,
        rlock.RELEASE_OWNER_DECREMENTS_LEVEL,
        rlock.RELEASE_FINAL_RELEASE_UNLOCKS,
        rlock.RELEASE_UNLOCKED_RAISES, rlock.RELEASE_NON_OWNER_RAISES, rlock.RELEASE_WAKES_ONE_WAITER,
        rlock.WITH_EXIT_ARGUMENTS,
    } <= basic.clauses | full.clauses


# ---------------------------------------------------------------------------
# The host's CPython RLocks (C and Python classes) agree with the spec
# ---------------------------------------------------------------------------

HOST = profile_for(sys.version)

SEQUENTIAL = [
    call(0, "acquire", False), call(0, "acquire"), call(0, "acquire", timeout=0),
    call(0, "acquire", True, 0.5), call(0, "release"), call(0, "__enter__"),
    call(0, "__exit__", None, None, None), call(0, "__exit__"), call(0, "acquire", timeout=-2),
    call(0, "acquire", False, 1), call(0, "acquire", 1, 2, 3), call(0, "release", 1),
    call(0, "acquire", None),
]


class Worker:
    """A thread that makes the calls of one schedule thread, one at a time."""

    def __init__(self) -> None:
        self.calls: queue.Queue = queue.Queue()
        self.results: queue.Queue = queue.Queue()
        threading.Thread(target=self.run, daemon=True).start()

    def run(self) -> None:
        while (item := self.calls.get()) is not None:
            obj, c = item
            try:
                self.results.put((Returned(getattr(obj, c.op)(*c.args, **c.kw())), ()))
            except Exception as e:
                self.results.put((Raised(type(e).__name__), tuple(k.__name__ for k in type(e).__mro__)))

    def make(self, obj, c):
        """(outcome, exception MRO names) of ``c`` made on ``obj``."""
        self.calls.put((obj, c))
        return self.results.get(timeout=10)

    def close(self) -> None:
        self.calls.put(None)


@pytest.mark.parametrize("kind", ["_CRLock", "_PyRLock"])
@settings(max_examples=150, deadline=None)
@given(schedule=st.lists(st.tuples(st.integers(0, 1), st.sampled_from(SEQUENTIAL)), max_size=8))
def test_host_rlock_classes_agree_with_spec(kind, schedule) -> None:
    """Calls that the spec says complete at once (or through an undecided choice) do so on the
    host's real RLock classes, with an outcome the spec allows; calls that would block are skipped."""
    obj = getattr(threading, kind)()
    workers = [Worker(), Worker()]
    s = fresh(HOST)
    try:
        for t, template in schedule:
            c = call(t, template.op, *template.args, **template.kw())
            r = rlock.invoke(s, c)
            if isinstance(r, Blocked) and not r.state.undecided:
                continue  # would block (or wait for a timeout): not a sequential call
            observed, mro = workers[t].make(obj, c)
            if isinstance(r, Done):
                allowed = [(r.outcome, r.state)]
            else:
                allowed = [(st_.outcome, st_.state) for st_ in rlock.wakeups(r.state) if st_.thread == t]
            matching = [after for outcome, after in allowed if outcome_matches(outcome, observed, mro)]
            assert matching, f"{kind}: {c!r} observed {observed!r}, spec allows {[a for a, _ in allowed]}"
            s = matching[0]
    finally:
        for w in workers:
            w.close()


# ---------------------------------------------------------------------------
# The conformance scenarios make sense under the spec
# ---------------------------------------------------------------------------


def simulate_to_quiescence(spec, profile, scenario) -> set[str]:
    """Run ``scenario`` on the spec alone: every step is made by an idle thread and leads to
    a quiescent configuration; returns the clauses of every transition on the way."""
    created = spec.create(profile, scenario.init)
    clauses = {created.clause}
    if created.state is None:
        assert not scenario.steps
        return clauses
    configs = {(created.state, frozenset())}
    last: dict[int, object] = {}
    for c in scenario.steps:
        last[c.thread] = c
        after = set()
        for s, pending in configs:
            assert c.thread not in pending, f"{scenario.name}: {c!r} made by a blocked thread"
            r = spec.invoke(s, c)
            clauses.add(r.clause)
            after.add((r.state, pending | {c.thread}) if isinstance(r, Blocked) else (r.state, pending))
        seen, todo = set(after), list(after)
        while todo:
            s, pending = todo.pop()
            for step in spec.internal_steps(s):
                if step.thread in pending and step.outcome is not None:
                    clauses.add(step.clause)
                    nxt = (step.state, pending - {step.thread})
                    if nxt not in seen:
                        seen.add(nxt)
                        todo.append(nxt)

        def owes(s, pending) -> bool:
            """A pending thread may be woken, or its (short) timeout has passed."""
            expiring = {st_.thread for st_ in spec.expiries(s) if (spec.timeout(last[st_.thread]) or 0) < 1}
            woken = {st_.thread for st_ in spec.wakeups(s)}
            return bool((woken | expiring) & pending)

        configs = {(s, pending) for s, pending in seen if not owes(s, pending)}
        assert configs, f"{scenario.name}: no quiescent configuration after {c!r}"
    return clauses


def test_scenarios_are_runnable_and_exercise_what_they_cover() -> None:
    from conformance.scenarios import rlock as scenarios

    assert scenarios.FACTORY_ONLY <= {sc.name for sc in scenarios.SCENARIOS}
    # all but the factory-only one and the two 2.7-only ones
    assert len(scenarios.PYTHON_CLASS_SCENARIOS) == len(scenarios.FACTORY_SCENARIOS) - 3
    assert all(sc.since >= (3, 0) for sc in scenarios.PYTHON_CLASS_SCENARIOS)
    specs = {rlock.PRIMITIVE: rlock.SPEC, rlock.PYTHON_CLASS: rlock.PYTHON_CLASS_SPEC}
    helpers.check_scenarios(scenarios.SCENARIOS, specs, simulation=simulate_to_quiescence)


def test_every_rlock_clause_has_a_scenario() -> None:
    from conformance.scenarios import rlock as scenarios

    covered = {c for sc in scenarios.SCENARIOS for c in sc.covers}
    assert {c for c in REGISTRY if c.startswith("RLock.")} == covered
