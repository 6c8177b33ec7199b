"""How Condition's ``wait``, ``wait_for`` and ``notify`` read their arguments, version by version.

``wait(timeout)`` and ``wait_for(predicate, timeout)`` take a timeout that CPython reads in
ways the documentation does not spell out (NaN, infinite, not a number, above
``TIMEOUT_MAX``); ``notify(n)`` an ``n`` that each version bounds differently. These pure
functions say what each reading amounts to; ``spec.condition`` cites the clauses.
"""

from __future__ import annotations

import enum
import math

from spec import lockstep
from spec.core import TIMEOUT_MAX, is_number
from spec.profiles import Profile
from spec.values import Call, Value

SYS_MAXSIZE = 2**63 - 1
"""``sys.maxsize`` on 64-bit CPython: the largest ``n`` that 3.6–3.8's ``notify`` accepts."""


class Limit(enum.Enum):
    """How a ``wait``'s timeout argument behaves."""

    NONE = "no timeout"
    TIMED = "a timeout"
    NOW = "a timeout that expires at once"
    TOO_LARGE = "a timeout above TIMEOUT_MAX: OverflowError after re-acquiring"
    WRONG_TYPE = "a timeout that is not a number: TypeError"


def wait_limit(profile: Profile, timeout: Value, *, for_wait_for: bool = False) -> Limit:
    """How CPython's ``wait(timeout)`` treats ``timeout``."""
    if timeout is None:
        return Limit.NONE
    if not is_number(timeout):
        return Limit.WRONG_TYPE
    nan = isinstance(timeout, float) and math.isnan(timeout)
    infinite = isinstance(timeout, float) and math.isinf(timeout)
    if profile.py2:
        # [CPython 2.7] a polling loop against time() + timeout: NaN and +inf never expire
        if nan or (infinite and timeout > 0):
            return Limit.NONE
        return Limit.TIMED if timeout > 0 else Limit.NOW
    if nan and for_wait_for:
        # [CPython 3.x] wait_for(timeout=NaN) spins forever: modelled as no timeout
        return Limit.NONE
    if nan or not timeout > 0:
        return Limit.NOW
    return Limit.TOO_LARGE if infinite or timeout > TIMEOUT_MAX else Limit.TIMED


def notify_count(profile: Profile, n: Value, available: int) -> int | str:
    """How many of ``available`` queue entries ``notify(n)`` wakes, or the exception it raises."""
    if profile.py2:
        # [CPython 2.7] waiters[:n]
        if n is not None and not isinstance(n, int):
            return "TypeError"
        return len(range(available)[:n])
    if profile.before(3, 9):
        # [CPython 3.6-3.8] islice(waiters, n)
        if n is None:
            return available
        if not isinstance(n, int) or not 0 <= n <= SYS_MAXSIZE:
            return "ValueError"
        return min(n, available)
    # [CPython 3.9+] while waiters and n > 0: wake one; n -= 1
    if available == 0:
        return 0
    if not is_number(n):
        return "TypeError"
    if isinstance(n, float) and (math.isnan(n) or math.isinf(n)):
        return available if n > 0 else 0
    if n <= 0:
        return 0
    return min(available, int(math.ceil(n)))


def timeout(c: Call) -> float | None:
    """The timeout of a pending ``acquire``, ``wait`` or ``wait_for`` (``None``: none)."""
    kw = c.kw()
    if c.op == "acquire":
        limit = lockstep.pending_timeout(c)
        return None if limit is None else max(limit, 0.0)
    t: Value
    if c.op == "wait":
        t = kw.get("timeout", c.args[0] if c.args else None)
    elif c.op == "wait_for":
        t = kw.get("timeout", c.args[1] if len(c.args) > 1 else None)
    else:
        return None
    if t is None or not is_number(t):
        return None
    if isinstance(t, int) and t > TIMEOUT_MAX:
        return None
    f = float(t)
    if math.isnan(f) or f <= 0:
        return 0.0
    return None if math.isinf(f) or f > TIMEOUT_MAX else f
