"""The driver: runs one schedule against a target through its agent, checking as it goes.

After each invocation the driver waits for *quiescence*: the checker knows of a
consistent spec configuration in which nothing more is owed, and then nothing
new arrives for a short settle time. Waits are one-sided: a slow machine makes a
run slower, never wrong. Only a deadline that is reached when something is owed
turns into a violation. What goes to and comes from the agent is built and read
by ``conformance.protocol``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from conformance import protocol
from conformance.checker import (
    Checker,
    CheckerGaveUp,
    Observation,
    Violation,
    ViolationKind,
    expiry_tolerance,
    within_the_profile,
)
from conformance.protocol import (
    ByGateThread,
    ByWorker,
    Completed,
    Created,
    Event,
    Exited,
    Fatal,
    GateEntered,
    Hello,
    Invoked,
    Other,
    ThreadExited,
)
from conformance.scenario import arguments_text, calls_of
from spec import PRIMITIVES
from spec.profiles import Profile
from spec.values import ENV, GATE_ENTERED, THREAD_EXITED, Call, Returned, ThreadId, gate_of

E = TypeVar("E", bound=Event)


class AgentLike(Protocol):
    """What the driver needs of an agent connection (see ``conformance.agent_client``)."""

    @property
    def hello(self) -> Hello: ...

    @property
    def clock_offset(self) -> float:
        """Host ``time.monotonic()`` minus the agent's clock."""
        ...

    def send(self, cmd: protocol.Command) -> None: ...

    def next_event(self, timeout: float) -> protocol.RawEvent | None: ...


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
class _Ongoing:
    """The run in progress: the object under test, its checker, and the calls sent."""

    obj: int
    checker: Checker
    res: RunResult
    workers: dict[ThreadId, int] = field(default_factory=dict)
    """The run's threads -> the agent's workers that make their calls."""
    calls: dict[int, Call] = field(default_factory=dict)
    """Calls sent and not yet completed, by call id."""
    exit_seen: bool = False
    """The agent reported that a thread that waited in one of the run's gates has ended."""

    def busy(self) -> set[ThreadId]:
        """Threads with a call not completed (sent, or pending in the checker)."""
        return {c.thread for c in self.calls.values()} | set(self.checker.pending)


