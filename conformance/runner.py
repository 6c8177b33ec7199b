"""One conformance check of one target: scenarios first, then random schedules, in a budget.

A check resolves its target (the agent's hello gives the profile and the strictness),
chooses what to run (the primitives asked for, less the private classes the module lacks;
their scenarios and generators), runs it (the exit probe, the scenarios, the random
schedules) and keeps each clause's status in the report.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from conformance import exit_probe, reproducer
from conformance.agent_client import AgentClient, AgentError
from conformance.checker import Violation, ViolationKind
from conformance.driver import RunResult, Session, Settings, TargetDied
from conformance.generate import random_schedules
from conformance.protocol import Hello
from conformance.report import TEXT_LIMIT, ClauseStatus, Failure, Report, Target, Unobserved, safe_text
from conformance.scenario import Scenario, arguments_text
from conformance.scenarios import Generator, load_generators, load_scenarios
from spec import PRIMITIVES
from spec.profiles import Profile, Strictness, profile_for
from spec.values import Call, New

PROBE_MIN_SECONDS = 10.0
"""The exit probe runs only if at least this much of the budget is left (a hang is reported
only after the program has had that long to exit)."""


class CannotCheck(Exception):
    """The target could not be checked (bad interpreter, import error, wrong module file)."""


class _NoAnswer(Exception):
    """The agent did not answer a read of the module: its worker threads do not run."""

    def __init__(self, name: str, deadline: float) -> None:
        super().__init__(name)
        self.reason = (
            f"the agent's worker thread never read the module's {name} within {deadline:g} s: "
            "the target's threads do not run (they may not be real threads)"
        )


def _nothing_observed(report: Report, profile: Profile, only: Sequence[str], reason: str) -> None:
    """Nothing could be observed: every primitive asked for is unchecked, for ``reason``."""
    wanted = set(only) if only else {p for p in PRIMITIVES if not p.startswith("_")}
    wanted |= {c for p in wanted for c in PRIMITIVES[p].companions}
    report.list_clauses(wanted | {c for p in wanted for c in PRIMITIVES[p].cites})
    report.unchecked = {p: reason for p in sorted(wanted)}
    report.unobserved.append(Unobserved("(module)", "reading the module's names", reason, "(none)"))


@dataclass(frozen=True)
class CheckOptions:
    """The choices of one check (the command line's)."""

    profile: str | None = None
    """The spec profile (default: the target's version)."""
    strictness: Strictness | None = None
    """Default: ``CPYTHON`` for CPython targets, ``DOCUMENTED`` for others (PyPy…), whose
    CPython-only details are not checked."""
    only: tuple[str, ...] = ()
    """Check only these primitives (default: all)."""
    budget: float = 30.0
    """Seconds for the whole check."""
    agents: int = 3
    """Agents (target processes) that run the scenarios side by side. A run spends most of its
    time in one-sided settle waits, not on a CPU, so more agents shorten the scenarios' time
    even on a busy two-core machine (36 s → 21 s → 17 s for 1, 2, 3 agents at load 3.5). The
    random schedules run on one."""
    seed: int = 0
    fail_fast: bool = False
    settle: float = Settings.settle
    deadline: float = Settings.deadline
    expected: Callable[[Report, str], bool] | None = None
    """Is a violation of this clause a known deviation of the target (``check --expect``)? With
    ``fail_fast``, only the others stop the check."""

    def settings(self) -> Settings:
        """How long the driver waits."""
        return Settings(settle=self.settle, deadline=self.deadline)


Progress = Callable[[dict[str, Any]], None]


def check(target: Target, options: CheckOptions = CheckOptions(), progress: Progress | None = None) -> Report:
    """Check ``target`` against the spec within ``options.budget`` seconds (for the whole run).

    Raises:
      CannotCheck: the interpreter or module could not be started or imported, the module
        was not imported from the given paths, or a profile or primitive is unknown.
    """
    connection = _Connection(target, options.settings())
    try:
        started = time.monotonic()
        hello = connection.client.hello
        profile = _resolve(target, hello, options)
        connection.open_session(profile)
        report = Report(target, profile, hello.version, hello.implementation, str(hello.file))
        report.gil, report.free_threaded_build = hello.gil, hello.free_threaded_build
        try:
            plan = _plan(connection, profile, options.only)
        except _NoAnswer as e:
            _nothing_observed(report, profile, options.only, e.reason)
            report.seconds = time.monotonic() - started
            return report
        report.absent = plan.absent
        report.missing = sorted(plan.missing)
        report.unchecked = {p: f"the module has no {name}" for name, ps in plan.missing.items() for p in ps}
        report.list_clauses(plan.owners)
        execution = _Execution(connection, plan, report, options, progress, started)
        report.conclude(execution.run())
        report.unreached = _unreached(report, plan, execution.ran)
        report.restarts = connection.restarts + execution.restarts
        report.seconds = time.monotonic() - started
        return report
    finally:
        connection.close()


# -- resolving the target ---------------------------------------------------------


def _start(target: Target, timeout: float = 30.0) -> AgentClient:
    try:
        return AgentClient.start(
            target.python,
            module=target.module,
            paths=target.paths,
            prelude=target.prelude,
            timeout=timeout,
            workers=target.workers,
        )
    except AgentError as e:
        raise CannotCheck(str(e)) from None


def _resolve(target: Target, hello: Hello, options: CheckOptions) -> Profile:
    """The profile to check ``target`` against, from what its agent said (``hello``): the
    module must come from the target's paths, if it has any."""
    _verify_module_file(target, hello)
    strictness = options.strictness
    if strictness is None:
        cpython = hello.implementation.lower() == "cpython"
        strictness = Strictness.CPYTHON if cpython else Strictness.DOCUMENTED
    try:
        return profile_for(options.profile or hello.version, strictness)
    except ValueError as e:
        raise CannotCheck(str(e)) from None


def _verify_module_file(target: Target, hello: Hello) -> None:
    if not target.paths:
        return
    f = os.path.realpath(hello.file or "")
    roots = [os.path.realpath(p) for p in target.paths]
    if not any(f == r or f.startswith(r.rstrip(os.sep) + os.sep) for r in roots):
        raise CannotCheck(
            f"module {target.module} was imported from {f or 'nowhere'}, not from {', '.join(target.paths)}"
        )


class _Connection:
    """The agent connection of one check, restarted if the target dies."""

    def __init__(self, target: Target, settings: Settings) -> None:
        self.target = target
        self.settings = settings
        self.client = _start(target)
        self.profile: Profile | None = None
        self.session: Session | None = None
        self.restarts = 0

    def open_session(self, profile: Profile) -> None:
        self.profile = profile
        self.session = Session(self.client, profile, self.settings)

    def close(self) -> None:
        self.client.close()

    def module_has(self, name: str) -> bool:
        """Does the module have ``name``?

        Raises:
          _NoAnswer: the agent did not answer (its threads do not run).
          CannotCheck: the target died.
        """
        assert self.session is not None
        try:
            has = self.session.module_has(name)
        except TargetDied as e:
            raise CannotCheck(f"the target died while its module's names were read: {e}") from None
        if has is None:
            raise _NoAnswer(name, self.settings.deadline)
        return has

    def _hung(self) -> bool:
        """After a run that could not be observed: is the agent alive but deaf (a green-thread
        library whose hub no longer runs)? It must answer a ping within the deadline."""
        token = f"alive-{time.monotonic()}"
        try:
            self.client.send({"cmd": "ping", "id": token})
        except AgentError:
            return False  # it has exited: restarted as a dead target
        end = time.monotonic() + self.settings.deadline
        while time.monotonic() < end:
            ev = self.client.next_event(timeout=0.1)
            if ev is not None and ev.get("ev") == "pong" and ev.get("id") == token:
                return False
            if ev is None and not self.client.alive():
                return False
        return True

    def run(self, primitive: str, init: Call, steps: Sequence[Call]) -> RunResult:
        """Run one schedule; a dead target is restarted (the run ends with a finding without a
        clause: the report's "could not observe")."""
        assert self.session is not None and self.profile is not None
        try:
            res = self.session.run(primitive, init, steps)
        except TargetDied as e:
            res = RunResult(primitive, init, tuple(steps))
            res.violation = Violation(ViolationKind.CRASH, None, None, None, f"the target died: {e}", [])
        hung = res.violation is not None and res.violation.clause is None and self._hung()
        if hung:
            res.log.append("the agent no longer answered a ping: it was restarted")
        if hung or not self.client.alive():
            self.restarts += 1
            if res.violation is None:
                res.violation = Violation(ViolationKind.CRASH, None, None, None, "the target exited", [])
            self.client.close(timeout=1.0)
            self.client = _start(self.target)
            self.open_session(self.profile)
        return res


# -- choosing what to run -------------------------------------------------------


@dataclass
class _Plan:
    """What one check runs."""

    primitives: set[str]
    """The primitives checked (with their companions, less the private classes absent)."""
    absent: list[str]
    """Private primitives (``_PyRLock``) asked for that the module does not have."""
    missing: dict[str, list[str]]
    """Public names the profile has and the module lacks → the primitives they leave unchecked
    (``local`` → ``local``, ``LocalSubclass``; ``Thread`` → ``Thread``, ``ThreadSubclass``)."""
    owners: set[str]
    """The primitives whose clauses are reported: those checked and those their specs cite."""
    scenarios: list[Scenario]
    generators: list[Generator]


def _plan(connection: _Connection, profile: Profile, only: Sequence[str]) -> _Plan:
    wanted = set(only) if only else set(PRIMITIVES)
    unknown = wanted - set(PRIMITIVES)
    if unknown:
        raise CannotCheck(f"unknown primitive: {', '.join(sorted(unknown))}")
    wanted |= {c for p in wanted for c in PRIMITIVES[p].companions}
    # private classes (threading._PyRLock) are checked only where the module has them
    absent = {p for p in wanted if p.startswith("_") and not connection.module_has(p)}
    wanted -= absent
    # a public class the profile has and the module lacks is one finding, not a violation per run
    missing = _missing(connection, profile, wanted)
    unavailable = {p for ps in missing.values() for p in ps}
    # clauses of the primitives asked for, and of those their specs cite (Thread: "module");
    # those of a missing class stay "not exercised"
    owners = wanted | {c for p in wanted for c in PRIMITIVES[p].cites}
    wanted -= unavailable
    # a scenario that builds a class the module lacks (Condition(New("_PyRLock"))) is skipped
    private = {p for p in PRIMITIVES if p.startswith("_")}
    lacking = absent | unavailable | {p for p in private - wanted if not connection.module_has(p)}
    scenarios = [
        s
        for s in load_scenarios()
        if s.primitive in wanted and s.applies_to(profile) and not (_new_kinds(s) & lacking)
    ]
    # a primitive whose constructor raises in this profile (Barrier in 2.7) has nothing to explore
    generators = [
        g
        for g in load_generators()
        if g.primitive in wanted and _creates(profile, g)
    ]
    return _Plan(wanted, sorted(absent), missing, owners, _round_robin(scenarios), generators)


def _missing(connection: _Connection, profile: Profile, wanted: set[str]) -> dict[str, list[str]]:
    """The public names the module lacks though ``profile`` has them (Barrier is no name of
    2.7: its absence there is checked as a clause), with the primitives each leaves unchecked."""
    exists = {g.primitive for g in load_generators() if _creates(profile, g)}
    out: dict[str, list[str]] = {}
    for p in sorted(wanted):
        name = MODULE_NAME.get(p, p)
        if p.startswith("_") or p not in exists:
            continue
        if name in out or not connection.module_has(name):
            out.setdefault(name, []).append(p)
    return out


MODULE_NAME = {"LocalSubclass": "local", "ThreadSubclass": "Thread"}
"""The module's name a primitive needs, where it is not the primitive's (the agent builds its
own subclasses of the module's ``local`` and ``Thread``)."""


def _creates(profile: Profile, g: Generator) -> bool:
    """Does ``g``'s constructor build an object in ``profile`` (Barrier does not in 2.7)?"""
    return PRIMITIVES[g.primitive].create(profile, g.init).state is not None


def _new_kinds(s: Scenario) -> set[str]:
    """The kinds of the fresh objects (``New``) a scenario's calls build."""
    kinds: set[str] = set()

    def visit(v: object) -> None:
        if isinstance(v, New):
            kinds.add(v.kind)
            for a in v.args:
                visit(a)
        elif isinstance(v, Call):  # the calls of a back_to_back step
            visit(v.args)
            visit(tuple(x for _, x in v.kwargs))
        elif isinstance(v, tuple | list):
            for a in v:
                visit(a)

    for c in (s.init, *s.steps):
        visit(c.args)
        visit(tuple(v for _, v in c.kwargs))
    return kinds


def _round_robin(scenarios: list[Scenario]) -> list[Scenario]:
    """Interleave the primitives' scenarios, so that a budget too short for all of them
    still exercises every primitive."""
    queues: dict[str, list[Scenario]] = {}
    for sc in scenarios:
        queues.setdefault(sc.primitive, []).append(sc)
    out: list[Scenario] = []
    while any(queues.values()):
        for q in queues.values():
            if q:
                out.append(q.pop(0))
    return out


# -- running it -------------------------------------------------------------------


class _Execution:
    """Runs a plan within the budget: the exit probe, the scenarios, the random schedules;
    failures go into the report, the clauses the runs exercised are collected."""

    def __init__(
        self,
        connection: _Connection,
        plan: _Plan,
        report: Report,
        options: CheckOptions,
        progress: Progress | None,
        started: float,
    ) -> None:
        self.connection, self.plan, self.report, self.options = connection, plan, report, options
        self.progress = progress
        self.started = started
        self.end = started + options.budget
        self.done = 0
        self.exercised: set[str] = set()
        self.observed: dict[str, int] = {}
        """Primitive → runs of it that were observed to their end (or to a violation)."""
        self.ran: set[tuple[str, str]] = set()
        """(primitive, name) of each scenario run to its end (no violation, nothing unobserved):
        names repeat across primitives."""
        self.restarts = 0
        """Restarts of the extra agents' targets (the first agent's are its connection's)."""

    def run(self) -> set[str]:
        """Run everything the plan holds; the clauses exercised."""
        probe = None
        if "Thread" in self.plan.primitives and time.monotonic() + PROBE_MIN_SECONDS < self.end:
            probe = self._start_exit_probe()
            if self.options.fail_fast:  # its finding first, as the first one found
                self._exit_probe(probe)
                probe = None
        self._scenarios()
        self._generators()
        if probe is not None:
            self._exit_probe(probe)
        self._tick("done")
        for u in self.report.unobserved:
            if not self.observed.get(u.primitive):
                self.report.unchecked.setdefault(u.primitive, f"no run could be observed: {u.reason}")
        return self.exercised

    def _record(self, res: RunResult, source: str, runs: int = 1) -> None:
        """File ``res``'s finding, if any: a violation names a clause; a run that ended for want
        of an observation (no clause) is a harness failure. ``runs``: how many runs ``res``
        stands for (a random sequence's)."""
        v = res.violation
        observed = runs
        if v is not None and v.clause is None:
            observed -= 1
            reason = v.observed
            self.report.unobserved.append(
                Unobserved(res.primitive, source, reason, _schedule_text(res), list(res.log))
            )
        elif v is not None:
            self.report.failures.append(_failure(res, source, self.report))
        self.observed[res.primitive] = self.observed.get(res.primitive, 0) + observed

    def _tick(self, label: str) -> None:
        if self.progress:
            self.progress(
                {
                    "done": self.done,
                    "total": len(self.plan.scenarios) + len(self.plan.generators),
                    "elapsed": time.monotonic() - self.started,
                    "violations": len(self.report.failures),
                    "label": label,
                }
            )

    def _stop(self) -> bool:
        """Stop here: a failure was found and the check fails fast."""
        known = self.options.expected or (lambda report, clause: False)
        return self.options.fail_fast and any(not known(self.report, f.clause) for f in self.report.failures)

    def _start_exit_probe(self) -> exit_probe.Running:
        """The daemon flag at interpreter exit: a fresh process, run while the scenarios run."""
        t = self.report.target
        hang_seconds = min(exit_probe.HANG_SECONDS, self.end - time.monotonic())
        return exit_probe.Running(t.python, t.module, t.paths, t.prelude, hang_seconds=hang_seconds)

    def _exit_probe(self, running: exit_probe.Running) -> None:
        self._tick("exit probe")
        probe = running.result()
        if probe.ran:
            self.exercised |= set(exit_probe.CLAUSES) - {probe.broken}
            self.observed["Thread"] = self.observed.get("Thread", 0) + 1
        if probe.broken is not None:
            self.report.failures.append(_probe_failure(probe, self.report))

    def _scenarios(self) -> None:
        """Run the scenarios, on ``options.agents`` agents side by side: each agent takes the
        next scenario in the plan's order; the results are filed in that order."""
        queue = _Queue(self.plan.scenarios)
        queue.stopped = self._stop()  # the exit probe's finding, with fail_fast
        results: dict[int, RunResult] = {}
        extra = max(0, min(self.options.agents, len(self.plan.scenarios)) - 1)
        workers = [threading.Thread(target=self._agent_loop, args=(queue, results, None), daemon=True)
                   for _ in range(extra)]
        for w in workers:
            w.start()
        self._agent_loop(queue, results, self.connection)
        for w in workers:
            w.join()
        for i in sorted(results):
            sc, res = self.plan.scenarios[i], results[i]
            self._record(res, f"scenario {sc.name}")
            if res.violation is None:
                self.ran.add((sc.primitive, sc.name))
        self.report.scenarios_run += len(results)
        self.report.budget_exhausted = self.report.budget_exhausted or queue.timed_out
        if queue.error is not None:
            raise queue.error

    def _agent_loop(
        self, queue: _Queue, results: dict[int, RunResult], connection: _Connection | None
    ) -> None:
        """One agent's share of the scenarios; an extra agent (``connection`` None) is started
        here, so that its start overlaps the first agent's runs, and closed at the end."""
        own = connection is None
        try:
            if connection is None:
                connection = _Connection(self.connection.target, self.connection.settings)
                assert self.connection.profile is not None
                connection.open_session(self.connection.profile)
        except CannotCheck:
            return  # the other agents run its share
        try:
            while (i := queue.take(self.end)) is not None:
                sc = self.plan.scenarios[i]
                with queue.lock:
                    self._tick(sc.name)
                res = connection.run(sc.primitive, sc.init, sc.steps)
                with queue.lock:
                    results[i] = res
                    self.exercised |= res.exercised
                    self.done += 1
                    if self._fails_fast(res):
                        queue.stopped = True
        except BaseException as e:  # noqa: BLE001 - carried to the main thread
            queue.fail(e)
        finally:
            if own and connection is not None:
                with queue.lock:
                    self.restarts += connection.restarts
                connection.close()

    def _fails_fast(self, res: RunResult) -> bool:
        """Does ``res`` stop the check (a violation, not a known one, with ``fail_fast``)?"""
        v = res.violation
        if not self.options.fail_fast or v is None or v.clause is None:
            return False
        known = self.options.expected or (lambda report, clause: False)
        return not known(self.report, v.clause)

    def _generators(self) -> None:
        generators = self.plan.generators
        for i, g in enumerate(generators):
            if self._stop():
                break
            if time.monotonic() >= self.end:
                self.report.budget_exhausted = self.report.budget_exhausted or not self.report.failures
                break
            share = (self.end - time.monotonic()) / (len(generators) - i)
            self._tick(f"random {g.primitive}")
            gen = random_schedules(
                self.connection.run, g, until=time.monotonic() + share, seed_value=self.options.seed
            )
            self.report.generated_runs += gen.runs
            self.exercised |= gen.exercised
            if gen.failure is not None:
                first = len(gen.first_failure.steps) if gen.first_failure else len(gen.failure.steps)
                source = f"random {g.primitive} schedules (shrunk from {first} steps)"
                self._record(gen.failure, source, runs=gen.runs)
            else:
                self.observed[g.primitive] = self.observed.get(g.primitive, 0) + gen.runs
            self.done += 1


class _Queue:
    """The scenarios' indices, handed out in order to the agents that run them."""

    def __init__(self, scenarios: Sequence[Scenario]) -> None:
        self.lock = threading.Lock()
        self._next = 0
        self._total = len(scenarios)
        self.stopped = False
        """A failure stops the check (``fail_fast``): no further scenario is handed out."""
        self.timed_out = False
        """The budget ran out with scenarios left."""
        self.error: BaseException | None = None

    def take(self, end: float) -> int | None:
        """The next scenario's index, or None: all handed out, stopped, or out of time."""
        with self.lock:
            if self.stopped or self.error is not None or self._next >= self._total:
                return None
            if time.monotonic() >= end:
                self.timed_out = True
                return None
            self._next += 1
            return self._next - 1

    def fail(self, e: BaseException) -> None:
        with self.lock:
            self.error = self.error or e


def _probe_failure(probe: exit_probe.ProbeResult, report: Report) -> Failure:
    assert probe.broken is not None
    target = report.target
    allowed = ["the program prints both non-daemon threads' lines, then exits"]
    header = reproducer.header_lines(report, probe.broken, "exit probe", probe.observed, allowed) + [
        safe_text(
            f"run it with {target.python}: it should print {exit_probe.MAIN_DONE!r}, then "
            f"{' and '.join(map(repr, exit_probe.NON_DAEMON_DONE))}, and exit",
            TEXT_LIMIT,
            ascii_only=True,
        )
    ]
    probe_text = exit_probe.script(target.module, target.paths, target.prelude)
    text = reproducer.exit_reproducer(probe_text, header, target.paths, exit_probe.MAIN_DONE,
                                      exit_probe.NON_DAEMON_DONE, exit_probe.HANG_SECONDS)
    return Failure(probe.broken, ViolationKind.EXIT, "exit probe", "Thread", Call(0, "__init__"), (), None,
                   probe.observed, allowed, probe.log, text)


def _failure(res: RunResult, source: str, report: Report) -> Failure:
    v = res.violation
    assert v is not None and v.clause is not None
    target = report.target
    header = reproducer.header_lines(report, v.clause, source, v.observed, v.allowed)
    text = reproducer.render(
        res.primitive,
        res.init,
        res.steps,
        module=target.module,
        paths=target.paths,
        prelude=target.prelude,
        header=header,
        violation=v,
        failed_step=res.failed_step,
        log=res.log,
    )
    return Failure(
        v.clause,
        v.kind,
        source,
        res.primitive,
        res.init,
        res.steps,
        res.failed_step,
        v.describe(),
        v.allowed,
        res.log,
        text,
    )


def _unreached(report: Report, plan: _Plan, ran: set[tuple[str, str]]) -> list[str]:
    """The clauses not exercised although every scenario written for them ran to its end: the
    target took other branches the spec allows (the C RLock's answer, not the Python RLock's);
    more budget would not reach them."""
    out = []
    for cid, st in report.clauses.items():
        if st is not ClauseStatus.NOT_EXERCISED:
            continue
        covering = [(sc.primitive, sc.name) for sc in plan.scenarios if cid in sc.covers]
        if covering and all(name in ran for name in covering):
            out.append(cid)
    return out


def _schedule_text(res: RunResult) -> str:
    """A run's schedule as reports print it: ``Lock() ; t0.acquire() ; …``."""
    return " ; ".join([f"{res.primitive}{arguments_text(res.init)}", *map(repr, res.steps)])
