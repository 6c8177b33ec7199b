"""Reports of a check: what was checked, each clause's status and each failure; as text for
people, JSON for machines, JUnit XML for CI."""

from __future__ import annotations

import enum
import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from conformance import exit_probe
from conformance.checker import ViolationKind
from conformance.scenario import arguments_text
from spec.clauses import REGISTRY
from spec.profiles import Profile
from spec.values import Call


@dataclass(frozen=True)
class Target:
    """What to check: a module in an interpreter."""

    python: str
    module: str = "threading"
    paths: tuple[str, ...] = ()
    prelude: str | None = None


class ClauseStatus(enum.StrEnum):
    """A clause's status in a report (the value is what reports print)."""

    PASSED = "passed"
    FAILED = "failed"
    NOT_EXERCISED = "not exercised"
    """Applicable, but no run exercised it (budget, a class the module lacks…)."""
    NOT_APPLICABLE = "not applicable"
    """Not part of the profile checked."""
    KNOWN_BUG_SEEN = "known bug seen"
    """A clause that tolerates a known bug, whose race a run observed (and the spec tolerated)."""
    KNOWN_BUG_UNSEEN = "known bug not seen"
    """A clause that tolerates a known bug, whose race no run happened to hit."""


@dataclass
class Failure:
    """One violation, with everything needed to understand and replay it."""

    clause: str | None
    kind: ViolationKind
    source: str
    primitive: str
    init: Call
    schedule: tuple[Call, ...]
    failed_step: int | None
    observed: str
    allowed: list[str]
    log: list[str]
    reproducer: str
    """The reproducer script's text."""
    reproducer_path: str | None = None
    """Where ``write_reproducers`` wrote it."""

    @property
    def quote(self) -> str:
        c = REGISTRY.get(self.clause or "")
        return c.quote if c else ""

    def schedule_text(self) -> str:
        if self.kind is ViolationKind.EXIT:
            return exit_probe.SCHEDULE
        ctor = f"{self.primitive}{arguments_text(self.init)}"
        return " ; ".join([ctor, *map(repr, self.schedule)])


@dataclass
class Report:
    target: Target
    profile: Profile
    python_version: str
    implementation: str
    module_file: str
    clauses: dict[str, ClauseStatus] = field(default_factory=dict)
    """clause id → its status, in the registry's order."""
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

    def list_clauses(self, owners: set[str]) -> None:
        """Enter every clause of the primitives ``owners``: not exercised (yet), or not
        applicable to the profile."""
        for c in REGISTRY.values():
            if c.primitive in owners:
                applies = c.applies_to(self.profile)
                self.clauses[c.id] = ClauseStatus.NOT_EXERCISED if applies else ClauseStatus.NOT_APPLICABLE

    def conclude(self, exercised: set[str]) -> None:
        """Each applicable clause's status once the runs are over: failed if a failure names
        it, passed if a run exercised it; a known bug's clause is seen or not seen (no schedule
        forces its race, so it is never "not exercised")."""
        failed = {f.clause for f in self.failures}
        for cid, status in self.clauses.items():
            if status is ClauseStatus.NOT_APPLICABLE:
                continue
            if cid in failed:
                self.clauses[cid] = ClauseStatus.FAILED
            elif REGISTRY[cid].known_bug:
                seen = cid in exercised
                self.clauses[cid] = ClauseStatus.KNOWN_BUG_SEEN if seen else ClauseStatus.KNOWN_BUG_UNSEEN
            elif cid in exercised:
                self.clauses[cid] = ClauseStatus.PASSED


def _failure_json(f: Failure) -> dict[str, Any]:
    return {
        "clause": f.clause,
        "quote": f.quote,
        "kind": f.kind.value,
        "found_by": f.source,
        "schedule": f.schedule_text(),
        "failed_step": f.failed_step,
        "observed": f.observed,
        "spec_allows": f.allowed,
        "log": f.log,
        "reproducer": f.reproducer_path,
    }


def to_json(reports: Sequence[Report]) -> str:
    out = []
    for r in reports:
        out.append(
            {
                "target": {
                    "python": r.target.python,
                    "module": r.target.module,
                    "paths": list(r.target.paths),
                    "version": r.python_version,
                    "implementation": r.implementation,
                    "file": r.module_file,
                },
                "profile": str(r.profile),
                "conformant": r.conformant,
                "seconds": round(r.seconds, 2),
                "scenarios_run": r.scenarios_run,
                "generated_runs": r.generated_runs,
                "budget_exhausted": r.budget_exhausted,
                "restarts": r.restarts,
                "clauses": {cid: st.value for cid, st in r.clauses.items()},
                "failures": [_failure_json(f) for f in r.failures],
            }
        )
    return json.dumps(out if len(out) != 1 else out[0], indent=2)


