"""Named scenarios: short readable schedules, each written for one or more clauses.

A scenario is run against a target by the driver; every observation is checked
against the spec. ``covers`` lists the clauses the scenario is meant to exercise;
the report counts a clause as exercised from the spec steps that actually explained
the observations, not from this list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spec.profiles import Profile, Version
from spec.values import ENV, Call, CallTemplate, ThreadId

CallMaker = Callable[[ThreadId], Call]
"""An entry of a primitive's alphabet: the call a given thread makes."""

BACK_TO_BACK = "back_to_back"
"""The op of a step that is several calls of one thread (see ``back_to_back``)."""


def back_to_back(*calls: Call) -> Call:
    """One step of several calls that one thread makes back to back: its worker gets them
    together and makes each as soon as the previous one returned, with nothing in between
    (no round trip to the checker, no system call that would let another thread run).
    The checker sees them as consecutive calls of that thread. A call that blocks holds up
    the ones after it.

    Raises:
      ValueError: no calls, calls of different threads, or an environment call.
    """
    threads = {c.thread for c in calls}
    if len(threads) != 1 or ENV in threads or any(c.op == BACK_TO_BACK for c in calls):
        raise ValueError(f"back_to_back needs calls of one thread of the schedule, not {calls!r}")
    return Call(calls[0].thread, BACK_TO_BACK, tuple(calls))


@dataclass(frozen=True, slots=True)
class BackToBackTemplate:
    """An alphabet entry: calls that the given thread makes back to back (``back_to_back``),
    e.g. ``BackToBackTemplate((template("release"), template("acquire", False)))``."""

    calls: tuple[CallTemplate, ...]

    def __call__(self, thread: ThreadId) -> Call:
        return back_to_back(*(c(thread) for c in self.calls))

    def __repr__(self) -> str:
        return f"back_to_back({', '.join(map(repr, self.calls))})"


@dataclass(frozen=True, slots=True)
class EnvironmentCall:
    """An alphabet entry: a call the environment makes (``ENV``), whichever thread's turn it
    takes, e.g. ``EnvironmentCall(call(ENV, "gate.open", 1))``."""

    call: Call

    def __call__(self, thread: ThreadId) -> Call:
        return self.call

    def __repr__(self) -> str:
        return repr(self.call)


def calls_of(step: Call) -> tuple[Call, ...]:
    """The calls a step makes: itself, or the calls of a ``back_to_back`` step."""
    return tuple(step.args) if step.op == BACK_TO_BACK else (step,)


def arguments_text(c: Call) -> str:
    """``c``'s arguments as a call reads them: ``(1, timeout=0.5)``."""
    parts = [repr(a) for a in c.args] + [f"{k}={v!r}" for k, v in c.kwargs]
    return f"({', '.join(parts)})"


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
