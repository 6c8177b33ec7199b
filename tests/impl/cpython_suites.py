"""Run CPython's own threading test suites against impl, in the interpreter that runs this file.

    python tests/impl/cpython_suites.py lock_tests RESULT.json [-v]
    python tests/impl/cpython_suites.py test_threading RESULT.json [-v]

``lock_tests``: the abstract classes of ``test.lock_tests`` bound to impl's
types (``LockTests`` to ``impl.Lock``, ``RLockTests`` to ``impl.RLock`` and to
``impl.Condition``…), plus ``test.test_threading_local``'s ``BaseLocalTest``
bound to ``impl.local`` and ``_threading_local``'s doctests run with
``impl.local``. CPython's ``threading`` stays in place.

``test_threading``: the whole of ``test.test_threading`` with impl installed as
``threading`` (by ``cpython_shim/sitecustomize.py``, which the caller puts on
PYTHONPATH, so that the child interpreters the tests start use impl too;
PYTHONHOME is set so that ``test.support`` does not start them in isolated
mode, which would ignore PYTHONPATH). Tests listed in ``excluded()`` are
removed first, each with the reason; tests in ``ADAPTED`` run with the
adaptation described there.

Writes to RESULT.json: ``run`` (tests run, skipped ones included, as unittest
counts them), ``passed``, ``failures``, ``errors``, ``unexpected_successes``
(lists of test ids), ``expected_failures``, ``skipped``, ``excluded`` and
``adapted`` (test id -> reason), and ``counts``, one line saying all that.
"""

from __future__ import annotations

import json
import sys
import unittest
from collections.abc import Iterator
from typing import Any

V = sys.version_info[:2]

# ---------------------------------------------------------------------------
# Exclusions and adaptations: test id (without the module) -> why
# ---------------------------------------------------------------------------

PRIVATE_TO_CPYTHON: dict[str, str] = {
    "ThreadTests.test_name": "pins the N of 'Thread-N' by patching threading._counter, the private "
    "counter of CPython's threading.py (impl's counter is impl.thread's own); the public part, the "
    "name formats, is tested in tests/impl/test_thread.py",
    "ThreadTests.test_limbo_cleanup": "makes start() fail by patching threading._start_new_thread "
    "(3.13: _start_joinable_thread), a private alias in CPython's threading.py that impl's start() "
    "does not go through; tests/impl/test_thread.py makes _thread fail instead and checks the same",
}
if V < (3, 13):
    PRIVATE_TO_CPYTHON |= {
        "ThreadTests.test_tstate_lock": "inspects Thread._tstate_lock, a private attribute of "
        "3.11/3.12's threading.py (the test calls itself a test of an implementation detail; impl "
        "keeps the sentinel lock in Thread._handle)",
        "ThreadTests.test_shutdown_locks": "inspects Thread._tstate_lock and threading._shutdown_locks, "
        "private to 3.11/3.12's threading.py (impl keeps its own set of non-daemon handles)",
    }

ADAPTED: dict[str, str] = {
    "MiscTestCase.test__all__": "support.check__all__ counts a name as public when it is defined in "
    "one of the modules it is told ('threading' and '_thread'); it is also told impl's modules "
    "(impl, impl.thread…), where impl defines threading's names",
}


def excluded(module: str) -> dict[str, str]:
    """The tests of ``module`` not to run in this interpreter, with the reasons."""
    if module == "lock_tests":
        return {
            "ConditionAsRLockTests.test_recursion_count": "calls _recursion_count(), a private method "
            "of CPython's RLock, which a Condition does not have (test_threading skips it for CPython's "
            "Condition too); RLockTests runs it on impl.RLock, which has it",
        }
    import sitecustomize  # the shim

    found = dict(PRIVATE_TO_CPYTHON)
    if sitecustomize.IMPORTED_AT_STARTUP:
        found["ThreadTests.test_import_from_another_thread"] = (
            "this interpreter imports threading at startup, before any code runs (a .pth file in "
            "its site-packages imports a module that imports threading), so the test's check that "
            "threading is not imported yet fails, for CPython's own threading too"
        )
    return found


# ---------------------------------------------------------------------------
# Suites
# ---------------------------------------------------------------------------


