"""Run CrossHair on a contract function with a per-condition budget, and name what it found.

``check(fn, properties, budget)`` asks CrossHair (through its Python API, the same analysis
as ``crosshair check --analysis_kind PEP316 --per_condition_timeout BUDGET``) for an input
that breaks ``fn``'s contract. A counterexample comes back as the call that breaks it
(``lock_contracts(3, [(0, 0, 3, 3, 0, float("nan"))])``); ``replay`` runs that call again,
concretely, to name the properties it breaks.
"""

from __future__ import annotations

import collections
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from crosshair.core_and_libs import AnalysisKind, analyze_function, run_checkables
from crosshair.options import AnalysisOptionSet
from crosshair.statespace import MessageType

FAILURES = frozenset({
    MessageType.POST_FAIL, MessageType.POST_ERR, MessageType.EXEC_ERR,
    MessageType.PRE_UNSAT, MessageType.SYNTAX_ERR, MessageType.IMPORT_ERR,
})
"""Messages that mean the contract does not hold (or could not be checked at all)."""


@dataclass
class Outcome:
    """What CrossHair reported for one contract within its budget."""

    function: str
    budget: float
    seconds: float
    counterexample: str | None = None
    """The call that breaks the contract, as CrossHair prints it (None: none found)."""
    broken: list[str] = field(default_factory=list)
    """The properties the counterexample breaks, or ``raises <Exception>``."""
    message: str = ""
    iterations: int = 0
    """How many execution paths CrossHair tried."""

    @property
    def ok(self) -> bool:
        return self.counterexample is None and not self.message


def call_text(message: str, name: str) -> str | None:
    """The ``name(...)`` call in a CrossHair message (``... when calling name(...)``)."""
    start = message.find(f"when calling {name}(")
    if start < 0:
        return None
    start += len("when calling ")
    depth = 0
    for i in range(start + len(name), len(message)):
        depth += {"(": 1, ")": -1}.get(message[i], 0)
        if depth == 0:
            return message[start : i + 1]
    return None


def replay(fn: Callable[..., Any], text: str, properties: tuple[Callable[[Any], bool], ...]) -> list[str]:
    """Run the counterexample ``text`` (a call of ``fn``) concretely; name what it breaks."""
    try:
        trace = eval(text, {fn.__name__: fn, "float": float})  # noqa: S307 - CrossHair's own repro
    except Exception as exc:  # noqa: BLE001 - the exception is the finding
        return [f"raises {type(exc).__name__}"]
    return [p.__name__ for p in properties if not p(trace)]


def check(
    fn: Callable[..., Any],
    properties: tuple[Callable[[Any], bool], ...],
    budget: float,
    per_path: float | None = None,
) -> Outcome:
    """Ask CrossHair, for at most ``budget`` CPU seconds, for an input breaking ``fn``'s contract."""
    stats: collections.Counter[str] = collections.Counter()
    options = AnalysisOptionSet(
        analysis_kind=[AnalysisKind.PEP316],
        per_condition_timeout=budget,
        per_path_timeout=per_path,
        stats=stats,
    )
    t0 = time.monotonic()
    messages = run_checkables(analyze_function(fn, options))
    out = Outcome(fn.__name__, budget, time.monotonic() - t0, iterations=stats.get("num_paths", 0))
    for m in messages:
        if m.state not in FAILURES:
            continue
        out.message = m.message
        out.counterexample = call_text(m.message, fn.__name__)
        if out.counterexample is not None:
            out.broken = replay(fn, out.counterexample, properties)
        break
    return out


# ---------------------------------------------------------------------------
# Jobs, run in a pool of worker processes
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """Check the contract of ``primitive`` (with golden break ``seeded`` installed, if given);
    with ``agreement``, ask instead for ``budget`` examples on which impl and spec disagree."""

    primitive: str
    budget: float
    seeded: str | None = None
    agreement: bool = False


def run_job(job: Job) -> Outcome:
    """Run one job in this process (a seeded break is installed only for its duration)."""
    from contextlib import nullcontext

    from proofs.crosshair.contracts import CONTRACTS
    from proofs.golden_breaks import BREAKS, patched

    if job.agreement:
        from proofs.crosshair.agreement import agree

        t0 = time.monotonic()
        ran, disagreement = agree(job.primitive, int(job.budget))
        return Outcome(f"agree({job.primitive})", job.budget, time.monotonic() - t0, disagreement,
                       ["impl and spec agree"] if disagreement else [], iterations=ran)
    fn, properties = CONTRACTS[job.primitive]
    seeded = next((b for b in BREAKS if b.name == job.seeded), None) if job.seeded else None
    with patched(seeded) if seeded is not None else nullcontext():
        return check(fn, properties, job.budget)


def run_jobs(jobs: list[Job], workers: int = 2) -> list[Outcome]:
    """Run ``jobs`` in a pool of ``workers`` processes forked from this one, in the order given
    (a seeded break is installed in the worker only, and removed once its job is done)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return list(pool.map(run_job, jobs))
