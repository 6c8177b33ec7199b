"""Named scenarios and generator alphabets, one module per primitive (mirroring ``spec``).

Each module exports ``SCENARIOS`` (a tuple of ``Scenario``) and, for random
schedules, either ``GENERATORS`` (a tuple of ``Generator``) or ``INIT`` and
``ALPHABET`` (then the primitive is that of its scenarios).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType

from conformance.scenario import CallMaker, Scenario
from spec.values import Call


@dataclass(frozen=True)
class Generator:
    """Random schedules of ``primitive``: ``threads`` threads, up to ``max_steps`` calls
    drawn from ``alphabet``, on an object built by ``init``."""

    primitive: str
    init: Call
    alphabet: Sequence[CallMaker]
    threads: int = 3
    max_steps: int = 8


def modules() -> list[ModuleType]:
    return [
        importlib.import_module(f"{__name__}.{m.name}")
        for m in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name)
    ]


def load_scenarios() -> list[Scenario]:
    return [s for m in modules() for s in getattr(m, "SCENARIOS", ())]


def load_generators() -> list[Generator]:
    out: list[Generator] = []
    for m in modules():
        if hasattr(m, "GENERATORS"):
            out.extend(m.GENERATORS)
            continue
        scenarios: Sequence[Scenario] = getattr(m, "SCENARIOS", ())
        if hasattr(m, "ALPHABET") and hasattr(m, "INIT") and scenarios:
            out.append(Generator(scenarios[0].primitive, m.INIT, tuple(m.ALPHABET)))
    return out
