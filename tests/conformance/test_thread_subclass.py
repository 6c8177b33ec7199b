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
    client = AgentClient.start(python, module=module, paths=list(paths))
    try:
        profile = profile_for(".".join(map(str, client.hello.python[:2])))
        session = Session(client, profile, Settings())
        return [session.run(s.primitive, s.init, s.steps) for s in scenarios.SCENARIOS]
    finally:
        client.close()


@pytest.mark.parametrize("version", ["2.7.18", "3.8.18", "3.11.7", "3.13.0"])
def test_stock_threading_passes_every_subclass_scenario(version: str) -> None:
    results = _run_all(interpreter(version))
    for r in results:
        assert r.passed, (r.violation and r.violation.describe(), r.log)
    exercised = set().union(*(r.exercised for r in results))
    assert {thread_subclass.INIT_CREATED, thread_subclass.START_RUNS_OVERRIDE_IN_NEW_THREAD,
            thread_subclass.RUN_OVERRIDE_REPLACES_TARGET} <= exercised


def test_impl_passes_every_subclass_scenario() -> None:
    for r in _run_all(interpreter(SOURCE_VERSION), module="impl", paths=(str(ROOT),)):
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
    clauses = [r.violation.clause for r in results if r.violation is not None]
    assert thread_subclass.RUN_OVERRIDE_REPLACES_TARGET in clauses, [r.log for r in results]
