"""The steps of a lock that Lock, RLock and a Condition's underlying lock share.

``acquire(blocking=True, timeout=-1)`` binds and checks its arguments the same way in
every lock of the module (the C-level check); a rejected argument raises the same
exception types; a blocked ``acquire`` has a timeout or not; once the lock is free, any
one thread blocked in ``acquire`` may take it, and one with a timeout may give up.
Each primitive's spec keeps its own clauses and states: these functions only compute.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol, TypeVar

from spec.core import TIMEOUT_MAX, as_float, is_number
from spec.profiles import Profile
from spec.values import ANY, FALSY, MISSING, Call, Outcome, Raised, Returned, ThreadId, Value, bind

# ---------------------------------------------------------------------------
# State
# ---------------------------------------------------------------------------


class LockKind(enum.Enum):
    """A lock of the module: a Condition's underlying lock is one or the other."""

    LOCK = "Lock"
    RLOCK = "RLock"


@dataclass(frozen=True, slots=True)
class Acquirer:
    """A thread blocked in ``acquire`` or ``__enter__`` of a Lock (or of a Condition's lock);
    ``timed`` when its call has a timeout."""

    thread: ThreadId
    timed: bool
    entering: bool = False
    """Blocked in ``__enter__`` rather than ``acquire``: it returns ``__enter__``'s value
    (see ``entered``)."""


class Blocking(Protocol):
    """A thread blocked in ``acquire``, as any lock's state records it."""

    @property
    def thread(self) -> ThreadId: ...

    @property
    def timed(self) -> bool: ...


W = TypeVar("W", bound=Blocking)

# ---------------------------------------------------------------------------
# Arguments of acquire
# ---------------------------------------------------------------------------


def bind_acquire(profile: Profile, c: Call, kind: LockKind) -> dict[str, Value] | None:
    """``c``'s ``blocking`` and ``timeout`` (``MISSING`` on 2.7, which has none), bound the
    way Python binds them, or ``None`` when the call raises TypeError.

    2.7's Lock.acquire takes one positional argument; its (Python) RLock.acquire takes
    ``blocking``, by keyword too. 3.x's locks take ``(blocking=True, timeout=-1)``.
    """
    if not profile.py2:
        return bind(c, ("blocking", "timeout"), {"blocking": True, "timeout": -1})
    if kind is LockKind.LOCK and c.kwargs:
        return None
    a = bind(c, ("blocking",), {"blocking": True})
    if a is not None:
        a["timeout"] = MISSING
    return a


def acquire_error(
    profile: Profile, blocking: Value, timeout: Value, *, checks_blocking: bool = True
) -> str | None:
    """The exception type a C-level ``acquire(blocking, timeout)`` raises, or ``None``.

    Before 3.12 ``blocking`` is parsed as an int (``checks_blocking``; 3.12+ takes any
    object for its truth value). A ``timeout`` other than -1 with ``blocking`` false, a
    negative one other than -1 or a NaN raise ValueError, one above ``TIMEOUT_MAX``
    OverflowError, a non-number TypeError. An infinite timeout, or an int too large for a
    float (``10**400``, of either sign), fails its conversion first: OverflowError.
    """
    if checks_blocking and profile.before(3, 12) and not isinstance(blocking, int):
        return "TypeError"
    if timeout is MISSING:
        return None
    if not is_number(timeout):
        return "TypeError"
    # CPython converts the timeout first: an infinite one, or an int too large for a float,
    # cannot be converted (OverflowError), whatever blocking says. One conversion, and no
    # infinity test of an int's float (it cannot be one): CrossHair's paths stay cheap
    try:
        t = float(timeout)
    except OverflowError:  # an int too large for a float (10**400)
        return "OverflowError"
    if isinstance(timeout, float) and math.isinf(timeout) and profile.since(3, 2):
        return "OverflowError"
    if (not blocking and t != -1) or math.isnan(t) or (t < 0 and t != -1):
        return "ValueError"
    if t > TIMEOUT_MAX:
        return "OverflowError"
    return None


