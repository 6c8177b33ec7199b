"""Scenarios and random-schedule alphabets for Thread, Timer and the module functions.

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
profile hooks, the stack size, the excepthook: ``RESTORE_EXCEPTHOOK``) put the defaults back,
so that the default excepthook handles the next scenarios' exceptions (``EXITED`` judges what
it printed).
"""

from __future__ import annotations

import math

from conformance.scenario import BackToBackTemplate, CallMaker, EnvironmentCall, Scenario, back_to_back
from conformance.scenarios import Generator
from conformance.timeouts import EXPIRING_TIMEOUT, NEGATIVE_TIMEOUT, NEVER_EXPIRING_TIMEOUT, ZERO_TIMEOUT
from spec import module, thread, thread_attributes, thread_excepthook, timer
from spec.profiles import Version
from spec.thread_state import OWN
from spec.values import ENV, THREAD_EXITED, Call, Gate, Hook, New, Original, call, in_gate, template

INIT = call(0, "__init__", target=Gate(1))
"""A thread whose target is gate 1."""

TIMER_INIT = call(0, "__init__", EXPIRING_TIMEOUT, Gate(1))
"""A timer that calls gate 1 once its short interval has passed."""

OPEN = call(ENV, "gate.open", 1)
"""The target (or the timer's function) returns."""

EXITED = call(ENV, THREAD_EXITED)
"""Wait until the agent has seen the thread's OS thread go (where it can watch threads)."""

RESTORE_EXCEPTHOOK = call(3, "module.set:excepthook", Original("excepthook"))
"""The module's own excepthook put back (thread 3: free in every scenario that replaces it)."""

IN_HOOK = in_gate(2)
"""The thread itself, while it waits in gate 2 (an excepthook)."""


def scenario(name: str, steps: tuple[Call, ...], covers: tuple[str, ...], init: Call = INIT,
             primitive: str = thread.PRIMITIVE, **versions: Version) -> Scenario:
    """A scenario of a Thread (or, with ``primitive``, of a Timer)."""
    return Scenario(name, primitive, init, steps, covers, **versions)


