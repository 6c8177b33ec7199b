"""The exploration rows of ``threadspec prove``: each named property in each bound.

For every bound of ``proofs.bounds`` (those of the primitives ``--only`` names, if given) one
exploration checks every property of ``proofs.properties`` that applies to the primitive. It
yields one row saying whether the state count is still the pinned one, then one row per
property. Their seconds add up to the exploration's: the pinned-count row has the time spent
exploring (computing the spec's transitions), each property's row the time spent in its own
checks. ``explored`` is the number of distinct spec states; the notes give the nodes (spec
states with blocked threads, calls left and the properties' ghost values) and how many times
the property looked at something (``checks``; 0 would mean it held vacuously). With
``--shard K/N`` a shard explores every N-th bound.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Iterator

from proofs.bounds import BOUNDS, Bound
from proofs.properties import Run, check
from proofs.table import ProveOptions, Row

FAMILY = "explore"
PINNED = "state count as pinned"


def _pinned_row(run: Run) -> Row:
    b = run.bound
    problem = None
    if not run.pinned_ok:
        problem = (f"reached {run.states} states and {run.spec_nodes} nodes; proofs/bounds.py pins "
                   f"{b.states} states and {b.nodes} nodes: a change to the spec, look at it")
    notes = {"nodes": run.spec_nodes, "pinned": list(b.pinned), "transitions": run.transitions}
    return Row(FAMILY, PINNED, b.describe(), run.states, "states", problem is None, run.engine_seconds,
               problem, notes)


def bound_rows(bound: Bound) -> Iterator[Row]:
    """The rows of one bound: its pinned count, then each property."""
    t0 = time.monotonic()
    try:
        run = check(bound)
    except Exception:  # a spec that raises, or an exploration past its limit: a failed row, not a crash
        seconds = time.monotonic() - t0
        yield Row(FAMILY, "exploration completes", bound.describe(), 0, "states", False, seconds,
                  traceback.format_exc(limit=6))
        return
    yield _pinned_row(run)
    for v in run.verdicts.values():
        yield Row(FAMILY, v.prop.name, bound.describe(), run.states, "states", v.ok, v.seconds,
                  v.counterexample, {"checks": v.checks, "nodes": run.nodes})


def chosen(options: ProveOptions) -> list[Bound]:
    """The bounds ``options`` asks for: those of the ``--only`` primitives; with ``--shard K/N``,
    every N-th of them from the K-th (so that the shards' rows add up to the whole table)."""
    wanted = [b for b in BOUNDS if options.wants(b.primitive)]
    if options.shard is None:
        return wanted
    k, n = options.shard.k, options.shard.n
    return [b for i, b in enumerate(wanted) if i % n == k - 1]


def rows(options: ProveOptions) -> Iterator[Row]:
    if options.replay is not None:
        return  # a replay runs one schedule of the scheduler's families only
    for bound in chosen(options):
        yield from bound_rows(bound)
