"""The deterministic scheduler (``proofs.sched``) as the refinement and thread-property rows use it.

A *start* function runs as the main thread of every run: it sets the run up (making
objects of ``env.threading``, spawning controlled threads) and returns a *verdict*,
which is asked once the run has ended, every thread done or a deadlock verdict with
some left blocked (``proofs.sched`` calls a program's own check only in the first
case, and a refinement must also judge the second: a thread left blocked that the spec
says must complete). A run fails when its verdict names a problem, or when the scheduler
reports a failure of its own (an exception escaping a thread, the step limit).

One ``Session`` serves every program of a row: the module is loaded once, and again
only after a run that changed its state. A seeded bug is patched into each fresh copy
before the scheduler takes its snapshot of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from proofs.sched import DepthFirst, End, Env, Replaying, Session, decode, encode
from proofs.sched.loader import Snapshot

Verdict = Callable[[float], "str | None"]
"""Asked at the end of a run with the virtual clock's time: the problem, or None."""
Start = Callable[[Env], Verdict]
Patch = Callable[[dict[str, ModuleType]], None]
"""Changes a fresh copy (every module of it, by name) before the scheduler's snapshot of it."""


@dataclass
class Explored:
    """How many schedules ran (those the reduction pruned not counted), and the first failure:
    its schedule string and what went wrong."""

    schedules: int
    failure: tuple[str, str] | None


class PatchedSession(Session):
    """A session whose every fresh copy is patched (a seeded bug) before its snapshot is taken."""

    def __init__(self, module: str, path: str | Path | None,
                 patch: Patch | None = None, line_switches: bool = False) -> None:
        self.patch = patch
        super().__init__(module, path, line_switches=line_switches)

    def _load(self) -> None:
        super()._load()
        if self.patch is not None:
            self.patch(self.modules)
            if self.snapshot is not None:
                self.snapshot = Snapshot(self.modules)


def session(module: str, path: str | Path | None,
            patch: Patch | None = None, line_switches: bool = False) -> Session:
    """A session of ``module`` (loaded from ``path``, or found on the import path); with
    ``line_switches``, every line of the module is a switch point too."""
    return PatchedSession(module, path, patch, line_switches)


def problem_of(end: End, failures: list[str], verdict: Verdict | None, clock: float) -> str | None:
    """What went wrong in a run that ended with ``end``, if anything."""
    if failures:
        return "\n".join(failures)
    if end is End.STEP_LIMIT:
        return "the run made more switch points than the scheduler's step limit"
    if end.value == "diverged":
        return "the schedule did not replay: the run took another path"
    if end in (End.TERMINAL, End.DEADLOCK):
        if verdict is None:
            return "the program ended before it was set up"
        return verdict(clock)
    return None


def explore(sess: Session, start: Start, replay: str | None = None, reduction: bool = True,
            preemption_bound: int | None = None) -> Explored:
    """Run ``start`` under every schedule (or only the one ``replay`` names); stop at the first failure.
    ``reduction=False`` explores naively, every option at every branch point; a preemption bound
    keeps the schedules with at most that many preemptions."""
    verdicts: list[Verdict] = []

    def program(env: Env) -> None:
        verdicts.clear()
        verdicts.append(start(env))

    strategy: DepthFirst | Replaying = (
        DepthFirst(reduction, preemption_bound) if replay is None else Replaying(decode(replay))
    )
    # With line switches, the first runs of a program in a session meet switch points that later
    # runs do not (the interpreter's warm-up): one run first, not counted, so that a schedule
    # found while exploring replays the same way in a new session.
    sess.run(program, Replaying([]))
    schedules = 0
    while True:
        verdicts.clear()
        run = sess.run(program, strategy)
        if run.end is not End.PRUNED:
            schedules += 1
            failures = [f"{f.kind}: {f.message} ({f.thread})" for f in run.failures]
            problem = problem_of(run.end, failures, verdicts[0] if verdicts else None, run.clock)
            if problem is not None:
                made = strategy.made if isinstance(strategy, Replaying) else strategy.choices
                blocked = "".join(f"\n  blocked: {b}" for b in run.blocked)
                return Explored(schedules, (encode(made), problem + blocked))
        if isinstance(strategy, Replaying) or not strategy.next():
            return Explored(schedules, None)
