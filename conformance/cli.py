"""The ``threadspec`` command line."""

from __future__ import annotations

import argparse
import contextlib
import functools
import importlib
import json
import math
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import spec
from spec.clauses import REGISTRY, Clause
from spec.profiles import Strictness, profile_for

if TYPE_CHECKING:
    from conformance.adapters import Adapter
    from conformance.report import Report

MIN_BUDGET = 1.0
"""The smallest ``check --budget`` in seconds: less cannot even start the target's agent (a
budget ≤ 0, or below this, is a usage error)."""

EXIT_STATUS_HELP = (
    "Exit status: 0 conformant (every applicable clause exercised and passed); 1 violations found "
    "(each names its clause); 2 could not check (the target could not be started, a usage error, or "
    "nothing could be checked for a primitive asked for: the module lacks it, or none of its runs "
    "could be observed); 3 incomplete (no violation, but applicable clauses were not exercised, "
    "e.g. the budget ran out, or some runs could not be observed)."
)

SUBCOMMANDS: list[str] = [
    "proofs.prove",
    "conformance.reference",
    "conformance.coverage",
    "conformance.matrix",
    "conformance.vectors",
]
"""Modules that add a subcommand with ``register(subparsers)`` (kept out of this file)."""


def _clause_json(c: Clause) -> dict[str, object]:
    return {
        "id": c.id,
        "primitive": c.primitive,
        "doc": c.doc,
        "versions": c.versions_text(),
        "since": f"{c.since[0]}.{c.since[1]}",
        "until": None if c.until is None else f"{c.until[0]}.{c.until[1]}",
        "strictness": c.strictness.value,
        "strictness_only": c.strictness_only,
        "quote": c.quote,
    }


