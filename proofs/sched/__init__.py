"""A deterministic scheduler: every interleaving of a threading module written in Python.

A fresh copy of the module under test (``impl``, or any ``threading.py`` file)
is loaded against a controlled ``_thread`` (every thread a greenlet, parked in
the scheduler when it blocks) and a virtual ``time`` (timeouts cost no real
time; a timeout expiring is a scheduling choice, explored even while other
threads could run). A program runs under every schedule the reduction keeps.

API (stable; additions only)
----------------------------

``explore(program, *, module="impl", path=None, max_schedules=None,
preemption_bound=None, line_switches=False, opcode_switches=False, shard=None, reduction=True,
fresh="reset", c_rlock=True, max_steps=20_000, stop_on_failure=False,
max_reports=10, shard_depth=3) -> Exploration``

    ``program(env)`` runs as the main thread of every run. ``env.threading`` is
    the loaded copy (``env.modules`` all its modules by name), ``env.spawn(fn,
    *args, name=None) -> Handle`` starts a controlled thread (``handle.join()``
    waits for it and returns ``fn``'s result; ``handle.done``, ``handle.result``),
    ``env.now()`` reads the virtual clock, ``env.thread_index()`` says who runs,
    ``env.thread`` / ``env.time`` are the controlled ``_thread`` and virtual ``time``
    the copy was loaded against, ``env.touch(*objects)`` declares shared plain data.
    The program may return a *check*: a function called once every thread has
    ended; what it returns (hashable) is the run's *outcome*. A failure is an
    exception from the program, from the check, escaping a spawned thread, or
    reaching threading's ``excepthook`` (the controlled ``_thread._excepthook``
    records it instead of printing it).

    ``module``/``path``: ``"impl"`` (default), or e.g. ``"threading"`` with
    ``path`` a directory holding ``threading.py`` or the file itself (default:
    the host's own ``threading.py``). ``shard=Shard(k, n)`` (``proofs.table``)
    runs only the schedules whose first ``shard_depth`` choices hash to shard
    ``k``: the shards' counts add up to the whole. ``reduction=True``: sleep sets,
    plus persistent singletons for transitions that touch nothing shared (see
    ``proofs.sched.explore``); ``reduction=False`` explores naively (every option
    at every branch point). ``preemption_bound`` keeps only
    schedules with at most that many preemptions (CHESS). ``fresh="reset"`` loads
    the module once and reloads only after a run that changed its state (compared
    with a snapshot taken after loading; after 3 such runs in a row it reloads
    before every run); ``"reload"`` loads it for every run.
    ``c_rlock=False`` leaves ``_thread.RLock`` out (threading.py then uses its
    Python ``_PyRLock``). ``line_switches=True`` (CPython 3.11) makes every line of
    the module under test a switch point too (``sys.settrace``; see
    ``runtime.TraceState`` for how tracing survives greenlet switches); every
    transition then conflicts with every other, so give a ``preemption_bound``.
    ``opcode_switches=True`` makes every bytecode instruction of the module a switch
    point instead (a window inside one line, such as ``a[a.index(x)] = y``; several
    times more schedules than line switches).
    ``env.touch(*objects)`` declares plain Python data that threads share outside
    any one lock of the module (observation lists, counters): the reduction assumes
    that everything else a thread does between two switch points is invisible to
    the others.

``explore`` raises ``Diverged`` if re-running a schedule prefix offers other choices than it
did before (a program that is not deterministic: it reads real time, ``id()``s, a set's order).

``Exploration``: ``schedules`` (runs that reached an end), ``pruned`` (runs the
sleep sets abandoned), ``terminal``, ``outcomes`` (a Counter of check results),
``failures`` / ``failure_count``, ``deadlocks`` / ``deadlock_count`` (each a
``Report``: ``schedule`` string, ``kind``, ``message``, ``blocked`` — who is
blocked on what, where), ``step_limited``, ``complete``, ``loads``,
``seconds``, and ``ok`` (no failure; a deadlock is not a failure unless the
caller says so).

``replay(program, schedule, *, module="impl", path=None, c_rlock=True, max_steps=20_000,
trace=True, line_switches=False, opcode_switches=False) -> Run``
runs one schedule again: ``Run.end`` (``End.TERMINAL``, ``DEADLOCK``,
``FAILED``, ``STEP_LIMIT``, ``DIVERGED``), ``outcome``, ``failures``,
``blocked``, ``trace`` (one line per transition), ``clock``, ``schedule`` (the
choices made, which equals the one given when it replayed exactly).

A schedule string has one letter per branch point (a point with two or more
options): ``a``.. thread 0.. runs, ``A``.. thread 0..'s timeout expires; a
count repeats the letter (``"a3bA"``). See ``proofs.sched.schedule``.

``load(module="impl", path=None) -> ModuleType`` gives a fresh copy bound to a
new runtime, outside any schedule (for inspection; operations that would block
raise).

What is a switch point: every visible ``_thread`` operation — lock and RLock
``acquire`` (blocking or not), ``release``, ``locked``, ``_release_save``,
thread start, a thread's end (its sentinel locks released), joins, and
``time.sleep``. ``get_ident``, ``allocate_lock``, ``_local`` accesses are
thread-local and are not. Reading the clock (``time.monotonic()``...) is part of
the transition's footprint, so it conflicts with timeouts expiring.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from proofs.sched.explore import (
    DepthFirst,
    Diverged,
    Env,
    Exploration,
    Handle,
    Program,
    Replaying,
    Report,
    Run,
    Session,
    explore,
    replay,
)
from proofs.sched.loader import load_into
from proofs.sched.runtime import End, Failure, Runtime
from proofs.sched.schedule import decode, encode


def load(module: str = "impl", path: str | Path | None = None, c_rlock: bool = True) -> ModuleType:
    """A fresh copy of ``module`` bound to a new controlled runtime."""
    return load_into(Runtime(), module, path, c_rlock)[module]


__all__ = [
    "DepthFirst", "Diverged", "End", "Env", "Exploration", "Failure", "Handle", "Program", "Replaying",
    "Report", "Run", "Runtime", "Session", "decode", "encode", "explore", "load", "replay",
]
