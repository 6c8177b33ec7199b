"""The agent's clock step, said in its hello, only ever makes the early-timeout check lenient.

Jython's ``time.time()`` steps by a millisecond: an interval between two of its stamps can look
up to a step shorter than it was, which a one-sided check must not take for a timeout that
expired early. The host adds the step the agent reports to its tolerance; nothing else moves.
"""

from __future__ import annotations

import pytest

from conformance import protocol
from conformance.agent_client import AgentClient
from conformance.checker import EXPIRY_TOLERANCE, Checker, Observation, ViolationKind, expiry_tolerance
from spec import event
from spec.profiles import profile_for
from spec.values import Call, Returned
from tests.conformance.test_agent import START_TIMEOUT
from tests.interpreters import INTERPRETERS
from tests.interpreters import interpreter as installed

TIMEOUT = 0.05
PROFILE = profile_for("3.11")


def _timed_out_after(seconds: float, tolerance: float) -> ViolationKind | None:
    ch = Checker(event.SPEC, tolerance=tolerance)
    assert ch.created(PROFILE, Call(0, "__init__"), Returned(None), (), (), 0.0) is None
    ch.invoked(Call(1, "wait", (TIMEOUT,)), 1.0)
    v = ch.completed(Observation(1, Returned(False), 1.0 + seconds))
    return None if v is None else v.kind


def test_the_tolerance_adds_the_reported_step() -> None:
    assert expiry_tolerance(None) == EXPIRY_TOLERANCE
    assert expiry_tolerance(0.001) == pytest.approx(EXPIRY_TOLERANCE + 0.001)
    assert expiry_tolerance(-1.0) == EXPIRY_TOLERANCE


def test_a_coarse_clock_excuses_one_step_and_no_more() -> None:
    step = 0.001
    short_by_a_step = TIMEOUT - EXPIRY_TOLERANCE - step / 2
    assert _timed_out_after(short_by_a_step, EXPIRY_TOLERANCE) is ViolationKind.EARLY_TIMEOUT
    assert _timed_out_after(short_by_a_step, expiry_tolerance(step)) is None
    # an expiry clearly early is still caught, whatever the clock
    assert _timed_out_after(TIMEOUT / 2, expiry_tolerance(step)) is ViolationKind.EARLY_TIMEOUT


@pytest.mark.parametrize(
    ("said", "taken"),
    [(1e-06, 1e-06), (0.001, 0.001), (0, 0.0), (None, None), (0.5, None), (-0.001, None), ("1", None),
     (True, None), (float("nan"), None)],
)
def test_hello_takes_only_a_plausible_step(said: object, taken: float | None) -> None:
    hello = protocol.parse_hello({"ev": "hello", "t": 0.0, "clock_resolution": said})
    assert hello.clock_resolution == taken


@pytest.mark.parametrize("version", INTERPRETERS)
def test_every_agent_reports_its_clock_step(version: str) -> None:
    exe = installed(version)
    client = AgentClient.start(exe, timeout=START_TIMEOUT)
    try:
        res = client.hello.clock_resolution
        assert res is not None and 0 < res <= protocol.MAX_CLOCK_RESOLUTION
    finally:
        client.close()
