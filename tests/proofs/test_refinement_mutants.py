"""``threadspec prove --module threading --path DIR`` finds race windows of threading.py that
``threadspec check`` misses (``tests/mutants/unreached.py``): a sample of them, each failing a row
of the refinement or thread-property family with a schedule that replays."""

from __future__ import annotations

from pathlib import Path

import pytest

from proofs import refinement, thread_properties
from proofs.table import ProveOptions
from tests.mutants.unreached import UNREACHED
from tests.test_mutants import source

ONLY = {
    "module": "Thread", "thread": "Thread", "condition": "Condition", "event": "Event", "rlock": "_PyRLock",
}
"""The family prefix of a mutant's id → the primitive whose rows should find it."""

SAMPLE = (
    "module-active-count-misses-limbo",
    "thread-ident-set-after-started",
    "condition-wait-releases-before-enlisting",
    "event-set-flag-after-notify",
)
"""One of each kind: a window between two holds of a lock, one between two lines (found with a
switch at every line), a lost wakeup in Condition.wait, one in Event.set."""


def test_unreached_mutants_are_well_formed_and_not_collected_with_the_others() -> None:
    from tests.mutants.all import MUTANTS

    text = source()
    ids = [m[0] for m in UNREACHED]
    assert len(ids) == len(set(ids)) and 6 <= len(ids) <= 10
    assert not set(ids) & {m[0] for m in MUTANTS}
    for mid, desc, old, new in UNREACHED:
        assert desc and old != new and mid.split("-", 1)[0] in ONLY, mid
        assert text.count(old) == 1, f"{mid}: old text found {text.count(old)} times"
        compile(text.replace(old, new), mid, "exec")


@pytest.mark.parametrize("mid", SAMPLE)
def test_prove_finds_the_mutant_and_its_schedule_replays(mid: str, tmp_path: Path) -> None:
    _, _, old, new = next(m for m in UNREACHED if m[0] == mid)
    (tmp_path / "threading.py").write_text(source().replace(old, new))
    options = ProveOptions(only=frozenset({ONLY[mid.split("-", 1)[0]]}), module="threading", path=tmp_path)
    family = thread_properties if options.wants("Thread") else refinement
    rows = list(family.rows(options))
    assert rows and all(r.notes["target"] == "module" for r in rows)
    failed = [r for r in rows if not r.ok]
    assert failed, f"{mid} survived: {[(r.property, r.bound, r.explored) for r in rows]}"
    counterexample = failed[0].counterexample
    assert counterexample is not None
    replay = counterexample.splitlines()[-1].split("--replay ", 1)[1].split("'")[1]
    (again,) = family.rows(ProveOptions(module="threading", path=tmp_path, replay=replay))
    assert not again.ok and again.explored == 1