def to_text(reports: Sequence[Report], verbose: bool = False) -> str:
    lines: list[str] = []
    for r in reports:
        counts: dict[str, int] = {}
        for st in r.clauses.values():
            counts[st.value] = counts.get(st.value, 0) + 1
        lines.append(
            f"target {r.target.python} — Python {r.python_version} ({r.implementation}), "
            f"module {r.target.module} from {r.module_file}"
        )
        lines.append(
            f"profile {r.profile}; {r.scenarios_run} scenarios, {r.generated_runs} random "
            f"schedules in {r.seconds:.1f} s" + (" (budget exhausted)" if r.budget_exhausted else "")
        )
        if r.absent:
            lines.append(f"not checked (the module has no such class): {', '.join(r.absent)}")
        if verbose:
            for cid, st in sorted(r.clauses.items()):
                lines.append(f"  {st.value:<15} {cid}")
        for f in r.failures:
            lines.append("")
            lines.append(f"VIOLATION of {f.clause or '(no clause)'} [{f.kind.value}]")
            if f.quote:
                lines.append(f"  > {f.quote}")
            lines.append(f"  found by:  {f.source}")
            lines.append(f"  schedule:  {f.schedule_text()}")
            lines.append(f"  observed:  {f.observed}")
            lines.append(f"  spec allows: {'; '.join(f.allowed) or 'nothing'}")
            for entry in f.log:
                lines.append(f"    | {entry}")
            if f.reproducer_path is not None:
                lines.append(f"  reproducer: {f.reproducer_path}  (run it with {r.target.python})")
        for cid, st in sorted(r.clauses.items()):
            if st is ClauseStatus.KNOWN_BUG_SEEN:
                lines.append("")
                lines.append(f"KNOWN BUG seen and tolerated: {cid} ({REGISTRY[cid].known_bug})")
                lines.append(f"  > {REGISTRY[cid].quote}")
        lines.append("")
        summary = ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
        verdict = "CONFORMANT" if r.conformant else f"{len(r.failures)} VIOLATION(S)"
        lines.append(f"{verdict}: clauses {summary}")
    return "\n".join(lines)


def to_junit(reports: Sequence[Report]) -> str:
    suites = ET.Element("testsuites")
    for r in reports:
        by_clause: dict[str, list[Failure]] = {}
        for f in r.failures:
            by_clause.setdefault(f.clause or "(no clause)", []).append(f)
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=f"threadspec {r.target.python} {r.target.module}",
            tests=str(len(r.clauses) + len(by_clause.get("(no clause)", []))),
            failures=str(len(r.failures)),
            time=f"{r.seconds:.2f}",
        )
        items: list[tuple[str, ClauseStatus]] = sorted(r.clauses.items())
        if "(no clause)" in by_clause:
            items.append(("(no clause)", ClauseStatus.FAILED))
        for cid, st in items:
            case = ET.SubElement(suite, "testcase", classname=cid.split(".")[0], name=cid)
            if st in (ClauseStatus.NOT_APPLICABLE, ClauseStatus.NOT_EXERCISED, ClauseStatus.KNOWN_BUG_UNSEEN):
                ET.SubElement(case, "skipped", message=st.value)
            for f in by_clause.get(cid, []):
                body = "\n".join(
                    [
                        f"schedule: {f.schedule_text()}",
                        f"observed: {f.observed}",
                        f"spec allows: {'; '.join(f.allowed)}",
                        *f.log,
                        f"reproducer: {f.reproducer_path or ''}",
                    ]
                )
                quote = REGISTRY[cid].quote if cid in REGISTRY else ""
                node = ET.SubElement(case, "failure", message=f"{f.kind.value}: {quote}")
                node.text = body
    return ET.tostring(suites, encoding="unicode")


def write_reproducers(reports: Sequence[Report], directory: str) -> None:
    """Write each failure's reproducer script into ``directory``; the failure keeps its path."""
    for r in reports:
        for i, f in enumerate(r.failures, 1):
            os.makedirs(directory, exist_ok=True)
            name = (f.clause or f.primitive).replace(".", "_").replace("-", "_")
            path = os.path.join(directory, f"repro_{i:02d}_{name}.py")
            with open(path, "w") as fh:
                fh.write(f.reproducer)
            f.reproducer_path = path