def rejected(profile: Profile, err: str, blocking: Value = True, timeout: Value = MISSING) -> Raised:
    """How a rejected ``acquire(blocking, timeout)`` raises ``err`` (CPython's exception type).

    The documentation names OverflowError for a timeout above TIMEOUT_MAX (an infinite one too),
    but not what a negative or NaN timeout, or a timeout with blocking False, raises: CPython
    raises ValueError, PyPy OverflowError for NaN. Where two rules reject a call (a non-blocking
    call with a timeout above TIMEOUT_MAX), it does not say which one is checked first: CPython
    converts the timeout first (OverflowError), PyPy and gevent check blocking first
    (ValueError). A timeout below -TIMEOUT_MAX is not "greater than" it: CPython's conversion
    raises OverflowError. At documented strictness any exception is accepted where the
    documentation names none.
    """
    if profile.cpython or err == "TypeError":
        return Raised(err)
    if err == "OverflowError" and blocking and _above_timeout_max(timeout):
        return Raised(err)
    return Raised("Exception")


def _above_timeout_max(timeout: Value) -> bool:
    """Is ``timeout`` a number greater than ``TIMEOUT_MAX`` (exactly compared: ``10**400`` is)?
    ``MISSING`` (2.7's acquire takes no timeout) is not."""
    return isinstance(timeout, int | float) and not isinstance(timeout, bool) and timeout > TIMEOUT_MAX


def undocumented(blocking: Value, timeout: Value, err: str) -> bool:
    """Is ``err`` CPython's answer to a timeout the documentation gives no meaning to?

    The documentation says that -1 waits without limit, that a (floating-point) timeout above
    ``TIMEOUT_MAX`` raises OverflowError and that one with blocking false is forbidden; it says
    nothing of a negative timeout other than -1 or a NaN (CPython: ValueError), of one below
    ``-TIMEOUT_MAX`` (``-inf``, ``-10**400``: OverflowError), nor of one that is no number
    (``None``, ``'1'``: TypeError). What such a call does is CPython's.
    """
    if not blocking or timeout is MISSING:
        return False
    if not is_number(timeout):
        return err == "TypeError"
    return err == "ValueError" or (err == "OverflowError" and timeout < 0)


def is_timed(timeout: Value) -> bool:
    """Does an accepted ``timeout`` argument limit the wait? (-1, and 2.7's none, do not.)"""
    return timeout is not MISSING and as_float(timeout) != -1


def pending_timeout(c: Call) -> float | None:
    """The timeout of a pending ``acquire(blocking, timeout)`` call ``c`` (``None``: none)."""
    t: Value = c.kw().get("timeout", c.args[1] if len(c.args) > 1 else -1)
    if not is_number(t) or t == -1:
        return None
    return as_float(t)


def entered(profile: Profile, acquired: Outcome) -> Outcome:
    """What ``__enter__`` returns once ``acquire`` would have returned ``acquired``.

    The documentation does not say what a lock's ``__enter__`` returns: CPython returns
    acquire's value (True), PyPy the lock itself. At documented strictness any value.
    """
    if isinstance(acquired, Returned) and not profile.cpython:
        return Returned(ANY)
    return acquired


def exited(profile: Profile) -> Outcome:
    """What ``__exit__`` returns once it has released the lock.

    The documentation gives no value: the with statement only needs a false one, so that the
    exception is not suppressed. CPython returns None (Jython False); at documented strictness
    any false value.
    """
    return Returned(None if profile.cpython else FALSY)


def taken(profile: Profile, w: Acquirer) -> Outcome:
    """What the blocked call of ``w`` returns once it has taken the lock."""
    return entered(profile, Returned(True)) if w.entering else Returned(True)


# ---------------------------------------------------------------------------
# Internal steps
# ---------------------------------------------------------------------------


def takers(waiters: tuple[W, ...]) -> Iterator[tuple[W, tuple[W, ...]]]:
    """Each thread that may take the free lock (which one does is not defined), with the
    threads left waiting once it has."""
    for i, w in enumerate(waiters):
        yield w, waiters[:i] + waiters[i + 1 :]


def giving_up(waiters: tuple[W, ...]) -> Iterator[tuple[W, tuple[W, ...]]]:
    """Each thread whose ``acquire`` has a timeout and so may give up (returning False),
    with the threads left waiting once it has."""
    for w, rest in takers(waiters):
        if w.timed:
            yield w, rest
