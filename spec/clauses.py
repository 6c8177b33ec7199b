"""Clauses: the documented sentences the spec's transitions implement, in one registry.

Every branch of a transition names a clause; the registry is the table of contents of
the conformance report.
"""

from __future__ import annotations

from dataclasses import dataclass

from spec.profiles import Profile, Strictness, Version

# ---------------------------------------------------------------------------
# Clauses
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Clause:
    """One documented (or CPython-observed) behaviour.

    ``id`` is ``Primitive.method.behaviour-in-kebab-case``; ``doc`` names the
    documented object (``threading.Lock.release``); ``quote`` is the sentence
    itself; the clause applies to versions ``since <= v < until``.
    """

    id: str
    doc: str
    quote: str
    since: Version = (2, 7)
    until: Version | None = None
    strictness: Strictness = Strictness.DOCUMENTED
    known_bug: str = ""  # a known bug of the implementation the spec tolerates (an issue link)

    @property
    def primitive(self) -> str:
        return self.id.split(".", 1)[0]

    def applies_to(self, profile: Profile) -> bool:
        in_range = profile.version >= self.since and (
            self.until is None or profile.version < self.until
        )
        return in_range and profile.strictness.includes(self.strictness)

    def versions_text(self) -> str:
        start = f"{self.since[0]}.{self.since[1]}"
        if self.until is None:
            return f">={start}"
        return f">={start},<{self.until[0]}.{self.until[1]}"


REGISTRY: dict[str, Clause] = {}


def clause(
    id: str,
    *,
    doc: str,
    quote: str,
    since: Version = (2, 7),
    until: Version | None = None,
    strictness: Strictness = Strictness.DOCUMENTED,
    known_bug: str = "",
) -> str:
    """Register a clause and return its id, for use as ``Done(..., clause=X)``.

    ``known_bug`` marks a tolerance rather than a guarantee: a race of the named implementation
    bug that the spec allows, at either strictness, so that an interpreter that has it (stock
    CPython, and implementations that share its code) gets the same verdict from every run
    instead of a violation now and then. No schedule can force such a race, so the report
    says whether it was seen, and names the bug when it was.

    Raises:
      ValueError: the id is registered twice, is malformed, or the quote is empty.
    """
    if id in REGISTRY:
        raise ValueError(f"clause {id} registered twice")
    if id.count(".") < 1 or " " in id:
        raise ValueError(f"clause id {id!r} is not Primitive.method.behaviour")
    if not quote.strip():
        raise ValueError(f"clause {id} has an empty quote")
    REGISTRY[id] = Clause(id, doc, " ".join(quote.split()), since, until, strictness, known_bug)
    return id


def clauses_for(profile: Profile, primitive: str | None = None) -> list[Clause]:
    """The clauses that apply to ``profile``, optionally of one primitive."""
    return [
        c
        for c in REGISTRY.values()
        if c.applies_to(profile) and (primitive is None or c.primitive == primitive)
    ]


@dataclass(frozen=True, slots=True)
class Ambiguity:
    """Where the prose allows more than one reading, and which one each profile takes."""

    topic: str
    text: str
    reading: str
