"""Thread, Timer, local and the module functions, each test run on impl and on CPython's threading."""

from __future__ import annotations

import _thread
import gc
import io
import re
import sys
import threading
import warnings
import weakref
from types import ModuleType
from typing import Any

import pytest

import impl
from conformance.timeouts import EXPIRING_TIMEOUT, NEVER_EXPIRING_TIMEOUT
from tests.impl.conftest import until

# ---------------------------------------------------------------------------
# Lifecycle
# ---------------------------------------------------------------------------


def test_thread_runs_target_with_arguments(mod: ModuleType) -> None:
    seen: list[Any] = []
    t = mod.Thread(target=lambda *a, **k: seen.append((a, k)), args=(1, 2), kwargs={"x": 3})
    t.start()
    t.join()
    assert seen == [((1, 2), {"x": 3})]


def test_thread_is_alive_from_start_until_run_ends(mod: ModuleType) -> None:
    go = threading.Event()
    t = mod.Thread(target=go.wait)
    assert not t.is_alive()
    t.start()
    assert t.is_alive() and t in mod.enumerate()
    go.set()
    t.join()
    assert not t.is_alive() and t not in mod.enumerate()


def test_thread_join_with_timeout_returns_while_alive(mod: ModuleType) -> None:
    go = threading.Event()
    t = mod.Thread(target=go.wait)
    t.start()
    assert t.join(EXPIRING_TIMEOUT) is None and t.is_alive()
    assert t.join(-1) is None and t.is_alive()  # a negative timeout counts as zero
    go.set()
    t.join(NEVER_EXPIRING_TIMEOUT)
    assert not t.is_alive()


def test_thread_can_be_joined_many_times(mod: ModuleType) -> None:
    t = mod.Thread(target=lambda: None)
    t.start()
    for _ in range(3):
        t.join()


def test_thread_start_twice_raises(mod: ModuleType) -> None:
    t = mod.Thread(target=lambda: None)
    t.start()
    t.join()
    with pytest.raises(RuntimeError):
        t.start()


def test_thread_join_before_start_raises(mod: ModuleType) -> None:
    with pytest.raises(RuntimeError):
        mod.Thread().join()


def test_thread_join_itself_raises(mod: ModuleType) -> None:
    result: dict[str, str] = {}

    def join_self() -> None:
        try:
            mod.current_thread().join()
        except RuntimeError:
            result["raised"] = "RuntimeError"

    t = mod.Thread(target=join_self)
    t.start()
    t.join()
    assert result == {"raised": "RuntimeError"}


def test_thread_subclass_without_init_cannot_start(mod: ModuleType) -> None:
    class Forgetful(mod.Thread):  # type: ignore[name-defined,misc]
        def __init__(self) -> None:
            pass

    with pytest.raises(RuntimeError):
        Forgetful().start()


def test_thread_subclass_run_override(mod: ModuleType) -> None:
    class Worker(mod.Thread):  # type: ignore[name-defined,misc]
        def run(self) -> None:
            self.result = self.name

    w = Worker(name="w")
    w.start()
    w.join()
    assert w.result == "w"


def test_thread_run_drops_target_and_arguments(mod: ModuleType) -> None:
    class Target:
        def __call__(self) -> None:
            pass

    target = Target()
    ref = weakref.ref(target)
    t = mod.Thread(target=target)
    del target
    t.start()
    t.join()
    gc.collect()
    assert ref() is None


def test_thread_ident_and_native_id_set_once_started(mod: ModuleType) -> None:
    seen: dict[str, int] = {}
    t = mod.Thread(target=lambda: seen.update(ident=_thread.get_ident(), native=threading.get_native_id()))
    assert t.ident is None and t.native_id is None
    t.start()
    t.join()
    assert (t.ident, t.native_id) == (seen["ident"], seen["native"])


def test_thread_daemon_is_inherited(mod: ModuleType) -> None:
    seen: dict[str, bool] = {}

    def spawn() -> None:
        seen["child"] = mod.Thread().daemon

    t = mod.Thread(target=spawn, daemon=True)
    t.start()
    t.join()
    assert seen == {"child": True} and mod.Thread().daemon is False


