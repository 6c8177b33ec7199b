"""Exploring every interleaving of a program: depth-first, with sleep sets; replaying one schedule.

The search is stateless: each schedule is a fresh run of the program from the
start, following the choices of the stack of *branch points* (the points with
two or more options) and then making new ones. The branch points before the one
``next()`` changed are replayed as they were: their sleep sets and preemptions
are taken from the stack, not computed again (``DepthFirst._resume``); only the
options are compared, so that a program that is not deterministic is caught. Reduction (``reduction=True``):

* **sleep sets** (Godefroid): after exploring option ``t`` at a branch point, the
  later siblings carry ``t`` asleep until a transition dependent on ``t`` runs;
  a run whose every option is asleep is abandoned (*pruned*) — another run
  covers it. Two transitions are dependent when they are of the same thread or
  their footprints meet: every operation on the same lock (hence on a
  condition or semaphore built from it) conflicts; a timeout expiring and a
  reading of the clock conflict; a thread's end conflicts with a join of it
  timing out and with reading whether it is done; every ``env.touch`` conflicts
  with every other. Footprints recorded in one run are compared in later runs,
  so keys must name the same object in every run sharing the prefix: locks are
  numbered in order of creation, and a reload of the module (``Session``)
  numbers its locks again from the same start.
* **persistent singletons**: a transition whose footprint turned out empty
  (a thread start, ``sleep(0)``, a join that can return) commutes with
  everything, so its siblings need not be explored at all.

Both keep every terminal state and every deadlock reachable (the theorems are
for transitions whose effects on shared data all go through the module's
locks: a data race on plain Python objects is invisible to the reduction —
declare such data with ``env.touch``, or use ``reduction=False`` to explore
naively. Note that threading.py itself reads some state without a lock, e.g.
``Event.is_set()``, ``Barrier.broken``: such a read is ordered only when the
transition around it conflicts with the writer's for another reason). With a preemption bound (CHESS), only
schedules with at most that many preemptions are run.
"""

from __future__ import annotations

import time
import zlib
from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any

from proofs.sched import schedule
from proofs.sched.loader import Snapshot, load_into
from proofs.sched.runtime import ALL, JOIN, SHARED_BASE, CThread, End, Failure, Runtime, thread_key
from proofs.table import Shard

Program = Callable[["Env"], "Callable[[], object] | None"]
"""``program(env)`` runs as the main thread; it may return a check, run once every thread has ended."""


class Handle:
    """A thread started with ``env.spawn``."""

    __slots__ = ("_rt", "_thread")

    def __init__(self, rt: Runtime, thread: CThread) -> None:
        self._rt = rt
        self._thread = thread

    @property
    def done(self) -> bool:
        self._rt.touch(thread_key(self._thread))  # reading whether it ended: conflicts with its end
        return self._thread.done

    @property
    def result(self) -> object:
        """What the thread's function returned (None until it has)."""
        self._rt.touch(thread_key(self._thread))
        return self._thread.result

    @property
    def ident(self) -> int:
        return self._thread.ident

    def join(self) -> object:
        """Wait (a switch point) until the thread has ended; return its function's result."""
        self._rt.touch(thread_key(self._thread))
        if not self._thread.done:
            self._rt.op(JOIN, self._thread, None, "join of")
        return self._thread.result


_NO_KWARGS: dict[str, Any] = {}
"""The keyword arguments of a thread ``Env.spawn`` starts (the call copies them: never changed)."""


