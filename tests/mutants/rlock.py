"""Seeded bugs in Python 3.11's Lib/threading.py that the RLock scenarios must find.

Each entry is ``(id, description, old_text, new_text)``: ``old_text`` occurs exactly once
in 3.11's threading.py and ``new_text`` is a one-place semantic change.

On 3.11 ``threading.RLock()`` returns the C class ``_thread.RLock``, so only the
``rlock-factory-*`` mutant changes what ``threading.RLock`` does; the ``rlock-py-*`` ones
change the Python class ``threading._PyRLock`` and are found by the scenarios that
target it (``PYTHON_CLASS_SCENARIOS``, run once ``spec.PRIMITIVES`` has
``rlock.PYTHON_CLASS_SPEC``).
"""

from __future__ import annotations

MUTANTS: list[tuple[str, str, str, str]] = [
    (
        "rlock-py-reentry-not-counted",
        "_PyRLock: the owner's reentrant acquire does not raise the recursion level, so the "
        "first release unlocks it",
        "            self._count += 1\n            return 1\n",
        "            return 1\n",
    ),
    (
        "rlock-py-any-holder-reenters",
        "_PyRLock: acquire checks that the lock is held instead of held by the caller, so "
        "another thread 'reenters' instead of blocking",
        "        if self._owner == me:\n",
        "        if self._owner is not None:\n",
    ),
    (
        "rlock-py-owner-not-recorded",
        "_PyRLock: the first acquire does not record the owner; the owner's next acquire "
        "blocks and its release raises",
        "            self._owner = me\n            self._count = 1\n",
        "            self._count = 1\n",
    ),
    (
        "rlock-py-first-level-is-two",
        "_PyRLock: the first acquire sets the recursion level to 2, so one release does not "
        "unlock",
        "            self._count = 1\n        return rc\n",
        "            self._count = 2\n        return rc\n",
    ),
    (
        "rlock-py-acquire-ignores-arguments",
        "_PyRLock: blocking and timeout are not passed on: a non-blocking or timed acquire by "
        "another thread blocks forever, bad timeouts are not refused",
        "        rc = self._block.acquire(blocking, timeout)\n",
        "        rc = self._block.acquire()\n",
    ),
    (
        "rlock-py-acquire-ignores-timeout",
        "_PyRLock: the timeout is not passed on: a timed acquire by another thread waits "
        "without limit, and blocking=False with a timeout returns instead of raising",
        "        rc = self._block.acquire(blocking, timeout)\n",
        "        rc = self._block.acquire(blocking)\n",
    ),
    (
        "rlock-py-failed-acquire-returns-true",
        "_PyRLock: acquire returns True even when a non-blocking or timed acquire failed",
        "        return rc\n\n    __enter__ = acquire\n\n    def release(self):\n",
        "        return True\n\n    __enter__ = acquire\n\n    def release(self):\n",
    ),
    (
        "rlock-py-release-checks-locked-not-owner",
        "_PyRLock: release checks only that the lock is held, so a thread that does not own "
        "it can release it",
        "        if self._owner != get_ident():\n            raise RuntimeError(\"cannot release "
        "un-acquired lock\")\n        self._count = count",
        "        if not self._count:\n            raise RuntimeError(\"cannot release "
        "un-acquired lock\")\n        self._count = count",
    ),
    (
        "rlock-py-release-raises-valueerror",
        "_PyRLock: releasing an unowned or unlocked lock raises ValueError instead of "
        "RuntimeError",
        "            raise RuntimeError(\"cannot release un-acquired lock\")\n        self._count = count",
        "            raise ValueError(\"cannot release un-acquired lock\")\n        self._count = count",
    ),
    (
        "rlock-py-unlocks-one-level-early",
        "_PyRLock: the lock is unlocked when the recursion level drops to 1, not 0",
        "        if not count:\n",
        "        if count <= 1:\n",
    ),
    (
        "rlock-py-release-increments-level",
        "_PyRLock: release adds one to the recursion level, so the lock is never unlocked and "
        "waiters are never woken",
        "        self._count = count = self._count - 1\n",
        "        self._count = count = self._count + 1\n",
    ),
    (
        "rlock-py-final-release-keeps-owner",
        "_PyRLock: the final release does not clear the owner; the old owner keeps "
        "'reentering' a lock another thread may take",
        "            self._owner = None\n            self._block.release()\n\n    def __exit__",
        "            self._block.release()\n\n    def __exit__",
    ),
    (
        "rlock-py-exit-does-not-release",
        "_PyRLock: leaving a with block does not release the lock",
        "    def __exit__(self, t, v, tb):\n        self.release()\n\n    # Internal methods used by "
        "condition variables",
        "    def __exit__(self, t, v, tb):\n        pass\n\n    # Internal methods used by "
        "condition variables",
    ),
    (
        "rlock-factory-returns-plain-lock",
        "RLock() returns a primitive Lock: the owner's second acquire blocks forever and any "
        "thread may release it",
        "    return _CRLock(*args, **kwargs)\n",
        "    return _allocate_lock()\n",
    ),
]
