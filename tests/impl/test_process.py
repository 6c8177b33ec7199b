"""impl in a whole process: interpreter exit, Ctrl-C, fork. Each test runs a child interpreter.

Each of 3.11, 3.12 and 3.13 is tried (skipped, saying so, if not installed),
importing impl from the source tree. Nothing sleeps: the child reports through
its output, and the parent waits for the child's main thread to be blocked by
watching ``/proc`` before it sends a signal. Ctrl-C is compared with CPython's
``threading`` in the same interpreter.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conformance.timeouts import NEVER_EXPIRING_TIMEOUT
from tests.impl.conftest import INTERPRETERS, child_env

VERSIONS = ("3.11", "3.12", "3.13")


@pytest.fixture(params=VERSIONS)
def python(request: pytest.FixtureRequest) -> str:
    """Path of the interpreter of each version in ``VERSIONS``; the test is skipped if it is absent."""
    if request.param not in INTERPRETERS:
        pytest.skip(f"Python {request.param} is not installed (no pyenv versions/{request.param}.*)")
    return INTERPRETERS[request.param]


def default_sigint() -> None:
    """In a child, before ``exec``: SIGINT as Python expects it, even if ours is ignored.

    A shell starts a background job with SIGINT ignored, and a child inherits
    that: its Python would then install no KeyboardInterrupt handler at all.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run(python: str, code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [python, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=child_env(),
        timeout=NEVER_EXPIRING_TIMEOUT,
    )


IMPORTS = {
    "import impl": "import impl\n",
    "impl installed as threading": """\
        import sys, impl
        sys.modules["threading"] = impl
        import threading
        assert threading is impl
    """,
}


@pytest.mark.parametrize("how", sorted(IMPORTS))
def test_non_daemon_thread_keeps_the_program_alive(python: str, how: str) -> None:
    code = textwrap.dedent(IMPORTS[how]) + textwrap.dedent("""\
        import atexit, impl
        shutdown_began = impl.Event()
        def worker():
            shutdown_began.wait()      # only set once the main thread has finished
            print("worker done", flush=True)
        impl.Thread(target=worker).start()
        impl._register_atexit(lambda: (print("shutdown began", flush=True), shutdown_began.set()))
        atexit.register(lambda: print("atexit handlers", flush=True))
        print("main done", flush=True)
    """)
    p = run(python, code)
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines() == ["main done", "shutdown began", "worker done", "atexit handlers"]


@pytest.mark.parametrize("how", sorted(IMPORTS))
def test_non_daemon_thread_keeps_python_c_alive_until_it_finishes(python: str, how: str) -> None:
    """The parent lets the worker finish only after the child's main code has ended."""
    code = textwrap.dedent(IMPORTS[how]) + textwrap.dedent("""\
        import sys, impl
        def worker():
            line = sys.stdin.readline()
            print("worker read", line.strip(), flush=True)
        impl.Thread(target=worker).start()
        print("main done", flush=True)
    """)
    p = subprocess.Popen(
        [python, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=child_env()
    )
    assert p.stdout is not None and p.stdin is not None
    assert p.stdout.readline() == "main done\n"
    p.stdin.write("go\n")
    p.stdin.flush()
    assert p.stdout.read() == "worker read go\n"
    assert p.wait(NEVER_EXPIRING_TIMEOUT) == 0


def test_daemon_thread_does_not_keep_the_program_alive(python: str) -> None:
    p = run(python, """\
        import impl
        never = impl.Lock()
        never.acquire()
        impl.Thread(target=never.acquire, daemon=True).start()
        print("main done", flush=True)
    """)
    assert p.returncode == 0, p.stderr
    assert p.stdout == "main done\n"


def test_uncaught_exception_in_thread_is_printed_and_program_continues(python: str) -> None:
    p = run(python, """\
        import impl
        t = impl.Thread(target=lambda: 1 / 0, name="Doomed")
        t.start()
        t.join()
        print("still here", flush=True)
    """)
    assert p.returncode == 0
    assert p.stdout == "still here\n"
    assert p.stderr.startswith("Exception in thread Doomed:\nTraceback (most recent call last):\n")
    assert p.stderr.rstrip().endswith("ZeroDivisionError: division by zero")


# ---------------------------------------------------------------------------
# Ctrl-C
# ---------------------------------------------------------------------------

BLOCKING_CALLS = {
    # call: (code that sets ``block``, code run after the interrupt that sets ``state``)
    "Thread.join()": (
        """\
        never = impl.Lock(); never.acquire()
        t = impl.Thread(target=never.acquire, daemon=True); t.start()
        block = t.join
        """,
        "state = t.is_alive()",
    ),
    "Lock.acquire()": (
        """\
        lock = impl.Lock(); lock.acquire()
        block = lock.acquire
        """,
        "state = lock.locked(), lock.acquire(False)",
    ),
    "RLock.acquire()": (
        """\
        lock = impl.RLock()
        t = impl.Thread(target=lock.acquire); t.start(); t.join()
        block = lock.acquire
        """,
        "state = lock.acquire(False)",
    ),
    "Condition.wait()": (
        """\
        cond = impl.Condition(); cond.acquire()
        block = cond.wait
        """,
        "cond.release(); state = 'held'  # release() raises unless the interrupted wait took the lock back",
    ),
    "Event.wait()": (
        """\
        event = impl.Event()
        block = event.wait
        """,
        "state = event.is_set()",
    ),
    "Semaphore.acquire()": (
        """\
        sem = impl.Semaphore(0)
        block = sem.acquire
        """,
        "sem.release(); state = sem.acquire(False), sem.acquire(False)  # the release is not lost",
    ),
    "Barrier.wait()": (
        """\
        barrier = impl.Barrier(2)
        block = barrier.wait
        """,
        "state = barrier.broken",
    ),
}


def _threads_of(pid: int) -> list[tuple[int, str, str]]:
    """``(tid, state, wchan)`` of each thread of a process, from ``/proc``."""
    found: list[tuple[int, str, str]] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found  # the process is gone
    for task in tasks:
        try:
            state = (task / "stat").read_text().rsplit(")", 1)[1].split()[0]
            wchan = (task / "wchan").read_text()
        except OSError:
            continue
        found.append((int(task.name), state, wchan))
    return found


def _main_thread_blocked_on_a_lock(pid: int) -> bool:
    """Is the process's main thread asleep on a lock (a futex), and no thread of it running?

    A main thread asleep on a futex could also be waiting for the GIL; but then
    another thread would hold the GIL, and so not be asleep.
    """
    threads = _threads_of(pid)
    return any(tid == pid and "futex" in wchan for tid, _, wchan in threads) and all(
        state == "S" for _, state, _ in threads
    )


def _wait_until_blocked(p: subprocess.Popen[str]) -> None:
    """A quiescence wait: return once the child's main thread is blocked (``/proc`` says so)."""
    deadline = time.monotonic() + NEVER_EXPIRING_TIMEOUT
    while not _main_thread_blocked_on_a_lock(p.pid):
        assert time.monotonic() < deadline and p.poll() is None, "the child never blocked"
        time.sleep(0)  # a yield, not a timed sleep


def interrupt_blocking_call(python: str, call: str, module: str) -> tuple[list[str], int, str]:
    """Run ``call`` of ``module`` in a child's main thread, SIGINT it once blocked: (stdout, rc, stderr)."""
    setup, after = BLOCKING_CALLS[call]
    code = f"import {module}\n" + textwrap.dedent(setup).replace("impl.", f"{module}.")
    code += textwrap.dedent("""\
        print("blocking", flush=True)
        try:
            block()
        except KeyboardInterrupt:
            print("KeyboardInterrupt", flush=True)
        """)
    code += after + "\nprint(state, flush=True)\n"
    p = subprocess.Popen(
        [python, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
        preexec_fn=default_sigint,
    )
    assert p.stdout is not None
    assert p.stdout.readline() == "blocking\n"
    _wait_until_blocked(p)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=NEVER_EXPIRING_TIMEOUT)
    return out.splitlines(), p.returncode, err


needs_proc = pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")

JOIN_INTERRUPT_FIXED_IN = (3, 13)
"""CPython before 3.13 (gh-90882, bpo-46726): a ``join()`` interrupted while the thread runs marks
the thread stopped, so ``is_alive()`` is False although it still runs, and the interpreter's exit
no longer waits for it. impl does what the documentation says (and 3.13 does): the thread stays
alive, and a non-daemon one keeps the program alive."""


@needs_proc
@pytest.mark.parametrize("call", sorted(BLOCKING_CALLS))
def test_sigint_interrupts_a_blocking_call_as_in_threading(python: str, call: str) -> None:
    """Ctrl-C in the main thread, blocked in ``call``: KeyboardInterrupt there, and the same state after."""
    reference = interrupt_blocking_call(python, call, "threading")
    seen = interrupt_blocking_call(python, call, "impl")
    assert reference[0][0] == "KeyboardInterrupt" and reference[1] == 0, reference[2]
    if call == "Thread.join()" and python_version(python) < JOIN_INTERRUPT_FIXED_IN:
        assert reference[:2] == (["KeyboardInterrupt", "False"], 0), reference[2]  # gh-90882
        assert seen[:2] == (["KeyboardInterrupt", "True"], 0), seen[2]
    else:
        assert seen[:2] == reference[:2], seen[2]


def interrupt_join_of_non_daemon_thread(python: str, module: str) -> tuple[list[str], str, int]:
    """Ctrl-C in ``join()`` of a non-daemon thread, which ends only after that: (stdout, stderr's end, rc)."""
    code = textwrap.dedent(f"""\
        import sys, {module}
        def worker():
            line = sys.stdin.readline()
            print("worker read", line.strip(), flush=True)
        t = {module}.Thread(target=worker); t.start()
        print("joining", flush=True)
        t.join()
        print("not reached", flush=True)
        """)
    p = subprocess.Popen(
        [python, "-c", code],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
        preexec_fn=default_sigint,
    )
    assert p.stdin is not None and p.stdout is not None and p.stderr is not None
    assert p.stdout.readline() == "joining\n"
    _wait_until_blocked(p)
    p.send_signal(signal.SIGINT)
    # The KeyboardInterrupt escapes: its traceback is printed, then the interpreter exits,
    # which means waiting for the worker, which waits for us.
    stderr = []
    while not (stderr and stderr[-1].startswith("KeyboardInterrupt")):
        line = p.stderr.readline()
        assert line, f"the child's stderr ended: {stderr}"
        stderr.append(line)
    try:
        p.stdin.write("go\n")
        p.stdin.close()
    except BrokenPipeError:
        pass  # the child exited without waiting for the worker: the output below shows it
    out = p.stdout.read()
    p.wait(NEVER_EXPIRING_TIMEOUT)
    return ["joining", *out.splitlines()], stderr[-1].strip(), p.returncode


@needs_proc
@pytest.mark.parametrize("module", ["impl", "threading"])
def test_sigint_in_join_of_a_non_daemon_thread_then_exit_still_waits_for_it(python: str, module: str) -> None:
    """The KeyboardInterrupt escapes ``join()``, the program exits by it, but only once the thread is over."""
    if module == "threading" and python_version(python) < JOIN_INTERRUPT_FIXED_IN:
        pytest.skip("CPython's threading before 3.13 forgets the thread (gh-90882); impl does not")
    seen = interrupt_join_of_non_daemon_thread(python, module)
    assert seen == (["joining", "worker read go"], "KeyboardInterrupt", -signal.SIGINT)


# ---------------------------------------------------------------------------
# fork
# ---------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="needs fork")
def test_after_fork_only_the_forking_thread_is_alive(python: str) -> None:
    p = run(python, """\
        import os, warnings, impl
        warnings.simplefilter("ignore", DeprecationWarning)  # 3.12+: fork with threads
        never = impl.Lock(); never.acquire()
        other = impl.Thread(target=never.acquire, daemon=True); other.start()
        results = {}
        def fork():
            pid = os.fork()
            if pid == 0:
                me = impl.current_thread()
                ok = [impl.active_count() == 1, impl.main_thread() is me, not other.is_alive(),
                      impl.enumerate() == [me], me.ident == impl.get_ident()]
                t = impl.Thread(target=lambda: None); t.start(); t.join()
                os._exit(0 if all(ok) and not t.is_alive() else 1)
            results["status"] = os.waitpid(pid, 0)[1]
        forker = impl.Thread(target=fork); forker.start(); forker.join()
        print(results["status"], flush=True)
    """)
    assert p.returncode == 0, p.stderr
    assert p.stdout == "0\n"


def test_impl_imported_from_another_thread(python: str) -> None:
    """Importing impl first in a thread that is not the main one works, and exit is clean."""
    p = run(python, """\
        import _thread, sys
        done = _thread.allocate_lock(); done.acquire()
        seen = {}
        def import_impl():
            import impl
            seen["main"] = impl.main_thread().ident
            seen["current"] = impl.current_thread().ident
            done.release()
        _thread.start_new_thread(import_impl, ())
        done.acquire()
        import impl
        print(seen["main"] == _thread.get_ident(), impl.current_thread() is impl.main_thread())
    """)
    assert p.returncode == 0, p.stderr
    # 3.13 asks _thread for the main thread; before, the thread importing first is taken as main
    # (as CPython's threading does), and the real main thread gets a dummy thread.
    assert p.stdout == ("True True\n" if python_version(python) >= (3, 13) else "False False\n")


def test_exit_is_clean_with_a_replaced__thread_lacking__is_main_interpreter(python: str) -> None:
    """A ``_thread`` put in place by a library may lack ``_is_main_interpreter``: as on 3.12, exit works."""
    p = run(python, """\
        import sys, types, _thread
        import threading  # first: on 3.13, CPython's own threading cannot be imported without it
        replacement = types.ModuleType("_thread")
        replacement.__dict__.update(vars(_thread))
        replacement.__dict__.pop("_is_main_interpreter", None)
        sys.modules["_thread"] = replacement
        import impl
        t = impl.Thread(target=print, args=("thread ran",)); t.start()
        """)
    assert (p.returncode, p.stdout, p.stderr) == (0, "thread ran\n", "")


def python_version(python: str) -> tuple[int, int]:
    out = subprocess.run([python, "-c", "import sys; print(*sys.version_info[:2])"], capture_output=True,
                         text=True, check=True).stdout.split()
    return int(out[0]), int(out[1])
