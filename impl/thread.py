"""Thread, Timer and the module functions: threads of control, and who is alive.

A ``Thread`` runs ``run()`` in a new OS thread started with ``_thread``. impl
keeps its own registry of the threads it knows (``_active``: running, by
ident; ``_limbo``: starting), from which ``current_thread``, ``enumerate`` and
``active_count`` answer. A thread impl did not start gets a ``_DummyThread``
the first time it asks for ``current_thread()``.

When a thread is over is what the interpreter says: on 3.11 and 3.12 a
*sentinel* lock that the interpreter releases once the thread's state is
deleted (``_thread._set_sentinel()``, wrapped here in ``SentinelHandle``); from
3.13 the ``_thread._ThreadHandle`` that ``_thread.start_joinable_thread``
fills in. ``join`` waits on it, ``is_alive`` asks it. Either way the thread's
thread-local data is gone by then.

Interpreter exit: ``Py_FinalizeEx`` calls ``_shutdown()`` of the module named
``threading`` in ``sys.modules`` before anything else (before ``atexit``
handlers). impl therefore

* defines ``_shutdown()`` (run the ``_register_atexit`` callbacks, mark the
  main thread stopped, then join every non-daemon thread impl started, until
  none is left), which the interpreter calls directly when impl is installed
  as ``threading``; and
* otherwise wraps the ``_shutdown`` of the ``threading`` module in use, so that
  impl's non-daemon threads are joined first, and threading's own after.

After ``os.fork()``, ``_after_fork`` (registered with ``os.register_at_fork``)
leaves only the forking thread alive in the child.
"""

from __future__ import annotations

import _thread
import itertools
import os
import sys
import warnings
from collections.abc import Callable, Iterable, Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol, cast
from weakref import WeakSet

from impl.event import Event
from impl.local import call_at_thread_exit
from impl.lock import LockType, new_lock, spec_profile
from impl.rlock import RLock

if TYPE_CHECKING:
    from spec import thread_state
    from spec.values import Call, ThreadId

get_ident = _thread.get_ident
get_native_id = _thread.get_native_id
stack_size = _thread.stack_size
ExceptHookArgs = _thread._ExceptHookArgs
_HAVE_THREAD_NATIVE_ID = True

_PY312 = sys.version_info >= (3, 12)
_PY313 = sys.version_info >= (3, 13)


def _daemon_threads_allowed() -> bool:
    """[Added in 3.12] Whether this (sub)interpreter allows daemon threads."""
    if sys.version_info >= (3, 12):
        return _thread.daemon_threads_allowed()
    return True


def _deprecated(message: str) -> None:
    """Warn the caller of a deprecated function or method (camelCase aliases, 3.10+)."""
    warnings.warn(message, DeprecationWarning, stacklevel=3)


def _is_main_interpreter() -> bool:
    """Whether this is the main interpreter (``_shutdown`` waits for threads only there).

    A ``_thread`` without ``_is_main_interpreter`` (one a library put in its
    place) counts as the main interpreter, as on CPython 3.12 (gh-112826): in a
    subinterpreter that only means its threads are stopped like daemon threads.
    """
    # [CPython 3.12, undocumented] the fallback for a replaced _thread.
    ask = getattr(_thread, "_is_main_interpreter", None)
    return True if ask is None else cast(bool, ask())


# ---------------------------------------------------------------------------
# When a thread is over
# ---------------------------------------------------------------------------


class Handle(Protocol):
    """What a Thread asks about the end of its OS thread (``_thread._ThreadHandle``'s interface)."""

    def join(self, timeout: float | None = None, /) -> None: ...

    def is_done(self) -> bool: ...

    def _set_done(self) -> None: ...


