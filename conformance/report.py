"""Reports of a check: text for people, JSON for machines, JUnit XML for CI."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

from conformance.runner import KNOWN_BUG_SEEN, KNOWN_BUG_UNSEEN, Failure, Report
from spec.clauses import REGISTRY


def _failure_json(f: Failure, reproducer_path: str | None) -> dict[str, Any]:
    return {
        "clause": f.clause,
        "quote": f.quote,
        "kind": f.kind,
        "found_by": f.source,
        "schedule": f.schedule_text(),
        "failed_step": f.failed_step,
        "observed": f.observed,
        "spec_allows": f.allowed,
        "log": f.log,
        "reproducer": reproducer_path,
    }


def to_json(reports: Sequence[Report], repro_paths: dict[int, str]) -> str:
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
                "clauses": r.clauses,
                "failures": [_failure_json(f, repro_paths.get(id(f))) for f in r.failures],
            }
        )
    return json.dumps(out if len(out) != 1 else out[0], indent=2)


def to_text(reports: Sequence[Report], repro_paths: dict[int, str], verbose: bool = False) -> str:
    lines: list[str] = []
    for r in reports:
        counts: dict[str, int] = {}
        for st in r.clauses.values():
            counts[st] = counts.get(st, 0) + 1
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
                lines.append(f"  {st:<15} {cid}")
        for f in r.failures:
            lines.append("")
            lines.append(f"VIOLATION of {f.clause or '(no clause)'} [{f.kind}]")
            if f.quote:
                lines.append(f"  > {f.quote}")
            lines.append(f"  found by:  {f.source}")
            lines.append(f"  schedule:  {f.schedule_text()}")
            lines.append(f"  observed:  {f.observed}")
            lines.append(f"  spec allows: {'; '.join(f.allowed) or 'nothing'}")
            for entry in f.log:
                lines.append(f"    | {entry}")
            if id(f) in repro_paths:
                lines.append(f"  reproducer: {repro_paths[id(f)]}  (run it with {r.target.python})")
        for cid, st in sorted(r.clauses.items()):
            if st == KNOWN_BUG_SEEN:
                lines.append("")
                lines.append(f"KNOWN BUG seen and tolerated: {cid} ({REGISTRY[cid].known_bug})")
                lines.append(f"  > {REGISTRY[cid].quote}")
        lines.append("")
        summary = ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
        verdict = "CONFORMANT" if r.conformant else f"{len(r.failures)} VIOLATION(S)"
        lines.append(f"{verdict}: clauses {summary}")
    return "\n".join(lines)


def to_junit(reports: Sequence[Report], repro_paths: dict[int, str]) -> str:
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
        items: list[tuple[str, str]] = sorted(r.clauses.items())
        if "(no clause)" in by_clause:
            items.append(("(no clause)", "failed"))
        for cid, st in items:
            case = ET.SubElement(suite, "testcase", classname=cid.split(".")[0], name=cid)
            if st in ("not applicable", "not exercised", KNOWN_BUG_UNSEEN):
                ET.SubElement(case, "skipped", message=st)
            for f in by_clause.get(cid, []):
                body = "\n".join(
                    [
                        f"schedule: {f.schedule_text()}",
                        f"observed: {f.observed}",
                        f"spec allows: {'; '.join(f.allowed)}",
                        *f.log,
                        f"reproducer: {repro_paths.get(id(f), '')}",
                    ]
                )
                node = ET.SubElement(
                    case, "failure", message=f"{f.kind}: {REGISTRY[cid].quote if cid in REGISTRY else ''}"
                )
                node.text = body
    return ET.tostring(suites, encoding="unicode")


def write_reproducers(reports: Sequence[Report], directory: str) -> dict[int, str]:
    """Write each failure's reproducer script; returns failure id → path."""
    paths: dict[int, str] = {}
    for r in reports:
        for i, f in enumerate(r.failures, 1):
            os.makedirs(directory, exist_ok=True)
            name = (f.clause or f.primitive).replace(".", "_").replace("-", "_")
            path = os.path.join(directory, f"repro_{i:02d}_{name}.py")
            with open(path, "w") as fh:
                fh.write(f.reproducer)
            paths[id(f)] = path
    return paths
