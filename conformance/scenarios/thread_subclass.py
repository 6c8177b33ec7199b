"""Scenarios and random-schedule alphabets for the agent's ``ThreadSubclass``: a Thread whose
``run()`` is overridden in a subclass.

Written to catch the bugs a seeded threading.py would have: the new thread calling the target
(``self._target(...)``) instead of the object's ``run()``, or the standard ``Thread.run`` instead
of the subclass's (``Thread.run(self)``), or ``__init__`` binding the standard ``run`` so that the
override is ignored. The subclass's ``run()`` calls gate 1 (so that the checker controls when it
returns, and the thread itself can make calls from inside it, ``OWN``); the target is gate 2,
which a correct implementation never calls: the agent reports the call if it happens. (A thread
that calls no gate cannot be watched ending: only scenarios whose run() calls gate 1 wait for
``EXITED``.)
"""

from __future__ import annotations

from conformance.scenario import BackToBackTemplate, CallMaker, EnvironmentCall, Scenario, back_to_back
from conformance.scenarios import Generator
from conformance.scenarios.thread import EXITED, OPEN
from conformance.timeouts import EXPIRING_TIMEOUT, ZERO_TIMEOUT
from spec import thread, thread_subclass
from spec.thread_state import OWN
from spec.values import ENV, Call, Gate, call, template

INIT = call(0, "__init__", target=Gate(2), run=Gate(1))
"""A subclass whose ``run()`` calls gate 1, given gate 2 as its target (never to be called)."""

START_RUNS_OVERRIDE = thread_subclass.START_RUNS_OVERRIDE_IN_NEW_THREAD
OVERRIDE = thread_subclass.RUN_OVERRIDE_REPLACES_TARGET


def scenario(name: str, steps: tuple[Call, ...], covers: tuple[str, ...], init: Call = INIT) -> Scenario:
    return Scenario(name, thread_subclass.PRIMITIVE, init, steps, covers)


SCENARIOS: tuple[Scenario, ...] = (
    scenario(
        "subclass_run_runs_in_the_new_thread_instead_of_the_target",
        (
            back_to_back(call(1, "start"), call(1, "is_alive")),
            call(2, "join"),
            call(OWN, "is_alive"),
            call(OWN, "join"),
            call(1, "join", ZERO_TIMEOUT),
            call(1, "is_alive"),
            OPEN,
            call(1, "join"),
            EXITED,
            call(1, "is_alive"),
        ),
        (thread_subclass.INIT_CREATED, START_RUNS_OVERRIDE, OVERRIDE, thread.JOIN_BLOCKS_UNTIL_TERMINATED,
         thread.JOIN_CURRENT_THREAD_RAISES, thread.RUN_END_TERMINATES_THREAD),
    ),
    scenario(
        "subclass_run_called_directly_runs_the_override_again_and_again",
        (
            call(1, "run"),
            call(2, "is_alive"),
            OPEN,
            call(1, "run"),
            call(1, "run"),
            call(1, "start"),
            call(1, "join"),
            call(1, "is_alive"),
        ),
        (OVERRIDE, START_RUNS_OVERRIDE, thread.RUN_END_TERMINATES_THREAD),
    ),
    scenario(
        "subclass_run_that_raises_ends_the_thread",
        (call(1, "start"), call(2, "join", EXPIRING_TIMEOUT), call(ENV, "gate.open", 1, "ValueError"),
         call(2, "join"), call(2, "is_alive")),
        (OVERRIDE, thread.RUN_END_TERMINATES_THREAD),
    ),
    scenario(
        "subclass_run_that_calls_nothing_never_calls_the_target",
        (call(1, "start"), call(1, "join"), call(1, "is_alive")),
        (thread_subclass.INIT_CREATED, OVERRIDE, thread.RUN_END_TERMINATES_THREAD),
        init=call(0, "__init__", target=Gate(2)),
    ),
)

ALPHABET: tuple[CallMaker, ...] = (
    template("start"),
    BackToBackTemplate((template("start"), template("is_alive"))),
    template("join"),
    template("join", EXPIRING_TIMEOUT),
    template("is_alive"),
    template("run"),
    EnvironmentCall(OPEN),
    EnvironmentCall(call(ENV, "gate.open", 1, "ValueError")),
)
"""The subclass's life: started or run directly, joined, its run() returning or raising."""

GENERATORS: tuple[Generator, ...] = (Generator(thread_subclass.PRIMITIVE, INIT, ALPHABET),)

EXPLORED_ALPHABET: tuple[CallMaker, ...] = (
    template("start"),
    template("join"),
    template("is_alive"),
    template("run"),
    EnvironmentCall(OPEN),
    EnvironmentCall(call(ENV, "gate.open", 1, "ValueError")),
)
"""What ``proofs/bounds.py`` explores exhaustively (its state counts are pinned there)."""
