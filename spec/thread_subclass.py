"""ThreadSubclass: a Thread whose ``run()`` is overridden in a subclass.

The documentation promises: the activity of a thread is given either by passing a callable to
the constructor or by overriding ``run()`` in a subclass; ``start()`` arranges for the object's
``run()`` (so the subclass's) to be invoked in a separate thread of control. The standard
``run()`` is the one that calls the target: an overriding ``run()`` replaces it, so the target
passed to the constructor is not called.

The checker's subclass is the agent's ``ThreadSubclass`` (PROTOCOL.md): ``Thread``'s arguments,
and a keyword argument ``run``, the function (a gate) its ``run()`` calls with no arguments; it
does nothing else. Its object is a Thread's (``spec.thread_state.State``, of kind ``SUBCLASS``)
whose action is that function, and its spec (``spec.thread.SUBCLASS_SPEC``) is Thread's with
this module's constructor: here is what only the subclass does, which the Thread spec's
transitions and steps ask for where the object is one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from spec.clauses import clause
from spec.core import Done
from spec.profiles import Profile
from spec.thread_state import Kind, Run, State, action_outcome, callable_action
from spec.values import Call, Outcome

PRIMITIVE = "ThreadSubclass"

# ---------------------------------------------------------------------------
# Clauses
# ---------------------------------------------------------------------------

INIT_CREATED = clause(
    "ThreadSubclass.init.created",
    doc="threading.Thread",
    quote="This constructor should always be called with keyword arguments. [The agent's subclass "
    "of Thread takes Thread's arguments, and a keyword argument run: the function its run() calls]",
)
START_RUNS_OVERRIDE_IN_NEW_THREAD = clause(
    "ThreadSubclass.start.runs-override-in-new-thread",
    doc="threading.Thread.start",
    quote="There are two ways to specify the activity: by passing a callable object to the "
    "constructor, or by overriding the run method in a subclass. Start the thread's activity. It "
    "arranges for the object's run() method to be invoked in a separate thread of control. [For a "
    "subclass that overrides run(), its own run()]",
)
RUN_OVERRIDE_REPLACES_TARGET = clause(
    "ThreadSubclass.run.override-replaces-target",
    doc="threading.Thread.run",
    quote="You may override this method in a subclass. The standard run() method invokes the "
    "callable object passed to the object's constructor as the target argument, if any [an "
    "overriding run() is called instead of the standard one, so the target is not called]",
)

# ---------------------------------------------------------------------------
# The constructor, and how its run() ends
# ---------------------------------------------------------------------------

Create = Callable[[Profile, Call], Done[State | None]]


def create(profile: Profile, c: Call, thread_create: Create) -> Done[State | None]:
    """``ThreadSubclass(*args, run=None, **kwargs)``: ``Thread(*args, **kwargs)`` (built by
    ``thread_create``), whose ``run()`` calls ``run()`` (nothing, for None) instead of the
    target."""
    rest = tuple(kv for kv in c.kwargs if kv[0] != "run")
    base = thread_create(profile, Call(c.thread, c.op, c.args, rest))
    if base.state is None:
        return base
    run = c.kw().get("run")
    action = None if run is None else callable_action(run, (), None)
    s = replace(base.state, kind=Kind.SUBCLASS, action=action, call_args=(), call_kwargs=())
    # clause ThreadSubclass.init.created
    return Done(base.outcome, s, INIT_CREATED)


def completions(s: State, r: Run) -> list[tuple[Outcome, str]]:
    """The ways run ``r`` (the overriding ``run()``) may end now: as its function does. It never
    deletes the target (only the standard ``run()`` does, in CPython), so it may run again."""
    called = action_outcome(s)
    # clause ThreadSubclass.run.override-replaces-target
    return [] if called is None else [(called, RUN_OVERRIDE_REPLACES_TARGET)]