class Env:
    """What a program sees: the loaded module, controlled threads, the virtual clock."""

    def __init__(self, rt: Runtime, threading: ModuleType, modules: dict[str, ModuleType]) -> None:
        self._rt = rt
        self.threading = threading
        """The loaded copy of the module under test (``impl``, or a ``threading.py``)."""
        self.modules = modules
        """Every module of the copy, by name (``impl.condition``...)."""
        assert rt.thread_module is not None and rt.time_module is not None
        self.thread: ModuleType = rt.thread_module
        """The controlled ``_thread`` the copy was loaded against."""
        self.time: ModuleType = rt.time_module
        """The virtual ``time`` the copy was loaded against."""

    def spawn(self, fn: Callable[..., object], *args: Any, name: str | None = None) -> Handle:
        """Start a controlled thread running ``fn(*args)`` (a switch point). An exception it lets
        escape is a failure of the run."""
        return Handle(self._rt, self._rt.start(fn, args, _NO_KWARGS, name))

    def now(self) -> float:
        """The virtual clock: seconds since the start of the run (reading it is visible)."""
        return self._rt.read_clock()

    def touch(self, *objects: object) -> None:
        """Declare that the running transition reads or writes ``objects``: plain Python data that
        threads share without holding one lock of the module (a list of observations, a counter).
        The reduction then orders the transitions that touch declared data both ways (all declared
        objects share one footprint key), as it does for operations on one lock; data it is not
        told about is assumed to be race-free."""
        if objects:  # one key for every object: a key by first touch would differ between sibling runs
            self._rt.touch(SHARED_BASE)

    def thread_index(self) -> int:
        """The calling thread's index (0 is the main thread)."""
        return self._rt.current.index


@dataclass
class Report:
    """One failing schedule or deadlock: its replay string, and what happened."""

    schedule: str
    kind: str
    message: str
    blocked: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [f"{self.kind}: {self.message}", f"  schedule: {self.schedule or '(no choices)'}"]
        lines += [f"  {b}" for b in self.blocked]
        return "\n".join(lines)


@dataclass(slots=True)
class Run:
    """One run (what ``replay`` returns)."""

    schedule: str
    end: End
    outcome: object = None
    failures: list[Failure] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    trace: list[str] = field(default_factory=list)
    clock: float = 0.0


@dataclass
class Exploration:
    """What an exploration saw."""

    schedules: int = 0
    """Runs that reached an end: every thread done, a deadlock, a failure, or the step limit."""
    pruned: int = 0
    """Runs abandoned by the sleep sets as covered elsewhere (they cost time, not coverage)."""
    terminal: int = 0
    outcomes: Counter[Hashable] = field(default_factory=Counter)
    """Values returned by the program's check, each with the number of schedules that gave it."""
    failures: list[Report] = field(default_factory=list)
    """The first failing schedules (up to ``max_reports``)."""
    failure_count: int = 0
    deadlocks: list[Report] = field(default_factory=list)
    deadlock_count: int = 0
    step_limited: int = 0
    complete: bool = True
    """False if ``max_schedules`` cut the exploration short (or ``stop_on_failure`` stopped it)."""
    loads: int = 0
    """How many times the module was loaded (once, plus once per run that changed its state)."""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """No failure (deadlocks are reported separately: the caller decides)."""
        return self.failure_count == 0


class Node:
    __slots__ = ("options", "chosen", "sleep", "done", "fp", "current", "preempts")

    def __init__(self, options: list[int], sleep: dict[int, Any], chosen: int, current: int, preempts: int
                 ) -> None:
        self.options = options
        self.sleep = sleep
        self.chosen = chosen
        self.done: dict[int, Any] = {}
        self.fp: Any = None
        self.current = current
        self.preempts = preempts


class Diverged(RuntimeError):
    """Re-running a schedule prefix gave other options than before (the program, or the scheduler,
    is not deterministic): exploring on would follow choices that no longer exist."""


