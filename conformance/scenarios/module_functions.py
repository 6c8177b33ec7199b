"""Scenarios for what the module's functions return.

The agent reports a returned ``Thread`` by a summary (its name, daemon flag, whose thread
its ident is, and whether a Thread the checker created has the same name), so these
scenarios catch a seeded threading.py whose main_thread() returns the caller's thread,
whose current_thread() hands an alien thread the main thread instead of a dummy, whose
default names repeat (the name counter not advanced), or whose enumerate() lists a thread
twice.

The module functions are operations of the ``Thread`` spec (``"module.<name>"``); each
scenario's own thread is never started, or started and joined, as in ``thread.py``.
"""

from __future__ import annotations

from conformance.scenario import Scenario
from conformance.scenarios.thread import OPEN, scenario
from spec import module, thread, thread_attributes
from spec.values import call

UNNAMED = call(0, "__init__")
"""A thread with a default name and no target: "Thread-N" in every version."""

MODULE_FUNCTION_SCENARIOS: tuple[Scenario, ...] = (
    scenario(
        "main_thread_is_the_main_thread_from_every_worker",
        (
            call(1, "module.main_thread"),
            call(2, "module.current_thread"),
            call(2, "module.main_thread"),
            call(1, "module.main_thread"),
        ),
        (module.MAIN_THREAD_RETURNS_MAIN_THREAD, module.CURRENT_THREAD_DUMMY_FOR_ALIEN_THREAD),
        since=(3, 4),
    ),
    scenario(
        "current_thread_of_an_alien_thread_is_its_daemonic_dummy",
        (
            call(1, "module.current_thread"),
            call(2, "module.current_thread"),
            call(1, "module.current_thread"),
            call(3, "module.currentThread"),
        ),
        (module.CURRENT_THREAD_DUMMY_FOR_ALIEN_THREAD, module.CURRENT_THREAD_ALIAS,
         module.CURRENT_THREAD_DEPRECATION_WARNING),
    ),
    scenario(
        "a_dummy_thread_cannot_be_joined",
        (
            call(1, "module.current_thread().join"),
            call(2, "module.current_thread"),
            call(2, "module.current_thread().join"),
            call(1, "module.current_thread"),
        ),
        (module.CURRENT_THREAD_DUMMY_CANNOT_BE_JOINED, module.CURRENT_THREAD_DUMMY_FOR_ALIEN_THREAD),
    ),
    scenario(
        "enumerate_lists_the_main_thread_once_and_distinct_names",
        (
            call(1, "module.current_thread"),
            call(2, "module.current_thread"),
            call(3, "module.current_thread"),
            call(1, "module.enumerate"),
            call(0, "start"),
            call(2, "module.enumerate"),
            OPEN,
            call(3, "join"),
            call(3, "module.enumerate"),
        ),
        (module.ENUMERATE_LISTS_ALIVE_THREADS, module.ENUMERATE_DEFAULT_NAMES_DISTINCT,
         thread.START_RUNS_IN_NEW_THREAD),
    ),
    scenario(
        "default_names_are_unique",
        (
            call(1, "get:name"),
            call(1, "module.Thread"),
            call(2, "module.Thread"),
            call(1, "module.Thread"),
        ),
        (module.THREAD_DEFAULT_NAME_UNIQUE, thread_attributes.NAME_DEFAULT_THREAD_N),
        init=UNNAMED,
    ),
    scenario(
        "default_names_with_a_target_are_unique",
        (call(1, "get:name"), call(2, "module.Thread")),
        (module.THREAD_DEFAULT_NAME_UNIQUE, thread_attributes.NAME_DEFAULT_THREAD_N),
    ),
)

SCENARIOS: tuple[Scenario, ...] = MODULE_FUNCTION_SCENARIOS


# -- names that became classes (3.3: Condition, Semaphore, BoundedSemaphore, Event, Timer; 3.13: Lock)

CLASS_SCENARIOS: tuple[Scenario, ...] = (
    scenario(
        "names_that_became_classes_hold_classes",
        (
            call(1, "module.get:Condition"),
            call(2, "module.get:Semaphore"),
            call(3, "module.get:BoundedSemaphore"),
            call(1, "module.get:Event"),
            call(2, "module.get:Timer"),
        ),
        (module.CONDITION_IS_A_CLASS, module.SEMAPHORE_IS_A_CLASS, module.BOUNDED_SEMAPHORE_IS_A_CLASS,
         module.EVENT_IS_A_CLASS, module.TIMER_IS_A_CLASS),
        init=UNNAMED,
        since=(3, 3),
    ),
    scenario(
        "lock_is_a_class",
        (call(1, "module.get:Lock"),),
        (module.LOCK_IS_A_CLASS,),
        init=UNNAMED,
        since=(3, 13),
    ),
)

SCENARIOS = SCENARIOS + CLASS_SCENARIOS
