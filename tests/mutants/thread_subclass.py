"""Seeded bugs in how CPython 3.11's Thread runs a subclass's ``run()`` (Lib/threading.py).

Each entry is ``(id, description, old_text, new_text)``, as in ``tests/mutants/thread.py``. The
scenarios of ``conformance/scenarios/thread_subclass.py`` observe both: the new thread calls the
target (gate 2), which the subclass's ``run()`` never does.
"""

from __future__ import annotations

MUTANTS: list[tuple[str, str, str, str]] = [
    (
        "subclass-bootstrap-calls-the-standard-run",
        "the new thread calls the standard Thread.run (the target) instead of the object's run() "
        "(subclass_run_runs_in_the_new_thread_instead_of_the_target)",
        "                self.run()\n",
        "                Thread.run(self)\n",
    ),
    (
        "subclass-init-binds-the-standard-run",
        "Thread.__init__ binds the standard run() to the object, so a subclass's override is ignored "
        "(subclass_run_runs_in_the_new_thread_instead_of_the_target)",
        "        self._target = target\n",
        "        self._target = target\n        self.run = lambda: Thread.run(self)\n",
    ),
]
