"""The host's own threading.py, loaded from its file, under the scheduler; and the loader itself."""

from __future__ import annotations

import _thread
import shutil
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from proofs.sched import End, Env, explore, load, replay
from proofs.sched.cthread import CLock
from proofs.table import Shard
from tests.interpreters import path_of

HOST_THREADING = Path(threading.__file__)


def start_and_join(env: Env) -> Callable[[], object]:
    th = env.threading
    seen: list[object] = []

    def target() -> None:
        seen.append(th.current_thread().name)

    t = th.Thread(target=target, name="worker")
    t.start()
    assert t.ident is not None and t.native_id is not None
    t.join()
    assert not t.is_alive(), "alive after join()"
    assert th.active_count() == 1 and th.enumerate() == [th.main_thread()]
    return lambda: (tuple(seen), t.is_alive())


def condition_handoff(env: Env) -> Callable[[], object]:
    th = env.threading
    cond = th.Condition()
    box: list[str] = []
    got: list[str] = []

    def consumer() -> None:
        with cond:
            cond.wait_for(lambda: box)
            got.append(box.pop())

    t = th.Thread(target=consumer)
    t.start()
    with cond:
        box.append("item")
        cond.notify()
    t.join()
    return lambda: tuple(got)


@pytest.mark.parametrize("path", [None, "copy"], ids=["host file", "copy in a directory"])
def test_host_threading_py_starts_and_joins_a_thread_under_every_schedule(path: str | None,
                                                                          tmp_path: Path) -> None:
    where = None
    if path == "copy":
        shutil.copy(HOST_THREADING, tmp_path / "threading.py")
        where = tmp_path
    result = explore(start_and_join, module="threading", path=where)
    assert result.ok, result.failures
    assert result.complete and not result.deadlocks and result.schedules >= 2
    assert set(result.outcomes) == {(("worker",), False)}


@pytest.mark.parametrize("module", ["threading", "impl"])
def test_a_condition_hands_an_item_to_a_thread_under_every_schedule(module: str) -> None:
    result = explore(condition_handoff, module=module)
    assert result.ok and result.complete and not result.deadlocks
    assert set(result.outcomes) == {("item",)} and result.schedules >= 2


def test_python_rlock_is_used_when_the_controlled_thread_module_has_no_rlock() -> None:
    copy = load("threading", c_rlock=False)
    assert copy._CRLock is None and type(copy.RLock()).__name__ == "_RLock"
    result = explore(condition_handoff, module="threading", c_rlock=False)
    assert result.ok and set(result.outcomes) == {("item",)}


def test_an_exception_in_a_thread_of_threading_py_is_a_failure_that_replays() -> None:
    def program(env: Env) -> None:
        def target() -> None:
            raise ValueError("boom")

        t = env.threading.Thread(target=target, name="failing")
        t.start()
        t.join()

    result = explore(program, module="threading")
    assert not result.ok and "ValueError: boom" in result.failures[0].message
    assert "failing" in result.failures[0].kind
    assert replay(program, result.failures[0].schedule, module="threading").end is End.FAILED


def test_loading_leaves_the_hosts_modules_alone() -> None:
    names = ["_thread", "time", "os", "threading", "impl", "impl.lock", "impl.thread"]
    import impl  # noqa: F401 - so that impl is among the host's modules

    before = {n: sys.modules.get(n) for n in names}
    hooks = list(sys.meta_path)
    a, b = load("impl"), load("impl")
    assert {n: sys.modules.get(n) for n in names} == before and sys.meta_path == hooks
    assert a is not b and a.Condition is not b.Condition and a is not sys.modules["impl"]
    assert isinstance(a.Lock(), CLock) and type(threading.Lock()) is _thread.LockType
    assert time.monotonic is before["time"].monotonic  # type: ignore[union-attr]


def test_timeouts_cost_no_real_time() -> None:
    def program(env: Env) -> Callable[[], object]:
        lock = env.threading.Lock()
        lock.acquire()
        got = lock.acquire(timeout=3600)
        env.threading.Event().wait(7200)
        return lambda: (got, env.now())

    t0 = time.monotonic()
    result = explore(program)
    assert time.monotonic() - t0 < 60
    assert set(result.outcomes) == {(False, 10800.0)}