def test_thread_daemon_cannot_change_after_start(mod: ModuleType) -> None:
    t = mod.Thread(target=lambda: None)
    t.start()
    t.join()
    with pytest.raises(RuntimeError):
        t.daemon = True


def test_thread_default_name_is_thread_n(mod: ModuleType) -> None:
    """Thread.name: 'By default, a unique name is constructed of the form "Thread-N"'."""

    def job() -> None:
        pass

    first, second, empty = mod.Thread(), mod.Thread(), mod.Thread(name="")
    names = [first.name, second.name, empty.name]
    assert all(re.fullmatch(r"Thread-[1-9][0-9]*", name) for name in names), names
    assert len(set(names)) == 3
    assert re.fullmatch(r"Thread-[1-9][0-9]* \(job\)", mod.Thread(target=job).name)


def test_thread_given_name_is_a_str_and_wins_over_target(mod: ModuleType) -> None:
    def job() -> None:
        pass

    assert mod.Thread(name=123).name == "123"
    assert mod.Thread(target=job, name="mine").name == "mine"


def test_thread_default_name_mentions_target(mod: ModuleType) -> None:
    def job() -> None:
        pass

    assert mod.Thread(target=job).name.endswith(" (job)")
    t = mod.Thread(name="first")
    t.name = 2  # type: ignore[assignment]
    assert t.name == "2"


def test_thread_repr_follows_lifecycle(mod: ModuleType) -> None:
    t = mod.Thread(target=lambda: None, name="R", daemon=True)
    assert repr(t) == "<Thread(R, initial daemon)>"
    t.start()
    t.join()
    assert repr(t) == f"<Thread(R, stopped daemon {t.ident})>"


@pytest.mark.parametrize("method", ["isDaemon", "getName", "setName", "setDaemon"])
def test_thread_camelcase_methods_warn(mod: ModuleType, method: str) -> None:
    t = mod.Thread()
    args = {"setName": ("n",), "setDaemon": (True,)}.get(method, ())
    with pytest.warns(DeprecationWarning):
        getattr(t, method)(*args)


# ---------------------------------------------------------------------------
# Uncaught exceptions
# ---------------------------------------------------------------------------


def _impl_or_threading_hook(mod: ModuleType, hook: Any) -> Any:
    old = mod.excepthook
    mod.excepthook = hook
    return old


def test_uncaught_exception_goes_to_excepthook(mod: ModuleType) -> None:
    seen: list[Any] = []
    old = _impl_or_threading_hook(mod, seen.append)
    try:
        t = mod.Thread(target=lambda: 1 / 0)
        t.start()
        t.join()
    finally:
        mod.excepthook = old
    (args,) = seen
    assert args.exc_type is ZeroDivisionError and args.thread is t
    assert isinstance(args.exc_value, ZeroDivisionError) and args.exc_traceback is not None


def test_default_excepthook_prints_thread_name_and_traceback(mod: ModuleType) -> None:
    stderr = io.StringIO()
    try:
        _ = 1 / 0
    except ZeroDivisionError:
        exc_type, exc, tb = sys.exc_info()
    old, sys.stderr = sys.stderr, stderr
    try:
        mod.__excepthook__(mod.ExceptHookArgs((exc_type, exc, tb, mod.Thread(name="T9"))))
    finally:
        sys.stderr = old
    text = stderr.getvalue()
    assert text.startswith("Exception in thread T9:\nTraceback (most recent call last):\n")
    assert text.endswith("ZeroDivisionError: division by zero\n")


def test_failing_excepthook_falls_back_to_sys_excepthook(mod: ModuleType) -> None:
    seen: list[Any] = []

    def broken_hook(args: Any) -> None:
        raise ValueError("hook failed")

    old = _impl_or_threading_hook(mod, broken_hook)
    old_sys, sys.excepthook = sys.excepthook, lambda *exc_info: seen.append(exc_info[0])
    stderr, old_stderr = io.StringIO(), sys.stderr
    sys.stderr = stderr
    try:
        t = mod.Thread(target=lambda: 1 / 0)
        t.start()
        t.join()
    finally:
        mod.excepthook, sys.excepthook, sys.stderr = old, old_sys, old_stderr
    assert seen == [ValueError]
    assert "Exception in threading.excepthook:" in stderr.getvalue()


