"""The agent's wire format, in one place (``PROTOCOL.md`` tells it in prose).

The agent (``agent.py``) reads commands and writes events, one JSON object a line;
``agent_client.py`` moves those objects to and from the process. This module turns
the spec's vocabulary into commands (``new_object``, ``calls``, ``open_gate``…, with
``encode`` for argument values) and the agent's events into typed values (``Hello``,
``Created``, ``Invoked``, ``Completed``, ``GateEntered``, ``ThreadExited``, ``Fatal``,
``Exited``, with ``decode`` for result values), so that the driver orchestrates and
the checker sees spec values, never JSON.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from spec.values import Call, Gate, Hook, New, Original, Outcome, Raised, Returned

Command = dict[str, Any]
"""A command as it goes on the wire: a JSON object."""

RawEvent = dict[str, Any]
"""An event as it came off the wire: a JSON object (or the client's own ``exit``)."""

MODULE = 0
"""Object 0: the module under test (a call on it calls a module function)."""

MODULE_OP = "module."
"""A spec op ``module.NAME`` is the module function ``NAME``: a call on object 0."""

QUIT: Command = {"cmd": "quit"}
"""The agent exits at once, whatever its workers are blocked in."""

ENTERED_EXTRAS = ("ident", "native_id", "profile", "trace", "context")
"""What ``gate-enter`` reports of a thread that is not a worker, beside the arguments: its
``get_ident()`` and OS thread id, its ``sys.gettrace()`` / ``sys.getprofile()``, and (3.7+) what
the agent's context variable reads in it (3.14's Thread context argument)."""


# -- values -------------------------------------------------------------------


class Gates:
    """The agent's ids for the spec's gates (``Gate(n)``). Each run numbers its gates
    afresh (``start_run``), from a counter that lasts the whole session, so that a gate
    an earlier run left open, or a thread still waiting in one, is never the current run's."""

    def __init__(self) -> None:
        self._next = 1
        self.of_run: dict[int, int] = {}
        """The current run's gates: spec gate id -> agent gate id."""

    def start_run(self) -> None:
        self.of_run = {}

    def agent_id(self, gate: int) -> int:
        """The agent's id of the current run's gate ``gate`` (numbered on first use)."""
        if gate not in self.of_run:
            self.of_run[gate] = self._next
            self._next += 1
        return self.of_run[gate]

    def spec_id(self, agent_gate: object) -> int | None:
        """The spec's id of agent gate ``agent_gate``, if it is one of the current run's."""
        return next((g for g, a in self.of_run.items() if a == agent_gate), None)

    def any_of_run(self, agent_gates: Iterable[int]) -> bool:
        return bool(set(agent_gates) & set(self.of_run.values()))


def encode(v: Any, gates: Gates) -> Any:
    """Spec argument value → JSON value (``New``, ``Gate``, ``Hook`` as PROTOCOL.md's Values)."""
    if isinstance(v, New):
        return {"new": v.kind, "args": [encode(a, gates) for a in v.args]}
    if isinstance(v, Gate):
        return {"gate": gates.agent_id(v.id)}
    if isinstance(v, Hook):
        return {"hook": v.name}
    if isinstance(v, Original):
        return {"original": v.name}
    if isinstance(v, tuple):
        return [encode(a, gates) for a in v]
    return v


def decode(v: Any) -> Any:
    """JSON result value → spec value (lists become tuples)."""
    if isinstance(v, list):
        return tuple(decode(x) for x in v)
    if isinstance(v, dict):
        if "ref" in v:
            return ("ref", v["ref"])
        if set(v) == {"hook"}:
            return Hook(str(v["hook"]))
        if "thread" in v:  # a Thread of the module: its summary (PROTOCOL.md, Values)
            return ("thread", decode(v["thread"]))
        if "type" in v:
            return ("object", v["type"])
        return tuple(sorted((k, decode(x)) for k, x in v.items()))
    return v


# -- commands -----------------------------------------------------------------


def _arguments(c: Call, gates: Gates) -> Command:
    return {"args": [encode(a, gates) for a in c.args], "kwargs": {k: encode(v, gates) for k, v in c.kwargs}}


def new_object(obj: int, kind: str, init: Call, gates: Gates) -> Command:
    """``new``: create object ``obj`` of the module's ``kind`` with ``init``'s arguments, as the
    first command of a run (``run``: the agent first puts back the module's own hooks)."""
    return {"cmd": "new", "obj": obj, "kind": kind, "run": True, **_arguments(init, gates)}


def invocation(cid: int, obj: int, c: Call, gates: Gates) -> Command:
    """One call of a ``call``/``calls`` command: ``c``, numbered ``cid``, on object ``obj``
    (an op ``module.NAME`` calls the module function ``NAME``)."""
    target, op = (MODULE, c.op[len(MODULE_OP) :]) if c.op.startswith(MODULE_OP) else (obj, c.op)
    return {"id": cid, "obj": target, "op": op, **_arguments(c, gates)}


@dataclass(frozen=True)
class ByWorker:
    """Calls made by the agent's worker ``worker``."""

    worker: int


@dataclass(frozen=True)
class ByGateThread:
    """Calls made by the thread (not a worker) waiting in agent gate ``gate``."""

    gate: int


def calls(caller: ByWorker | ByGateThread, invocations: Sequence[Command]) -> Command:
    """``call`` (one invocation) or ``calls`` (several, made back to back) by ``caller``."""
    who = {"worker": caller.worker} if isinstance(caller, ByWorker) else {"gate": caller.gate}
    if len(invocations) == 1:
        return {"cmd": "call", **who, **invocations[0]}
    return {"cmd": "calls", **who, "calls": list(invocations)}


def open_gate(gate: int, raises: str | None = None) -> Command:
    """``open``: agent gate ``gate`` returns ``None`` (or raises the builtin ``raises``)."""
    return {"cmd": "open", "gate": gate, "raise": raises}


# -- events -------------------------------------------------------------------


@dataclass(frozen=True)
class Hello:
    """The agent's first event: who it runs in and what it imported (``t``, ``file``, ``pid``,
    ``executable`` and ``watches_threads`` as sent)."""

    t: float
    python: tuple[Any, ...]
    """``sys.version_info`` as a tuple: ``(3, 11, 7, "final", 0)``."""
    implementation: str
    module: str
    file: str | None
    """The module's source file (absolute), or None when it has none."""
    pid: int | None = None
    executable: str | None = None
    watches_threads: bool | None = None
    """True: the agent reports ``thread-exit`` (it can watch OS threads); None: it did not say."""
    gil: bool | None = None
    """Whether a GIL serialises the target's threads (False: real parallelism; None: unknown)."""
    free_threaded_build: bool | None = None
    """True: a CPython built with ``--disable-gil`` (``Py_GIL_DISABLED``), whether or not its GIL
    was re-enabled at run time; None: the agent did not say."""
    clock_resolution: float | None = None
    """The smallest step of the agent's clock (seconds), at most ``MAX_CLOCK_RESOLUTION``; None:
    not said (or not a number in range)."""

    @property
    def version(self) -> str:
        """``"3.11.7"`` (``"0.0"`` when the agent did not say)."""
        return ".".join(str(x) for x in (self.python or (0, 0))[:3])


@dataclass(frozen=True)
class Created:
    """``created`` / ``create-raised``: the constructor of object ``obj`` returned (outcome
    ``Returned(None)``) or raised."""

    t: float
    obj: int
    outcome: Outcome
    mro: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Invoked:
    """``invoke``: call ``id`` is about to start."""

    t: float
    id: int | str | None


@dataclass(frozen=True)
class Completed:
    """``return`` / ``raise``: call ``id`` has just ended with ``outcome``."""

    t: float
    id: int | str | None
    outcome: Outcome
    mro: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class GateEntered:
    """``gate-enter``: a thread called agent gate ``gate``; ``worker`` is None when it is
    not a worker (a ``Thread``'s own thread), and then ``args``/``kwargs`` are what it called
    the gate with and ``extras`` what it reported of itself (``ENTERED_EXTRAS``, decoded).
    ``args`` is None where the agent did not report the arguments."""

    t: float
    gate: Any
    worker: int | None
    args: tuple[Any, ...] | None = None
    kwargs: tuple[tuple[str, Any], ...] = ()
    extras: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class ThreadExited:
    """``thread-exit``: the OS thread that called ``gates`` (not a worker) is gone. ``reported``:
    what the agent kept of it, as ``thread.exited``'s keyword arguments: ``stderr``, the text it
    wrote to sys.stderr, and ``sys_excepthook``, the class names sys.excepthook was called with in
    it (agents that do not keep them send neither)."""

    t: float
    gates: tuple[int, ...]
    reported: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Fatal:
    """``fatal``: the prelude or the import failed; the agent exits."""

    error: str


@dataclass(frozen=True)
class Exited:
    """``exit``, made by the client, not the agent: the agent's stdout has ended."""

    returncode: int | None
    stderr: str

    def describe(self) -> str:
        """``exit status N``, with the last line of stderr."""
        tail = self.stderr.strip().splitlines()[-1:]
        return f"exit status {self.returncode}{': ' + tail[0] if tail else ''}"


@dataclass(frozen=True)
class Other:
    """Any other event (``pong``, ``error``, ``gate-exit``…): nothing the driver acts on."""

    kind: str
    fields: RawEvent


Event = Hello | Created | Invoked | Completed | GateEntered | ThreadExited | Fatal | Exited | Other


def exit_event(returncode: int | None, stderr: str) -> RawEvent:
    """The client's own last event, when the agent's stdout ends."""
    return {"ev": "exit", "returncode": returncode, "stderr": stderr}


def _names(ev: RawEvent, key: str) -> tuple[str, ...]:
    return tuple(ev.get(key) or ())


def parse_hello(ev: RawEvent) -> Hello:
    return Hello(
        t=ev.get("t", 0.0),
        python=tuple(ev.get("python") or ()),
        implementation=str(ev.get("implementation")),
        module=str(ev.get("module")),
        file=ev.get("file"),
        pid=ev.get("pid"),
        executable=ev.get("executable"),
        watches_threads=ev.get("watches_threads"),
        gil=ev.get("gil"),
        free_threaded_build=ev.get("free_threaded_build"),
        clock_resolution=_resolution(ev.get("clock_resolution")),
    )


MAX_CLOCK_RESOLUTION = 0.016
"""The coarsest clock step an agent is believed (a Windows tick): it only ever makes the early-
timeout check more lenient, so a larger claim is not taken."""


def _resolution(v: object) -> float | None:
    if isinstance(v, bool) or not isinstance(v, int | float) or not 0 <= v <= MAX_CLOCK_RESOLUTION:
        return None
    return float(v)


def _gate_entered(ev: RawEvent) -> GateEntered:
    reported = ev.get("worker") is None and "args" in ev
    return GateEntered(
        float(ev["t"]),
        ev.get("gate"),
        ev.get("worker"),
        decode(ev["args"]) if reported else None,
        decode(ev.get("kwargs") or {}) if reported else (),
        tuple((k, decode(ev[k])) for k in ENTERED_EXTRAS if k in ev) if reported else (),
    )


def _exit_report(ev: RawEvent) -> tuple[tuple[str, Any], ...]:
    """``thread-exit``'s ``stderr`` (text) and ``sys_excepthook`` (class names), where sent."""
    out: list[tuple[str, Any]] = []
    if isinstance(ev.get("stderr"), str):
        out.append(("stderr", ev["stderr"]))
    hooked = ev.get("sys_excepthook")
    if isinstance(hooked, list):
        out.append(("sys_excepthook", tuple(str(x) for x in hooked)))
    return tuple(out)


def parse_event(ev: RawEvent) -> Event:
    """The typed form of event ``ev``."""
    kind = str(ev.get("ev"))
    if kind == "hello":
        return parse_hello(ev)
    if kind in ("created", "create-raised"):
        raised = kind == "create-raised"
        outcome: Outcome = Raised(str(ev["exc"])) if raised else Returned(None)
        return Created(float(ev["t"]), ev["obj"], outcome, _names(ev, "mro"), _names(ev, "warnings"))
    if kind == "invoke":
        return Invoked(float(ev["t"]), ev.get("id"))
    if kind == "raise":
        outcome = Raised(str(ev["exc"]))
        return Completed(float(ev["t"]), ev.get("id"), outcome, _names(ev, "mro"), _names(ev, "warnings"))
    if kind == "return":
        outcome = Returned(decode(ev.get("value")))
        return Completed(float(ev["t"]), ev.get("id"), outcome, (), _names(ev, "warnings"))
    if kind == "gate-enter":
        return _gate_entered(ev)
    if kind == "thread-exit":
        return ThreadExited(float(ev["t"]), tuple(ev.get("gates") or ()), _exit_report(ev))
    if kind == "fatal":
        return Fatal(str(ev.get("error")))
    if kind == "exit":
        return Exited(ev.get("returncode"), str(ev.get("stderr") or ""))
    return Other(kind, ev)
