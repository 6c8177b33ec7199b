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
    unexercisable: str = ""  # why no target the checker runs on can reach it (see ``clause``)
    strictness_only: bool = False  # applies at its strictness only, not at the stricter one

    @property
    def primitive(self) -> str:
        return self.id.split(".", 1)[0]

    def applies_to(self, profile: Profile) -> bool:
        in_range = profile.version >= self.since and (
            self.until is None or profile.version < self.until
        )
        if self.strictness_only:
            return in_range and profile.strictness is self.strictness
        return in_range and profile.strictness.includes(self.strictness)

    def applies_to_version(self, profile: Profile) -> bool:
        """Does the clause apply to ``profile``'s version at some strictness?"""
        return any(self.applies_to(profile.with_strictness(s)) for s in Strictness)

    def strictness_text(self) -> str:
        """``documented``, ``cpython``, or ``documented only`` (``strictness_only``)."""
        return f"{self.strictness.value} only" if self.strictness_only else self.strictness.value

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
    unexercisable: str = "",
    strictness_only: bool = False,
) -> str:
    """Register a clause and return its id, for use as ``Done(..., clause=X)``.

    ``known_bug`` marks a tolerance rather than a guarantee: a race of the named implementation
    bug that the spec allows, at either strictness, so that an interpreter that has it (stock
    CPython, and implementations that share its code) gets the same verdict from every run
    instead of a violation now and then. No schedule can force such a race, so the report
    says whether it was seen, and names the bug when it was.

    ``unexercisable`` says why no target the checker runs on can take the branch (a platform
    feature they all have, a signal the harness cannot deliver): the report then gives the clause
    the status "not exercisable" with this reason, not "not exercised", unless a run did exercise
    it, so that a conforming target is not held incomplete for it.

    ``strictness_only`` makes the clause apply at ``strictness`` alone: a latitude the documentation
    grants that CPython's strictness takes away (``Condition.notify.may-wake-more-than-n``: the
    documented level accepts more than n wakeups, the CPython level exactly n), so that a
    CPython-strictness check neither takes its steps nor counts it as not exercised.

    Raises:
      ValueError: the id is registered twice, is malformed, or the quote is empty.
    """
    if id in REGISTRY:
        raise ValueError(f"clause {id} registered twice")
    if id.count(".") < 1 or " " in id:
        raise ValueError(f"clause id {id!r} is not Primitive.method.behaviour")
    if not quote.strip():
        raise ValueError(f"clause {id} has an empty quote")
    text = " ".join(quote.split())
    REGISTRY[id] = Clause(id, doc, text, since, until, strictness, known_bug, unexercisable, strictness_only)
    return id


def clauses_for(profile: Profile, primitive: str | None = None) -> list[Clause]:
    """The clauses that apply to ``profile``, optionally of one primitive."""
    return [
        c
        for c in REGISTRY.values()
        if c.applies_to(profile) and (primitive is None or c.primitive == primitive)
    ]


@dataclass(frozen=True, slots=True)
class Reading:
    """The reading of an ambiguity that some profiles take: versions ``since <= v < until``, at
    ``strictness`` (``None``: at both)."""

    text: str
    strictness: Strictness | None = None
    since: Version = (2, 7)
    until: Version | None = None

    def applies_to(self, profile: Profile) -> bool:
        in_range = profile.version >= self.since and (self.until is None or profile.version < self.until)
        return in_range and (self.strictness is None or profile.strictness is self.strictness)

    def label(self) -> str:
        """Which profiles: ``3.13+, cpython``, ``2.7-3.12``, ``every profile``."""
        start = "3.6" if self.since == (3, 0) else f"{self.since[0]}.{self.since[1]}"
        if self.until is None:
            versions = {(2, 7): "", (3, 0): "3.x"}.get(self.since, f"{start}+")
        else:
            last = (self.until[0], self.until[1] - 1) if self.until[1] > 0 else (2, 7)
            end = f"{last[0]}.{last[1]}"
            versions = end if start == end else f"{start}-{end}"
        parts = [versions] if versions else []
        if self.strictness is not None:
            parts.append(self.strictness.value)
        return ", ".join(parts) or "every profile"


@dataclass(frozen=True, slots=True)
class Ambiguity:
    """Where the prose allows more than one reading, and which one each profile takes.

    ``reading`` is the reading of every profile, unless ``readings`` (each naming the
    profiles that take it, exactly one for each profile) says otherwise; then ``reading``
    is what they share.
    """

    topic: str
    text: str
    reading: str
    readings: tuple[Reading, ...] = ()

    def reading_for(self, profile: Profile) -> str:
        """The reading ``profile`` takes."""
        for r in self.readings:
            if r.applies_to(profile):
                return r.text
        return self.reading

    def by_profile(self) -> tuple[Reading, ...]:
        """Each profile's reading, with the profiles that take it."""
        return self.readings or (Reading(self.reading),)