class SentinelHandle:
    """The end of a thread on 3.11 and 3.12, with 3.13's ``_thread._ThreadHandle`` interface.

    The new thread calls ``bind_sentinel()`` first: ``_thread._set_sentinel()``
    returns a lock, held from then on, that the interpreter releases once the
    thread's state has been deleted. The thread is done when that lock is free.
    The main thread, which the interpreter does not end that way, holds a plain
    lock (``bind_held_lock()``) that ``_set_done()`` releases.
    """

    __slots__ = ("_sentinel", "_done", "exiting")

    def __init__(self) -> None:
        self._sentinel: LockType | None = None
        self._done = False
        self.exiting = False
        """Set by the thread once its Python code is over (only its state remains to go)."""

    def bind_sentinel(self) -> None:
        sentinel: LockType = _thread._set_sentinel()  # type: ignore[attr-defined]
        sentinel.acquire()
        self._sentinel = sentinel

    def bind_held_lock(self) -> None:
        lock = new_lock()
        lock.acquire()
        self._sentinel = lock

    def is_done(self) -> bool:
        if not self._done and self._sentinel is not None:
            self._take(False, -1)
        return self._done

    def join(self, timeout: float | None = None, /) -> None:
        if self._done:
            return
        if self._sentinel is None:
            raise RuntimeError("thread not started")
        self._take(True, -1 if timeout is None else timeout)

    def _take(self, blocking: bool, timeout: float) -> None:
        """Try to take the sentinel; if that works, the thread is done (give it back)."""
        sentinel = self._sentinel
        assert sentinel is not None
        taken = False
        try:
            taken = sentinel.acquire(blocking, timeout)
        except (ValueError, OverflowError):
            # [CPython 3.9-3.12, undocumented] A timeout the lock rejects (NaN, too
            # large) while the thread runs gives the thread's sentinel back and
            # marks the thread stopped, although it still runs (bpo-45274's fix,
            # meant for an interrupted join). Kept, so as to be a drop-in.
            taken = sentinel.locked()
            raise
        except BaseException:
            # Interrupted (e.g. KeyboardInterrupt), perhaps just after taking the
            # sentinel: if the thread is in its last moments, assume we hold it.
            taken = self.exiting and sentinel.locked()
            raise
        finally:
            if taken:
                sentinel.release()
                self._done = True

    def _set_done(self) -> None:
        if not self._done and self._sentinel is not None:
            self._done = True
            self._sentinel.release()

    def after_fork(self, alive: bool) -> None:
        """In the child after ``fork()``: the forking thread's sentinel is held again, others are done."""
        if alive and self._sentinel is not None and not self._done:
            self._sentinel._at_fork_reinit()  # type: ignore[attr-defined]
            self._sentinel.acquire()
        elif not alive:
            self._done = True


def _new_handle() -> Handle:
    if sys.version_info >= (3, 13):
        return _thread._ThreadHandle()
    return SentinelHandle()


def _handle_of_running_thread(ident: int) -> Handle:
    """A handle for a thread that impl did not start (the main thread, a dummy thread)."""
    if sys.version_info >= (3, 13):
        return cast(Handle, _thread._make_thread_handle(ident))  # type: ignore[attr-defined]
    handle = SentinelHandle()
    handle.bind_held_lock()
    return handle


_non_daemon_lock = new_lock()
_non_daemon_handles: set[Handle] = set()
"""Handles of the non-daemon threads that ``_shutdown`` must wait for."""


def _register_non_daemon(handle: Handle) -> None:
    with _non_daemon_lock:
        # Forget threads that are over, so that the set does not grow without bound.
        _non_daemon_handles.difference_update([h for h in _non_daemon_handles if h.is_done()])
        _non_daemon_handles.add(handle)


# ---------------------------------------------------------------------------
# The registry of threads
# ---------------------------------------------------------------------------

_active_limbo_lock = RLock()
_active: dict[int, Thread] = {}
"""Running threads, by ident."""
_limbo: dict[Thread, Thread] = {}
"""Threads whose ``start()`` has been called but that do not run yet."""
_dangling: WeakSet[Thread] = WeakSet()
"""Every Thread object still referenced (used after fork, and by CPython's test support)."""

_counter = itertools.count(1).__next__


def _newname(template: str) -> str:
    return template % _counter()


# ---------------------------------------------------------------------------
# Tracing, profiling and uncaught exceptions
# ---------------------------------------------------------------------------

_trace_hook: Any = None
_profile_hook: Any = None


def settrace(func: Any) -> None:
    """Make every thread started from now on call ``sys.settrace(func)`` before ``run()``."""
    global _trace_hook
    _trace_hook = func


def setprofile(func: Any) -> None:
    """Make every thread started from now on call ``sys.setprofile(func)`` before ``run()``."""
    global _profile_hook
    _profile_hook = func


def gettrace() -> Any:
    """The trace function set by ``settrace()``."""
    return _trace_hook