@dataclass
class Session:
    """Runs schedules on one agent. Objects, workers and gates get fresh agent ids per run;
    idle workers are reused, workers left blocked are abandoned."""

    agent: AgentLike
    profile: Profile
    settings: Settings = field(default_factory=Settings)
    _next_obj: int = 1
    _next_call: int = 1
    _next_worker: int = 1
    _gates: protocol.Gates = field(default_factory=protocol.Gates)
    _idle_workers: list[int] = field(default_factory=list)

    def agent_now(self) -> float:
        """A lower bound of the agent's clock now."""
        return time.monotonic() - self.agent.clock_offset

    # -- running ----------------------------------------------------------------

    def run(self, primitive: str, init: Call, steps: Sequence[Call]) -> RunResult:
        """Run ``init`` then ``steps`` against the target; stop at the first violation."""
        started = time.monotonic()
        res = RunResult(primitive, init, tuple(steps))
        try:
            self._run(res)
        except CheckerGaveUp as e:
            res.violation = Violation(ViolationKind.GAVE_UP, None, None, None, str(e), [])
        res.violation = within_the_profile(res.violation, self.profile)
        res.seconds = time.monotonic() - started
        return res

    def module_has(self, name: str) -> bool | None:
        """Does the module under test have attribute ``name``? None: no answer by the deadline
        (the agent's worker thread did not run the read)."""
        cid, worker = self._call_id(), self._worker()
        read = protocol.invocation(cid, protocol.MODULE, Call(0, f"get:{name}"), self._gates)
        self.agent.send(protocol.calls(ByWorker(worker), [read]))
        ev = self._wait_for(Completed, lambda e: e.id == cid)
        if ev is None:
            return None
        self._idle_workers.append(worker)
        return isinstance(ev.outcome, Returned)

    def _run(self, res: RunResult) -> None:
        self._gates.start_run()
        tolerance = expiry_tolerance(self.agent.hello.clock_resolution)
        run = _Ongoing(self._next_obj, Checker(PRIMITIVES[res.primitive], tolerance=tolerance), res)
        self._next_obj += 1
        if not self._create(run):
            return
        for i, step in enumerate(res.steps):
            v = self._step(run, step, last=i == len(res.steps) - 1)
            if v is not None:
                res.violation, res.failed_step = v, i
                break
        busy = run.busy()
        self._idle_workers.extend(w for t, w in run.workers.items() if t not in busy)
        res.exercised = run.checker.exercised_clauses()

    def _create(self, run: _Ongoing) -> bool:
        """Construct the object under test; False when the run ends with that."""
        res, checker = run.res, run.checker
        self.agent.send(protocol.new_object(run.obj, res.primitive, res.init, self._gates))
        ev = self._wait_for(Created, lambda e: e.obj == run.obj)
        if ev is None:
            res.violation = Violation(
                ViolationKind.MISSING_COMPLETION, None, None, res.init, "the constructor did not return", []
            )
            res.failed_step = -1
            return False
        res.log.append(f"{res.primitive}{arguments_text(res.init)} -> {ev.outcome!r}")
        v = checker.created(self.profile, res.init, ev.outcome, ev.mro, ev.warnings, ev.t)
        if v is not None:
            res.violation, res.failed_step = v, -1
            return False
        if not checker.alive:
            res.exercised = checker.exercised_clauses()
            return False
        return True

    def _step(self, run: _Ongoing, step: Call, last: bool) -> Violation | None:
        """Make one step of the schedule and wait for quiescence (a step of a thread that is
        still blocked is skipped)."""
        if step.thread == ENV and step.op == THREAD_EXITED:
            run.res.log.append(f"env {step.op}: waiting for the thread's end")
            v = self._await_exit(run)
        elif step.thread == ENV:
            self.agent.send(self._environment(step))
            run.res.log.append(f"env {step.op}{arguments_text(step)}")
            v = run.checker.environment(step, self.agent_now())
        elif step.thread in run.busy():
            run.res.log.append(f"{step!r} skipped: t{step.thread} is still blocked")
            return None
        else:
            self.agent.send(self._calls(run, step))
            v = None
        if v is not None:
            return v
        settle = self.settings.final_settle if last and run.checker.pending else self.settings.settle
        return self._quiesce(run, settle)

    # -- commands ---------------------------------------------------------------

    def _call_id(self) -> int:
        cid = self._next_call
        self._next_call += 1
        return cid

    def _worker(self) -> int:
        if self._idle_workers:
            return self._idle_workers.pop()
        w = self._next_worker
        self._next_worker += 1
        return w

    def _calls(self, run: _Ongoing, step: Call) -> protocol.Command:
        """The command that makes ``step``'s calls (several for a back_to_back step), by the
        thread's worker, or, for a thread below ENV, by the thread waiting in its gate."""
        own_gate = gate_of(step.thread)
        caller: ByWorker | ByGateThread
        if own_gate is not None:
            caller = ByGateThread(self._gates.agent_id(own_gate))
        else:
            if step.thread not in run.workers:
                run.workers[step.thread] = self._worker()
            caller = ByWorker(run.workers[step.thread])
        sent = []
        for part in calls_of(step):
            cid = self._call_id()
            run.calls[cid] = part
            sent.append(protocol.invocation(cid, run.obj, part, self._gates))
        return protocol.calls(caller, sent)

    def _environment(self, step: Call) -> protocol.Command:
        if step.op != "gate.open":
            raise ValueError(f"unknown environment call {step!r}")
        raises = step.args[1] if len(step.args) > 1 else None
        return protocol.open_gate(self._gates.agent_id(int(step.args[0])), raises)

    # -- events -----------------------------------------------------------------

    def _next_event(self, timeout: float) -> Event | None:
        raw = self.agent.next_event(timeout=timeout)
        return None if raw is None else protocol.parse_event(raw)

    def _wait_for(self, kind: type[E], match: Callable[[E], bool]) -> E | None:
        """The first event of ``kind`` that ``match``es, within the deadline (others are dropped)."""
        end = time.monotonic() + self.settings.deadline
        while time.monotonic() < end:
            ev = self._next_event(timeout=min(0.1, max(0.0, end - time.monotonic())))
            if isinstance(ev, Fatal):
                raise TargetDied(ev.error)
            if isinstance(ev, Exited):
                raise TargetDied(f"exit status {ev.returncode}")
            if isinstance(ev, kind) and match(ev):
                return ev
        return None

    def _await_exit(self, run: _Ongoing) -> Violation | None:
        """Wait for the agent to report the end of a thread that waited in one of the run's
        gates (``THREAD_EXITED``), handling events meanwhile. Where the agent cannot watch
        threads, or the report does not come by the deadline, nothing is checked."""
        if not self.agent.hello.watches_threads:
            return None
        end = time.monotonic() + self.settings.deadline
        while not run.exit_seen and time.monotonic() < end:
            ev = self._next_event(timeout=self.settings.poll)
            if ev is not None:
                v = self._handle(ev, run)
                if v is not None:
                    return v
        return None

    def _handle(self, ev: Event, run: _Ongoing) -> Violation | None:
        checker, res = run.checker, run.res
        if isinstance(ev, Invoked | Completed) and isinstance(ev.id, int) and ev.id in run.calls:
            c = run.calls[ev.id]
            if isinstance(ev, Invoked):
                checker.invoked(c, ev.t)
                return None
            del run.calls[ev.id]
            w = f" (warns {', '.join(ev.warnings)})" if ev.warnings else ""
            res.log.append(f"{c!r} -> {ev.outcome!r}{w}")
            v = checker.completed(Observation(c.thread, ev.outcome, ev.t, ev.mro, ev.warnings))
            return _unsummarised(v, ev.outcome)
        if isinstance(ev, Other) and ev.kind == "error" and ev.fields.get("id") in run.calls:
            # the agent failed while making or reporting one of the run's calls (it could not
            # summarise what the call returned…): a harness failure, whatever the call did
            c = run.calls[ev.fields["id"]]
            why = f"the agent failed in {c!r}: {ev.fields.get('error')}"
            return Violation(ViolationKind.MISSING_COMPLETION, None, c.thread, c, why, [])
        if isinstance(ev, GateEntered):
            return self._gate_entered(ev, run)
        if isinstance(ev, ThreadExited) and self._gates.any_of_run(ev.gates):
            run.exit_seen = True
            if THREAD_EXITED in checker.spec.ops(self.profile):
                said = "".join(f", {k}={v!r:.300}" for k, v in ev.reported)
                res.log.append(f"env {THREAD_EXITED} (the agent saw the thread end{said})")
                return checker.environment(Call(ENV, THREAD_EXITED, (), ev.reported), ev.t)
            return None
        if isinstance(ev, Fatal):
            raise TargetDied(ev.error)
        if isinstance(ev, Exited):
            raise TargetDied(ev.describe())
        return None

    def _gate_entered(self, ev: GateEntered, run: _Ongoing) -> Violation | None:
        """A thread not of the schedule (a Thread's own) called one of the run's gates: with
        what arguments, and its sys.gettrace() / sys.getprofile() as it entered (agents before
        these were reported send neither)."""
        if ev.worker is not None or ev.args is None:
            return None
        gate = self._gates.spec_id(ev.gate)
        if gate is None or GATE_ENTERED not in run.checker.spec.ops(self.profile):
            return None
        entered = Call(ENV, GATE_ENTERED, (gate, ev.args, ev.kwargs), ev.extras)
        run.res.log.append(f"env {entered!r} (the agent saw the call)")
        return run.checker.environment(entered, ev.t)

    def _quiesce(self, run: _Ongoing, settle: float) -> Violation | None:
        s, checker = self.settings, run.checker
        start = self.agent_now()
        quiet_since: float | None = None
        while True:
            ev = self._next_event(timeout=s.poll)
            if ev is not None:
                quiet_since = None
                v = self._handle(ev, run)
                if v is not None:
                    return v
                continue
            now = self.agent_now()
            not_started = [c for c in run.calls.values() if c.thread not in checker.pending]
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
                    return _never_started(not_started[0], s.deadline)
                return checker.owed(now, s.wait_cap)


