"""The clause registry covers every documented name, and every clause quotes its sentence;
the alphabets of the lock-like primitives have one home."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

import spec
from spec.clauses import REGISTRY

DOCS = Path(__file__).resolve().parents[2] / "docs"
DIRECTIVE = re.compile(r"^\s*\.\. (method|function|class|attribute|data|exception)::\s*([\w.]+)", re.M)


@pytest.mark.parametrize("doc", ["threading-2.7.rst", "threading-3.11.rst"])
def test_every_documented_name_has_a_clause(doc: str) -> None:
    path = DOCS / doc
    if not path.exists():
        pytest.skip(f"{path} is not on this machine")
    assert spec.PRIMITIVES
    cited = " ".join(f"{c.doc} {c.id}" for c in REGISTRY.values()).lower()
    names = {m.group(2) for m in DIRECTIVE.finditer(path.read_text())}
    assert len(names) > 30
    missing = sorted(n for n in names if n.split(".")[-1].lower() not in cited)
    assert missing == []


def test_every_clause_has_a_quote_and_a_known_primitive() -> None:
    assert all(c.quote.strip() for c in REGISTRY.values())
    known = set(spec.PRIMITIVES) | {"module", "local"}
    assert {c.primitive for c in REGISTRY.values()} <= known


# The alphabets of the lock-like primitives live in conformance/scenarios/<primitive>.py.
ALPHABET_MODULES = ("lock", "rlock", "condition", "semaphore", "event", "barrier")


@pytest.mark.parametrize("name", ALPHABET_MODULES)
def test_exploration_alphabets_are_sub_selections_of_the_alphabet(name: str) -> None:
    m = importlib.import_module(f"conformance.scenarios.{name}")
    assert set(m.EXPLORATION_ALPHABET) <= set(m.ALPHABET)
    if hasattr(m, "FULL_EXPLORATION_ALPHABET"):
        assert set(m.FULL_EXPLORATION_ALPHABET) <= set(m.ALPHABET)
    if hasattr(m, "GATED_EXPLORATION_ALPHABET"):
        assert set(m.GATED_EXPLORATION_ALPHABET) <= set(m.GATED_ALPHABET)


@pytest.mark.parametrize("name", ALPHABET_MODULES)
def test_alphabet_entries_print_as_the_calls_they_make(name: str) -> None:
    m = importlib.import_module(f"conformance.scenarios.{name}")
    alphabets = [v for k, v in vars(m).items() if k.endswith("ALPHABET")]
    assert alphabets and all("<" not in repr(entry) for a in alphabets for entry in a)
