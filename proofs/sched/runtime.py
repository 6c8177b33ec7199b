"""The scheduler's core: controlled threads (greenlets), the virtual clock, and one run.

Every controlled thread is a greenlet. A thread runs until it reaches a
*switch point* (a visible operation: an acquire, a release, ``locked()``, a
thread start, a sleep, a join), where it records what it is about to do (its
*pending operation*) and the runtime asks the strategy which thread runs next.
A blocked thread is simply one whose pending operation is not enabled: it stays
parked inside the scheduler, so the runtime always knows exactly who can run.

Between two switch points a thread's code is *local*: under the assumption
that data shared between threads is only touched under one of the module's
locks, what it does there is invisible to the others. A *transition* is one
visible operation plus the local code after it; its *footprint* is the set of
objects it touched (lock keys, ``CLOCK`` when it read or advanced the virtual
clock), which is what the partial-order reduction compares.

Choices are small ints: ``2 * i`` runs thread ``i``, ``2 * i + 1`` makes thread
``i``'s timeout expire (the clock jumps to its deadline).
"""

from __future__ import annotations

import ctypes
import dis
import gc
import sys
from collections.abc import Callable
from enum import Enum
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol

from greenlet import getcurrent, greenlet  # type: ignore[import-untyped]  # no stubs

if TYPE_CHECKING:
    from proofs.sched.cthread import CLock

CLOCK = 0
"""The footprint key of the virtual clock."""
ALL: frozenset[int] = frozenset({-1})
NOTHING: frozenset[int] = frozenset()
"""The footprint of a transition that touched nothing shared."""
"""The footprint of a transition that may touch anything (a line step): dependent with everything."""

SHARED_BASE = -(1 << 40)
"""The footprint key of the plain objects declared shared (``Env.touch``): one key for them all."""
THREAD_BASE = 1 << 40
"""Thread ``i``'s end has the footprint key ``THREAD_BASE + i``: it conflicts with a join of the
thread timing out and with reading whether the thread is done (``thread_key``)."""


def thread_key(t: CThread) -> int:
    """The footprint key of ``t``'s end."""
    return THREAD_BASE + t.index

MAIN_IDENT = 1
"""``get_ident()`` of the main (program) thread; thread ``i`` has ident ``MAIN_IDENT + i``."""
NATIVE_BASE = 100_000

GO, ACQ, SLEEP, JOIN = 0, 1, 2, 3
"""Kinds of pending operation: always enabled; acquire (enabled when the lock is free);
a timed park; a join (enabled when the thread is done)."""

CONTROLLED, IMMEDIATE, KILLING = 0, 1, 2
"""Runtime modes: threads switch at switch points; no scheduling (loading, checks);
leftover threads are being unwound."""


_TRACING_OFFSET = {(3, 11): 44}.get(sys.version_info[:2])
"""Where ``PyThreadState.tracing`` is, on the versions where line switches were checked to work."""
_CFRAME_OFFSET = {(3, 11): 56}.get(sys.version_info[:2])
"""Where ``PyThreadState.cframe`` is (its ``use_tracing`` is the first byte of the ``_PyCFrame``)."""


def tracing_counter() -> ctypes.c_int:
    """The running OS thread's ``tstate->tracing`` (greenlet keeps one per OS thread, not per greenlet).

    CPython raises it while a trace function runs, so that tracing does not trace itself.
    Switching greenlets inside a trace function would carry the raised counter into the other
    greenlet, which then runs untraced; each switch therefore saves it and puts it back.

    Raises:
      NotImplementedError: an interpreter on which this has not been checked.
    """
    if _TRACING_OFFSET is None or sys.implementation.name != "cpython":
        raise NotImplementedError("line switches need CPython 3.11 (tstate->tracing is found by offset)")
    get = ctypes.pythonapi.PyThreadState_Get
    get.restype = ctypes.c_void_p
    address = get()
    assert address
    cell = ctypes.c_int.from_address(address + _TRACING_OFFSET)
    seen: list[int] = []

    def probe(frame: Any, event: str, arg: Any) -> None:
        seen.append(cell.value)

    old = sys.gettrace()
    outside = cell.value
    sys.settrace(probe)
    _probe_call()
    sys.settrace(old)
    if outside != 0 or seen[:1] != [1]:
        raise NotImplementedError("line switches: tstate->tracing is not where it was expected")
    return cell