def _never_started(c: Call, deadline: float) -> Violation:
    """A call the agent never reported starting: a harness failure (no clause), not a violation."""
    own_gate = gate_of(c.thread)
    who = (
        f"the thread waiting in gate {own_gate} (a Thread's own thread) never made it"
        if own_gate is not None
        else f"the agent's worker thread for t{c.thread} never ran it"
    )
    reason = (
        f"{c!r} was never started: {who} within {deadline:g} s "
        "(the target's threads may not be real threads, or may not run)"
    )
    return Violation(ViolationKind.MISSING_COMPLETION, None, c.thread, c, reason, [])


def _objects_in(v: object) -> list[str]:
    """The types of the values the agent could not summarise (``("object", type)``) in ``v``."""
    if isinstance(v, tuple) and len(v) == 2 and v[0] == "object" and isinstance(v[1], str):
        return [v[1]]
    if isinstance(v, tuple):
        return [t for x in v for t in _objects_in(x)]
    return []


def _unsummarised(v: Violation | None, outcome: object) -> Violation | None:
    """``v``, or, where the result holds objects the agent could not summarise as Threads (of a
    type named like a thread, but not an instance of the module's ``Thread``: gevent's patched
    ``Thread`` is not the class of the ``_MainThread`` made before the patch), the same finding as
    a harness failure (no clause): the checker cannot tell which threads they are. Any other
    object where a Thread is due (a lock) stays a violation."""
    if v is None or not isinstance(outcome, Returned):
        return v
    # only objects that call themselves threads: any other object (a lock where a Thread is
    # due) is a wrong result the spec can judge
    types = sorted(set(_objects_in(outcome.value)))
    if not types or not all("thread" in t.lower() for t in types):
        return v
    reason = (
        f"{v.call!r} returned {'objects' if len(types) > 1 else 'an object'} of type "
        f"{', '.join(map(repr, types))} that the agent could not summarise: not an instance of "
        "the module's Thread, so the spec cannot tell which thread it stands for"
    )
    return Violation(v.kind, None, v.thread, v.call, reason, v.allowed)
