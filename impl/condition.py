"""Condition: a lock plus a queue of threads waiting to be notified.

``wait`` releases the lock and parks the calling thread on a private primitive
lock of its own (a *waiter*), queued in arrival order; ``notify(n)`` wakes the
first ``n`` waiters by releasing their locks; a woken (or timed-out) thread
takes the lock again before ``wait`` returns.
"""

from __future__ import annotations

import _thread
import time
import warnings
from collections import deque
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeVar

from impl.lock import LockType, new_lock, spec_profile
from impl.rlock import RLock

if TYPE_CHECKING:
    from spec import condition as spec_condition
    from spec.lockstep import Acquirer, LockKind
    from spec.values import Call, ThreadId

get_ident = _thread.get_ident
monotonic = time.monotonic

T = TypeVar("T")


class LockLike(Protocol):
    """What a Condition needs of its lock: ``acquire``, ``release`` and ``with``."""

    def acquire(self, blocking: bool = ..., timeout: float = ...) -> bool: ...

    def release(self) -> None: ...

    def __enter__(self) -> bool: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
        /,
    ) -> Any: ...


SleeperRecord = list[Any]
"""A thread inside ``Condition.wait``, as ``wait`` records it:
``[lock, thread, timeout, saved, awake]``. A list, because the sleeper marks itself
awake in place (``record[4] = True``) before it has taken the lock back: one item
store, which no other thread's change to ``_sleepers`` can disturb.

``lock`` is the private lock it sleeps on (``notify`` releases it), ``thread`` its
ident, ``timeout`` what it passed, ``saved`` what ``_release_save`` returned (an
RLock's level and owner, to restore), and ``awake`` whether it woke without being
notified (timed out, or interrupted) and is taking the lock back.

A plain tuple, made once per ``wait``: building an object of a Python class there
(or a NamedTuple, whose ``__new__`` is Python code) costs ``wait`` several per
cent. ``_sleeping`` gives the abstraction function the same facts by name."""


class Sleeping(NamedTuple):
    """What the spec's abstract state needs to know about a thread inside ``wait``."""

    thread: int
    timeout: object
    saved: Any
    """What ``_release_save`` returned: an RLock's (level, owner) to restore."""
    notified: bool
    """Released by ``notify`` (not merely timed out)."""
    awake: bool
    """Its sleep is over (notified, or timed out); it is taking the lock back."""


