"""Scenarios and random-schedule alphabets for Thread, Timer, the module functions and local.

Written to catch the bugs a seeded threading.py would have: start() allowed twice, join()
before start() not refused, join() ignoring its timeout or returning before the thread has
ended, is_alive() wrong before start or after the end, the thread not registered in (or not
removed from) the table active_count() and enumerate() read, daemon settable after start,
the name not converted to a string, excepthook not called for an uncaught exception,
cancel() not stopping a waiting Timer, a Timer calling its function without its arguments,
gettrace() returning the profile hook, stack_size() not swapping the size.

Some bugs show only in a short window or from inside the thread, so some steps are
``back_to_back`` calls (start() and, with nothing in between, is_alive(), ident, join(0): a
start() that does not wait for the thread to run), calls of the thread itself (``OWN``, from
inside its target: join() of the current thread), the thread's end as the agent sees its
OS thread go (``EXITED``: is_alive() must then be False, without a join()), and the
arguments the agent reports each gate was called with (a target without its kwargs, an
excepthook told of no thread, a Timer's function called before its interval).

Every scenario that starts a thread ends by joining it, so that no thread of one scenario
ends while the next one counts threads. Scenarios that assign module globals (trace and
profile hooks, the stack size) put the defaults back; an excepthook replaced by a gate is
left in place, opened, and so behaves like the default for later threads.
"""

from __future__ import annotations

import math

from conformance.scenario import (
    EXPIRING_TIMEOUT,
    NEGATIVE_TIMEOUT,
    NEVER_EXPIRING_TIMEOUT,
    ZERO_TIMEOUT,
    CallMaker,
    Scenario,
    back_to_back,
)
from conformance.scenarios import Generator
from spec import module, thread
from spec.thread import OWN
from spec.values import ENV, THREAD_EXITED, Call, Gate, Hook, call, in_gate

INIT = call(0, "__init__", target=Gate(1))
"""A thread whose target is gate 1."""

TIMER_INIT = call(0, "__init__", EXPIRING_TIMEOUT, Gate(1))
"""A timer that calls gate 1 once its short interval has passed."""

LOCAL_INIT = call(0, "__init__")

OPEN = call(ENV, "gate.open", 1)
"""The target (or the timer's function) returns."""

EXITED = call(ENV, THREAD_EXITED)
"""Wait until the agent has seen the thread's OS thread go (where it can watch threads)."""

IN_HOOK = in_gate(2)
"""The thread itself, while it waits in gate 2 (an excepthook)."""


def scenario(
    name: str,
    steps: tuple[Call, ...],
    covers: tuple[str, ...],
    init: Call = INIT,
    **versions: tuple[int, int],
) -> Scenario:
    return Scenario(name, thread.PRIMITIVE, init, steps, covers, **versions)


def timer_scenario(
    name: str,
    steps: tuple[Call, ...],
    covers: tuple[str, ...],
    init: Call = TIMER_INIT,
    **versions: tuple[int, int],
) -> Scenario:
    return Scenario(name, thread.TIMER, init, steps, covers, **versions)


def local_scenario(
    name: str,
    steps: tuple[Call, ...],
    covers: tuple[str, ...],
    init: Call = LOCAL_INIT,
    primitive: str = module.LOCAL,
) -> Scenario:
    """A scenario of a ``local`` (or, with ``primitive``, of the agent's ``local`` subclass)."""
    return Scenario(name, primitive, init, steps, covers)