def test_shards_add_up_to_the_whole_exploration() -> None:
    from tests.proofs.test_sched import critical_sections

    whole = explore(critical_sections())
    parts = [explore(critical_sections(), shard=Shard(k, 3)) for k in (1, 2, 3)]
    assert sum(p.schedules for p in parts) == whole.schedules
    assert sum(p.pruned for p in parts) == whole.pruned
    assert sum((p.outcomes for p in parts), start=type(whole.outcomes)()) == whole.outcomes
    assert sum(1 for p in parts if p.schedules) >= 2  # the split is not all in one shard


def test_a_preemption_bound_keeps_fewer_schedules() -> None:
    from tests.proofs.test_sched import critical_sections

    bounded = explore(critical_sections(), preemption_bound=0)
    whole = explore(critical_sections())
    assert bounded.ok and 0 < bounded.schedules < whole.schedules
    assert set(bounded.outcomes) < set(whole.outcomes)


@pytest.mark.parametrize("version", ["3.12.1", "3.13.0"])
def test_the_threading_py_of_312_and_313_runs_too(version: str) -> None:
    """Not required (the host's version is what must work), but cheap: 3.12's and 3.13's
    threading.py, loaded from their files into the host, start and join a thread and hand an
    item over a Condition under every schedule (3.13's uses start_joinable_thread and _ThreadHandle)."""
    exe = path_of(version)
    if exe is None:
        pytest.skip(f"CPython {version} is not installed")
    lib = Path(exe).parent.parent / "lib" / f"python{version.rsplit('.', 1)[0]}"
    for program in (start_and_join, condition_handoff):
        result = explore(program, module="threading", path=lib)
        assert result.ok and result.complete and not result.deadlocks, result.failures


@pytest.mark.parametrize("module", ["threading", "impl"])
def test_reusing_the_loaded_module_explores_exactly_what_reloading_it_does(module: str) -> None:
    """``fresh="reset"`` reuses the copy while runs leave its state as loaded, ``"reload"`` loads
    it for every run: the explorations must be the same, run for run."""

    def program(env: Env) -> Callable[[], object]:
        th = env.threading
        names: list[str] = []
        cond = th.Condition()
        if env.thread_index() == 0 and th.active_count() == 1:
            t = th.Thread(target=lambda: names.append(th.current_thread().name))
            t.start()
            with cond:
                cond.notify_all()
            t.join()
        return lambda: (tuple(names), th.active_count(), len(th.enumerate()))

    reset = explore(program, module=module)
    reload = explore(program, module=module, fresh="reload")
    assert (reset.schedules, reset.pruned) == (reload.schedules, reload.pruned)
    assert reset.outcomes == reload.outcomes
    assert set(reset.outcomes) == {(("Thread-1 (<lambda>)",), 1, 1)}
    assert reload.loads == reload.schedules + reload.pruned and reset.loads <= reload.loads


def test_interrupt_main_raises_keyboard_interrupt_in_the_main_thread() -> None:
    def program(env: Env) -> None:
        lock = env.threading.Lock()
        lock.acquire()
        env.spawn(env.thread.interrupt_main)
        lock.acquire()  # blocks until the interrupt arrives

    result = explore(program, module="threading")
    assert not result.ok and result.failure_count == 1 and not result.deadlocks
    assert "KeyboardInterrupt" in result.failures[0].message and "main" in result.failures[0].message


@pytest.mark.parametrize("module", ["threading", "impl"])
def test_module_and_class_attributes_set_by_one_run_are_gone_in_the_next(module: str) -> None:
    def program(env: Env) -> None:
        assert getattr(env.threading, "excepthook_set_by_a_run", None) is None, "state left by a run"
        assert getattr(env.threading.Condition, "patched_by_a_run", None) is None, "a class left patched"
        env.threading.excepthook_set_by_a_run = True
        env.threading.Condition.patched_by_a_run = True
        lock = env.threading.Lock()
        env.spawn(lock.acquire, False)
        env.spawn(lock.acquire, False)

    result = explore(program, module=module)
    assert result.ok and not result.deadlocks and result.schedules >= 2 and result.loads >= 2
