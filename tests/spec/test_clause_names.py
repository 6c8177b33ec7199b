"""Clause constants are named after their ids (STYLE habit 17): a reader who meets
``ACQUIRE_NONBLOCKING_RETURNS_FALSE`` in a transition knows the clause id without looking."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

import spec
from spec.clauses import REGISTRY


def _letters(text: str) -> str:
    """``Lock.acquire.nonblocking-returns-false`` -> ``LOCKACQUIRENONBLOCKINGRETURNSFALSE``."""
    return re.sub(r"[^A-Za-z0-9]", "", text).upper()


def is_named_after(name: str, clause_id: str) -> bool:
    """Is ``name`` the id's upper-snake spelling, without its primitive (or, in a module where
    that primitive is not the main one, with it)? Where the id has a camelCase method name
    (``isSet``) either spelling (``IS_SET``, ``ISSET``) is accepted."""
    primitive, rest = clause_id.split(".", 1)
    return _letters(name) in (_letters(rest), _letters(primitive + rest))


MODULES = [
    importlib.import_module(f"spec.{m.name}")
    for m in pkgutil.iter_modules(spec.__path__)
]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_clause_constants_are_named_after_their_ids(module) -> None:
    wrong = [
        f"{name} = {value!r}"
        for name, value in vars(module).items()
        if isinstance(value, str) and value in REGISTRY and name.isupper()
        and not is_named_after(name, value)
    ]
    assert not wrong, wrong


def test_every_clause_has_a_named_constant() -> None:
    named = {v for m in MODULES for k, v in vars(m).items() if k.isupper() and isinstance(v, str)}
    assert sorted(set(REGISTRY) - named) == []
