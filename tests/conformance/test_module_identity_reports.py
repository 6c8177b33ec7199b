"""Module functions judged on real targets: the original excepthook called directly, and the
uniqueness of the ids of threads alive at the same time (``spec.module``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from spec import module
from tests.conformance.test_thread_reports import SOURCE_VERSION, _run, _source
from tests.interpreters import interpreter

# ---------------------------------------------------------------------------
# The original excepthook called directly
# ---------------------------------------------------------------------------

DIRECT = "original_excepthook_called_with_what_is_no_exception_rejects_it"


@pytest.mark.parametrize("version", ["3.8.18", "3.11.7", "3.13.0"])
def test_stock_original_excepthook_rejects_what_is_no_exception(version: str) -> None:
    (r,) = _run(interpreter(version), [DIRECT])
    assert r.passed, (r.violation and r.violation.describe(), r.log)
    assert module.EXCEPTHOOK_HANDLES_UNCAUGHT_EXCEPTIONS in r.exercised


def test_an_original_excepthook_that_accepts_anything_is_caught(tmp_path: Path) -> None:
    text = _source() + "\n\nexcepthook = __excepthook__ = lambda *args: None\n"
    (tmp_path / "threading.py").write_text(text)
    (r,) = _run(interpreter(SOURCE_VERSION), [DIRECT], [str(tmp_path)])
    assert r.violation is not None, r.log
    assert r.violation.clause == module.EXCEPTHOOK_HANDLES_UNCAUGHT_EXCEPTIONS, r.log


# ---------------------------------------------------------------------------
# Threads alive at the same time have distinct ids
# ---------------------------------------------------------------------------

DISTINCT = "threads_alive_together_have_distinct_ids"


@pytest.mark.parametrize("version", ["3.8.18", "3.11.7", "3.13.0"])
def test_stock_threads_alive_together_have_distinct_ids(version: str) -> None:
    (r,) = _run(interpreter(version), [DISTINCT])
    assert r.passed, (r.violation and r.violation.describe(), r.log)
    assert {module.GET_NATIVE_ID_IDENTIFIES_THE_THREAD, module.GET_IDENT_RETURNS_NONZERO_INT} <= r.exercised


def test_a_constant_native_id_is_caught(tmp_path: Path) -> None:
    text = _source() + "\n\nget_native_id = lambda: 1\n"
    (tmp_path / "threading.py").write_text(text)
    (r,) = _run(interpreter(SOURCE_VERSION), [DISTINCT], [str(tmp_path)])
    assert r.violation is not None, r.log
    assert r.violation.clause == module.GET_NATIVE_ID_IDENTIFIES_THE_THREAD, r.log


LAST_STARTED = '''

_started = []
_os_id = get_native_id


def get_native_id():
    return _started[-1] if _started else _os_id()


def _set_native_id(self):
    _started.append(_os_id())
    self._native_id = _started[-1]


Thread._set_native_id = _set_native_id
'''
"""get_native_id() answers the native id of the thread started last, in every thread: right in
that thread, the same id in another one alive with it."""


def test_a_native_id_shared_by_two_live_threads_is_caught(tmp_path: Path) -> None:
    (tmp_path / "threading.py").write_text(_source() + LAST_STARTED)
    (r,) = _run(interpreter(SOURCE_VERSION), [DISTINCT], [str(tmp_path)])
    assert r.violation is not None, r.log
    assert r.violation.clause == module.GET_NATIVE_ID_IDENTIFIES_THE_THREAD, r.log
    assert r.violation.thread == 1, r.violation.describe()  # the worker's call, not the thread's own
