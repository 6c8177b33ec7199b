"""``threadspec vectors``: the vectors round-trip through the reference consumer.

CPython's ``threading`` passes every vector of the host's profile; a module with a seeded
bug fails the vectors that exercise it; the vectors of 3.9 and 3.13 differ only where the
clause registry says the versions differ.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import threading
import types
from pathlib import Path
from typing import Any

import pytest

from conformance.cli import main
from conformance.scenarios import load_scenarios
from conformance.vectors import primitives_for, vector, vectors_for
from conformance.vectors_encoding import decode, encode
from conformance.vectors_model import simulate
from spec import PRIMITIVES
from spec.clauses import REGISTRY, Clause
from spec.profiles import Profile, profile_for
from spec.values import ANY, Gate, Hook, New
from tests import vectors_consumer
from tests.interpreters import interpreter

HOST = f"{sys.version_info[0]}.{sys.version_info[1]}"


@pytest.fixture(scope="module")
def host_vectors(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("vectors")
    assert main(["vectors", "--profile", HOST, "--output", str(out)]) == 0
    return out


# -- the command line -------------------------------------------------------------


def test_writes_one_sorted_file_per_primitive(host_vectors: Path) -> None:
    assert sorted(p.name for p in host_vectors.iterdir()) == sorted(f"{p}.json" for p in PRIMITIVES)
    lock = json.loads((host_vectors / "Lock.json").read_text())
    assert (lock["profile"], lock["strictness"], lock["primitive"]) == (HOST, "cpython", "Lock")
    names = [s["name"] for s in lock["scenarios"]]
    assert names == sorted(names)
    host = profile_for(HOST)
    expected = sorted(s.name for s in load_scenarios() if s.primitive == "Lock" and s.applies_to(host))
    assert names == expected


def test_every_expected_outcome_cites_clauses_with_their_quotes(host_vectors: Path) -> None:
    for path in host_vectors.iterdir():
        for sc in json.loads(path.read_text())["scenarios"]:
            for step in sc["steps"]:
                for case in step["cases"]:
                    for part in case["results"] + case["woken"]:
                        assert part["clauses"], (sc["name"], step["index"])
                        for c in part["clauses"]:
                            assert c["quote"] == REGISTRY[c["id"]].quote


def test_output_is_reproducible(tmp_path: Path) -> None:
    for run in ("a", "b"):
        argv = ["vectors", "--profile", "3.9", "--only", "Condition", "--output", str(tmp_path / run)]
        assert main(argv) == 0
    a, b = (tmp_path / run / "Condition.json" for run in ("a", "b"))
    assert a.read_bytes() == b.read_bytes()


def test_only_adds_companions(tmp_path: Path) -> None:
    assert main(["vectors", "--profile", "3.11", "--only", "local", "--output", str(tmp_path)]) == 0
    assert sorted(os.listdir(tmp_path)) == ["LocalSubclass.json", "local.json"]
    assert primitives_for(["Lock"]) == ["Lock"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--profile", "4.2"], "no profile for Python 4.2"),
        (["--profile", "3.11", "--only", "Lok"], "unknown primitive: Lok"),
        (["--profile", "3.11", "--output", "/proc/threadspec-vectors"], "cannot create output directory"),
    ],
)
def test_errors_are_clear(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if "--output" not in argv:
        argv = [*argv, "--output", str(tmp_path)]
    assert main(["vectors", *argv]) == 2
    assert message in capsys.readouterr().err


def test_unwritable_output_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "file"
    target.write_text("not a directory")
    assert main(["vectors", "--profile", "3.11", "--only", "Lock", "--output", str(target)]) == 2
    assert "cannot create output directory" in capsys.readouterr().err


@pytest.mark.parametrize(
    "value",
    [None, True, 0, 1, -3, 1.0, float("inf"), -0.5, "x", (1, "a", (2.5,)), {"k": None, "j": "y"},
     New("RLock"), New("Semaphore", (2,)), Gate(3), Hook("trace")],
)
def test_arguments_round_trip(value: Any) -> None:
    assert json.loads(json.dumps(encode(value))) == encode(value)
    back = decode(json.loads(json.dumps(encode(value))))
    assert back == value and type(back) is type(value)


def test_nan_and_patterns_are_tagged() -> None:
    assert encode(float("nan")) == {"float": "nan"}
    assert encode(ANY) == {"any": "value"}
    assert encode(True) is True and encode(1) == 1 and encode(1.0) == {"float": "1.0"}


# -- round trip through the reference consumer ------------------------------------------


KNOWN_RACES: dict[tuple[str, str], str] = {}
"""Bugs of a module these vectors found that only a race shows (they fail some runs, not all)."""


@pytest.mark.parametrize("module_name", ["threading", "impl"])
@pytest.mark.parametrize("primitive", sorted(PRIMITIVES))
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")  # targets that raise
def test_host_threading_passes_every_vector(host_vectors: Path, primitive: str, module_name: str) -> None:
    """CPython's threading, and this project's drop-in ``impl``, pass every vector of the host's
    profile."""
    module = importlib.import_module(module_name)
    if primitive.startswith("_") and not hasattr(module, primitive):
        pytest.skip(f"{module_name} has no {primitive}")
    if (module_name, primitive) in KNOWN_RACES:
        pytest.skip(KNOWN_RACES[module_name, primitive])
    failures = vectors_consumer.replay_file(str(host_vectors / f"{primitive}.json"), module)
    assert not failures, "\n".join(map(str, failures))


class _LockIgnoringBlocking:
    """A seeded bug: ``acquire(False)`` on a held lock returns True (without taking it)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        if not blocking and self._lock.locked():
            return True
        return self._lock.acquire(blocking, timeout)

    def release(self) -> None:
        self._lock.release()

    def locked(self) -> bool:
        return self._lock.locked()

    __enter__ = acquire

    def __exit__(self, *exc: object) -> None:
        self.release()


