"""The wire format (conformance/protocol.py) against PROTOCOL.md's examples (no agent)."""

from __future__ import annotations

from conformance import protocol
from conformance.protocol import (
    ByGateThread,
    ByWorker,
    Completed,
    Created,
    Exited,
    Fatal,
    GateEntered,
    Gates,
    Hello,
    Invoked,
    Other,
    ThreadExited,
    parse_event,
)
from spec.values import Gate, Hook, New, Raised, Returned, call


def test_gates_are_numbered_afresh_each_run_from_one_counter() -> None:
    gates = Gates()
    gates.start_run()
    assert protocol.encode((Gate(1), Gate(2), Gate(1)), gates) == [{"gate": 1}, {"gate": 2}, {"gate": 1}]
    gates.start_run()
    assert protocol.encode(Gate(1), gates) == {"gate": 3}
    assert gates.spec_id(3) == 1 and gates.spec_id(1) is None
    assert gates.any_of_run([2, 3]) and not gates.any_of_run([1, 2])


def test_arguments_are_encoded_as_protocol_md_says() -> None:
    value = (New("Lock"), Hook("trace"), 1.5, None, "x", (1, 2))
    encoded = protocol.encode(value, Gates())
    assert encoded == [{"new": "Lock", "args": []}, {"hook": "trace"}, 1.5, None, "x", [1, 2]]


def test_results_are_decoded_to_spec_values() -> None:
    assert protocol.decode([1, [2, 3]]) == (1, (2, 3))
    assert protocol.decode({"ref": 7}) == ("ref", 7)
    assert protocol.decode({"hook": "trace"}) == Hook("trace")
    assert protocol.decode({"type": "_DummyThread", "module": "threading"}) == ("object", "_DummyThread")
    summary = {"type": "Thread", "module": "threading", "thread": {"name": "t", "daemon": False}}
    assert protocol.decode(summary) == ("thread", (("daemon", False), ("name", "t")))
    assert protocol.decode({"class": "ValueError"}) == (("class", "ValueError"),)


def test_commands() -> None:
    gates = Gates()
    init = call(0, "__init__", Gate(1), timeout=0.5)
    assert protocol.new_object(7, "Barrier", init, gates) == {
        "cmd": "new", "obj": 7, "kind": "Barrier", "args": [{"gate": 1}], "kwargs": {"timeout": 0.5},
        "run": True,
    }
    one = protocol.invocation(17, 7, call(1, "acquire", False), gates)
    assert one == {"id": 17, "obj": 7, "op": "acquire", "args": [False], "kwargs": {}}
    assert protocol.calls(ByWorker(3), [one]) == {"cmd": "call", "worker": 3, **one}
    module = protocol.invocation(18, 7, call(1, "module.active_count"), gates)
    assert module["obj"] == protocol.MODULE and module["op"] == "active_count"
    both = {"cmd": "calls", "gate": 5, "calls": [one, module]}
    assert protocol.calls(ByGateThread(5), [one, module]) == both
    assert protocol.open_gate(5, "ValueError") == {"cmd": "open", "gate": 5, "raise": "ValueError"}


def test_events_are_parsed_into_their_types() -> None:
    hello = parse_event({"ev": "hello", "t": 1.5, "python": [3, 11, 7, "final", 0], "pid": 9,
                         "implementation": "cpython", "module": "threading", "file": "/x/threading.py",
                         "watches_threads": True})
    version = (3, 11, 7, "final", 0)
    assert hello == Hello(1.5, version, "cpython", "threading", "/x/threading.py", 9, None, True)
    assert isinstance(hello, Hello) and hello.version == "3.11.7"
    assert parse_event({"ev": "created", "t": 1, "obj": 7}) == Created(1.0, 7, Returned(None))
    raised = {"ev": "create-raised", "t": 1, "obj": 7, "exc": "ValueError", "mro": ["ValueError"]}
    assert parse_event(raised) == Created(1.0, 7, Raised("ValueError"), ("ValueError",))
    assert parse_event({"ev": "invoke", "t": 2, "id": 17}) == Invoked(2.0, 17)
    ret = {"ev": "return", "t": 3, "id": 17, "value": [1], "warnings": ["DeprecationWarning"]}
    assert parse_event(ret) == Completed(3.0, 17, Returned((1,)), (), ("DeprecationWarning",))
    exc = {"ev": "raise", "t": 3, "id": 17, "exc": "RuntimeError", "mro": ["RuntimeError", "ThreadError"]}
    assert parse_event(exc) == Completed(3.0, 17, Raised("RuntimeError"), ("RuntimeError", "ThreadError"))
    assert parse_event({"ev": "thread-exit", "t": 4, "gates": [1, 2]}) == ThreadExited(4.0, (1, 2))
    assert parse_event({"ev": "fatal", "t": 0, "error": "no module"}) == Fatal("no module")
    assert parse_event(protocol.exit_event(1, "a\nlast\n")) == Exited(1, "a\nlast\n")
    assert Exited(1, "a\nlast\n").describe() == "exit status 1: last"
    assert isinstance(parse_event({"ev": "pong", "t": 0, "id": 9}), Other)


def test_gate_enter_of_a_thread_not_a_worker_carries_its_call() -> None:
    ev = {"ev": "gate-enter", "t": 1, "gate": 5, "worker": None, "args": [{"class": "ValueError"}],
          "kwargs": {"k": 1}, "trace": {"hook": "trace"}, "ident": "caller"}
    extras = (("ident", "caller"), ("trace", Hook("trace")))
    assert parse_event(ev) == GateEntered(1.0, 5, None, ((("class", "ValueError"),),), (("k", 1),), extras)
    worker = parse_event({"ev": "gate-enter", "t": 1, "gate": 5, "worker": 3})
    assert worker == GateEntered(1.0, 5, 3)
