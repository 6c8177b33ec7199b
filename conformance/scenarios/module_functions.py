"""Scenarios for what the module's functions return, and for subclasses of ``local``.

The agent reports a returned ``Thread`` by a summary (its name, daemon flag, whose thread
its ident is, and whether a Thread the checker created has the same name), so these
scenarios catch a seeded threading.py whose main_thread() returns the caller's thread,
whose current_thread() hands an alien thread the main thread instead of a dummy, whose
default names repeat (the name counter not advanced), whose enumerate() lists a thread
twice, or whose ``local`` does not run a subclass's ``__init__`` in each thread.

The module functions are operations of the ``Thread`` spec (``"module.<name>"``); each
scenario's own thread is never started, or started and joined, as in ``thread.py``.
"""

from __future__ import annotations

from conformance.scenario import CallMaker, Scenario
from conformance.scenarios import Generator
from conformance.scenarios.thread import OPEN, local_scenario, scenario
from spec import module, thread
from spec.values import Call, call

UNNAMED = call(0, "__init__")
"""A thread with a default name and no target: "Thread-N" in every version."""

LOCAL_SUBCLASS_INIT = call(0, "__init__", 5, "five")
"""A ``LocalSubclass`` whose ``__init__`` stores ``(5, "five")`` as ``args``."""


def local_subclass_scenario(
    name: str, steps: tuple[Call, ...], covers: tuple[str, ...], init: Call = LOCAL_SUBCLASS_INIT
) -> Scenario:
    return local_scenario(name, steps, covers, init, primitive=module.LOCAL_SUBCLASS)


MODULE_FUNCTION_SCENARIOS: tuple[Scenario, ...] = (
    scenario(
        "main_thread_is_the_main_thread_from_every_worker",
        (
            call(1, "module.main_thread"),
            call(2, "module.current_thread"),
            call(2, "module.main_thread"),
            call(1, "module.main_thread"),
        ),
        (module.MAIN_THREAD, module.CURRENT_THREAD),
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
        (module.CURRENT_THREAD, module.CURRENT_THREAD_ALIAS, module.CURRENT_THREAD_DEPRECATED),
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
        (module.ENUMERATE, module.ENUMERATE_NAMES, thread.START),
    ),
    scenario(
        "default_names_are_unique",
        (
            call(1, "get:name"),
            call(1, "module.Thread"),
            call(2, "module.Thread"),
            call(1, "module.Thread"),
        ),
        (module.NEW_THREAD, thread.NAME_DEFAULT),
        init=UNNAMED,
    ),
    scenario(
        "default_names_with_a_target_are_unique",
        (call(1, "get:name"), call(2, "module.Thread")),
        (module.NEW_THREAD, thread.NAME_DEFAULT),
    ),
)

LOCAL_SUBCLASS_SCENARIOS: tuple[Scenario, ...] = (
    local_subclass_scenario(
        "local_subclass_init_runs_in_each_thread",
        (
            call(1, "get:args"),
            call(2, "get:x"),
            call(2, "get:args"),
            call(1, "set:args", 7),
            call(1, "get:args"),
            call(2, "get:args"),
            call(3, "set:x", 1),
            call(3, "get:args"),
            call(0, "del:args"),
            call(0, "get:args"),
        ),
        (module.LOCAL_SUBCLASS_CREATED, module.LOCAL_SUBCLASS_INIT, module.LOCAL_GET, module.LOCAL_SET,
         module.LOCAL_DEL, module.LOCAL_GET_UNSET),
    ),
    local_subclass_scenario(
        "local_subclass_without_arguments",
        (call(1, "get:args"), call(2, "get:args")),
        (module.LOCAL_SUBCLASS_CREATED, module.LOCAL_SUBCLASS_INIT),
        init=call(0, "__init__"),
    ),
    local_subclass_scenario(
        "local_subclass_rejects_keyword_arguments",
        (),
        (module.LOCAL_SUBCLASS_CREATED,),
        init=call(0, "__init__", size=5),
    ),
)

SCENARIOS: tuple[Scenario, ...] = MODULE_FUNCTION_SCENARIOS + LOCAL_SUBCLASS_SCENARIOS

LOCAL_SUBCLASS_ALPHABET: tuple[CallMaker, ...] = (
    lambda t: call(t, "get:args"),
    lambda t: call(t, "set:args", 1),
    lambda t: call(t, "del:args"),
    lambda t: call(t, "get:x"),
    lambda t: call(t, "set:x", 2),
)

GENERATORS: tuple[Generator, ...] = (
    Generator(module.LOCAL_SUBCLASS, LOCAL_SUBCLASS_INIT, LOCAL_SUBCLASS_ALPHABET),
)