# ---------------------------------------------------------------------------
# Timer
# ---------------------------------------------------------------------------


def test_timer_calls_function_after_interval(mod: ModuleType) -> None:
    seen: list[Any] = []
    t = mod.Timer(0, seen.append, args=(1,))
    t.start()
    t.join()
    assert seen == [1] and t.finished.is_set()


def test_timer_cancelled_never_calls(mod: ModuleType) -> None:
    seen: list[Any] = []
    t = mod.Timer(NEVER_EXPIRING_TIMEOUT, seen.append, args=(1,))
    t.start()
    t.cancel()
    t.join()
    assert seen == [] and t.finished.is_set()


# ---------------------------------------------------------------------------
# Module functions
# ---------------------------------------------------------------------------


def test_current_thread_inside_a_thread(mod: ModuleType) -> None:
    seen: list[Any] = []
    t = mod.Thread(target=lambda: seen.append(mod.current_thread()))
    t.start()
    t.join()
    assert seen == [t]


def test_main_thread_is_current_in_main(mod: ModuleType) -> None:
    assert mod.main_thread() is mod.current_thread()
    assert mod.main_thread().name == "MainThread"
    assert type(mod.main_thread()).__name__ == "_MainThread"


def test_alien_thread_gets_a_dummy_thread(mod: ModuleType) -> None:
    seen: list[Any] = []
    done = threading.Event()

    def alien() -> None:
        me = mod.current_thread()
        seen.extend([me, me.daemon, me.name, me in mod.enumerate(), me.is_alive(), mod.current_thread()])
        done.set()

    _thread.start_new_thread(alien, ())
    done.wait()
    me, daemon, name, listed, alive, again = seen
    assert type(me).__name__ == "_DummyThread" and again is me
    assert daemon is True and name.startswith("Dummy-") and listed and alive


def test_enumerate_and_active_count_agree(mod: ModuleType) -> None:
    go = threading.Event()
    threads = [mod.Thread(target=go.wait) for _ in range(3)]
    for t in threads:
        t.start()
    # (Not "before + 3": before 3.13 a dead alien thread's dummy entry is replaced
    # when a new thread reuses its ident.)
    assert mod.active_count() == len(mod.enumerate())
    assert all(t in mod.enumerate() for t in threads)
    go.set()
    for t in threads:
        t.join()
    assert mod.active_count() == len(mod.enumerate())
    assert not any(t in mod.enumerate() for t in threads)


@pytest.mark.parametrize("hook", ["settrace", "setprofile"])
def test_trace_and_profile_hooks_apply_to_new_threads(mod: ModuleType, hook: str) -> None:
    seen: list[Any] = []

    def tracer(frame: Any, event: str, arg: Any) -> None:
        return None

    getattr(mod, hook)(tracer)
    try:
        getter = {"settrace": sys.gettrace, "setprofile": sys.getprofile}[hook]
        t = mod.Thread(target=lambda: seen.append(getter()))
        t.start()
        t.join()
        assert getattr(mod, "get" + hook[3:])() is tracer
    finally:
        getattr(mod, hook)(None)
    assert seen == [tracer]


@pytest.mark.parametrize("name", ["currentThread", "activeCount"])
def test_module_camelcase_functions_warn(mod: ModuleType, name: str) -> None:
    with pytest.warns(DeprecationWarning):
        getattr(mod, name)()


def test_register_atexit_refuses_nothing_before_shutdown(mod: ModuleType) -> None:
    assert mod._register_atexit(lambda: None) is None
    mod._threading_atexits.pop() if mod is threading else impl_thread()._threading_atexits.pop()


