"""Seeded bugs in CPython 3.11's Lib/threading.py that ``threadspec check`` does not reach.

Each entry of ``UNREACHED`` is ``(id, description, old_text, new_text)``, in the format of the
other modules' ``MUTANTS`` (``old_text`` occurs exactly once in 3.11.7's threading.py), but
the list has another name: ``tests/mutants/all.py`` collects ``MUTANTS`` for the mutant sweeps
of ``threadspec check``, and these are the ones it misses. Each opens a race window a few
bytecodes wide inside threading.py: ``check`` drives real threads and waits for quiescence
after every call, so its calls never land inside the window; the deterministic scheduler of
``threadspec prove --module threading --path DIR`` switches threads at every ``_thread`` call
and explores every interleaving within its bounds, so it does (see
``proofs/thread_properties.py`` and ``proofs/refinement.py``, and
``tests/proofs/test_refinement_mutants.py``).

``threadspec check --budget 20 --fail-fast`` (3.11.7, run one at a time, with and without
``--only`` the primitive) reports every one conformant. ``threadspec prove --module threading
--path DIR`` finds eight: all but ``rlock-python-release-frees-before-disowning`` and
``thread-stop-drops-lock-before-stopped``, whose windows lie between two plain statements
and need more calls, or more preemptions with a switch at every line, than the rows' bounds.
"""

from __future__ import annotations

UNREACHED: list[tuple[str, str, str, str]] = [
    (
        "module-active-count-misses-limbo",
        "active_count() no longer counts the threads in _limbo: a thread whose start() has "
        "returned is not counted until it has moved itself into _active",
        "    with _active_limbo_lock:\n        return len(_active) + len(_limbo)\n",
        "    with _active_limbo_lock:\n        return len(_active)\n",
    ),
    (
        "module-enumerate-misses-limbo",
        "enumerate() no longer lists the threads in _limbo: a thread whose start() has returned "
        "is missing until it has moved itself into _active",
        "    with _active_limbo_lock:\n        return list(_active.values()) + list(_limbo.values())\n",
        "    with _active_limbo_lock:\n        return list(_active.values())\n",
    ),
    (
        "thread-ident-set-after-started",
        "the new thread sets its ident after the started event: start() may return while "
        "ident is still None",
        "            self._set_ident()\n"
        "            self._set_tstate_lock()\n"
        "            if _HAVE_THREAD_NATIVE_ID:\n"
        "                self._set_native_id()\n"
        "            self._started.set()\n",
        "            self._set_tstate_lock()\n"
        "            if _HAVE_THREAD_NATIVE_ID:\n"
        "                self._set_native_id()\n"
        "            self._started.set()\n"
        "            self._set_ident()\n",
    ),
    (
        "thread-limbo-to-active-not-atomic",
        "the new thread leaves _limbo and enters _active under two holds of the lock: between "
        "them it is in neither, and enumerate() and active_count() miss a started thread",
        "            with _active_limbo_lock:\n"
        "                _active[self._ident] = self\n"
        "                del _limbo[self]\n",
        "            with _active_limbo_lock:\n"
        "                del _limbo[self]\n"
        "            with _active_limbo_lock:\n"
        "                _active[self._ident] = self\n",
    ),
    (
        "thread-started-before-tstate-lock",
        "the started event is set before the thread-state lock exists: is_alive() right after "
        "start() finds no lock and fails its assertion",
        "            self._set_tstate_lock()\n"
        "            if _HAVE_THREAD_NATIVE_ID:\n"
        "                self._set_native_id()\n"
        "            self._started.set()\n",
        "            self._started.set()\n"
        "            self._set_tstate_lock()\n"
        "            if _HAVE_THREAD_NATIVE_ID:\n"
        "                self._set_native_id()\n",
    ),
    (
        "condition-wait-releases-before-enlisting",
        "Condition.wait releases the lock before it appends its waiter: a notify made in "
        "between finds nobody to wake, and the waiter sleeps on (a lost wakeup)",
        "        self._waiters.append(waiter)\n        saved_state = self._release_save()\n",
        "        saved_state = self._release_save()\n        self._waiters.append(waiter)\n",
    ),
    (
        "condition-wait-arms-its-waiter-late",
        "Condition.wait takes its waiter's lock only after releasing the condition's lock: a "
        "notify made in between releases an unlocked waiter (refused, so it does not count) and "
        "the waiter then sleeps on",
        "        waiter = _allocate_lock()\n"
        "        waiter.acquire()\n"
        "        self._waiters.append(waiter)\n"
        "        saved_state = self._release_save()\n",
        "        waiter = _allocate_lock()\n"
        "        self._waiters.append(waiter)\n"
        "        saved_state = self._release_save()\n"
        "        waiter.acquire()\n",
    ),
    (
        "event-set-flag-after-notify",
        "Event.set wakes the waiters, releases the lock, and only then sets the flag: a wait() "
        "that takes the lock in between finds the flag false and sleeps on",
        "        with self._cond:\n            self._flag = True\n            self._cond.notify_all()\n",
        "        with self._cond:\n            self._cond.notify_all()\n        self._flag = True\n",
    ),
    (
        "rlock-python-release-frees-before-disowning",
        "the Python RLock's release frees the inner lock before it clears the owner: a thread "
        "that acquires in between is disowned, and its own release raises RuntimeError",
        "        if not count:\n            self._owner = None\n            self._block.release()\n",
        "        if not count:\n            self._block.release()\n            self._owner = None\n",
    ),
    (
        "thread-stop-drops-lock-before-stopped",
        "_stop() forgets the thread-state lock before it marks the thread stopped: an "
        "is_alive() or join() in between finds no lock and fails its assertion",
        "        self._is_stopped = True\n        self._tstate_lock = None\n",
        "        self._tstate_lock = None\n        self._is_stopped = True\n",
    ),
]
