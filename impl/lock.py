"""Lock: the interpreter's own primitive lock, as the documentation says.

The documentation calls ``threading.Lock`` "the lowest level synchronization
primitive currently available, implemented directly by the _thread extension
module", so impl does not write one: ``Lock`` *is* ``_thread``'s lock, exactly
as in the running interpreter's ``threading``:

* 3.11 and 3.12: ``Lock`` is the factory ``_thread.allocate_lock`` (the lock
  type itself cannot be instantiated there);
* 3.13 and later: ``Lock`` is the type ``_thread.lock``.

Everything else in impl that needs mutual exclusion or a way to park a thread is
built from this lock.
"""

from __future__ import annotations

import _thread
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spec import lock as spec_lock
    from spec.profiles import Profile
    from spec.values import Call, ThreadId

LockType = _thread.LockType
"""The type of the objects that ``Lock()`` returns."""

if sys.version_info >= (3, 13):
    Lock = _thread.LockType
else:
    Lock = _thread.allocate_lock

ThreadError = _thread.error
"""``RuntimeError``: what releasing an unlocked lock raises (the name is kept for 2.x code)."""

TIMEOUT_MAX: float = _thread.TIMEOUT_MAX
"""The largest timeout that a blocking call accepts; larger ones raise ``OverflowError``."""


new_lock = _thread.allocate_lock
"""Make a new unlocked primitive lock: what ``Lock()`` does, typed alike on every version."""


def check_acquire_arguments(blocking: object, timeout: object) -> None:
    """Raise what ``Lock.acquire(blocking, timeout)`` would raise for bad arguments.

    The check is the interpreter's own: a fresh, unlocked lock is asked to
    acquire with these arguments, which can never block.

    Raises:
      ValueError: a timeout with ``blocking`` false, or a negative timeout other than -1, or NaN.
      OverflowError: a timeout above ``TIMEOUT_MAX``.
      TypeError: a timeout that is not a number.
    """
    _thread.allocate_lock().acquire(blocking, timeout)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# Abstraction functions: impl's objects as the spec sees them
# ---------------------------------------------------------------------------


def spec_profile() -> Profile:
    """The spec's profile of the running interpreter (at CPython strictness)."""
    from spec.profiles import profile_for

    return profile_for(f"{sys.version_info[0]}.{sys.version_info[1]}")


def _spec_state(
    lock: LockType,
    holder: ThreadId | None = None,
    calls: Mapping[ThreadId, Call] | None = None,
) -> spec_lock.State:
    """The spec's abstract state of a primitive lock.

    A ``_thread`` lock knows neither who acquired it nor who waits for it, so
    the caller says: ``holder`` is the thread whose ``acquire`` locked it, and
    ``calls`` are the pending calls of threads blocked in ``acquire``.
    """
    from spec import lock as spec_lock
    from spec.lockstep import Acquirer

    waiters = tuple(
        Acquirer(thread, spec_lock.timeout(c) is not None) for thread, c in (calls or {}).items()
    )
    locked = lock.locked()
    return spec_lock.State(
        spec_profile(), locked=locked, waiters=waiters, holder=holder if locked else None
    )