def timer_scenario(name: str, steps: tuple[Call, ...], covers: tuple[str, ...], init: Call = TIMER_INIT,
                   **versions: Version) -> Scenario:
    return scenario(name, steps, covers, init, thread.TIMER, **versions)


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
        (thread.START_RUNS_IN_NEW_THREAD, thread.IS_ALIVE_REPORTS_ALIVE,
         thread_attributes.IDENT_INT_ONCE_STARTED, thread.JOIN_TIMEOUT_RETURNS_NONE),
    ),
    scenario(
        "joinable_as_soon_as_start_returns",
        (back_to_back(call(1, "start"), call(1, "join", ZERO_TIMEOUT), call(1, "is_alive")), OPEN,
         call(1, "join")),
        (thread.START_RUNS_IN_NEW_THREAD, thread.JOIN_TIMEOUT_RETURNS_NONE),
    ),
    scenario(
        "native_id_as_soon_as_start_returns",
        (back_to_back(call(1, "start"), call(1, "get:native_id"), call(1, "is_alive")), OPEN,
         call(1, "join")),
        (thread_attributes.NATIVE_ID_NONE_OR_INT,),
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
        (module.ACTIVE_COUNT_COUNTS_ALIVE_THREADS, thread.START_RUNS_IN_NEW_THREAD),
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
        (thread.RUN_END_TERMINATES_THREAD, thread.IS_ALIVE_REPORTS_ALIVE,
         module.ACTIVE_COUNT_COUNTS_ALIVE_THREADS, thread.JOIN_TERMINATED_RETURNS_AT_ONCE),
    ),
    scenario(
        "not_alive_once_the_thread_is_gone_after_an_exception",
        (call(0, "start"), call(ENV, "gate.open", 1, "ValueError"), EXITED, call(1, "is_alive"),
         call(2, "module.enumerate"), call(1, "is_alive")),
        (thread.RUN_END_TERMINATES_THREAD, thread.IS_ALIVE_REPORTS_ALIVE),
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
        (thread.JOIN_CURRENT_THREAD_RAISES, thread.IS_ALIVE_REPORTS_ALIVE,
         thread_attributes.IDENT_INT_ONCE_STARTED, thread.START_TWICE_RAISES,
         thread.JOIN_RETURNS_WHEN_TERMINATED),
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
            RESTORE_EXCEPTHOOK,
        ),
        (thread.JOIN_CURRENT_THREAD_RAISES, thread.RUN_EXCEPTION_CALLS_EXCEPTHOOK),
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
        (thread.INIT_CREATED_NOT_STARTED, thread.IS_ALIVE_REPORTS_ALIVE,
         thread_attributes.IDENT_NONE_BEFORE_START, thread.JOIN_BEFORE_START_RAISES,
         thread.START_RUNS_IN_NEW_THREAD),
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
        (thread.START_RUNS_IN_NEW_THREAD, thread.IS_ALIVE_REPORTS_ALIVE,
         thread_attributes.IDENT_INT_ONCE_STARTED, thread.JOIN_BLOCKS_UNTIL_TERMINATED,
         thread.JOIN_RETURNS_WHEN_TERMINATED, thread.RUN_CALLS_TARGET, thread.RUN_END_TERMINATES_THREAD,
         thread.JOIN_TERMINATED_RETURNS_AT_ONCE),
    ),
    scenario(
        "start_twice_raises",
        (call(0, "start"), call(1, "start"), OPEN, call(0, "join"), call(1, "start"), call(1, "is_alive")),
        (thread.START_TWICE_RAISES,),
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
        (thread.JOIN_TIMEOUT_RETURNS_NONE, thread.JOIN_NEGATIVE_TIMEOUT_ACTS_AS_ZERO,
         thread.JOIN_RETURNS_WHEN_TERMINATED),
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
        (thread.JOIN_BLOCKS_UNTIL_TERMINATED, thread.JOIN_RETURNS_WHEN_TERMINATED,
         thread.JOIN_TERMINATED_RETURNS_AT_ONCE),
    ),
    scenario(
        "target_exception_ends_the_thread",
        (call(0, "start"), call(1, "join"), call(ENV, "gate.open", 1, "ValueError"), call(2, "is_alive")),
        (thread.RUN_END_TERMINATES_THREAD, thread.JOIN_RETURNS_WHEN_TERMINATED),
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
            RESTORE_EXCEPTHOOK,
        ),
        (thread.RUN_EXCEPTION_CALLS_EXCEPTHOOK, thread.RUN_EXCEPTHOOK_GETS_THE_EXCEPTION_AND_THREAD,
         module.EXCEPTHOOK_CAN_BE_OVERRIDDEN),
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
            RESTORE_EXCEPTHOOK,
        ),
        (thread.RUN_EXCEPTION_CALLS_EXCEPTHOOK, thread.RUN_EXCEPTHOOK_GETS_THE_EXCEPTION_AND_THREAD),
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
        (module.EXCEPTHOOK_PLAIN_ATTRIBUTE_BEFORE_3_8, thread.RUN_END_TERMINATES_THREAD),
        until=(3, 8),
    ),
    scenario(
        "default_excepthook_prints_the_exception",
        (call(0, "start"), call(ENV, "gate.open", 1, "ValueError"), EXITED, call(1, "join")),
        (thread_excepthook.EXCEPTHOOK_PRINTS_TO_STDERR, thread.RUN_END_TERMINATES_THREAD),
        since=(3, 8),
    ),
    scenario(
        "default_excepthook_ignores_systemexit",
        (call(0, "start"), call(ENV, "gate.open", 1, "SystemExit"), EXITED, call(1, "join")),
        (thread_excepthook.EXCEPTHOOK_IGNORES_SYSTEMEXIT, thread.RUN_END_TERMINATES_THREAD),
        since=(3, 8),
    ),
    scenario(
        "failing_excepthook_goes_to_sys_excepthook",
        (
            call(1, "module.set:excepthook", Gate(2)),
            call(0, "start"),
            call(ENV, "gate.open", 1, "ValueError"),
            call(ENV, "gate.open", 2, "KeyError"),
            EXITED,
            call(1, "join"),
            RESTORE_EXCEPTHOOK,
        ),
        (thread_excepthook.EXCEPTHOOK_FAILURE_CALLS_SYS_EXCEPTHOOK, thread.RUN_EXCEPTION_CALLS_EXCEPTHOOK),
        since=(3, 8),
    ),
    scenario(
        "non_callable_target_ends_the_thread",
        (call(0, "start"), call(1, "join"), call(1, "is_alive")),
        (thread.INIT_CREATED_NOT_STARTED, thread.RUN_END_TERMINATES_THREAD),
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
            RESTORE_EXCEPTHOOK,
        ),
        (thread.RUN_EXCEPTION_CALLS_EXCEPTHOOK, thread.RUN_EXCEPTHOOK_GETS_THE_EXCEPTION_AND_THREAD),
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
        (thread.RUN_NO_TARGET_CALLS_NOTHING, thread.RUN_END_TERMINATES_THREAD),
        init=call(0, "__init__"),
    ),
    scenario(
        "run_calls_the_target_in_the_caller",
        (call(1, "run"), call(2, "is_alive"), call(2, "get:ident"), OPEN, call(2, "is_alive")),
        (thread.RUN_CALLS_TARGET, thread.IS_ALIVE_REPORTS_ALIVE, thread_attributes.IDENT_NONE_BEFORE_START),
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
        (thread_attributes.DAEMON_INHERITED_FROM_CREATOR, thread_attributes.DAEMON_SETTABLE_BEFORE_START,
         thread_attributes.DAEMON_REPORTS_FLAG, thread_attributes.DAEMON_SET_AFTER_START_RAISES,
         thread_attributes.IS_DAEMON_ALIAS),
    ),
    scenario(
        "daemon_constructor_argument",
        (call(1, "get:daemon"), call(1, "isDaemon"), call(1, "setDaemon", False), call(1, "get:daemon")),
        (thread.INIT_DAEMON_ARGUMENT, thread_attributes.DAEMON_REPORTS_FLAG,
         thread_attributes.IS_DAEMON_ALIAS, thread_attributes.IS_DAEMON_DEPRECATION_WARNING),
        init=call(0, "__init__", target=Gate(1), daemon=True),
        since=(3, 3),
    ),
    scenario(
        "context_argument",
        (call(0, "start"), OPEN, call(1, "join"), call(1, "is_alive")),
        (thread.INIT_CONTEXT_ARGUMENT,),
        init=call(0, "__init__", target=Gate(1), context=None),
        since=(3, 14),
    ),
    scenario(
        "daemon_argument_rejected_in_2_7",
        (),
        (thread.INIT_BAD_ARGUMENTS_RAISE_TYPEERROR,),
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
        (thread_attributes.NAME_SET_BY_CONSTRUCTOR, thread_attributes.NAME_SETTABLE,
         thread_attributes.GET_NAME_ALIAS, thread_attributes.GET_NAME_DEPRECATION_WARNING),
        init=call(0, "__init__", target=Gate(1), name="worker"),
    ),
    scenario(
        "default_name_is_a_string",
        (call(1, "get:name"), call(1, "getName")),
        (thread_attributes.NAME_DEFAULT_THREAD_N,),
        init=call(0, "__init__"),
    ),
    scenario(
        "default_name_without_the_target_before_3_10",
        (call(1, "get:name"), call(1, "getName")),
        (thread_attributes.NAME_DEFAULT_THREAD_N,),
        until=(3, 10),
    ),
    scenario(
        "default_name_names_the_target",
        (call(1, "get:name"), call(0, "start"), call(1, "get:name"), OPEN, call(0, "join"),
         call(1, "getName")),
        (thread_attributes.NAME_DEFAULT_NAMES_THE_TARGET,),
        since=(3, 10),
    ),
    scenario(
        "empty_name_is_the_default",
        (call(1, "get:name"),),
        (thread_attributes.NAME_DEFAULT_NAMES_THE_TARGET,),
        init=call(0, "__init__", target=Gate(1), name=""),
        since=(3, 10),
    ),
    scenario(
        "constructor_name_becomes_a_string",
        (call(1, "get:name"),),
        (thread_attributes.NAME_SET_BY_CONSTRUCTOR,),
        init=call(0, "__init__", target=Gate(1), name=5),
    ),
    scenario(
        "native_id_none_before_start",
        (call(1, "get:native_id"), call(0, "start"), call(1, "get:native_id"), OPEN, call(0, "join"),
         call(1, "get:native_id")),
        (thread_attributes.NATIVE_ID_NONE_OR_INT,),
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
        (thread.INIT_GROUP_MUST_BE_NONE,),
        init=call(0, "__init__", group=1, target=Gate(1)),
    ),
    scenario(
        "constructor_rejects_unknown_arguments",
        (),
        (thread.INIT_BAD_ARGUMENTS_RAISE_TYPEERROR,),
        init=call(0, "__init__", target=Gate(1), priority=1),
    ),
    scenario(
        "bad_calls_raise",
        (call(1, "start", 1), call(1, "is_alive", 1), call(1, "join", 1, 2), call(1, "get:nonexistent")),
        (thread.CALL_BAD_ARGUMENTS,),
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
        (thread.JOIN_BAD_TIMEOUT_RAISES, thread.JOIN_UNDEFINED_TIMEOUT,
         thread.JOIN_REJECTED_TIMEOUT_MARKS_STOPPED),
        since=(3, 0),
    ),
    scenario(
        "join_rejects_a_nan_timeout_until_the_end_is_seen",
        (call(0, "start"), OPEN, call(1, "join", math.nan), call(1, "join"), call(1, "join", math.nan)),
        (thread.JOIN_UNDEFINED_TIMEOUT, thread.JOIN_TERMINATED_RETURNS_AT_ONCE),
        since=(3, 0),
    ),
    scenario(
        "join_with_nan_or_infinite_timeout_waits_in_2_7",
        (call(0, "start"), call(1, "join", "1"), call(1, "join", math.nan), call(2, "join", math.inf), OPEN),
        (thread.JOIN_BAD_TIMEOUT_RAISES, thread.JOIN_UNDEFINED_TIMEOUT, thread.JOIN_RETURNS_WHEN_TERMINATED),
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
        (module.CURRENT_THREAD_DUMMY_FOR_ALIEN_THREAD, module.CURRENT_THREAD_ALIAS,
         module.CURRENT_THREAD_DEPRECATION_WARNING, module.ACTIVE_COUNT_COUNTS_ALIVE_THREADS,
         module.ENUMERATE_LISTS_ALIVE_THREADS, module.ACTIVE_COUNT_ALIAS,
         module.ACTIVE_COUNT_DEPRECATION_WARNING),
    ),
    scenario(
        "main_thread_get_ident",
        (call(1, "module.main_thread"), call(1, "module.get_ident")),
        (module.MAIN_THREAD_RETURNS_MAIN_THREAD, module.GET_IDENT_RETURNS_NONZERO_INT),
        since=(3, 4),
    ),
    scenario(
        "identity_functions_absent_in_2_7",
        (call(1, "module.main_thread"), call(1, "module.get_ident"), call(1, "module.get_native_id")),
        (module.CALL_BAD_NAME_OR_ARGUMENTS,),
        until=(3, 0),
    ),
    scenario(
        "get_native_id",
        (call(1, "module.get_native_id"),),
        (module.GET_NATIVE_ID_RETURNS_INT,),
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
        (module.SETTRACE_STORES_HOOK, module.SETPROFILE_STORES_HOOK, module.GETTRACE_RETURNS_HOOK,
         module.GETPROFILE_RETURNS_HOOK),
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
        (module.SETTRACE_STORES_HOOK, module.SETPROFILE_STORES_HOOK, thread.RUN_CALLS_TARGET),
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
        (module.SETTRACE_STORES_HOOK, module.SETPROFILE_STORES_HOOK, thread.RUN_CALLS_TARGET),
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
        (module.SETTRACE_ALL_THREADS_STORES_HOOK, module.SETPROFILE_ALL_THREADS_STORES_HOOK,
         thread.RUN_CALLS_TARGET),
        since=(3, 12),
    ),
    scenario(
        "settrace_and_setprofile_before_3_10",
        (call(1, "module.settrace", None), call(1, "module.setprofile", None), call(1, "module.gettrace"),
         call(1, "module.settrace")),
        (module.SETTRACE_STORES_HOOK, module.SETPROFILE_STORES_HOOK, module.CALL_BAD_NAME_OR_ARGUMENTS),
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
        (module.SETTRACE_ALL_THREADS_STORES_HOOK, module.SETPROFILE_ALL_THREADS_STORES_HOOK),
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
        (module.STACK_SIZE_RETURNS_OLD_SIZE, module.STACK_SIZE_INVALID_RAISES_VALUEERROR,
         module.STACK_SIZE_BAD_TYPE_RAISES),
    ),
    scenario(
        "excepthook_is_defined",
        (call(1, "module.get:excepthook"),),
        (module.EXCEPTHOOK_HANDLES_UNCAUGHT_EXCEPTIONS,),
        since=(3, 8),
    ),
    scenario(
        "original_excepthook_is_kept",
        (call(1, "module.get:__excepthook__"),),
        (module.__EXCEPTHOOK___HOLDS_ORIGINAL,),
        since=(3, 10),
    ),
    scenario(
        "excepthook_replaced_by_a_gate_is_called",
        (
            call(1, "module.set:excepthook", Gate(2)),
            call(1, "module.excepthook", 1),
            call(ENV, "gate.open", 2),
            call(1, "module.get:excepthook"),
            RESTORE_EXCEPTHOOK,
        ),
        (module.EXCEPTHOOK_CAN_BE_OVERRIDDEN,),
        since=(3, 8),
    ),
    scenario(
        "timeout_max_and_thread_error",
        (call(1, "module.get:TIMEOUT_MAX"), call(1, "module.get:ThreadError")),
        (module.TIMEOUT_MAX_DEFINED, module.THREAD_ERROR_DEFINED),
        since=(3, 2),
    ),
    scenario(
        "thread_error_without_timeout_max_in_2_7",
        (call(1, "module.get:ThreadError"), call(1, "module.get:TIMEOUT_MAX")),
        (module.THREAD_ERROR_DEFINED, module.CALL_BAD_NAME_OR_ARGUMENTS),
        until=(3, 0),
    ),
    scenario(
        "module_bad_calls_raise",
        (call(1, "module.settrace"), call(1, "module.active_count", 1), call(1, "module.nonexistent"),
         call(1, "module.stack_size", 0, 0)),
        (module.CALL_BAD_NAME_OR_ARGUMENTS,),
    ),
    scenario(
        "gates_open_once",
        (call(ENV, "gate.open", 1, "ValueError"), OPEN, call(1, "run")),
        (module.ENV_GATE_OPENS, thread.RUN_CALLS_TARGET),
    ),
)