class DepthFirst:
    """The depth-first strategy with sleep sets (or naive, ``reduce=False``)."""

    def __init__(self, reduce: bool = True, preemption_bound: int | None = None, shard: Shard | None = None,
                 shard_depth: int = 3) -> None:
        self.reduce = reduce
        self.bound = preemption_bound
        self.shard = shard
        self.shard_depth = shard_depth
        self.stack: list[Node] = []
        self.reason = End.PRUNED
        self.prefix = -1
        """The branch point ``next()`` changed last (-1: none yet): the run replays the ones before it."""
        self.begin()

    def begin(self) -> None:
        self.depth = 0
        self.base: dict[int, Any] = {}
        self.prev = -1
        self.last: Node | None = None
        self.choices: list[int] = []
        self.split: list[int] = []
        """The choices at the branch points that can branch (a choice whose transition touched
        nothing is the only one explored there): what decides the shard."""
        self.preempts = 0
        self.mine: bool | None = None
        self.diverged = ""

    def _owns(self, choices: list[int]) -> bool:
        assert self.shard is not None
        prefix = schedule.encode(choices[: self.shard_depth]).encode()
        return zlib.crc32(prefix) % self.shard.n == self.shard.k - 1

    def choose(self, options: list[int], fp: frozenset[int], current: int) -> int:
        last = self.last
        if last is not None:
            last.fp = fp
            self.last = None
            if self.shard is not None and (fp or not self.reduce):
                self.split.append(last.chosen)
        if self.shard is not None and self.mine is None and len(self.split) >= self.shard_depth:
            self.mine = self._owns(self.split)
            if not self.mine:
                self.reason = End.FOREIGN
                return -1
        d = self.depth
        if d <= self.prefix:
            if len(options) == 1:  # passed by the previous run, with the same sleep set: not asleep
                return options[0]
            node = self.stack[d]
            if node.options != options:
                return self._diverged(node, options)
            o = node.chosen
            self.choices.append(o)
            self.depth = d + 1
            self.last = node
            if d == self.prefix:
                self._resume(node, o)
            return o
        sleep = self.base
        if sleep:
            if -1 in fp:  # a transition that may touch anything wakes every sleeper
                sleep = {}
            else:
                prev = self.prev
                sleep = {u: f for u, f in sleep.items()
                         if u >> 1 != prev and -1 not in f and f.isdisjoint(fp)}
        if len(options) == 1:
            o = options[0]
            if o in sleep:
                self.reason = End.PRUNED
                return -1
            self.base = sleep
            self.prev = o >> 1
            return o
        stack = self.stack
        cur = current << 1 if current << 1 in options else -1
        if d < len(stack):
            node = stack[d]
            if node.options != options:  # explore() raises Diverged once the run has ended
                return self._diverged(node, options)
        else:
            awake = [o for o in options if o not in sleep] if sleep else options  # (not changed below)
            if self.bound is not None and cur >= 0 and self.preempts >= self.bound:
                awake = [cur] if cur in awake else []
            if not awake:
                self.reason = End.PRUNED
                return -1
            node = Node(options, sleep, cur if cur in awake else awake[0], cur, self.preempts)
            stack.append(node)
        o = node.chosen
        if cur >= 0 and o != cur:
            self.preempts += 1
        self.choices.append(o)
        self.depth = d + 1
        self.last = node
        self.base = {**sleep, **node.done} if (node.done and self.reduce) else sleep
        self.prev = o >> 1
        return o

    def _resume(self, node: Node, o: int) -> None:
        """``node`` is the branch point ``next()`` changed: the ones before it (``self.prefix``) are
        as the previous run left them, so this run reached it with the same sleep set (``node.sleep``,
        kept when the node was made) and the same preemptions, and ``choose`` skipped computing them
        (it compares only the options, to catch a program that is not deterministic). From here on
        they are computed again."""
        sleep = node.sleep
        self.preempts = node.preempts + (node.current >= 0 and o != node.current)
        self.base = {**sleep, **node.done} if (node.done and self.reduce) else sleep
        self.prev = o >> 1

    def _diverged(self, node: Node, options: list[int]) -> int:
        self.diverged = (f"the program is not deterministic: after {schedule.encode(self.choices)!r} "
                         f"the options were {node.options}, now {options}")
        self.reason = End.DIVERGED
        return -1

    def finish(self, fp: frozenset[int] | None) -> None:
        last = self.last
        if last is not None:
            last.fp = fp if fp is not None else ALL
            self.last = None
            if self.shard is not None and (last.fp or not self.reduce):
                self.split.append(last.chosen)

    def counted(self) -> bool:
        """Whether the run that just ended belongs to this shard."""
        if self.shard is None:
            return True
        return self.mine if self.mine is not None else self._owns(self.split)

    def next(self) -> bool:
        """Set up the next run's choices; False when every schedule has been explored."""
        stack = self.stack
        while stack:
            node = stack[-1]
            fp = node.fp if node.fp is not None else ALL
            node.done[node.chosen] = fp
            if self.reduce and not fp:  # a transition independent of everything: enough alone
                stack.pop()
                continue
            cands = [o for o in node.options if o not in node.done and not (self.reduce and o in node.sleep)]
            if self.bound is not None and node.current >= 0 and node.preempts >= self.bound:
                cands = [o for o in cands if o == node.current]
            if cands:
                node.chosen = cands[0]
                node.fp = None
                self.prefix = len(stack) - 1
                return True
            stack.pop()
        return False


