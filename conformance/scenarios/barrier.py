"""Scenarios and random-schedule generators for Barrier.

Written to catch the bugs a seeded threading.py would have: the wrong thread tripping the
barrier (off-by-one on the count), indices not in arrival order or repeated, a generation
that is never reset (the second use deadlocks or mixes indices), a waiter released into the
next generation, a timeout that does not break the barrier (or breaks it without waking the
others), reset or abort that forget to wake waiters or leave the barrier broken, an action
that is skipped, run twice, run after the release or whose error is swallowed, n_waiting and
broken misreporting, and the 3.13 parties check.

Two habits make the scenarios see more. A read of ``n_waiting`` after a wait (``arrive``)
proves the wait has arrived: without it the checker may place a blocked call later than
the next step. And the states a generation passes through while its threads leave last
only until those threads have the barrier's lock back, so they are reached by calls made
back to back with the call that starts them, or queued behind a gated action, which holds
the lock.
"""

from __future__ import annotations

from conformance.scenario import BackToBackTemplate, CallMaker, EnvironmentCall, Scenario, back_to_back
from conformance.scenarios import Generator
from conformance.timeouts import EXPIRING_TIMEOUT, NEGATIVE_TIMEOUT, NEVER_EXPIRING_TIMEOUT, ZERO_TIMEOUT
from spec import barrier as b
from spec.values import ENV, Call, Gate, call, template

SINCE = (3, 2)

INIT = call(0, "__init__", 2)
"""A barrier for two threads, no action, no default timeout."""

GATED = call(0, "__init__", 3, Gate(1))
"""A barrier for three threads whose action is gate 1."""


def scenario(
    name: str,
    init: Call,
    steps: tuple[Call, ...],
    covers: tuple[str, ...],
    since: tuple[int, int] = SINCE,
    until: tuple[int, int] | None = None,
) -> Scenario:
    return Scenario(name, b.PRIMITIVE, init, steps, covers, since=since, until=until)


def barrier(parties: object, *args: object, **kwargs: object) -> Call:
    return call(0, "__init__", parties, *args, **kwargs)


def arrive(*waits: Call) -> tuple[Call, ...]:
    """``waits`` in turn, each but the last followed by a read of ``n_waiting``: the read
    proves the wait has arrived, which pins the arrival order (otherwise the checker may
    order blocked calls as it likes)."""
    out: list[Call] = []
    for w in waits[:-1]:
        out += [w, call(9, "get:n_waiting")]
    return (*out, *waits[-1:])


def open_gate(*args: object) -> Call:
    return call(ENV, "gate.open", 1, *args)


