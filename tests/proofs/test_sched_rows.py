"""The scheduler's rows of ``threadspec prove``: they pass on impl and the host's threading.py, and
a seeded bug in a threading.py given by path fails its row with a schedule that replays."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from proofs import prove, schedule_rows
from proofs.table import ProveOptions, Shard

HOST = Path(threading.__file__)


def test_every_row_holds_on_impl() -> None:
    rows = list(schedule_rows.rows(ProveOptions()))
    assert [r.property.split(":")[0] for r in rows] == [p.primitive for p in schedule_rows.PROPERTIES]
    assert all(r.ok for r in rows), [r.counterexample for r in rows if not r.ok]
    lock = rows[0]
    assert lock.explored == 90 and lock.unit == "schedules" and lock.notes["outcomes"] == 90


def test_the_rows_hold_on_the_hosts_threading_py_given_by_path() -> None:
    rows = list(schedule_rows.rows(ProveOptions(module="threading", path=HOST.parent)))
    assert rows and all(r.ok for r in rows) and all("threading from" in r.bound for r in rows)


def test_shards_of_a_row_add_up() -> None:
    only = frozenset({"Lock"})
    whole = list(schedule_rows.rows(ProveOptions(only=only)))
    parts = [list(schedule_rows.rows(ProveOptions(only=only, shard=Shard(k, 2)))) for k in (1, 2)]
    assert len(whole) == 2 and all(len(p) == 2 for p in parts)
    for i, row in enumerate(whole):
        assert sum(p[i].explored for p in parts) == row.explored and all(p[i].ok for p in parts)
        assert all(p[i].explored < row.explored for p in parts)


@pytest.fixture
def notify_wakes_nobody(tmp_path: Path) -> Path:
    """A copy of the host's threading.py whose Condition.notify takes waiters off the queue
    without waking them (read from the interpreter's file at test time, changed in one line)."""
    source = HOST.read_text()
    broken = source.replace("                waiter.release()\n", "                pass\n", 1)
    assert broken != source
    (tmp_path / "threading.py").write_text(broken)
    return tmp_path


def test_a_seeded_bug_fails_its_row_with_a_schedule_that_replays(notify_wakes_nobody: Path) -> None:
    options = ProveOptions(only=frozenset({"Condition"}), module="threading", path=notify_wakes_nobody)
    (row,) = schedule_rows.rows(options)
    assert not row.ok and row.counterexample is not None
    assert row.counterexample.startswith("deadlock")
    replay_line = row.counterexample.splitlines()[-1]
    assert "--only Condition --module threading --path" in replay_line
    string = replay_line.rsplit("--replay ", 1)[1]
    (again,) = schedule_rows.rows(ProveOptions(options.only, options.module, options.path, replay=string))
    assert not again.ok and again.notes["end"] == "deadlock" and again.explored == 1
    assert again.counterexample is not None and "blocked in" in again.counterexample


def test_prove_lists_the_family() -> None:
    assert "proofs.schedule_rows" in prove.FAMILIES


def mutant(tmp_path: Path, name: str) -> Path:
    """The host's threading.py with one seeded mutant of tests/mutants applied, in ``tmp_path``."""
    from tests.mutants.all import MUTANTS

    (_, _, old, new), = [m for m in MUTANTS if m[0] == name]
    source = HOST.read_text()
    assert old in source
    (tmp_path / "threading.py").write_text(source.replace(old, new, 1))
    return tmp_path


@pytest.mark.parametrize("name", ["thread-start-does-not-wait", "thread-never-enters-active"])
def test_the_thread_rows_find_mutants_of_thread_start(name: str, tmp_path: Path) -> None:
    """Two mutants whose window lies between the new thread's first lines and start()'s return:
    the line-switch row finds each, and its schedule replays."""
    options = ProveOptions(only=frozenset({"Thread"}), module="threading", path=mutant(tmp_path, name))
    rows = list(schedule_rows.rows(options))
    listed = rows[-1]
    assert "listed by enumerate()" in listed.property and not listed.ok
    assert listed.counterexample is not None
    string = listed.counterexample.splitlines()[-1].rsplit("--replay ", 1)[1]
    replayed = [r for r in schedule_rows.rows(ProveOptions(options.only, options.module, options.path,
                                                           replay=string)) if r.property == listed.property]
    assert len(replayed) == 1 and not replayed[0].ok and replayed[0].notes["end"] == "failed"