TIMER_SCENARIOS: tuple[Scenario, ...] = (
    timer_scenario(
        "timer_alive_as_soon_as_start_returns",
        (back_to_back(call(1, "start"), call(1, "is_alive"), call(1, "get:ident")), call(1, "cancel"),
         call(1, "join")),
        (timer.START_STARTS_WAITING, thread.IS_ALIVE_REPORTS_ALIVE, timer.CANCEL_STOPS_WAITING_TIMER),
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
        (timer.RUN_CALLS_FUNCTION_AFTER_INTERVAL, timer.RUN_FUNCTION_CALLED_WITH_ARGUMENTS,
         thread.RUN_END_TERMINATES_THREAD),
    ),
    timer_scenario(
        "timer_not_alive_once_its_thread_is_gone",
        (call(0, "start"), OPEN, EXITED, call(1, "is_alive"), call(1, "is_alive")),
        (timer.RUN_FUNCTION_CALLED_WITH_ARGUMENTS, thread.RUN_END_TERMINATES_THREAD,
         thread.IS_ALIVE_REPORTS_ALIVE),
        init=call(0, "__init__", ZERO_TIMEOUT, Gate(1)),
    ),
    timer_scenario(
        "timer_calls_its_function_with_its_arguments",
        (call(0, "start"), call(1, "join", EXPIRING_TIMEOUT), OPEN, call(1, "join")),
        (timer.RUN_FUNCTION_CALLED_WITH_ARGUMENTS,),
        init=call(0, "__init__", ZERO_TIMEOUT, Gate(1), (1, "x"), {"k": 2}),
    ),
    timer_scenario(
        "timer_calls_its_function_with_kwargs",
        (call(0, "start"), call(1, "join"), call(1, "is_alive")),
        (timer.RUN_FUNCTION_CALLED_WITH_ARGUMENTS,),
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
        (timer.INIT_CREATED, timer.START_STARTS_WAITING, timer.RUN_CALLS_FUNCTION_AFTER_INTERVAL,
         timer.RUN_FUNCTION_CALLED_WITH_ARGUMENTS, thread.RUN_END_TERMINATES_THREAD),
    ),
    timer_scenario(
        "timer_cancelled_while_waiting_never_calls",
        (call(0, "start"), call(1, "is_alive"), call(1, "cancel"), call(1, "join"), call(1, "is_alive")),
        (timer.CANCEL_STOPS_WAITING_TIMER, timer.RUN_CANCELLED_SKIPS_FUNCTION),
        init=call(0, "__init__", NEVER_EXPIRING_TIMEOUT, Gate(1)),
    ),
    timer_scenario(
        "timer_cancelled_before_start_never_calls",
        (call(1, "cancel"), call(0, "start"), call(1, "join"), call(1, "is_alive"), call(1, "cancel")),
        (timer.CANCEL_STOPS_WAITING_TIMER, timer.RUN_CANCELLED_SKIPS_FUNCTION,
         timer.CANCEL_ONLY_WHILE_WAITING),
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
        (timer.CANCEL_ONLY_WHILE_WAITING,),
        init=call(0, "__init__", ZERO_TIMEOUT, Gate(1)),
    ),
    timer_scenario(
        "timer_without_interval_waits_until_cancelled",
        (call(0, "start"), call(1, "join", EXPIRING_TIMEOUT), call(1, "is_alive"), call(1, "cancel"),
         call(1, "join")),
        (timer.CANCEL_STOPS_WAITING_TIMER, timer.RUN_CANCELLED_SKIPS_FUNCTION),
        init=call(0, "__init__", None, Gate(1)),
    ),
    timer_scenario(
        "timer_function_exception_ends_the_timer",
        (call(0, "start"), call(1, "join"), call(ENV, "gate.open", 1, "ValueError"), call(1, "is_alive")),
        (timer.RUN_FUNCTION_CALLED_WITH_ARGUMENTS, thread.RUN_END_TERMINATES_THREAD),
    ),
    timer_scenario(
        "timer_calls_its_function_with_args",
        (call(0, "start"), call(1, "join"), call(1, "is_alive")),
        (timer.RUN_FUNCTION_CALLED_WITH_ARGUMENTS,),
        init=call(0, "__init__", ZERO_TIMEOUT, Gate(1), 5),
    ),
    timer_scenario(
        "timer_start_twice_raises",
        (call(0, "start"), call(1, "start"), call(1, "cancel"), call(1, "join"), call(1, "get:daemon")),
        (thread.START_TWICE_RAISES, thread_attributes.DAEMON_INHERITED_FROM_CREATOR),
    ),
    timer_scenario(
        "timer_interval_must_be_a_number",
        (call(0, "start"), call(1, "join"), call(1, "is_alive")),
        (timer.RUN_BAD_INTERVAL_RAISES,),
        init=call(0, "__init__", "soon", Gate(1)),
    ),
    timer_scenario(
        "timer_cancel_takes_no_arguments",
        (call(1, "cancel", 1),),
        (thread.CALL_BAD_ARGUMENTS,),
    ),
    timer_scenario("timer_needs_an_interval_and_a_function", (), (timer.INIT_BAD_ARGUMENTS_RAISE_TYPEERROR,),
                   init=call(0, "__init__", 1)),
)

