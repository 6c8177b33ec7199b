"""The exit probe runs while the scenarios run (a JVM's start-up need not hold them up): asked
for its result late, after its program has exited, it is not taken for a hang."""

from __future__ import annotations

import sys

from conformance import exit_probe


def test_a_result_asked_late_of_a_program_that_exited_is_no_hang() -> None:
    running = exit_probe.Running(sys.executable, hang_seconds=5.0, pause=0.0)
    running.process.wait(timeout=60)
    running.started -= 60.0  # as if the scenarios had taken the whole budget meanwhile
    res = running.result()
    assert res.ran and res.broken is None, res.log


def test_a_program_still_running_after_its_time_is_a_hang() -> None:
    # a module whose Thread never lets the program end: a non-daemon thread blocked for ever
    running = exit_probe.Running(
        sys.executable, prelude="import threading, time\n"
        "threading.Thread(target=threading.Event().wait).start()", hang_seconds=2.0, pause=0.0,
    )
    res = running.result()
    assert res.ran and res.broken == exit_probe.DAEMON_PROGRAM_EXITS_WHEN_ONLY_DAEMONS_LEFT, res.log
