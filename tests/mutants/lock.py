"""Seeded bugs in Python 3.11's Lib/threading.py that the Lock scenarios must find.

``threading.Lock`` is ``_thread.allocate_lock``, a C lock: threading.py has no Lock code
of its own to break. The only one-place changes that affect ``threading.Lock`` are the
bindings that name it; both below make it a reentrant, owned lock.

Each entry is ``(id, description, old_text, new_text)``: ``old_text`` occurs exactly once
in 3.11's threading.py and ``new_text`` is a one-place semantic change.
"""

from __future__ import annotations

MUTANTS: list[tuple[str, str, str, str]] = [
    (
        "lock-is-c-rlock",
        "threading.Lock is bound to the C RLock: the holder's second acquire succeeds at once "
        "and a thread that does not hold it cannot release it",
        "\nLock = _allocate_lock\n",
        "\nLock = _CRLock\n",
    ),
    (
        "lock-allocator-is-rlock",
        "the module's lock allocator (and so threading.Lock) creates reentrant locks, which "
        "have no locked() before 3.14 and are owned by the acquiring thread",
        "_allocate_lock = _thread.allocate_lock\n",
        "_allocate_lock = _thread.RLock\n",
    ),
]
