"""Seeded bugs in CPython 3.11's Thread, Timer and module functions (Lib/threading.py).

Each entry is ``(id, description, old_text, new_text)``: ``old_text`` occurs exactly once in
3.11's threading.py and ``new_text`` is a one-place change. The scenarios of
``conformance/scenarios/thread.py`` observe every one of them.
"""

from __future__ import annotations

MUTANTS: list[tuple[str, str, str, str]] = [
    (
        "thread-start-twice-allowed",
        "start() no longer refuses a second call: it starts another thread of control",
        "        if self._started.is_set():\n"
        '            raise RuntimeError("threads can only be started once")\n',
        '        if False:\n            raise RuntimeError("threads can only be started once")\n',
    ),
    (
        "thread-join-before-start-allowed",
        "join() of a thread never started is not refused (it then fails an assertion instead)",
        "        if not self._started.is_set():\n"
        '            raise RuntimeError("cannot join thread before it is started")\n',
        '        if False:\n            raise RuntimeError("cannot join thread before it is started")\n',
    ),
    (
        "thread-join-ignores-timeout",
        "join(timeout) waits until the thread ends, whatever the timeout",
        "            self._wait_for_tstate_lock(timeout=max(timeout, 0))\n",
        "            self._wait_for_tstate_lock()\n",
    ),
    (
        "thread-join-negative-timeout-blocks",
        "a negative join timeout is passed on as is, where -1 means: wait without limit",
        "            self._wait_for_tstate_lock(timeout=max(timeout, 0))\n",
        "            self._wait_for_tstate_lock(timeout=timeout)\n",
    ),
    (
        "thread-is-alive-before-start-asserts",
        "is_alive() no longer checks that the thread was started",
        "        if self._is_stopped or not self._started.is_set():\n            return False\n",
        "        if self._is_stopped:\n            return False\n",
    ),
    (
        "thread-daemon-settable-after-start",
        "the daemon flag can be changed after start()",
        "        if self._started.is_set():\n"
        '            raise RuntimeError("cannot set daemon status of active thread")\n',
        '        if False:\n            raise RuntimeError("cannot set daemon status of active thread")\n',
    ),
    (
        "thread-daemon-by-default",
        "a thread made by a non-daemon thread is a daemon unless told otherwise",
        "            self._daemonic = current_thread().daemon\n",
        "            self._daemonic = True\n",
    ),
    (
        "thread-name-not-a-string",
        "assigning the name stores the value as given instead of str(value)",
        "        self._name = str(name)\n",
        "        self._name = name\n",
    ),
    (
        "thread-never-leaves-active",
        "a thread that ends stays in the table active_count() and enumerate() read",
        "            del _active[get_ident()]\n            # There must not be any python code",
        "            _active.get(get_ident())\n            # There must not be any python code",
    ),
    (
        "thread-never-enters-active",
        "a started thread leaves _limbo without entering _active: it is never counted",
        "                _active[self._ident] = self\n                del _limbo[self]\n",
        "                del _limbo[self]\n",
    ),
    (
        "thread-excepthook-not-called",
        "an exception escaping run() is dropped instead of handed to threading.excepthook",
        "            except:\n                self._invoke_excepthook(self)\n",
        "            except:\n                pass\n",
    ),
    (
        "thread-run-keeps-target",
        "run() keeps the target, so a second run() calls it again",
        "            del self._target, self._args, self._kwargs\n",
        "            pass\n",
    ),
    (
        "module-gettrace-returns-profile-hook",
        "gettrace() returns the profile hook",
        '    """Get the trace function as set by threading.settrace()."""\n    return _trace_hook\n',
        '    """Get the trace function as set by threading.settrace()."""\n    return _profile_hook\n',
    ),
    (
        "module-activecount-no-warning",
        "activeCount() no longer emits its DeprecationWarning",
        "    warnings.warn('activeCount() is deprecated, use active_count() instead',\n"
        "                  DeprecationWarning, stacklevel=2)\n",
        "",
    ),
    (
        "timer-cancel-ignored",
        "cancel() does not stop a waiting timer",
        '        """Stop the timer if it hasn\'t finished yet."""\n        self.finished.set()\n',
        '        """Stop the timer if it hasn\'t finished yet."""\n',
    ),
    (
        "timer-calls-after-cancel",
        "a timer calls its function even when cancelled during the wait",
        "        if not self.finished.is_set():\n            self.function(*self.args, **self.kwargs)\n",
        "        if True:\n            self.function(*self.args, **self.kwargs)\n",
    ),
    (
        "timer-drops-arguments",
        "a timer calls its function without its args and kwargs",
        "            self.function(*self.args, **self.kwargs)\n",
        "            self.function()\n",
    ),
    (
        "timer-does-not-wait",
        "a timer calls its function at once instead of waiting for the interval",
        "        self.finished.wait(self.interval)\n",
        "        pass\n",
    ),
    (
        "thread-start-does-not-wait",
        "start() returns before the new thread has started: it may not be alive yet, have no "
        "ident, and refuse join()",
        "        self._started.wait()\n",
        "",
    ),
    (
        "thread-is-alive-never-notices-the-end",
        "is_alive() no longer looks whether the thread has ended: True until a join()",
        "        self._wait_for_tstate_lock(False)\n        return not self._is_stopped\n",
        "        return not self._is_stopped\n",
    ),
    (
        "thread-join-current-thread-allowed",
        "join() of the current thread is not refused: the thread waits for itself forever",
        "        if self is current_thread():\n"
        '            raise RuntimeError("cannot join current thread")\n',
        '        if False:\n            raise RuntimeError("cannot join current thread")\n',
    ),
    (
        "thread-run-drops-kwargs",
        "run() calls the target without its keyword arguments",
        "                self._target(*self._args, **self._kwargs)\n",
        "                self._target(*self._args)\n",
    ),
    (
        "thread-run-args-not-unpacked",
        "run() passes the args tuple as one argument",
        "                self._target(*self._args, **self._kwargs)\n",
        "                self._target(self._args, **self._kwargs)\n",
    ),
    (
        "thread-ident-set-at-construction",
        "a thread that was never started already has an ident (its creator's)",
        "        self._ident = None\n",
        "        self._ident = get_ident()\n",
    ),
    (
        "thread-excepthook-args-without-thread",
        "excepthook is told no thread raised the exception",
        "            args = ExceptHookArgs([*sys_exc_info(), thread])\n",
        "            args = ExceptHookArgs([*sys_exc_info(), None])\n",
    ),
    (
        "thread-excepthook-args-without-traceback",
        "excepthook gets no traceback",
        "            args = ExceptHookArgs([*sys_exc_info(), thread])\n",
        "            args = ExceptHookArgs([*sys_exc_info()[:2], None, thread])\n",
    ),
    (
        "thread-excepthook-assigned-later-ignored",
        "a thread calls the excepthook in place when it was created, not the one assigned since",
        "            hook = excepthook\n",
        "            hook = old_excepthook\n",
    ),
    (
        "thread-native-id-is-ident",
        "native_id records get_ident() instead of the OS thread id (native_id_as_soon_as_start_returns)",
        "            self._native_id = get_native_id()\n",
        "            self._native_id = get_ident()\n",
    ),
    (
        "module-shutdown-joins-no-thread",
        "the interpreter's exit waits for no non-daemon thread (exit probe)",
        "        if not locks:\n            break\n",
        "        if True:\n            break\n",
    ),
    (
        "module-setprofile-hook-installed-as-trace",
        "a thread installs the stored profile hook with sys.settrace "
        "(started_thread_runs_with_the_stored_hooks)",
        "                _sys.setprofile(_profile_hook)\n",
        "                _sys.settrace(_profile_hook)\n",
    ),
    (
        "module-settrace-hook-never-installed",
        "a thread never installs the stored trace hook (started_thread_runs_with_the_stored_hooks)",
        "                _sys.settrace(_trace_hook)\n",
        "                pass\n",
    ),
    (
        "timer-drops-kwargs",
        "a timer calls its function without its keyword arguments",
        "            self.function(*self.args, **self.kwargs)\n",
        "            self.function(*self.args)\n",
    ),
    (
        "timer-waits-a-tenth-of-the-interval",
        "a timer calls its function after a tenth of its interval",
        "        self.finished.wait(self.interval)\n",
        "        self.finished.wait(self.interval / 10)\n",
    ),
]
