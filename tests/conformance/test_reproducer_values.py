"""A reproducer judges what it observes as the spec does: each kind of allowed value the spec can
produce (``spec.values``'s opaque values, ``spec.module.NameLike``, floats and NaN, bools against
ints, nested tuples against lists, objects, exceptions with documented bases) is rendered as data
that the script's ``fits`` judges the way ``spec.values.value_matches`` / ``outcome_matches`` does.

Each case stores a value in a ``local`` (``x``) and reads it back: the script prints NOT REPRODUCED
and exits 0 exactly when the spec's own ``value_matches`` allows the value read, on 3.11 and on 2.7
alike (a script is the same text for both)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conformance.checker import Violation, ViolationKind
from conformance.reproducer import render
from spec.module import DEFAULT_THREAD_NAME, NameLike
from spec.values import (
    ANY,
    ANY_INT,
    ANY_STR,
    FALSY,
    TRUTHY,
    New,
    Outcome,
    Raised,
    Returned,
    call,
    value_matches,
)
from tests.interpreters import interpreter

VERSIONS = ["3.11.7", "2.7.18"]

NAN = float("nan")
INF = float("inf")

CASES: list[tuple[Any, Any]] = [
    # (allowed value, value the target returns)
    ((5, "five"), (5, "five")),
    ((5, "five"), ("five",)),
    ((5,), (5,)),
    ((5,), (5, 5)),
    ((), ()),
    ((1, (2, "a")), (1, (2, "a"))),
    ((1, (2, "a")), (1, (2, "b"))),
    ((1, (2, "a")), (1, (True, "a"))),
    ((ANY, 5), ("q", 5)),
    ((ANY, 5), ("q", 6)),
    (1, True),
    (True, 1),
    (True, True),
    (0, False),
    (1, 1.0),
    (2**70, 2**70),  # a long on 2.7: repr 1180591620717411303424L, the same value
    (0.5, 0.5),
    (0.5, 0.25),
    (NAN, NAN),
    (NAN, 1.0),
    (INF, INF),
    (-INF, INF),
    (None, None),
    (None, 0),
    ("x", "x"),
    ("x", "y"),
    (ANY, (1, "z")),
    (ANY_INT, 3),
    (ANY_INT, True),
    (ANY_INT, "3"),
    (ANY_STR, "s"),
    (ANY_STR, 3),
    (FALSY, None),
    (FALSY, 0),
    (FALSY, ""),
    (FALSY, ()),
    (FALSY, 1),
    (TRUTHY, 1),
    (TRUTHY, "a"),
    (TRUTHY, 0),
    (TRUTHY, ()),
    (NameLike(DEFAULT_THREAD_NAME), "Thread-3"),
    (NameLike(DEFAULT_THREAD_NAME), "Thread-3 (target)"),
    (NameLike(DEFAULT_THREAD_NAME), "Thread-x"),
    (NameLike(DEFAULT_THREAD_NAME), "Thread-3\n"),
    (NameLike(DEFAULT_THREAD_NAME), "my Thread-3"),
    ((NameLike(r"Dummy-\d+"), ANY_INT), ("Dummy-1", 7)),
    ((NameLike(r"Dummy-\d+"), ANY_INT), ("Dummy-1", "7")),
]


def _violation(allowed: list[Outcome]) -> Violation:
    return Violation(ViolationKind.UNEXPECTED_OUTCOME, "c", 0, None, "x", [repr(a) for a in allowed],
                     list(allowed))


def run(py: str, text: str, path: Path) -> tuple[int, str]:
    path.write_text(text)
    env = dict(os.environ, THREADSPEC_WAIT="5", THREADSPEC_TRIES="2")
    env.pop("PYTHONPATH", None)
    p = subprocess.run([py, str(path)], capture_output=True, text=True, timeout=120, env=env)
    assert p.returncode in (0, 1) and not p.stderr, p.stdout + p.stderr
    return p.returncode, p.stdout.splitlines()[-1]


def _stored_and_read(value: Any, allowed: Any) -> str:
    steps = (call(0, "set:x", value), call(0, "get:x"))
    return render("local", call(0, "__init__"), steps, violation=_violation([Returned(allowed)]),
                  failed_step=1, log=[f"{steps[0]!r} -> returned None"])


@pytest.mark.parametrize("version", VERSIONS)
def test_each_kind_of_allowed_value_is_judged_as_the_spec_judges_it(version: str, tmp_path: Path) -> None:
    wrong = []
    for n, (allowed, value) in enumerate(CASES):
        text = _stored_and_read(value, allowed)
        assert len(text.splitlines()) < 25, text  # straight-line code
        expected = value_matches(allowed, value)
        got = run(interpreter(version), text, tmp_path / f"case{n}.py")
        if got != ((0, "NOT REPRODUCED") if expected else (1, "REPRODUCED")):
            wrong.append((allowed, value, expected, got))
    assert not wrong


@pytest.mark.parametrize("version", VERSIONS)
def test_a_one_thread_tuple_script_stays_under_20_lines(version: str, tmp_path: Path) -> None:
    text = _stored_and_read((5, "five"), (5, "five"))
    assert "allowed = [('returned', (5, 'five'))]" in text and len(text.splitlines()) < 20, text
    assert run(interpreter(version), text, tmp_path / "t.py") == (0, "NOT REPRODUCED")


@pytest.mark.parametrize("version", VERSIONS)
def test_an_object_is_judged_by_its_type_name_and_as_true(version: str, tmp_path: Path) -> None:
    # an object the agent reports by its type ("object", name); any object counts as true, none as false
    steps = (call(0, "set:x", New("Event")), call(0, "get:x"))
    name = "_Event" if version == "2.7.18" else "Event"  # 2.7's Event() is a factory of _Event
    for allowed, expected in [(("object", name), True), (("object", "Lock"), False), (TRUTHY, True),
                              (FALSY, False)]:
        text = render("local", call(0, "__init__"), steps, violation=_violation([Returned(allowed)]),
                      failed_step=1, log=[f"{steps[0]!r} -> returned None"])
        verdict = (0, "NOT REPRODUCED") if expected else (1, "REPRODUCED")
        assert run(interpreter(version), text, tmp_path / "o.py") == verdict, (allowed, text)


def test_an_exception_must_have_its_documented_base(tmp_path: Path) -> None:
    # BrokenBarrierError is documented as a RuntimeError: a class of that name without the base is
    # not the documented exception (spec.values.DOCUMENTED_BASES)
    steps = (call(0, "abort"), call(0, "wait"))
    v = _violation([Raised("BrokenBarrierError")])
    text = render("Barrier", call(0, "__init__", 1), steps, violation=v, failed_step=1,
                  log=[f"{steps[0]!r} -> returned None"])
    assert "('raised', 'BrokenBarrierError(RuntimeError)')" in text
    py = interpreter("3.11.7")
    assert run(py, text, tmp_path / "b.py") == (0, "NOT REPRODUCED")
    imported = "M = __import__('threading', None, None, ['*'])\n"
    without_base = text.replace(imported, imported + "M.BrokenBarrierError = type('BrokenBarrierError', "
                                "(Exception,), {})\n", 1)
    assert without_base != text
    assert run(py, without_base, tmp_path / "b.py") == (1, "REPRODUCED")
