"""Event: a flag that threads can wait to see set.

The flag is guarded by a primitive lock; threads that find it clear wait on a
Condition of that lock, and ``set`` wakes them all.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING

from impl.condition import Condition
from impl.lock import new_lock, spec_profile

if TYPE_CHECKING:
    from spec import event as spec_event
    from spec.values import ThreadId


class Event:
    """A flag, initially false: ``set`` makes it true and wakes every thread waiting for it.

    ``wait`` returns at once while the flag is true, else sleeps until ``set``
    is called (or the timeout expires) and returns the flag. A thread woken by
    ``set`` returns ``True`` even if the flag has been cleared again before it
    runs.

    Differences from trio's ``Event``: it can be cleared again, and ``wait``
    takes a timeout and says whether the flag was seen set.
    """

    def __init__(self) -> None:
        self._lock = new_lock()
        self._cond = Condition(self._lock)
        self._flag = False

    def __repr__(self) -> str:
        cls = type(self)
        status = "set" if self._flag else "unset"
        return f"<{cls.__module__}.{cls.__qualname__} at {id(self):#x}: {status}>"

    def is_set(self) -> bool:
        """Whether the flag is true."""
        return self._flag

    def isSet(self) -> bool:
        """Deprecated alias of ``is_set`` (emits ``DeprecationWarning``)."""
        warnings.warn("isSet() is deprecated, use is_set() instead", DeprecationWarning, stacklevel=2)
        return self.is_set()

    def set(self) -> None:
        """Make the flag true and wake every waiting thread."""
        with self._lock:
            self._flag = True
            self._cond.notify_all()

    def clear(self) -> None:
        """Make the flag false: later ``wait`` calls will sleep until the next ``set``."""
        with self._lock:
            self._flag = False

    def wait(self, timeout: float | None = None) -> bool:
        """Sleep until the flag is true, or the timeout expires; return the flag as seen.

        Returns ``True`` unless a timeout was given and expired first.

        Raises:
          TypeError: a timeout that is not a number (raised only if the call must wait).
          OverflowError: a timeout above ``TIMEOUT_MAX`` (likewise).
        """
        with self._lock:
            if self._flag:
                return True
            return self._cond.wait(timeout)

    def _at_fork_reinit(self) -> None:
        """In a child process after ``fork()``: free the lock and forget the waiters."""
        self._cond._at_fork_reinit()

    # -- abstraction function -------------------------------------------------------

    def _spec_state(self, threads: Mapping[int, ThreadId]) -> spec_event.State:
        """The spec's abstract state of this event; ``threads`` maps idents to the spec's thread ids.

        A waiter that ``set`` has woken is ``woken`` until it has left ``wait``.
        Exact whenever no thread is between two steps of a method (holding the
        internal lock, or waiting for it).
        """
        from spec import event as spec_event

        waiters = tuple(
            spec_event.Waiter(threads[w.thread], w.timeout is not None, w.notified)
            for w in self._cond._sleeping()
        )
        return spec_event.State(spec_profile(), flag=self._flag, waiters=waiters)
