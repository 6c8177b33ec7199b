"""``threadspec prove``: run every proof family and print one table.

Exit status 0 when every row holds, 1 when one fails (its counterexample is printed),
2 for bad usage.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from proofs.table import ProveOptions, Row, Shard

FAMILIES: list[str] = [
    "proofs.static",
    "proofs.explore_rows",
    "proofs.schedule_rows",
    "proofs.refinement",
    "proofs.thread_properties",
    "proofs.crosshair_rows",
]
"""The modules whose ``rows(options)`` make up the table, in the order they run.

A family whose rows print replay strings of their own form has ``replays(text) -> bool``:
with ``--replay``, only the families that claim the string run. A string no family claims goes
to the families without ``replays`` that replay at all (``proofs.schedule_rows`` reads plain
schedule strings, with ``--only`` its primitive)."""

NEVER_REPLAY: tuple[str, ...] = ("proofs.static", "proofs.explore_rows", "proofs.crosshair_rows")
"""Families with nothing to replay (their counterexamples are printed whole)."""


def replaying_families(text: str) -> list[str]:
    """The families that replay ``text``."""
    claims, others = [], []
    for name in FAMILIES:
        replays = getattr(importlib.import_module(name), "replays", None)
        if replays is not None and replays(text):
            claims.append(name)
        elif replays is None and name not in NEVER_REPLAY:
            others.append(name)
    return claims or others


def run(options: ProveOptions, progress: bool = False) -> Iterator[Row]:
    families = FAMILIES if options.replay is None else replaying_families(options.replay)
    for name in families:
        family = importlib.import_module(name)
        for row in family.rows(options):
            if progress:
                mark = "ok" if row.ok else "FAILED"
                print(f"threadspec prove: {row.family}: {row.property} [{row.bound}]: {mark}, "
                      f"{row.seconds:.1f} s", file=sys.stderr, flush=True)
            yield row


def to_text(rows: Sequence[Row]) -> str:
    head = ("family", "property", "bound", "explored", "result", "seconds")
    body = [
        (r.family, r.property, r.bound, f"{r.explored} {r.unit}", "pass" if r.ok else "FAIL",
         f"{r.seconds:.1f}")
        for r in rows
    ]
    widths = [max(len(x[i]) for x in [head, *body]) for i in range(len(head))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in [head, *body]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    for r in rows:
        if not r.ok:
            lines += ["", f"FAILED {r.family}: {r.property} [{r.bound}]", str(r.counterexample)]
    failed = sum(not r.ok for r in rows)
    total = sum(r.seconds for r in rows)
    lines += ["", f"{len(rows)} rows, {failed} failed, {total:.1f} s"]
    return "\n".join(lines)


def cmd_prove(args: argparse.Namespace) -> int:
    if (args.module is None) != (args.path is None):
        print("threadspec prove: --module and --path go together", file=sys.stderr)
        return 2
    try:
        shard = Shard.parse(args.shard) if args.shard else None
    except ValueError as e:
        print(f"threadspec prove: {e}", file=sys.stderr)
        return 2
    if args.replay is not None and not replaying_families(args.replay):
        print(f"threadspec prove: no proof family replays {args.replay!r}", file=sys.stderr)
        return 2
    options = ProveOptions(
        only=frozenset(p.strip() for p in args.only.split(",")) if args.only else frozenset(),
        module=args.module,
        path=Path(args.path) if args.path else None,
        shard=shard,
        replay=args.replay,
    )
    rows = list(run(options, progress=args.format == "text"))
    if args.format == "json":
        print(json.dumps([r.to_json() for r in rows], indent=2))
    else:
        print(to_text(rows))
    return 0 if all(r.ok for r in rows) else 1


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "prove",
        help="prove the spec and impl exhaustively within bounds (one table of properties)",
        description="Run the proof families: mypy --strict, CrossHair contracts, exhaustive "
        "exploration of the specs, and the deterministic scheduler (every interleaving of impl, "
        "or of a threading.py given with --module/--path, within bounds). Exit status: 0 every "
        "row holds, 1 a row failed (its counterexample is printed), 2 bad usage.",
    )
    p.add_argument("--only", metavar="PRIMITIVE[,...]", help="only these primitives, e.g. Lock,Condition")
    p.add_argument("--module", metavar="NAME",
                   help="with --path: prove this threading module instead of impl")
    p.add_argument("--path", metavar="DIR", help="directory holding the module named by --module")
    p.add_argument("--shard", metavar="K/N", help="run shard K of N of each schedule exploration")
    p.add_argument("--replay", metavar="STRING", help="replay one schedule printed by a failing row")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=cmd_prove)
