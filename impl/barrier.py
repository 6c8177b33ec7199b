"""Barrier: a meeting point for a fixed number of threads.

Threads call ``wait``; when the ``parties``-th one arrives, the barrier *trips*:
the action (if any) runs in that last thread, and all of them leave ``wait``
together, each with a distinct index. The barrier then fills again for the next
round. ``abort`` breaks it, ``reset`` brings it back to filling; threads caught
waiting by either leave with ``BrokenBarrierError``.

The barrier is a small state machine (``Phase``) guarded by a primitive lock,
with a Condition of that lock to wait on, as in CPython.
"""

from __future__ import annotations

import _thread
import enum
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from impl.condition import Condition
from impl.lock import new_lock, spec_profile

if TYPE_CHECKING:
    from spec import barrier as spec_barrier
    from spec.values import Call, ThreadId

get_ident = _thread.get_ident


class BrokenBarrierError(RuntimeError):
    """Raised by ``Barrier.wait`` when the barrier is, or becomes, broken or reset."""


class Phase(enum.Enum):
    """Where a barrier is in its round."""

    FILLING = "filling"
    """Threads are arriving; the barrier trips when the last party arrives."""
    DRAINING = "draining"
    """It tripped: the waiters of this round are leaving; newcomers wait until they have."""
    RESETTING = "resetting"
    """``reset`` was called while threads waited: they are leaving with BrokenBarrierError."""
    BROKEN = "broken"
    """``abort`` was called, a wait timed out, or the action raised: every wait raises."""


# Module-level names for the phases: looking a member up on its Enum class is slow
# (notably on 3.11), and Barrier.wait does it several times.
FILLING, DRAINING, RESETTING, BROKEN = Phase.FILLING, Phase.DRAINING, Phase.RESETTING, Phase.BROKEN
LEAVING = (DRAINING, RESETTING)
"""The phases in which the threads of a round are leaving ``wait``."""