def getprofile() -> Any:
    """The profile function set by ``setprofile()``."""
    return _profile_hook


if sys.version_info >= (3, 12):

    def settrace_all_threads(func: Any) -> None:
        """[Added in 3.12] ``settrace(func)``, and set it in every running Python thread too."""
        settrace(func)
        sys._settraceallthreads(func)  # type: ignore[attr-defined]

    def setprofile_all_threads(func: Any) -> None:
        """[Added in 3.12] ``setprofile(func)``, and set it in every running Python thread too."""
        setprofile(func)
        sys._setprofileallthreads(func)  # type: ignore[attr-defined]


def excepthook(args: Any, /) -> None:
    """Report an exception that escaped ``Thread.run()`` on ``sys.stderr``.

    ``args`` has the attributes ``exc_type``, ``exc_value``, ``exc_traceback`` and
    ``thread``. ``SystemExit`` is ignored silently. If ``sys.stderr`` is None, the
    thread's ``stderr`` at its creation is used; if that is None too, nothing is
    printed. Replace ``impl.excepthook`` to handle such exceptions differently.

    Differences from CPython's: written in Python (CPython's is ``_thread._excepthook``,
    in C); the traceback is printed by the ``traceback`` module.

    Raises:
      TypeError: ``args`` is not an ``ExceptHookArgs`` (as CPython's hook).
    """
    if not isinstance(args, _thread._ExceptHookArgs):
        raise TypeError(f"excepthook argument type must be ExceptHookArgs, not {type(args).__name__}")
    if args.exc_type is SystemExit:
        return
    thread = args.thread
    stderr = sys.stderr if sys.stderr is not None else getattr(thread, "_stderr", None)
    if stderr is None:
        return
    name = thread.name if thread is not None else get_ident()
    print(f"Exception in thread {name}:", file=stderr, flush=True)
    import traceback

    traceback.print_exception(args.exc_type, args.exc_value, args.exc_traceback, file=stderr)
    stderr.flush()


__excepthook__ = excepthook
"""The original ``excepthook``, to restore it after replacing it."""


def _package() -> ModuleType:
    """The ``impl`` package: users replace ``impl.excepthook`` there."""
    import impl

    return impl


def _report_uncaught(thread: Thread) -> None:
    """Hand the exception being handled to ``impl.excepthook``; if that fails, to ``sys.excepthook``."""
    try:
        hook = getattr(_package(), "excepthook", None) or __excepthook__
        hook(ExceptHookArgs((*sys.exc_info(), thread)))
    except Exception as exc:
        exc.__suppress_context__ = True
        del exc
        stderr = sys.stderr if sys.stderr is not None else thread._stderr
        print("Exception in threading.excepthook:", file=stderr, flush=True)
        sys_hook = sys.excepthook if sys.excepthook is not None else sys.__excepthook__
        sys_hook(*sys.exc_info())


# ---------------------------------------------------------------------------
# Thread
# ---------------------------------------------------------------------------