THREAD_SCENARIOS: tuple[Scenario, ...] = (
    scenario(
        "alive_as_soon_as_start_returns",
        (
            back_to_back(
                call(1, "start"), call(1, "is_alive"), call(1, "get:ident"), call(1, "join", ZERO_TIMEOUT)
            ),
            call(2, "is_alive"),
            OPEN,
            call(1, "join"),
        ),
        (thread.START, thread.IS_ALIVE, thread.IDENT_AFTER, thread.JOIN_TIMEOUT),
    ),
    scenario(
        "joinable_as_soon_as_start_returns",
        (back_to_back(call(1, "start"), call(1, "join", ZERO_TIMEOUT), call(1, "is_alive")), OPEN,
         call(1, "join")),
        (thread.START, thread.JOIN_TIMEOUT),
    ),
    scenario(
        "native_id_as_soon_as_start_returns",
        (back_to_back(call(1, "start"), call(1, "get:native_id"), call(1, "is_alive")), OPEN,
         call(1, "join")),
        (thread.NATIVE_ID,),
        since=(3, 8),
    ),
    scenario(
        "counted_as_soon_as_start_returns",
        (
            call(1, "module.active_count"),
            back_to_back(call(1, "start"), call(1, "module.active_count"), call(1, "module.enumerate")),
            OPEN,
            call(2, "join"),
        ),
        (module.ACTIVE_COUNT, thread.START),
    ),
    scenario(
        "not_alive_once_the_thread_is_gone",
        (
            call(1, "module.active_count"),
            call(0, "start"),
            OPEN,
            EXITED,
            call(1, "is_alive"),
            call(1, "module.active_count"),
            call(2, "module.enumerate"),
            call(1, "is_alive"),
            call(2, "join", ZERO_TIMEOUT),
            call(1, "is_alive"),
        ),
        (thread.RUN_ENDS_THREAD, thread.IS_ALIVE, module.ACTIVE_COUNT, thread.JOIN_TERMINATED),
    ),
    scenario(
        "not_alive_once_the_thread_is_gone_after_an_exception",
        (call(0, "start"), call(ENV, "gate.open", 1, "ValueError"), EXITED, call(1, "is_alive"),
         call(2, "module.enumerate"), call(1, "is_alive")),
        (thread.RUN_ENDS_THREAD, thread.IS_ALIVE),
    ),
    scenario(
        "join_from_the_thread_itself_raises",
        (
            call(0, "start"),
            call(OWN, "join"),
            call(OWN, "is_alive"),
            call(OWN, "join", ZERO_TIMEOUT),
            call(OWN, "get:ident"),
            call(OWN, "start"),
            call(1, "is_alive"),
            OPEN,
            call(1, "join"),
            call(1, "is_alive"),
        ),
        (thread.JOIN_CURRENT, thread.IS_ALIVE, thread.IDENT_AFTER, thread.START_TWICE, thread.JOIN_WAKES),
    ),
    scenario(
        "join_from_the_thread_itself_raises_in_excepthook",
        (
            call(1, "module.set:excepthook", Gate(2)),
            call(0, "start"),
            call(ENV, "gate.open", 1, "ValueError"),
            call(2, "is_alive"),
            call(IN_HOOK, "join"),
            call(IN_HOOK, "is_alive"),
            call(ENV, "gate.open", 2),
            call(2, "join"),
        ),
        (thread.JOIN_CURRENT, thread.RUN_EXCEPTHOOK),
        since=(3, 8),
    ),
    scenario(
        "not_alive_and_not_joinable_before_start",
        (
            call(1, "is_alive"),
            call(1, "get:ident"),
            call(1, "join"),
            call(1, "join", EXPIRING_TIMEOUT),
            call(0, "start"),
            OPEN,
            call(1, "join"),
        ),
        (thread.INIT_CREATED, thread.IS_ALIVE, thread.IDENT_BEFORE, thread.JOIN_UNSTARTED, thread.START),
    ),
    scenario(
        "alive_from_start_until_the_target_returns",
        (
            call(0, "start"),
            call(1, "is_alive"),
            call(1, "get:ident"),
            call(2, "join"),
            call(1, "is_alive"),
            OPEN,
            call(1, "is_alive"),
            call(1, "get:ident"),
            call(1, "join"),
            call(2, "join", ZERO_TIMEOUT),
        ),
        (thread.START, thread.IS_ALIVE, thread.IDENT_AFTER, thread.JOIN_BLOCKS, thread.JOIN_WAKES,
         thread.RUN_CALLS_TARGET, thread.RUN_ENDS_THREAD, thread.JOIN_TERMINATED),
    ),
    scenario(
        "start_twice_raises",
        (call(0, "start"), call(1, "start"), OPEN, call(0, "join"), call(1, "start"), call(1, "is_alive")),
        (thread.START_TWICE,),
    ),
    scenario(
        "join_timeout_expires_while_the_thread_is_alive",
        (
            call(0, "start"),
            call(1, "join", EXPIRING_TIMEOUT),
            call(1, "is_alive"),
            call(1, "join", timeout=ZERO_TIMEOUT),
            call(1, "join", -1),
            call(1, "join", NEGATIVE_TIMEOUT),
            call(2, "join", NEVER_EXPIRING_TIMEOUT),
            OPEN,
            call(1, "is_alive"),
        ),
        (thread.JOIN_TIMEOUT, thread.JOIN_NEGATIVE, thread.JOIN_WAKES),
    ),
    scenario(
        "join_wakes_every_joiner",
        (
            call(0, "start"),
            call(1, "join"),
            call(2, "join", NEVER_EXPIRING_TIMEOUT),
            call(3, "join", timeout=None),
            OPEN,
            call(0, "is_alive"),
            call(0, "join"),
        ),
        (thread.JOIN_BLOCKS, thread.JOIN_WAKES, thread.JOIN_TERMINATED),
    ),
    scenario(
        "target_exception_ends_the_thread",
        (call(0, "start"), call(1, "join"), call(ENV, "gate.open", 1, "ValueError"), call(2, "is_alive")),
        (thread.RUN_ENDS_THREAD, thread.JOIN_WAKES),
    ),
    scenario(
        "excepthook_handles_the_target_exception",
        (
            call(1, "module.set:excepthook", Gate(2)),
            call(0, "start"),
            call(1, "join"),
            call(ENV, "gate.open", 1, "ValueError"),
            call(2, "is_alive"),
            call(2, "join", EXPIRING_TIMEOUT),
            call(2, "is_alive"),
            call(ENV, "gate.open", 2),
            call(2, "is_alive"),
        ),
        (thread.RUN_EXCEPTHOOK, thread.RUN_EXCEPTHOOK_ARGS, module.EXCEPTHOOK_REPLACEABLE),
        since=(3, 8),
    ),
    scenario(
        "excepthook_handles_a_base_exception_too",
        (
            call(1, "module.set:excepthook", Gate(2)),
            call(0, "start"),
            call(1, "join"),
            call(ENV, "gate.open", 1, "KeyboardInterrupt"),
            call(2, "is_alive"),
            call(ENV, "gate.open", 2),
            call(2, "join"),
        ),
        (thread.RUN_EXCEPTHOOK, thread.RUN_EXCEPTHOOK_ARGS),
        since=(3, 8),
    ),
    scenario(
        "excepthook_not_used_before_3_8",
        (
            call(1, "module.set:excepthook", Gate(2)),
            call(0, "start"),
            call(1, "join"),
            call(ENV, "gate.open", 1, "ValueError"),
            call(2, "is_alive"),
        ),
        (module.EXCEPTHOOK_REPLACEABLE, thread.RUN_ENDS_THREAD),
        until=(3, 8),
    ),
    scenario(
        "non_callable_target_ends_the_thread",
        (call(0, "start"), call(1, "join"), call(1, "is_alive")),
        (thread.INIT_CREATED, thread.RUN_ENDS_THREAD),
        init=call(0, "__init__", target=5),
    ),
    scenario(
        "excepthook_handles_a_non_callable_target",
        (
            call(1, "module.set:excepthook", Gate(2)),
            call(0, "start"),
            call(1, "join", EXPIRING_TIMEOUT),
            call(1, "is_alive"),
            call(ENV, "gate.open", 2),
            call(1, "join"),
            call(1, "is_alive"),
        ),
        (thread.RUN_EXCEPTHOOK, thread.RUN_EXCEPTHOOK_ARGS),
        init=call(0, "__init__", target=5),
        since=(3, 8),
    ),
    scenario(
        "target_called_with_its_arguments",
        (call(0, "start"), call(1, "is_alive"), OPEN, call(1, "join")),
        (thread.RUN_CALLS_TARGET,),
        init=call(0, "__init__", target=Gate(1), args=(1, "x", (2,)), kwargs={"k": None, "j": "y"}),
    ),
    scenario(
        "target_called_with_kwargs",
        (call(0, "start"), call(1, "join"), call(1, "is_alive")),
        (thread.RUN_CALLS_TARGET,),
        init=call(0, "__init__", target=Gate(1), kwargs=5),
    ),
    scenario(
        "target_called_with_args",
        (call(0, "start"), call(1, "join"), call(1, "is_alive")),
        (thread.RUN_CALLS_TARGET,),
        init=call(0, "__init__", target=Gate(1), args=5),
    ),
    scenario(
        "thread_without_target_ends_at_once",
        (call(0, "start"), call(1, "join"), call(1, "is_alive"), call(1, "join", ZERO_TIMEOUT)),
        (thread.RUN_CALLS_TARGET, thread.RUN_ENDS_THREAD),
        init=call(0, "__init__"),
    ),
    scenario(
        "run_calls_the_target_in_the_caller",
        (call(1, "run"), call(2, "is_alive"), call(2, "get:ident"), OPEN, call(2, "is_alive")),
        (thread.RUN_CALLS_TARGET, thread.IS_ALIVE, thread.IDENT_BEFORE),
    ),
    scenario(
        "run_propagates_the_target_exception",
        (call(1, "run"), call(ENV, "gate.open", 1, "KeyError")),
        (thread.RUN_CALLS_TARGET,),
    ),
    scenario(
        "run_deletes_the_target",
        (call(1, "run"), OPEN, call(2, "run"), call(0, "start"), call(1, "join"), call(1, "is_alive")),
        (thread.RUN_DELETES_TARGET,),
    ),
    scenario(
        "daemon_defaults_to_false_and_is_fixed_at_start",
        (
            call(1, "get:daemon"),
            call(1, "set:daemon", True),
            call(1, "get:daemon"),
            call(1, "set:daemon", False),
            call(1, "isDaemon"),
            call(0, "start"),
            call(1, "set:daemon", True),
            call(1, "get:daemon"),
            OPEN,
            call(0, "join"),
            call(1, "set:daemon", True),
            call(1, "setDaemon", True),
        ),
        (thread.DAEMON_DEFAULT, thread.DAEMON_SET, thread.DAEMON_GET, thread.DAEMON_AFTER_START,
         thread.DAEMON_ALIAS),
    ),
    scenario(
        "daemon_constructor_argument",
        (call(1, "get:daemon"), call(1, "isDaemon"), call(1, "setDaemon", False), call(1, "get:daemon")),
        (thread.INIT_DAEMON, thread.DAEMON_GET, thread.DAEMON_ALIAS, thread.DAEMON_DEPRECATED),
        init=call(0, "__init__", target=Gate(1), daemon=True),
        since=(3, 3),
    ),
    scenario(
        "context_argument",
        (call(0, "start"), OPEN, call(1, "join"), call(1, "is_alive")),
        (thread.INIT_CONTEXT,),
        init=call(0, "__init__", target=Gate(1), context=None),
        since=(3, 14),
    ),
    scenario(
        "daemon_argument_rejected_in_2_7",
        (),
        (thread.INIT_SIGNATURE,),
        init=call(0, "__init__", target=Gate(1), daemon=True),
        until=(3, 0),
    ),
    scenario(
        "name_from_constructor_and_settable",
        (
            call(1, "get:name"),
            call(1, "set:name", "other"),
            call(1, "getName"),
            call(1, "setName", "x"),
            call(1, "get:name"),
            call(1, "set:name", 7),
            call(1, "get:name"),
            call(0, "start"),
            call(1, "set:name", "after-start"),
            call(1, "get:name"),
            OPEN,
            call(0, "join"),
        ),
        (thread.NAME, thread.NAME_SET, thread.NAME_ALIAS, thread.NAME_DEPRECATED),
        init=call(0, "__init__", target=Gate(1), name="worker"),
    ),
    scenario(
        "default_name_is_a_string",
        (call(1, "get:name"), call(1, "getName")),
        (thread.NAME_DEFAULT,),
    ),
    scenario(
        "constructor_name_becomes_a_string",
        (call(1, "get:name"),),
        (thread.NAME,),
        init=call(0, "__init__", target=Gate(1), name=5),
    ),
    scenario(
        "native_id_none_before_start",
        (call(1, "get:native_id"), call(0, "start"), call(1, "get:native_id"), OPEN, call(0, "join"),
         call(1, "get:native_id")),
        (thread.NATIVE_ID,),
        since=(3, 8),
    ),
    scenario(
        "isAlive_alias",
        (call(1, "isAlive"), call(0, "start"), call(1, "isAlive"), OPEN, call(0, "join"), call(1, "isAlive")),
        (thread.IS_ALIVE_ALIAS,),
        until=(3, 9),
    ),
    scenario(
        "isAlive_removed",
        (call(1, "isAlive"),),
        (thread.IS_ALIVE_REMOVED,),
        since=(3, 9),
    ),
    scenario(
        "group_must_be_none",
        (),
        (thread.INIT_GROUP,),
        init=call(0, "__init__", group=1, target=Gate(1)),
    ),
    scenario(
        "constructor_rejects_unknown_arguments",
        (),
        (thread.INIT_SIGNATURE,),
        init=call(0, "__init__", target=Gate(1), priority=1),
    ),
    scenario(
        "bad_calls_raise",
        (call(1, "start", 1), call(1, "is_alive", 1), call(1, "join", 1, 2), call(1, "get:nonexistent")),
        (thread.BAD_CALL,),
    ),
    scenario(
        "join_rejects_bad_timeouts",
        (
            call(0, "start"),
            call(1, "join", "1"),
            call(1, "join", math.nan),
            call(1, "join", math.inf),
            call(1, "is_alive"),
            OPEN,
            call(1, "join"),
            call(1, "join", "1"),
        ),
        (thread.JOIN_BAD_TIMEOUT, thread.JOIN_UNDEFINED_TIMEOUT, thread.JOIN_BAD_TIMEOUT_STOPS),
        since=(3, 0),
    ),
    scenario(
        "join_rejects_a_nan_timeout_until_the_end_is_seen",
        (call(0, "start"), OPEN, call(1, "join", math.nan), call(1, "join"), call(1, "join", math.nan)),
        (thread.JOIN_UNDEFINED_TIMEOUT, thread.JOIN_TERMINATED),
        since=(3, 0),
    ),
    scenario(
        "join_with_nan_or_infinite_timeout_waits_in_2_7",
        (call(0, "start"), call(1, "join", "1"), call(1, "join", math.nan), call(2, "join", math.inf), OPEN),
        (thread.JOIN_BAD_TIMEOUT, thread.JOIN_UNDEFINED_TIMEOUT, thread.JOIN_WAKES),
        until=(3, 0),
    ),
)

