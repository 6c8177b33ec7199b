"""Histories of one object under the deterministic scheduler, and their check against the spec.

Worker threads make their calls on the object under test and record each invocation
and completion with the virtual clock's time; at the end of a schedule (every thread
done, or a deadlock verdict with some threads left blocked) the history goes through
``conformance.checker.Checker``, exactly as the conformance driver feeds it from an
agent's events. A history fails when an outcome is one no run of the spec explains,
or when a thread left blocked is one the spec says must have completed.

Outcomes are summarised the way the agent summarises them (``conformance/agent.py``:
``encode``, ``exception_fields``): ``Returned(value)`` with plain values kept and other
objects described by their type, or ``Raised(name)`` with the names of the exception's
classes (and ``ThreadError`` when it derives from the module's ``ThreadError``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from conformance.checker import Checker, CheckerGaveUp, Observation
from spec.core import PrimitiveSpec
from spec.profiles import Profile
from spec.values import Call, Outcome, Raised, Returned, ThreadId


@dataclass(frozen=True, slots=True)
class Invoked:
    """``call`` began at virtual time ``t``."""

    call: Call
    t: float


@dataclass(frozen=True, slots=True)
class Completed:
    """Thread ``thread``'s pending call ended with ``outcome`` at virtual time ``t``."""

    thread: ThreadId
    outcome: Outcome
    names: tuple[str, ...]
    """The names of the exception's classes (empty for a return)."""
    t: float


Event = Invoked | Completed


def encode(value: Any, depth: int = 0) -> Any:
    """A result value as the agent reports it and the protocol decodes it."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (tuple, list)) and depth < 32:
        return tuple(encode(v, depth + 1) for v in value)
    return ("object", type(value).__name__)


def exception_names(exc: BaseException, module: ModuleType | None) -> tuple[str, ...]:
    """The names of ``exc``'s classes, with ``ThreadError`` when it derives from the module's."""
    names = [c.__name__ for c in type(exc).__mro__]
    thread_error = getattr(module, "ThreadError", None) if module is not None else None
    if isinstance(thread_error, type) and "ThreadError" not in names and isinstance(exc, thread_error):
        names.append("ThreadError")
    return tuple(names)


def perform(obj: Any, c: Call) -> Any:
    """Make call ``c`` on ``obj`` (``get:attr`` reads an attribute)."""
    if c.op.startswith("get:"):
        return getattr(obj, c.op[4:])
    return getattr(obj, c.op)(*c.args, **c.kw())


class Recorder:
    """Records the history of one schedule: who invoked what, and how and when it ended.

    ``touch(events)`` is called before each record: the history is plain data that every
    worker writes, and the scheduler's reduction must order those writes both ways (a
    completion recorded before or after another thread's invocation is another history).
    """

    def __init__(self, clock: Callable[[], float], module: ModuleType | None,
                 touch: Callable[[object], None] | None = None) -> None:
        self.clock = clock
        self.module = module
        self.touch = touch
        self.events: list[Event] = []

    def record(self, event: Event) -> None:
        if self.touch is not None:
            self.touch(self.events)
        self.events.append(event)

    def run(self, obj: Any, calls: Sequence[Call]) -> None:
        """The body of one worker thread: make ``calls`` one after the other on ``obj``."""
        for c in calls:
            self.record(Invoked(c, self.clock()))
            try:
                value = perform(obj, c)
            except Exception as exc:  # noqa: BLE001 - every exception is an outcome
                names = exception_names(exc, self.module)
                self.record(Completed(c.thread, Raised(type(exc).__name__), names, self.clock()))
            else:
                self.record(Completed(c.thread, Returned(encode(value)), (), self.clock()))


def check_history(
    spec: PrimitiveSpec[Any],
    profile: Profile,
    init: Call,
    events: Sequence[Event],
    now: float,
) -> str | None:
    """Is ``events`` (ended at virtual time ``now``) a history the spec allows? ``None`` if it
    is, else what is wrong. Calls still pending at the end are blocked for good (the
    scheduler's deadlock verdict): they fail the history when the spec owes them a completion."""
    checker = Checker(spec)
    try:
        violation = checker.created(profile, init, Returned(None))
        for ev in events:
            if violation is not None:
                break
            if isinstance(ev, Invoked):
                checker.invoked(ev.call, ev.t)
            else:
                violation = checker.completed(Observation(ev.thread, ev.outcome, ev.t, ev.names))
        if violation is None and not checker.settled(now, math.inf):
            violation = checker.owed(now, math.inf)
    except CheckerGaveUp as e:
        return f"the checker gave up: {e}"
    return None if violation is None else violation.describe()


def describe(events: Sequence[Event]) -> str:
    """The history as lines for a counterexample: ``t0.acquire() -> returned True``, ``t1.wait() ...``."""
    lines: list[str] = []
    pending: dict[ThreadId, Call] = {}
    for ev in events:
        if isinstance(ev, Invoked):
            pending[ev.call.thread] = ev.call
            lines.append(f"  @{ev.t:g} {ev.call!r} ...")
        else:
            c = pending.pop(ev.thread)
            lines.append(f"  @{ev.t:g} {c!r} -> {ev.outcome!r}")
    lines += [f"  {c!r} never returns" for c in pending.values()]
    return "\n".join(lines)
