"""Semaphore and BoundedSemaphore: a counter that ``acquire`` never takes below zero.

The counter is guarded by a primitive lock; threads that find it at zero wait
on a Condition of that lock, and ``release(n)`` notifies ``n`` of them. A woken
thread checks the counter again, since a thread arriving meanwhile may have
taken the unit first (as in CPython).
"""

from __future__ import annotations

import operator
import sys
import time
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING

from impl.condition import Condition
from impl.lock import new_lock, spec_profile

if TYPE_CHECKING:
    from spec import semaphore as spec_semaphore
    from spec.values import Call, ThreadId

monotonic = time.monotonic

_NOTIFY_PER_UNIT = sys.version_info < (3, 12)
"""[CPython 3.11] ``release(n)`` notifies once per unit (``for _ in range(n)``), so a
non-int ``n`` raises TypeError, after the counter has been raised."""


class Semaphore:
    """A counter: ``release`` adds to it, ``acquire`` waits until it can take one away.

    The counter starts at ``value`` (default 1). ``acquire`` blocks while it is
    zero; ``release(n)`` adds ``n`` and wakes up to ``n`` waiting threads. Which
    waiter gets a unit is not defined by the documentation; here, as in CPython,
    waiters are woken in arrival order but compete with newly arriving threads.

    Differences from trio's ``Semaphore``: no ``max_value`` (see
    ``BoundedSemaphore``), ``acquire`` can be non-blocking or timed and says
    whether it succeeded, and ``release`` may be called by any thread.

    Raises:
      ValueError: ``value`` is negative.
      TypeError: ``value`` cannot be compared with 0.
    """

    def __init__(self, value: int = 1) -> None:
        if value < 0:
            raise ValueError("semaphore initial value must be >= 0")
        self._lock = new_lock()
        self._cond = Condition(self._lock)
        self._value = value

    def __repr__(self) -> str:
        cls = type(self)
        return f"<{cls.__module__}.{cls.__qualname__} at {id(self):#x}: value={self._value}>"

    def acquire(self, blocking: bool = True, timeout: float | None = None) -> bool:
        """Take one unit from the counter, waiting while it is zero; return whether it was taken.

        With ``blocking`` false, return ``False`` at once instead of waiting. With a
        ``timeout``, wait at most that many seconds in all (zero or less: not at all).

        Raises:
          ValueError: a timeout given with ``blocking`` false.
          TypeError: a timeout that is not a number (raised only if the call must wait).
        """
        if not blocking and timeout is not None:
            raise ValueError("can't specify timeout for non-blocking acquire")
        deadline: float | None = None
        with self._lock:
            while self._value == 0:
                if not blocking:
                    return False
                if timeout is not None:
                    if deadline is None:
                        deadline = monotonic() + timeout
                    else:
                        timeout = deadline - monotonic()
                        if timeout <= 0:
                            return False
                self._cond.wait(timeout)
            self._value -= 1
            return True

    __enter__ = acquire

    def release(self, n: int = 1) -> None:
        """Add ``n`` (default 1) to the counter and wake up to ``n`` waiting threads.

        Raises:
          ValueError: ``n`` is less than 1.
          TypeError: [3.11] ``n`` is not an int (raised after the counter has been raised).
        """
        if n < 1:
            raise ValueError("n must be one or more")
        with self._lock:
            self._value += n
            if _NOTIFY_PER_UNIT:
                operator.index(n)
            self._cond.notify(n)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()

    def _at_fork_reinit(self) -> None:
        """In a child process after ``fork()``: free the lock and forget the waiters."""
        self._cond._at_fork_reinit()

    # -- abstraction function -------------------------------------------------------

    def _spec_state(
        self, threads: Mapping[int, ThreadId], calls: Mapping[ThreadId, Call] | None = None
    ) -> spec_semaphore.State:
        """The spec's abstract state of this semaphore; ``threads`` maps idents to the spec's ids.

        ``calls``, the pending calls by thread, tell which waiters called ``acquire()``
        without arguments (the spec records it; the semaphore cannot know). A
        waiter that ``release`` has woken is ``notified`` until it has looked at the
        counter again. Exact whenever no thread is between two steps of a method.
        """
        from spec import semaphore as spec_semaphore

        calls = calls or {}
        waiters = []
        for w in self._cond._sleeping():
            thread = threads[w.thread]
            c = calls.get(thread)
            bare = c is not None and not c.args and not c.kwargs
            waiters.append(spec_semaphore.Waiter(thread, w.timeout is not None, bare, w.notified))
        bound = getattr(self, "_initial_value", None)
        return spec_semaphore.State(spec_profile(), self._value, bound, tuple(waiters))


class BoundedSemaphore(Semaphore):
    """A semaphore whose counter may never exceed its initial value.

    Differences from ``Semaphore``: a ``release`` that would raise the counter
    above the initial value changes nothing and raises ``ValueError``: releasing
    more often than acquiring is taken to be a bug.

    Raises:
      ValueError: ``value`` is negative.
    """

    def __init__(self, value: int = 1) -> None:
        super().__init__(value)
        self._initial_value = value

    def __repr__(self) -> str:
        cls = type(self)
        return (
            f"<{cls.__module__}.{cls.__qualname__} at {id(self):#x}: "
            f"value={self._value}/{self._initial_value}>"
        )

    def release(self, n: int = 1) -> None:
        """Add ``n`` (default 1) to the counter and wake up to ``n`` waiting threads.

        Raises:
          ValueError: ``n`` is less than 1, or the counter would exceed its initial value.
        """
        if n < 1:
            raise ValueError("n must be one or more")
        with self._lock:
            if self._value + n > self._initial_value:
                raise ValueError("Semaphore released too many times")
            self._value += n
            if _NOTIFY_PER_UNIT:
                operator.index(n)
            self._cond.notify(n)