class Replaying:
    """Follow a schedule string; after its end, keep running the current thread when it can."""

    def __init__(self, choices: list[int]) -> None:
        self.choices = choices
        self.reason = End.DIVERGED
        self.begin()

    def begin(self) -> None:
        self.pos = 0
        self.made: list[int] = []

    def choose(self, options: list[int], fp: frozenset[int], current: int) -> int:
        if len(options) == 1:
            return options[0]
        if self.pos < len(self.choices):
            o = self.choices[self.pos]
            self.pos += 1
            if o not in options:
                return -1
        else:
            o = current << 1 if current << 1 in options else options[0]
        self.made.append(o)
        return o

    def finish(self, fp: frozenset[int] | None) -> None:
        pass


CHANGED_RUNS_BEFORE_RELOADING_ALWAYS = 3
"""After this many consecutive runs that changed the module, reload before every run without
comparing (the comparison and the snapshot cost a third of a reload)."""


class Session:
    """A runtime with a loaded module, reused across runs while the module's state is unchanged."""

    def __init__(self, module: str, path: str | Path | None, *, fresh: str = "reset", c_rlock: bool = True,
                 max_steps: int = 20_000, line_switches: bool = False, opcode_switches: bool = False) -> None:
        if fresh not in ("reset", "reload"):
            raise ValueError("fresh is 'reset' (load once, reload when a run changed the module) or 'reload'")
        self.module, self.path, self.fresh, self.c_rlock = module, path, fresh, c_rlock
        self.rt = Runtime(max_steps)
        self.loads = 0
        self.modules: dict[str, ModuleType] = {}
        self.snapshot: Snapshot | None = None
        self._load()
        if line_switches or opcode_switches:
            self.rt.enable_line_switches({m.__file__ for m in self.modules.values() if m.__file__},
                                         opcodes=opcode_switches)

    def _load(self) -> None:
        self.rt.load_serial = -1  # the same keys for the locks of every copy: footprints recorded in
        # earlier runs (the sleep sets) name locks by key, and a reload must not rename them
        self.modules = load_into(self.rt, self.module, self.path, self.c_rlock)
        self.env = Env(self.rt, self.modules[self.module], self.modules)
        self.loads += 1
        self.snapshot = Snapshot(self.modules) if self.fresh == "reset" else None
        self.stale = False

    def run(self, program: Program, strategy: Any, trace: bool = False) -> Run:
        if self.stale:
            self._load()
        rt = self.rt
        env = self.env
        rt.trace = [] if trace else None
        check = rt.run(strategy, partial(program, env))
        run = Run("", rt.end or End.TERMINAL, None, list(rt.failures), list(rt.stuck), rt.trace or [],
                  rt.clock)
        if run.end is End.TERMINAL and not run.failures and check is not None:
            if not callable(check):
                raise TypeError(f"a program returns a check function or None, not {check!r}")
            try:
                run.outcome = check()
            except BaseException as e:  # noqa: BLE001 - any exception from the check is a failure
                rt.fail("check failed", None, e)
                run.failures = list(rt.failures)
                run.end = End.FAILED
        if self.snapshot is None:
            self.stale = True
        elif not self.snapshot.same():
            self.changed += 1
            if self.changed >= CHANGED_RUNS_BEFORE_RELOADING_ALWAYS:
                self.fresh = "reload"  # the program changes the module every time: stop comparing
                self.snapshot = None
                self.stale = True
            else:
                self._load()
        else:
            self.changed = 0
        return run

    stale = False
    """Whether the loaded copy has been used by a run (and is reloaded before the next)."""
    changed = 0
    """Consecutive runs that changed the loaded module's state."""


