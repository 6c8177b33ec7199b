"""A controlled ``_thread`` module and a virtual ``time`` module, bound to one Runtime.

What a threading module written in Python needs from ``_thread`` (CPython 3.11's
``threading.py``, impl, and the 3.12/3.13 names where they are cheap), with
the same signatures and the same exceptions for bad arguments (they are checked
by the host's own ``_thread`` lock, so the messages are the interpreter's).
``RLock`` is a controlled lock with the C ``_thread.RLock``'s semantics (what
3.11's ``threading.RLock()`` returns), unless the caller asks for none (then
``threading.py`` falls back to its Python ``_PyRLock``).

The virtual ``time`` is the host's ``time`` module with ``monotonic``, ``time``,
``perf_counter`` (and their ``_ns`` forms) reading the virtual clock, and
``sleep`` a timed park: only a timeout expiring (a scheduling choice) ends it.
"""

from __future__ import annotations

import _thread
import math
import signal
import time as _real_time
from types import ModuleType
from typing import Any

from proofs.sched.runtime import ACQ, GO, JOIN, MAIN_IDENT, NATIVE_BASE, SLEEP, CThread, Runtime, thread_key

MONOTONIC_ORIGIN = 1000.0
"""``time.monotonic()`` at the start of every run."""
EPOCH = 1_700_000_000.0
"""``time.time()`` at the start of every run."""

_real_lock = _thread.allocate_lock

_FOREVER = -1
"""``acquire``'s default timeout. CPython keeps one object for each small int, so ``timeout is
_FOREVER`` is ``timeout.__class__ is int and timeout == -1`` (any other -1, such as ``-1.0``, takes
the general path, which gives the same result)."""


def _check_acquire(blocking: object, timeout: object) -> None:
    """Raise what the host's ``_thread`` lock raises for these ``acquire`` arguments."""
    _real_lock().acquire(blocking, timeout)  # type: ignore[arg-type]


class CLock:
    """A controlled primitive lock (``_thread.LockType``): any thread may release it."""

    __slots__ = ("key", "epoch", "owner", "fp", "rt", "__weakref__")
    reentrant = False
    runtime: Runtime
    """Set on each runtime's own subclass (``_thread.lock`` of that runtime)."""

    def __init__(self) -> None:
        self.rt = rt = self.runtime  # (an instance slot: reading a class attribute is slower)
        self.key, self.epoch = rt.new_key()
        self.fp = frozenset({self.key})
        """The footprint of an operation on this lock."""
        self.owner: CThread | None = None

    def _live(self) -> bool:
        return self.rt.is_live(self.epoch)

    def acquire(self, blocking: bool = True, timeout: float = _FOREVER) -> bool:
        rt = self.rt
        if not (blocking is True and timeout is _FOREVER):  # (the int -1 is one object)
            _check_acquire(blocking, timeout)
            if not blocking or timeout == 0:
                return self._try()
            if timeout != -1:
                deadline = rt.read_clock() + timeout
                if self._live() and rt.op(ACQ, self, deadline, "acquire(timeout) of"):
                    return False
                if self.owner is not None:  # a stale lock used outside its run
                    return False
                self.owner = rt.current
                return True
        epoch = self.epoch
        if epoch == rt.epoch or epoch == rt.load_epoch:
            rt.op(ACQ, self, None, "acquire of")
        elif self.owner is not None:
            raise RuntimeError("a lock of a finished run would block")
        self.owner = rt.current
        return True

    def _try(self) -> bool:
        if self._live():
            self.rt.op(GO, self, None, "acquire(blocking=False) of")
        if self.owner is None:
            self.owner = self.rt.current
            return True
        return False

    def release(self) -> None:
        rt = self.rt
        epoch = self.epoch
        if epoch == rt.epoch or epoch == rt.load_epoch:
            rt.op(GO, self, None, "release of")
        if self.owner is None:
            raise RuntimeError("release unlocked lock")
        self.owner = None

    def locked(self) -> bool:
        if self._live():
            self.rt.op(GO, self, None, "locked() of")
        return self.owner is not None

    __enter__ = acquire

    def __exit__(self, *exc: object) -> None:
        """``release()`` (written out: a ``with`` block's exit is the hot path of most programs)."""
        rt = self.rt
        epoch = self.epoch
        if epoch == rt.epoch or epoch == rt.load_epoch:
            rt.op(GO, self, None, "release of")
        if self.owner is None:
            raise RuntimeError("release unlocked lock")
        self.owner = None

    acquire_lock = acquire
    release_lock = release
    locked_lock = locked

    def _at_fork_reinit(self) -> None:
        self.owner = None

    def __repr__(self) -> str:
        state = "locked" if self.owner is not None else "unlocked"
        return f"<{state} _thread.lock #{self.key}>"


