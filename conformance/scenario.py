"""Named scenarios: short readable schedules, each written for one or more clauses.

A scenario is run against a target by the driver; every observation is checked
against the spec. ``covers`` lists the clauses the scenario is meant to exercise;
the report counts a clause as exercised from the spec steps that actually explained
the observations, not from this list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spec.core import Call, Profile, ThreadId, Version

CallMaker = Callable[[ThreadId], Call]
"""An entry of a primitive's alphabet: the call a given thread makes."""


@dataclass(frozen=True)
class Scenario:
    """``init`` constructs the primitive (op ``"__init__"``); ``steps`` are invoked in
    order, each after the previous one has reached quiescence."""

    name: str
    primitive: str
    init: Call
    steps: tuple[Call, ...]
    covers: tuple[str, ...]
    since: Version = (2, 7)
    until: Version | None = None

    def applies_to(self, profile: Profile) -> bool:
        return profile.version >= self.since and (self.until is None or profile.version < self.until)

    def __str__(self) -> str:
        return f"{self.primitive}({', '.join(map(repr, self.init.args))}): " + " ; ".join(
            map(repr, self.steps)
        )


# Named timeouts (seconds), never literals in scenarios.
EXPIRING_TIMEOUT = 0.05
"""A timeout that is meant to expire: the driver waits this long, then for the result."""

NEVER_EXPIRING_TIMEOUT = 60.0
"""A timeout long enough never to expire within a check: the call must be woken."""

ZERO_TIMEOUT = 0.0
