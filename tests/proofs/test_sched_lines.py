"""Line switches: every line of the module under test is a switch point (CHESS-style, with a
preemption bound), so that a window of a few lines inside threading.py is reachable."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest

from proofs.sched import End, Env, explore, replay

if sys.version_info[:2] != (3, 11) or sys.implementation.name != "cpython":
    pytest.skip("line switches are implemented for CPython 3.11 only", allow_module_level=True)

HOST = Path(threading.__file__)


@pytest.fixture
def start_does_not_wait(tmp_path: Path) -> Path:
    """The host's threading.py, changed at test time so that ``Thread.start()`` returns without
    waiting for the new thread to be running (its ident may still be None)."""
    source = HOST.read_text()
    broken = source.replace("            raise\n        self._started.wait()\n", "            raise\n", 1)
    assert broken != source
    (tmp_path / "threading.py").write_text(broken)
    return tmp_path


def ident_after_start(env: Env) -> None:
    t = env.threading.Thread(target=lambda: None)
    t.start()
    assert t.ident is not None, "start() returned before the thread set its ident"


def test_a_window_between_two_lines_is_found_only_with_line_switches(start_does_not_wait: Path) -> None:
    coarse = explore(ident_after_start, module="threading", path=start_does_not_wait)
    assert coarse.ok  # no _thread call separates the new thread's first lines from start()'s return
    fine = explore(ident_after_start, module="threading", path=start_does_not_wait, line_switches=True,
                   preemption_bound=1)
    assert not fine.ok and "set its ident" in fine.failures[0].message
    run = replay(ident_after_start, fine.failures[0].schedule, module="threading", path=start_does_not_wait,
                 line_switches=True)
    assert run.end is End.FAILED and any("line" in step for step in run.trace)


def test_the_hosts_threading_py_holds_with_line_switches() -> None:
    tracer = sys.gettrace()
    result = explore(ident_after_start, module="threading", line_switches=True, preemption_bound=1)
    assert result.ok and result.complete and result.schedules > 10
    assert sys.gettrace() is tracer  # put back after every run


def test_impl_holds_with_line_switches() -> None:
    def program(env: Env) -> object:
        event = env.threading.Event()
        got: list[bool] = []
        env.spawn(lambda: got.append(event.wait()))
        env.spawn(event.set)
        return lambda: tuple(got)

    result = explore(program, line_switches=True, preemption_bound=1)
    assert result.ok and result.complete and set(result.outcomes) == {(True,)} and not result.deadlocks
