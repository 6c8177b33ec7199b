"""Races inside impl found by the deterministic scheduler with a switch at every line, or every
bytecode instruction, of impl.

Condition.wait used to mark a sleeper that woke on its own (a timeout) by replacing its
record in ``_sleepers`` (``sleepers[sleepers.index(record)] = awake``) *before* taking the
lock back, while another thread, holding the lock, removed its own record from the same
list: the index went stale (IndexError, or another sleeper's record overwritten), the
exception left ``wait`` without the lock, and a Barrier built on it then raised "cannot
notify on un-acquired lock". Found by the test vectors (``Barrier.wait(nan)``, 2 runs in
300 with real threads). The window lies inside one line (between ``index`` and the item
store), so line switches cannot reach it at any preemption bound; switches at every
instruction (``opcode_switches``) reach it with one preemption when both sleepers block and
time out (a timeout expiring is a scheduling choice, so parking costs no preemption).
"""

from __future__ import annotations

import sys
from typing import Any

import pytest

from proofs.sched import End, Env, explore, replay

if sys.version_info[:2] != (3, 11) or sys.implementation.name != "cpython":
    pytest.skip("line switches are implemented for CPython 3.11 only", allow_module_level=True)


def two_sleepers(timeout: float, old_wait: bool = False) -> Any:
    """Two threads each ``wait(timeout)`` on one Condition: both time out, each removes its record.
    With ``old_wait`` the Condition is a subclass whose ``wait`` is the one before the fix."""

    def program(env: Env) -> object:
        cls = _with_old_wait(env) if old_wait else env.threading.Condition
        cond = cls(env.threading.Lock())
        results: list[bool] = []
        env.touch(results)

        def sleeper() -> None:
            with cond:
                results.append(cond.wait(timeout))

        a, b = env.spawn(sleeper), env.spawn(sleeper)
        a.join()
        b.join()
        return lambda: (tuple(results), len(cond._sleepers), cond._lock.locked())

    return program


TIMED_OUT = ((False, False), 0, False)
"""Both waits returned False, no record is left, the lock is free."""


def test_wait_timeouts_of_two_sleepers_never_break_the_condition_line_switches() -> None:
    """(Also the reproduction of a scheduler bug: a reused greenlet ran its lines untraced.)"""
    result = explore(two_sleepers(0), line_switches=True, preemption_bound=1)
    assert result.complete and result.schedules > 10
    assert result.ok, [f.message for f in result.failures[:3]]
    assert set(result.outcomes) == {TIMED_OUT}


def test_wait_timeouts_of_two_sleepers_never_break_the_condition_opcode_switches() -> None:
    result = explore(two_sleepers(0.5), opcode_switches=True, preemption_bound=1)
    assert result.complete and result.schedules > 1000
    assert result.ok, [f.message for f in result.failures[:3]]
    assert set(result.outcomes) == {TIMED_OUT}


def test_the_wait_before_the_fix_is_found_and_replays() -> None:
    program = two_sleepers(0.5, old_wait=True)
    result = explore(program, opcode_switches=True, preemption_bound=1, stop_on_failure=True)
    assert not result.ok
    assert TIMED_OUT in result.outcomes  # most schedules are fine: the window is one instruction wide
    report = result.failures[0]
    assert "release unlocked lock" in report.message or "IndexError" in report.message, report
    run = replay(program, report.schedule, opcode_switches=True)
    assert run.end is End.FAILED and run.schedule == report.schedule
    assert any("STORE_SUBSCR" in step and "old_wait" in step for step in run.trace)  # the stale store
    lines = explore(program, line_switches=True, preemption_bound=1)
    assert lines.ok and lines.complete  # the window is inside one line: no line switch reaches it


OLD_WAIT = '''
def old_wait(self, timeout=None):
    if not self._is_owned():
        raise RuntimeError("cannot wait on un-acquired lock")
    sleeper = new_lock()
    sleeper.acquire()
    self._waiters.append(sleeper)
    saved = self._release_save()
    record = (sleeper, get_ident(), timeout, saved, False)
    self._sleepers.append(record)
    notified = False
    try:
        if timeout is None:
            notified = sleeper.acquire()
        elif timeout > 0:
            notified = sleeper.acquire(True, timeout)
        else:
            notified = sleeper.acquire(False)
        return notified
    finally:
        if not notified:  # the race: the record replaced by index, without the lock
            sleepers = self._sleepers
            awake = (*record[:4], True)
            sleepers[sleepers.index(record)] = awake
            record = awake
        self._acquire_restore(saved)
        self._sleepers.remove(record)
        if not notified:
            try:
                self._waiters.remove(sleeper)
            except ValueError:
                pass
'''
"""``Condition.wait`` as it was before the fix (impl/condition.py, the commit before 9d99d05),
records as tuples replaced by index, written again here."""


def _with_old_wait(env: Env) -> Any:
    """A subclass of the loaded copy's Condition whose ``wait`` is ``OLD_WAIT``, compiled under
    impl/condition.py's file name so that its lines and instructions are switch points too (the
    loaded module itself is left unchanged: nothing to reload after a run)."""
    module = env.modules["impl.condition"]
    namespace = dict(vars(module))
    exec(compile(OLD_WAIT, module.__file__ or "", "exec"), namespace)  # noqa: S102 - our own source
    return type("OldCondition", (module.Condition,), {"wait": namespace["old_wait"]})
