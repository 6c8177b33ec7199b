"""The runner skips a scenario that builds a private class the module lacks, wherever it builds it."""

from __future__ import annotations

from conformance.runner import _new_kinds
from conformance.scenario import Scenario, back_to_back
from spec.values import New, call


def test_new_kinds_are_found_in_init_steps_and_back_to_back_steps() -> None:
    s = Scenario(
        "x",
        "Condition",
        call(0, "__init__", New("_PyRLock")),
        (
            back_to_back(call(1, "wait", lock=New("Lock")), call(1, "notify")),
            call(2, "wait_for", New("Event")),
        ),
        (),
    )
    assert _new_kinds(s) == {"_PyRLock", "Lock", "Event"}


def test_a_scenario_without_fresh_objects_has_no_kinds() -> None:
    assert _new_kinds(Scenario("y", "Lock", call(0, "__init__"), (call(0, "acquire"),), ())) == set()
