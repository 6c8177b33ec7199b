"""impl in a whole process: interpreter exit, Ctrl-C, fork. Each test runs a child interpreter.

Every installed interpreter among 3.11, 3.12 and 3.13 is tried, importing impl
from the source tree. Nothing sleeps: the child reports through its output,
and the parent waits for the child's main thread to be blocked by watching
``/proc`` before it sends a signal.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.impl.conftest import NEVER_EXPIRING_TIMEOUT, child_env


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


def test_non_daemon_thread_keeps_python_c_alive_until_it_finishes(python: str) -> None:
    """The parent lets the worker finish only after the child's main code has ended."""
    code = textwrap.dedent("""\
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
    "Thread.join()": """\
        never = impl.Lock(); never.acquire()
        t = impl.Thread(target=never.acquire, daemon=True); t.start()
        block = t.join
    """,
    "Lock.acquire()": """\
        lock = impl.Lock(); lock.acquire()
        block = lock.acquire
    """,
    "RLock.acquire()": """\
        lock = impl.RLock()
        t = impl.Thread(target=lock.acquire); t.start(); t.join()
        block = lock.acquire
    """,
    "Condition.wait()": """\
        cond = impl.Condition(); cond.acquire()
        block = cond.wait
    """,
    "Event.wait()": """\
        block = impl.Event().wait
    """,
    "Semaphore.acquire()": """\
        block = impl.Semaphore(0).acquire
    """,
}


def _blocked_in_a_futex_wait(pid: int) -> bool:
    """Is the process's main thread asleep in the kernel, waiting on a lock (a futex)?"""
    task = Path(f"/proc/{pid}/task/{pid}")
    try:
        state = (task / "stat").read_text().rsplit(")", 1)[1].split()[0]
        wchan = (task / "wchan").read_text()
    except OSError:
        return False
    return state == "S" and "futex" in wchan


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("module", ["impl", "threading"])
@pytest.mark.parametrize("call", sorted(BLOCKING_CALLS))
def test_sigint_interrupts_a_blocking_call(python: str, call: str, module: str) -> None:
    code = "import impl\n" + textwrap.dedent(BLOCKING_CALLS[call]).replace("impl.", f"{module}.")
    code = "import threading\n" + code + textwrap.dedent("""\
        print("blocking", flush=True)
        try:
            block()
        except KeyboardInterrupt:
            print("KeyboardInterrupt", flush=True)
    """)
    p = subprocess.Popen(
        [python, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=child_env()
    )
    assert p.stdout is not None
    assert p.stdout.readline() == "blocking\n"
    deadline = time.monotonic() + NEVER_EXPIRING_TIMEOUT
    while not _blocked_in_a_futex_wait(p.pid):  # a quiescence wait: the child is blocked
        assert time.monotonic() < deadline and p.poll() is None
        time.sleep(0)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=NEVER_EXPIRING_TIMEOUT)
    assert out == "KeyboardInterrupt\n", err
    assert p.returncode == 0, err


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


def python_version(python: str) -> tuple[int, int]:
    out = subprocess.run([python, "-c", "import sys; print(*sys.version_info[:2])"], capture_output=True,
                         text=True, check=True).stdout.split()
    return int(out[0]), int(out[1])