class Thread:
    """A thread of control: ``start()`` runs ``run()`` in a new OS thread.

    ``run()`` calls ``target(*args, **kwargs)``; subclasses may override it
    instead (and must call ``Thread.__init__`` first in their own
    ``__init__``). ``name`` is for people only (default ``"Thread-N"``, plus the
    target's name); ``daemon`` (default: the creating thread's) says whether the
    program may exit while the thread still runs. An exception escaping ``run()``
    goes to ``impl.excepthook``.

    Differences from trio (which has no threads of this kind): a thread cannot be
    cancelled; ``join()`` is the only way to wait for it, and it does not report
    how ``run()`` ended.

    Raises:
      AssertionError: ``group`` is not None (reserved for a future ThreadGroup).
      RuntimeError: [3.12] ``daemon`` true in an interpreter that disallows daemon threads.
    """

    _initialized = False
    """False until ``Thread.__init__`` has run (a subclass may forget to call it)."""

    def __init__(
        self,
        group: None = None,
        target: Callable[..., object] | None = None,
        name: object = None,
        args: Iterable[Any] = (),
        kwargs: Mapping[str, Any] | None = None,
        *,
        daemon: bool | None = None,
    ) -> None:
        if group is not None:
            raise AssertionError("group argument must be None for now")
        if name:
            name = str(name)
        else:
            name = _newname("Thread-%d")
            if target is not None:
                try:
                    name += f" ({target.__name__})"
                except AttributeError:
                    pass
        if daemon is not None:
            if _PY312 and daemon and not _daemon_threads_allowed():
                raise RuntimeError("daemon threads are disabled in this (sub)interpreter")
            self._daemonic = daemon
        else:
            self._daemonic = current_thread().daemon
        self._target = target
        self._name = str(name)
        self._args = args
        self._kwargs = {} if kwargs is None else kwargs
        self._ident: int | None = None
        self._native_id: int | None = None
        self._handle = _new_handle()
        self._started = Event()
        self._stderr = sys.stderr
        self._initialized = True
        _dangling.add(self)

    def __repr__(self) -> str:
        assert self._initialized, "Thread.__init__() was not called"
        status = "initial"
        if self._started.is_set():
            status = "started"
        if self._is_over():
            status = "stopped"
        if self._daemonic:
            status += " daemon"
        if self._ident is not None:
            status += f" {self._ident}"
        return f"<{type(self).__name__}({self._name}, {status})>"

    # -- lifecycle -----------------------------------------------------------------

    def start(self) -> None:
        """Run ``run()`` in a new thread; return once the new thread is running.

        Raises:
          RuntimeError: called twice on the same object, or before ``Thread.__init__``;
            or the OS cannot start another thread; or the interpreter is shutting down.
        """
        if not self._initialized:
            raise RuntimeError("thread.__init__() not called")
        if self._started.is_set():
            raise RuntimeError("threads can only be started once")
        with _active_limbo_lock:
            _limbo[self] = self
        try:
            if sys.version_info >= (3, 13):
                handle = cast(_thread._ThreadHandle, self._handle)
                _thread.start_joinable_thread(self._bootstrap, handle=handle, daemon=self.daemon)
            else:
                _thread.start_new_thread(self._bootstrap, ())
        except Exception:
            with _active_limbo_lock:
                del _limbo[self]
            raise
        self._started.wait()

    def run(self) -> None:
        """What the thread does: call the target with the arguments given to the constructor.

        Override this in a subclass to do something else.
        """
        try:
            if self._target is not None:
                self._target(*self._args, **self._kwargs)
        finally:
            # Drop the references, so that the target and its arguments do not
            # outlive the thread because the Thread object does.
            del self._target, self._args, self._kwargs

    def _bootstrap(self) -> None:
        """The new OS thread starts here."""
        try:
            self._ident = get_ident()
            self._set_native_id()
            if isinstance(self._handle, SentinelHandle):
                self._handle.bind_sentinel()
            if not self._daemonic:
                _register_non_daemon(self._handle)
            with _active_limbo_lock:
                _active[self._ident] = self
                del _limbo[self]
            self._started.set()
            if _trace_hook:
                sys.settrace(_trace_hook)
            if _profile_hook:
                sys.setprofile(_profile_hook)
            try:
                self.run()
            except BaseException:
                _report_uncaught(self)
        finally:
            with _active_limbo_lock:
                _active.pop(get_ident(), None)
            if isinstance(self._handle, SentinelHandle):
                self._handle.exiting = True

    def _set_native_id(self) -> None:
        self._native_id = get_native_id()

    def _is_over(self) -> bool:
        return self._started.is_set() and self._handle.is_done()

    def join(self, timeout: float | None = None) -> None:
        """Wait until the thread has ended, or the timeout has expired.

        Returns None either way: call ``is_alive()`` to know which. A negative
        timeout counts as zero. May be called any number of times.

        Raises:
          RuntimeError: the thread has not been started, or is the calling thread.
          TypeError: a timeout that is not a number.
          ValueError, OverflowError: a NaN timeout, one above ``TIMEOUT_MAX``
            (3.11 and 3.12: only while the thread is still alive).
        """
        if not self._initialized:
            raise RuntimeError("Thread.__init__() not called")
        if not self._started.is_set():
            raise RuntimeError("cannot join thread before it is started")
        if self is current_thread():
            raise RuntimeError("cannot join current thread")
        if timeout is not None:
            timeout = max(timeout, 0)
        self._handle.join(timeout)

    def is_alive(self) -> bool:
        """Whether the thread has started and not yet ended."""
        assert self._initialized, "Thread.__init__() not called"
        return self._started.is_set() and not self._handle.is_done()

    def _after_fork(self, new_ident: int | None = None) -> None:
        """In the child after ``fork()``: ``new_ident`` is given for the one thread still alive."""
        self._started._at_fork_reinit()
        if new_ident is not None:
            self._ident = new_ident
        if isinstance(self._handle, SentinelHandle):
            self._handle.after_fork(alive=new_ident is not None)

    # -- abstraction function -------------------------------------------------------

    def _spec_state(
        self,
        threads: Mapping[int, ThreadId],
        calls: Mapping[ThreadId, Call] | None = None,
        known: thread_state.State | None = None,
    ) -> thread_state.State:
        """The spec's abstract state of this thread object.

        The object says where it is in its life (new, running, out of ``enumerate()``
        but not yet over, over), whether ``run()`` consumed the target, its daemon
        flag and name, and (for a Timer) whether it finished; ``calls``, the pending
        calls by thread, say who is blocked in ``join``. What only the caller knows —
        the gates standing for the target and the hook, and the module's environment
        — comes from ``known``, a spec state it takes to describe the same object
        (and so do the facts the spec records but the object does not: whether the
        daemon flag was given or inherited, whether the name is a default one, and
        the spec's bookkeeping of a run once the thread is over). ``threads`` (idents
        to spec ids) is accepted for uniformity; a thread's own state names no idents.
        """
        from dataclasses import replace

        from spec import thread_state

        Life = thread_state.Life
        known = known or thread_state.State(spec_profile())
        if not self._started.is_set():
            life = Life.NEW
        elif self._ident in _active and _active[self._ident] is self:
            life = Life.HOOK if known.life is Life.HOOK else Life.RUNNING
        elif self._handle.is_done():
            life = Life.STOPPED
        else:
            life = Life.EXITING
        alive = life in (Life.RUNNING, Life.HOOK, Life.EXITING)
        stopped_early = alive and self._handle.is_done()
        # The spec reads an inherited flag as False (the main thread's, in its schedules).
        inherited = known.daemon is thread_state.INHERITED and self._daemonic is False
        joiners = tuple(
            thread_state.Joiner(t, c.kw().get("timeout", c.args[0] if c.args else None) is not None)
            for t, c in (calls or {}).items()
            if c.op == "join"
        )
        return replace(
            known,
            kind=thread_state.Kind.TIMER if isinstance(self, Timer) else thread_state.Kind.THREAD,
            name=known.name if known.name in (None, self._name) else self._name,
            daemon=known.daemon if inherited else self._daemonic,
            life=life,
            stop_seen=stopped_early or (known.stop_seen if life is Life.STOPPED else False),
            runs=known.runs if alive or life is Life.NEW else (),
            consumed=not hasattr(self, "_target") and not isinstance(self, Timer),
            finished=isinstance(self, Timer) and self.finished.is_set(),
            joiners=joiners,
        )

    # -- attributes ------------------------------------------------------------------

    @property
    def name(self) -> str:
        """A name for people; it means nothing to the thread. Several threads may share one."""
        assert self._initialized, "Thread.__init__() not called"
        return self._name

    @name.setter
    def name(self, name: object) -> None:
        assert self._initialized, "Thread.__init__() not called"
        self._name = str(name)

    @property
    def ident(self) -> int | None:
        """The thread's ``get_ident()``, or None before it starts. Idents of ended threads are reused."""
        assert self._initialized, "Thread.__init__() not called"
        return self._ident

    @property
    def native_id(self) -> int | None:
        """The thread's ID in the OS (``get_native_id()``), or None before it starts."""
        assert self._initialized, "Thread.__init__() not called"
        return self._native_id

    @property
    def daemon(self) -> bool:
        """Whether the program may exit while this thread still runs; settable before ``start()``."""
        assert self._initialized, "Thread.__init__() not called"
        return self._daemonic

    @daemon.setter
    def daemon(self, daemonic: bool) -> None:
        if not self._initialized:
            raise RuntimeError("Thread.__init__() not called")
        if _PY312 and daemonic and not _daemon_threads_allowed():
            raise RuntimeError("daemon threads are disabled in this interpreter")
        if self._started.is_set():
            raise RuntimeError("cannot set daemon status of active thread")
        self._daemonic = daemonic

    def isDaemon(self) -> bool:
        """Deprecated getter of ``daemon`` (emits ``DeprecationWarning``)."""
        _deprecated("isDaemon() is deprecated, get the daemon attribute instead")
        return self.daemon

    def setDaemon(self, daemonic: bool) -> None:
        """Deprecated setter of ``daemon`` (emits ``DeprecationWarning``)."""
        _deprecated("setDaemon() is deprecated, set the daemon attribute instead")
        self.daemon = daemonic

    def getName(self) -> str:
        """Deprecated getter of ``name`` (emits ``DeprecationWarning``)."""
        _deprecated("getName() is deprecated, get the name attribute instead")
        return self.name

    def setName(self, name: object) -> None:
        """Deprecated setter of ``name`` (emits ``DeprecationWarning``)."""
        _deprecated("setName() is deprecated, set the name attribute instead")
        self.name = name