class TraceState:
    """The running greenlet's tracing state, which greenlet does not keep per greenlet.

    Two fields of CPython 3.11 decide whether a frame's lines reach the trace function:
    ``tstate->tracing`` (the counter CPython raises while a trace function runs, one per OS
    thread) and ``tstate->cframe->use_tracing`` (zeroed while a trace function runs, put back
    when it returns). On a switch greenlet hands the *origin's* ``use_tracing`` to the target
    ("continuity across the switch") and leaves the counter alone. A thread parked inside the
    trace function (a line switch) therefore passes "not tracing" to whichever thread it
    resumes, and that thread runs its module's lines untraced until it next returns from a
    trace call of its own: fewer switch points, depending on which greenlet switched last, so
    the same schedule prefix could give different options in two runs. ``Runtime._go`` saves
    both before a switch and puts them back when the greenlet is switched back to.
    """

    __slots__ = ("counter", "cframe")

    def __init__(self) -> None:
        self.counter = tracing_counter()
        assert _CFRAME_OFFSET is not None  # (tracing_counter raised otherwise)
        get = ctypes.pythonapi.PyThreadState_Get
        get.restype = ctypes.c_void_p
        self.cframe = ctypes.c_void_p.from_address(get() + _CFRAME_OFFSET)
        """The running ``_PyCFrame *`` (greenlet switches it; this reads the current one)."""
        before = self.flag().value
        old = sys.gettrace()
        sys.settrace(_no_lines)
        on = self.flag().value
        sys.settrace(old)
        if on == 0 or self.flag().value != before:
            raise NotImplementedError("line switches: tstate->cframe is not where it was expected")

    def flag(self) -> ctypes.c_uint8:
        """The running frame's ``use_tracing`` (a byte: 255 while tracing, 0 while not)."""
        address = self.cframe.value
        assert address
        return ctypes.c_uint8.from_address(address)


def _no_lines(frame: Any, event: str, arg: Any) -> None:
    return None


def _probe_call() -> None:
    pass


class End(Enum):
    """How one run ended."""

    TERMINAL = "terminal"
    """Every thread ended."""
    DEADLOCK = "deadlock"
    """Some thread is blocked, nobody can run, and no timeout is pending."""
    FAILED = "failed"
    """An assertion or exception (see the run's failures)."""
    STEP_LIMIT = "step limit"
    """More switch points than ``max_steps``: a livelock, or a bound too small."""
    PRUNED = "pruned"
    """Abandoned by the reduction: every way on is covered by another run (sleep set)."""
    FOREIGN = "foreign"
    """Abandoned because its schedule prefix belongs to another shard."""
    DIVERGED = "diverged"
    """A replayed schedule asked for a choice that is not possible here."""


class Strategy(Protocol):
    """Who runs next. ``choose`` returns a choice from ``options`` or -1 to stop (``reason`` says why)."""

    reason: End

    def begin(self) -> None: ...

    def choose(self, options: list[int], fp: frozenset[int], current: int) -> int: ...

    def finish(self, fp: frozenset[int] | None) -> None: ...


