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
from spec.thread_state import OWN
from spec.values import ENV, Gate, call

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
            call(2, "module.current_thread().join", 1, 2),  # join takes one timeout
        ),
        (module.CURRENT_THREAD_DUMMY_CANNOT_BE_JOINED, module.CURRENT_THREAD_DUMMY_FOR_ALIEN_THREAD,
         module.CALL_BAD_NAME_OR_ARGUMENTS),
    ),
    scenario(
        "enumerate_lists_the_main_thread_once_and_distinct_names",
        (
            call(1, "module.current_thread"),
            call(2, "module.current_thread"),
            call(1, "module.enumerate"),
            call(3, "module.enumerate"),
            call(0, "start"),
            call(2, "module.enumerate"),
            OPEN,
            call(3, "join"),
            call(3, "module.enumerate"),
        ),
        (module.ENUMERATE_LISTS_ALIVE_THREADS, module.ENUMERATE_DEFAULT_NAMES_DISTINCT,
         module.ENUMERATE_LISTS_CALLERS_DUMMY, thread.START_RUNS_IN_NEW_THREAD),
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
# -- branches a default check did not reach (``threadspec check --coverage``) ----------------------

BRANCH_SCENARIOS: tuple[Scenario, ...] = (
    scenario(
        "module_functions_reject_arguments",
        (
            call(1, "module.current_thread", 1),
            call(2, "module.Thread", foo=1),
            call(1, "module.get_ident", 1),
            call(2, "module.stack_size", 2 ** 70),
            call(1, "module.stack_size"),
        ),
        (module.CALL_BAD_NAME_OR_ARGUMENTS, module.STACK_SIZE_BAD_TYPE_RAISES),
    ),
    scenario(
        "gettrace_rejects_arguments",
        (call(1, "module.gettrace"), call(1, "module.gettrace", 1), call(2, "module.getprofile", None)),
        (module.CALL_BAD_NAME_OR_ARGUMENTS, module.GETTRACE_RETURNS_HOOK),
        since=(3, 10),
    ),
    scenario(
        "active_count_alias_counts_first",
        (call(1, "module.activeCount"), call(2, "module.active_count"), call(1, "module.activeCount")),
        (module.ACTIVE_COUNT_ALIAS, module.ACTIVE_COUNT_DEPRECATION_WARNING),
    ),
    scenario(
        "excepthook_replaced_by_a_non_callable_rejects_a_call",
        (
            call(1, "module.set:excepthook", 5),
            call(2, "module.excepthook", 1),
            call(1, "module.set:excepthook", Gate(2)),
            call(ENV, "gate.open", 2),
        ),
        (module.EXCEPTHOOK_CAN_BE_OVERRIDDEN,),
        since=(3, 8),
    ),
)
"""Module functions called with arguments they do not take (``spec.module``'s TypeError and
OverflowError branches; ``excepthook`` once replaced by a non-callable, then by an opened
gate, which later threads call as they would the default), and a count whose first call is
the camelCase alias (the branch of ``spec.module.count`` that binds the baseline under the
alias's clause)."""

SCENARIOS = SCENARIOS + BRANCH_SCENARIOS

ORIGINAL_EXCEPTHOOK_SCENARIOS: tuple[Scenario, ...] = (
    scenario(
        "original_excepthook_called_with_what_is_no_exception_rejects_it",
        (call(1, "module.excepthook", 1), call(2, "module.excepthook")),
        (module.EXCEPTHOOK_HANDLES_UNCAUGHT_EXCEPTIONS,),
        since=(3, 8),
    ),
)
"""The module's own ``excepthook`` (every run starts with it) called directly by a worker with
an argument that is no ``ExceptHookArgs`` (and with none): it raises TypeError (``spec.module``'s
branch of ``excepthook`` while it is the original)."""

SCENARIOS = SCENARIOS + ORIGINAL_EXCEPTHOOK_SCENARIOS

IDENTITY_SCENARIOS: tuple[Scenario, ...] = (
    scenario(
        "threads_alive_together_have_distinct_ids",
        (
            call(0, "start"),
            call(OWN, "module.get_native_id"),
            call(OWN, "module.get_ident"),
            call(1, "module.get_native_id"),
            call(1, "module.get_ident"),
            call(2, "get:native_id"),
            call(2, "get:ident"),
            OPEN,
            call(1, "join"),
        ),
        (module.GET_NATIVE_ID_IDENTIFIES_THE_THREAD, module.GET_IDENT_RETURNS_NONZERO_INT,
         thread_attributes.NATIVE_ID_NONE_OR_INT, thread_attributes.IDENT_INT_ONCE_STARTED),
        since=(3, 8),
    ),
)
"""The ids of two threads alive at the same time: the Thread's own thread, waiting in its target,
reads its ``get_native_id()`` and ``get_ident()`` (the ids the agent read in it as it entered the
target), a worker reads its own (nonzero, and neither the other thread's) and the Thread's
attributes (the other thread's)."""

SCENARIOS = SCENARIOS + IDENTITY_SCENARIOS