class _SemaphoreIgnoringN(threading.Semaphore):
    """A seeded bug: ``release(n)`` releases one unit, whatever ``n``."""

    def release(self, n: int = 1) -> None:
        super().release()


def _seeded(**overrides: Any) -> types.ModuleType:
    mod = types.ModuleType("seeded_threading")
    mod.__dict__.update({k: v for k, v in vars(threading).items() if not k.startswith("__")})
    mod.__dict__.update(overrides)
    return mod


@pytest.mark.parametrize(
    ("primitive", "overrides", "scenario"),
    [
        ("Lock", {"Lock": _LockIgnoringBlocking}, "lock_nonblocking_acquire_returns_false"),
        ("Semaphore", {"Semaphore": _SemaphoreIgnoringN}, "release_n_increments_by_n"),
    ],
)
def test_seeded_bug_fails(
    host_vectors: Path, primitive: str, overrides: dict[str, Any], scenario: str
) -> None:
    """The scenario written for the broken clause fails (others may fail too)."""
    failures = vectors_consumer.replay_file(str(host_vectors / f"{primitive}.json"), _seeded(**overrides))
    assert scenario in {f.scenario for f in failures}, "\n".join(map(str, failures))


# -- 3.9 against 3.13 ---------------------------------------------------------------------

OLD, NEW = profile_for("3.9"), profile_for("3.13")

UNVERSIONED_CHANGES = {
    "RLock.init.factory-accepts-arguments": "its DeprecationWarning since 3.13 is stated in the quote and in "
    "spec/rlock.py, but the clause has no version range of its own",
    "module.active_count.counts-alive-threads": "a first activeCount() (it binds the count's baseline) "
    "completes under this clause (spec.module.wakeups), with the alias's DeprecationWarning since 3.10",
    "module.current_thread.dummy-cannot-be-joined": "CPython's exception (AssertionError before 3.13, "
    "RuntimeError from 3.13) is stated in the quote and in spec/module.py; versioned clauses for it "
    "would be CPython-strictness only and leave the documented clause unexercised at that strictness",
}
"""Clauses whose outcomes differ between 3.9 and 3.13 though their range covers both: each is
a gap of the registry (the change deserves a versioned clause), listed with why."""


def _applies(c: Clause, p: Profile) -> bool:
    return c.applies_to(p)