SCENARIOS: tuple[Scenario, ...] = (
    scenario("absent_before_3_2", INIT, (), (b.INIT_ABSENT_BEFORE_3_2,), since=(2, 7), until=(3, 2)),
    # -- passing the barrier ------------------------------------------------------------
    scenario(
        "two_parties_pass_with_arrival_indices",
        INIT,
        (call(0, "wait"), call(2, "get:n_waiting"), call(1, "wait"), call(2, "get:n_waiting")),
        (b.INIT_CREATES_EMPTY_BARRIER, b.WAIT_BLOCKS_UNTIL_ALL_PARTIES, b.WAIT_INDEX_IS_ARRIVAL_ORDER,
         b.WAIT_REUSABLE, b.N_WAITING_REPORTS),
    ),
    scenario(
        "three_parties_released_together",
        barrier(3),
        (
            call(0, "wait"),
            call(3, "get:n_waiting"),
            call(1, "wait"),
            call(3, "get:n_waiting"),
            call(3, "get:broken"),
            call(2, "wait"),
            call(3, "get:n_waiting"),
        ),
        (b.WAIT_BLOCKS_UNTIL_ALL_PARTIES, b.WAIT_RELEASES_ALL_WITH_DISTINCT_INDICES,
         b.WAIT_INDEX_IS_ARRIVAL_ORDER, b.N_WAITING_REPORTS, b.BROKEN_REPORTS),
    ),
    scenario(
        "reused_generation_after_generation",
        barrier(3),
        (
            call(0, "wait"),
            call(1, "wait"),
            call(2, "wait"),
            call(2, "wait"),
            call(1, "wait"),
            call(0, "wait"),
            call(1, "wait"),
            call(0, "wait"),
            call(2, "wait"),
            call(3, "get:n_waiting"),
        ),
        (b.WAIT_REUSABLE, b.WAIT_RELEASES_ALL_WITH_DISTINCT_INDICES, b.WAIT_INDEX_IS_ARRIVAL_ORDER),
    ),
    # The released threads leave in whatever order they get the barrier's lock back (waiters
    # with a timeout, or spinning on a NaN one, tend to leave in another order than plain
    # ones): an index computed when leaving, not on arrival, shows in one of these generations.
    scenario(
        "indices_follow_arrival_whoever_leaves_first",
        barrier(3),
        (
            *arrive(call(0, "wait", NEVER_EXPIRING_TIMEOUT), call(1, "wait"), call(2, "wait")),
            *arrive(call(0, "wait"), call(1, "wait", NEVER_EXPIRING_TIMEOUT), call(2, "wait")),
            *arrive(call(0, "wait", float("nan")), call(1, "wait"), call(2, "wait")),
            *arrive(call(1, "wait"), call(0, "wait", float("nan")), call(2, "wait")),
        ),
        (b.WAIT_INDEX_IS_ARRIVAL_ORDER, b.WAIT_RELEASES_ALL_WITH_DISTINCT_INDICES,
         b.WAIT_NAN_TIMEOUT_NEVER_EXPIRES, b.N_WAITING_REPORTS),
    ),
    scenario(
        "one_party_never_blocks",
        barrier(1),
        (call(0, "wait"), call(0, "wait"), call(1, "wait", ZERO_TIMEOUT), call(1, "get:n_waiting")),
        (b.WAIT_INDEX_IS_ARRIVAL_ORDER, b.N_WAITING_REPORTS),
    ),
    scenario(
        "parties_reported",
        barrier(3),
        (call(0, "get:parties"), call(0, "wait"), call(1, "get:parties")),
        (b.PARTIES_REPORTS,),
    ),
    # -- timeouts -------------------------------------------------------------------------
    scenario(
        "timeout_breaks_the_barrier_for_everyone",
        barrier(3),
        (
            call(0, "wait"),
            call(1, "wait", timeout=EXPIRING_TIMEOUT),
            call(2, "get:broken"),
            call(2, "get:n_waiting"),
            call(2, "wait"),
        ),
        (b.WAIT_TIMEOUT_BREAKS, b.WAIT_BROKEN_WHILE_WAITING_RAISES, b.WAIT_BROKEN_RAISES, b.BROKEN_REPORTS),
    ),
    scenario(
        "long_timeout_does_not_fire_when_released",
        INIT,
        (call(0, "wait", NEVER_EXPIRING_TIMEOUT), call(1, "wait"), call(2, "get:broken")),
        (b.WAIT_BLOCKS_UNTIL_ALL_PARTIES, b.WAIT_REUSABLE, b.BROKEN_REPORTS),
    ),
    scenario(
        "explicit_timeout_overrides_default",
        barrier(2, timeout=NEVER_EXPIRING_TIMEOUT),
        (call(0, "wait", timeout=EXPIRING_TIMEOUT), call(1, "get:broken")),
        (b.WAIT_TIMEOUT_OVERRIDES_DEFAULT, b.WAIT_TIMEOUT_BREAKS),
    ),
    scenario(
        "default_timeout_applies_when_none_given",
        barrier(2, None, NEVER_EXPIRING_TIMEOUT),
        (call(0, "wait"), call(1, "wait", None), call(0, "get:broken")),
        (b.INIT_DEFAULT_TIMEOUT, b.WAIT_REUSABLE),
    ),
    scenario(
        "default_timeout_expires_and_breaks",
        barrier(3, timeout=EXPIRING_TIMEOUT),
        (
            call(0, "wait", NEVER_EXPIRING_TIMEOUT),
            call(1, "wait"),
            call(2, "get:broken"),
            call(2, "wait", None),
            call(2, "reset"),
            call(2, "wait", None),
        ),
        (b.INIT_DEFAULT_TIMEOUT, b.WAIT_TIMEOUT_BREAKS, b.WAIT_BROKEN_WHILE_WAITING_RAISES,
         b.WAIT_BROKEN_RAISES),
    ),
    scenario(
        "zero_timeout_expires_at_once",
        INIT,
        (call(0, "wait", ZERO_TIMEOUT), call(1, "get:broken"), call(1, "wait")),
        (b.WAIT_NONPOSITIVE_TIMEOUT_EXPIRES_AT_ONCE, b.WAIT_TIMEOUT_BREAKS, b.WAIT_BROKEN_RAISES),
    ),
    scenario(
        "negative_timeout_expires_at_once",
        barrier(3),
        (call(0, "wait"), call(1, "wait", -1), call(2, "get:broken"), call(2, "reset"), call(0, "wait"),
         call(1, "wait", NEGATIVE_TIMEOUT), call(2, "get:broken")),
        (b.WAIT_NONPOSITIVE_TIMEOUT_EXPIRES_AT_ONCE, b.WAIT_TIMEOUT_BREAKS,
         b.WAIT_BROKEN_WHILE_WAITING_RAISES),
    ),
    scenario(
        "nan_timeout_never_expires",
        INIT,
        (call(0, "wait", float("nan")), call(2, "get:n_waiting"), call(1, "wait")),
        (b.WAIT_NAN_TIMEOUT_NEVER_EXPIRES, b.WAIT_REUSABLE),
    ),
    scenario(
        "bad_timeout_raises_without_breaking",
        INIT,
        (
            call(0, "wait", "1"),
            call(0, "wait", float("inf")),
            call(0, "wait", timeout=1e300),
            call(0, "get:broken"),
            call(0, "get:n_waiting"),
            call(1, "wait"),
            call(0, "wait", "1"),
        ),
        (b.WAIT_BAD_TIMEOUT_RAISES, b.WAIT_INDEX_IS_ARRIVAL_ORDER),
    ),
    # -- abort and reset ------------------------------------------------------------------
    scenario(
        "abort_breaks_waiters_and_future_waits",
        barrier(3),
        (
            call(0, "wait"),
            call(1, "abort"),
            call(1, "get:broken"),
            call(1, "get:n_waiting"),
            call(2, "wait"),
            call(2, "abort"),
            call(1, "wait", NEVER_EXPIRING_TIMEOUT),
        ),
        (b.ABORT_BREAKS, b.WAIT_BROKEN_WHILE_WAITING_RAISES, b.WAIT_BROKEN_RAISES, b.BROKEN_REPORTS),
    ),
    scenario(
        "reset_breaks_waiters_and_empties",
        barrier(3),
        (
            *arrive(call(0, "wait"), call(1, "wait"), call(2, "reset")),
            call(2, "get:broken"),
            call(2, "get:n_waiting"),
            call(1, "wait"),
            call(0, "wait"),
            call(2, "wait"),
        ),
        (b.RESET_WAITERS_RAISE, b.WAIT_RELEASES_ALL_WITH_DISTINCT_INDICES, b.WAIT_INDEX_IS_ARRIVAL_ORDER,
         b.N_WAITING_REPORTS),
    ),
    scenario(
        "reset_breaks_a_single_waiter",
        INIT,
        (
            *arrive(call(0, "wait"), call(1, "reset")),
            call(1, "get:broken"),
            call(1, "get:n_waiting"),
            call(0, "wait"),
            call(1, "wait"),
        ),
        (b.RESET_WAITERS_RAISE, b.RESET_RETURNS_TO_EMPTY_STATE, b.WAIT_INDEX_IS_ARRIVAL_ORDER,
         b.N_WAITING_REPORTS),
    ),
    # The states a generation passes through while its threads leave (released, or reset)
    # last only until they have the barrier's lock back: a thread that goes on at once,
    # back to back, usually still finds them (if not, nothing is lost but the check).
    scenario(
        "reads_while_a_reset_generation_leaves",
        barrier(3),
        (
            *arrive(
                call(0, "wait"),
                call(1, "wait"),
                back_to_back(call(2, "reset"), call(2, "get:broken"), call(2, "get:n_waiting")),
            ),
            call(2, "get:broken"),
        ),
        (b.RESET_WAITERS_RAISE, b.BROKEN_REPORTS, b.N_WAITING_TRANSIENT_VALUES),
    ),
    scenario(
        "reads_while_an_aborted_generation_leaves",
        barrier(3),
        (
            *arrive(
                call(0, "wait"),
                call(1, "wait"),
                back_to_back(
                    call(2, "abort"),
                    call(2, "get:broken"),
                    call(2, "get:n_waiting"),
                    call(2, "wait"),
                    call(2, "reset"),
                ),
            ),
            call(2, "get:broken"),
            call(2, "get:n_waiting"),
        ),
        (b.ABORT_BREAKS, b.WAIT_BROKEN_RAISES, b.BROKEN_REPORTS, b.N_WAITING_TRANSIENT_VALUES,
         b.RESET_WAITERS_RAISE),
    ),
    scenario(
        "wait_while_a_reset_generation_leaves_joins_the_next",
        INIT,
        (
            *arrive(call(0, "wait"), back_to_back(call(1, "reset"), call(1, "wait"))),
            call(2, "get:n_waiting"),
            call(0, "wait"),
        ),
        (b.RESET_WAITERS_RAISE, b.WAIT_WAITS_WHILE_PREVIOUS_GENERATION_LEAVES, b.WAIT_REUSABLE,
         b.WAIT_INDEX_IS_ARRIVAL_ORDER),
    ),
    scenario(
        "wait_right_after_the_trip_joins_the_next_generation",
        INIT,
        (
            *arrive(
                call(0, "wait"),
                back_to_back(call(1, "wait"), call(1, "get:n_waiting"), call(1, "wait")),
            ),
            call(2, "get:n_waiting"),
            call(0, "wait"),
        ),
        (b.WAIT_INDEX_IS_ARRIVAL_ORDER, b.N_WAITING_TRANSIENT_VALUES,
         b.WAIT_WAITS_WHILE_PREVIOUS_GENERATION_LEAVES, b.WAIT_REUSABLE),
    ),
    scenario(
        "reset_repairs_a_broken_barrier",
        INIT,
        (
            call(0, "reset"),
            call(0, "abort"),
            call(0, "get:broken"),
            call(0, "reset"),
            call(0, "get:broken"),
            call(1, "wait"),
            call(0, "wait"),
        ),
        (b.RESET_RETURNS_TO_EMPTY_STATE, b.ABORT_BREAKS, b.BROKEN_REPORTS, b.WAIT_INDEX_IS_ARRIVAL_ORDER),
    ),
    scenario(
        "reset_after_timeout_repairs",
        barrier(3),
        (
            call(0, "wait", EXPIRING_TIMEOUT),
            call(1, "reset"),
            call(1, "get:broken"),
            call(0, "wait"),
            call(1, "wait"),
            call(2, "wait"),
        ),
        (b.WAIT_TIMEOUT_BREAKS, b.RESET_RETURNS_TO_EMPTY_STATE, b.WAIT_RELEASES_ALL_WITH_DISTINCT_INDICES),
    ),
    # -- the action -----------------------------------------------------------------------
    scenario(
        "action_runs_before_anyone_is_released",
        barrier(2, Gate(1)),
        (
            call(0, "wait"),
            call(2, "get:n_waiting"),
            call(1, "wait"),
            call(2, "get:n_waiting"),
            call(2, "get:broken"),
            open_gate(),
            call(2, "get:n_waiting"),
            call(0, "wait"),
            call(1, "wait"),
        ),
        (b.WAIT_ACTION_CALLED_BEFORE_RELEASE, b.ACTION_ENVIRONMENT_OPENS_GATE, b.N_WAITING_TRANSIENT_VALUES,
         b.WAIT_REUSABLE),
    ),
    scenario(
        "action_with_one_party",
        barrier(1, action=Gate(1)),
        (call(0, "wait"), call(1, "get:n_waiting"), call(1, "get:parties"), open_gate(), call(1, "wait")),
        (b.WAIT_ACTION_CALLED_BEFORE_RELEASE, b.N_WAITING_TRANSIENT_VALUES, b.ACTION_ENVIRONMENT_OPENS_GATE),
    ),
    scenario(
        "action_error_breaks_the_barrier",
        GATED,
        (
            call(0, "wait"),
            call(1, "wait"),
            call(2, "wait"),
            open_gate("ValueError"),
            call(0, "get:broken"),
            call(0, "get:n_waiting"),
            call(0, "wait"),
        ),
        (b.WAIT_ACTION_ERROR_BREAKS, b.WAIT_BROKEN_WHILE_WAITING_RAISES, b.WAIT_BROKEN_RAISES,
         b.ACTION_ENVIRONMENT_OPENS_GATE),
    ),
    scenario(
        "raising_action_breaks_every_generation",
        barrier(2, Gate(1)),
        (
            open_gate("ValueError"),
            call(0, "wait"),
            call(1, "wait"),
            call(0, "reset"),
            call(1, "wait"),
            call(0, "wait"),
        ),
        (b.ACTION_ENVIRONMENT_OPENS_GATE, b.WAIT_ACTION_ERROR_BREAKS, b.RESET_RETURNS_TO_EMPTY_STATE),
    ),
    scenario(
        "opened_action_passes_at_once",
        GATED,
        (open_gate(), call(0, "wait"), call(1, "wait"), call(2, "wait"), call(2, "wait"), call(0, "wait"),
         call(1, "wait")),
        (b.ACTION_ENVIRONMENT_OPENS_GATE, b.WAIT_ACTION_CALLED_BEFORE_RELEASE,
         b.WAIT_RELEASES_ALL_WITH_DISTINCT_INDICES),
    ),
    scenario(
        "calls_during_the_action_wait_for_it",
        GATED,
        (
            call(0, "wait"),
            call(1, "wait"),
            call(2, "wait"),
            call(3, "reset"),
            call(4, "get:broken"),
            open_gate(),
            call(4, "get:broken"),
            call(4, "get:n_waiting"),
        ),
        (b.WAIT_ACTION_HOLDS_THE_LOCK, b.RESET_NO_EFFECT_WHILE_RELEASING,
         b.WAIT_RELEASES_ALL_WITH_DISTINCT_INDICES, b.RESET_RETURNS_TO_EMPTY_STATE),
    ),
    scenario(
        "resets_queued_behind_the_action_spare_the_released",
        GATED,
        (
            call(0, "wait"),
            call(1, "wait"),
            call(2, "wait"),
            call(3, "reset"),
            call(4, "reset"),
            call(5, "reset"),
            open_gate(),
            call(5, "get:broken"),
            call(0, "wait"),
        ),
        (b.WAIT_ACTION_HOLDS_THE_LOCK, b.RESET_NO_EFFECT_WHILE_RELEASING,
         b.WAIT_RELEASES_ALL_WITH_DISTINCT_INDICES),
    ),
    scenario(
        "reset_queued_behind_a_raising_action_repairs_the_barrier",
        barrier(4, Gate(1)),
        (
            *arrive(call(0, "wait"), call(1, "wait"), call(2, "wait"), call(3, "wait")),
            call(4, "reset"),
            open_gate("ValueError"),
            call(5, "get:broken"),
            call(5, "get:n_waiting"),
        ),
        (b.WAIT_ACTION_HOLDS_THE_LOCK, b.WAIT_ACTION_ERROR_BREAKS, b.RESET_WAITERS_RAISE,
         b.RESET_RETURNS_TO_EMPTY_STATE),
    ),
    scenario(
        "abort_during_the_action_waits_then_breaks",
        barrier(2, Gate(1)),
        (call(0, "wait"), call(1, "wait"), call(2, "abort"), open_gate(), call(2, "get:broken"),
         call(2, "wait")),
        (b.WAIT_ACTION_HOLDS_THE_LOCK, b.ABORT_BREAKS, b.WAIT_BROKEN_RAISES),
    ),
    scenario(
        "wait_during_the_action_joins_the_next_generation",
        barrier(2, Gate(1)),
        (
            call(0, "wait"),
            call(1, "wait"),
            call(2, "wait"),
            open_gate(),
            call(3, "get:n_waiting"),
            call(3, "wait"),
        ),
        (b.WAIT_ACTION_HOLDS_THE_LOCK, b.WAIT_WAITS_WHILE_PREVIOUS_GENERATION_LEAVES, b.WAIT_REUSABLE,
         b.WAIT_INDEX_IS_ARRIVAL_ORDER),
    ),
    scenario(
        "action_not_callable_raises_typeerror",
        barrier(2, 5),
        (call(0, "wait"), call(1, "wait"), call(1, "get:broken")),
        (b.WAIT_ACTION_NOT_CALLABLE_RAISES_TYPEERROR, b.WAIT_BROKEN_WHILE_WAITING_RAISES),
    ),
    scenario(
        "false_action_is_not_called",
        barrier(2, action=0),
        (call(0, "wait"), call(1, "wait"), call(1, "get:broken")),
        (b.WAIT_INDEX_IS_ARRIVAL_ORDER, b.WAIT_REUSABLE),
    ),
    # -- bad input --------------------------------------------------------------------------
    scenario(
        "bad_arguments_raise_typeerror",
        INIT,
        (
            call(0, "wait", 1, 2),
            call(0, "wait", timeout_=1),
            call(0, "reset", 1),
            call(0, "abort", 1),
            call(0, "acquire"),
            call(0, "get:n_waiting"),
            call(0, "get:broken"),
        ),
        (b.CALL_BAD_ARGUMENTS_RAISE_TYPEERROR,),
    ),
    scenario("constructor_needs_parties", call(0, "__init__"), (), (b.CALL_BAD_ARGUMENTS_RAISE_TYPEERROR,)),
    scenario(
        "attributes_are_read_only",
        INIT,
        (call(0, "set:parties", 3), call(0, "set:n_waiting", 1), call(0, "del:broken"),
         call(0, "get:parties")),
        (b.ATTRIBUTES_READ_ONLY, b.PARTIES_REPORTS),
    ),
    scenario("zero_parties_rejected", barrier(0), (), (b.INIT_PARTIES_BELOW_ONE_RAISES,), since=(3, 13)),
    scenario("negative_parties_rejected", barrier(-1), (), (b.INIT_PARTIES_BELOW_ONE_RAISES,), since=(3, 13)),
    scenario(
        "fractional_parties_rejected", barrier(0.5), (), (b.INIT_PARTIES_BELOW_ONE_RAISES,), since=(3, 13)
    ),
    scenario("string_parties_rejected", barrier("2"), (), (b.INIT_PARTIES_BELOW_ONE_RAISES,), since=(3, 13)),
    scenario(
        "zero_parties_never_trips",
        barrier(0),
        (
            call(0, "get:parties"),
            call(0, "wait"),
            call(2, "get:n_waiting"),
            call(1, "wait"),
            call(2, "get:n_waiting"),
            call(2, "reset"),
            call(2, "wait", timeout=EXPIRING_TIMEOUT),
        ),
        (b.INIT_PARTIES_UNCHECKED_BEFORE_3_13, b.RESET_WAITERS_RAISE, b.WAIT_TIMEOUT_BREAKS),
        until=(3, 13),
    ),
    scenario(
        "negative_parties_never_trips",
        barrier(-1),
        (call(0, "wait", EXPIRING_TIMEOUT), call(1, "get:broken"), call(1, "get:parties")),
        (b.INIT_PARTIES_UNCHECKED_BEFORE_3_13, b.WAIT_TIMEOUT_BREAKS),
        until=(3, 13),
    ),
    scenario(
        "float_parties_trips_when_equal",
        barrier(2.0),
        (call(0, "wait"), call(1, "wait"), call(1, "get:parties")),
        (b.INIT_CREATES_EMPTY_BARRIER, b.WAIT_INDEX_IS_ARRIVAL_ORDER),
    ),
)

