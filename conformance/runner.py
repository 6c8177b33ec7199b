"""One conformance check of one target: scenarios first, then random schedules, in a budget."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from conformance import exit_probe, reproducer
from conformance.agent_client import AgentClient, AgentError
from conformance.checker import Violation
from conformance.driver import RunResult, Session, Settings, TargetDied
from conformance.generate import explore
from conformance.scenario import Scenario
from conformance.scenarios import load_generators, load_scenarios
from spec import PRIMITIVES
from spec.clauses import REGISTRY
from spec.profiles import Profile, Strictness, profile_for
from spec.values import Call, New

PROBE_MIN_SECONDS = 10.0
"""The exit probe runs only if at least this much of the budget is left (a hang is reported
only after the program has had that long to exit)."""

KNOWN_BUG_SEEN = "known bug seen"
"""The status of a known-bug clause whose race the run observed (and the spec tolerated)."""
KNOWN_BUG_UNSEEN = "known bug not seen"
"""The status of a known-bug clause whose race no run happened to hit."""


@dataclass(frozen=True)
class Target:
    """What to check: a module in an interpreter."""

    python: str
    module: str = "threading"
    paths: tuple[str, ...] = ()
    prelude: str | None = None


class CannotCheck(Exception):
    """The target could not be checked (bad interpreter, import error, wrong module file)."""


@dataclass
class Failure:
    """One violation, with everything needed to understand and replay it."""

    clause: str | None
    kind: str
    source: str
    primitive: str
    init: Call
    schedule: tuple[Call, ...]
    failed_step: int | None
    observed: str
    allowed: list[str]
    log: list[str]
    reproducer: str

    @property
    def quote(self) -> str:
        c = REGISTRY.get(self.clause or "")
        return c.quote if c else ""

    def schedule_text(self) -> str:
        if self.kind == "exit":
            return exit_probe.SCHEDULE
        ctor = f"{self.primitive}{_call_args(self.init)}"
        return " ; ".join([ctor, *map(repr, self.schedule)])


@dataclass
class Report:
    target: Target
    profile: Profile
    python_version: str
    implementation: str
    module_file: str
    clauses: dict[str, str] = field(default_factory=dict)
    """clause id → "passed" | "failed" | "not exercised" | "not applicable", or for a clause that
    tolerates a known bug, KNOWN_BUG_SEEN | KNOWN_BUG_UNSEEN."""
    failures: list[Failure] = field(default_factory=list)
    scenarios_run: int = 0
    generated_runs: int = 0
    seconds: float = 0.0
    budget_exhausted: bool = False
    restarts: int = 0
    absent: list[str] = field(default_factory=list)
    """Private primitives (e.g. ``_PyRLock``) the module does not have: not checked."""

    @property
    def conformant(self) -> bool:
        return not self.failures


Progress = Callable[[dict[str, Any]], None]


def _call_args(c: Call) -> str:
    parts = [repr(a) for a in c.args] + [f"{k}={v!r}" for k, v in c.kwargs]
    return f"({', '.join(parts)})"


def _start(target: Target, timeout: float = 30.0) -> AgentClient:
    try:
        return AgentClient.start(
            target.python,
            module=target.module,
            paths=target.paths,
            prelude=target.prelude,
            timeout=timeout,
        )
    except AgentError as e:
        raise CannotCheck(str(e)) from None


def _verify_module_file(target: Target, hello: dict[str, Any]) -> None:
    if not target.paths:
        return
    f = os.path.realpath(str(hello.get("file") or ""))
    roots = [os.path.realpath(p) for p in target.paths]
    if not any(f == r or f.startswith(r.rstrip(os.sep) + os.sep) for r in roots):
        raise CannotCheck(
            f"module {target.module} was imported from {f or 'nowhere'}, not from {', '.join(target.paths)}"
        )


def check(
    target: Target,
    *,
    profile: str | None = None,
    strictness: Strictness | None = None,
    only: Sequence[str] = (),
    budget: float = 60.0,
    seed: int = 0,
    settings: Settings | None = None,
    progress: Progress | None = None,
    fail_fast: bool = False,
) -> Report:
    """Check ``target`` against the spec within ``budget`` seconds (for the whole run).

    ``strictness`` defaults to ``CPYTHON`` for CPython targets and ``DOCUMENTED``
    for other implementations (PyPy…), whose CPython-only details are not checked.

    Raises:
      CannotCheck: the interpreter or module could not be started or imported, or
        the module was not imported from the given paths.
    """
    run = _Run(target, settings or Settings())
    try:
        return run.check(profile, strictness, only, budget, seed, progress, fail_fast)
    finally:
        run.close()


class _Run:
    """The agent connection of one check, restarted if the target dies."""

    def __init__(self, target: Target, settings: Settings) -> None:
        self.target = target
        self.settings = settings
        self.client = _start(target)
        self.profile: Profile | None = None
        self.session: Session | None = None
        self.restarts = 0

    def close(self) -> None:
        self.client.close()

    def _new_session(self) -> Session:
        assert self.profile is not None
        offset = self.client.hello_received - float(self.client.hello["t"])
        return Session(self.client, self.profile, offset, self.settings)

    def run(self, primitive: str, init: Call, steps: Sequence[Call]) -> RunResult:
        """Run one schedule; a dead target is a violation, and is restarted."""
        assert self.session is not None
        try:
            res = self.session.run(primitive, init, steps)
        except TargetDied as e:
            res = RunResult(primitive, init, tuple(steps))
            res.violation = Violation("crash", None, None, None, f"the target died: {e}", [])
        if not self.client.alive():
            self.restarts += 1
            if res.violation is None:
                res.violation = Violation("crash", None, None, None, "the target exited", [])
            self.client.close()
            self.client = _start(self.target)
            self.session = self._new_session()
        return res

    def check(
        self,
        profile: str | None,
        strictness: Strictness | None,
        only: Sequence[str],
        budget: float,
        seed: int,
        progress: Progress | None,
        fail_fast: bool = False,
    ) -> Report:
        started = time.monotonic()
        end = started + budget
        hello = self.client.hello
        _verify_module_file(self.target, hello)
        version = ".".join(str(x) for x in (hello.get("python") or [0, 0])[:3])
        if strictness is None:
            cpython = str(hello.get("implementation")).lower() == "cpython"
            strictness = Strictness.CPYTHON if cpython else Strictness.DOCUMENTED
        try:
            self.profile = prof = profile_for(profile or version, strictness)
        except ValueError as e:
            raise CannotCheck(str(e)) from None
        self.session = self._new_session()
        report = Report(self.target, prof, version, str(hello.get("implementation")), str(hello.get("file")))
        wanted = set(only) if only else set(PRIMITIVES)
        unknown = wanted - set(PRIMITIVES)
        if unknown:
            raise CannotCheck(f"unknown primitive: {', '.join(sorted(unknown))}")
        wanted |= {c for p in wanted for c in PRIMITIVES[p].companions}
        # private classes (threading._PyRLock) are checked only where the module has them
        absent = {p for p in wanted if p.startswith("_") and not self.session.module_has(p)}
        report.absent = sorted(absent)
        wanted -= absent
        # clauses of the primitives checked, and of those their specs cite (Thread: "module")
        owners = wanted | {c for p in wanted for c in PRIMITIVES[p].cites}
        applicable = {c.id for c in REGISTRY.values() if c.primitive in owners and c.applies_to(prof)}
        for c in REGISTRY.values():
            if c.primitive in owners:
                report.clauses[c.id] = "not exercised" if c.id in applicable else "not applicable"
        exercised: set[str] = set()
        # a scenario that builds a private class the module lacks (Condition(New("_PyRLock"))) is skipped
        private = {p for p in PRIMITIVES if p.startswith("_")}
        lacking = absent | {p for p in private - wanted if not self.session.module_has(p)}
        scenarios = _round_robin(
            [
                s
                for s in load_scenarios()
                if s.primitive in wanted and s.applies_to(prof) and not (_new_kinds(s) & lacking)
            ]
        )
        # a primitive whose constructor raises in this profile (Barrier in 2.7) has nothing to explore
        generators = [
            g
            for g in load_generators()
            if g.primitive in wanted and PRIMITIVES[g.primitive].create(prof, g.init).state is not None
        ]
        total = len(scenarios) + len(generators)
        done = 0

        def tick(label: str) -> None:
            if progress:
                progress(
                    {
                        "done": done,
                        "total": total,
                        "elapsed": time.monotonic() - started,
                        "violations": len(report.failures),
                        "label": label,
                    }
                )

        if "Thread" in wanted and time.monotonic() + PROBE_MIN_SECONDS < end:
            # the daemon flag at interpreter exit: a fresh process, before the scenarios
            tick("exit probe")
            probe = exit_probe.run(
                self.target.python, self.target.module, self.target.paths, self.target.prelude,
                hang_seconds=min(exit_probe.HANG_SECONDS, end - time.monotonic()),
            )
            if probe.ran:
                exercised |= set(exit_probe.CLAUSES) - {probe.broken}
            if probe.broken is not None:
                report.failures.append(_probe_failure(probe, self.target, prof, version))
        for sc in scenarios:
            if fail_fast and report.failures:
                break
            if time.monotonic() >= end:
                report.budget_exhausted = True
                break
            tick(sc.name)
            res = self.run(sc.primitive, sc.init, sc.steps)
            exercised |= res.exercised
            if res.violation is not None:
                report.failures.append(_failure(res, f"scenario {sc.name}", self.target, prof, version))
            report.scenarios_run += 1
            done += 1
        for i, g in enumerate(generators):
            if fail_fast and report.failures:
                break
            if time.monotonic() >= end:
                report.budget_exhausted = report.budget_exhausted or not report.failures
                break
            share = (end - time.monotonic()) / (len(generators) - i)
            tick(f"random {g.primitive}")
            gen = explore(
                self.run,
                g.primitive,
                g.init,
                g.alphabet,
                threads=g.threads,
                max_steps=g.max_steps,
                until=time.monotonic() + share,
                seed_value=seed,
            )
            report.generated_runs += gen.runs
            exercised |= gen.exercised
            if gen.failure is not None:
                first = len(gen.first_failure.steps) if gen.first_failure else len(gen.failure.steps)
                source = f"random {g.primitive} schedules (shrunk from {first} steps)"
                report.failures.append(_failure(gen.failure, source, self.target, prof, version))
            done += 1
        tick("done")
        failed = {f.clause for f in report.failures}
        for cid in applicable:
            if cid in failed:
                report.clauses[cid] = "failed"
            elif REGISTRY[cid].known_bug:
                # a tolerated race of a known bug: no schedule forces it, so never "not exercised"
                report.clauses[cid] = KNOWN_BUG_SEEN if cid in exercised else KNOWN_BUG_UNSEEN
            elif cid in exercised:
                report.clauses[cid] = "passed"
        report.restarts = self.restarts
        report.seconds = time.monotonic() - started
        return report


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


def _probe_failure(probe: exit_probe.ProbeResult, target: Target, prof: Profile, version: str) -> Failure:
    assert probe.broken is not None
    allowed = ["the program prints both non-daemon threads' lines, then exits"]
    header = _header(probe.broken, "exit probe", probe.observed, allowed, target, prof, version) + [
        f"run it with {target.python}: it should print {exit_probe.MAIN_DONE!r}, then "
        f"{' and '.join(map(repr, exit_probe.NON_DAEMON_DONE))}, and exit"
    ]
    text = exit_probe.script(target.module, target.paths, target.prelude, ("threadspec reproducer", *header))
    return Failure(probe.broken, "exit", "exit probe", "Thread", Call(0, "__init__"), (), None,
                   probe.observed, allowed, probe.log, text)


def _header(clause: str | None, source: str, observed: str, allowed: list[str], target: Target,
            prof: Profile, version: str) -> list[str]:
    """The comment lines that open a reproducer: what was broken, where, and how."""
    header = [
        f"clause: {clause or '(none)'}",
        f"> {REGISTRY[clause].quote}" if clause in REGISTRY else "",
        f"target: {target.python} (Python {version}), module {target.module}",
        f"profile: {prof}",
        f"found by: {source}",
        f"observed: {observed}",
        f"the spec allows: {'; '.join(allowed) or 'nothing'}",
    ]
    return [h for h in header if h]


def _failure(res: RunResult, source: str, target: Target, prof: Profile, version: str) -> Failure:
    v = res.violation
    assert v is not None
    header = _header(v.clause, source, v.observed, v.allowed, target, prof, version)
    text = reproducer.render(
        res.primitive,
        res.init,
        res.steps,
        module=target.module,
        paths=target.paths,
        prelude=target.prelude,
        header=header,
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