class CRLock(CLock):
    """A controlled reentrant lock with the C ``_thread.RLock``'s semantics."""

    __slots__ = ("count",)
    reentrant = True

    def __init__(self, *args: object, **kwargs: object) -> None:
        CLock.__init__(self)  # the C RLock ignores its arguments (3.13 warns about them in threading)
        self.count = 0

    def acquire(self, blocking: bool = True, timeout: float = _FOREVER) -> bool:
        rt = self.rt
        if self.owner is rt.current and self.owner is not None:
            if not (blocking is True and timeout is _FOREVER):
                _check_acquire(blocking, timeout)
            if self._live():
                rt.op(GO, self, None, "re-acquire of")
            self.count += 1
            return True
        if CLock.acquire(self, blocking, timeout):
            self.count = 1
            return True
        return False

    __enter__ = acquire

    def release(self) -> None:
        if self._live():
            self.rt.op(GO, self, None, "release of")
        if self.owner is not self.rt.current or self.count == 0:
            raise RuntimeError("cannot release un-acquired lock")
        self.count -= 1
        if not self.count:
            self.owner = None

    def __exit__(self, *exc: object) -> None:
        self.release()

    def _is_owned(self) -> bool:
        return self.owner is self.rt.current and self.count > 0

    def _recursion_count(self) -> int:
        return self.count if self._is_owned() else 0

    def _release_save(self) -> tuple[int, int]:
        if self._live():
            self.rt.op(GO, self, None, "release (to wait) of")
        if self.count == 0:
            raise RuntimeError("cannot release un-acquired lock")
        state = (self.count, self.owner.ident if self.owner else 0)
        self.count = 0
        self.owner = None
        return state

    def _acquire_restore(self, state: tuple[int, int], /) -> None:
        count, _ = state
        CLock.acquire(self)
        self.count = count

    def _at_fork_reinit(self) -> None:
        self.owner = None
        self.count = 0

    def __repr__(self) -> str:
        state = "locked" if self.owner is not None else "unlocked"
        owner = self.owner.ident if self.owner is not None else 0
        return f"<{state} _thread.RLock #{self.key} owner={owner} count={self.count}>"


