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
