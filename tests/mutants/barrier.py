"""Seeded Barrier bugs in CPython 3.11's threading.py: (id, description, old_text, new_text).

Each old_text occurs exactly once in Lib/threading.py of 3.11.7; each change is one realistic
slip (a comparison, a forgotten notify, a wrong order) that a Barrier scenario observes.
"""

from __future__ import annotations

MUTANTS: list[tuple[str, str, str, str]] = [
    (
        "barrier-trips-one-late",
        "the barrier trips when index == parties: the last party waits for one more",
        "                if index + 1 == self._parties:",
        "                if index == self._parties:",
    ),
    (
        "barrier-index-after-increment",
        "the index is read after the count is incremented: indices start at 1 and the "
        "barrier trips one thread early",
        "            index = self._count\n            self._count += 1",
        "            self._count += 1\n            index = self._count",
    ),
    (
        "barrier-count-never-decremented",
        "a thread leaving wait() does not decrement the count: the barrier never finishes "
        "draining and its second use deadlocks",
        "                self._count -= 1\n"
        "                # Wake up any threads waiting for barrier to drain.",
        "                # Wake up any threads waiting for barrier to drain.",
    ),
    (
        "barrier-release-without-notify",
        "the last party sets the draining state without notifying: the others are never woken",
        "            self._state = 1\n            self._cond.notify_all()",
        "            self._state = 1",
    ),
    (
        "barrier-action-after-release",
        "the action is called after the waiting threads are released, not before",
        "            if self._action:\n                self._action()\n            # enter draining state\n"
        "            self._state = 1\n            self._cond.notify_all()",
        "            # enter draining state\n            self._state = 1\n"
        "            self._cond.notify_all()\n"
        "            if self._action:\n                self._action()",
    ),
    (
        "barrier-action-error-swallowed",
        "an exception from the action breaks the barrier but is not re-raised: the caller "
        "returns its index",
        "            self._break()\n            raise\n",
        "            self._break()\n",
    ),
    (
        "barrier-waiters-ignore-broken",
        "waiting threads wait for the draining state only: abort, reset and a timeout no longer "
        "wake them",
        "self._cond.wait_for(lambda : self._state != 0, timeout)",
        "self._cond.wait_for(lambda : self._state > 0, timeout)",
    ),
    (
        "barrier-timeout-does-not-break",
        "a waiter whose timeout expires raises BrokenBarrierError but leaves the barrier intact",
        "            #timed out.  Break the barrier\n            self._break()\n",
        "            #timed out.  Break the barrier\n",
    ),
    (
        "barrier-broken-admits-new-waiters",
        "wait() on a broken barrier does not raise: the thread joins it as if it were filling",
        "        #see if the barrier is in a broken state\n        if self._state < 0:",
        "        #see if the barrier is in a broken state\n        if self._state < -2:",
    ),
    (
        "barrier-break-without-notify",
        "breaking the barrier (abort, timeout, action error) does not wake the waiting threads",
        "        self._state = -2\n        self._cond.notify_all()",
        "        self._state = -2",
    ),
    (
        "barrier-reset-keeps-broken",
        "reset() of a broken barrier with no waiting thread leaves it broken",
        "            else:\n                self._state = 0\n            self._cond.notify_all()",
        "            else:\n                pass\n            self._cond.notify_all()",
    ),
    (
        "barrier-reset-without-notify",
        "reset() changes the state but does not wake the waiting threads",
        "                self._state = 0\n            self._cond.notify_all()",
        "                self._state = 0",
    ),
    (
        "barrier-last-leaver-unbreaks",
        "the last thread leaving a broken barrier resets it to filling: abort and timeouts are "
        "forgotten once the waiters have left",
        "            if self._state in (-1, 1):\n                #resetting or draining",
        "            if self._state in (-2, -1, 1):\n                #resetting or draining",
    ),
    (
        "barrier-reset-breaks-release",
        "reset() while released threads are leaving makes them raise BrokenBarrierError "
        "(caught when a queued reset wins the race for the lock, most runs)",
        "                if self._state == 0:\n                    #reset the barrier, waking up threads",
        "                if self._state >= 0:\n                    #reset the barrier, waking up threads",
    ),
    (
        "barrier-explicit-timeout-ignored",
        "the constructor's timeout replaces the one passed to wait() whenever it is set",
        "        if timeout is None:\n            timeout = self._timeout\n        with self._cond:",
        "        if self._timeout is not None:\n            timeout = self._timeout\n"
        "        with self._cond:",
    ),
]