MODULE_SCENARIOS: tuple[Scenario, ...] = (
    scenario(
        "active_count_and_enumerate_count_the_started_thread",
        (
            call(1, "module.current_thread"),
            call(2, "module.currentThread"),
            call(1, "module.active_count"),
            call(2, "module.enumerate"),
            call(0, "start"),
            call(1, "module.active_count"),
            call(2, "module.enumerate"),
            call(1, "module.activeCount"),
            OPEN,
            call(2, "join"),
            call(1, "module.active_count"),
            call(2, "module.enumerate"),
        ),
        (module.CURRENT_THREAD, module.CURRENT_THREAD_ALIAS, module.CURRENT_THREAD_DEPRECATED,
         module.ACTIVE_COUNT, module.ENUMERATE, module.ACTIVE_COUNT_ALIAS, module.ACTIVE_COUNT_DEPRECATED),
    ),
    scenario(
        "main_thread_get_ident",
        (call(1, "module.main_thread"), call(1, "module.get_ident")),
        (module.MAIN_THREAD, module.GET_IDENT),
        since=(3, 4),
    ),
    scenario(
        "identity_functions_absent_in_2_7",
        (call(1, "module.main_thread"), call(1, "module.get_ident"), call(1, "module.get_native_id")),
        (module.BAD_CALL,),
        until=(3, 0),
    ),
    scenario(
        "get_native_id",
        (call(1, "module.get_native_id"),),
        (module.GET_NATIVE_ID,),
        since=(3, 8),
    ),
    scenario(
        "settrace_and_setprofile_are_read_back",
        (
            call(1, "module.settrace", "trace"),
            call(1, "module.setprofile", "profile"),
            call(1, "module.gettrace"),
            call(1, "module.getprofile"),
            call(1, "module.settrace", None),
            call(1, "module.gettrace"),
            call(1, "module.getprofile"),
            call(1, "module.setprofile", None),
            call(1, "module.getprofile"),
        ),
        (module.SETTRACE, module.SETPROFILE, module.GETTRACE, module.GETPROFILE),
        since=(3, 10),
    ),
    # the hooks reach the thread's own thread before its run(): the agent reports the
    # sys.gettrace() / sys.getprofile() of a thread as it enters its target; each scenario
    # takes its hooks away again at the end, since they outlive the scenario in the target
    scenario(
        "started_thread_runs_with_the_stored_hooks",
        (
            call(1, "module.settrace", Hook("trace")),
            call(1, "module.setprofile", Hook("profile")),
            call(1, "start"),
            OPEN,
            call(1, "join"),
            call(2, "module.settrace", None),
            call(2, "module.setprofile", None),
        ),
        (module.SETTRACE, module.SETPROFILE, thread.RUN_CALLS_TARGET),
    ),
    scenario(
        "started_thread_runs_without_hooks_once_they_are_taken_away",
        (
            call(1, "module.settrace", Hook("trace")),
            call(1, "module.setprofile", Hook("profile")),
            call(2, "module.settrace", None),
            call(2, "module.setprofile", None),
            call(1, "start"),
            OPEN,
            call(1, "join"),
        ),
        (module.SETTRACE, module.SETPROFILE, thread.RUN_CALLS_TARGET),
    ),
    scenario(
        "settrace_all_threads_reaches_a_thread_started_later",
        (
            call(1, "module.settrace_all_threads", Hook("trace")),
            call(1, "module.setprofile_all_threads", Hook("profile")),
            call(1, "start"),
            OPEN,
            call(1, "join"),
            call(2, "module.settrace_all_threads", None),
            call(2, "module.setprofile_all_threads", None),
        ),
        (module.SETTRACE_ALL, module.SETPROFILE_ALL, thread.RUN_CALLS_TARGET),
        since=(3, 12),
    ),
    scenario(
        "settrace_and_setprofile_before_3_10",
        (call(1, "module.settrace", None), call(1, "module.setprofile", None), call(1, "module.gettrace"),
         call(1, "module.settrace")),
        (module.SETTRACE, module.SETPROFILE, module.BAD_CALL),
        until=(3, 10),
    ),
    scenario(
        "settrace_all_threads",
        (
            call(1, "module.settrace_all_threads", None),
            call(1, "module.setprofile_all_threads", None),
            call(1, "module.gettrace"),
            call(1, "module.getprofile"),
        ),
        (module.SETTRACE_ALL, module.SETPROFILE_ALL),
        since=(3, 12),
    ),
    scenario(
        "stack_size_swaps_the_size",
        (
            call(1, "module.stack_size", 0),
            call(1, "module.stack_size", 262144),
            call(1, "module.stack_size", 1000),
            call(1, "module.stack_size", -1),
            call(1, "module.stack_size", "big"),
            call(1, "module.stack_size", 1.5),
            call(1, "module.stack_size"),
            call(1, "module.stack_size"),
        ),
        (module.STACK_SIZE, module.STACK_SIZE_INVALID, module.STACK_SIZE_BAD_TYPE),
    ),
    scenario(
        "excepthook_is_defined",
        (call(1, "module.get:excepthook"),),
        (module.EXCEPTHOOK,),
        since=(3, 8),
    ),
    scenario(
        "original_excepthook_is_kept",
        (call(1, "module.get:__excepthook__"),),
        (module.ORIGINAL_EXCEPTHOOK,),
        since=(3, 10),
    ),
    scenario(
        "excepthook_replaced_by_a_gate_is_called",
        (
            call(1, "module.set:excepthook", Gate(2)),
            call(1, "module.excepthook", 1),
            call(ENV, "gate.open", 2),
            call(1, "module.get:excepthook"),
        ),
        (module.EXCEPTHOOK_REPLACEABLE,),
        since=(3, 8),
    ),
    scenario(
        "timeout_max_and_thread_error",
        (call(1, "module.get:TIMEOUT_MAX"), call(1, "module.get:ThreadError")),
        (module.TIMEOUT_MAX_DEFINED, module.THREAD_ERROR),
        since=(3, 2),
    ),
    scenario(
        "thread_error_without_timeout_max_in_2_7",
        (call(1, "module.get:ThreadError"), call(1, "module.get:TIMEOUT_MAX")),
        (module.THREAD_ERROR, module.BAD_CALL),
        until=(3, 0),
    ),
    scenario(
        "module_bad_calls_raise",
        (call(1, "module.settrace"), call(1, "module.active_count", 1), call(1, "module.nonexistent"),
         call(1, "module.stack_size", 0, 0)),
        (module.BAD_CALL,),
    ),
    scenario(
        "gates_open_once",
        (call(ENV, "gate.open", 1, "ValueError"), OPEN, call(1, "run")),
        (module.GATE_OPEN, thread.RUN_CALLS_TARGET),
    ),
)