def lock_tests_suite() -> unittest.TestSuite:
    import _threading_local
    import doctest

    from test import lock_tests, test_threading_local

    import impl

    bindings = {
        "LockTests": (lock_tests.LockTests, "locktype", impl.Lock),
        "RLockTests": (lock_tests.RLockTests, "locktype", impl.RLock),
        "ConditionAsRLockTests": (lock_tests.RLockTests, "locktype", impl.Condition),
        "ConditionTests": (lock_tests.ConditionTests, "condtype", impl.Condition),
        "EventTests": (lock_tests.EventTests, "eventtype", impl.Event),
        "SemaphoreTests": (lock_tests.SemaphoreTests, "semtype", impl.Semaphore),
        "BoundedSemaphoreTests": (lock_tests.BoundedSemaphoreTests, "semtype", impl.BoundedSemaphore),
        "BarrierTests": (lock_tests.BarrierTests, "barriertype", impl.Barrier),
    }
    # lock_tests also names threading.Lock, threading.get_ident and
    # threading.BrokenBarrierError itself: they must be impl's.
    lock_tests.threading = impl  # type: ignore[attr-defined]
    loader = unittest.TestLoader()
    suite = unittest.TestSuite()
    for name, (base, attribute, factory) in bindings.items():
        namespace: dict[str, object] = {attribute: staticmethod(factory), "__module__": "impl_lock_tests"}
        suite.addTests(loader.loadTestsFromTestCase(type(name, (base,), namespace)))
    local_tests = type(
        "ImplLocalTest",
        (unittest.TestCase, test_threading_local.BaseLocalTest),
        {"_local": impl.local, "__module__": "impl_lock_tests"},
    )
    suite.addTests(loader.loadTestsFromTestCase(local_tests))

    def use_impl_local(test: object) -> None:
        _threading_local.local = impl.local  # type: ignore[misc]

    suite.addTests(doctest.DocTestSuite("_threading_local", setUp=use_impl_local))
    return suite


def test_threading_suite() -> unittest.TestSuite:
    import threading

    import impl

    assert threading is impl, "run with cpython_shim on PYTHONPATH"
    from test import support, test_threading

    check__all__ = support.check__all__

    def check__all__also_in_impl(
        test_case: Any, module: Any, name_of_module: Any = None, *args: Any, **kwargs: Any
    ) -> None:
        # Adaptation of MiscTestCase.test__all__ (see ADAPTED).
        if module is impl and name_of_module is not None:
            if isinstance(name_of_module, str):
                name_of_module = (name_of_module,)
            impl_modules = [name for name in sys.modules if name == "impl" or name.startswith("impl.")]
            name_of_module = (*name_of_module, *impl_modules)
        check__all__(test_case, module, name_of_module, *args, **kwargs)

    support.check__all__ = check__all__also_in_impl
    return unittest.TestLoader().loadTestsFromModule(test_threading)


def _flatten(suite: unittest.TestSuite) -> Iterator[unittest.TestCase]:
    for test in suite:
        if isinstance(test, unittest.TestSuite):
            yield from _flatten(test)
        else:
            yield test


def short_id(test: unittest.TestCase) -> str:
    """``Class.test_method``: the test's id without its module."""
    return f"{type(test).__name__}.{test._testMethodName}"


class CountingResult(unittest.TextTestResult):
    """A TextTestResult that also counts the tests that passed (all their subtests included)."""

    passed = 0

    def addSuccess(self, test: unittest.TestCase) -> None:
        super().addSuccess(test)
        self.passed += 1


def main() -> int:
    module, result_path = sys.argv[1], sys.argv[2]
    verbosity = 2 if "-v" in sys.argv[3:] else 1
    suite = lock_tests_suite() if module == "lock_tests" else test_threading_suite()
    to_exclude = excluded(module)
    adapted = ADAPTED if module == "test_threading" else {}
    kept = unittest.TestSuite()
    removed: dict[str, str] = {}
    present: set[str] = set()
    for test in _flatten(suite):
        present.add(short_id(test))
        if short_id(test) in to_exclude:
            removed[short_id(test)] = to_exclude[short_id(test)]
        else:
            kept.addTest(test)
    stale = sorted((set(to_exclude) | set(adapted)) - present)
    runner = unittest.TextTestRunner(verbosity=verbosity, stream=sys.stderr, resultclass=CountingResult)
    result = runner.run(kept)
    assert isinstance(result, CountingResult)
    summary: dict[str, Any] = {
        "python": f"{V[0]}.{V[1]}",
        "suite": module,
        "run": result.testsRun,
        "passed": result.passed,
        "failures": [str(t) for t, _ in result.failures],
        "errors": [str(t) for t, _ in result.errors] + [f"{t}: listed but not in the suite" for t in stale],
        "unexpected_successes": [str(t) for t in result.unexpectedSuccesses],
        "expected_failures": len(result.expectedFailures),
        "skipped": {str(t): reason for t, reason in result.skipped},
        "excluded": dict(sorted(removed.items())),
        "adapted": {t: why for t, why in adapted.items() if t in present},
    }
    summary["counts"] = (
        f"{summary['python']} {module}: run {result.testsRun}, passed {result.passed}, "
        f"failures {len(result.failures)}, errors {len(summary['errors'])}, "
        f"skipped {len(result.skipped)}, excluded {len(removed)}, adapted {len(summary['adapted'])}"
    )
    with open(result_path, "w") as f:
        json.dump(summary, f, indent=1)
    return 0 if result.wasSuccessful() and not stale else 1


if __name__ == "__main__":
    sys.exit(main())
