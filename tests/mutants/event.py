"""Seeded bugs in CPython 3.11's Event (Lib/threading.py).

Each entry is ``(id, description, old_text, new_text)``: ``old_text`` occurs exactly once in
3.11's threading.py and ``new_text`` is a one-place change. The scenarios of
``conformance/scenarios/event.py`` observe every one of them.
"""

from __future__ import annotations

MUTANTS: list[tuple[str, str, str, str]] = [
    (
        "event-set-wakes-one",
        "set wakes a single waiter instead of all of them",
        "            self._flag = True\n            self._cond.notify_all()\n",
        "            self._flag = True\n            self._cond.notify()\n",
    ),
    (
        "event-set-wakes-none",
        "set raises the flag but wakes nobody: waiters stay blocked",
        "            self._flag = True\n            self._cond.notify_all()\n",
        "            self._flag = True\n",
    ),
    (
        "event-set-toggles",
        "set toggles the flag, so a second set clears it",
        "            self._flag = True\n            self._cond.notify_all()\n",
        "            self._flag = not self._flag\n            self._cond.notify_all()\n",
    ),
    (
        "event-clear-does-nothing",
        "clear leaves the flag set",
        "        with self._cond:\n            self._flag = False\n",
        "        with self._cond:\n            pass\n",
    ),
    (
        "event-starts-set",
        "a new event starts with its flag true",
        "        self._cond = Condition(Lock())\n        self._flag = False\n",
        "        self._cond = Condition(Lock())\n        self._flag = True\n",
    ),
    (
        "event-is-set-inverted",
        "is_set reports the opposite of the flag",
        "        return self._flag\n\n    def isSet(self):\n",
        "        return not self._flag\n\n    def isSet(self):\n",
    ),
    (
        "event-isset-no-warning",
        "isSet no longer emits its DeprecationWarning",
        "        warnings.warn('isSet() is deprecated, use is_set() instead',\n"
        "                      DeprecationWarning, stacklevel=2)\n",
        "",
    ),
    (
        "event-wait-ignores-set-flag",
        "wait blocks even when the flag is already true",
        "            signaled = self._flag\n            if not signaled:\n",
        "            signaled = False\n            if not signaled:\n",
    ),
    (
        "event-woken-wait-returns-false",
        "a waiter woken by set returns False (the Condition's result is dropped)",
        "                signaled = self._cond.wait(timeout)\n",
        "                self._cond.wait(timeout)\n",
    ),
    (
        "event-wait-ignores-timeout",
        "wait with a timeout waits until set, never timing out",
        "                signaled = self._cond.wait(timeout)\n",
        "                signaled = self._cond.wait()\n",
    ),
    (
        "event-wait-truncates-timeout",
        "wait truncates its timeout to whole seconds, so a short wait returns at once",
        "                signaled = self._cond.wait(timeout)\n",
        "                signaled = self._cond.wait(None if timeout is None else int(timeout))\n",
    ),
]
