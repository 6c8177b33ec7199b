"""``ThreadSubclass``: a subclass that overrides ``run()`` (the agent's kind) against real targets.

The stock threading of 2.7 and 3.x and this project's ``impl`` pass every scenario; a
threading.py that calls the standard ``run()`` (the target) instead of the object's, or whose
``Thread.__init__`` binds the standard one, fails with the clause that says the override replaces
the target.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.agent_client import AgentClient
from conformance.driver import RunResult, Session, Settings
from conformance.scenarios import thread_subclass as scenarios
from spec import thread_subclass
from spec.profiles import profile_for
from tests.interpreters import interpreter
from tests.mutants.thread_subclass import MUTANTS

ROOT = Path(__file__).resolve().parents[2]
SOURCE_VERSION = "3.11.7"


def _run_all(python: str, module: str = "threading", paths: tuple[str, ...] = ()) -> list[RunResult]:
    """Every scenario of the subclass, in order, up to the first that finds a violation."""
    client = AgentClient.start(python, module=module, paths=list(paths))
    results: list[RunResult] = []
    try:
        profile = profile_for(".".join(map(str, client.hello.python[:2])))
        session = Session(client, profile, Settings())
        for s in scenarios.SCENARIOS:
            results.append(session.run(s.primitive, s.init, s.steps))
            if results[-1].violation is not None:
                break
        return results
    finally:
        client.close()


@pytest.mark.parametrize("version", ["2.7.18", "3.8.18", "3.11.7", "3.13.0"])
def test_stock_threading_passes_every_subclass_scenario(version: str) -> None:
    results = _run_all(interpreter(version))
    assert len(results) == len(scenarios.SCENARIOS)
    for r in results:
        assert r.passed, (r.violation and r.violation.describe(), r.log)
    exercised = set().union(*(r.exercised for r in results))
    assert {thread_subclass.INIT_CREATED, thread_subclass.START_RUNS_OVERRIDE_IN_NEW_THREAD,
            thread_subclass.RUN_OVERRIDE_REPLACES_TARGET} <= exercised


def test_impl_passes_every_subclass_scenario() -> None:
    results = _run_all(interpreter(SOURCE_VERSION), module="impl", paths=(str(ROOT),))
    assert len(results) == len(scenarios.SCENARIOS)
    for r in results:
        assert r.passed, (r.violation and r.violation.describe(), r.log)


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m[0] for m in MUTANTS])
def test_a_thread_that_ignores_the_override_is_caught(
    mutant: tuple[str, str, str, str], tmp_path: Path
) -> None:
    _mid, _desc, old, new = mutant
    python = interpreter(SOURCE_VERSION)
    source = (Path(python).resolve().parent.parent / "lib" / "python3.11" / "threading.py").read_text()
    assert source.count(old) == 1
    (tmp_path / "threading.py").write_text(source.replace(old, new))
    results = _run_all(python, paths=(str(tmp_path),))
    # the first scenario's thread calls the target, gate 2: the agent reports it at once
    assert len(results) == 1 and results[0].violation is not None, [r.log for r in results]
    assert results[0].violation.clause == thread_subclass.RUN_OVERRIDE_REPLACES_TARGET, results[0].log
