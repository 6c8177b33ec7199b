"""What measuring the spec's branches (``check --coverage``) costs the checker, and what it costs
when it is off.

The checker replays one recorded history many times: a Condition over an RLock with three
threads that wait, notify and time out (many candidate configurations per observation). Three
runs in this process, each the median of ``--rounds`` rounds of CPU time:

* baseline: the checker with the closure loop as it was before branch tokens (one clause per
  step: ``base | {clause}``), a subclass defined here;
* off: the checker as it is, ``branches.measuring()`` not entered;
* on: the checker inside ``branches.measuring()``.

Printed: the seconds of each and the ratios off/baseline and on/baseline.

Usage: ``python bench/branches_overhead.py [--rounds N] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from conformance import branches  # noqa: E402
from conformance.checker import Checker, Key, Observation  # noqa: E402
from spec import condition  # noqa: E402
from spec.profiles import PY311  # noqa: E402
from spec.values import ENV, Gate, Returned, call  # noqa: E402

E = 0.05


class Baseline(Checker):
    """The closure loop without branch tokens."""

    def _compute_closure(self, now: float | None) -> dict[Key, frozenset[str]]:
        out: dict[Key, frozenset[str]] = dict(self.configs)
        todo = list(out)
        while todo:
            key = todo.pop()
            base = out[key]
            for nxt, clause in self._successors(key[0], key[1], now):
                cl = base | {clause}
                prev = out.get(nxt)
                if prev is None:
                    self._add(out, nxt, cl)
                    todo.append(nxt)
                elif not cl <= prev:
                    out[nxt] = prev | cl
        return out


def history(make: type[Checker]) -> Checker:
    ch: Checker = make(condition.SPEC)
    assert ch.created(PY311, call(0, "__init__"), Returned(None)) is None
    assert ch.environment(call(ENV, "gate.open", 1), 0.0) is None
    steps: list[tuple[Any, ...]] = [
        ("inv", call(0, "acquire"), 0.01), ("obs", 0, Returned(True), 0.011),
        ("inv", call(1, "acquire"), 0.012),
        ("inv", call(0, "wait_for", Gate(1), E), 0.02), ("obs", 1, Returned(True), 0.021),
        ("inv", call(2, "acquire", True, E), 0.022),
        ("inv", call(1, "notify"), 0.03), ("obs", 1, Returned(None), 0.031),
        ("obs", 2, Returned(False), 0.08),
        ("inv", call(1, "release"), 0.09), ("obs", 1, Returned(None), 0.091),
        ("obs", 0, Returned(None), 0.092),
        ("inv", call(0, "release"), 0.1), ("obs", 0, Returned(None), 0.101),
    ]
    for s in steps:
        if s[0] == "inv":
            ch.invoked(s[1], s[2])
        else:
            assert ch.completed(Observation(s[1], s[2], s[3])) is None
    return ch


def timed(make: type[Checker], repeat: int) -> float:
    start = time.process_time()
    for _ in range(repeat):
        history(make)
    return time.process_time() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=200)
    a = ap.parse_args()
    base, off, on = [], [], []
    for _ in range(a.rounds):
        base.append(timed(Baseline, a.repeat))
        off.append(timed(Checker, a.repeat))
        with branches.measuring():
            on.append(timed(Checker, a.repeat))
    b, f, n = statistics.median(base), statistics.median(off), statistics.median(on)
    print(f"baseline {b:.3f} s, off {f:.3f} s, on {n:.3f} s ({a.repeat} histories, median of {a.rounds})")
    print(f"off/baseline {f / b:.3f}  on/baseline {n / b:.3f}")


if __name__ == "__main__":
    main()