class CLocal:
    """``_thread._local``: one attribute namespace per controlled thread."""

    __slots__ = ("_local__rt", "_local__args", "_local__dicts", "__dict__", "__weakref__")
    _local__runtime: Runtime

    def __new__(cls, *args: Any, **kwargs: Any) -> CLocal:
        if (args or kwargs) and cls.__init__ is object.__init__:
            raise TypeError("Initialization arguments are not supported")
        self = object.__new__(cls)
        object.__setattr__(self, "_local__rt", cls._local__runtime)
        object.__setattr__(self, "_local__args", (args, kwargs))
        object.__setattr__(self, "_local__dicts", {})
        return self

    def _local__switch(self) -> None:
        rt: Runtime = object.__getattribute__(self, "_local__rt")
        dicts: dict[CThread, dict[str, Any]] = object.__getattribute__(self, "_local__dicts")
        t = rt.current
        d = dicts.get(t)
        if d is None:
            d = dicts[t] = {}
            t.locals.append(self)
            object.__setattr__(self, "__dict__", d)
            args, kwargs = object.__getattribute__(self, "_local__args")
            if type(self).__init__ is not object.__init__:
                type(self).__init__(self, *args, **kwargs)
        object.__setattr__(self, "__dict__", d)

    def __getattribute__(self, name: str) -> Any:
        if name in ("__dict__", "__class__") or not name.startswith("_local__"):
            CLocal._local__switch(self)
        return object.__getattribute__(self, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "__dict__":
            raise AttributeError("'_thread._local' object attribute '__dict__' is read-only")
        CLocal._local__switch(self)
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        if name == "__dict__":
            raise AttributeError("'_thread._local' object attribute '__dict__' is read-only")
        CLocal._local__switch(self)
        object.__delattr__(self, name)

    def _drop(self, t: CThread) -> None:
        """Thread ``t`` ended: its namespace goes (its values' ``__del__`` run now, in ``t``)."""
        dicts: dict[CThread, dict[str, Any]] = object.__getattribute__(self, "_local__dicts")
        d = dicts.pop(t, None)
        if d is not None and object.__getattribute__(self, "__dict__") is d:
            object.__setattr__(self, "__dict__", {})
        del d


class _ThreadHandle:
    """3.13's ``_thread._ThreadHandle``: the end of a controlled thread."""

    def __init__(self, rt: Runtime | None = None, thread: CThread | None = None) -> None:
        self._rt = rt
        self._thread = thread
        self._done = False

    @property
    def ident(self) -> int | None:
        return self._thread.ident if self._thread is not None else None

    def is_done(self) -> bool:
        if self._thread is not None and self._rt is not None:
            self._rt.touch(thread_key(self._thread))  # reading whether it ended: conflicts with its end
        return self._done or (self._thread is not None and self._thread.done and self._thread.index != 0)

    def _set_done(self) -> None:
        self._done = True

    def join(self, timeout: float | None = None, /) -> None:
        if self._thread is None or self._rt is None:
            raise RuntimeError("thread not started")
        if self.is_done():
            return
        if self._thread is self._rt.current:
            raise RuntimeError("Cannot join current thread")
        deadline = None if timeout is None or timeout < 0 else self._rt.read_clock() + timeout
        self._rt.op(JOIN, self._thread, deadline, "join of")


def make_thread_module(rt: Runtime, c_rlock: bool = True) -> ModuleType:
    """A fresh controlled ``_thread`` module bound to ``rt``."""
    m = ModuleType("_thread", "Controlled _thread (proofs.sched): switch points at every visible operation.")
    local_class = type("_local", (CLocal,), {"__module__": "_thread", "__slots__": (), "_local__runtime": rt})

    lock_type: type[CLock] = type("lock", (CLock,), {"__slots__": (), "runtime": rt, "__module__": "_thread"})
    rlock_type: type[CRLock] = type("RLock", (CRLock,), {"__slots__": (), "runtime": rt,
                                                          "__module__": "_thread"})

    def allocate_lock() -> CLock:
        return lock_type()

    def start_new_thread(function: Any, args: Any, kwargs: Any = None) -> int:
        if not callable(function):
            raise TypeError("first arg must be callable")
        if not isinstance(args, tuple):
            raise TypeError("2nd arg must be a tuple")
        if kwargs is not None and not isinstance(kwargs, dict):
            raise TypeError("optional 3rd arg must be a dictionary")
        return rt.start(function, args, kwargs or {}).ident

    def start_joinable_thread(function: Any, handle: _ThreadHandle | None = None, daemon: bool = True) -> Any:
        h = handle if handle is not None else _ThreadHandle()
        h._rt = rt
        h._thread = rt.start(function, (), {}, daemon=daemon)
        return h

    def get_ident() -> int:
        return rt.current.ident

    def get_native_id() -> int:
        return NATIVE_BASE + rt.current.index

    def _set_sentinel() -> CLock:
        lock = lock_type()
        rt.current.sentinels.append(lock)
        return lock

    def _excepthook(args: Any, /) -> None:
        """Record an exception that escaped ``Thread.run()`` as a failure of the run (SystemExit: ignored)."""
        if args.exc_type is SystemExit:
            return
        exc = args.exc_value if args.exc_value is not None else args.exc_type()
        rt.fail(f"uncaught exception in Thread {getattr(args.thread, 'name', '?')!s}", rt.current, exc)

    names: dict[str, Any] = {
        "LockType": lock_type, "lock": lock_type, "allocate_lock": allocate_lock, "allocate": allocate_lock,
        "start_new_thread": start_new_thread, "start_new": start_new_thread,
        "start_joinable_thread": start_joinable_thread, "_ThreadHandle": _ThreadHandle,
        "get_ident": get_ident, "get_native_id": get_native_id,
        "_set_sentinel": _set_sentinel, "_local": local_class, "_excepthook": _excepthook,
        "_ExceptHookArgs": _thread._ExceptHookArgs, "error": RuntimeError, "TIMEOUT_MAX": _thread.TIMEOUT_MAX,
        **_more_functions(rt),
    }
    if c_rlock:
        names["RLock"] = rlock_type
    m.__dict__.update(names)
    return m


def _more_functions(rt: Runtime) -> dict[str, Any]:
    """The rest of ``_thread``: interrupts, sizes, counts, and 3.12/3.13's interpreter-level names."""

    def interrupt_main(signum: int = signal.SIGINT, /) -> None:
        if signum == signal.SIGINT:
            if rt.current is rt.main:
                raise KeyboardInterrupt
            rt.main.interrupt = True
            rt.touch(-1)  # changes what main does next: wakes every sleeping transition (ALL)

    def stack_size(size: int = 0, /) -> int:
        if size != 0 and size < 32768:
            raise ValueError("size not valid: 32768 bytes")
        return 0

    def _count() -> int:
        rt.touch(-1)  # reads every thread's state (ALL)
        return sum(1 for t in rt.threads if not t.done and t.index != 0)

    def exit() -> None:
        raise SystemExit

    def _make_thread_handle(ident: int) -> _ThreadHandle:
        return _ThreadHandle(rt, next((t for t in rt.threads if t.ident == ident), rt.main))

    def _shutdown() -> None:
        for t in list(rt.threads):
            if not t.done and not t.daemon and t is not rt.current:
                rt.op(JOIN, t, None, "join (at shutdown) of")

    return {
        "interrupt_main": interrupt_main, "stack_size": stack_size, "_count": _count, "exit": exit,
        "exit_thread": exit, "_make_thread_handle": _make_thread_handle, "_shutdown": _shutdown,
        "daemon_threads_allowed": lambda: True, "_is_main_interpreter": lambda: True,
        "_get_main_thread_ident": lambda: MAIN_IDENT,
    }


_TIME_NAMES = {k: v for k, v in vars(_real_time).items() if not k.startswith("__")}


def make_time_module(rt: Runtime) -> ModuleType:
    """A virtual ``time`` module bound to ``rt`` (everything else is the host's ``time``)."""
    m = ModuleType("time", _real_time.__doc__)
    m.__dict__.update(_TIME_NAMES)

    def monotonic() -> float:
        return MONOTONIC_ORIGIN + rt.read_clock()

    def wall() -> float:
        return EPOCH + rt.read_clock()

    def sleep(secs: float, /) -> None:
        if not isinstance(secs, (int, float)):
            raise TypeError(f"'{type(secs).__name__}' object cannot be interpreted as an integer")
        if math.isnan(secs):
            raise ValueError("Invalid value NaN (not a number)")
        if secs < 0:
            raise ValueError("sleep length must be non-negative")
        if secs == 0:
            rt.op(GO, None, None, "sleep(0)")
        else:
            rt.op(SLEEP, None, rt.read_clock() + secs, "sleep")

    m.__dict__.update({
        "monotonic": monotonic, "perf_counter": monotonic, "time": wall, "sleep": sleep,
        "monotonic_ns": lambda: int(monotonic() * 1e9), "perf_counter_ns": lambda: int(monotonic() * 1e9),
        "time_ns": lambda: int(wall() * 1e9),
    })
    return m
