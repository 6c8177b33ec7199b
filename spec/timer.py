"""Timer: a Thread whose ``run()`` waits for an interval, then calls its function.

The documentation promises: ``Timer(interval, function, args, kwargs)`` is started like a
thread; its ``run()`` waits about ``interval`` seconds and then calls the function, unless
``cancel()`` came first, while the timer was still waiting.

A Timer's object is a Thread's (``spec.thread_state.State``, of kind ``TIMER``), and its
spec (``spec.thread.TIMER_SPEC``) is Thread's with this module's constructor: here is what
only a Timer does, which the Thread spec's transitions and steps ask for where the object
is a Timer.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace

from spec.clauses import clause
from spec.core import TIMEOUT_MAX, Blocked, Done, Step, is_number
from spec.profiles import Profile, Strictness
from spec.thread_state import (
    OWN,
    Action,
    Interval,
    Kind,
    Life,
    Run,
    RunStage,
    State,
    action_outcome,
    callable_action,
    observed_arguments,
)
from spec.values import ENV, MISSING, Call, Outcome, Raised, Returned, Value, bind

PRIMITIVE = "Timer"

# ---------------------------------------------------------------------------
# Clauses
# ---------------------------------------------------------------------------

INIT_CREATED = clause(
    "Timer.init.created",
    doc="threading.Timer",
    quote="Create a timer that will run function with arguments args and keyword arguments "
    "kwargs, after interval seconds have passed.",
)
INIT_BAD_ARGUMENTS_RAISE_TYPEERROR = clause(
    "Timer.init.bad-arguments-raise-typeerror",
    doc="threading.Timer",
    quote="Timer(interval, function, args=None, kwargs=None) [Python: other arguments raise "
    "TypeError]",
    strictness=Strictness.CPYTHON,
)
START_STARTS_WAITING = clause(
    "Timer.start.starts-waiting",
    doc="threading.Timer",
    quote="Timers are started, as with threads, by calling their start() method.",
)
RUN_CALLS_FUNCTION_AFTER_INTERVAL = clause(
    "Timer.run.calls-function-after-interval",
    doc="threading.Timer",
    quote="This class represents an action that should be run only after a certain amount of "
    "time has passed. The interval the timer will wait before executing its action may not be "
    "exactly the same as the interval specified by the user.",
)
RUN_FUNCTION_CALLED_WITH_ARGUMENTS = clause(
    "Timer.run.function-called-with-arguments",
    doc="threading.Timer",
    quote="Create a timer that will run function with arguments args and keyword arguments kwargs, "
    "after interval seconds have passed. If args is None (the default) then an empty list will be "
    "used. If kwargs is None (the default) then an empty dict will be used. [2.7: Timer(interval, "
    "function, args=[], kwargs={}): an explicit None for args or kwargs makes the call of the "
    "function raise TypeError]",
)
CANCEL_STOPS_WAITING_TIMER = clause(
    "Timer.cancel.stops-waiting-timer",
    doc="threading.Timer.cancel",
    quote="The timer can be stopped (before its action has begun) by calling the cancel() "
    "method. Stop the timer, and cancel the execution of the timer's action.",
)
CANCEL_ONLY_WHILE_WAITING = clause(
    "Timer.cancel.only-while-waiting",
    doc="threading.Timer.cancel",
    quote="This will only work if the timer is still in its waiting stage.",
)
RUN_CANCELLED_SKIPS_FUNCTION = clause(
    "Timer.run.cancelled-skips-function",
    doc="threading.Timer",
    quote="The timer can be stopped (before its action has begun) by calling the cancel() "
    "method. [A cancelled timer ends without calling its function]",
)
RUN_BAD_INTERVAL_RAISES = clause(
    "Timer.run.bad-interval-raises",
    doc="threading.Timer",
    quote="[CPython: an interval that is not a number makes the timer's run() raise TypeError; "
    "from 3.0 one above TIMEOUT_MAX raises OverflowError, and a NaN one does not wait]",
    strictness=Strictness.CPYTHON,
)


# ---------------------------------------------------------------------------
# The constructor and the interval
# ---------------------------------------------------------------------------


def interval(profile: Profile, v: Value) -> Interval:
    """How long a timer built with ``interval=v`` waits, or the exception its wait raises."""
    if v is None:
        return None
    if not is_number(v):
        return "TypeError"
    f = float(v)
    if math.isnan(f):
        return None if profile.py2 else 0.0
    if f > TIMEOUT_MAX:
        return None if profile.py2 else "OverflowError"
    return max(f, 0.0)


def create(profile: Profile, c: Call) -> Done[State | None]:
    """``Timer(interval, function, args=None, kwargs=None)``."""
    a = bind(c, ("interval", "function", "args", "kwargs"), {"args": (), "kwargs": {}})
    if a is None or a["interval"] is MISSING or a["function"] is MISSING:
        # clause Timer.init.bad-arguments-raise-typeerror
        return Done(Raised("TypeError"), None, INIT_BAD_ARGUMENTS_RAISE_TYPEERROR)
    args, kwargs = a["args"], a["kwargs"]
    action: Action
    if profile.py2 and (args is None or kwargs is None):
        action = "TypeError"  # 2.7 keeps an explicit None: *None and **None raise
    else:
        action = callable_action(a["function"], () if args is None else args, kwargs)
    positional, named = observed_arguments(() if args is None else args, kwargs)
    s = State(profile, kind=Kind.TIMER, action=action, interval=interval(profile, a["interval"]),
              call_args=positional, call_kwargs=named)
    # clause Timer.init.created
    return Done(Returned(None), s, INIT_CREATED)


def interval_timeout(c: Call) -> float | None:
    """For the constructor call ``c``: the interval after ``start()`` that the timer waits
    before it calls its function (``None``: it never has to)."""
    v: Value = c.kw().get("interval", c.args[0] if c.args else None)
    if not is_number(v) or math.isnan(float(v)) or float(v) > TIMEOUT_MAX:
        return None
    return max(float(v), 0.0)


# ---------------------------------------------------------------------------
# Transitions (what differs from a Thread's)
# ---------------------------------------------------------------------------


def start(s: State) -> Done[State]:
    """``start()`` of a timer not yet started: its own ``run()`` begins waiting."""
    own = Run(OWN, RunStage.WAITING)
    # clause Timer.start.starts-waiting
    return Done(Returned(None), replace(s, life=Life.RUNNING, runs=s.runs + (own,)), START_STARTS_WAITING)


def run(s: State, c: Call) -> Blocked[State]:
    """``run()`` called directly: the worker itself waits for the interval."""
    waiting = replace(s, runs=s.runs + (Run(c.thread, RunStage.WAITING),))
    # clause Timer.run.calls-function-after-interval
    return Blocked(waiting, RUN_CALLS_FUNCTION_AFTER_INTERVAL)


def cancel(s: State, c: Call) -> Done[State]:
    waiting = s.life is Life.NEW or any(r.stage is RunStage.WAITING for r in s.runs)
    if not waiting:
        # clause Timer.cancel.only-while-waiting
        return Done(Returned(None), replace(s, finished=True), CANCEL_ONLY_WHILE_WAITING)
    # clause Timer.cancel.stops-waiting-timer
    return Done(Returned(None), replace(s, finished=True), CANCEL_STOPS_WAITING_TIMER)


# ---------------------------------------------------------------------------
# Internal steps
# ---------------------------------------------------------------------------


def completions(s: State, r: Run) -> list[tuple[Outcome, str]]:
    """The ways run ``r`` of a timer may end now, with the clause of each."""
    if r.stage is RunStage.WAITING:
        if s.finished:
            return [(Returned(None), RUN_CANCELLED_SKIPS_FUNCTION)]
        if isinstance(s.interval, str):
            return [(Raised(s.interval), RUN_BAD_INTERVAL_RAISES)]
        return []
    called = action_outcome(s)
    return [] if called is None else [(called, RUN_FUNCTION_CALLED_WITH_ARGUMENTS)]


def fires(s: State) -> Iterator[Step[State]]:
    """A waiting run's interval passes: it goes on to call the function."""
    if s.finished or not isinstance(s.interval, float):
        return
    for i, r in enumerate(s.runs):
        if r.stage is RunStage.WAITING:
            fired = s.runs[:i] + (replace(r, stage=RunStage.CALLING),) + s.runs[i + 1 :]
            # clause Timer.run.calls-function-after-interval (the thread's own run: an
            # environment step)
            yield Step(ENV if r.thread == OWN else r.thread, None, replace(s, runs=fired),
                       RUN_CALLS_FUNCTION_AFTER_INTERVAL)
