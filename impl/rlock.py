"""RLock: a lock that the thread holding it may acquire again.

An RLock has an owner (a thread) and a recursion level. The owner may acquire
it again without blocking, raising the level; each ``release`` by the owner
lowers it, and the lock is free again when the level reaches zero. Other threads
block until then, exactly as on a ``Lock``.

Built from one primitive lock (held while the RLock is owned), the owner's
ident and the level. Threads blocked in ``acquire`` are recorded in an explicit
list so that ``_spec_state()`` can report them; the uncontended path never
touches it.
"""

from __future__ import annotations

import _thread
import sys
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING

from impl.lock import check_acquire_arguments, new_lock, spec_profile

if TYPE_CHECKING:
    from spec import rlock as spec_rlock
    from spec.values import ThreadId

get_ident = _thread.get_ident


class RLock:
    """A reentrant lock: held by one thread at a time, which may acquire it again.

    Differences from ``Lock``: only the owner may release it, and the owner's
    further ``acquire`` calls succeed at once, each one needing its own
    ``release``.

    Differences from CPython's ``threading.RLock``: it is a class (CPython's is a
    factory function returning the C ``_thread.RLock``), written in Python; it
    behaves like the C lock in everything else, including checking the arguments
    of an ``acquire`` by the owner and returning ``True`` (not ``1``) for it.
    """

    __slots__ = ("_block", "_owner", "_count", "_waiting", "__weakref__")

    def __init__(self, *args: object, **kwargs: object) -> None:
        # [CPython: the factory passes its arguments to the C RLock, which ignores
        # them; Changed in 3.13: passing any is deprecated]
        if sys.version_info >= (3, 13) and (args or kwargs):
            warnings.warn(
                "Passing arguments to RLock is deprecated and will be removed in 3.15",
                DeprecationWarning,
                stacklevel=2,
            )
        self._block = new_lock()
        self._owner: int | None = None
        self._count = 0
        self._waiting: list[tuple[int, bool]] = []

    def __repr__(self) -> str:
        cls = type(self)
        state = "locked" if self._block.locked() else "unlocked"
        owner = self._owner or 0
        return (
            f"<{state} {cls.__module__}.{cls.__qualname__} object owner={owner} "
            f"count={self._count} at {id(self):#x}>"
        )

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        """Acquire the lock, blocking or not; return whether it was acquired.

        If the calling thread owns the lock already, raise the recursion level by
        one and return ``True`` at once. Otherwise wait (not at all when
        ``blocking`` is false; at most ``timeout`` seconds when it is not -1) until
        no thread owns it, then own it with level one and return ``True``; return
        ``False`` if the lock could not be had in time.

        Raises:
          ValueError: a timeout given with ``blocking`` false, or a negative
            timeout other than -1, or NaN.
          OverflowError: a timeout above ``TIMEOUT_MAX``.
          TypeError: a timeout that is not a number.
        """
        me = get_ident()
        if self._owner == me:
            if blocking is not True or timeout != -1:
                check_acquire_arguments(blocking, timeout)
            self._count += 1
            return True
        if blocking is True and timeout == -1 and self._block.acquire(False):
            pass  # the common case: free, and no arguments to check
        elif not self._wait_for_block(me, blocking, timeout):
            return False
        self._owner = me
        self._count = 1
        return True

    def _wait_for_block(self, me: int, blocking: bool, timeout: float) -> bool:
        """Acquire the underlying lock with the caller's arguments, listed as a waiter."""
        entry = (me, timeout != -1)
        self._waiting.append(entry)
        try:
            return self._block.acquire(blocking, timeout)
        finally:
            self._waiting.remove(entry)

    def __enter__(self) -> bool:
        """``with lock:`` calls ``acquire()``: this is its path for no arguments, unrolled."""
        me = get_ident()
        if self._owner == me:
            self._count += 1
            return True
        if not self._block.acquire(False):
            self._wait_for_block(me, True, -1)
        self._owner = me
        self._count = 1
        return True

    def release(self) -> None:
        """Lower the recursion level; at zero, free the lock and let one waiter proceed.

        Raises:
          RuntimeError: the calling thread does not own the lock.
        """
        if self._owner != get_ident():
            raise RuntimeError("cannot release un-acquired lock")
        self._count = count = self._count - 1
        if not count:
            self._owner = None
            self._block.release()

    def __exit__(
        self, exc_type: object = None, exc: object = None, tb: object = None, /, *more: object
    ) -> None:
        """Leaving ``with lock:`` releases it (like the C RLock, it takes any positional arguments).

        The three arguments that ``with`` passes are named so that the usual call
        builds no tuple of them.
        """
        self.release()

    if sys.version_info >= (3, 14):

        def locked(self) -> bool:
            """Whether some thread owns the lock. [Added in 3.14]"""
            return self._block.locked()

    # -- the interface that Condition uses to wait with an RLock -----------------

    def _is_owned(self) -> bool:
        """Whether the calling thread owns the lock."""
        return self._owner == get_ident()

    def _release_save(self) -> tuple[int, int | None]:
        """Free the lock whatever the level; return (level, owner) for ``_acquire_restore``.

        Raises:
          RuntimeError: the lock is not owned.
        """
        if not self._count:
            raise RuntimeError("cannot release un-acquired lock")
        saved = (self._count, self._owner)
        self._count = 0
        self._owner = None
        self._block.release()
        return saved

    def _acquire_restore(self, saved: tuple[int, int | None]) -> None:
        """Wait for the lock, then restore the (level, owner) that ``_release_save`` returned."""
        if not self._block.acquire(False):
            self._wait_for_block(get_ident(), True, -1)
        self._count, self._owner = saved

    def _recursion_count(self) -> int:
        """The recursion level if the calling thread owns the lock, else 0."""
        return self._count if self._owner == get_ident() else 0

    def _at_fork_reinit(self) -> None:
        """In a child process after ``fork()``: free the lock, whoever held it."""
        self._block._at_fork_reinit()  # type: ignore[attr-defined]
        self._owner = None
        self._count = 0
        self._waiting.clear()

    # -- abstraction function -------------------------------------------------------

    def _spec_state(self, threads: Mapping[int, ThreadId]) -> spec_rlock.State:
        """The spec's abstract state of this lock; ``threads`` maps idents to the spec's thread ids.

        Exact whenever no thread is between two steps of ``acquire`` or ``release``.
        """
        from spec import rlock as spec_rlock

        waiters = tuple(
            spec_rlock.Waiter(threads[ident], timed, True) for ident, timed in self._waiting
        )
        owner = None if self._owner is None else threads[self._owner]
        return spec_rlock.State(spec_profile(), owner=owner, level=self._count, waiters=waiters)
