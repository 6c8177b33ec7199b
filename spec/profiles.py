"""Versions and strictness: which Python's threading a spec describes, and how much of it.

Specs ask ``profile.since(3, 2)`` and ``profile.cpython``; nothing outside ``spec``
branches on the version.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

# ---------------------------------------------------------------------------
# Versions, strictness, profiles
# ---------------------------------------------------------------------------

Version = tuple[int, int]


class Strictness(enum.Enum):
    """How much is checked.

    ``DOCUMENTED``: only what the documentation guarantees.
    ``CPYTHON``: also what CPython does beyond it (FIFO wakeup of Condition
    waiters, exact-n ``notify``, arrival-order Barrier indices…).
    """

    DOCUMENTED = "documented"
    CPYTHON = "cpython"

    def includes(self, other: Strictness) -> bool:
        """Does checking at this level include clauses of level ``other``?"""
        return self is Strictness.CPYTHON or other is Strictness.DOCUMENTED


@dataclass(frozen=True, slots=True)
class Profile:
    """One Python version's threading API and semantics, at one strictness.

    Specs ask ``profile.since(3, 2)`` ("is this version 3.2 or later?") and
    ``profile.cpython`` ("are CPython's undocumented behaviours checked?");
    nothing outside ``spec`` branches on the version.
    """

    version: Version
    strictness: Strictness = Strictness.DOCUMENTED

    @property
    def name(self) -> str:
        return f"PY{self.version[0]}{self.version[1]}"

    def since(self, major: int, minor: int) -> bool:
        return self.version >= (major, minor)

    def before(self, major: int, minor: int) -> bool:
        return self.version < (major, minor)

    @property
    def cpython(self) -> bool:
        return self.strictness is Strictness.CPYTHON

    @property
    def py2(self) -> bool:
        return self.version[0] == 2

    def with_strictness(self, strictness: Strictness) -> Profile:
        return Profile(self.version, strictness)

    def __str__(self) -> str:
        return f"{self.version[0]}.{self.version[1]} ({self.strictness.value})"


VERSIONS: tuple[Version, ...] = (
    (2, 7),
    (3, 6),
    (3, 7),
    (3, 8),
    (3, 9),
    (3, 10),
    (3, 11),
    (3, 12),
    (3, 13),
    (3, 14),
)

PY27, PY36, PY37, PY38, PY39, PY310, PY311, PY312, PY313, PY314 = (
    Profile(v, Strictness.CPYTHON) for v in VERSIONS
)
PROFILES: dict[str, Profile] = {f"{v[0]}.{v[1]}": Profile(v, Strictness.CPYTHON) for v in VERSIONS}


def profile_for(version: str | Version, strictness: Strictness = Strictness.CPYTHON) -> Profile:
    """The profile of a version such as ``"3.11"``, ``"3.11.7"`` or ``(3, 11)``.

    Raises:
      ValueError: the version has no profile.
    """
    if isinstance(version, str):
        parts = version.strip().split(".")
        try:
            key: Version = (int(parts[0]), int(parts[1]))
        except (IndexError, ValueError):
            raise ValueError(f"not a Python version: {version!r}") from None
    else:
        key = (version[0], version[1])
    if key not in VERSIONS:
        known = ", ".join(PROFILES)
        raise ValueError(f"no profile for Python {key[0]}.{key[1]}; known: {known}")
    return Profile(key, strictness)