class Timer(Thread):
    """A thread that calls ``function(*args, **kwargs)`` after ``interval`` seconds, unless cancelled.

    ``cancel()`` before the interval is over prevents the call; ``finished``
    (an Event) is set once the timer has either called the function or been
    cancelled.
    """

    def __init__(
        self,
        interval: float,
        function: Callable[..., object],
        args: Iterable[Any] | None = None,
        kwargs: Mapping[str, Any] | None = None,
    ) -> None:
        Thread.__init__(self)
        self.interval = interval
        self.function = function
        self.args = args if args is not None else []
        self.kwargs = kwargs if kwargs is not None else {}
        self.finished = Event()

    def cancel(self) -> None:
        """Stop the timer if it has not called the function yet."""
        self.finished.set()

    def run(self) -> None:
        self.finished.wait(self.interval)
        if not self.finished.is_set():
            self.function(*self.args, **self.kwargs)
        self.finished.set()


class _MainThread(Thread):
    """The thread the interpreter started in; it stops at interpreter shutdown."""

    def __init__(self, ident: int) -> None:
        Thread.__init__(self, name="MainThread", daemon=False)
        self._started.set()
        self._ident = ident
        self._set_native_id()
        self._handle = _handle_of_running_thread(ident)
        with _active_limbo_lock:
            _active[ident] = self


