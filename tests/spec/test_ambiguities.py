"""Ambiguities: each profile (version and strictness) takes exactly one reading of each, and the
reference shows each reading with the profiles that take it."""

from __future__ import annotations

import re

import pytest

from conformance.reference_html import _ambiguities_html
from spec import PRIMITIVES
from spec.clauses import Ambiguity, Reading
from spec.profiles import VERSIONS, Profile, Strictness

ALL_PROFILES = [Profile(v, s) for v in VERSIONS for s in Strictness]


def _ambiguities() -> list[Ambiguity]:
    seen: dict[str, Ambiguity] = {}
    for p in PRIMITIVES.values():
        for a in p.ambiguities:
            seen.setdefault(a.topic + "|" + a.text, a)
    return list(seen.values())


@pytest.mark.parametrize("a", _ambiguities(), ids=lambda a: a.topic)
def test_each_profile_takes_exactly_one_reading(a: Ambiguity) -> None:
    for profile in ALL_PROFILES:
        taking = [r for r in a.by_profile() if r.applies_to(profile)]
        assert len(taking) == 1, (str(profile), [r.label() for r in taking])
        assert a.reading_for(profile) == taking[0].text


# A reading that still says, in one text, what each strictness level does has not been split.
PER_LEVEL = re.compile(r"(?i)\b(cpython|documented)\s*:|at (cpython|documented) strictness")


@pytest.mark.parametrize("a", [a for a in _ambiguities() if not a.readings], ids=lambda a: a.topic)
def test_a_reading_shared_by_every_profile_does_not_differ_by_strictness(a: Ambiguity) -> None:
    assert not PER_LEVEL.search(a.reading), a.reading


def test_a_reading_per_profile_is_found_and_labelled() -> None:
    a = Ambiguity(
        "t", "x", "shared",
        (Reading("old", Strictness.CPYTHON, (2, 7), (3, 13)), Reading("new", Strictness.CPYTHON, (3, 13)),
         Reading("doc", Strictness.DOCUMENTED)),
    )
    assert a.reading_for(Profile((3, 12), Strictness.CPYTHON)) == "old"
    assert a.reading_for(Profile((3, 13), Strictness.CPYTHON)) == "new"
    assert a.reading_for(Profile((2, 7), Strictness.DOCUMENTED)) == "doc"
    assert [r.label() for r in a.readings] == ["2.7-3.12, cpython", "3.13+, cpython", "documented"]
    assert Reading("x", None, (3, 0)).label() == "3.x" and Reading("x", None, (2, 7), (3, 0)).label() == "2.7"
    assert Reading("x").label() == "every profile"


def test_the_reference_shows_each_profile_s_reading() -> None:
    (dummy,) = [a for a in _ambiguities() if a.topic == "joining a dummy thread"]
    html = _ambiguities_html([dummy])
    assert "<b>2.7-3.12, cpython:</b> CPython fails an assertion" in html
    assert "<b>3.13+, cpython:</b> CPython raises RuntimeError" in html
    assert "<b>documented:</b> join() raises some Exception" in html
    shared = Ambiguity("t", "x", "the one reading")
    assert "Every profile takes this reading." in _ambiguities_html([shared])
