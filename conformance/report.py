"""Reports of a check: what was checked, each clause's status, each violation and each thing
that could not be observed, and the verdict; as text for people, JSON for machines, JUnit XML
for CI.

Text that comes from the code under test (exception class names, reprs, warning categories,
the module's file name) is data: every output quotes or escapes it (``safe_text``), so that it
can neither break a line of the text report, nor the XML or JSON, nor become code in a
reproducer."""

from __future__ import annotations

import enum
import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from conformance import branches, exit_probe
from conformance.checker import NOT_JUDGED, ViolationKind
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
    workers: str = "threads"
    """How the agent runs its workers: OS threads, or a library's green threads (``--target``)."""


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
    NOT_EXERCISABLE = "not exercisable"
    """No run exercised it, and none can on the targets the checker runs on (``Clause.unexercisable``
    says why): not held against the verdict."""
    EXPECTED = "failed as expected"
    """Failed, and listed as a known deviation of the target (``check --expect``)."""


class Verdict(enum.StrEnum):
    """What one check concluded (the value is what reports print); see ``Report.verdict``."""

    CONFORMANT = "conformant"
    """Every applicable clause was exercised, and passed."""
    VIOLATIONS = "violations"
    """At least one violation; each names its clause."""
    COULD_NOT_CHECK = "could not check"
    """No violation, but nothing could be checked for at least one primitive asked for (the
    module lacks it, or none of its runs could be observed)."""
    INCOMPLETE = "incomplete"
    """No violation, but some applicable clauses were not exercised (the budget ran out, or
    some runs could not be observed)."""


EXIT_STATUS = {
    Verdict.CONFORMANT: 0,
    Verdict.VIOLATIONS: 1,
    Verdict.COULD_NOT_CHECK: 2,
    Verdict.INCOMPLETE: 3,
}
"""The exit status of ``threadspec check`` for each verdict (2 is also a target that could
not be started at all)."""

TEXT_LIMIT = 2000
"""The most characters of one text from the target that a text report line or a reproducer's
comment shows (the rest is counted, not shown)."""


def safe_text(text: str, limit: int | None = None, ascii_only: bool = False) -> str:
    """``text``, which may come from the code under test, as one printable line: every
    character that is not printable (newlines, other controls, line separators, lone
    surrogates from undecodable bytes) becomes its Python escape; with ``ascii_only``, every
    character beyond ASCII too. Past ``limit`` characters, the rest is counted, not shown."""
    out = []
    for ch in text:
        if ch.isprintable() and (ch.isascii() or not ascii_only):
            out.append(ch)
        else:
            out.append(ascii(ch)[1:-1])
    line = "".join(out)
    if limit is not None and len(line) > limit:
        line = f"{line[:limit]}... ({len(line) - limit} more characters)"
    return line