TIMER_SCENARIOS: tuple[Scenario, ...] = (
    timer_scenario(
        "timer_alive_as_soon_as_start_returns",
        (back_to_back(call(1, "start"), call(1, "is_alive"), call(1, "get:ident")), call(1, "cancel"),
         call(1, "join")),
        (thread.TIMER_START, thread.IS_ALIVE, thread.TIMER_CANCEL),
        init=call(0, "__init__", NEVER_EXPIRING_TIMEOUT, Gate(1)),
    ),
    timer_scenario(
        "timer_function_runs_in_the_timer_after_the_interval",
        (
            call(0, "start"),
            call(OWN, "is_alive"),
            call(OWN, "join"),
            call(OWN, "cancel"),
            OPEN,
            call(1, "join"),
            EXITED,
            call(1, "is_alive"),
        ),
        (thread.TIMER_FIRES, thread.TIMER_FUNCTION, thread.RUN_ENDS_THREAD),
    ),
    timer_scenario(
        "timer_not_alive_once_its_thread_is_gone",
        (call(0, "start"), OPEN, EXITED, call(1, "is_alive"), call(1, "is_alive")),
        (thread.TIMER_FUNCTION, thread.RUN_ENDS_THREAD, thread.IS_ALIVE),
        init=call(0, "__init__", ZERO_TIMEOUT, Gate(1)),
    ),
    timer_scenario(
        "timer_calls_its_function_with_its_arguments",
        (call(0, "start"), call(1, "join", EXPIRING_TIMEOUT), OPEN, call(1, "join")),
        (thread.TIMER_FUNCTION,),
        init=call(0, "__init__", ZERO_TIMEOUT, Gate(1), (1, "x"), {"k": 2}),
    ),
    timer_scenario(
        "timer_calls_its_function_with_kwargs",
        (call(0, "start"), call(1, "join"), call(1, "is_alive")),
        (thread.TIMER_FUNCTION,),
        init=call(0, "__init__", ZERO_TIMEOUT, Gate(1), None, 5),
    ),
    timer_scenario(
        "timer_calls_its_function_after_the_interval",
        (
            call(0, "start"),
            call(1, "join", EXPIRING_TIMEOUT),
            call(1, "is_alive"),
            OPEN,
            call(1, "join"),
            call(1, "is_alive"),
        ),
        (thread.TIMER_CREATED, thread.TIMER_START, thread.TIMER_FIRES, thread.TIMER_FUNCTION,
         thread.RUN_ENDS_THREAD),
    ),
    timer_scenario(
        "timer_cancelled_while_waiting_never_calls",
        (call(0, "start"), call(1, "is_alive"), call(1, "cancel"), call(1, "join"), call(1, "is_alive")),
        (thread.TIMER_CANCEL, thread.TIMER_CANCELLED_SKIPS),
        init=call(0, "__init__", NEVER_EXPIRING_TIMEOUT, Gate(1)),
    ),
    timer_scenario(
        "timer_cancelled_before_start_never_calls",
        (call(1, "cancel"), call(0, "start"), call(1, "join"), call(1, "is_alive"), call(1, "cancel")),
        (thread.TIMER_CANCEL, thread.TIMER_CANCELLED_SKIPS, thread.TIMER_CANCEL_LATE),
    ),
    timer_scenario(
        "timer_cancel_after_the_function_began_has_no_effect",
        (
            call(0, "start"),
            call(1, "join", EXPIRING_TIMEOUT),
            call(1, "cancel"),
            call(1, "is_alive"),
            OPEN,
            call(1, "join"),
        ),
        (thread.TIMER_CANCEL_LATE,),
        init=call(0, "__init__", ZERO_TIMEOUT, Gate(1)),
    ),
    timer_scenario(
        "timer_without_interval_waits_until_cancelled",
        (call(0, "start"), call(1, "join", EXPIRING_TIMEOUT), call(1, "is_alive"), call(1, "cancel"),
         call(1, "join")),
        (thread.TIMER_CANCEL, thread.TIMER_CANCELLED_SKIPS),
        init=call(0, "__init__", None, Gate(1)),
    ),
    timer_scenario(
        "timer_function_exception_ends_the_timer",
        (call(0, "start"), call(1, "join"), call(ENV, "gate.open", 1, "ValueError"), call(1, "is_alive")),
        (thread.TIMER_FUNCTION, thread.RUN_ENDS_THREAD),
    ),
    timer_scenario(
        "timer_calls_its_function_with_args",
        (call(0, "start"), call(1, "join"), call(1, "is_alive")),
        (thread.TIMER_FUNCTION,),
        init=call(0, "__init__", ZERO_TIMEOUT, Gate(1), 5),
    ),
    timer_scenario(
        "timer_start_twice_raises",
        (call(0, "start"), call(1, "start"), call(1, "cancel"), call(1, "join"), call(1, "get:daemon")),
        (thread.START_TWICE, thread.DAEMON_DEFAULT),
    ),
    timer_scenario(
        "timer_interval_must_be_a_number",
        (call(0, "start"), call(1, "join"), call(1, "is_alive")),
        (thread.TIMER_BAD_INTERVAL,),
        init=call(0, "__init__", "soon", Gate(1)),
    ),
    timer_scenario(
        "timer_cancel_takes_no_arguments",
        (call(1, "cancel", 1),),
        (thread.BAD_CALL,),
    ),
    timer_scenario("timer_needs_an_interval_and_a_function", (), (thread.TIMER_SIGNATURE,),
                   init=call(0, "__init__", 1)),
)

