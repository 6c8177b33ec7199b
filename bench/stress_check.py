"""Run ``threadspec check`` repeatedly beside CPU-burning processes: any violation on a
stock interpreter is a spurious one (a false alarm).

    python bench/stress_check.py [--runs 20] [--burners 2] [--budget 60] [--free-threaded auto|only|no]
                                 [-- extra check args]

Each run checks the target that the extra arguments name (this interpreter's threading by default)
and, with ``--free-threaded auto`` (the default), also every free-threaded CPython found (``python3.Nt``
on the PATH or under /opt or ~/.local, as ``threadspec matrix`` finds them) with the same arguments:
its threads run in parallel, the hardest test of the checker's one-sided waits. ``only`` checks
just the free-threaded builds (none found is exit status 2); ``no`` never adds them.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import time
from collections import Counter
from typing import Any

from conformance.matrix import BUILD_ROOTS, free_threaded_targets


def burn() -> None:
    x = 0
    while True:
        x = (x * 31 + 7) % 1_000_003


def targets(mode: str) -> list[tuple[str, list[str]]]:
    """(label, check arguments) of each target a run checks."""
    found = [] if mode == "no" else free_threaded_targets(os.environ.get("PATH", ""), BUILD_ROOTS)
    ft = [(t.python, ["--python", t.python]) for t in found]
    return ft if mode == "only" else [("default", []), *ft]


def _one(i: int, label: str, args: list[str], a: argparse.Namespace) -> tuple[int, int] | None:
    """One check; prints its line. (spurious, schedules), or None when it could not check."""
    t0 = time.monotonic()
    p = subprocess.run(
        [sys.executable, "-m", "conformance.cli", "check", "--budget", str(a.budget),
         "--format", "json", "--seed", str(i), *args, *a.extra],
        capture_output=True, text=True,
    )
    took = time.monotonic() - t0
    if p.returncode == 2:
        print(f"run {i} [{label}]: could not check: {p.stderr.strip()}")
        return None
    rep = json.loads(p.stdout)
    reps: list[dict[str, Any]] = rep if isinstance(rep, list) else [rep]
    # a run that could not be observed (a call never started…) under load is a false alarm too
    n = sum(len(r["failures"]) + len(r.get("could_not_observe", [])) for r in reps)
    runs = sum(r["scenarios_run"] + r["generated_runs"] for r in reps)
    verdicts = ", ".join(r.get("verdict", "?") for r in reps)
    gil = ", ".join({True: "GIL on", False: "GIL off"}.get(r["target"].get("gil"), "GIL ?") for r in reps)
    print(f"run {i} [{label}, {gil}]: exit {p.returncode} ({verdicts}), {n} violations or unobserved runs, "
          f"{runs} schedules, {took:.1f} s", flush=True)
    for r in reps:
        for f in r["failures"]:
            print(f"   {f['clause']}: {f['observed']}\n   schedule: {f['schedule']}")
        for u in r.get("could_not_observe", []):
            print(f"   could not observe: {u['reason']}\n   schedule: {u['schedule']}")
    return n, runs


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--burners", type=int, default=2)
    ap.add_argument("--budget", type=float, default=60.0)
    ap.add_argument("--free-threaded", choices=("auto", "only", "no"), default="auto",
                    help="also (auto), only, or never (no) check the free-threaded CPythons found")
    ap.add_argument("extra", nargs="*", help="more arguments for threadspec check (after --)")
    a = ap.parse_args()
    checked = targets(a.free_threaded)
    if not checked:
        print("no free-threaded CPython found (python3.Nt on the PATH or under /opt or ~/.local)")
        return 2
    burners = [multiprocessing.Process(target=burn, daemon=True) for _ in range(a.burners)]
    for b in burners:
        b.start()
    spurious: Counter[str] = Counter()
    schedules: Counter[str] = Counter()
    try:
        for i in range(1, a.runs + 1):
            for label, args in checked:
                done = _one(i, label, args, a)
                if done is None:
                    return 2
                spurious[label] += done[0]
                schedules[label] += done[1]
    finally:
        for b in burners:
            b.terminate()
    for label, _ in checked:
        print(f"{label}: {a.runs} runs, {schedules[label]} schedules beside {a.burners} CPU burners: "
              f"{spurious[label]} spurious violations or unobserved runs")
    return 0 if sum(spurious.values()) == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
