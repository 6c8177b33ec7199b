"""Reproducers for a library target (``check --target NAME``) run standalone: ``python file.py`` with
the library installed. The adapter's prelude builds only the names the script uses (a one-thread one
stays short), and where the adapter's workers are the library's green threads, so are the script's.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.adapters import ADAPTERS, find
from conformance.checker import Violation, ViolationKind
from conformance.reproducer import render
from spec.values import Outcome, Raised, Returned, call


def _needs(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (pip install -e '.[dev]' installs it)")


def _run(text: str, tmp_path: Path) -> tuple[int, list[str]]:
    script = tmp_path / "repro.py"
    script.write_text(text)
    env = dict(os.environ, THREADSPEC_WAIT="5", THREADSPEC_TRIES="2")
    env.pop("PYTHONPATH", None)
    p = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, env=env,
                       cwd=tmp_path)
    assert p.returncode in (0, 1), p.stderr
    return p.returncode, p.stdout.splitlines()


def _violation(step: int, allowed: list[Outcome], may_block: bool = False) -> Violation:
    return Violation(ViolationKind.UNEXPECTED_OUTCOME, "c", step, None, "x", [repr(a) for a in allowed],
                     list(allowed), may_block)


def test_the_adapter_of_a_target_is_found_from_its_module_and_prelude() -> None:
    for a in ADAPTERS.values():
        assert find(a.module, a.prelude, a.workers) is a
    assert find("threading", None) is None
    # multiprocessing and multiprocessing-processes differ only by their workers
    mp = ADAPTERS["multiprocessing-processes"]
    assert find(mp.module, mp.prelude, "processes") is mp


@pytest.mark.parametrize("name, reproduced", [("gevent-direct", True), ("multiprocessing", True),
                                              ("aiologic", False)])
def test_a_one_thread_reproducer_of_a_mapped_library_is_short_and_standalone(
    name: str, reproduced: bool, tmp_path: Path
) -> None:
    """BoundedSemaphore(3) acquired twice, then release(3): the spec allows ValueError. gevent's
    release() takes no n (TypeError) and multiprocessing's neither; aiologic raises ValueError."""
    a = ADAPTERS[name]
    _needs(a.requires)
    steps = (call(0, "acquire"), call(0, "acquire"), call(0, "release", 3))
    text = render("BoundedSemaphore", call(0, "__init__", 3), steps, module=a.module, prelude=a.prelude,
                  violation=_violation(2, [Raised("ValueError")]), failed_step=2)
    code = [line for line in text.splitlines() if not line.startswith("#")]
    assert len(code) < (20 if not a.methods else 30), text
    assert "BoundedSemaphore" in text and ".Lock" not in text and "Event" not in text  # only what it uses
    rc, lines = _run(text, tmp_path)
    assert (rc, lines[-1]) == ((1, "REPRODUCED") if reproduced else (0, "NOT REPRODUCED")), lines


def test_green_workers_of_an_unpatched_library_are_its_greenlets(tmp_path: Path) -> None:
    """gevent.lock used directly: the script's workers are greenlets (as the agent's were), and its
    waits yield to gevent's hub. t1's acquire of t0's lock blocks until t0 releases it; a spec that
    allows only False for it is contradicted by the True it returns once t0 released."""
    a = ADAPTERS["gevent-direct"]
    _needs(a.requires)
    steps = (call(0, "acquire"), call(1, "acquire"), call(0, "release"))
    v = Violation(ViolationKind.UNEXPECTED_OUTCOME, "c", 1, steps[1], "x", ["returned False"],
                  [Returned(False)], True)
    text = render("Lock", call(0, "__init__"), steps, module=a.module, prelude=a.prelude, violation=v,
                  failed_step=2)
    assert "import gevent, gevent.thread as _t" in text and "import _thread" not in text
    probe = text.replace("def attempt():", "def attempt():\n    print('workers: %s' % _t.__name__)", 1)
    rc, lines = _run(probe, tmp_path)
    assert (rc, lines[-1]) == (1, "REPRODUCED"), lines
    assert "workers: gevent.thread" in lines and "t1.acquire() -> ('returned', 'True')" in lines


def test_a_patching_library_keeps_its_prelude(tmp_path: Path) -> None:
    a = ADAPTERS["gevent"]
    _needs(a.requires)
    text = render("Lock", call(0, "__init__"), (call(0, "acquire"), call(0, "release")), module=a.module,
                  prelude=a.prelude, violation=_violation(1, [Returned(None)]), failed_step=1)
    assert "monkey.patch_all()" in text and len(text.splitlines()) < 20
    rc, lines = _run(text, tmp_path)
    assert (rc, lines[-1]) == (1, "REPRODUCED"), lines  # gevent's Lock.release() returns 1


