"""Named timeouts (seconds) for scenarios, alphabets and tests: never literals.

Each says what the call is meant to do with it (expire, or be woken first), so that a
reader of a schedule knows what is being checked.
"""

from __future__ import annotations

EXPIRING_TIMEOUT = 0.05
"""A timeout that is meant to expire: the driver waits this long, then for the result."""

NEVER_EXPIRING_TIMEOUT = 60.0
"""A timeout long enough never to expire within a check: the call must be woken."""

ZERO_TIMEOUT = 0.0

NEGATIVE_TIMEOUT = -NEVER_EXPIRING_TIMEOUT
"""A negative timeout (expires at once where one is allowed) so large that an implementation
that took its absolute value, or let it mean "no timeout", would never return."""