ALPHABET: tuple[CallMaker, ...] = (
    template("wait"),
    template("wait"),
    template("wait", EXPIRING_TIMEOUT),
    template("wait", timeout=NEVER_EXPIRING_TIMEOUT),
    template("wait", ZERO_TIMEOUT),
    template("wait", "soon"),
    template("reset"),
    template("abort"),
    template("get:n_waiting"),
    template("get:broken"),
    # calls made while a released, reset or aborted generation is still leaving
    BackToBackTemplate((template("wait"), template("get:n_waiting"), template("wait"))),
    BackToBackTemplate((template("reset"), template("get:broken"), template("get:n_waiting"))),
    BackToBackTemplate((template("abort"), template("get:n_waiting"), template("reset"))),
)

GATED_ALPHABET: tuple[CallMaker, ...] = (
    *ALPHABET,
    EnvironmentCall(open_gate()),
    EnvironmentCall(open_gate("ValueError")),
)

EXPLORATION_ALPHABET: tuple[CallMaker, ...] = (
    template("wait"),
    template("wait", EXPIRING_TIMEOUT),
    template("reset"),
    template("abort"),
)
"""A sub-selection of ``ALPHABET`` for the exhaustive exploration of the spec in
``tests/spec`` (three threads, two calls each: its state count is pinned there)."""

