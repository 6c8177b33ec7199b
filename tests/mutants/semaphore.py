"""Seeded bugs in CPython 3.11's Semaphore and BoundedSemaphore (Lib/threading.py).

Each entry is ``(id, description, old_text, new_text)``: ``old_text`` occurs exactly once in
3.11's threading.py and ``new_text`` is a one-place change. The scenarios of
``conformance/scenarios/semaphore.py`` observe every one of them.
"""

from __future__ import annotations

MUTANTS: list[tuple[str, str, str, str]] = [
    (
        "semaphore-init-rejects-zero",
        "the initial-value check is off by one: Semaphore(0) raises ValueError",
        "    def __init__(self, value=1):\n        if value < 0:\n",
        "    def __init__(self, value=1):\n        if value <= 0:\n",
    ),
    (
        "semaphore-default-value-zero",
        "Semaphore() starts with a zero counter instead of one",
        "    def __init__(self, value=1):\n        if value < 0:\n",
        "    def __init__(self, value=0):\n        if value < 0:\n",
    ),
    (
        "semaphore-acquire-never-blocks",
        "acquire only waits for a negative counter, so it takes a unit that is not there",
        "            while self._value == 0:\n                if not blocking:\n",
        "            while self._value < 0:\n                if not blocking:\n",
    ),
    (
        "semaphore-acquire-forgets-decrement",
        "a successful acquire returns True without decrementing the counter",
        "                self._value -= 1\n                rc = True\n",
        "                rc = True\n",
    ),
    (
        "semaphore-timed-acquire-reports-failure",
        "an acquire with a timeout returns False even when it took a unit",
        "                self._value -= 1\n                rc = True\n",
        "                self._value -= 1\n                rc = timeout is None\n",
    ),
    (
        "semaphore-nonblocking-acquire-blocks",
        "acquire(False) on a zero counter waits instead of returning False",
        "                if not blocking:\n                    break\n"
        "                if timeout is not None:\n                    if endtime is None:\n",
        "                if not blocking and timeout is not None:\n                    break\n"
        "                if timeout is not None:\n                    if endtime is None:\n",
    ),
    (
        "semaphore-timeout-ignored",
        "a waiting acquire ignores its timeout and waits until a release",
        "                self._cond.wait(timeout)\n            else:\n                self._value -= 1\n",
        "                self._cond.wait()\n            else:\n                self._value -= 1\n",
    ),
    (
        "semaphore-nonblocking-timeout-returns-false",
        "acquire(False, timeout) returns False instead of raising ValueError",
        "            raise ValueError(\"can't specify timeout for non-blocking acquire\")\n"
        "        rc = False\n        endtime = None\n        with self._cond:\n"
        "            while self._value == 0:\n",
        "            return False\n        rc = False\n"
        "        endtime = None\n        with self._cond:\n            while self._value == 0:\n",
    ),
    (
        "semaphore-release-ignores-n",
        "release(n) adds one to the counter whatever n is (but still notifies n waiters)",
        "        with self._cond:\n            self._value += n\n",
        "        with self._cond:\n            self._value += 1\n",
    ),
    (
        "semaphore-release-notifies-once",
        "release(n) wakes a single waiter: the others stay blocked with units available",
        "            self._value += n\n            for i in range(n):\n"
        "                self._cond.notify()\n\n    def __exit__",
        "            self._value += n\n            self._cond.notify()\n\n"
        "    def __exit__",
    ),
    (
        "semaphore-release-accepts-zero",
        "release(0) is accepted instead of raising ValueError",
        "        if n < 1:\n            raise ValueError('n must be one or more')\n        with self._cond:\n"
        "            self._value += n\n",
        "        if n < 0:\n            raise ValueError('n must be one or more')\n        with self._cond:\n"
        "            self._value += n\n",
    ),
    (
        "semaphore-exit-does-not-release",
        "leaving a with block does not release the semaphore",
        "    def __exit__(self, t, v, tb):\n        self.release()\n\n\nclass BoundedSemaphore",
        "    def __exit__(self, t, v, tb):\n        pass\n\n\nclass BoundedSemaphore",
    ),
    (
        "semaphore-enter-returns-none",
        "__enter__ acquires but returns None instead of acquire's result",
        "    __enter__ = acquire\n\n    def release(self, n=1):\n",
        "    def __enter__(self):\n        self.acquire()\n\n    def release(self, n=1):\n",
    ),
    (
        "bounded-check-off-by-one",
        "BoundedSemaphore refuses a release that brings the counter back to its initial value",
        "            if self._value + n > self._initial_value:\n",
        "            if self._value + n >= self._initial_value:\n",
    ),
    (
        "bounded-check-after-increment",
        "BoundedSemaphore raises on over-release only after adding to the counter",
        "            if self._value + n > self._initial_value:\n"
        "                raise ValueError(\"Semaphore released too many times\")\n"
        "            self._value += n\n",
        "            self._value += n\n"
        "            if self._value > self._initial_value:\n"
        "                raise ValueError(\"Semaphore released too many times\")\n",
    ),
    (
        "bounded-check-ignores-n",
        "BoundedSemaphore checks only one unit of release(n) against the bound",
        "            if self._value + n > self._initial_value:\n",
        "            if self._value + 1 > self._initial_value:\n",
    ),
    (
        "bounded-initial-value-off-by-one",
        "BoundedSemaphore records a bound one above its initial value",
        "        self._initial_value = value\n",
        "        self._initial_value = value + 1\n",
    ),
]
