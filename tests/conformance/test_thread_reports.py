"""What a thread leaves behind, checked against real targets: what its uncaught exception's
handling writes to sys.stderr and hands to sys.excepthook (the agent's ``thread-exit``
report). Each check runs its scenario against the stock threading.py (it passes) and against
a copy with one seeded bug (the checker names the clause)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from conformance.agent_client import AgentClient
from conformance.driver import RunResult, Session, Settings
from conformance.scenario import Scenario
from conformance.scenarios import module_functions
from conformance.scenarios import thread as thread_scenarios
from spec import module, thread_excepthook
from spec.profiles import profile_for
from tests.interpreters import interpreter

SOURCE_VERSION = "3.11.7"


def _scenario(name: str) -> Scenario:
    every = thread_scenarios.SCENARIOS + module_functions.SCENARIOS
    return next(s for s in every if s.name == name)


def _session(python: str, paths: list[str]) -> Iterator[Session]:
    client = AgentClient.start(python, paths=paths)
    try:
        prof = profile_for(".".join(map(str, client.hello.python[:2])))
        yield Session(client, prof, Settings(deadline=5.0))
    finally:
        client.close()


def _run(python: str, names: list[str], paths: list[str] | None = None) -> list[RunResult]:
    out = []
    for s in _session(python, paths or []):
        for name in names:
            sc = _scenario(name)
            out.append(s.run(sc.primitive, sc.init, sc.steps))
    return out


def _source() -> str:
    root = Path(interpreter(SOURCE_VERSION)).resolve().parent.parent
    return (root / "lib" / "python3.11" / "threading.py").read_text()


FALLBACK = (
    "    from _thread import (_excepthook as excepthook,\n"
    "                         _ExceptHookArgs as ExceptHookArgs)\n",
    "    raise ImportError\n",
)
"""threading.py's own Python excepthook instead of _thread's (both are CPython's)."""

EXCEPTHOOK_BUGS = {
    # the default hook is never called: nothing is printed
    "default_excepthook_prints_the_exception": (
        [("            hook(args)\n",
          "            if hook is not old_excepthook:\n                hook(args)\n")],
        thread_excepthook.EXCEPTHOOK_PRINTS_TO_STDERR,
    ),
    # the Python hook ignores KeyboardInterrupt instead of SystemExit: SystemExit is printed
    "default_excepthook_ignores_systemexit": (
        [FALLBACK, ("        if args.exc_type == SystemExit:\n",
                    "        if args.exc_type == KeyboardInterrupt:\n")],
        thread_excepthook.EXCEPTHOOK_IGNORES_SYSTEMEXIT,
    ),
    # a hook that raises: the failure is announced but sys.excepthook is not called
    "failing_excepthook_goes_to_sys_excepthook": (
        [("            sys_excepthook(*sys_exc_info())\n", "            pass\n")],
        thread_excepthook.EXCEPTHOOK_FAILURE_CALLS_SYS_EXCEPTHOOK,
    ),
}


@pytest.mark.parametrize("version", ["3.8.18", "3.11.7", "3.13.0"])
def test_stock_excepthook_passes_and_is_judged(version: str) -> None:
    results = _run(interpreter(version), sorted(EXCEPTHOOK_BUGS))
    for r, name in zip(results, sorted(EXCEPTHOOK_BUGS), strict=True):
        assert r.passed, (name, r.violation and r.violation.describe(), r.log)
        assert EXCEPTHOOK_BUGS[name][1] in r.exercised, (name, r.log)


def test_python_fallback_excepthook_passes(tmp_path: Path) -> None:
    old, new = FALLBACK
    (tmp_path / "threading.py").write_text(_source().replace(old, new))
    for r in _run(interpreter(SOURCE_VERSION), sorted(EXCEPTHOOK_BUGS), [str(tmp_path)]):
        assert r.passed, (r.violation and r.violation.describe(), r.log)


@pytest.mark.parametrize("name", sorted(EXCEPTHOOK_BUGS))
def test_excepthook_bug_is_caught_with_its_clause(name: str, tmp_path: Path) -> None:
    edits, clause = EXCEPTHOOK_BUGS[name]
    text = _source()
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    (tmp_path / "threading.py").write_text(text)
    (r,) = _run(interpreter(SOURCE_VERSION), [name], [str(tmp_path)])
    assert r.violation is not None and r.violation.clause == clause, (r.violation, r.log)


# ---------------------------------------------------------------------------
# A dummy thread cannot be joined
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["2.7.18", "3.11.7", "3.13.0"])
def test_stock_dummy_join_raises_the_versions_exception(version: str) -> None:
    (r,) = _run(interpreter(version), ["a_dummy_thread_cannot_be_joined"])
    assert r.passed, (r.violation and r.violation.describe(), r.log)
    assert module.CURRENT_THREAD_DUMMY_CANNOT_BE_JOINED in r.exercised


def test_dummy_join_that_returns_is_caught(tmp_path: Path) -> None:
    old = '        assert False, "cannot join a dummy thread"\n'
    text = _source()
    assert text.count(old) == 1
    (tmp_path / "threading.py").write_text(text.replace(old, "        return None\n"))
    (r,) = _run(interpreter(SOURCE_VERSION), ["a_dummy_thread_cannot_be_joined"], [str(tmp_path)])
    assert r.violation is not None, r.log
    assert r.violation.clause == module.CURRENT_THREAD_DUMMY_CANNOT_BE_JOINED, r.log