SCENARIOS: tuple[Scenario, ...] = THREAD_SCENARIOS + MODULE_SCENARIOS + TIMER_SCENARIOS

ALPHABET: tuple[CallMaker, ...] = (
    template("start"),
    BackToBackTemplate((template("start"), template("is_alive"))),
    BackToBackTemplate((template("start"), template("join", ZERO_TIMEOUT))),
    template("join"),
    template("join", EXPIRING_TIMEOUT),
    template("join", timeout=ZERO_TIMEOUT),
    template("is_alive"),
    template("run"),
    template("get:ident"),
    template("get:daemon"),
    template("set:daemon", True),
    template("set:name", "n"),
    template("get:name"),
    template("module.current_thread"),
    EnvironmentCall(OPEN),
    EnvironmentCall(call(ENV, "gate.open", 1, "ValueError")),
)
"""Thread calls, valid and invalid, from which random schedules are drawn. Thread counts are
left to the scenarios: random schedules leave threads blocked for good, so the process soon
has more threads than a first count may bind (``module.BASELINE_CHOICES``)."""

TIMER_ALPHABET: tuple[CallMaker, ...] = (
    template("start"),
    BackToBackTemplate((template("start"), template("is_alive"))),
    template("cancel"),
    template("join"),
    template("join", EXPIRING_TIMEOUT),
    template("is_alive"),
    EnvironmentCall(OPEN),
    EnvironmentCall(call(ENV, "gate.open", 1, "ValueError")),
)