def impl_thread() -> ModuleType:
    return sys.modules["impl.thread"]


# ---------------------------------------------------------------------------
# local
# ---------------------------------------------------------------------------


def test_local_values_are_per_thread(mod: ModuleType) -> None:
    data = mod.local()
    data.x = "main"
    seen: list[Any] = []

    def other() -> None:
        seen.append(hasattr(data, "x"))
        data.x = "other"
        seen.append(data.x)

    t = mod.Thread(target=other)
    t.start()
    t.join()
    assert seen == [False, "other"] and data.x == "main"


def test_local_subclass_init_runs_once_per_thread(mod: ModuleType) -> None:
    calls: list[Any] = []

    class Data(mod.local):  # type: ignore[name-defined,misc]
        def __init__(self, value: int) -> None:
            calls.append(value)
            self.value = value

    data = Data(7)
    seen: list[int] = []
    t = mod.Thread(target=lambda: seen.append(data.value))
    t.start()
    t.join()
    assert calls == [7, 7] and seen == [7] and data.value == 7


def test_local_values_are_dropped_when_the_thread_ends(mod: ModuleType) -> None:
    class Value:
        pass

    data = mod.local()
    refs: list[Any] = []

    def store() -> None:
        value = Value()
        refs.append(weakref.ref(value))
        data.value = value

    t = mod.Thread(target=store)
    t.start()
    t.join()
    assert refs[0]() is None  # gone by the time join() returns, without gc.collect()


def test_local_dies_before_its_threads(mod: ModuleType) -> None:
    class Value:
        pass

    data = mod.local()
    value = Value()
    data.value = value
    ref = weakref.ref(value)
    del data, value
    gc.collect()
    assert ref() is None


def test_local_dict_is_the_threads_own(mod: ModuleType) -> None:
    data = mod.local()
    data.x = 1
    assert data.__dict__ == {"x": 1}
    with pytest.raises(AttributeError):
        data.__dict__ = {}
    with pytest.raises(AttributeError):
        del data.__dict__


def test_local_refuses_arguments_without_init(mod: ModuleType) -> None:
    with pytest.raises(TypeError):
        mod.local(1)


def test_local_supports_properties_and_methods(mod: ModuleType) -> None:
    class Data(mod.local):  # type: ignore[name-defined,misc]
        @property
        def double(self) -> int:
            return 2 * self.x

        def set(self, x: int) -> None:
            self.x = x

    data = Data()
    data.set(3)
    assert data.double == 6
    del data.x
    assert not hasattr(data, "x")


def test_local_used_from_an_alien_thread_is_dropped_when_it_ends() -> None:
    class Value:
        pass

    data = impl.local()
    refs: list[Any] = []
    done = threading.Event()

    def store() -> None:
        value = Value()
        refs.append(weakref.ref(value))
        data.value = value
        done.set()

    _thread.start_new_thread(store, ())
    done.wait()
    until(lambda: refs[0]() is None, "the alien thread's values to go")


def test_dummy_thread_is_forgotten_when_its_thread_ends_from_313() -> None:
    done = threading.Event()
    seen: list[Any] = []

    def alien() -> None:
        seen.append(impl.current_thread())
        done.set()

    _thread.start_new_thread(alien, ())
    done.wait()
    if sys.version_info >= (3, 13):
        until(lambda: seen[0] not in impl.enumerate(), "the dummy thread to be forgotten")
    else:
        assert seen[0] in impl.enumerate()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises((RuntimeError, AssertionError)):
            seen[0].join()


def test_start_failure_leaves_no_trace() -> None:
    """If the OS thread cannot be started, start() raises and the Thread is not listed."""
    from unittest import mock

    name = "start_joinable_thread" if sys.version_info >= (3, 13) else "start_new_thread"
    t = impl.Thread(target=lambda: None)
    with mock.patch.object(_thread, name, side_effect=RuntimeError("can't start new thread")):
        with pytest.raises(RuntimeError):
            t.start()
    assert t not in impl.enumerate() and not t.is_alive()
    assert t not in impl_thread()._limbo
