"""``threadspec check --target NAME``: the adapters for libraries that imitate threading.

Each adapter runs a short check of its real library and gets a verdict from what it observed
(no harness failure); a library that is not installed is a clear exit 2 with an install hint.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conformance import adapters, cli, matrix
from conformance.adapters import ADAPTERS, Adapter
from conformance.agent_client import AgentClient
from conformance.report import Target
from conformance.runner import CheckOptions, check

THREADSPEC = [sys.executable, "-m", "conformance.cli"]
REPO = Path(__file__).resolve().parents[2]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*THREADSPEC, *args], capture_output=True, text=True, timeout=300, env=env, cwd=REPO
    )


def harness_failures(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The runs that could not be observed because of the harness: those the checker chose not to
    judge (the spec's only explanation went through a CPython-only clause, at documented
    strictness) are the library's behaviour, reported apart, not a failure of the harness."""
    return [u for u in report["could_not_observe"] if not u["reason"].startswith("not judged")]


@pytest.mark.parametrize("name", list(ADAPTERS))
def test_each_adapter_checks_its_library(name: str, tmp_path: Path) -> None:
    adapter = ADAPTERS[name]
    if importlib.util.find_spec(adapter.requires) is None:
        pytest.fail(f"{adapter.requires} is not installed: pip install -e '.[dev]' installs it")
    out = tmp_path / "report.json"
    p = run("check", "--target", name, "--only", "Lock,Event", "--budget", "8", "--format", "json",
            "--output", str(out), "--reproducers", str(tmp_path / "repro"))
    assert p.returncode in (0, 1, 3), p.stderr
    report = json.loads(out.read_text())
    assert report["target"]["module"] == adapter.module
    assert report["verdict"] != "could not check"
    assert harness_failures(report) == [], report["could_not_observe"]
    assert report["could_not_check"] == {}
    assert "passed" in report["clauses"].values()
    # every violation names a clause of the primitives asked for
    assert all(f["clause"].split(".")[0] in ("Lock", "Event") for f in report["failures"])


def test_green_workers_are_not_starved_by_the_command_loop(tmp_path: Path) -> None:
    """gevent.lock used directly, without monkey-patching: a worker's timed wait ends while the
    agent waits for its next command (the command loop does not block gevent's hub)."""
    out = tmp_path / "report.json"
    p = run("check", "--target", "gevent-direct", "--only", "Lock", "--budget", "8", "--format", "json",
            "--output", str(out), "--reproducers", str(tmp_path / "repro"))
    assert p.returncode in (0, 1, 3), p.stderr
    report = json.loads(out.read_text())
    assert report["clauses"].get("Lock.acquire.timeout-returns-false") == "passed", report["clauses"]
    assert harness_failures(report) == [], report["could_not_observe"]


