"""Schedules as short strings: one letter per choice, run-length encoded.

A choice is ``2 * i`` (thread ``i`` runs) or ``2 * i + 1`` (thread ``i``'s
timeout expires). Thread ``i`` running is the letter ``"a" + i``, its timeout
``"A" + i``; a letter followed by a number repeats it. ``"a3bA"`` is: thread 0
three times, thread 1, then thread 0's timeout; ``"-"`` is the schedule that
needed no choice. Only the points with two or
more options are written, so a replay makes the same choices at the same points.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"([a-zA-Z])(\d*)")


def letter(choice: int) -> str:
    thread, timeout = choice >> 1, choice & 1
    if thread >= 26:
        raise ValueError(f"schedules name at most 26 threads, not thread {thread}")
    return chr((ord("A") if timeout else ord("a")) + thread)


def encode(choices: list[int]) -> str:
    out: list[str] = []
    i = 0
    while i < len(choices):
        j = i
        while j < len(choices) and choices[j] == choices[i]:
            j += 1
        out.append(letter(choices[i]) + (str(j - i) if j - i > 1 else ""))
        i = j
    return "".join(out)


def decode(text: str) -> list[int]:
    """The choices of a schedule string (``"-"`` or ``""``: none)."""
    text = text.strip()
    if text == "-":
        return []
    choices: list[int] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() != pos:
            break
        pos = m.end()
        ch, n = m.group(1), int(m.group(2) or 1)
        choice = (ord(ch) - ord("a")) << 1 if ch.islower() else ((ord(ch) - ord("A")) << 1) | 1
        choices += [choice] * n
    if pos != len(text):
        raise ValueError(f"not a schedule string (letters a-z, A-Z, each with an optional count): {text!r}")
    return choices
