"""Seeded bugs in CPython 3.11's ``threading.Condition``.

Each entry is ``(id, description, old_text, new_text)``: ``old_text`` occurs exactly once in
Python 3.11's ``Lib/threading.py`` and ``new_text`` replaces it with a one-place semantic
change. The Condition scenarios (``conformance/scenarios/condition.py``) are meant to catch
every one of them; the scenario expected to fail first is named in the description.
"""

from __future__ import annotations

MUTANTS: list[tuple[str, str, str, str]] = [
    (
        "condition-notify-skips-owner-check",
        "notify() without the lock returns instead of raising RuntimeError "
        "(wait-and-notify-need-the-lock)",
        'raise RuntimeError("cannot notify on un-acquired lock")',
        "pass",
    ),
    (
        "condition-wait-skips-owner-check",
        "wait() without the lock fails only inside the lock's release, after queueing its waiter: "
        "a later notify is spent on that stale entry (unowned-wait-leaves-no-trace)",
        'raise RuntimeError("cannot wait on un-acquired lock")',
        "pass",
    ),
    (
        "condition-notify-wakes-one-extra",
        "notify(n) wakes n + 1 waiters, notify(0) wakes one (notify-wakes-waiters-in-fifo-order)",
        "while waiters and n > 0:",
        "while waiters and n >= 0:",
    ),
    (
        "condition-notify-wakes-newest-first",
        "notify() wakes the thread that began waiting last (notify-wakes-waiters-in-fifo-order)",
        "waiter = waiters[0]",
        "waiter = waiters[-1]",
    ),
    (
        "condition-notify-all-wakes-one",
        "notify_all() wakes a single waiter (notify-all-wakes-every-waiter)",
        "self.notify(len(self._waiters))",
        "self.notify()",
    ),
    (
        "condition-notify-all-leaves-its-waiters-queued",
        "notify_all() releases every waiter but leaves them in the queue; each re-acquires its "
        "lock, so a later notify() releases a stale entry and the next waiter never wakes "
        "(notify-after-notify-all-wakes-a-later-waiter)",
        "self.notify(len(self._waiters))",
        "self.notify(0)\n        for waiter in list(self._waiters):\n            waiter.release()",
    ),
    (
        "condition-wait-ignores-timeout",
        "wait(timeout) with a positive timeout sleeps until notified "
        "(wait-timeout-returns-false-holding-the-lock)",
        "gotit = waiter.acquire(True, timeout)",
        "gotit = waiter.acquire()",
    ),
    (
        "condition-wait-zero-timeout-blocks",
        "wait(0) and wait(-1) sleep until notified (wait-negative-timeout-returns-at-once)",
        "gotit = waiter.acquire(False)",
        "gotit = waiter.acquire()",
    ),
    (
        "condition-wait-always-returns-true",
        "wait() returns True after a timeout too (wait-timeout-returns-false-holding-the-lock)",
        "            return gotit\n",
        "            return True\n",
    ),
    (
        "condition-wait-timeout-returns-without-lock",
        "a timed-out wait() returns without re-acquiring the lock "
        "(wait-timeout-returns-false-holding-the-lock)",
        "            self._acquire_restore(saved_state)\n",
        "            if gotit:\n                self._acquire_restore(saved_state)\n",
    ),
    (
        "condition-timed-out-waiter-stays-queued",
        "a timed-out waiter never leaves the queue, so a later notify is spent on it "
        "(notify-after-a-timed-out-wait-reaches-the-next-waiter)",
        "                    self._waiters.remove(waiter)\n",
        "                    pass\n",
    ),
    (
        "condition-default-lock-not-reentrant",
        "Condition() uses a plain Lock instead of an RLock (default-lock-is-reentrant)",
        "        if lock is None:\n            lock = RLock()\n        self._lock = lock\n",
        "        if lock is None:\n            lock = Lock()\n        self._lock = lock\n",
    ),
    (
        "condition-wait-for-waits-once",
        "wait_for() returns after one wait() even though the predicate is still false "
        "(wait-for-calls-predicate-first-and-rechecks)",
        "            self.wait(waittime)\n            result = predicate()\n",
        "            self.wait(waittime)\n            return predicate()\n",
    ),
    (
        "condition-wait-for-deadline-lost",
        "wait_for() waits again for the absolute deadline instead of the time left, so a notified "
        "wait_for never times out (wait-for-notified-waits-again-until-its-timeout)",
        "waittime = endtime - _time()",
        "waittime = endtime",
    ),
    (
        "condition-wait-for-skips-first-check",
        "wait_for() waits before calling the predicate (wait-for-calls-predicate-first-and-rechecks)",
        "        result = predicate()\n        while not result:",
        "        result = None\n        while not result:",
    ),
    (
        "condition-notifyAll-wrong-warning",
        "notifyAll() warns with PendingDeprecationWarning instead of DeprecationWarning "
        "(notifyAll-is-an-alias)",
        "use notify_all() instead',\n                      DeprecationWarning",
        "use notify_all() instead',\n                      PendingDeprecationWarning",
    ),
]