LOCAL_SCENARIOS: tuple[Scenario, ...] = (
    local_scenario(
        "local_attribute_unset_raises",
        (call(0, "get:x"), call(0, "del:x")),
        (module.LOCAL_CREATED, module.LOCAL_GET_UNSET, module.LOCAL_DEL),
    ),
    local_scenario(
        "local_values_are_per_thread",
        (
            call(0, "set:x", 1),
            call(0, "get:x"),
            call(1, "get:x"),
            call(1, "set:x", 2),
            call(0, "get:x"),
            call(1, "get:x"),
            call(1, "del:x"),
            call(1, "get:x"),
            call(1, "del:x"),
            call(0, "get:x"),
        ),
        (module.LOCAL_SET, module.LOCAL_GET, module.LOCAL_GET_UNSET, module.LOCAL_DEL),
    ),
    local_scenario("local_takes_no_arguments", (), (module.LOCAL_INIT_ARGS,), init=call(0, "__init__", 1)),
    local_scenario("local_has_no_methods", (call(0, "acquire"), call(0, "get:x")), (module.LOCAL_BAD_CALL,)),
)

SCENARIOS: tuple[Scenario, ...] = THREAD_SCENARIOS + MODULE_SCENARIOS + TIMER_SCENARIOS + LOCAL_SCENARIOS

