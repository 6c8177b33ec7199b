"""The ``threadspec`` command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

import spec
from spec.core import REGISTRY, Clause, Strictness, profile_for


def _clause_json(c: Clause) -> dict[str, object]:
    return {
        "id": c.id,
        "primitive": c.primitive,
        "doc": c.doc,
        "versions": c.versions_text(),
        "since": f"{c.since[0]}.{c.since[1]}",
        "until": None if c.until is None else f"{c.until[0]}.{c.until[1]}",
        "strictness": c.strictness.value,
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
        print(f"{c.id}  [{c.versions_text()}, {c.strictness.value}]  {c.doc}")
        print(f"    > {c.quote}")
    counts: dict[str, int] = {}
    for c in clauses:
        counts[c.primitive] = counts.get(c.primitive, 0) + 1
    summary = ", ".join(f"{k} {v}" for k, v in counts.items())
    print(f"{len(clauses)} clauses: {summary}")
    return 0


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
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    rc: int = args.func(args)
    return rc


if __name__ == "__main__":
    sys.exit(main())