class CThread:
    """A controlled thread: its greenlet, its pending operation, its end."""

    __slots__ = (
        "index", "ident", "name", "glet", "kind", "obj", "deadline", "timed_out", "done", "starting",
        "creator", "sentinels", "locals", "result", "interrupt", "daemon", "what", "go",
    )

    def __init__(self, index: int, name: str, creator: CThread | None = None, daemon: bool = True) -> None:
        self.index = index
        self.go = index << 1
        """The choice that runs this thread (``| 1``: its timeout expires)."""
        self.ident = MAIN_IDENT + index
        self.name = name
        self.glet: Any = None  # a greenlet, once started
        self.kind = GO
        self.obj: Any = None
        self.deadline: float | None = None
        self.timed_out = False
        self.done = False
        self.starting = creator is not None
        """Started by ``creator`` and not yet at its first switch point."""
        self.creator = creator
        self.sentinels: list[CLock] = []
        self.locals: list[Any] = []
        """The ``_local`` objects holding a namespace of this thread (dropped when it ends)."""
        self.result: object = None
        self.interrupt = False
        self.daemon = daemon
        self.what = ""
        """The pending operation, for people (deadlock reports, traces)."""

    def __repr__(self) -> str:
        return f"thread {self.index}" + (f" ({self.name})" if self.name else "")

    def doing(self) -> str:
        """The pending operation, for people."""
        what = self.what + (f" {self.obj!r}" if self.obj is not None else "")
        return what + (f" (until {self.deadline:g})" if self.deadline is not None else "")


class Failure:
    """Something that went wrong in one run (an assertion, an uncaught exception)."""

    __slots__ = ("kind", "message", "thread", "exception")

    def __init__(self, kind: str, message: str, thread: str, exception: BaseException | None) -> None:
        self.kind = kind
        self.message = message
        self.thread = thread
        self.exception = exception

    def __repr__(self) -> str:
        return f"{self.kind} in {self.thread}: {self.message}"


def _no_strategy(options: list[int], fp: frozenset[int], current: int) -> int:
    raise AssertionError("a switch point outside a run")


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