ALPHABET: tuple[CallMaker, ...] = (
    lambda t: call(t, "start"),
    lambda t: back_to_back(call(t, "start"), call(t, "is_alive")),
    lambda t: back_to_back(call(t, "start"), call(t, "join", ZERO_TIMEOUT)),
    lambda t: call(t, "join"),
    lambda t: call(t, "join", EXPIRING_TIMEOUT),
    lambda t: call(t, "join", timeout=ZERO_TIMEOUT),
    lambda t: call(t, "is_alive"),
    lambda t: call(t, "run"),
    lambda t: call(t, "get:ident"),
    lambda t: call(t, "get:daemon"),
    lambda t: call(t, "set:daemon", True),
    lambda t: call(t, "set:name", "n"),
    lambda t: call(t, "get:name"),
    lambda t: call(t, "module.current_thread"),
    lambda t: OPEN,
    lambda t: call(ENV, "gate.open", 1, "ValueError"),
)
"""Thread calls, valid and invalid, from which random schedules are drawn. Thread counts are
left to the scenarios: random schedules leave threads blocked for good, so the process soon
has more threads than a first count may bind (``module.BASELINE_CHOICES``)."""

TIMER_ALPHABET: tuple[CallMaker, ...] = (
    lambda t: call(t, "start"),
    lambda t: back_to_back(call(t, "start"), call(t, "is_alive")),
    lambda t: call(t, "cancel"),
    lambda t: call(t, "join"),
    lambda t: call(t, "join", EXPIRING_TIMEOUT),
    lambda t: call(t, "is_alive"),
    lambda t: OPEN,
    lambda t: call(ENV, "gate.open", 1, "ValueError"),
)

LOCAL_ALPHABET: tuple[CallMaker, ...] = (
    lambda t: call(t, "get:x"),
    lambda t: call(t, "set:x", 1),
    lambda t: call(t, "set:x", 2),
    lambda t: call(t, "del:x"),
    lambda t: call(t, "get:y"),
)

GENERATORS: tuple[Generator, ...] = (
    Generator(thread.PRIMITIVE, INIT, ALPHABET),
    Generator(thread.TIMER, TIMER_INIT, TIMER_ALPHABET),
    Generator(module.LOCAL, LOCAL_INIT, LOCAL_ALPHABET),
)