def safe_data(text: str) -> str:
    """``text`` for JSON: lone surrogates (undecodable bytes) escaped, everything else kept."""
    if all(not 0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        return text
    return "".join(ascii(ch)[1:-1] if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in text)


@dataclass
class Unobserved:
    """A run whose observations the harness could not get or read (the agent could not start a
    call, could not summarise a value, the target died, the history was too ambiguous): not a
    violation, since no clause was seen broken; it leaves what the run would have checked
    unchecked."""

    primitive: str
    source: str
    """Which scenario or random schedule it happened in."""
    reason: str
    schedule: str
    log: list[str] = field(default_factory=list)


@dataclass
class Failure:
    """One violation, with everything needed to understand and replay it. It names the clause
    broken: a finding without one is a harness failure (``Unobserved``)."""

    clause: str
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
        c = REGISTRY.get(self.clause)
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
    missing: list[str] = field(default_factory=list)
    """Public names (``Lock``, ``local``…) the profile has and the module lacks: their
    primitives could not be checked."""
    unobserved: list[Unobserved] = field(default_factory=list)
    unchecked: dict[str, str] = field(default_factory=dict)
    """Primitive → why nothing could be checked for it (missing, or no run observed)."""
    gil: bool | None = None
    """Whether a GIL serialises the target's threads (the agent's hello); None: unknown."""
    free_threaded_build: bool | None = None
    unreached: list[str] = field(default_factory=list)
    """Clauses not exercised although every scenario written for them ran: the target took
    other branches the spec allows (a target with only the C RLock never gives the Python
    RLock's answers). More budget would not reach them; the run is still incomplete."""
    expected: list[tuple[Failure, str, str | None]] = field(default_factory=list)
    """Violations of a known deviation (``check --expect``), with its reason and issue link: not
    failures."""
    expected_unseen: list[tuple[str, str, str | None]] = field(default_factory=list)
    """Known deviations of this target (clause glob, reason, issue) that no run showed."""
    branch_hits: set[str] = field(default_factory=set)
    """The spec branches the runs exercised (``conformance.branches`` tokens; only while it
    measures: ``check --coverage``)."""
    branch_coverage: dict[str, Any] | None = None
    """``check --coverage``: the spec's branches, total, exercised and missed (``Coverage``)."""

    @property
    def not_exercised(self) -> int:
        return sum(1 for st in self.clauses.values() if st is ClauseStatus.NOT_EXERCISED)

    @property
    def verdict(self) -> Verdict:
        if self.failures:
            return Verdict.VIOLATIONS
        if self.unchecked:
            return Verdict.COULD_NOT_CHECK
        if self.not_exercised or self.unobserved:
            return Verdict.INCOMPLETE
        return Verdict.CONFORMANT

    @property
    def conformant(self) -> bool:
        """Every applicable clause exercised, and passed."""
        return self.verdict is Verdict.CONFORMANT

    def exit_status(self, allow_incomplete: bool = False) -> int:
        """``EXIT_STATUS`` of the verdict; with ``allow_incomplete``, 0 for a run that is
        incomplete only because clauses were not reached, or because the spec declined to judge
        runs (documented strictness reaching a CPython-only clause), not because the harness
        lost runs."""
        lost = [u for u in self.unobserved if not u.reason.startswith(NOT_JUDGED)]
        if allow_incomplete and self.verdict is Verdict.INCOMPLETE and not lost:
            return 0
        return EXIT_STATUS[self.verdict]

    def verdict_line(self) -> str:
        """The last line of the text report."""
        counts: dict[str, int] = {}
        for st in self.clauses.values():
            counts[st.value] = counts.get(st.value, 0) + 1
        summary = "clauses " + ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
        if self.expected:
            summary += f" ({len(self.expected)} EXPECTED deviation(s), not failures)"
        v = self.verdict
        if v is Verdict.VIOLATIONS:
            return f"{len(self.failures)} VIOLATION(S): {summary}"
        if v is Verdict.COULD_NOT_CHECK:
            return f"COULD NOT CHECK {', '.join(sorted(self.unchecked))}: {summary}"
        if v is Verdict.INCOMPLETE:
            why = []
            unreached = len(self.unreached)
            if self.not_exercised > unreached:
                budget = ", the budget ran out" if self.budget_exhausted else ""
                why.append(f"{self.not_exercised - unreached} applicable clauses not exercised{budget}")
            if unreached:
                why.append(f"{unreached} not exercised by the target although their scenarios ran")
            if self.unobserved:
                why.append(f"{len(self.unobserved)} run(s) could not be observed")
            return f"INCOMPLETE: {'; '.join(why)}; {summary}"
        return f"CONFORMANT: {summary}"

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
        self.branch_hits = {e for e in exercised if e.startswith("@")}
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
            elif REGISTRY[cid].unexercisable:
                self.clauses[cid] = ClauseStatus.NOT_EXERCISABLE


def _failure_json(f: Failure) -> dict[str, Any]:
    return {
        "clause": f.clause,
        "quote": f.quote,
        "kind": f.kind.value,
        "found_by": f.source,
        "schedule": safe_data(f.schedule_text()),
        "failed_step": f.failed_step,
        "observed": safe_data(f.observed),
        "spec_allows": [safe_data(a) for a in f.allowed],
        "log": [safe_data(e) for e in f.log],
        "reproducer": f.reproducer_path,
    }


def _unobserved_json(u: Unobserved) -> dict[str, Any]:
    return {
        "primitive": u.primitive,
        "found_by": u.source,
        "reason": safe_data(u.reason),
        "schedule": safe_data(u.schedule),
        "log": [safe_data(e) for e in u.log],
    }


def _report_json(r: Report) -> dict[str, Any]:
    return {
        "target": {
            "python": safe_data(r.target.python),
            "module": safe_data(r.target.module),
            "paths": [safe_data(p) for p in r.target.paths],
            "version": safe_data(r.python_version),
            "implementation": safe_data(r.implementation),
            "file": safe_data(r.module_file),
            "gil": r.gil,
            "free_threaded_build": r.free_threaded_build,
        },
        "profile": str(r.profile),
        "verdict": r.verdict.value,
        "conformant": r.conformant,
        "seconds": round(r.seconds, 2),
        "scenarios_run": r.scenarios_run,
        "generated_runs": r.generated_runs,
        "budget_exhausted": r.budget_exhausted,
        "restarts": r.restarts,
        "missing": r.missing,
        "not_exercised_by_the_target": r.unreached,
        "could_not_check": r.unchecked,
        "clauses": {cid: st.value for cid, st in r.clauses.items()},
        "not_exercisable": {
            cid: REGISTRY[cid].unexercisable
            for cid, st in r.clauses.items()
            if st is ClauseStatus.NOT_EXERCISABLE
        },
        "failures": [_failure_json(f) for f in r.failures],
        "expected": [{**_failure_json(f), "reason": why, "issue": link} for f, why, link in r.expected],
        "expected_not_seen": [
            {"clause": c, "reason": why, "issue": link} for c, why, link in r.expected_unseen
        ],
        "could_not_observe": [_unobserved_json(u) for u in r.unobserved],
        **({"branch_coverage": r.branch_coverage} if r.branch_coverage is not None else {}),
    }


def to_json(reports: Sequence[Report]) -> str:
    out = [_report_json(r) for r in reports]
    return json.dumps(out if len(out) != 1 else out[0], indent=2)


def _failure_text(r: Report, f: Failure) -> list[str]:
    lines = ["", f"VIOLATION of {f.clause} [{f.kind.value}]"]
    if f.quote:
        lines.append(f"  > {f.quote}")
    lines.append(f"  found by:  {f.source}")
    lines.append(f"  schedule:  {f.schedule_text()}")
    lines.append(f"  observed:  {f.observed}")
    lines.append(f"  spec allows: {'; '.join(f.allowed) or 'nothing'}")
    lines.extend(f"    | {entry}" for entry in f.log)
    if f.reproducer_path is not None:
        lines.append(f"  reproducer: {f.reproducer_path}  (run it with {r.target.python})")
    return lines


def _unobserved_text(u: Unobserved) -> list[str]:
    return [
        "",
        f"COULD NOT OBSERVE {u.primitive}: {u.reason}",
        f"  found by:  {u.source}",
        f"  schedule:  {u.schedule}",
        *(f"    | {entry}" for entry in u.log),
    ]


def _report_text(r: Report, verbose: bool) -> list[str]:
    lines = [
        f"target {r.target.python} — Python {r.python_version} ({r.implementation}"
        + (", free-threaded build" if r.free_threaded_build else "")
        + {True: ", GIL on", False: ", GIL off", None: ", GIL unknown"}[r.gil] + "), "
        f"module {r.target.module} from {r.module_file}",
        f"profile {r.profile}; {r.scenarios_run} scenarios, {r.generated_runs} random "
        f"schedules in {r.seconds:.1f} s" + (" (budget exhausted)" if r.budget_exhausted else ""),
    ]
    if r.absent:
        lines.append(f"not checked (the module has no such class): {', '.join(r.absent)}")
    for name in r.missing:
        lines.append(f"MISSING: the module {r.target.module} has no {name}: its clauses could not be checked")
    said = {f"the module has no {name}" for name in r.missing}
    by_reason: dict[str, list[str]] = {}
    for p, why in sorted(r.unchecked.items()):
        if why not in said:
            by_reason.setdefault(why, []).append(p)
    lines.extend(f"could not check {', '.join(ps)}: {why}" for why, ps in by_reason.items())
    if r.unreached:
        lines.append(
            "not exercised although every scenario written for them ran (the target took other "
            f"branches the spec allows): {', '.join(r.unreached)}"
        )
    if verbose:
        lines.extend(f"  {st.value:<15} {cid}" for cid, st in sorted(r.clauses.items()))
    for f in r.failures:
        lines.extend(_failure_text(r, f))
    for f, why, issue in r.expected:
        text = _failure_text(r, f)
        text[1] = f"EXPECTED deviation of {f.clause} [{f.kind.value}] (not a failure): {why}"
        lines.extend(text[:2] + ([f"  upstream:  {issue}"] if issue else []) + text[2:])
    for clause, why, issue in r.expected_unseen:
        lines.extend(["", f"expected but not seen: {clause}: {why}" + (f" ({issue})" if issue else "")])
    for u in r.unobserved:
        lines.extend(_unobserved_text(u))
    unexercisable = [cid for cid, st in sorted(r.clauses.items()) if st is ClauseStatus.NOT_EXERCISABLE]
    if unexercisable:
        lines.append("")
        lines.extend(f"not exercisable here: {cid}: {REGISTRY[cid].unexercisable}" for cid in unexercisable)
    for cid, st in sorted(r.clauses.items()):
        if st is ClauseStatus.KNOWN_BUG_SEEN:
            lines.append("")
            lines.append(f"KNOWN BUG seen and tolerated: {cid} ({REGISTRY[cid].known_bug})")
            lines.append(f"  > {REGISTRY[cid].quote}")
    if r.branch_coverage is not None:
        lines.extend(["", *branches.coverage_text(r.branch_coverage)])
    lines.append("")
    lines.append(r.verdict_line())
    return lines


def to_text(reports: Sequence[Report], verbose: bool = False) -> str:
    """The text report: every line is one line, whatever the target's texts hold."""
    lines: list[str] = []
    for r in reports:
        lines.extend(_report_text(r, verbose))
    return "\n".join(safe_text(line, TEXT_LIMIT) for line in lines)


def _xml(text: str) -> str:
    """Target text for XML: no character XML cannot hold (ElementTree escapes markup)."""
    return safe_text(text, TEXT_LIMIT)


def _junit_suite(suites: ET.Element, r: Report) -> None:
    by_clause: dict[str, list[Failure]] = {}
    for f in r.failures:
        by_clause.setdefault(f.clause, []).append(f)
    errors = len(r.missing) + len(r.unobserved)
    suite = ET.SubElement(
        suites,
        "testsuite",
        name=_xml(f"threadspec {r.target.python} {r.target.module}"),
        tests=str(len(r.clauses) + errors),
        failures=str(len(r.failures)),
        errors=str(errors),
        time=f"{r.seconds:.2f}",
    )
    for cid, st in sorted(r.clauses.items()):
        case = ET.SubElement(suite, "testcase", classname=cid.split(".")[0], name=cid)
        if st in (ClauseStatus.NOT_APPLICABLE, ClauseStatus.NOT_EXERCISED, ClauseStatus.KNOWN_BUG_UNSEEN):
            ET.SubElement(case, "skipped", message=st.value)
        elif st is ClauseStatus.NOT_EXERCISABLE:
            ET.SubElement(case, "skipped", message=_xml(f"{st.value}: {REGISTRY[cid].unexercisable}"))
        elif st is ClauseStatus.EXPECTED:
            why = "; ".join(f"{w}" + (f" ({i})" if i else "") for f, w, i in r.expected if f.clause == cid)
            ET.SubElement(case, "skipped", message=_xml(f"{st.value}: {why}"))
        for f in by_clause.get(cid, []):
            body = "\n".join(
                _xml(line)
                for line in [
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
    for name in r.missing:
        case = ET.SubElement(suite, "testcase", classname="missing", name=_xml(name))
        ET.SubElement(case, "error", message=_xml(f"the module {r.target.module} has no {name}"))
    for i, u in enumerate(r.unobserved, 1):
        case = ET.SubElement(suite, "testcase", classname="could-not-observe", name=f"{u.primitive} {i}")
        node = ET.SubElement(case, "error", message=_xml(u.reason))
        texts = [f"found by: {u.source}", f"schedule: {u.schedule}", *u.log]
        node.text = "\n".join(_xml(line) for line in texts)


def to_junit(reports: Sequence[Report]) -> str:
    """JUnit XML: a testcase per clause (failure: a violation; skipped: not exercised or not
    applicable), an error per missing name and per run that could not be observed."""
    suites = ET.Element("testsuites")
    for r in reports:
        _junit_suite(suites, r)
    return ET.tostring(suites, encoding="unicode")


def write_reproducers(reports: Sequence[Report], directory: str) -> None:
    """Write each failure's reproducer script into ``directory``; the failure keeps its path."""
    for r in reports:
        for i, f in enumerate([*r.failures, *(e[0] for e in r.expected)], 1):
            os.makedirs(directory, exist_ok=True)
            name = f.clause.replace(".", "_").replace("-", "_")
            path = os.path.join(directory, f"repro_{i:02d}_{name}.py")
            with open(path, "w", encoding="utf-8", errors="backslashreplace") as fh:
                fh.write(f.reproducer)
            f.reproducer_path = path
