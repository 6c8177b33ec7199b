"""The driver: runs one schedule against a target through its agent, checking as it goes.

After each invocation the driver waits for *quiescence*: the checker knows of a
consistent spec configuration in which nothing more is owed, and then nothing
new arrives for a short settle time. Waits are one-sided: a slow machine makes a
run slower, never wrong. Only a deadline that is reached when something is owed
turns into a violation.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from conformance.checker import (
    Checker,
    CheckerGaveUp,
    Observation,
    Violation,
    decode_value,
    outcome_from_event,
)
from conformance.scenario import calls_of
from spec import PRIMITIVES
from spec.profiles import Profile
from spec.values import (
    ENV,
    GATE_ENTERED,
    THREAD_EXITED,
    Call,
    Gate,
    Hook,
    New,
    Raised,
    Returned,
    ThreadId,
    gate_of,
)

ENTERED_EXTRAS = ("ident", "native_id", "profile", "trace")
"""What ``gate-enter`` reports of a thread that is not a worker, beside the arguments: its
``get_ident()`` and OS thread id, and its ``sys.gettrace()`` / ``sys.getprofile()``."""


class AgentLike(Protocol):
    """What the driver needs of an agent connection (see ``conformance.agent_client``)."""

    def send(self, cmd: dict[str, Any]) -> None: ...

    def next_event(self, timeout: float) -> dict[str, Any] | None: ...


@dataclass(frozen=True)
class Settings:
    """How long the driver waits. All waits are one-sided."""

    settle: float = 0.01
    """Quiet time after quiescence in which no further completion may appear."""
    final_settle: float = 0.05
    """The same after the last step, while calls are still blocked (a late, wrong wakeup
    would otherwise go unseen: the next run ignores the events of this one)."""
    deadline: float = 10.0
    """Longest wait for a completion that the spec says is owed (reached only on failure)."""
    wait_cap: float = 1.0
    """Pending calls with a timeout up to this long are waited for; longer ones are not."""
    poll: float = 0.005


@dataclass
class RunResult:
    """The outcome of one schedule on one target."""

    primitive: str
    init: Call
    steps: tuple[Call, ...]
    violation: Violation | None = None
    failed_step: int | None = None
    exercised: set[str] = field(default_factory=set)
    log: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return self.violation is None


class TargetDied(Exception):
    """The agent stopped answering or exited."""


@dataclass
class Session:
    """Runs schedules on one agent. Objects, workers and gates get fresh agent ids per run;
    idle workers are reused, workers left blocked are abandoned."""

    agent: AgentLike
    profile: Profile
    clock_offset: float = 0.0
    """host ``time.monotonic()`` minus agent clock, estimated from the hello event."""
    settings: Settings = field(default_factory=Settings)
    _next_obj: int = 1
    _next_call: int = 1
    _next_worker: int = 1
    _next_gate: int = 1
    _idle_workers: list[int] = field(default_factory=list)
    _run_gates: dict[int, int] = field(default_factory=dict)
    """The current run's gates: spec gate id -> agent gate id."""
    _exit_seen: bool = False
    """The agent reported that a thread that waited in one of the run's gates has ended."""

    def agent_now(self) -> float:
        """A lower bound of the agent's clock now."""
        return time.monotonic() - self.clock_offset

    # -- encoding -------------------------------------------------------------

    def _encode(self, v: Any, gates: dict[int, int]) -> Any:
        if isinstance(v, New):
            return {"new": v.kind, "args": [self._encode(a, gates) for a in v.args]}
        if isinstance(v, Gate):
            if v.id not in gates:
                gates[v.id] = self._next_gate
                self._next_gate += 1
            return {"gate": gates[v.id]}
        if isinstance(v, Hook):
            return {"hook": v.name}
        if isinstance(v, tuple):
            return [self._encode(a, gates) for a in v]
        return v

    def _worker(self) -> int:
        if self._idle_workers:
            return self._idle_workers.pop()
        w = self._next_worker
        self._next_worker += 1
        return w

    # -- running ----------------------------------------------------------------

    def run(self, primitive: str, init: Call, steps: Sequence[Call]) -> RunResult:
        """Run ``init`` then ``steps`` against the target; stop at the first violation."""
        started = time.monotonic()
        res = RunResult(primitive, init, tuple(steps))
        try:
            self._run(res)
        except CheckerGaveUp as e:
            res.violation = Violation("gave-up", None, None, None, str(e), [])
        res.seconds = time.monotonic() - started
        return res

    def _run(self, res: RunResult) -> None:
        spec = PRIMITIVES[res.primitive]
        checker = Checker(spec)
        gates: dict[int, int] = {}
        self._run_gates, self._exit_seen = gates, False
        obj = self._next_obj
        self._next_obj += 1
        self.agent.send(
            {
                "cmd": "new",
                "obj": obj,
                "kind": res.primitive,
                "args": [self._encode(a, gates) for a in res.init.args],
                "kwargs": {k: self._encode(v, gates) for k, v in res.init.kwargs},
            }
        )
        ev = self._wait_for(lambda e: e.get("obj") == obj and e["ev"] in ("created", "create-raised"))
        if ev is None:
            res.violation = Violation(
                "missing-completion", None, None, res.init, "the constructor did not return", []
            )
            res.failed_step = -1
            return
        observed = Raised(str(ev["exc"])) if ev["ev"] == "create-raised" else Returned(None)
        mro = tuple(ev.get("mro") or ())
        res.log.append(f"{res.primitive}{_args(res.init)} -> {observed!r}")
        v = checker.created(
            self.profile, res.init, observed, mro, tuple(ev.get("warnings") or ()), float(ev["t"])
        )
        if v is not None:
            res.violation, res.failed_step = v, -1
            return
        if not checker.alive:
            res.exercised = checker.exercised_clauses()
            return
        workers: dict[ThreadId, int] = {}
        calls: dict[int, Call] = {}
        for i, step in enumerate(res.steps):
            if step.thread == ENV and step.op == THREAD_EXITED:
                res.log.append(f"env {step.op}: waiting for the thread's end")
                v = self._await_exit(checker, calls, res)
            elif step.thread == ENV:
                self._environment(step, gates)
                res.log.append(f"env {step.op}{_args(step)}")
                v = checker.environment(step, self.agent_now())
            elif step.thread in checker.pending or step.thread in {c.thread for c in calls.values()}:
                res.log.append(f"{step!r} skipped: t{step.thread} is still blocked")
                continue
            else:
                # a thread below ENV waits in a gate (a Thread's own thread): its calls go there
                own_gate = gate_of(step.thread)
                if own_gate is not None:
                    who: dict[str, Any] = {"gate": self._encode(Gate(own_gate), gates)["gate"]}
                else:
                    if step.thread not in workers:
                        workers[step.thread] = self._worker()
                    who = {"worker": workers[step.thread]}
                sent = []
                for part in calls_of(step):  # several calls of a back_to_back step, in one command
                    cid = self._next_call
                    self._next_call += 1
                    calls[cid] = part
                    target, op = (
                        (0, part.op[len("module.") :]) if part.op.startswith("module.") else (obj, part.op)
                    )
                    sent.append(
                        {
                            "id": cid,
                            "obj": target,
                            "op": op,
                            "args": [self._encode(a, gates) for a in part.args],
                            "kwargs": {k: self._encode(x, gates) for k, x in part.kwargs},
                        }
                    )
                if len(sent) == 1:
                    self.agent.send({"cmd": "call", **who, **sent[0]})
                else:
                    self.agent.send({"cmd": "calls", **who, "calls": sent})
                v = None
            if v is None:
                last = i == len(res.steps) - 1
                settle = self.settings.final_settle if last and checker.pending else self.settings.settle
                v = self._quiesce(checker, calls, res, settle)
            if v is not None:
                res.violation, res.failed_step = v, i
                break
        busy = {c.thread for c in calls.values()} | set(checker.pending)
        self._idle_workers.extend(w for t, w in workers.items() if t not in busy)
        res.exercised = checker.exercised_clauses()

    def module_has(self, name: str) -> bool:
        """Does the module under test have attribute ``name``?"""
        cid = self._next_call
        self._next_call += 1
        worker = self._worker()
        self.agent.send(
            {
                "cmd": "call",
                "id": cid,
                "worker": worker,
                "obj": 0,
                "op": f"get:{name}",
                "args": [],
                "kwargs": {},
            }
        )
        ev = self._wait_for(lambda e: e.get("id") == cid and e["ev"] in ("return", "raise"))
        if ev is not None:
            self._idle_workers.append(worker)
        return ev is not None and ev["ev"] == "return"

    def _environment(self, step: Call, gates: dict[int, int]) -> None:
        if step.op != "gate.open":
            raise ValueError(f"unknown environment call {step!r}")
        gate = self._encode(Gate(int(step.args[0])), gates)["gate"]
        raises = step.args[1] if len(step.args) > 1 else None
        self.agent.send({"cmd": "open", "gate": gate, "raise": raises})

    def _await_exit(self, checker: Checker, calls: dict[int, Call], res: RunResult) -> Violation | None:
        """Wait for the agent to report the end of a thread that waited in one of the run's
        gates (``THREAD_EXITED``), handling events meanwhile. Where the agent cannot watch
        threads, or the report does not come by the deadline, nothing is checked."""
        hello = getattr(self.agent, "hello", None)
        if not (isinstance(hello, dict) and hello.get("watches_threads")):
            return None
        end = time.monotonic() + self.settings.deadline
        while not self._exit_seen and time.monotonic() < end:
            ev = self.agent.next_event(timeout=self.settings.poll)
            if ev is not None:
                v = self._handle(ev, checker, calls, res)
                if v is not None:
                    return v
        return None

    def _wait_for(self, pred: Any) -> dict[str, Any] | None:
        end = time.monotonic() + self.settings.deadline
        while time.monotonic() < end:
            ev = self.agent.next_event(timeout=min(0.1, max(0.0, end - time.monotonic())))
            if ev is not None and ev.get("ev") in ("exit", "fatal"):
                raise TargetDied(str(ev.get("error") or f"exit status {ev.get('returncode')}"))
            if ev is not None and pred(ev):
                return ev
        return None

    def _handle(
        self, ev: dict[str, Any], checker: Checker, calls: dict[int, Call], res: RunResult
    ) -> Violation | None:
        kind = ev.get("ev")
        cid = ev.get("id")
        if kind in ("invoke", "return", "raise") and isinstance(cid, int) and cid in calls:
            c = calls[cid]
            if kind == "invoke":
                checker.invoked(c, float(ev["t"]))
                return None
            outcome, mro, warnings = outcome_from_event(ev)
            del calls[cid]
            w = f" (warns {', '.join(warnings)})" if warnings else ""
            res.log.append(f"{c!r} -> {outcome!r}{w}")
            return checker.completed(Observation(c.thread, outcome, float(ev["t"]), mro, warnings))
        if kind == "gate-enter" and ev.get("worker") is None and "args" in ev:
            # a thread not of the schedule (a Thread's own) called one of the run's gates
            gate = next((g for g, a in self._run_gates.items() if a == ev.get("gate")), None)
            if gate is not None and GATE_ENTERED in checker.spec.ops(self.profile):
                args, kwargs = decode_value(ev["args"]), decode_value(ev.get("kwargs") or {})
                # the thread's sys.gettrace() / sys.getprofile() as it entered (agents before
                # these were reported send neither)
                hooks = tuple((k, decode_value(ev[k])) for k in ENTERED_EXTRAS if k in ev)
                entered = Call(ENV, GATE_ENTERED, (gate, args, kwargs), hooks)
                res.log.append(f"env {entered!r} (the agent saw the call)")
                return checker.environment(entered, float(ev["t"]))
            return None
        if kind == "thread-exit" and set(ev.get("gates") or ()) & set(self._run_gates.values()):
            self._exit_seen = True
            if THREAD_EXITED in checker.spec.ops(self.profile):
                res.log.append(f"env {THREAD_EXITED} (the agent saw the thread end)")
                return checker.environment(Call(ENV, THREAD_EXITED), float(ev["t"]))
            return None
        if kind == "fatal":
            raise TargetDied(str(ev.get("error")))
        if kind == "exit":
            tail = str(ev.get("stderr") or "").strip().splitlines()[-1:]
            raise TargetDied(f"exit status {ev.get('returncode')}{': ' + tail[0] if tail else ''}")
        return None

    def _quiesce(
        self, checker: Checker, calls: dict[int, Call], res: RunResult, settle: float
    ) -> Violation | None:
        s = self.settings
        start = self.agent_now()
        quiet_since: float | None = None
        while True:
            ev = self.agent.next_event(timeout=s.poll)
            if ev is not None:
                quiet_since = None
                v = self._handle(ev, checker, calls, res)
                if v is not None:
                    return v
                continue
            now = self.agent_now()
            not_started = [c for c in calls.values() if c.thread not in checker.pending]
            if not not_started and checker.settled(now, s.wait_cap):
                if quiet_since is None:
                    quiet_since = now
                elif now - quiet_since >= settle:
                    return None
                continue
            quiet_since = None
            expiries = checker.short_timeouts_pending(s.wait_cap)
            deadline = max([start, *expiries]) + s.deadline
            if now > deadline:
                if not_started:
                    return Violation(
                        "missing-completion",
                        None,
                        not_started[0].thread,
                        not_started[0],
                        "the call was never started by the agent",
                        [],
                    )
                return checker.owed(now, s.wait_cap)


def _args(c: Call) -> str:
    parts = [repr(a) for a in c.args] + [f"{k}={v!r}" for k, v in c.kwargs]
    return f"({', '.join(parts)})"
