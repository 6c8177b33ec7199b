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
mode, which would ignore PYTHONPATH). Tests listed in ``EXCLUDED`` are removed
first, each with the reason.

Writes ``{"run", "failures", "errors", "skipped", "excluded"}`` to RESULT.json.
"""

from __future__ import annotations

import json
import sys
import unittest
from collections.abc import Iterator

V = sys.version_info[:2]

# ---------------------------------------------------------------------------
# Exclusions: test id (without the module) -> why
# ---------------------------------------------------------------------------

EXCLUDED_TEST_THREADING: dict[str, str] = {
    "ThreadTests.test_name": "patches threading._counter, CPython's private name counter, to pin "
    "the N of 'Thread-N' (impl's counter is its own; the name formats are tested in tests/impl)",
    "ThreadTests.test_limbo_cleanup": "patches threading._start_new_thread (3.13: "
    "_start_joinable_thread), a CPython-private alias, to make start() fail (impl's start() calls "
    "_thread directly; tests/impl/test_thread.py makes _thread fail instead)",
    "MiscTestCase.test__all__": "support.check__all__ expects every exported name to be defined in "
    "a module named 'threading' or '_thread' (impl's are defined in impl)",
    "ThreadTests.test_import_from_another_thread": "the shim imports impl, as threading, at the "
    "start of every child interpreter, so threading is imported before the test's code runs",
}
if V < (3, 13):
    EXCLUDED_TEST_THREADING |= {
        "ThreadTests.test_tstate_lock": "inspects Thread._tstate_lock, a private attribute of "
        "3.11/3.12's threading.py (impl keeps the sentinel lock in Thread._handle)",
        "ThreadTests.test_shutdown_locks": "inspects Thread._tstate_lock and threading._shutdown_locks, "
        "private to 3.11/3.12's threading.py (impl keeps its own set of non-daemon handles)",
    }


def _excluded(module: str) -> dict[str, str]:
    return EXCLUDED_TEST_THREADING if module == "test_threading" else {}


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
        if name == "ConditionAsRLockTests":
            # As in test_threading: a Condition does not expose _recursion_count().
            namespace["test_recursion_count"] = lambda self: self.skipTest("not exposed by Condition")
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
    import impl

    assert sys.modules["threading"] is impl, "run with cpython_shim on PYTHONPATH"
    from test import test_threading

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


def main() -> int:
    module, result_path = sys.argv[1], sys.argv[2]
    verbosity = 2 if "-v" in sys.argv[3:] else 1
    suite = lock_tests_suite() if module == "lock_tests" else test_threading_suite()
    excluded = _excluded(module)
    kept = unittest.TestSuite()
    removed = []
    for test in _flatten(suite):
        if short_id(test) in excluded:
            removed.append(short_id(test))
        else:
            kept.addTest(test)
    result = unittest.TextTestRunner(verbosity=verbosity, stream=sys.stderr).run(kept)
    summary = {
        "python": f"{V[0]}.{V[1]}",
        "run": result.testsRun,
        "failures": [str(t) for t, _ in result.failures],
        "errors": [str(t) for t, _ in result.errors],
        "unexpected_successes": [str(t) for t in result.unexpectedSuccesses],
        "skipped": len(result.skipped),
        "excluded": sorted(removed),
    }
    with open(result_path, "w") as f:
        json.dump(summary, f, indent=1)
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
