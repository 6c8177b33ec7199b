"""Fixtures for the impl tests: the module under test (impl, or CPython's threading), and helpers.

No test sleeps to synchronise: threads meet on Events, and ``until`` waits for
an observable state (a waiter queued…), giving up only after a long deadline.
"""

from __future__ import annotations

import os
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import impl
from conformance.timeouts import NEVER_EXPIRING_TIMEOUT

MODULES = {"impl": impl, "threading": threading}


@pytest.fixture(params=sorted(MODULES))
def mod(request: pytest.FixtureRequest) -> ModuleType:
    """The module under test: impl, and CPython's threading as the reference."""
    return MODULES[request.param]


def until(predicate: Callable[[], object], what: str = "condition") -> None:
    """Wait until ``predicate()`` is true: a quiescence wait, not a timing assumption.

    Yields the GIL between checks; fails only after ``NEVER_EXPIRING_TIMEOUT``.
    """
    deadline = time.monotonic() + NEVER_EXPIRING_TIMEOUT
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0)  # gives other threads the GIL; not a timed sleep


class Runner:
    """Runs calls in helper threads and collects what they return or raise."""

    def __init__(self, mod: ModuleType) -> None:
        self.mod = mod
        self.threads: list[Any] = []

    def start(self, fn: Callable[[], Any]) -> dict[str, Any]:
        """Run ``fn`` in a new (real threading) thread; the result dict fills in when it ends."""
        result: dict[str, Any] = {}

        def body() -> None:
            try:
                result["value"] = fn()
            except BaseException as exc:  # noqa: BLE001
                result["raised"] = type(exc).__name__

        t = threading.Thread(target=body, daemon=True)
        t.start()
        self.threads.append(t)
        return result

    def join(self) -> None:
        for t in self.threads:
            t.join(NEVER_EXPIRING_TIMEOUT)
            assert not t.is_alive(), "helper thread stuck"
        self.threads.clear()


@pytest.fixture
def runner(mod: ModuleType) -> Iterator[Runner]:
    r = Runner(mod)
    yield r
    r.join()


def outcome(fn: Callable[[], Any]) -> tuple[str, Any, tuple[str, ...]]:
    """``("returned", value, warnings)`` or ``("raised", exception type name, warnings)``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = fn()
        except BaseException as exc:  # noqa: BLE001
            return ("raised", type(exc).__name__, tuple(w.category.__name__ for w in caught))
    return ("returned", value, tuple(w.category.__name__ for w in caught))


# ---------------------------------------------------------------------------
# Other interpreters, for tests that run a child process
# ---------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
"""The repository root: put on PYTHONPATH so that any interpreter imports impl from the source tree."""


def _interpreters() -> dict[str, str]:
    """The interpreters to run child processes with: this one, plus pyenv's 3.11–3.13 if installed."""
    found = {f"{sys.version_info[0]}.{sys.version_info[1]}": sys.executable}
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    for version in ("3.11", "3.12", "3.13"):
        for candidate in sorted(root.glob(f"{version}.*/bin/python")):
            found.setdefault(version, str(candidate))
    return dict(sorted(found.items()))


INTERPRETERS = _interpreters()


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.pop("PYTHONWARNINGS", None)
    return env


@pytest.fixture(params=sorted(INTERPRETERS))
def python(request: pytest.FixtureRequest) -> str:
    """Path of an interpreter (3.11, 3.12, 3.13 when installed) for a child process."""
    return INTERPRETERS[request.param]
