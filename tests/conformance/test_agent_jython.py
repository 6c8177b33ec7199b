"""The agent runs unchanged on Jython 2.7 (Debian's ``jython``), which has no ``os.dup``.

Only what the agent itself needs is tested here: it says hello, drives a Lock from its
workers, and keeps what Python code prints out of the protocol. Whether Jython's threading
conforms is the checker's business, not this file's.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from conformance import exit_probe
from conformance.agent_client import AgentClient
from tests.conformance.test_agent import START_TIMEOUT, Agent


@pytest.fixture
def jython() -> str:
    exe = shutil.which("jython")
    if exe is None:
        pytest.skip("jython is not installed on this machine (Debian package jython)")
    return exe


def _agent(exe: str, **kw: object) -> Iterator[Agent]:
    client = AgentClient.start(exe, timeout=START_TIMEOUT, **kw)
    try:
        yield Agent(client, tuple(client.hello.python[:3]))
    finally:
        client.close()


def test_hello_names_jython(jython: str) -> None:
    for a in _agent(jython):
        h = a.client.hello
        assert h.implementation == "jython"
        assert tuple(h.python[:2]) == (2, 7)
        assert h.module == "threading"


def test_workers_drive_a_lock(jython: str) -> None:
    for a in _agent(jython):
        lock = a.obj("Lock")
        assert a.value(1, lock, "acquire") is True
        blocked = a.call(2, lock, "acquire")
        a.event("invoke", id=blocked)
        assert a.value(1, lock, "release") is None
        done = a.result(blocked)
        assert (done["ev"], done["value"]) == ("return", True)


def test_printed_output_goes_to_stderr_not_into_the_protocol(jython: str) -> None:
    for a in _agent(jython, prelude="print('junk-print')"):
        a.sync()
        assert a.client.noise == []
        assert "junk-print" in a.client.stderr_tail()


def test_exit_probe_runs_on_jython(jython: str) -> None:
    """Jython has no descriptor 1 for ``os.write``: the probe must still print its lines (it
    used to fail at once and leave its non-daemon threads blocked, spending 20 s of the budget
    for nothing)."""
    res = exit_probe.run(jython)
    assert res.ran, res.log
    assert res.broken is None, (res.observed, res.log)


def test_hello_reports_a_fine_clock(jython: str) -> None:
    """Jython's time.time() steps by a millisecond: the agent stamps with time.clock() (the
    JVM's nanoTime) and says how fine it is, well under a millisecond."""
    for a in _agent(jython):
        res = a.client.hello.clock_resolution
        assert res is not None and 0 < res < 0.0005


def test_the_dummy_thread_of_a_worker_is_summarised(jython: str) -> None:
    """In a thread not started by threading, Jython's current_thread() is a
    ``threading.JavaThread`` (Thread's base, not a Thread): the agent summarises it as a
    thread of the module, so the checker can judge it rather than give up on it."""
    for a in _agent(jython):
        dummy = a.value(1, 0, "current_thread")
        assert (dummy["type"], dummy["module"]) == ("JavaThread", "threading")
        assert dummy["thread"]["ident"] == "caller"
        assert isinstance(dummy["thread"]["name"], str) and isinstance(dummy["thread"]["daemon"], bool)