GENERATORS: tuple[Generator, ...] = (
    Generator(thread.PRIMITIVE, INIT, ALPHABET),
    Generator(thread.TIMER, TIMER_INIT, TIMER_ALPHABET),
)

# ---------------------------------------------------------------------------
# Smaller alphabets that tests/spec explores exhaustively (their state counts are pinned
# there): a change to one of them is a change to those counts.
# ---------------------------------------------------------------------------

EXPLORED_ALPHABET: tuple[CallMaker, ...] = (
    template("start"),
    template("join"),
    template("join", 0.5),
    template("is_alive"),
    template("run"),
    EnvironmentCall(OPEN),
    EnvironmentCall(call(ENV, "gate.open", 1, "ValueError")),
)
"""A thread's life: started or run, joined, its target returning or raising."""

EXPLORED_HOOK_ALPHABET: tuple[CallMaker, ...] = (
    template("start"),
    template("join"),
    template("module.set:excepthook", Gate(2)),
    EnvironmentCall(call(ENV, "gate.open", 1, "ValueError")),
    EnvironmentCall(call(ENV, "gate.open", 2)),
)
"""A target that raises, and an excepthook (a gate) that handles it."""

EXPLORED_COUNT_ALPHABET: tuple[CallMaker, ...] = (
    template("start"),
    template("join"),
    template("module.active_count"),
    template("module.current_thread"),
    EnvironmentCall(OPEN),
)
"""Counts of the alive threads while the thread starts and ends."""

