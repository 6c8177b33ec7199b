"""The CrossHair rows of ``threadspec prove``: contracts per primitive, golden breaks found.

* one row per primitive: CrossHair finds no script that breaks its contract
  (``proofs.crosshair.contracts``) within ``CONTRACT_BUDGET`` CPU seconds;
* one row per primitive with an agreement pair (``proofs.crosshair.agreement``): Hypothesis on
  the CrossHair backend finds no single-thread script on which impl and the spec disagree in
  ``AGREEMENT_EXAMPLES`` examples;
* one row for the golden file (``proofs.golden_breaks``): with each seeded break installed,
  CrossHair reports the expected property broken within the break's budget.

Jobs run in a pool of two processes (the machine's cores). A row's seconds are its jobs' own
(wall-clock, in a worker); the family takes about half their sum: 100 s on this machine,
loaded, for 7 contracts and 10 breaks.
"""

from __future__ import annotations

from collections.abc import Iterator

from proofs.crosshair.agreement import PAIRS
from proofs.crosshair.check import Job, Outcome, run_jobs
from proofs.crosshair.contracts import CONTRACTS, MOVES, PROFILES
from proofs.golden_breaks import BREAKS
from proofs.table import ProveOptions, Row

CONTRACT_BUDGET = 6.0
"""CPU seconds CrossHair spends looking for a counterexample to each primitive's contract."""

AGREEMENT_EXAMPLES = 20
"""Examples Hypothesis draws (on the CrossHair backend) for each agreement pair."""

WORKERS = 2


def contract_row(primitive: str, o: Outcome) -> Row:
    bound = f"{MOVES} moves, {len(PROFILES)} profiles, {o.budget:g} s"
    problem = None if o.ok else f"{o.counterexample or o.message} breaks {', '.join(o.broken) or '?'}"
    return Row("crosshair", f"{primitive} contract holds", bound, o.iterations, "paths", o.ok,
               o.seconds, problem, {"function": o.function})


def agreement_row(primitive: str, o: Outcome) -> Row:
    bound = f"1 thread, 3 calls, {o.budget:g} examples, crosshair backend"
    return Row("crosshair", f"{primitive} impl agrees with the spec", bound, o.iterations, "examples",
               o.ok, o.seconds, o.counterexample)


def golden_row(outcomes: list[tuple[str, str, Outcome]]) -> Row:
    missed = [f"{name}: expected {expected}, got {o.broken or 'nothing'}"
              for name, expected, o in outcomes if expected not in o.broken]
    found = len(outcomes) - len(missed)
    notes = {name: {"found": expected in o.broken, "seconds": round(o.seconds, 1), "paths": o.iterations,
                    "budget": o.budget, "counterexample": o.counterexample}
             for name, expected, o in outcomes}
    return Row("crosshair", "golden breaks are all found", f"{len(outcomes)} seeded breaks", found,
               "breaks", not missed and bool(outcomes), sum(o.seconds for _, _, o in outcomes),
               "\n".join(missed) or None, notes)


def rows(options: ProveOptions) -> Iterator[Row]:
    primitives = [p for p in CONTRACTS if options.wants(p)]
    breaks = [b for b in BREAKS if options.wants(b.primitive)]
    pairs = [p for p in PAIRS if options.wants(p)]
    jobs = [Job(p, CONTRACT_BUDGET) for p in primitives]
    jobs += [Job(p, AGREEMENT_EXAMPLES, agreement=True) for p in pairs]
    jobs += [Job(b.primitive, b.budget, b.name) for b in breaks]
    outcomes = run_jobs(jobs, WORKERS) if jobs else []
    for p, o in zip(primitives, outcomes, strict=False):
        yield contract_row(p, o)
    for p, o in zip(pairs, outcomes[len(primitives):], strict=False):
        yield agreement_row(p, o)
    if breaks:
        rest = outcomes[len(primitives) + len(pairs):]
        yield golden_row([(b.name, b.expected, o) for b, o in zip(breaks, rest, strict=True)])