def _versioned() -> set[str]:
    return {i for i, c in REGISTRY.items() if _applies(c, OLD) != _applies(c, NEW)}


def _clause_ids(x: Any) -> set[str]:
    if isinstance(x, dict):
        own = {x["id"]} if "id" in x and "quote" in x else set()
        return own.union(*(_clause_ids(v) for v in x.values()))
    if isinstance(x, list):
        return set().union(*(_clause_ids(v) for v in x))
    return set()


def _cases(step: dict[str, Any]) -> set[str]:
    return {json.dumps({k: v for k, v in c.items() if k not in ("from", "to")}, sort_keys=True)
            for c in step["cases"]}


def _first_difference(a: dict[str, Any], b: dict[str, Any]) -> set[str] | None:
    """The clauses cited by the first part of a scenario that differs between the versions
    (its constructor or a step): what the two versions' cases do not share. Later differences
    follow from that one (the objects are no longer in the same state)."""
    if a["init"] != b["init"]:
        return _clause_ids(a["init"]) | _clause_ids(b["init"])
    for x, y in zip(a["steps"], b["steps"], strict=True):
        if _cases(x) != _cases(y):
            return set().union(*(_clause_ids(json.loads(t)) for t in _cases(x) ^ _cases(y)))
    return None


def test_3_9_and_3_13_differ_only_where_the_registry_says() -> None:
    versioned = _versioned() | set(UNVERSIONED_CHANGES)
    seen_unversioned: set[str] = set()
    changed = 0
    for primitive in sorted(PRIMITIVES):
        old = {s["name"]: s for s in vectors_for(OLD, primitive)["scenarios"]}
        new = {s["name"]: s for s in vectors_for(NEW, primitive)["scenarios"]}
        scenarios = {s.name: s for s in load_scenarios()}
        for name in sorted(set(old) ^ set(new)):
            # a scenario of one version only: its range changes between the two, and replayed
            # in the other version (where it is not run) it differs where the registry says
            sc = scenarios[name]
            bounds = [sc.since] + ([sc.until] if sc.until else [])
            assert any(OLD.version < v <= NEW.version for v in bounds), name
            old.setdefault(name, vector(simulate(PRIMITIVES[primitive], OLD, sc)))
            new.setdefault(name, vector(simulate(PRIMITIVES[primitive], NEW, sc)))
        for name in sorted(set(old) & set(new)):
            cited = _first_difference(old[name], new[name])
            if cited is None:
                continue
            changed += 1
            assert cited & versioned, (primitive, name, sorted(cited))
            seen_unversioned |= cited & set(UNVERSIONED_CHANGES)
    assert changed
    assert seen_unversioned == set(UNVERSIONED_CHANGES)  # the list holds no stale entry


# -- other interpreters ------------------------------------------------------------------

CONSUMER = os.path.join(os.path.dirname(__file__), "vectors_consumer.py")


def _consume(python: str, directory: Path, primitives: list[str]) -> subprocess.CompletedProcess[str]:
    files = [str(directory / f"{p}.json") for p in primitives]
    return subprocess.run([python, CONSUMER, *files], capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("version", ["3.12.1", "3.13.0"])
def test_other_cpythons_pass_their_own_profile(version: str, tmp_path: Path) -> None:
    """The vectors of another version's profile, replayed by that interpreter (the consumer
    needs 3.10 or later), pass."""
    python = interpreter(version)
    profile = ".".join(version.split(".")[:2])
    assert main(["vectors", "--profile", profile, "--only", "Event,Barrier", "--output", str(tmp_path)]) == 0
    done = _consume(python, tmp_path, ["Event", "Barrier"])
    assert done.returncode == 0, done.stdout + done.stderr


def test_3_13_fails_the_vectors_of_3_9(tmp_path: Path) -> None:
    """The vectors tell versions apart: 3.13 warns where 3.9 is silent (isSet)."""
    python = interpreter("3.13.0")
    assert main(["vectors", "--profile", "3.9", "--only", "Event", "--output", str(tmp_path)]) == 0
    done = _consume(python, tmp_path, ["Event"])
    assert done.returncode == 1
    assert "isSet_is_an_alias" in done.stdout and "DeprecationWarning" in done.stdout
