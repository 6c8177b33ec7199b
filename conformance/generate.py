"""Random schedules from a primitive's alphabet, with Hypothesis, shrunk on failure.

(Not to be confused with ``spec.explore``, the exhaustive exploration of a spec.) Each
primitive gets a ``RuleBasedStateMachine`` whose single rule appends a call
(which thread, which entry of the alphabet) to the schedule; the schedule runs
against the target at teardown. A violation fails the example, and Hypothesis
shrinks it to a minimal schedule; the driver's result for that schedule is kept.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from hypothesis import HealthCheck, Phase, Verbosity, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import Flaky
from hypothesis.stateful import RuleBasedStateMachine, rule, run_state_machine_as_test

from conformance.driver import RunResult
from conformance.scenarios import Generator
from spec.values import Call


class _OutOfTime(BaseException):
    """The budget ran out: stops Hypothesis at once (it lets BaseExceptions through)."""


@dataclass
class Generated:
    """What random exploration of one primitive found."""

    primitive: str
    runs: int = 0
    failure: RunResult | None = None
    first_failure: RunResult | None = None
    exercised: set[str] = field(default_factory=set)
    seconds: float = 0.0


def random_schedules(
    run: Callable[[str, Call, Sequence[Call]], RunResult],
    generator: Generator,
    *,
    until: float,
    seed_value: int = 0,
    max_examples: int = 10_000,
) -> Generated:
    """Run random schedules of ``generator``'s primitive until ``until`` (a ``time.monotonic()``
    value). ``run(primitive, init, steps)`` runs one schedule on the target."""
    out = Generated(generator.primitive)
    started = time.monotonic()
    if not generator.alphabet or time.monotonic() >= until:
        return out
    machine = _machine(run, generator, until, out)
    cfg = settings(
        max_examples=max_examples,
        stateful_step_count=generator.max_steps,
        deadline=None,
        database=None,
        verbosity=Verbosity.quiet,
        phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    try:
        run_state_machine_as_test(seed(seed_value)(machine), settings=cfg)
    except (AssertionError, Flaky, _OutOfTime):
        pass
    except Exception as e:  # a Hypothesis error after shrinking with a nondeterministic target
        if out.failure is None:
            raise
        _ = e
    out.seconds = time.monotonic() - started
    return out


def _machine(
    run: Callable[[str, Call, Sequence[Call]], RunResult], generator: Generator, until: float, out: Generated
) -> type[RuleBasedStateMachine]:
    """The state machine whose examples are schedules: each rule appends a call, and the
    schedule runs at teardown; a violation fails the example (and keeps the smallest)."""
    primitive, init, alphabet = generator.primitive, generator.init, generator.alphabet

    class Schedule(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.steps: list[Call] = []

        @rule(t=st.integers(0, generator.threads - 1), i=st.integers(0, len(alphabet) - 1))
        def invoke(self, t: int, i: int) -> None:
            self.steps.append(alphabet[i](t))

        def teardown(self) -> None:
            if time.monotonic() >= until:
                raise _OutOfTime
            if not self.steps:
                return
            res = run(primitive, init, self.steps)
            out.runs += 1
            out.exercised |= res.exercised
            if res.violation is not None:
                if out.first_failure is None:
                    out.first_failure = res
                if out.failure is None or len(res.steps) <= len(out.failure.steps):
                    out.failure = res
                raise AssertionError(res.violation.describe())

    return Schedule
