"""The conformance agent (conformance/agent.py), run under every installed interpreter.

Each test starts the agent as a subprocess through ``AgentClient`` and waits on
its events (never on sleeps); an interpreter that is not installed is skipped
with the reason shown.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import math
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conformance.agent_client import AGENT, AgentClient, AgentError
from tests.interpreters import INTERPRETERS
from tests.interpreters import interpreter as installed

pytestmark = pytest.mark.timeout(120)

EVENT_TIMEOUT = 15.0
"""Longest wait for an event the agent owes (reached only when a test fails)."""
START_TIMEOUT = 60.0
"""Longest wait for an agent's hello (PyPy starts slowly on a loaded machine)."""
EXIT_TIMEOUT = 5.0
"""How soon the agent must exit after quit or end of input."""


# ---------------------------------------------------------------------------
# Interpreters
# ---------------------------------------------------------------------------


def _interpreter_param(name: str) -> Any:
    if name == "pypy3":
        return pytest.param(("pypy", None, name), id="pypy3")
    return pytest.param(("cpython", tuple(int(x) for x in name.split(".")), name), id=f"cpython-{name}")


# ---------------------------------------------------------------------------
# Talking to an agent
# ---------------------------------------------------------------------------


class Agent:
    """An agent under test: sends commands with fresh ids and waits for the events
    they cause. Events that arrive while waiting for another are kept, so the
    order in which a test asks for events does not matter."""

    def __init__(self, client: AgentClient, version: tuple[int, ...]) -> None:
        self.client = client
        self.version = version
        self.seen: list[dict[str, Any]] = []
        self._unclaimed: list[dict[str, Any]] = []
        self._ids = itertools.count(1)
        self._objs = itertools.count(1)

    @property
    def thread_error(self) -> str:
        """The type name of the module's ThreadError on this version."""
        return "error" if self.version < (3,) else "RuntimeError"

    def send(self, **cmd: Any) -> None:
        self.client.send(cmd)

    def expect(self, pred: Callable[[dict[str, Any]], bool], what: str) -> dict[str, Any]:
        for kept in self._unclaimed:
            if pred(kept):
                self._unclaimed.remove(kept)
                return kept
        while True:
            ev = self.client.next_event(timeout=EVENT_TIMEOUT)
            if ev is None:
                raise AssertionError(f"no {what} within {EVENT_TIMEOUT}s; saw {self.seen}")
            if ev["ev"] != "exit":
                prev = self.seen[-1]["t"] if self.seen else -math.inf
                assert ev["t"] >= prev, f"agent time went back: {ev} after {self.seen[-1]}"
            self.seen.append(ev)
            if pred(ev):
                return ev
            self._unclaimed.append(ev)

    def event(self, kind: str, **fields: Any) -> dict[str, Any]:
        return self.expect(
            lambda e: e["ev"] == kind and all(e.get(k) == v for k, v in fields.items()),
            f"{kind} event {fields}",
        )

    def new(self, kind: str, *args: Any, **kwargs: Any) -> tuple[int, dict[str, Any]]:
        obj = next(self._objs) + 100
        self.send(cmd="new", obj=obj, kind=kind, args=list(args), kwargs=kwargs)
        ev = self.expect(lambda e: e.get("obj") == obj, f"answer to new {kind}")
        return obj, ev

    def obj(self, kind: str, *args: Any, **kwargs: Any) -> int:
        obj, ev = self.new(kind, *args, **kwargs)
        assert ev["ev"] == "created", ev
        return obj

    def call(self, worker: int, obj: int, op: str, *args: Any, **kwargs: Any) -> int:
        cid = next(self._ids)
        self.send(cmd="call", id=cid, worker=worker, obj=obj, op=op, args=list(args), kwargs=kwargs)
        return cid

    def result(self, cid: int) -> dict[str, Any]:
        return self.expect(
            lambda e: e["ev"] in ("return", "raise") and e.get("id") == cid, f"result of call {cid}"
        )

    def do(self, worker: int, obj: int, op: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return self.result(self.call(worker, obj, op, *args, **kwargs))

    def value(self, worker: int, obj: int, op: str, *args: Any, **kwargs: Any) -> Any:
        ev = self.do(worker, obj, op, *args, **kwargs)
        assert ev["ev"] == "return", ev
        return ev["value"]

    def sync(self) -> None:
        """Wait until the agent has handled every command sent so far."""
        pid = next(self._ids)
        self.send(cmd="ping", id=pid)
        self.event("pong", id=pid)


@pytest.fixture(params=[_interpreter_param(name) for name in INTERPRETERS])
def interpreter(request: pytest.FixtureRequest) -> tuple[str, tuple[int, ...] | None, str]:
    """(implementation, version or None for PyPy, path); skips, saying why, when not installed."""
    impl, version, name = request.param
    return impl, version, installed(name)


def _start(interpreter: Any, **kw: Any) -> tuple[AgentClient, tuple[int, ...]]:
    _, version, exe = interpreter
    client = AgentClient.start(exe, timeout=START_TIMEOUT, **kw)
    return client, tuple(client.hello.python[:3]) if version is None else version


@contextlib.contextmanager
def _running(interpreter: Any, **kw: Any) -> Iterator[Agent]:
    """An agent started with ``kw`` (see ``AgentClient.start``), closed on leaving."""
    client, version = _start(interpreter, **kw)
    try:
        yield Agent(client, version)
    finally:
        client.close()


@pytest.fixture
def agent(interpreter: Any) -> Iterator[Agent]:
    with _running(interpreter) as a:
        yield a


# ---------------------------------------------------------------------------
# Start
# ---------------------------------------------------------------------------


def test_hello_describes_the_interpreter_and_module(interpreter: Any, agent: Agent) -> None:
    impl, version, _ = interpreter
    h = agent.client.hello
    if version is not None:
        assert tuple(h.python[:3]) == version
    assert h.python[3] == "final" and isinstance(h.python[4], int)
    assert h.implementation == impl
    assert h.module == "threading"
    assert os.path.isabs(h.file) and os.path.basename(h.file) == "threading.py"
    assert os.path.exists(h.file)
    assert h.pid == agent.client.process.pid
    assert isinstance(h.t, float)
    assert h.watches_threads is os.path.isdir("/proc/self/task")
    assert h.gil is True and h.free_threaded_build is False  # these builds all have a GIL


def test_path_makes_a_shadowing_threading_the_one_imported(interpreter: Any, tmp_path: Path) -> None:
    # A threading.py that is the real one plus a marker (the interpreter may import
    # threading while starting up, so it must work).
    (tmp_path / "threading.py").write_text(
        "import os as _os\n"
        "_real = _os.path.join(_os.path.dirname(_os.__file__), 'threading.py')\n"
        "with open(_real) as _f:\n"
        "    _source = _f.read()\n"
        "exec(compile(_source, _real, 'exec'))\n"
        "SHADOWED = True\n"
    )
    with _running(interpreter, paths=[str(tmp_path)]) as a:
        assert os.path.realpath(a.client.hello.file) == os.path.realpath(tmp_path / "threading.py")
        assert a.value(1, 0, "get:SHADOWED") is True
        assert a.value(1, a.obj("Lock"), "acquire") is True


def test_prelude_runs_before_the_import(interpreter: Any, tmp_path: Path) -> None:
    (tmp_path / "probe.py").write_text("import sys\nSEEN = getattr(sys, 'threadspec_prelude', None)\n")
    prelude = "import sys; sys.threadspec_prelude = 42"
    with _running(interpreter, module="probe", paths=[str(tmp_path)], prelude=prelude) as a:
        assert a.client.hello.module == "probe"
        assert a.value(1, 0, "get:SEEN") == 42


def test_agent_itself_never_imports_threading(interpreter: Any, tmp_path: Path) -> None:
    (tmp_path / "probe.py").write_text(
        "import sys\n"
        "AT_IMPORT = 'threading' in sys.modules\n"
        "def loaded():\n"
        "    return 'threading' in sys.modules\n"
        "def call(f):\n"
        "    return f()\n"
    )
    _, _, exe = interpreter
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(tmp_path)
    bare = subprocess.run(
        [exe, "-c", "import sys; sys.stdout.write(str('threading' in sys.modules))"],
        capture_output=True,
        text=True,
        env=env,
        timeout=START_TIMEOUT,
    )
    at_startup = bare.stdout.strip() == "True"  # e.g. a .pth file of site-packages imports it
    with _running(interpreter, module="probe", paths=[str(tmp_path)]) as a:
        assert a.value(1, 0, "get:AT_IMPORT") is at_startup
        a.send(cmd="open", gate=1, **{"raise": None})
        assert a.value(2, 0, "call", {"gate": 1}) is None
        assert a.value(3, 0, "loaded") is at_startup


def test_stray_output_goes_to_stderr_not_into_the_protocol(interpreter: Any) -> None:
    prelude = "import os; print('junk-print'); os.write(1, b'junk-fd\\n')"
    with _running(interpreter, prelude=prelude) as a:
        a.sync()
    assert a.client.noise == []
    assert "junk-print" in a.client.stderr_tail() and "junk-fd" in a.client.stderr_tail()


def _run_raw(interpreter: Any, *args: str, path: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if path is not None:
        env["PYTHONPATH"] = str(path)
    return subprocess.run(
        [interpreter[2], str(AGENT), *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=START_TIMEOUT,
    )


def _only_fatal(p: subprocess.CompletedProcess[str]) -> str:
    assert p.returncode == 2, (p.returncode, p.stdout, p.stderr)
    (line,) = p.stdout.splitlines()
    ev = json.loads(line)
    assert ev["ev"] == "fatal" and isinstance(ev["t"], float), ev
    assert "\n" not in ev["error"]
    return str(ev["error"])


def test_broken_module_import_is_fatal_with_status_2(interpreter: Any, tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("x = 1 // 0\n")
    assert "ZeroDivisionError" in _only_fatal(_run_raw(interpreter, "--module", "broken", path=tmp_path))
    with pytest.raises(AgentError, match="ZeroDivisionError"):
        _start(interpreter, module="broken", paths=[str(tmp_path)])


def test_missing_module_is_fatal(interpreter: Any) -> None:
    error = _only_fatal(_run_raw(interpreter, "--module", "no_such_module_xyz"))
    assert "no_such_module_xyz" in error and "Error" in error


def test_failing_prelude_is_fatal(interpreter: Any) -> None:
    error = _only_fatal(_run_raw(interpreter, "--prelude", "raise ValueError('no')"))
    assert "prelude" in error and "ValueError" in error


def test_unknown_argument_is_fatal(interpreter: Any) -> None:
    assert "--bogus" in _only_fatal(_run_raw(interpreter, "--bogus"))


# ---------------------------------------------------------------------------
# Objects and calls
# ---------------------------------------------------------------------------


def test_lock_create_acquire_release(agent: Agent) -> None:
    lock = agent.obj("Lock")
    invoke_id = agent.call(1, lock, "acquire")
    invoked = agent.event("invoke", id=invoke_id)
    returned = agent.result(invoke_id)
    assert returned == {"ev": "return", "t": returned["t"], "id": invoke_id, "value": True, "warnings": []}
    assert invoked["t"] <= returned["t"]
    assert agent.value(2, lock, "acquire", False) is False
    assert agent.value(1, lock, "release") is None
    assert agent.value(2, lock, "acquire", False) is True


def test_blocked_acquire_completes_when_another_worker_releases(agent: Agent) -> None:
    lock = agent.obj("Lock")
    assert agent.value(1, lock, "acquire") is True
    blocked = agent.call(2, lock, "acquire")
    agent.event("invoke", id=blocked)
    queued = agent.call(2, lock, "locked")  # worker 2 is busy: this waits its turn
    agent.sync()
    assert not [e for e in agent.seen if e.get("id") in (blocked, queued) and e["ev"] != "invoke"]
    release = agent.call(1, lock, "release")
    released_at = agent.event("invoke", id=release)["t"]
    assert agent.result(release)["ev"] == "return"
    woken = agent.result(blocked)
    assert woken["value"] is True and woken["t"] >= released_at
    assert agent.event("invoke", id=queued)["t"] >= woken["t"]
    assert agent.result(queued)["value"] is True


def test_exception_carries_its_mro_and_threaderror(agent: Agent) -> None:
    lock = agent.obj("Lock")
    ev = agent.do(1, lock, "release")
    assert ev["ev"] == "raise" and ev["exc"] == agent.thread_error and ev["warnings"] == []
    assert ev["mro"][0] == agent.thread_error and ev["mro"][-1] == "ThreadError"
    assert "BaseException" in ev["mro"] and "object" in ev["mro"]
    absent = agent.do(1, lock, "no_such_method")
    assert absent["exc"] == "AttributeError" and "ThreadError" not in absent["mro"]


def test_constructor_exception_is_create_raised(agent: Agent) -> None:
    obj, ev = agent.new("Semaphore", -1)
    assert ev["ev"] == "create-raised" and ev["exc"] == "ValueError" and ev["obj"] == obj
    assert "ThreadError" not in ev["mro"] and ev["warnings"] == []
    _, missing = agent.new("NoSuchKind")
    assert missing["ev"] == "create-raised" and missing["exc"] == "AttributeError"
    _, inner = agent.new("Condition", {"new": "Semaphore", "args": [-1]})
    assert inner["ev"] == "create-raised" and inner["exc"] == "ValueError"


def test_new_and_ref_arguments(agent: Agent) -> None:
    cond = agent.obj("Condition", {"new": "Lock", "args": [], "obj": 50})
    assert agent.value(1, cond, "acquire") is True
    assert agent.value(2, 50, "locked") is True
    assert agent.value(1, cond, "release") is None
    assert agent.value(2, 50, "locked") is False
    lock = agent.obj("Lock")
    cond2 = agent.obj("Condition", {"ref": lock})
    # CPython's Lock.__enter__ returns True; PyPy's returns the lock itself.
    assert agent.value(1, cond2, "__enter__") in (True, {"ref": lock})
    assert agent.value(2, lock, "acquire", False) is False
    assert agent.value(1, cond2, "__exit__", None, None, None) in (None, False)
    assert agent.value(2, lock, "acquire", False) is True
    assert agent.obj("Condition", {"new": "RLock"})


def test_results_name_host_objects_by_ref(agent: Agent) -> None:
    thread = agent.obj("Thread", target={"gate": 1})
    assert agent.value(1, thread, "start") is None
    agent.event("gate-enter", gate=1)
    listed = agent.value(1, 0, "enumerate")
    assert {"ref": thread} in listed
    main = {"name": "MainThread", "daemon": False, "ident": "main", "name_shared": False}
    assert {"type": "_MainThread", "module": "threading", "thread": main} in listed
    agent.send(cmd="open", gate=1, **{"raise": None})
    assert agent.value(1, thread, "join") is None


def test_module_functions_through_object_0(agent: Agent) -> None:
    count = agent.value(1, 0, "active_count")
    assert isinstance(count, int) and count >= 1
    dummy = agent.value(1, 0, "current_thread")
    assert dummy["type"] == "_DummyThread" and dummy["module"] == "threading"
    assert dummy["thread"]["name"].startswith("Dummy-")
    assert (dummy["thread"]["daemon"], dummy["thread"]["ident"]) == (True, "caller")
    main = agent.do(1, 0, "main_thread")
    summary = {"name": "MainThread", "daemon": False, "ident": "main", "name_shared": False}
    if agent.version >= (3, 4):
        assert main["value"] == {"type": "_MainThread", "module": "threading", "thread": summary}
    else:
        assert main["ev"] == "raise" and main["exc"] == "AttributeError"


def test_thread_summaries_tell_whose_thread_and_repeated_names(agent: Agent) -> None:
    agent.obj("Thread", name="same")
    other_worker = agent.value(2, 0, "current_thread")["thread"]["name"]
    listed = [v["thread"] for v in agent.value(1, 0, "enumerate") if "thread" in v]
    assert {"name": other_worker, "daemon": True, "ident": "worker", "name_shared": False} in listed
    fresh = agent.value(1, 0, "Thread", name="same")["thread"]
    assert fresh == {"name": "same", "daemon": True, "ident": None, "name_shared": True}


def test_local_subclass_runs_init_in_each_thread(agent: Agent) -> None:
    local = agent.obj("LocalSubclass", 5, "five")
    assert agent.value(1, local, "get:args") == [5, "five"]
    assert agent.value(2, local, "get:args") == [5, "five"]
    assert agent.value(1, local, "set:args", 7) is None
    assert agent.value(2, local, "get:args") == [5, "five"]
    assert agent.value(1, local, "get:args") == 7


def test_get_set_del_attributes(agent: Agent) -> None:
    local = agent.obj("local")
    assert agent.value(1, local, "set:x", 5) is None
    assert agent.value(1, local, "get:x") == 5
    assert agent.value(1, local, "set:x", [1, "two", None]) is None
    assert agent.value(1, local, "get:x") == [1, "two", None]
    assert agent.value(1, local, "del:x") is None
    assert agent.do(1, local, "get:x")["exc"] == "AttributeError"
    thread = agent.obj("Thread", name="first")
    assert agent.value(1, thread, "get:name") == "first"
    assert agent.value(1, thread, "set:name", "second") is None
    assert agent.value(1, thread, "get:name") == "second"


def test_nan_and_infinity_travel_both_ways(agent: Agent) -> None:
    local = agent.obj("local")
    for value in (math.inf, -math.inf):
        agent.value(1, local, "set:v", value)
        assert agent.value(1, local, "get:v") == value
    agent.value(1, local, "set:v", math.nan)
    assert math.isnan(agent.value(1, local, "get:v"))


def test_results_keep_the_type_of_each_value(agent: Agent) -> None:
    local = agent.obj("local")
    for value in (None, True, 0, -(2**70), 1.5, "text", "", "h\u00e9llo \u2603", [], [[1], [2.5, False]]):
        agent.value(1, local, "set:v", value)
        got = agent.value(1, local, "get:v")
        assert got == value and type(got) is type(value), (value, got)


# ---------------------------------------------------------------------------
# Gates
# ---------------------------------------------------------------------------


def test_gate_as_thread_target_blocks_until_opened(agent: Agent) -> None:
    thread = agent.obj("Thread", target={"gate": 1})
    assert agent.value(1, thread, "start") is None
    enter = agent.event("gate-enter", gate=1)
    assert enter["worker"] is None  # called by the target's own thread, not a worker
    assert agent.value(1, thread, "is_alive") is True
    agent.send(cmd="open", gate=1, **{"raise": None})
    assert agent.event("gate-exit", gate=1)["t"] >= enter["t"]
    assert agent.value(1, thread, "join") is None
    assert agent.value(1, thread, "is_alive") is False


def test_gate_opened_with_an_exception_raises_it_in_the_caller(agent: Agent) -> None:
    thread = agent.obj("Thread", target={"gate": 2})
    run = agent.call(3, thread, "run")  # Thread.run calls the target on worker 3
    assert agent.event("gate-enter", gate=2)["worker"] == 3
    agent.sync()
    assert not [e for e in agent.seen if e.get("id") == run and e["ev"] != "invoke"]
    agent.send(cmd="open", gate=2, **{"raise": "ValueError"})
    exit_ = agent.event("gate-exit", gate=2)
    raised = agent.result(run)
    assert raised["ev"] == "raise" and raised["exc"] == "ValueError" and raised["t"] >= exit_["t"]


def test_gate_opened_before_the_call_returns_at_once(agent: Agent) -> None:
    agent.send(cmd="open", gate=3, **{"raise": None})
    thread = agent.obj("Thread", target={"gate": 3}, args=[1, "x"], kwargs={"k": None})
    assert agent.value(1, thread, "run") is None
    agent.event("gate-enter", gate=3, worker=1)
    agent.event("gate-exit", gate=3, worker=1)


def test_gate_function_result_is_named_as_a_gate(agent: Agent) -> None:
    local = agent.obj("local")
    agent.value(1, local, "set:f", {"gate": 4})
    assert agent.value(1, local, "get:f") == {"gate": 4}


# ---------------------------------------------------------------------------
# Calls made back to back, calls made by the thread in a gate, thread ends
# ---------------------------------------------------------------------------


def _batch(agent: Agent, who: dict[str, Any], obj: int, *ops: tuple[Any, ...]) -> list[int]:
    """Send ``ops`` (op, *args) as one ``calls`` command; return their ids."""
    ids = [next(agent._ids) for _ in ops]
    calls = [{"id": i, "obj": obj, "op": op[0], "args": list(op[1:])} for i, op in zip(ids, ops, strict=True)]
    agent.send(cmd="calls", calls=calls, **who)
    return ids


def test_calls_sent_together_are_made_in_order_each_reported(agent: Agent) -> None:
    thread = agent.obj("Thread", target={"gate": 1})
    ids = _batch(agent, {"worker": 1}, thread, ("start",), ("is_alive",), ("get:ident",), ("join", 0))
    results = [agent.result(i) for i in ids]
    assert [r["ev"] for r in results] == ["return"] * 4
    assert results[1]["value"] is True and isinstance(results[2]["value"], int)
    invokes = [agent.event("invoke", id=i) for i in ids]
    times = [t for inv, res in zip(invokes, results, strict=True) for t in (inv["t"], res["t"])]
    assert times == sorted(times)  # each call ran after the previous one returned
    agent.send(cmd="open", gate=1, **{"raise": None})
    assert agent.value(2, thread, "join") is None


def test_a_blocked_call_sent_together_is_reported_and_holds_up_the_rest(agent: Agent) -> None:
    thread = agent.obj("Thread", target={"gate": 2})
    ids = _batch(agent, {"worker": 1}, thread, ("start",), ("join",), ("is_alive",))
    agent.event("invoke", id=ids[1])  # sent although the call blocks
    agent.sync()
    assert agent.result(ids[0])["ev"] == "return"
    assert not [e for e in agent.seen if e.get("id") in ids[1:] and e["ev"] != "invoke"]
    agent.send(cmd="open", gate=2, **{"raise": None})
    assert agent.result(ids[1])["value"] is None and agent.result(ids[2])["value"] is False


def test_calls_sent_to_a_gate_are_made_by_the_thread_waiting_in_it(agent: Agent) -> None:
    thread = agent.obj("Thread", target={"gate": 3})
    cid = next(agent._ids)
    agent.send(cmd="call", gate=3, id=cid, obj=thread, op="join", args=[])  # waits for the thread
    assert agent.value(1, thread, "start") is None
    raised = agent.result(cid)
    assert raised["ev"] == "raise" and raised["exc"] == "RuntimeError"  # it cannot join itself
    ids = _batch(agent, {"gate": 3}, thread, ("is_alive",), ("get:ident",))
    assert agent.result(ids[0])["value"] is True
    assert agent.result(ids[1])["value"] == agent.value(1, thread, "get:ident")
    agent.send(cmd="open", gate=3, **{"raise": None})
    agent.event("gate-exit", gate=3)
    assert agent.value(1, thread, "join") is None


def test_gate_enter_reports_the_arguments_of_the_call(agent: Agent) -> None:
    thread = agent.obj("Thread", target={"gate": 5}, args=[1, "x", [2.5]], kwargs={"k": None})
    assert agent.value(1, thread, "start") is None
    enter = agent.event("gate-enter", gate=5)
    assert enter["args"] == [1, "x", [2.5]] and enter["kwargs"] == {"k": None}
    agent.send(cmd="open", gate=5, **{"raise": None})
    assert agent.value(1, thread, "join") is None
    if agent.version < (3, 8):
        return  # no threading.excepthook
    hook = agent.obj("Thread", target={"gate": 7})
    agent.value(1, 0, "set:excepthook", {"gate": 6})
    assert agent.value(1, hook, "start") is None
    agent.send(cmd="open", gate=7, **{"raise": "KeyError"})
    (args,) = agent.event("gate-enter", gate=6)["args"]
    assert args[0] == {"class": "KeyError"} and args[1]["type"] == "KeyError"
    assert args[2]["type"] == "traceback" and args[3] == {"ref": hook}
    agent.send(cmd="open", gate=6, **{"raise": None})
    assert agent.value(1, hook, "join") is None


def test_gate_enter_reports_the_hooks_the_thread_runs_with(agent: Agent) -> None:
    plain = agent.obj("Thread", target={"gate": 8})
    assert agent.value(1, plain, "start") is None
    enter = agent.event("gate-enter", gate=8)
    assert (enter["trace"], enter["profile"]) == (None, None)
    agent.send(cmd="open", gate=8, **{"raise": None})
    assert agent.value(1, plain, "join") is None
    hooked = agent.obj("Thread", target={"gate": 9})
    assert agent.value(1, 0, "settrace", {"hook": "t"}) is None
    assert agent.value(1, 0, "setprofile", {"hook": "p"}) is None
    assert agent.value(1, hooked, "start") is None
    enter = agent.event("gate-enter", gate=9)
    assert (enter["trace"], enter["profile"]) == ({"hook": "t"}, {"hook": "p"})
    agent.send(cmd="open", gate=9, **{"raise": None})
    assert agent.value(1, hooked, "join") is None
    if agent.version >= (3, 10):
        assert agent.value(1, 0, "gettrace") == {"hook": "t"}
    assert agent.value(1, 0, "settrace", None) is None
    assert agent.value(1, 0, "setprofile", None) is None


def test_gate_enter_reports_the_context_the_thread_runs_in(agent: Agent) -> None:
    """What the agent's context variable reads in a Thread's target: "unset" in an empty context
    (every thread before 3.14), "worker N" in a copy of worker N's, "main" in a copy of the main
    thread's; ``Context`` and ``CopiedContext`` are the contexts a 3.14 ``context`` argument takes."""
    thread = agent.obj("Thread", target={"gate": 11})
    assert agent.value(1, thread, "start") is None
    enter = agent.event("gate-enter", gate=11)
    agent.send(cmd="open", gate=11, **{"raise": None})
    assert agent.value(1, thread, "join") is None
    if agent.version < (3, 7):
        assert "context" not in enter  # no contextvars
        return
    assert enter["context"] == ("unset" if agent.version < (3, 14) else enter["context"])
    assert enter["context"] in ("unset", "worker 1")
    empty, copied = agent.obj("Context"), agent.obj("CopiedContext")
    assert agent.value(1, empty, "__len__") == 0
    assert agent.value(1, copied, "__len__") == 1  # the agent's variable, set on the main thread


def test_the_end_of_a_thread_that_called_a_gate_is_reported(agent: Agent) -> None:
    if not agent.client.hello.watches_threads:
        pytest.skip("the agent cannot watch threads on this platform")
    thread = agent.obj("Thread", target={"gate": 4})
    assert agent.value(1, thread, "start") is None
    run = agent.call(2, agent.obj("Thread", target={"gate": 4}), "run")  # a worker: not watched
    agent.send(cmd="open", gate=4, **{"raise": None})
    ended = agent.event("thread-exit")
    assert ended["gates"] == [4] and ended["t"] >= agent.event("gate-exit", gate=4, worker=None)["t"]
    assert agent.value(1, thread, "is_alive") is False
    assert agent.result(run)["ev"] == "return"
    agent.sync()
    assert len([e for e in agent.seen if e["ev"] == "thread-exit"]) == 1


def test_the_end_of_a_thread_reports_what_it_wrote_to_stderr(agent: Agent) -> None:
    if not agent.client.hello.watches_threads:
        pytest.skip("the agent cannot watch threads on this platform")
    thread = agent.obj("Thread", target={"gate": 5})
    assert agent.value(1, thread, "start") is None
    agent.send(cmd="open", gate=5, **{"raise": "KeyError"})
    ended = agent.event("thread-exit")
    assert ended["gates"] == [5] and ended["sys_excepthook"] == []
    # 2.7 to 3.7 print it themselves, 3.8+ through the default excepthook: either names the class
    assert "KeyError" in ended["stderr"] and "Traceback" in ended["stderr"]


def test_a_failing_excepthook_is_handed_to_sys_excepthook_and_put_back(agent: Agent) -> None:
    if not agent.client.hello.watches_threads or agent.version < (3, 8):
        pytest.skip("needs threading.excepthook (3.8+) and an agent that watches threads")
    assert agent.value(1, 0, "set:excepthook", {"gate": 7}) is None
    thread = agent.obj("Thread", target={"gate": 6})
    assert agent.value(1, thread, "start") is None
    agent.send(cmd="open", gate=6, **{"raise": "ValueError"})
    agent.send(cmd="open", gate=7, **{"raise": "IndexError"})
    ended = agent.event("thread-exit")
    assert ended["gates"] == [6, 7] and ended["sys_excepthook"] == ["IndexError"]
    assert agent.value(1, 0, "set:excepthook", {"original": "excepthook"}) is None
    again = agent.obj("Thread", target={"gate": 8})  # the module's own hook handles it again
    assert agent.value(1, again, "start") is None
    agent.send(cmd="open", gate=8, **{"raise": "ValueError"})
    ended = agent.event("thread-exit", gates=[8])
    assert "ValueError" in ended["stderr"] and ended["sys_excepthook"] == []
    agent.send(cmd="call", id=99, worker=1, obj=0, op="set:excepthook", args=[{"original": "nothing"}])
    assert "no original value" in agent.event("error", id=99)["error"]


def test_a_new_run_starts_with_the_modules_own_excepthook(agent: Agent) -> None:
    if not agent.client.hello.watches_threads or agent.version < (3, 8):
        pytest.skip("needs threading.excepthook (3.8+) and an agent that watches threads")
    assert agent.value(1, 0, "set:excepthook", {"gate": 7}) is None  # an earlier run's hook
    thread = 150
    agent.send(cmd="new", obj=thread, kind="Thread", args=[], kwargs={"target": {"gate": 8}}, run=True)
    assert agent.event("created", obj=thread)
    assert agent.value(1, thread, "start") is None
    agent.send(cmd="open", gate=8, **{"raise": "ValueError"})
    ended = agent.event("thread-exit", gates=[8])  # gate 7, the replaced hook, was not called
    assert "ValueError" in ended["stderr"] and ended["sys_excepthook"] == []


# ---------------------------------------------------------------------------
# Warnings
# ---------------------------------------------------------------------------


def test_warnings_are_attributed_to_the_call_that_emitted_them(agent: Agent) -> None:
    expected = ["DeprecationWarning"] if agent.version >= (3, 10) else []
    thread = agent.obj("Thread", target={"gate": 1})
    elsewhere = agent.call(1, thread, "run")  # worker 1 waits in the gate meanwhile
    agent.event("gate-enter", gate=1, worker=1)
    for _ in range(2):  # "always": every call warns, not only the first
        ev = agent.do(2, 0, "currentThread")
        assert ev["ev"] == "return" and ev["warnings"] == expected
    assert agent.do(2, 0, "current_thread")["warnings"] == []
    agent.send(cmd="open", gate=1, **{"raise": None})
    assert agent.result(elsewhere)["warnings"] == []


def test_every_warning_of_a_call_is_listed_in_order(interpreter: Any, tmp_path: Path) -> None:
    (tmp_path / "noisy.py").write_text(
        "import warnings\n"
        "def warn_twice():\n"
        "    warnings.warn('first', UserWarning)\n"
        "    warnings.warn('second', DeprecationWarning)\n"
        "    return 'done'\n"
        "class Noisy(object):\n"
        "    def __init__(self):\n"
        "        warnings.warn('made', FutureWarning)\n"
    )
    with _running(interpreter, module="noisy", paths=[str(tmp_path)]) as a:
        for _ in range(2):
            ev = a.do(1, 0, "warn_twice")
            assert ev["value"] == "done" and ev["warnings"] == ["UserWarning", "DeprecationWarning"]
        obj, created = a.new("Noisy")
        assert created == {"ev": "created", "t": created["t"], "obj": obj, "warnings": ["FutureWarning"]}
    assert "first" not in a.client.stderr_tail()


# ---------------------------------------------------------------------------
# Bad commands, ping, quit
# ---------------------------------------------------------------------------

MALFORMED: list[Any] = [
    "this is not json",
    [1, 2],
    {"no": "cmd"},
    {"cmd": "dance"},
    {"cmd": "new", "obj": 0, "kind": "Lock"},
    {"cmd": "new", "obj": 7, "kind": ""},
    {"cmd": "new", "obj": 7, "kind": "Lock", "args": {"not": "a list"}},
    {"cmd": "call", "id": 1, "worker": 1, "obj": 999, "op": "acquire"},
    {"cmd": "call", "id": 2, "worker": "w", "obj": 0, "op": "active_count"},
    {"cmd": "call", "id": 3, "worker": 1, "obj": 0, "op": ""},
    {"cmd": "call", "id": 4, "worker": 1, "obj": 0, "op": "get:"},
    {"cmd": "call", "id": 5, "worker": 1, "obj": 0, "op": "set:x"},
    {"cmd": "call", "id": 6, "worker": 1, "obj": 0, "op": "get:x", "args": [1]},
    {"cmd": "call", "id": 7, "worker": 1, "obj": 0, "op": "active_count", "args": [{"ref": 999}]},
    {"cmd": "call", "worker": 1, "obj": 0, "op": "active_count"},
    {"cmd": "calls", "id": 8, "worker": 1, "calls": []},
    {"cmd": "calls", "id": 9, "worker": 1, "calls": [{"id": 10, "obj": 0, "op": "active_count"}, {"id": 11}]},
    {"cmd": "call", "id": 12, "gate": "g", "obj": 0, "op": "active_count"},
    {"cmd": "open", "gate": "g"},
    {"cmd": "open", "gate": 1, "raise": "NoSuchError"},
    {"cmd": "open", "gate": 1, "raise": "len"},
]


def test_malformed_commands_are_answered_by_error_events(agent: Agent) -> None:
    for bad in MALFORMED:
        line = bad if isinstance(bad, str) else json.dumps(bad)
        assert agent.client.process.stdin is not None
        agent.client.process.stdin.write(line.encode() + b"\n")
        agent.client.process.stdin.flush()
        ev = agent.event("error")
        assert isinstance(ev["error"], str) and ev["error"] and "\n" not in ev["error"], (bad, ev)
        if isinstance(bad, dict) and "id" in bad:
            assert ev["id"] == bad["id"]
    agent.sync()
    assert not [e for e in agent.seen if e["ev"] in ("invoke", "return", "raise", "created")]
    # The agent carries on, and ids of failed commands are still free.
    assert agent.value(1, 0, "active_count") >= 1


def test_reusing_an_object_id_is_an_error(agent: Agent) -> None:
    agent.send(cmd="new", obj=7, kind="Lock")
    agent.event("created", obj=7)
    agent.send(cmd="new", obj=7, kind="RLock")
    assert agent.event("error", obj=7)
    assert agent.value(1, 7, "acquire", False) is True
    assert agent.do(1, 7, "release")["ev"] == "return"


def test_ping_answers_with_its_id(agent: Agent) -> None:
    agent.send(cmd="ping", id="abc")
    assert agent.event("pong", id="abc")["t"] >= agent.client.hello.t


def _block_everything(agent: Agent) -> None:
    lock = agent.obj("Lock")
    assert agent.value(1, lock, "acquire") is True
    agent.event("invoke", id=agent.call(2, lock, "acquire"))
    thread = agent.obj("Thread", target={"gate": 1})  # a non-daemon thread, never let out
    assert agent.value(3, thread, "start") is None
    agent.event("gate-enter", gate=1)
    agent.call(4, agent.obj("Thread", target={"gate": 2}), "run")
    agent.event("gate-enter", gate=2, worker=4)


def test_quit_exits_at_once_even_with_blocked_workers(agent: Agent) -> None:
    _block_everything(agent)
    agent.send(cmd="quit")
    assert agent.client.process.wait(EXIT_TIMEOUT) == 0


def test_end_of_input_is_quit(agent: Agent) -> None:
    _block_everything(agent)
    assert agent.client.process.stdin is not None
    agent.client.process.stdin.close()
    assert agent.client.process.wait(EXIT_TIMEOUT) == 0
    assert agent.event("exit")["returncode"] == 0


# ---------------------------------------------------------------------------
# The client
# ---------------------------------------------------------------------------


def test_client_reports_an_interpreter_that_cannot_run(tmp_path: Path) -> None:
    with pytest.raises(AgentError, match="cannot run"):
        AgentClient.start(str(tmp_path / "no-such-python"))


def test_client_reports_an_agent_that_exits_without_hello(tmp_path: Path) -> None:
    fake = tmp_path / "fake-python"
    fake.write_text("#!/bin/sh\necho 'not a python' >&2\nexit 3\n")
    fake.chmod(0o755)
    with pytest.raises(AgentError, match=r"(?s)status 3.*not a python"):
        AgentClient.start(str(fake), timeout=START_TIMEOUT)


def test_client_gives_up_on_a_silent_agent(tmp_path: Path) -> None:
    fake = tmp_path / "silent-python"
    fake.write_text("#!/bin/sh\nexec sleep 60\n")
    fake.chmod(0o755)
    with pytest.raises(AgentError, match="no hello"):
        AgentClient.start(str(fake), timeout=0.2)


def test_client_after_exit(interpreter: Any) -> None:
    client, _ = _start(interpreter)
    assert client.close() == 0
    assert client.close() == 0
    assert not client.alive()
    with pytest.raises(AgentError):
        client.send({"cmd": "ping", "id": 1})
    seen = [client.next_event(timeout=EVENT_TIMEOUT) for _ in range(2)]
    assert seen[0] is not None and seen[0]["ev"] == "exit" and seen[1] is None


def test_client_does_not_pass_the_hosts_pythonpath_on(
    interpreter: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "threading.py").write_text("raise ImportError('the host path leaked')\n")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    with _running(interpreter) as a:
        assert not a.client.hello.file.startswith(str(tmp_path))


def test_agent_parses_under_every_interpreter(interpreter: Any) -> None:
    p = subprocess.run(
        [interpreter[2], "-c", "import sys; compile(open(sys.argv[1]).read(), 'agent', 'exec')", str(AGENT)],
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT,
    )
    assert p.returncode == 0, p.stderr


def test_this_file_runs_on_the_host_python_too() -> None:
    # The host interpreter is itself a valid target.
    with AgentClient.start(sys.executable, timeout=START_TIMEOUT) as client:
        a = Agent(client, tuple(sys.version_info[:3]))
        assert a.value(1, a.obj("RLock"), "acquire") is True