class _DummyThread(Thread):
    """A thread impl did not start, seen through ``current_thread()``.

    It is always daemonic and cannot be joined. Before 3.13 it stays in
    ``enumerate()`` forever; from 3.13 it is removed once its OS thread ends.
    """

    def __init__(self) -> None:
        Thread.__init__(self, name=_newname("Dummy-%d"), daemon=_daemon_threads_allowed())
        self._started.set()
        self._ident = ident = get_ident()
        self._set_native_id()
        if _PY313:
            self._handle = _handle_of_running_thread(ident)
            call_at_thread_exit(_forget_dummy(self, ident))
        with _active_limbo_lock:
            _active[ident] = self

    def is_alive(self) -> bool:
        if _PY313:
            if not self._handle.is_done() and self._started.is_set():
                return True
            raise RuntimeError("thread is not alive")
        assert self._started.is_set()
        return True

    def _is_over(self) -> bool:
        return _PY313 and self._handle.is_done()

    def join(self, timeout: float | None = None) -> None:
        if _PY313:
            raise RuntimeError("cannot join a dummy thread")
        raise AssertionError("cannot join a dummy thread")

    def _after_fork(self, new_ident: int | None = None) -> None:
        if _PY313 and new_ident is not None:
            # [Changed in 3.13] The thread that forked is the child's main thread.
            self.__class__ = _MainThread  # type: ignore[assignment]
            self._name = "MainThread"
            self._daemonic = False
        Thread._after_fork(self, new_ident)


def _forget_dummy(thread: _DummyThread, ident: int) -> Callable[[], None]:
    """What to do when a dummy thread's OS thread ends: drop it from the registry."""

    def forget() -> None:
        with _active_limbo_lock:
            if _active.get(ident) is thread:
                del _active[ident]

    return forget


# ---------------------------------------------------------------------------
# Module functions
# ---------------------------------------------------------------------------


def current_thread() -> Thread:
    """The Thread object of the calling thread (a ``_DummyThread`` if impl did not start it)."""
    try:
        return _active[get_ident()]
    except KeyError:
        return _DummyThread()


def currentThread() -> Thread:
    """Deprecated alias of ``current_thread`` (emits ``DeprecationWarning``)."""
    _deprecated("currentThread() is deprecated, use current_thread() instead")
    return current_thread()


