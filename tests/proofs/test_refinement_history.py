"""A recorded history goes through the checker: allowed ones pass, others say what broke."""

from __future__ import annotations

from proofs.refinement_history import Completed, Event, Invoked, Recorder, check_history, describe
from proofs.refinement_subjects import SUBJECTS, Subject
from spec import event as spec_event
from spec import lock as spec_lock
from spec.profiles import PY311
from spec.values import Raised, Returned, call

INIT = call(0, "__init__")


def test_two_holders_of_one_lock_is_a_violation() -> None:
    a, b = call(0, "acquire"), call(1, "acquire")
    ok: list[Event] = [Invoked(a, 0), Completed(0, Returned(True), (), 0), Invoked(b, 0)]
    assert check_history(spec_lock.SPEC, PY311, INIT, ok, 0) is None  # t1 blocked: allowed
    bad: list[Event] = [*ok, Completed(1, Returned(True), (), 0)]
    problem = check_history(spec_lock.SPEC, PY311, INIT, bad, 0)
    assert problem is not None and "unexpected-outcome" in problem and "t1" in problem


def test_a_waiter_left_blocked_after_set_is_owed_a_completion() -> None:
    w, s = call(0, "wait"), call(1, "set")
    events: list[Event] = [Invoked(w, 0), Invoked(s, 0), Completed(1, Returned(None), (), 0)]
    problem = check_history(spec_event.SPEC, PY311, INIT, events, 0)
    assert problem is not None and "missing-completion" in problem
    assert "never returns" in describe(events)


def test_a_timeout_may_not_end_a_wait_before_its_time() -> None:
    w = call(0, "wait", 0.05)
    early: list[Event] = [Invoked(w, 0), Completed(0, Returned(False), (), 0.01)]
    assert "early-timeout" in (check_history(spec_event.SPEC, PY311, INIT, early, 0.01) or "")
    on_time: list[Event] = [Invoked(w, 0), Completed(0, Returned(False), (), 0.05)]
    assert check_history(spec_event.SPEC, PY311, INIT, on_time, 0.05) is None


def test_the_recorder_summarises_outcomes_as_the_agent_does() -> None:
    import impl

    recorder = Recorder(lambda: 1.5, impl)
    lock = impl.Lock()
    recorder.run(lock, [call(0, "acquire", False), call(0, "release"), call(0, "release")])
    outcomes = [e.outcome for e in recorder.events if isinstance(e, Completed)]
    assert outcomes == [Returned(True), Returned(None), Raised("RuntimeError")]
    last = recorder.events[-1]
    assert isinstance(last, Completed) and "RuntimeError" in last.names and last.t == 1.5
    assert check_history(spec_lock.SPEC, PY311, INIT, recorder.events, 1.5) is None


def _subject(name: str) -> Subject:
    return next(s for s in SUBJECTS if s.name == name)


def test_programs_cover_the_bound_up_to_thread_symmetry() -> None:
    lock = _subject("Lock")
    programs = list(lock.programs())
    # 4 calls, 2 per thread: 16 sequences; unordered pairs with repetition: 16 * 17 / 2
    assert len(programs) == 136 and len(set(programs)) == 136
    assert all(c.thread == k for p in programs for k, calls in enumerate(p) for c in calls)
    condition = _subject("Condition")
    first = next(condition.programs())
    assert [c.op for c in first[0]] == ["acquire", "wait", "release"] * 2