def cmd_clauses(args: argparse.Namespace) -> int:
    assert spec.PRIMITIVES  # importing spec fills the registry
    clauses = list(REGISTRY.values())
    if args.profile:
        try:
            profile = profile_for(args.profile, Strictness(args.strictness))
        except ValueError as e:
            print(f"threadspec: {e}", file=sys.stderr)
            return 2
        clauses = [c for c in clauses if c.applies_to(profile)]
    if args.primitive:
        wanted = {p.strip() for p in args.primitive.split(",")}
        unknown = wanted - {c.primitive for c in REGISTRY.values()}
        if unknown:
            print(f"threadspec: unknown primitive: {', '.join(sorted(unknown))}", file=sys.stderr)
            return 2
        clauses = [c for c in clauses if c.primitive in wanted]
    if args.format == "json":
        json.dump([_clause_json(c) for c in clauses], sys.stdout, indent=2)
        print()
        return 0
    for c in clauses:
        print(f"{c.id}  [{c.versions_text()}, {c.strictness_text()}]  {c.doc}")
        print(f"    > {c.quote}")
    counts: dict[str, int] = {}
    for c in clauses:
        counts[c.primitive] = counts.get(c.primitive, 0) + 1
    summary = ", ".join(f"{k} {v}" for k, v in counts.items())
    print(f"{len(clauses)} clauses: {summary}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from conformance import expect
    from conformance import report as reporting
    from conformance.report import Target
    from conformance.runner import CannotCheck, CheckOptions, check

    pythons = args.python or [sys.executable]
    if not math.isfinite(args.budget) or args.budget < MIN_BUDGET:
        print(
            f"threadspec: --budget must be at least {MIN_BUDGET:g} seconds (a finite number), "
            f"not {args.budget:g}",
            file=sys.stderr,
        )
        return 2
    if args.agents < 1:
        print(f"threadspec: --agents must be at least 1, not {args.agents}", file=sys.stderr)
        return 2
    only = tuple(p.strip() for p in args.only.split(",")) if args.only else ()
    adapter, only = _adapter(args, pythons, only)
    if adapter is None and args.target is not None:
        return 0 if args.target == "list" else 2
    try:
        expectations = expect.load(args.expect) if args.expect else []
    except expect.BadExpectFile as e:
        where = reporting.safe_text(args.expect)
        print(f"threadspec: bad --expect file {where}: {reporting.safe_text(str(e))}", file=sys.stderr)
        return 2
    options = CheckOptions(
        profile=args.profile,
        strictness=Strictness(args.strictness) if args.strictness else _strictness(adapter),
        only=only,
        budget=args.budget,
        agents=args.agents,
        seed=args.seed,
        fail_fast=args.fail_fast,
        settle=args.settle,
        deadline=args.deadline,
        expected=functools.partial(expect.covers, expectations),
    )
    reports: list[Report] = []
    for py in pythons:
        target = Target(py, args.module, tuple(args.path), args.prelude)
        if adapter is not None:
            target = Target(py, adapter.module, tuple(args.path), adapter.prelude, adapter.workers)
        progress = _Progress(py, args.format == "text" and args.output is None)
        try:
            with progress, _measuring(args.coverage):
                reports.append(check(target, options, progress=progress.update))
            expect.apply(expectations, reports[-1])
            if args.coverage:
                reports[-1].branch_coverage = _branch_coverage(reports[-1])
        except CannotCheck as e:
            print(f"threadspec: cannot check {reporting.safe_text(f'{py}: {e}')}", file=sys.stderr)
            return 2
    if any(r.failures or r.expected for r in reports):
        import tempfile

        reporting.write_reproducers(reports, args.reproducers or tempfile.mkdtemp(prefix="threadspec-repro-"))
    if args.format == "json":
        text = reporting.to_json(reports)
    elif args.format == "junit":
        text = reporting.to_junit(reports)
    else:
        text = reporting.to_text(reports, verbose=args.verbose)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
        verdicts = ", ".join(r.verdict.value for r in reports)
        print(f"threadspec: {verdicts}; report written to {args.output}", file=sys.stderr)
    else:
        if hasattr(sys.stdout, "reconfigure"):  # a terminal or pipe that cannot show a character
            sys.stdout.reconfigure(errors="backslashreplace")
        print(text)
    return _exit_status(reports, args.allow_incomplete)


def _measuring(on: bool) -> contextlib.AbstractContextManager[None]:
    from conformance import branches

    return branches.measuring() if on else contextlib.nullcontext()


def _branch_coverage(r: Report) -> dict[str, object]:
    from conformance import branches
    from conformance.report import ClauseStatus

    applicable = [c for c, st in r.clauses.items() if st is not ClauseStatus.NOT_APPLICABLE]
    return branches.summarize(applicable, r.branch_hits).to_json()


def _adapter(
    args: argparse.Namespace, pythons: list[str], only: tuple[str, ...]
) -> tuple[Adapter | None, tuple[str, ...]]:
    """``--target``'s adapter and the primitives to check; (None, ...) when there is none, or
    when ``--target list`` was printed or the target cannot be used (said on stderr)."""
    if args.target is None:
        return None, only
    from conformance import adapters

    if args.target == "list":
        print(adapters.listing())
        return None, only
    try:
        custom = args.module != "threading" or bool(args.prelude)
        adapter, only = adapters.choose(args.target, pythons, only, custom)
    except adapters.AdapterError as e:
        print(f"threadspec: {e}", file=sys.stderr)
        return None, only
    if adapter.not_offered():
        print(
            f"threadspec: target {adapter.name}: not offered by the library (not checked): "
            f"{', '.join(adapter.not_offered())}",
            file=sys.stderr,
        )
    return adapter, only


def _strictness(adapter: Adapter | None) -> Strictness | None:
    return None if adapter is None else adapter.strictness


def _exit_status(reports: Sequence[Report], allow_incomplete: bool) -> int:
    """The worst of the reports' exit statuses: violations (1) before could-not-check (2)
    before incomplete (3)."""
    statuses = {r.exit_status(allow_incomplete) for r in reports}
    return next((s for s in (1, 2, 3) if s in statuses), 0)


class _Progress:
    """A live progress line on a terminal; occasional plain lines otherwise (on stderr)."""

    def __init__(self, label: str, allow_live: bool) -> None:
        self.label = label
        self.live = allow_live and sys.stderr.isatty()
        self._last = 0.0
        self._task: object = None
        self._bar: object = None

    def __enter__(self) -> _Progress:
        if self.live:
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            bar = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                TextColumn("{task.completed}/{task.total}"),
                TimeElapsedColumn(),
                TextColumn("{task.fields[violations]} violations  {task.fields[now]}"),
                transient=True,
            )
            bar.start()
            self._bar = bar
            self._task = bar.add_task(self.label, total=None, violations=0, now="")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()  # type: ignore[attr-defined]

    def update(self, p: dict[str, object]) -> None:
        if self._bar is not None:
            self._bar.update(  # type: ignore[attr-defined]
                self._task, completed=p["done"], total=p["total"], violations=p["violations"], now=p["label"]
            )
            return
        elapsed = float(p["elapsed"])  # type: ignore[arg-type]
        if elapsed - self._last >= 5.0 or p["label"] == "done":
            self._last = elapsed
            print(
                f"threadspec: {self.label}: {p['done']}/{p['total']} done, {elapsed:.0f} s, "
                f"{p['violations']} violations, now {p['label']}",
                file=sys.stderr,
                flush=True,
            )