def active_count() -> int:
    """The number of Thread objects alive: ``len(enumerate())``."""
    with _active_limbo_lock:
        return len(_active) + len(_limbo)


def activeCount() -> int:
    """Deprecated alias of ``active_count`` (emits ``DeprecationWarning``)."""
    _deprecated("activeCount() is deprecated, use active_count() instead")
    return active_count()


def enumerate() -> list[Thread]:
    """Every Thread object alive: started and not ended, dummy threads and the main thread included."""
    with _active_limbo_lock:
        return list(_active.values()) + list(_limbo.values())


def _main_thread_ident() -> int:
    """The ident of the interpreter's main thread, even if impl is imported in another thread."""
    if sys.version_info >= (3, 13):
        return cast(int, _thread._get_main_thread_ident())  # type: ignore[attr-defined]
    threading = sys.modules.get("threading")
    if threading is not None and threading is not sys.modules.get("impl"):
        return cast(int, threading.main_thread().ident)
    return get_ident()


_main_thread: Thread
"""The main thread's object (made at the end of this module; replaced in a child after fork)."""


def main_thread() -> Thread:
    """The main thread: the one the interpreter started in."""
    return _main_thread


# ---------------------------------------------------------------------------
# Interpreter shutdown and fork
# ---------------------------------------------------------------------------

_threading_atexits: list[Callable[[], object]] = []
_SHUTTING_DOWN = False


def _register_atexit(func: Callable[..., object], *args: Any, **kwargs: Any) -> None:
    """[CPython internal] Call ``func(*args, **kwargs)`` at shutdown, before joining threads.

    Callbacks run in reverse order of registration (like ``atexit``), before the
    non-daemon threads are joined; ``concurrent.futures`` relies on this.

    Raises:
      RuntimeError: shutdown has begun.
    """
    if _SHUTTING_DOWN:
        raise RuntimeError("can't register atexit after shutdown")
    _threading_atexits.append(lambda: func(*args, **kwargs))


def _shutdown() -> None:
    """Wait until every non-daemon thread impl started has ended (at interpreter exit).

    Also runs the ``_register_atexit`` callbacks first, and marks the main thread
    stopped (so that threads joining it return). Does nothing the second time.
    """
    global _SHUTTING_DOWN
    if _main_thread._handle.is_done() and _is_main_interpreter():
        return
    _SHUTTING_DOWN = True
    for callback in reversed(_threading_atexits):
        callback()
    if _main_thread.ident == get_ident() and _is_main_interpreter():
        _main_thread._handle._set_done()
    while True:
        with _non_daemon_lock:
            handles = list(_non_daemon_handles)
            _non_daemon_handles.clear()
        if not handles:
            break
        for handle in handles:
            handle.join()


def _chain_into_interpreter_shutdown() -> None:
    """Make the interpreter's exit join impl's non-daemon threads (see the module docstring)."""
    if "threading" not in sys.modules:
        import threading  # noqa: F401
    threading_module: Any = sys.modules["threading"]
    if threading_module is sys.modules.get("impl"):
        return  # impl is installed as threading: the interpreter calls our _shutdown itself
    threadings_own: Callable[[], None] = threading_module._shutdown

    def shutdown_impl_then_threading() -> None:
        _shutdown()
        threadings_own()

    threading_module._shutdown = shutdown_impl_then_threading


def _after_fork() -> None:
    """In the child after ``fork()``: the forking thread is the only one alive, and the main one."""
    global _active_limbo_lock, _main_thread, _non_daemon_lock
    _active_limbo_lock = RLock()
    _non_daemon_lock = new_lock()
    _non_daemon_handles.clear()
    ident = get_ident()
    current = _active.get(ident)
    if current is None:
        current = _MainThread(ident)
    _main_thread = current
    with _active_limbo_lock:
        threads = set(_active.values()) | set(_limbo.values()) | set(_dangling)
        for thread in threads:
            if thread is current:
                thread._after_fork(new_ident=ident)
            else:
                thread._after_fork()
        _limbo.clear()
        _active.clear()
        _active[ident] = current


_chain_into_interpreter_shutdown()
_main_thread = _MainThread(_main_thread_ident())
os.register_at_fork(after_in_child=_after_fork)