EXPLORED_BAD_TIMEOUT_ALPHABET: tuple[CallMaker, ...] = (
    template("start"),
    template("join"),
    template("join", math.nan),
    template("join", "1"),
    template("is_alive"),
    EnvironmentCall(OPEN),
)
"""Joins with timeouts the documentation does not define, or that are not numbers."""

EXPLORED_TIMER_ALPHABET: tuple[CallMaker, ...] = (
    template("start"),
    template("cancel"),
    template("join"),
    template("join", 0.5),
    template("is_alive"),
    EnvironmentCall(OPEN),
)
"""A timer started, cancelled and joined, its function returning."""

AGREEMENT_ALPHABET: tuple[CallMaker, ...] = (
    template("start"),
    template("start"),
    template("join", 0),
    template("join"),
    template("join", NEVER_EXPIRING_TIMEOUT),
    template("is_alive"),
    template("get:daemon"),
    template("set:daemon", True),
    template("get:name"),
    template("set:name", "worker"),
    template("get:ident"),
    EnvironmentCall(OPEN),
)
"""The calls that impl's Thread agreement test (tests/impl/test_agreement.py) draws from:
``start`` twice, so that a second start is drawn as often as a join."""

TIMER_AGREEMENT_ALPHABET: tuple[CallMaker, ...] = (
    template("start"),
    template("cancel"),
    template("join", 0),
    template("join"),
    template("is_alive"),
    template("get:daemon"),
    template("get:name"),
    EnvironmentCall(OPEN),
)
"""The calls that impl's Timer agreement test draws from."""