def _adapter_names() -> list[str]:
    from conformance.adapters import ADAPTERS

    return list(ADAPTERS)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="threadspec",
        description="A formal specification of Python's threading module, and a checker "
        "that drives any implementation of it against the spec.",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    c = sub.add_parser("clauses", help="print the clause registry (the spec's table of contents)")
    c.add_argument("--profile", metavar="VERSION", help="only clauses that apply to VERSION, e.g. 3.11")
    c.add_argument(
        "--strictness",
        choices=[s.value for s in Strictness],
        default=Strictness.CPYTHON.value,
        help="with --profile: documented = only documented guarantees; cpython = also "
        "CPython's own behaviour (default)",
    )
    c.add_argument("--primitive", metavar="NAME[,NAME]", help="only these primitives, e.g. Lock,RLock")
    c.add_argument("--format", choices=["text", "json"], default="text")
    c.set_defaults(func=cmd_clauses)

    k = sub.add_parser(
        "check",
        help="check a threading implementation against the spec",
        description="Drive a threading implementation with real threads and check every observation "
        "against the spec. " + EXIT_STATUS_HELP,
    )
    k.add_argument(
        "--python",
        metavar="PATH",
        action="append",
        help="interpreter to check (repeat for a matrix; default: this one)",
    )
    k.add_argument(
        "--path",
        metavar="DIR",
        action="append",
        default=[],
        help="put DIR first on the target's import path, for the whole process (repeatable)",
    )
    k.add_argument("--module", default="threading", help="module under test (default: threading)")
    k.add_argument(
        "--target",
        metavar="NAME",
        help="a library that imitates threading, with its prelude, names and workers: "
        + ", ".join(_adapter_names())
        + " (--target list describes them); not with --module or --prelude",
    )
    k.add_argument(
        "--prelude", metavar="CODE", help="Python code the target runs before importing the module"
    )
    k.add_argument("--profile", metavar="VERSION", help="spec profile (default: the target's version)")
    k.add_argument(
        "--strictness",
        choices=[s.value for s in Strictness],
        default=None,
        help="documented: only documented guarantees; cpython: also CPython's own behaviour "
        "(default: cpython for CPython targets, documented for others)",
    )
    k.add_argument(
        "--only", metavar="PRIMITIVE[,...]", help="check only these primitives, e.g. Lock,Condition"
    )
    k.add_argument(
        "--budget",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help=f"time for the whole run of one target, at least {MIN_BUDGET:g} (default 30); a budget "
        "too short to exercise every applicable clause gives the verdict INCOMPLETE (exit status 3)",
    )
    k.add_argument(
        "--agents",
        type=int,
        default=3,
        metavar="N",
        help="run the scenarios on N agents (target processes) side by side (default 3; 1 runs "
        "everything in one process). Runs mostly wait, so more agents than cores still help",
    )
    k.add_argument("--seed", type=int, default=0, help="seed of the random schedules (default 0)")
    k.add_argument("--format", choices=["text", "json", "junit"], default="text")
    k.add_argument("--output", metavar="FILE", help="write the report to FILE instead of stdout")
    k.add_argument(
        "--reproducers", metavar="DIR", help="where reproducer scripts go (default: a new temp dir)"
    )
    k.add_argument("--fail-fast", action="store_true", help="stop at the first violation")
    k.add_argument(
        "--expect", metavar="FILE",
        help="known deviations (JSON: target glob, clause glob, reason, issue link; see README): their "
        "violations are reported as EXPECTED, not failures; one that did not show is 'expected but not "
        "seen'. A file that cannot be read or parsed exits 2",
    )
    k.add_argument(
        "--allow-incomplete",
        action="store_true",
        help="exit 0, not 3, when the run is incomplete only because clauses were not reached (the "
        "verdict still says INCOMPLETE); for mutant sweeps and quick CI jobs, and for runs the spec "
        "declined to judge (documented strictness reaching a CPython-only clause). Runs the harness "
        "could not observe still exit 3",
    )
    k.add_argument("--verbose", action="store_true", help="list every clause's status in the text report")
    k.add_argument(
        "--coverage",
        action="store_true",
        help="measure which branches of the spec (each result citing a clause) explained the "
        "observations; print them per primitive, with the missed ones (file:line, clause)",
    )
    k.add_argument("--settle", type=float, default=0.01, help=argparse.SUPPRESS)
    k.add_argument("--deadline", type=float, default=10.0, help=argparse.SUPPRESS)
    k.set_defaults(func=cmd_check)
    for name in SUBCOMMANDS:
        importlib.import_module(name).register(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    rc: int = args.func(args)
    return rc


if __name__ == "__main__":
    sys.exit(main())