def explore(program: Program, *, module: str = "impl", path: str | Path | None = None,
            max_schedules: int | None = None, preemption_bound: int | None = None,
            line_switches: bool = False, opcode_switches: bool = False, shard: Shard | None = None,
            reduction: bool = True,
            fresh: str = "reset", c_rlock: bool = True, max_steps: int = 20_000,
            stop_on_failure: bool = False, max_reports: int = 10, shard_depth: int = 3) -> Exploration:
    """Run ``program`` under every schedule (within the bounds); see the package docstring."""
    t0 = time.monotonic()
    session = Session(module, path, fresh=fresh, c_rlock=c_rlock, max_steps=max_steps,
                      line_switches=line_switches, opcode_switches=opcode_switches)
    strategy = DepthFirst(reduction, preemption_bound, shard, shard_depth)
    result = Exploration()
    while True:
        run = session.run(program, strategy)
        if strategy.diverged:
            raise Diverged(strategy.diverged)
        if strategy.counted() and run.end is not End.FOREIGN:
            if _record(result, run, strategy.choices, max_reports) and stop_on_failure:
                result.complete = False
                break
        if max_schedules is not None and result.schedules >= max_schedules:
            result.complete = not strategy.next()
            break
        if not strategy.next():
            break
    result.loads = session.loads
    result.seconds = time.monotonic() - t0
    return result


def _record(result: Exploration, run: Run, choices: list[int], max_reports: int) -> bool:
    """Count one run; return True if it failed."""
    if run.end is End.PRUNED:
        result.pruned += 1
        return False
    result.schedules += 1
    if run.end is End.TERMINAL:
        result.terminal += 1
        result.outcomes[run.outcome] += 1
    elif run.end is End.DEADLOCK:
        result.deadlock_count += 1
        if len(result.deadlocks) < max_reports:
            result.deadlocks.append(Report(schedule.encode(choices), "deadlock",
                                           "nobody can run and no timeout is pending", run.blocked))
    elif run.end is End.STEP_LIMIT:
        result.step_limited += 1
        result.failure_count += 1
        if len(result.failures) < max_reports:
            result.failures.append(Report(schedule.encode(choices), "step limit",
                                          "more switch points than max_steps"))
        return True
    if run.failures:  # (a run with failures never ends TERMINAL)
        result.failure_count += 1
        if len(result.failures) < max_reports:
            f = run.failures[0]
            result.failures.append(Report(schedule.encode(choices), f.kind, f"{f.message} ({f.thread})"))
        return True
    return False


def replay(program: Program, schedule_string: str, *, module: str = "impl", path: str | Path | None = None,
           c_rlock: bool = True, max_steps: int = 20_000, trace: bool = True, line_switches: bool = False,
           opcode_switches: bool = False) -> Run:
    """Run ``program`` once, following ``schedule_string`` (as printed by a failing exploration; give
    the same ``module``, ``path``, ``c_rlock``, ``line_switches`` and ``opcode_switches``)."""
    session = Session(module, path, fresh="reload", c_rlock=c_rlock, max_steps=max_steps,
                      line_switches=line_switches, opcode_switches=opcode_switches)
    strategy = Replaying(schedule.decode(schedule_string))
    run = session.run(program, strategy, trace=trace)
    run.schedule = schedule.encode(strategy.made)
    return run