# -- 3.14: the context a thread's run() runs in (its context argument) ---------------------------

CONTEXT_SCENARIOS: tuple[Scenario, ...] = (
    scenario(
        "context_default_is_empty_or_the_starter_s",
        (call(1, "start"), OPEN, call(1, "join")),
        (thread.RUN_CONTEXT_DEFAULT_BY_FLAG,),
        init=call(0, "__init__", target=Gate(1), context=None),
        since=(3, 14),
    ),
    scenario(
        "context_given_a_new_context_is_empty",
        (call(1, "start"), OPEN, call(1, "join")),
        (thread.RUN_CONTEXT_EMPTY_WHEN_GIVEN_A_NEW_CONTEXT, thread.INIT_CONTEXT_ARGUMENT),
        init=call(0, "__init__", target=Gate(1), context=New("Context")),
        since=(3, 14),
    ),
    scenario(
        "context_given_copy_context_is_that_copy",
        (call(1, "start"), OPEN, call(1, "join")),
        (thread.RUN_CONTEXT_COPY_WHEN_GIVEN_COPY_CONTEXT, thread.INIT_CONTEXT_ARGUMENT),
        init=call(0, "__init__", target=Gate(1), context=New("CopiedContext")),
        since=(3, 14),
    ),
)

SCENARIOS = SCENARIOS + CONTEXT_SCENARIOS
