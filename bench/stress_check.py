"""Run ``threadspec check`` repeatedly beside CPU-burning processes: any violation on a
stock interpreter is a spurious one (a false alarm).

    python bench/stress_check.py [--runs 20] [--burners 2] [--budget 60] [-- extra check args]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import subprocess
import sys
import time


def burn() -> None:
    x = 0
    while True:
        x = (x * 31 + 7) % 1_000_003


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--burners", type=int, default=2)
    ap.add_argument("--budget", type=float, default=60.0)
    ap.add_argument("extra", nargs="*", help="more arguments for threadspec check (after --)")
    a = ap.parse_args()
    burners = [multiprocessing.Process(target=burn, daemon=True) for _ in range(a.burners)]
    for b in burners:
        b.start()
    spurious = 0
    try:
        for i in range(1, a.runs + 1):
            t0 = time.monotonic()
            p = subprocess.run(
                [sys.executable, "-m", "conformance.cli", "check", "--budget", str(a.budget),
                 "--format", "json", "--seed", str(i), *a.extra],
                capture_output=True, text=True,
            )
            took = time.monotonic() - t0
            if p.returncode == 2:
                print(f"run {i}: could not check: {p.stderr.strip()}")
                return 2
            rep = json.loads(p.stdout)
            reps = rep if isinstance(rep, list) else [rep]
            # a run that could not be observed (a call never started…) under load is a false alarm too
            n = sum(len(r["failures"]) + len(r.get("could_not_observe", [])) for r in reps)
            spurious += n
            runs = sum(r["scenarios_run"] + r["generated_runs"] for r in reps)
            verdicts = ", ".join(r.get("verdict", "?") for r in reps)
            print(f"run {i}: exit {p.returncode} ({verdicts}), {n} violations or unobserved runs, "
                  f"{runs} schedules, {took:.1f} s", flush=True)
            for r in reps:
                for f in r["failures"]:
                    print(f"   {f['clause']}: {f['observed']}\n   schedule: {f['schedule']}")
                for u in r.get("could_not_observe", []):
                    print(f"   could not observe: {u['reason']}\n   schedule: {u['schedule']}")
    finally:
        for b in burners:
            b.terminate()
    print(f"{a.runs} runs beside {a.burners} CPU burners: {spurious} spurious violations or unobserved runs")
    return 0 if spurious == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
