"""One row of ``threadspec prove``'s table, and the options every proof family reads.

A *family* is a module of ``proofs`` with a function ``rows(options) -> Iterator[Row]``
(listed in ``proofs.prove.FAMILIES``). Each row is one property checked within one
bound: how much was explored (states, schedules, conditions, files), whether it held,
how long it took, and, when it failed, a counterexample that can be replayed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Shard:
    """Shard ``k`` of ``n`` (1-based): the part of an exploration whose schedule prefixes
    hash to ``k``; the shards' counts add up to the whole exploration's."""

    k: int
    n: int

    @staticmethod
    def parse(text: str) -> Shard:
        try:
            k, n = (int(x) for x in text.split("/"))
        except ValueError:
            raise ValueError(f"--shard wants K/N, e.g. 2/4, not {text!r}") from None
        if not 1 <= k <= n:
            raise ValueError(f"--shard {text}: K must be between 1 and N")
        return Shard(k, n)

    def __str__(self) -> str:
        return f"{self.k}/{self.n}"


@dataclass(frozen=True)
class ProveOptions:
    """What ``threadspec prove`` was asked for."""

    only: frozenset[str] = frozenset()
    """Primitives to prove (empty: all)."""
    module: str | None = None
    """With ``path``: the name of a threading module, given as a file, to prove instead of impl."""
    path: Path | None = None
    shard: Shard | None = None
    replay: str | None = None
    """A schedule string printed by a failing row: run only that schedule."""

    def wants(self, primitive: str) -> bool:
        return not self.only or primitive in self.only


@dataclass
class Row:
    """One property within one bound."""

    family: str
    """"mypy", "crosshair", "explore", "schedule", "refinement", ..."""
    property: str
    bound: str
    explored: int
    unit: str
    """What ``explored`` counts: "states", "schedules", "conditions", "files"."""
    ok: bool
    seconds: float
    counterexample: str | None = None
    """When not ok: what broke, and (for schedules) the replay string."""
    notes: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def timed(family: str, prop: str, bound: str, unit: str, run: Callable[[], tuple[int, str | None]]) -> Row:
    """Run ``run`` (which returns how much it explored and a counterexample or None) as a row."""
    t0 = time.monotonic()
    explored, counterexample = run()
    seconds = time.monotonic() - t0
    return Row(family, prop, bound, explored, unit, counterexample is None, seconds, counterexample)


Family = Callable[[ProveOptions], Iterator[Row]]
