"""The exit probe: what the ``daemon`` flag means when the program ends.

"The entire Python program exits when no alive non-daemon threads are left": this shows only
when the interpreter finishes, so no agent run can see it. The probe is a short standalone
script, run in a fresh target process, whose main thread starts a daemon thread that blocks
for ever and two non-daemon threads: the first waits for the main thread to finish, pauses
briefly and prints a line; the second waits for the first's line, pauses and prints its own
(so a program that waits for only one of them, the first started, is caught too). A
conforming program prints both lines and then exits.

One-sided like the rest of the checker: a slow machine can only hide a bug, never invent one.
The program is reported as hanging only after ``HANG_SECONDS``; a program that does not wait
for its non-daemon thread is caught only if it is gone before the thread's pause (``PAUSE``)
ends.
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass, field

from conformance.agent_client import target_env
from spec.thread import (
    DAEMON_PROGRAM_EXITS_WHEN_ONLY_DAEMONS_LEFT,
    DAEMON_PROGRAM_WAITS_FOR_NON_DAEMON_THREADS,
)

CLAUSES = (DAEMON_PROGRAM_EXITS_WHEN_ONLY_DAEMONS_LEFT, DAEMON_PROGRAM_WAITS_FOR_NON_DAEMON_THREADS)
"""The clauses only this probe checks."""

HANG_SECONDS = 20.0
"""How long the program may take to exit once its main thread has finished."""

PAUSE = 0.5
"""How long each non-daemon thread pauses (after the main thread, or the first, finished)
before it prints."""

SCHEDULE = ("main: start a daemon Thread blocked for ever; start non-daemon Thread 1 (waits for "
            f"main to finish, {PAUSE} s, prints) and non-daemon Thread 2 (waits for Thread 1's line, "
            f"{PAUSE} s, prints); main finishes")
"""The probe, told as a schedule (in reports)."""

MAIN_DONE = "main thread finished"
NON_DAEMON_DONE = ("first non-daemon thread finished", "second non-daemon thread finished")

_SCRIPT = '''\
import os, sys, time
{paths}
{prelude}
M = __import__({module!r})
try:
    import _thread as _t
except ImportError:
    import thread as _t

forever = _t.allocate_lock()
forever.acquire()
main_done = _t.allocate_lock()
main_done.acquire()


def say(line):
    """One line on stdout at once (Jython has no descriptor 1 for os.write: its stream then)."""
    try:
        os.write(1, line.encode() + b"\\n")
    except OSError:
        sys.stdout.write(line + "\\n")
        sys.stdout.flush()


def daemon_body():
    forever.acquire()  # never returns: the program must not wait for this thread


def first_body():
    main_done.acquire()
    time.sleep({pause!r})  # the interpreter is ending meanwhile: it must wait for this thread
    say({first_done!r})
    first_done.release()


def second_body():
    first_done.acquire()
    time.sleep({pause!r})  # ... and for this one
    say({second_done!r})


first_done = _t.allocate_lock()
first_done.acquire()
d = M.Thread(target=daemon_body)
d.daemon = True
d.start()
for body in (first_body, second_body):
    w = M.Thread(target=body)
    w.daemon = False
    w.start()
say({main_done!r})
main_done.release()
'''


def script(module: str = "threading", paths: tuple[str, ...] = (), prelude: str | None = None,
           header: tuple[str, ...] = (), pause: float = PAUSE) -> str:
    """The probe's text: Python 2.7 and 3.x, standard library only (also the reproducer)."""
    lines = [f"# {h}" for h in header]
    body = _SCRIPT.format(
        paths=f"sys.path[:0] = {list(paths)!r}" if paths else "",
        prelude=prelude or "",
        module=module,
        pause=pause,
        main_done=MAIN_DONE,
        first_done=NON_DAEMON_DONE[0],
        second_done=NON_DAEMON_DONE[1],
    )
    return "\n".join([*lines, body]) if lines else body


@dataclass
class ProbeResult:
    ran: bool = False
    """The probe started its threads (else it says nothing: e.g. the module did not import)."""
    broken: str | None = None
    """The clause the program broke, if it broke one."""
    observed: str = ""
    log: list[str] = field(default_factory=list)
    seconds: float = 0.0


class Running:
    """The probe's process, started and not yet waited for: the check goes on meanwhile (the
    interpreter's start-up, a JVM's seconds on Jython, need not hold the scenarios up)."""

    def __init__(
        self, python: str, module: str = "threading", paths: tuple[str, ...] = (),
        prelude: str | None = None, hang_seconds: float = HANG_SECONDS, pause: float = PAUSE,
    ) -> None:
        env = target_env(paths)  # as for the agent: first even for imports made while starting up
        self.started = time.monotonic()
        self.hang_seconds = hang_seconds
        self.process = subprocess.Popen(
            [python, "-c", script(module, paths, prelude, pause=pause)], stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=env, start_new_session=True)

    def result(self) -> ProbeResult:
        """Wait for the program to exit, at most ``hang_seconds`` after it was started."""
        p = self.process
        left = max(0.0, self.started + self.hang_seconds - time.monotonic())
        try:
            out, err = p.communicate(timeout=left)
            hung = False
        except subprocess.TimeoutExpired:
            # a program that has exited is read to its end, however late this is asked
            hung = p.poll() is None
            if hung:
                p.kill()
            out, err = p.communicate()
        return _judge(p.returncode, out, err, hung, self.hang_seconds, time.monotonic() - self.started)


def run(python: str, module: str = "threading", paths: tuple[str, ...] = (),
        prelude: str | None = None, hang_seconds: float = HANG_SECONDS, pause: float = PAUSE) -> ProbeResult:
    """Run the probe under ``python``; ``paths`` go first on its import path."""
    return Running(python, module, paths, prelude, hang_seconds, pause).result()


def _judge(returncode: int | None, out: bytes, err: bytes, hung: bool, hang_seconds: float,
           seconds: float) -> ProbeResult:
    res = ProbeResult(seconds=seconds)
    lines = out.decode(errors="replace").splitlines()
    tail = err.decode(errors="replace").strip().splitlines()[-3:]
    res.log = [f"stdout: {line}" for line in lines] + [f"stderr: {line}" for line in tail]
    if MAIN_DONE not in lines:
        # the probe never got going (import error, crash): not this clause's business
        res.log.append(f"exit status {returncode}; the probe did not start its threads")
        return res
    res.ran = True
    printed = [line for line in NON_DAEMON_DONE if line in lines]
    if hung:
        res.broken = DAEMON_PROGRAM_EXITS_WHEN_ONLY_DAEMONS_LEFT
        res.observed = (f"the program had not exited {hang_seconds:.0f} s after its main thread finished "
                        f"({len(printed)} of its 2 non-daemon threads had finished); only a daemon thread, "
                        "blocked for ever, was left")
    elif len(printed) < len(NON_DAEMON_DONE):
        res.broken = DAEMON_PROGRAM_WAITS_FOR_NON_DAEMON_THREADS
        res.observed = (f"the program exited (status {returncode}) while {2 - len(printed)} of its 2 "
                        "non-daemon threads were still alive: they never printed their lines")
    return res