class Runtime:
    """Controlled threads, a virtual clock, and the loop of one run under a strategy."""

    def __init__(self, max_steps: int = 20_000) -> None:
        self.max_steps = max_steps
        self.root: greenlet = getcurrent()
        self.main = CThread(0, "main")
        self.threads: list[CThread] = [self.main]
        self.current = self.main
        self.mode = IMMEDIATE
        self.clock = 0.0
        self.fp: frozenset[int] = NOTHING
        """The running transition's footprint (a new frozenset when it grows: ``touch``)."""
        self.serial = 0
        self.load_serial = -1
        self.epoch = 0
        self.load_epoch = -1
        self.steps = 0
        self.alive: list[CThread] = []
        """The threads that have not ended, in order of index (what ``options()`` looks at)."""
        self.end: End | None = None
        self.failures: list[Failure] = []
        self.strategy: Strategy | None = None
        self.choose: Callable[[list[int], frozenset[int], int], int] = _no_strategy
        """The running strategy's ``choose`` (bound once per run)."""
        self.line_switches = False
        self.extras = False
        """Whether a transition has more to record than its footprint (line switches, a trace)."""
        self.tracing: TraceState | None = None
        self.trace_files: set[str] = set()
        self.trace: list[str] | None = None
        self.thread_module: ModuleType | None = None
        """The controlled ``_thread`` of the last copy loaded into this runtime (and its ``time``)."""
        self.time_module: ModuleType | None = None
        self.unions: dict[tuple[frozenset[int], int], frozenset[int]] = {}
        """``fp | {key}`` by ``(fp, key)`` (``touch``): a union costs several times a look-up."""
        self.idle: list[greenlet] = []
        """Greenlets of threads that have ended, parked, ready to run the next thread started."""
        self.task: tuple[CThread, Callable[..., object], tuple[Any, ...], dict[str, Any]] | None = None
        self.stuck: list[str] = []
        """After a deadlock: who was blocked on what."""

    # -- keys and epochs -----------------------------------------------------------

    def new_key(self) -> tuple[int, int]:
        """A key for a new lock (stable across re-executions of the same prefix) and its epoch."""
        if self.mode == CONTROLLED:
            self.serial += 1
            return self.serial, self.epoch
        self.load_serial -= 1
        return self.load_serial, self.load_epoch

    def is_live(self, epoch: int) -> bool:
        return epoch == self.epoch or epoch == self.load_epoch

    # -- switch points ---------------------------------------------------------------

    def _go(self, g: Any, throw: type[BaseException] | None = None) -> None:
        """Switch to greenlet ``g`` (or throw into it); we resume here when switched back to.

        With line switches, this greenlet's tracing state is put back when it resumes (see
        ``TraceState``): every thread sees its own lines whoever switched to it."""
        state = self.tracing
        if state is None:
            g.throw(throw) if throw is not None else g.switch()
            return
        cell = state.counter
        saved = cell.value
        flag = state.flag()
        using = flag.value
        try:
            g.throw(throw) if throw is not None else g.switch()
        finally:
            cell.value = saved
            flag.value = using

    def enable_line_switches(self, files: set[str], opcodes: bool = False) -> None:
        """Make every line of these files a switch point (every such step conflicts with every other);
        with ``opcodes``, every bytecode instruction instead (a window inside one line, such as
        ``a[a.index(x)] = y``, is then reachable)."""
        self.tracing = TraceState()
        self.line_switches = True
        self.event = "opcode" if opcodes else "line"
        self.trace_files = files

    event = "line"
    """The trace event that is a switch point: ``"line"``, or ``"opcode"``."""

    def _tracer(self, frame: Any, event: str, arg: Any) -> Any:
        if frame.f_code.co_filename not in self.trace_files:
            return None
        if self.event == "opcode":
            frame.f_trace_opcodes = True
        return self._line

    def _line(self, frame: Any, event: str, arg: Any) -> Any:
        if event == self.event and self.mode == CONTROLLED:
            code = frame.f_code
            where = f"line {frame.f_lineno} of {code.co_filename.rsplit('/', 1)[-1]} ({code.co_name})"
            if event == "opcode":
                where = f"offset {frame.f_lasti} ({dis.opname[code.co_code[frame.f_lasti]]}) of {where}"
            self.op(GO, None, None, where)
        return self._line

    def op(self, kind: int, obj: Any, deadline: float | None, what: str) -> bool:
        """The calling thread is about to do ``what``: let the scheduler choose; True if it timed out.

        The hot path: ``_decide`` and ``options()`` are written out here (the calls cost more than
        the choice in the common case); ``tests/proofs/test_sched_fast.py`` checks that they agree."""
        t = self.current
        if self.mode != CONTROLLED or getcurrent() is not t.glet:
            return self._immediate(kind, obj, deadline, what)
        t.kind = kind
        t.obj = obj
        t.deadline = deadline
        t.what = what
        nxt: CThread | None = None
        if t.starting:  # the first switch point of a new thread: park, back to its creator
            t.starting = False
            nxt = t.creator
            assert nxt is not None and nxt.glet is not None
        elif self.end is None:
            steps = self.steps = self.steps + 1
            if steps > self.max_steps:
                self.end = End.STEP_LIMIT
            else:
                opts: list[int] = []
                for u in self.alive:  # options()
                    k = u.kind
                    if k == GO:
                        opts.append(u.go)
                    elif k == ACQ:
                        o = u.obj
                        owner = o.owner
                        if owner is None or u.interrupt or (owner is u and o.reentrant):
                            opts.append(u.go)
                        elif u.deadline is not None:
                            opts.append(u.go | 1)
                    elif u.interrupt:
                        opts.append(u.go)
                    elif k == SLEEP:
                        opts.append(u.go | 1)
                    elif u.obj.done:
                        opts.append(u.go)
                    elif u.deadline is not None:
                        opts.append(u.go | 1)
                if not opts:
                    self.end = End.DEADLOCK  # (t is alive)
                else:
                    c = self.choose(opts, self.fp, t.index)
                    if c & 1:  # (-1, the strategy stopping the run, is odd too)
                        nxt = self._expire(c)
                    else:
                        nxt = self.threads[c >> 1]
                        nxt.timed_out = False
                        o = nxt.obj
                        self.fp = o.fp if o is not None and nxt.kind <= ACQ else NOTHING
                        if self.extras:
                            self._extras(c, nxt)
                        self.current = nxt
        if nxt is not t:
            g = self.root if nxt is None else nxt.glet
            if self.tracing is None:
                g.switch()
            else:
                self._go(g)
        if t.interrupt:
            t.interrupt = False
            raise KeyboardInterrupt
        return t.timed_out

    def _immediate(self, kind: int, obj: Any, deadline: float | None, what: str) -> bool:
        """An operation outside the scheduler (loading, checks, unwinding): never switch, never block."""
        if kind == ACQ:
            owner = obj.owner
            if owner is None or (owner is self.current and obj.reentrant):
                return False
            if self.mode == KILLING:
                raise SystemExit
            if deadline is not None:
                self.clock = max(self.clock, deadline)
                return True
            raise RuntimeError(f"{what} {obj!r} would block outside the scheduler (loading or checking)")
        if kind == SLEEP:
            if self.mode == KILLING:
                raise SystemExit
            assert deadline is not None
            self.clock = max(self.clock, deadline)
            return True
        if kind == JOIN and not obj.done:
            if self.mode == KILLING:
                raise SystemExit
            raise RuntimeError(f"{what} {obj!r} would block outside the scheduler (loading or checking)")
        return False

    def options(self) -> list[int]:
        """The choices now: ``index << 1`` runs thread ``index``, ``| 1`` expires its timeout."""
        opts: list[int] = []
        for t in self.alive:
            kind = t.kind
            if kind == GO or t.interrupt:
                opts.append(t.go)
            elif kind == ACQ:
                owner = t.obj.owner
                if owner is None or (owner is t and t.obj.reentrant):
                    opts.append(t.go)
                elif t.deadline is not None:
                    opts.append(t.go | 1)
            elif kind == SLEEP:
                opts.append(t.go | 1)
            elif t.obj.done:
                opts.append(t.go)
            elif t.deadline is not None:
                opts.append(t.go | 1)
        return opts

    def _decide(self) -> CThread | None:
        """End the current transition and choose the next; None ends the run (``self.end`` says how).

        The hot path: ``options()`` is written out in the loop below (a call per switch point
        is a tenth of the scheduler's time); ``tests/proofs/test_sched_fast.py`` checks that the
        two agree."""
        if self.end is not None:
            return None
        steps = self.steps = self.steps + 1
        if steps > self.max_steps:
            self.end = End.STEP_LIMIT
            return None
        opts: list[int] = []
        for t in self.alive:  # options()
            kind = t.kind
            if kind == GO:
                opts.append(t.go)
            elif kind == ACQ:
                obj = t.obj
                owner = obj.owner
                if owner is None or t.interrupt or (owner is t and obj.reentrant):
                    opts.append(t.go)
                elif t.deadline is not None:
                    opts.append(t.go | 1)
            elif t.interrupt:
                opts.append(t.go)
            elif kind == SLEEP:
                opts.append(t.go | 1)
            elif t.obj.done:
                opts.append(t.go)
            elif t.deadline is not None:
                opts.append(t.go | 1)
        if not opts:
            self.end = End.DEADLOCK if self.alive else End.TERMINAL
            return None
        c = self.choose(opts, self.fp, self.current.index)
        if c & 1:  # (-1, the strategy stopping the run, is odd too)
            return self._expire(c)
        t = self.threads[c >> 1]
        t.timed_out = False
        obj = t.obj
        self.fp = obj.fp if obj is not None and t.kind <= ACQ else NOTHING  # (a lock's own footprint)
        if self.extras:
            self._extras(c, t)
        self.current = t
        return t

    def _expire(self, c: int) -> CThread | None:
        """Choice ``c`` is a timeout expiring (or, when negative, the strategy stopping the run)."""
        if c < 0:
            assert self.strategy is not None
            self.end = self.strategy.reason
            return None
        t = self.threads[c >> 1]
        obj = t.obj
        t.timed_out = True
        assert t.deadline is not None
        if t.deadline > self.clock:
            self.clock = t.deadline
        kind = t.kind  # a join timing out conflicts with the thread's end
        self.fp = frozenset({CLOCK, obj.key} if kind == ACQ else {CLOCK, THREAD_BASE + obj.index}
                            if kind == JOIN else {CLOCK})
        if self.extras:
            self._extras(c, t)
        self.current = t
        return t

    def _extras(self, c: int, t: CThread) -> None:
        if self.line_switches:
            self.fp = ALL
        if self.trace is not None:
            self.trace.append(f"{t}: {'timeout in ' if c & 1 else ''}{t.doing()}")

    def touch(self, key: int) -> None:
        """The running transition touches ``key`` too."""
        fp = self.fp
        if key not in fp:
            self.fp = self._with(fp, key)

    def _with(self, fp: frozenset[int], key: int) -> frozenset[int]:
        """``fp | {key}``, the same object every time (a footprint is never changed in place)."""
        unions = self.unions
        u = unions.get((fp, key))
        if u is None:
            if len(unions) >= 4096:
                unions.clear()
            u = unions[fp, key] = fp | {key}
        return u

    def read_clock(self) -> float:
        self.touch(CLOCK)
        return self.clock

    # -- threads -----------------------------------------------------------------------

    def start(self, fn: Callable[..., object], args: tuple[Any, ...], kwargs: dict[str, Any],
              name: str | None = None, daemon: bool = True) -> CThread:
        """Start a controlled thread running ``fn(*args, **kwargs)`` (a switch point first)."""
        if self.mode != CONTROLLED:
            raise RuntimeError("cannot start a thread outside the scheduler (while loading or checking)")
        self.op(GO, None, None, "start a thread")
        parent = self.current
        threads = self.threads
        self.current = child = CThread(len(threads), name or "", parent, daemon)
        threads.append(child)
        self.alive.append(child)
        self._launch(child, fn, args, kwargs)  # runs its local code up to its first switch point
        self.current = parent
        return child

    def _launch(self, t: CThread, fn: Callable[..., object], args: tuple[Any, ...],
                kwargs: dict[str, Any]) -> None:
        """Run ``t`` on an idle greenlet (making and ending greenlets costs ~50 us; reusing one, ~2)."""
        idle = self.idle
        g = idle.pop() if idle else None
        while g is not None and g.dead:
            g = idle.pop() if idle else None
        t.glet = g = g if g is not None else greenlet(self._worker, self.root)
        self.task = (t, fn, args, kwargs)
        if self.tracing is None:
            g.switch()
        else:
            self._go(g)

    def _worker(self) -> None:
        while True:
            task = self.task
            assert task is not None, "a parked greenlet was resumed without a thread to run"
            self.task = None
            if self.tracing is not None:  # traced from its first line, new greenlet or reused
                self.tracing.counter.value = 0
                sys.settrace(self._tracer)
            t, fn, args, kwargs = task
            try:
                t.result = fn(*args, **kwargs)
            except SystemExit:
                pass
            except BaseException as e:
                if self.mode == CONTROLLED and self.end is None:
                    self.fail("uncaught exception", t, e)
            self._finish(t)  # parks this greenlet until it runs the next thread started

    def fail(self, kind: str, t: CThread | None, exc: BaseException) -> None:
        self.failures.append(Failure(kind, describe(exc), repr(t) if t else "check", exc))
        if self.end is None and self.mode == CONTROLLED:
            self.end = End.FAILED

    def _finish(self, t: CThread) -> None:
        """The end of a thread: its locals go, then its sentinel locks are released, then it is done."""
        if self.mode == CONTROLLED and self.end is None:
            if t.locals:
                self.drop_locals(t)
            if t.sentinels and t is not self.main:
                for sentinel in t.sentinels:
                    if sentinel.owner is not None and self.end is None:
                        sentinel.release()
            if t is not self.main:  # (nobody waits for the main thread's end)
                fp = self.fp
                key = THREAD_BASE + t.index
                if key not in fp:  # touch(): the end is part of its last transition
                    self.fp = self._with(fp, key)
        t.done = True
        self.alive.remove(t)
        self.idle.append(t.glet)  # parked below, then reused by the next thread started
        if t.starting:  # ended before its first switch point: back to its creator
            t.starting = False
            assert t.creator is not None
            if self.tracing is None:
                t.creator.glet.switch()
            else:
                self._go(t.creator.glet)
            return
        nxt = self._decide() if self.mode == CONTROLLED else None
        g = self.root if nxt is None else nxt.glet
        if self.tracing is None:
            g.switch()
        else:
            self._go(g)

    def drop_locals(self, t: CThread) -> None:
        for local in t.locals:
            local._drop(t)
        t.locals.clear()

    # -- one run -------------------------------------------------------------------------

    def run(self, strategy: Strategy, main: Callable[[], object]) -> object:
        """Run ``main`` as the main thread under ``strategy`` until the run ends; return its result."""
        self.strategy = strategy
        self.choose = strategy.choose
        self.epoch += 1
        self.serial = 0
        self.clock = 0.0
        self.fp = NOTHING
        self.steps = 0
        self.end = None
        if self.failures:
            self.failures = []
        m = self.main
        m.done = False
        m.kind = GO
        m.obj = None
        m.interrupt = False
        m.result = None
        if m.locals:
            m.locals.clear()
        self.threads = [m]
        self.alive = [m]
        self.current = m
        self.extras = self.line_switches or self.trace is not None
        strategy.begin()
        enabled = gc.isenabled()
        gc.disable()
        self.mode = CONTROLLED
        tracer = sys.gettrace() if self.line_switches else None
        if self.line_switches:
            sys.settrace(self._tracer)
        try:
            self._launch(m, main, (), _NO_KWARGS)
        finally:
            if self.line_switches:
                sys.settrace(tracer)
            self.stuck = self.blocked() if self.end is End.DEADLOCK else []
            self.mode = KILLING
            if self.alive:
                self._unwind()
            self.mode = IMMEDIATE
            self.current = m
            if enabled:
                gc.enable()
        assert self.end is not None
        strategy.finish(self.fp if self.end in _KEPT_FOOTPRINT else None)
        return m.result

    def _unwind(self) -> None:
        """Unwind every thread still parked (their ``finally`` blocks run, nothing switches)."""
        for t in list(self.alive):  # (nothing starts or ends another thread while unwinding)
            g = t.glet
            if not t.done and g is not None and g and not g.dead:
                self.current = t
                try:
                    self._go(g, SystemExit)
                except BaseException:  # noqa: BLE001 - whatever the unwinding raised, the run is over
                    pass

    def blocked(self) -> list[str]:
        """Who is blocked on what (for a deadlock report)."""
        out = []
        for t in self.threads:
            if not t.done:
                where = _where(t)
                out.append(f"{t} blocked in {t.doing()}{where}")
        return out


_NO_KWARGS: dict[str, Any] = {}
"""The keyword arguments of the main thread's function (the call copies them: never changed)."""

_KEPT_FOOTPRINT = (End.TERMINAL, End.DEADLOCK, End.PRUNED, End.FOREIGN)
"""Ends whose last transition's footprint is what it touched (any other end: it may touch anything).
A tuple: ``in`` compares by identity first, where a set would call the members' ``__hash__`` in Python."""


def _where(t: CThread) -> str:
    g = t.glet
    frame = g.gr_frame if g is not None else None
    here = __file__.rsplit("/", 1)[0]
    while frame is not None and frame.f_code.co_filename.startswith(here):
        frame = frame.f_back
    if frame is None:
        return ""
    return f" at {frame.f_code.co_filename.rsplit('/', 2)[-1]}:{frame.f_lineno} ({frame.f_code.co_name})"


