"""``threadspec vectors``: every scenario as language-neutral JSON test vectors.

For runtimes that cannot run the Python agent yet: each vector is a scenario's calls, the
order its schedule forces, and, for each step, every outcome the spec allows (including
that the call blocks), computed from the spec by ``conformance.vectors_model``, with the
clause and quoted sentence of each. One file per primitive, scenarios by name, keys sorted:
two profiles' files diff cleanly. ``docs/VECTORS.md`` describes the format.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from conformance.scenario import Scenario, calls_of
from conformance.scenarios import load_scenarios
from conformance.vectors_encoding import encode, encode_outcome, encode_thread
from conformance.vectors_model import SHORT_TIMEOUT_CAP, Case, Seen, Simulation, simulate
from spec import PRIMITIVES
from spec.clauses import REGISTRY
from spec.profiles import Profile, Strictness, profile_for
from spec.values import ENV, Call

FORMAT = "threadspec-vectors"
FORMAT_VERSION = 1


class VectorsError(Exception):
    """Vectors could not be written (unknown profile or primitive, unwritable directory)."""


def _clauses(ids: Iterable[str]) -> list[dict[str, str]]:
    return [{"id": i, "quote": REGISTRY[i].quote} for i in sorted(set(ids)) if i]


def _call(c: Call) -> dict[str, Any]:
    return {"op": c.op, "args": [encode(a) for a in c.args], "kwargs": {k: encode(v) for k, v in c.kwargs}}


def _seen(s: Seen, clauses: dict[Seen, set[str]], with_thread: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"blocks": True} if s.outcome is None else encode_outcome(s.outcome)
    if with_thread:
        out["thread"] = encode_thread(s.thread)
    if s.expired_after is not None:
        out["after_timeout"] = encode(s.expired_after)
    out["clauses"] = _clauses(clauses.get(s, ()))
    return out


def _case(case: Case) -> dict[str, Any]:
    o = case.observation
    out: dict[str, Any] = {
        "from": sorted(case.sources),
        "to": case.target,
        "results": [_seen(s, case.clauses, False) for s in o.results],
        "woken": [_seen(s, case.clauses, True) for s in o.woken],
        "blocked": [encode_thread(t) for t in o.blocked],
    }
    if o.skipped:
        out["skipped"] = True
    if case.env_clauses:
        out["env_clauses"] = _clauses(case.env_clauses)
    return out


def _cases_sorted(cases: list[Case]) -> list[dict[str, Any]]:
    rows = [_case(c) for c in cases]
    return sorted(rows, key=lambda d: (d["from"], d["to"], json.dumps(d, sort_keys=True)))


def vector(sim: Simulation) -> dict[str, Any]:
    """One scenario's vector (a JSON object)."""
    sc = sim.scenario
    init = _call(sim.scenario.init)
    del init["op"]
    init["outcome"] = {**encode_outcome(sim.init_outcome), "clauses": _clauses([sim.init_clause])}
    steps = []
    for i, st in enumerate(sim.steps):
        steps.append(
            {
                "index": i,
                "by": encode_thread(st.step.thread),
                "calls": [_call(c) for c in calls_of(st.step)],
                "cases": _cases_sorted(st.cases),
            }
        )
    return {
        "name": sc.name,
        "primitive": sc.primitive,
        "covers": sorted(sc.covers),
        "init": init,
        "steps": steps,
    }


def _versions(s: Scenario) -> str:
    start = f">={s.since[0]}.{s.since[1]}"
    return start if s.until is None else f"{start},<{s.until[0]}.{s.until[1]}"


def vectors_for(profile: Profile, primitive: str) -> dict[str, Any]:
    """The vector file of ``primitive`` in ``profile`` (a JSON object)."""
    scenarios = sorted(
        (s for s in load_scenarios() if s.primitive == primitive and s.applies_to(profile)),
        key=lambda s: s.name,
    )
    spec = PRIMITIVES[primitive]
    out = [vector(simulate(spec, profile, s)) for s in scenarios]
    for v, s in zip(out, scenarios, strict=True):
        v["versions"] = _versions(s)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "profile": f"{profile.version[0]}.{profile.version[1]}",
        "strictness": profile.strictness.value,
        "primitive": primitive,
        "exact_warnings": profile.cpython,
        "short_timeout_cap": encode(SHORT_TIMEOUT_CAP),
        "env": encode_thread(ENV),
        "scenarios": out,
    }


def primitives_for(only: Sequence[str]) -> list[str]:
    """The primitives asked for (all by default), with their companions, sorted.

    Raises:
      VectorsError: an unknown primitive.
    """
    wanted = set(only) if only else set(PRIMITIVES)
    unknown = wanted - set(PRIMITIVES)
    if unknown:
        known = ", ".join(sorted(PRIMITIVES))
        raise VectorsError(f"unknown primitive: {', '.join(sorted(unknown))} (known: {known})")
    wanted |= {c for p in wanted for c in PRIMITIVES[p].companions}
    return sorted(wanted)


def write(profile: Profile, primitives: Sequence[str], directory: str) -> dict[str, int]:
    """Write one ``PRIMITIVE.json`` per primitive into ``directory``; the paths written, with
    the number of scenarios in each.

    Raises:
      VectorsError: the directory cannot be created or written.
    """
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as e:
        raise VectorsError(f"cannot create output directory {directory}: {e.strerror or e}") from None
    if not os.path.isdir(directory) or not os.access(directory, os.W_OK):
        raise VectorsError(f"output directory {directory} is not a writable directory")
    paths: dict[str, int] = {}
    for p in primitives:
        path = os.path.join(directory, f"{p}.json")
        data = vectors_for(profile, p)
        text = json.dumps(data, indent=1, sort_keys=True, allow_nan=False)
        try:
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text + "\n")
        except OSError as e:
            raise VectorsError(f"cannot write {path}: {e.strerror or e}") from None
        paths[path] = len(data["scenarios"])
    return paths


def cmd_vectors(args: argparse.Namespace) -> int:
    try:
        profile = profile_for(args.profile, Strictness(args.strictness))
        only = [p.strip() for p in args.only.split(",") if p.strip()] if args.only else []
        paths = write(profile, primitives_for(only), args.output)
    except (ValueError, VectorsError) as e:
        print(f"threadspec: {e}", file=sys.stderr)
        return 2
    scenarios = sum(paths.values())
    print(f"threadspec: wrote {scenarios} scenarios of {len(paths)} primitives ({profile}) to {args.output}")
    return 0


def register(sub: Any) -> None:
    """Add ``threadspec vectors`` to the command line."""
    v = sub.add_parser(
        "vectors",
        help="write every scenario as language-neutral JSON test vectors",
        description="Write every scenario that applies to a profile as JSON test vectors: the calls, "
        "the order the schedule forces, and for each step every outcome the spec allows (including "
        "that the call blocks), with the clause and quoted sentence of each. One file per primitive "
        "(PRIMITIVE.json); the format is described in docs/VECTORS.md. Exit status: 0 written, "
        "2 could not write (unknown profile or primitive, unwritable directory).",
    )
    v.add_argument("--profile", metavar="VERSION", required=True, help="the spec profile, e.g. 3.11")
    v.add_argument(
        "--strictness",
        choices=[s.value for s in Strictness],
        default=Strictness.CPYTHON.value,
        help="documented: only documented guarantees; cpython: also CPython's own behaviour (default)",
    )
    v.add_argument("--only", metavar="PRIMITIVE[,...]", help="only these primitives, e.g. Lock,Condition")
    v.add_argument("--output", metavar="DIR", required=True, help="directory the files go to (created)")
    v.set_defaults(func=cmd_vectors)