@pytest.mark.parametrize("args, reproduced", [((), False), ((1,), True)])
def test_a_constructor_that_fails_is_reproduced_alone(args: tuple[int, ...], reproduced: bool,
                                                       tmp_path: Path) -> None:
    """A constructor's "returned None" is an object made: ``Lock()`` is not reproduced, ``Lock(1)``
    (TypeError on CPython) is; the later steps of the schedule are not replayed before it."""
    steps = (call(0, "acquire"), call(1, "release"), call(0, "locked"))
    v = Violation(ViolationKind.CONSTRUCTOR, "c", -1, None, "x", ["returned None"], [Returned(None)], False)
    text = render("Lock", call(0, "__init__", *args), steps, violation=v, failed_step=-1)
    assert "acquire" not in text and "release" not in text and len(text.splitlines()) < 20, text
    rc, lines = _run(text, tmp_path)
    assert (rc, lines[-1]) == ((1, "REPRODUCED") if reproduced else (0, "NOT REPRODUCED")), lines


def test_a_one_thread_reproducer_compares_the_warning_the_spec_requires(tmp_path: Path) -> None:
    """``Event().isSet()`` must return False with a DeprecationWarning (3.10+): CPython's does; gevent's
    Event returns False without one."""
    allowed: list[Outcome] = [Returned(False, warning="DeprecationWarning")]
    v = _violation(0, allowed)
    text = render("Event", call(0, "__init__"), (call(0, "isSet"),), violation=v, failed_step=0)
    assert len(text.splitlines()) < 20 and "catch_warnings" in text
    rc, lines = _run(text, tmp_path)
    assert (rc, lines[-2:]) == (0, ["the spec allows: [('returned', False, 'DeprecationWarning')]",
                                    "NOT REPRODUCED"]), lines
    assert lines[0] == "observed: ('returned', 'False', ['DeprecationWarning'])"
    a = ADAPTERS["gevent-direct"]
    _needs(a.requires)
    text = render("Event", call(0, "__init__"), (call(0, "isSet"),), module=a.module, prelude=a.prelude,
                  violation=v, failed_step=0)
    rc, lines = _run(text, tmp_path)
    assert (rc, lines[0], lines[-1]) == (1, "observed: ('returned', 'False', [])", "REPRODUCED"), lines


@pytest.mark.parametrize("value, reproduced", [(True, False), (False, True)])
def test_an_early_timeout_is_the_timed_out_result_before_the_timeout(value: bool, reproduced: bool,
                                                                      tmp_path: Path) -> None:
    """t1 waits 60 s on an Event that t0 sets: its True at once is no timeout (not reproduced); a
    wait that returns False after 0.3 s (here: a wait on another Event, for 0.3 s) is an early timeout."""
    steps = (call(1, "wait", 60.0), call(0, "set"))
    v = Violation(ViolationKind.EARLY_TIMEOUT, "c", 1, steps[0], "returned False",
                  ["returned only after its timeout of 60.0 s (it came after 0.01 s)"], [], True)
    text = render("Event", call(0, "__init__"), steps, violation=v, failed_step=1)
    if not value:
        text = text.replace("lambda: obj.wait(60.0)", "lambda: M.Event().wait(0.3)")
    rc, lines = _run(text, tmp_path)
    assert (rc, lines[-1]) == ((1, "REPRODUCED") if reproduced else (0, "NOT REPRODUCED")), lines


def test_a_thread_summary_is_not_compared_as_a_repr(tmp_path: Path) -> None:
    """The spec's value for a returned Thread is the agent's summary, not a repr: a script cannot
    compare it, says so and does not claim a deviation."""
    from spec.module import thread_value

    allowed: list[Outcome] = [Returned(thread_value(name="MainThread", daemon=False, ident="main"))]
    steps = (call(1, "module.main_thread"),)
    v = Violation(ViolationKind.UNEXPECTED_OUTCOME, "c", 1, steps[0], "x", ["a Thread"], allowed, False)
    text = render("Thread", call(0, "__init__"), steps, violation=v, failed_step=0)
    rc, lines = _run(text, tmp_path)
    assert (rc, lines[-1]) == (0, "NOT REPRODUCED") and "cannot be compared" in "\n".join(lines), lines


def test_a_script_with_every_piece_of_machinery_is_ascii() -> None:
    """Python 2.7 and Jython read a source file without an encoding declaration as ASCII."""
    from spec.values import Gate, Hook

    steps = (call(1, "start"), call(-1, "gate.open", 1), call(1, "settrace", Hook("t")))
    v = Violation(ViolationKind.UNEXPECTED_OUTCOME, "c", 1, steps[2], "x", ["None"], [Returned(None)], True)
    text = render("Thread", call(0, "__init__", target=Gate(1)), steps, violation=v, failed_step=2)
    assert "def gate" in text and "def hook" in text and text.isascii()


def test_a_count_of_the_process_threads_is_not_compared(tmp_path: Path) -> None:
    """active_count() in the agent counts the agent's own threads: the 13 the spec allowed there is no
    value a script with two threads can be held to."""
    steps = (call(1, "module.active_count"),)
    v = Violation(ViolationKind.UNEXPECTED_OUTCOME, "c", 1, steps[0], "returned 12", ["returned 13"],
                  [Returned(13)], False)
    text = render("Thread", call(0, "__init__"), steps, violation=v, failed_step=0)
    rc, lines = _run(text, tmp_path)
    assert (rc, lines[-1]) == (0, "NOT REPRODUCED") and "cannot be compared" in "\n".join(lines), lines