def test_a_library_not_installed_is_exit_2_with_the_install_hint(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bogus = Adapter("bogus", "a library that is not installed", "no_such_library_xyz", "no-such-library>=1.0")
    monkeypatch.setitem(ADAPTERS, "bogus", bogus)
    assert cli.main(["check", "--target", "bogus", "--budget", "5"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"{sys.executable} -m pip install 'no-such-library>=1.0'" in err and "no_such_library_xyz" in err


def test_a_hidden_library_is_exit_2_before_any_check(tmp_path: Path) -> None:
    """gevent shadowed by a package that cannot be imported: the real adapter says how to install it."""
    (tmp_path / "gevent").mkdir()
    (tmp_path / "gevent" / "__init__.py").write_text("raise ImportError('hidden by the test')\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), str(REPO)]))
    p = run("check", "--target", "gevent", "--budget", "5", env=env)
    assert p.returncode == 2
    assert "pip install 'gevent>=" in p.stderr and p.stdout == ""


def test_target_list_and_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["check", "--target", "list"]) == 0
    listed = capsys.readouterr().out
    assert [line.split()[0] for line in listed.splitlines()] == list(ADAPTERS)
    assert cli.main(["check", "--target", "no-such-target"]) == 2
    assert "unknown target 'no-such-target'" in capsys.readouterr().err
    assert cli.main(["check", "--target", "multiprocessing", "--only", "Thread"]) == 2
    assert "does not offer Thread" in capsys.readouterr().err
    assert cli.main(["check", "--target", "gevent", "--module", "json"]) == 2
    assert "neither --module nor --prelude" in capsys.readouterr().err


def test_help_names_every_adapter() -> None:
    p = run("check", "--help")
    assert all(name in " ".join(p.stdout.split()) for name in ADAPTERS)


def test_a_name_mapping_builds_the_module_the_agent_checks() -> None:
    """The prelude of a mapped adapter makes a module whose names are the library's objects
    (aliases of the library's methods where the names differ)."""
    a = ADAPTERS["aiologic"]
    code = f"{a.prelude}\nimport aiologic, {a.module} as m\n" + (
        "assert m.Event is aiologic.REvent and issubclass(m.Lock, aiologic.Lock)\n"
        "assert m.Lock.release is aiologic.Lock.green_release\n"
        "s = m.Semaphore(1)\n"
        "assert s.acquire(False) is True and s.acquire(False) is False\n"
        "lock = m.Lock()\n"
        "assert lock.acquire(False) is True and lock.locked()\n"
        "try:\n"
        "    s.acquire(True, 1, 2)\n"
        "except TypeError:\n"
        "    pass\n"
        "else:\n"
        "    raise AssertionError('three positional arguments were taken')\n"
        "c = m.Condition(lock)\n"
        "lock.release()\n"
        "assert c.acquire(True, 0.5) is True and lock.locked()\n"
        "c.release()\n"
        "assert not lock.locked()\n"
        "print(sorted(n for n in vars(m) if not n.startswith('_')))"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == str(sorted(a.names or {}))


def test_the_matrix_includes_every_adapter_whose_library_imports() -> None:
    assert matrix.ADAPTERS == adapters.requirements()
    names = [t.check_args for t in matrix.adapter_targets()]
    for name, module in adapters.requirements().items():
        assert (("--target", name) in names) == (importlib.util.find_spec(module) is not None)


def test_an_agent_that_stops_answering_is_restarted(tmp_path: Path) -> None:
    """A target that freezes the whole agent (eventlet's hub after a NaN timeout; here a Lock
    constructor that blocks the agent's main thread, once): that run is unobserved, the agent
    no longer answers a ping, and is restarted, so that the runs after it are observed."""
    marker = tmp_path / "froze-once"
    (tmp_path / "freezing.py").write_text(
        "import os, threading as _threading\n"
        "from threading import *\n"
        f"MARKER = {str(marker)!r}\n"
        "def Lock(*args):\n"
        "    if not os.path.exists(MARKER):\n"
        "        open(MARKER, 'w').close()\n"
        "        _threading.Event().wait()  # never set: the agent's main thread is stuck\n"
        "    return _threading.Lock(*args)\n"
    )
    target = Target(sys.executable, "freezing", (str(tmp_path),))
    report = check(target, CheckOptions(only=("Lock",), budget=8.0, deadline=2.0))
    assert marker.exists()
    assert report.restarts == 1
    assert [u.reason for u in report.unobserved] == ["the constructor did not return"]
    assert report.scenarios_run > 1 and "passed" in {st.value for st in report.clauses.values()}


@pytest.mark.skip(reason="known bug, not fixed: the second forked worker process sometimes never answers "
                  "(its first call; 2-3 of 8 runs under pytest -n 4, 1 of 4 one at a time, on 0a48375 too); "
                  "a fork of the multithreaded agent is suspected of inheriting a held lock")
def test_worker_processes_are_processes_that_share_the_objects(tmp_path: Path) -> None:
    """``--workers processes``: each worker runs in its own process (not the agent's), forked
    after the objects it uses were made, so that a lock one holds is held for the other."""
    (tmp_path / "pidmod.py").write_text(
        "import os\nfrom multiprocessing import Lock\ndef getpid():\n    return os.getpid()\n"
    )
    client = AgentClient.start(sys.executable, module="pidmod", paths=(str(tmp_path),), workers="processes")
    try:
        def result(call_id: int) -> object:
            while True:
                ev = client.next_event(timeout=60.0)  # one-sided: a fork under load took over 10 s
                assert ev is not None, f"no answer in 60 s to call {call_id}"
                if ev.get("id") == call_id and ev["ev"] in ("return", "raise", "error"):
                    return ev.get("value", ev)

        client.send({"cmd": "call", "id": 1, "obj": 0, "op": "getpid", "worker": 1})
        client.send({"cmd": "call", "id": 2, "obj": 0, "op": "getpid", "worker": 2})
        pids = {result(1), result(2), client.hello.pid}
        assert len(pids) == 3, pids
        client.send({"cmd": "new", "obj": 1, "kind": "Lock"})
        client.send({"cmd": "call", "id": 3, "obj": 1, "op": "acquire", "worker": 1})
        assert result(3) is True
        client.send({"cmd": "call", "id": 4, "obj": 1, "op": "acquire", "args": [False], "worker": 2})
        assert result(4) is False
        client.send({"cmd": "call", "id": 5, "obj": 1, "op": "release", "worker": 1})
        assert result(5) is None
        client.send({"cmd": "call", "id": 6, "obj": 1, "op": "acquire", "args": [False], "worker": 2})
        assert result(6) is True
    finally:
        client.close()


def test_a_run_under_green_workers_starts_without_an_earlier_thread_s_trace_function() -> None:
    """gevent's green threads share their OS thread's trace function: the hook a Thread of one run
    installs before its run() stays installed for the agent and every later run's threads (a
    deviation of gevent's: docs/deviations/gevent/). A run starts without it, so that what a run's
    Thread sees does not depend on which runs came before it on the same agent."""
    a = ADAPTERS["gevent"]
    if importlib.util.find_spec(a.requires) is None:
        pytest.skip("gevent is not installed")
    client = AgentClient.start(sys.executable, prelude=a.prelude, workers=a.workers, timeout=60.0)
    try:
        def answer(key: str, value: Any, kinds: tuple[str, ...]) -> dict[str, Any]:
            """The next event whose ``key`` is ``value`` and whose kind is one of ``kinds``."""
            while True:
                got = client.next_event(timeout=30.0)  # one-sided: reached only when the test fails
                assert got is not None, "no answer in 30 s"
                if got.get(key) == value and got["ev"] in kinds:
                    return got

        seen = []
        for run, hook in ((1, {"hook": "trace"}), (2, None)):
            client.send({"cmd": "new", "obj": run, "kind": "Thread", "kwargs": {"target": {"gate": run}},
                         "run": True})
            assert answer("obj", run, ("created", "raise", "error"))["ev"] == "created"
            settrace = {"cmd": "call", "id": 10 * run, "obj": 0, "op": "settrace", "args": [hook],
                        "worker": 1}
            client.send(settrace)
            assert answer("id", 10 * run, ("return", "raise"))["ev"] == "return"
            client.send({"cmd": "call", "id": 10 * run + 1, "obj": run, "op": "start", "worker": 1})
            seen.append(answer("gate", run, ("gate-enter",))["trace"])
            client.send({"cmd": "open", "gate": run, "raise": None})
            assert answer("id", 10 * run + 1, ("return", "raise"))["ev"] == "return"
        assert seen == [{"hook": "trace"}, None]
    finally:
        client.close()


def test_the_gevent_agent_reads_its_commands_without_the_module_s_hooks() -> None:
    """gevent's threadpool runs each task with threading's trace and profile hooks: reading stdin
    there, the agent ended at its next read once a scenario had stored a hook that is no function
    (settrace('trace'), read back by gettrace()). It reads in a thread of its own."""
    a = ADAPTERS["gevent"]
    if importlib.util.find_spec(a.requires) is None:
        pytest.skip("gevent is not installed")
    client = AgentClient.start(sys.executable, prelude=a.prelude, workers=a.workers, timeout=60.0)
    try:
        client.send({"cmd": "call", "id": 1, "obj": 0, "op": "settrace", "args": ["trace"], "worker": 1})
        client.send({"cmd": "call", "id": 2, "obj": 0, "op": "setprofile", "args": ["profile"], "worker": 1})
        client.send({"cmd": "call", "id": 3, "obj": 0, "op": "gettrace", "worker": 2})
        client.send({"cmd": "ping", "id": 4})
        seen: dict[int, dict[str, Any]] = {}
        while 4 not in seen:
            ev = client.next_event(timeout=30.0)  # one-sided: reached only when the test fails
            assert ev is not None and ev["ev"] != "exit", (ev, seen)
            if ev["ev"] in ("return", "pong"):
                seen[ev["id"]] = ev
        assert seen[3]["value"] == "trace" and seen[4]["ev"] == "pong"
    finally:
        client.close()