class Condition:
    """A condition variable: threads wait on it until another thread notifies them.

    The underlying lock is ``lock`` if given (a ``Lock``, an ``RLock``, or any
    object with the same methods), else a new ``RLock``. ``acquire``, ``release``
    and ``with`` act on that lock. ``wait`` must be called with the lock held; it
    releases the lock (completely, even an RLock held recursively), sleeps until
    notified or timed out, and takes the lock back (at the same recursion level)
    before returning.

    Differences from trio's ``Condition``: ``notify`` and ``wait`` take effect only
    for the caller holding the lock, and a waiter woken by ``notify`` may find the
    condition false again (another thread can take the lock first), so wait in a
    loop, or use ``wait_for``.

    As in CPython, waiters are woken in the order in which they started waiting.
    """

    acquire: Callable[..., bool]
    """Acquire the underlying lock: the lock's own ``acquire`` method."""

    release: Callable[[], None]
    """Release the underlying lock: the lock's own ``release`` method."""

    def __init__(self, lock: LockLike | None = None) -> None:
        if lock is None:
            lock = RLock()
        self._lock: LockLike = lock
        self.acquire = lock.acquire
        self.release = lock.release
        # A lock that knows its owner (an RLock) lends its own way to check
        # ownership and to release and restore it whatever the recursion level;
        # for other locks (a Lock), the methods below stand in.
        if hasattr(lock, "_is_owned"):
            self._is_owned = lock._is_owned  # type: ignore[method-assign]
        if hasattr(lock, "_release_save"):
            self._release_save = lock._release_save  # type: ignore[method-assign]
        if hasattr(lock, "_acquire_restore"):
            self._acquire_restore = lock._acquire_restore  # type: ignore[method-assign]
        self._waiters: deque[LockType] = deque()
        """The private locks of the threads waiting to be notified, in the order they
        began to wait (as in CPython): ``notify`` takes them from the front."""
        self._sleepers: list[SleeperRecord] = []
        """Every thread inside ``wait``, notified or not, in the order they began to wait.

        A thread whose lock has left ``_waiters`` without its waking on its own
        was notified. A list, not a dict by ident: with a waiter or two, appending
        and removing by identity is cheaper than a dict's inserts and deletes, which
        rebuild its table every few waits."""

    def __repr__(self) -> str:
        return f"<Condition({self._lock}, {len(self._waiters)})>"

    def __enter__(self) -> bool:
        return self._lock.__enter__()

    def __exit__(self, *exc_info: Any) -> Any:
        return self._lock.__exit__(*exc_info)

    # -- ownership, for a lock that does not know its owner (a Lock) -------------

    def _is_owned(self) -> bool:
        """Whether the lock is held (by anyone: a ``Lock`` has no owner to ask)."""
        if self._lock.acquire(False):
            self._lock.release()
            return False
        return True

    def _release_save(self) -> Any:
        """Release the lock for ``wait``; what it returns goes to ``_acquire_restore``."""
        self._lock.release()
        return None

    def _acquire_restore(self, saved: Any) -> None:
        """Take the lock back at the end of ``wait``."""
        self._lock.acquire()

    # -- waiting and notifying --------------------------------------------------

    def wait(self, timeout: float | None = None) -> bool:
        """Release the lock, sleep until notified or timed out, take the lock back.

        Returns ``True`` when notified, ``False`` when the timeout expired. A
        timeout of zero or less does not sleep at all (it returns ``False`` unless
        already notified, which cannot happen). The lock is taken back even when
        the sleep ends with an exception (such as ``KeyboardInterrupt``).

        Raises:
          RuntimeError: the calling thread does not hold the lock.
          TypeError: a timeout that is not a number (raised after the lock has been taken back).
          OverflowError: a timeout above ``TIMEOUT_MAX``.
        """
        if not self._is_owned():
            raise RuntimeError("cannot wait on un-acquired lock")
        sleeper = new_lock()
        sleeper.acquire()
        self._waiters.append(sleeper)
        saved = self._release_save()
        record: SleeperRecord = [sleeper, get_ident(), timeout, saved, False]
        self._sleepers.append(record)
        notified = False
        try:
            if timeout is None:
                notified = sleeper.acquire()
            elif timeout > 0:
                notified = sleeper.acquire(True, timeout)
            else:
                notified = sleeper.acquire(False)
            return notified
        finally:
            if not notified:
                record[4] = True  # woke on its own (timeout or interrupt), not notified
            self._acquire_restore(saved)
            self._sleepers.remove(record)
            if not notified:
                try:
                    self._waiters.remove(sleeper)
                except ValueError:
                    pass  # notified after all, between the timeout and here

    def wait_for(self, predicate: Callable[[], T], timeout: float | None = None) -> T:
        """Wait until ``predicate()`` is true, or the timeout expires; return its last result.

        The predicate is called with the lock held: once before any wait, and
        again after each wakeup. ``timeout`` bounds the whole call, not each wait.

        Raises:
          RuntimeError: the predicate is false and the calling thread does not hold the lock.
        """
        deadline: float | None = None
        remaining = timeout
        result = predicate()
        while not result:
            if remaining is not None:
                if deadline is None:
                    deadline = monotonic() + remaining
                else:
                    remaining = deadline - monotonic()
                    if remaining <= 0:
                        break
            self.wait(remaining)
            result = predicate()
        return result

    def notify(self, n: int = 1) -> None:
        """Wake up the first ``n`` waiting threads (fewer if fewer wait).

        A woken thread does not run at once: it must take the lock back first,
        which it can do only after the caller releases it.

        Raises:
          RuntimeError: the calling thread does not hold the lock.
        """
        if not self._is_owned():
            raise RuntimeError("cannot notify on un-acquired lock")
        waiters = self._waiters
        while waiters and n > 0:
            waiter = waiters.popleft()
            try:
                waiter.release()
            except RuntimeError:
                continue  # already awake; it does not count
            n -= 1

    def notify_all(self) -> None:
        """Wake up every waiting thread.

        Raises:
          RuntimeError: the calling thread does not hold the lock.
        """
        self.notify(len(self._waiters))

    def notifyAll(self) -> None:
        """Deprecated alias of ``notify_all`` (emits ``DeprecationWarning``)."""
        warnings.warn(
            "notifyAll() is deprecated, use notify_all() instead", DeprecationWarning, stacklevel=2
        )
        self.notify_all()

    def _at_fork_reinit(self) -> None:
        """In a child process after ``fork()``: free the lock and forget the waiters."""
        self._lock._at_fork_reinit()  # type: ignore[attr-defined]
        self._waiters.clear()
        self._sleepers.clear()

    # -- abstraction function -------------------------------------------------------

    def _sleeping(self) -> list[Sleeping]:
        """Every thread inside ``wait``, in the order they began to wait, with what the spec needs.

        A sleeper was notified if its lock has left the queue without its waking on
        its own: ``notify`` took it. (One that timed out and is still queued may yet
        have its lock taken by a ``notify``, which spends the notification on it
        without waking it: that does not make it notified.)
        """
        queued = self._waiters
        return [
            Sleeping(thread, timeout, saved, not awake and lock not in queued, awake)
            for lock, thread, timeout, saved, awake in self._sleepers
        ]

    def _spec_state(
        self,
        threads: Mapping[int, ThreadId],
        calls: Mapping[ThreadId, Call] | None = None,
        holder: ThreadId | None = None,
    ) -> spec_condition.State:
        """The spec's abstract state of this condition and its lock.

        ``threads`` maps idents to the spec's thread ids. With an impl ``RLock``
        the lock says who holds it and who waits for it. A plain ``Lock`` does not:
        then ``holder`` is the thread holding it, and ``calls`` (the pending calls
        by thread) name the threads blocked in ``acquire``, and tell an ``acquire``
        from a ``__enter__`` (the spec records which). ``wait_for``'s
        predicates are not modelled (no gates). Exact whenever no thread is between
        two steps of a method.
        """
        from spec import condition as spec_condition

        profile = spec_profile()
        sleeping = self._sleeping()
        sleepers = [
            spec_condition.in_wait(
                profile,
                threads[w.thread],
                w.timeout,
                w.saved[0] if isinstance(w.saved, tuple) else 1,
                notified=w.notified,
                awake=w.awake,
            )
            for w in sleeping
        ]
        # The queue holds the sleepers' private locks. (A lock queued by a ``wait`` whose
        # ``_release_save`` then failed belongs to no sleeper, and no thread waits on it.)
        thread_of = {id(lock): thread for lock, thread, *_ in self._sleepers}
        queue = tuple(threads[thread_of[id(lock)]] for lock in self._waiters if id(lock) in thread_of)
        inside_wait = {threads[w.thread] for w in sleeping}
        kind, owner, level, acquirers = self._spec_lock(threads, calls or {}, holder, inside_wait)
        return spec_condition.State(
            profile,
            kind=kind,
            owner=owner,
            level=level,
            acquirers=acquirers,
            sleepers=tuple(sorted(sleepers, key=lambda w: w.thread)),
            queue=queue,
        )

    def _spec_lock(
        self,
        threads: Mapping[int, ThreadId],
        calls: Mapping[ThreadId, Call],
        holder: ThreadId | None,
        inside_wait: set[ThreadId],
    ) -> tuple[LockKind, ThreadId | None, int, tuple[Acquirer, ...]]:
        """The underlying lock's part of the spec's state: its kind, owner, level, and the
        threads blocked in its ``acquire`` (or ``__enter__``), not counting those inside
        ``wait`` that are taking it back. An impl ``RLock`` reports its own abstract state;
        a plain ``Lock`` is probed, with ``holder`` and ``calls`` as ``_spec_state`` says."""
        from spec import lockstep

        lock = self._lock
        if isinstance(lock, RLock):
            held = lock._spec_state(threads)
            kind, owner, level = lockstep.LockKind.RLOCK, held.owner, held.level
            blocked = [(w.thread, w.timed) for w in held.waiters if w.thread not in inside_wait]
        else:
            locked = not lock.acquire(False)
            if not locked:
                lock.release()
            kind, owner, level = lockstep.LockKind.LOCK, holder if locked else None, int(locked)
            blocked = [
                (t, lockstep.pending_timeout(c) is not None)
                for t, c in calls.items()
                if c.op in ("acquire", "__enter__")
            ]
        acquirers = [
            lockstep.Acquirer(t, timed, entering=t in calls and calls[t].op == "__enter__")
            for t, timed in blocked
        ]
        return kind, owner, level, tuple(sorted(acquirers, key=lambda a: a.thread))