GATED_EXPLORATION_ALPHABET: tuple[CallMaker, ...] = (*EXPLORATION_ALPHABET, *GATED_ALPHABET[len(ALPHABET) :])
"""``EXPLORATION_ALPHABET`` and the environment's openings of the action's gate."""

AGREEMENT_ALPHABET: tuple[CallMaker, ...] = (
    template("wait"),
    template("wait"),
    template("wait", NEVER_EXPIRING_TIMEOUT),
    template("wait", 0),
    template("reset"),
    template("abort"),
    template("get:parties"),
    template("get:n_waiting"),
    template("get:broken"),
)
"""Calls for ``tests/impl/test_agreement.py``, which runs impl under real threads and
compares its abstract state with the spec's after every call: no timeout that could
expire in the middle of a run (only 0, or one that never expires)."""

GENERATORS: tuple[Generator, ...] = (
    Generator(b.PRIMITIVE, INIT, ALPHABET),
    Generator(b.PRIMITIVE, GATED, GATED_ALPHABET),
)

WALK_ALPHABET: tuple[CallMaker, ...] = (
    template("wait"),
    template("wait"),
    template("wait", 0.5),
    template("wait", 0),
    template("reset"),
    template("abort"),
    template("get:n_waiting"),
    template("get:broken"),
    EnvironmentCall(open_gate()),
    EnvironmentCall(open_gate("ValueError")),
)
"""The calls of the random walks over the spec that test the checker's reading of the
barrier's action (tests/spec/test_barrier.py): ``wait`` twice, so that waits are drawn
most often."""