class Barrier:
    """A barrier for ``parties`` threads, with an optional ``action`` and default ``timeout``.

    ``wait(timeout)`` blocks until ``parties`` threads are waiting, then returns
    in each of them an index from 0 to ``parties - 1`` (in arrival order, as in
    CPython). The last thread to arrive first calls ``action()``; if that raises,
    the barrier breaks and the exception propagates from that thread's ``wait``.
    A wait that times out breaks the barrier too.

    Differences from a one-shot latch: the barrier is reusable (it fills again
    after each round), and it can be *broken*, which every later ``wait`` reports.

    Raises:
      ValueError: [Changed in 3.13] ``parties`` is less than 1 (earlier versions
        accept it, and such a barrier never trips).
    """

    def __init__(
        self, parties: int, action: Callable[[], object] | None = None, timeout: float | None = None
    ) -> None:
        if sys.version_info >= (3, 13) and parties < 1:
            raise ValueError("parties must be > 0")
        self._lock = new_lock()
        self._cond = Condition(self._lock)
        self._action = action
        self._timeout = timeout
        self._parties = parties
        self._phase = FILLING
        self._count = 0
        """Threads inside ``wait`` since they were counted in (waiting, or leaving)."""
        self._entering: list[int] = []
        """Threads in ``wait`` waiting for the previous round to leave (idents)."""
        self._arrivals: dict[int, int] = {}
        """Threads counted in, by ident: their arrival index."""

    def __repr__(self) -> str:
        cls = type(self)
        if self.broken:
            return f"<{cls.__module__}.{cls.__qualname__} at {id(self):#x}: broken>"
        return (
            f"<{cls.__module__}.{cls.__qualname__} at {id(self):#x}: "
            f"waiters={self.n_waiting}/{self.parties}>"
        )

    def wait(self, timeout: float | None = None) -> int:
        """Wait until ``parties`` threads wait; return this thread's arrival index.

        ``timeout`` (default: the barrier's own) bounds the wait; if it expires
        the barrier breaks.

        Raises:
          BrokenBarrierError: the barrier is broken, or breaks or is reset while
            this thread waits, or this wait timed out.
          Exception: whatever the action raised (in the thread that ran it; the
            barrier is then broken).
        """
        if timeout is None:
            timeout = self._timeout
        with self._lock:
            if self._phase is not FILLING:
                self._wait_until_filling()
            index = self._count
            self._count += 1
            me = get_ident()
            self._arrivals[me] = index
            try:
                if index + 1 == self._parties:
                    self._trip()
                else:
                    self._wait_for_trip(timeout)
                return index
            finally:
                self._count -= 1
                del self._arrivals[me]
                self._leave()

    def _wait_until_filling(self) -> None:
        """Wait while the previous round drains or resets; refuse a broken barrier."""
        if self._phase in LEAVING:
            me = get_ident()
            self._entering.append(me)
            try:
                while self._phase in LEAVING:
                    self._cond.wait()
            finally:
                self._entering.remove(me)
        if self._phase is BROKEN:
            raise BrokenBarrierError

    def _trip(self) -> None:
        """The last party arrived: run the action, then release everyone."""
        try:
            if self._action:
                self._action()
            self._phase = DRAINING
            self._cond.notify_all()
        except BaseException:
            self._break()
            raise

    def _wait_for_trip(self, timeout: float | None) -> None:
        if timeout is None:
            # What ``wait_for(self._has_moved_on)`` does, without a call per check.
            while self._phase is FILLING:
                self._cond.wait()
        elif not self._cond.wait_for(self._has_moved_on, timeout):
            self._break()
            raise BrokenBarrierError
        if self._phase in (BROKEN, RESETTING):
            raise BrokenBarrierError

    def _has_moved_on(self) -> bool:
        return self._phase is not FILLING

    def _leave(self) -> None:
        """The last thread to leave a drained or reset round opens the next one."""
        if self._count == 0 and self._phase in LEAVING:
            self._phase = FILLING
            self._cond.notify_all()

    def reset(self) -> None:
        """Bring the barrier back to its initial, empty state.

        Threads waiting at it leave with ``BrokenBarrierError``; the barrier
        accepts new waiters once they have all left. A broken barrier is mended.
        """
        with self._lock:
            if self._count > 0:
                if self._phase in (FILLING, BROKEN):
                    self._phase = RESETTING
            else:
                self._phase = FILLING
            self._cond.notify_all()

    def abort(self) -> None:
        """Break the barrier: current and future ``wait`` calls raise ``BrokenBarrierError``."""
        with self._lock:
            self._break()

    def _break(self) -> None:
        self._phase = BROKEN
        self._cond.notify_all()

    @property
    def parties(self) -> int:
        """The number of threads needed to trip the barrier."""
        return self._parties

    @property
    def n_waiting(self) -> int:
        """The number of threads waiting for the barrier to trip (0 while it drains or resets)."""
        if self._phase is FILLING:
            return self._count
        return 0

    @property
    def broken(self) -> bool:
        """Whether the barrier is broken."""
        return self._phase is BROKEN

    # -- abstraction function -------------------------------------------------------

    def _spec_state(
        self, threads: Mapping[int, ThreadId], calls: Mapping[ThreadId, Call] | None = None
    ) -> spec_barrier.State:
        """The spec's abstract state of this barrier; ``threads`` maps idents to the spec's ids.

        ``calls`` (the pending calls by thread) give each waiter's own timeout, and
        the order of the pending calls (the order they were made). An action is
        reported as a gate with id 0: its state is the caller's to know. Exact
        whenever no thread is between two steps of a method (and no action runs).
        """
        from spec import barrier as spec_barrier

        calls = calls or {}
        pending = []
        where = {threads[i]: (spec_barrier.Where.ENTERING, -1) for i in self._entering}
        where |= {threads[i]: (spec_barrier.Where.WAITING, k) for i, k in self._arrivals.items()}
        order = [t for t in calls if t in where] + sorted(t for t in where if t not in calls)
        for t in order:
            c = calls.get(t)
            own = c.kw().get("timeout", c.args[0] if c.args else None) if c is not None else None
            explicit = own is not None
            place, index = where[t]
            timeout = own if explicit else self._timeout
            pending.append(spec_barrier.Pending(t, "wait", place, timeout, explicit, index))
        if not self._action:
            action = spec_barrier.Action.NONE
        elif callable(self._action):
            action = spec_barrier.Action.GATE
        else:
            action = spec_barrier.Action.NOT_CALLABLE
        return spec_barrier.State(
            spec_profile(),
            parties=self._parties,
            default_timeout=self._timeout,
            action=action,
            phase=spec_barrier.Phase[self._phase.name],
            pending=tuple(pending),
        )
