"""The clause registry covers every documented name, and every clause quotes its sentence."""

from __future__ import annotations

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
