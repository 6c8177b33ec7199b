"""The module's own functions and globals, and the environment's gates.

The documentation promises: ``active_count()`` is the number of alive ``Thread``
objects and equals ``len(enumerate())``, which lists the alive threads (the main
thread and the dummy threads ``current_thread()`` makes for alien threads among
them); ``settrace``/``setprofile`` store a hook for threads started later, read back
by ``gettrace``/``getprofile``; ``stack_size`` swaps the stack size and rejects
invalid ones.

The functions are called by the checker's worker threads, which the module did not
create: ``current_thread()`` gives them dummy threads (daemonic, with the caller's ident),
``main_thread()`` the non-daemonic main thread, ``Thread()`` a daemonic thread (the
flag is the caller's) whose default name no other thread has; returned threads are
compared through the agent's summary (``thread_value``). The spec cannot know how many
threads the process has besides the one under test, so the first count observed
*binds* that number (``baseline``); later counts are checked against it. Anything that
may register a new dummy thread forgets it, and the next count binds it again.

The seam with ``Thread``: the module is not an object a scenario builds, but the world
around the ``Thread`` (or ``Timer``) under test, so its state, ``ModuleState``, is the
``module`` part of that object's state (``spec.thread``). The Thread spec hands this
module its ``"module.<name>"`` calls and ``gate.open`` (``invoke``, ``open_gate``), runs
its ``wakeups``, checks its ``INVARIANTS``, and otherwise uses only the section "What a
Thread reads of the module, and tells it": what a gate does once called, which gate
``excepthook`` is, the hooks a thread started now gets, who waits in a module function;
and that a worker asked for its current thread (``note_current_thread``, from ``join``).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from spec.clauses import REGISTRY, Ambiguity, Reading, clause
from spec.core import TIMEOUT_MAX, Blocked, Done, Result, Step
from spec.profiles import Profile, Strictness
from spec.values import (
    ANY,
    ANY_INT,
    ANY_STR,
    ENV,
    Call,
    Gate,
    Original,
    Raised,
    Returned,
    ThreadId,
    Value,
    bind,
)

PRIMITIVE = "module"

# ---------------------------------------------------------------------------
# Clauses: module functions
# ---------------------------------------------------------------------------

ACTIVE_COUNT_COUNTS_ALIVE_THREADS = clause(
    "module.active_count.counts-alive-threads",
    doc="threading.active_count",
    quote="Return the number of Thread objects currently alive. The returned count is equal to "
    "the length of the list returned by enumerate().",
)
ACTIVE_COUNT_ALIAS = clause(
    "module.activeCount.alias",
    doc="threading.active_count",
    quote="active_count() activeCount() [2.7 documents both spellings: Changed in 2.6: Added "
    "active_count() spelling.]",
    until=(3, 10),
)
ACTIVE_COUNT_DEPRECATION_WARNING = clause(
    "module.activeCount.deprecation-warning",
    doc="threading.active_count",
    quote="The function activeCount is a deprecated alias for this function. "
    "[CPython: it emits DeprecationWarning]",
    since=(3, 10),
)
CURRENT_THREAD_DUMMY_FOR_ALIEN_THREAD = clause(
    "module.current_thread.dummy-for-alien-thread",
    doc="threading.current_thread",
    quote="Return the current Thread object, corresponding to the caller's thread of control. "
    "If the caller's thread of control was not created through the threading module, a dummy "
    "thread object with limited functionality is returned. [Thread objects: Dummy thread objects "
    "have limited functionality; they are always considered alive and daemonic] [CPython: it is "
    "named 'Dummy-N', N a decimal number]",
)
CURRENT_THREAD_DUMMY_CANNOT_BE_JOINED = clause(
    "module.current_thread.dummy-cannot-be-joined",
    doc="threading.Thread",
    quote="Dummy thread objects have limited functionality; they are always considered alive and "
    "daemonic, and cannot be joined. [Python: join() raises; CPython: AssertionError before 3.13, "
    "RuntimeError from 3.13]",
)
CURRENT_THREAD_ALIAS = clause(
    "module.currentThread.alias",
    doc="threading.current_thread",
    quote="current_thread() currentThread() [2.7 documents both spellings: Changed in 2.6: "
    "Added current_thread() spelling.]",
    until=(3, 10),
)
CURRENT_THREAD_DEPRECATION_WARNING = clause(
    "module.currentThread.deprecation-warning",
    doc="threading.current_thread",
    quote="The function currentThread is a deprecated alias for this function. "
    "[CPython: it emits DeprecationWarning]",
    since=(3, 10),
)
ENUMERATE_LISTS_ALIVE_THREADS = clause(
    "module.enumerate.lists-alive-threads",
    doc="threading.enumerate",
    quote="Return a list of all Thread objects currently active. The list includes daemonic "
    "threads and dummy thread objects created by current_thread(). It excludes terminated threads "
    "and threads that have not yet been started. However, the main thread is always part of the "
    "result, even when terminated. [2.7: Return a list of all Thread objects currently alive. The "
    "list includes daemonic threads, dummy thread objects created by current_thread(), and the "
    "main thread.]",
)
MAIN_THREAD_RETURNS_MAIN_THREAD = clause(
    "module.main_thread.returns-main-thread",
    doc="threading.main_thread",
    quote="Return the main Thread object. In normal conditions, the main thread is the thread "
    "from which the Python interpreter was started. [Thread objects: There is a \"main thread\" "
    "object; this corresponds to the initial thread of control in the Python program. It is not "
    "a daemon thread.] [CPython: it is named 'MainThread']",
    since=(3, 4),
)
ENUMERATE_LISTS_CALLERS_DUMMY = clause(
    "module.enumerate.lists-callers-dummy",
    doc="threading.enumerate",
    quote="The list includes daemonic threads and dummy thread objects created by current_thread(). "
    "[the checker: a worker that asked for its current thread, and so has a dummy thread, finds it "
    "once in the list it gets]",
)
ENUMERATE_DEFAULT_NAMES_DISTINCT = clause(
    "module.enumerate.default-names-distinct",
    doc="threading.Thread",
    quote="name is the thread name. By default, a unique name is constructed of the form "
    "\"Thread-N\" where N is a small decimal number. [enumerate: the main thread is always part "
    "of the result; CPython: dummy thread names 'Dummy-N' are distinct too]",
)
THREAD_DEFAULT_NAME_UNIQUE = clause(
    "module.Thread.default-name-unique",
    doc="threading.Thread",
    quote="name is the thread name. By default, a unique name is constructed of the form "
    "\"Thread-N\" where N is a small decimal number. If None (the default), the daemonic "
    "property is inherited from the current thread. [CPython: the name is 'Thread-N']",
)
GET_IDENT_RETURNS_NONZERO_INT = clause(
    "module.get_ident.returns-nonzero-int",
    doc="threading.get_ident",
    quote="Return the 'thread identifier' of the current thread. This is a nonzero integer.",
    since=(3, 3),
)
GET_NATIVE_ID_RETURNS_INT = clause(
    "module.get_native_id.returns-int",
    doc="threading.get_native_id",
    quote="Return the native integral Thread ID of the current thread assigned by the kernel. "
    "This is a non-negative integer.",
    since=(3, 8),
)
GET_NATIVE_ID_IDENTIFIES_THE_THREAD = clause(
    "module.get_native_id.identifies-the-thread",
    doc="threading.get_native_id",
    quote="Return the native integral Thread ID of the current thread assigned by the kernel. Its "
    "value may be used to uniquely identify this particular thread system-wide (until the thread "
    "terminates, after which the value may be recycled by the OS). [the checker: a thread's own call "
    "returns the id the OS gave it (the agent reads it as the thread enters its target), and a "
    "worker's call returns another, while that thread is alive]",
    since=(3, 8),
)
SETTRACE_STORES_HOOK = clause(
    "module.settrace.stores-hook",
    doc="threading.settrace",
    quote="Set a trace function for all threads started from the threading module. The func "
    "will be passed to sys.settrace() for each thread, before its run() method is called.",
)
SETPROFILE_STORES_HOOK = clause(
    "module.setprofile.stores-hook",
    doc="threading.setprofile",
    quote="Set a profile function for all threads started from the threading module. The func "
    "will be passed to sys.setprofile() for each thread, before its run() method is called.",
)
GETTRACE_RETURNS_HOOK = clause(
    "module.gettrace.returns-hook",
    doc="threading.gettrace",
    quote="Get the trace function as set by settrace().",
    since=(3, 10),
)
GETPROFILE_RETURNS_HOOK = clause(
    "module.getprofile.returns-hook",
    doc="threading.getprofile",
    quote="Get the profiler function as set by setprofile().",
    since=(3, 10),
)
SETTRACE_ALL_THREADS_STORES_HOOK = clause(
    "module.settrace_all_threads.stores-hook",
    doc="threading.settrace_all_threads",
    quote="Set a trace function for all threads started from the threading module and all "
    "Python threads that are currently executing. The func will be passed to sys.settrace() for "
    "each thread, before its run() method is called.",
    since=(3, 12),
)
SETPROFILE_ALL_THREADS_STORES_HOOK = clause(
    "module.setprofile_all_threads.stores-hook",
    doc="threading.setprofile_all_threads",
    quote="Set a profile function for all threads started from the threading module and all "
    "Python threads that are currently executing. The func will be passed to sys.setprofile() "
    "for each thread, before its run() method is called.",
    since=(3, 12),
)
STACK_SIZE_RETURNS_OLD_SIZE = clause(
    "module.stack_size.returns-old-size",
    doc="threading.stack_size",
    quote="Return the thread stack size used when creating new threads. The optional size "
    "argument specifies the stack size to be used for subsequently created threads, and must be "
    "0 (use platform or configured default) or a positive integer value of at least 32,768 "
    "(32 KiB). If size is not specified, 0 is used.",
)
STACK_SIZE_INVALID_RAISES_VALUEERROR = clause(
    "module.stack_size.invalid-raises-valueerror",
    doc="threading.stack_size",
    quote="If the specified stack size is invalid, a ValueError is raised and the stack size is "
    "unmodified.",
)
STACK_SIZE_UNSUPPORTED_RAISES = clause(
    "module.stack_size.unsupported-raises",
    doc="threading.stack_size",
    quote="If changing the thread stack size is unsupported, a RuntimeError is raised. [2.7: a "
    "ThreadError; the spec: then every call raises it, the legal sizes included, and none returns]",
    unexercisable="every platform the checker runs targets on supports changing the stack size "
    "(CPython and PyPy on Linux, macOS and Windows), so a conforming target always takes "
    "module.stack_size.returns-old-size; only a platform without it (a CPython built without "
    "THREAD_STACK_SIZE) reaches this clause",
)
STACK_SIZE_BAD_TYPE_RAISES = clause(
    "module.stack_size.bad-type-raises",
    doc="threading.stack_size",
    quote="[CPython: a size that is not an int raises TypeError; one that does not fit a C "
    "ssize_t raises OverflowError]",
    strictness=Strictness.CPYTHON,
)
EXCEPTHOOK_HANDLES_UNCAUGHT_EXCEPTIONS = clause(
    "module.excepthook.handles-uncaught-exceptions",
    doc="threading.excepthook",
    quote="Handle uncaught exception raised by Thread.run(). [Python: called with anything but one "
    "ExceptHookArgs it raises; CPython's raises TypeError]",
    since=(3, 8),
)
EXCEPTHOOK_CAN_BE_OVERRIDDEN = clause(
    "module.excepthook.can-be-overridden",
    doc="threading.excepthook",
    quote="threading.excepthook() can be overridden to control how uncaught exceptions raised "
    "by Thread.run() are handled.",
    since=(3, 8),
)
EXCEPTHOOK_PLAIN_ATTRIBUTE_BEFORE_3_8 = clause(
    "module.excepthook.plain-attribute-before-3.8",
    doc="threading",
    quote="[Python: before 3.8 the module defines no excepthook; assigning threading.excepthook "
    "stores a plain module attribute, which reads back as assigned and, when called, is an "
    "ordinary function call; an uncaught exception of a thread never reaches it]",
    until=(3, 8),
)
__EXCEPTHOOK___HOLDS_ORIGINAL = clause(
    "module.__excepthook__.holds-original",
    doc="threading.__excepthook__",
    quote="Holds the original value of threading.excepthook(). It is saved so that the original "
    "value can be restored in case they happen to get replaced with broken or alternative "
    "objects.",
    since=(3, 10),
)
TIMEOUT_MAX_DEFINED = clause(
    "module.TIMEOUT_MAX.defined",
    doc="threading.TIMEOUT_MAX",
    quote="The maximum value allowed for the timeout parameter of blocking functions "
    "(Lock.acquire(), RLock.acquire(), Condition.wait(), etc.). [CPython on 64-bit Linux: "
    "9223372036.0]",
    since=(3, 2),
)
CONDITION_IS_A_CLASS = clause(
    "module.Condition.is-a-class",
    doc="threading.Condition",
    quote="changed from a factory function to a class. [Changed in 3.3]",
    since=(3, 3),
)
SEMAPHORE_IS_A_CLASS = clause(
    "module.Semaphore.is-a-class",
    doc="threading.Semaphore",
    quote="changed from a factory function to a class. [Changed in 3.3]",
    since=(3, 3),
)
BOUNDED_SEMAPHORE_IS_A_CLASS = clause(
    "module.BoundedSemaphore.is-a-class",
    doc="threading.BoundedSemaphore",
    quote="changed from a factory function to a class. [Changed in 3.3]",
    since=(3, 3),
)
EVENT_IS_A_CLASS = clause(
    "module.Event.is-a-class",
    doc="threading.Event",
    quote="changed from a factory function to a class. [Changed in 3.3]",
    since=(3, 3),
)
TIMER_IS_A_CLASS = clause(
    "module.Timer.is-a-class",
    doc="threading.Timer",
    quote="changed from a factory function to a class. [Changed in 3.3]",
    since=(3, 3),
)
LOCK_IS_A_CLASS = clause(
    "module.Lock.is-a-class",
    doc="threading.Lock",
    quote="Lock is now a class. [3.13: Changed in 3.13; before, the documentation says Lock is "
    "actually a factory function]",
    since=(3, 13),
)
IS_A_CLASS = {
    "Condition": CONDITION_IS_A_CLASS,
    "Semaphore": SEMAPHORE_IS_A_CLASS,
    "BoundedSemaphore": BOUNDED_SEMAPHORE_IS_A_CLASS,
    "Event": EVENT_IS_A_CLASS,
    "Timer": TIMER_IS_A_CLASS,
    "Lock": LOCK_IS_A_CLASS,
}
"""The module's names that became classes (from factory functions), with their clauses."""

A_CLASS: Value = ("object", "type")
"""How the checker reads a class the module holds (a value whose type is ``type``)."""

THREAD_ERROR_DEFINED = clause(
    "module.ThreadError.defined",
    doc="threading.ThreadError",
    quote="Raised for various threading-related errors as described below. Note that many "
    "interfaces use RuntimeError instead of ThreadError. [3.3+: it is RuntimeError]",
)
ENV_GATE_OPENS = clause(
    "module.env.gate-opens",
    doc="(conformance harness)",
    quote="[Harness] The environment opens a gate: the checker-controlled function behind it "
    "returns None, or raises the named exception, now and whenever it is called later.",
)
CALL_BAD_NAME_OR_ARGUMENTS = clause(
    "module.call.bad-name-or-arguments",
    doc="threading",
    quote="[Python] A name the module does not define in this version raises AttributeError; a "
    "call whose arguments do not match the documented signature raises TypeError.",
    strictness=Strictness.CPYTHON,
)

# ---------------------------------------------------------------------------
# State
# ---------------------------------------------------------------------------


class _Unset(enum.Enum):
    UNSET = "unset"


UNSET = _Unset.UNSET
"""A module global this scenario has not assigned: its value is not known to the spec."""

BASELINE_CHOICES = range(1, 257)
"""The number of alive threads besides the one under test that a first count may bind:
the main thread is always among them, and the checker's process has few threads (random
schedules, which leave threads blocked for good, do not count threads)."""

MIN_STACK_SIZE = 32768
SSIZE_MAX = 2**63 - 1


@dataclass(frozen=True, slots=True, eq=False)
class NameLike:
    """A pattern value: any string that ``pattern`` matches entirely."""

    pattern: str

    def __eq__(self, other: object) -> bool:
        if isinstance(other, NameLike):
            return self.pattern == other.pattern
        return isinstance(other, str) and re.fullmatch(self.pattern, other) is not None

    def __hash__(self) -> int:
        return hash(self.pattern)

    def __repr__(self) -> str:
        return f"<a name like {self.pattern}>"


@dataclass(frozen=True, slots=True)
class IntOtherThan:
    """A pattern value: any int (not a bool) of at least ``minimum`` (``None``: any) that is none
    of ``excluded`` (0 for an identifier that is nonzero, another live thread's id)."""

    excluded: tuple[int, ...] = ()
    minimum: int | None = None

    def __eq__(self, other: object) -> bool:
        if isinstance(other, IntOtherThan):
            return (self.excluded, self.minimum) == (other.excluded, other.minimum)
        if not isinstance(other, int) or isinstance(other, bool) or other in self.excluded:
            return False
        return self.minimum is None or other >= self.minimum

    def __hash__(self) -> int:
        return hash((self.excluded, self.minimum))

    def __repr__(self) -> str:
        least = "" if self.minimum is None else f" >= {self.minimum}"
        but = f" other than {', '.join(map(str, self.excluded))}" if self.excluded else ""
        return f"<an int{least}{but}>"


NONZERO_INT = IntOtherThan((0,))
NON_NEGATIVE_INT = IntOtherThan((), 0)


def thread_id(m: ModuleState, name: str, other: tuple[Value, Value] | None) -> Done[ModuleState]:
    """A worker's ``get_ident()`` / ``get_native_id()``: an ident is nonzero, a native id
    non-negative, and neither is that of ``other``, the (ident, native id) of a thread that is
    alive while the call is made (a Thread's own thread, as the agent read them in it)."""
    known = None if other is None else other[0 if name == "get_ident" else 1]
    excluded = (known,) if isinstance(known, int) else ()
    if name == "get_ident":
        # clause module.get_ident.returns-nonzero-int (nor another live thread's)
        return Done(Returned(IntOtherThan((0, *excluded))), m, GET_IDENT_RETURNS_NONZERO_INT)
    if excluded:
        # clause module.get_native_id.identifies-the-thread (not another live thread's)
        return Done(Returned(IntOtherThan(excluded, 0)), m, GET_NATIVE_ID_IDENTIFIES_THE_THREAD)
    # clause module.get_native_id.returns-int
    return Done(Returned(NON_NEGATIVE_INT), m, GET_NATIVE_ID_RETURNS_INT)


DEFAULT_THREAD_NAME = r"Thread-\d+( \(.*\))?"
"""CPython's default names: "Thread-N", and (3.10+) "Thread-N (target)"."""
DUMMY_NAME = r"Dummy-\d+"


def thread_value(*, name: Value, daemon: Value, ident: Value, name_shared: Value = ANY) -> Value:
    """What the checker observes of a returned ``Thread`` (the agent's summary, PROTOCOL.md):
    its name, daemon flag, whose thread its ident is (``"caller"``, ``"main"``, ``"worker"``,
    ``"other"``, ``None`` before start), and whether a Thread the checker created has the
    same name."""
    return ("thread", (("daemon", daemon), ("ident", ident), ("name", name), ("name_shared", name_shared)))


MISSING_FIELD = object()
"""What ``summary_field`` returns for a value that is not a Thread summary."""


def summary_field(value: Value, key: str) -> Value:
    """A field of an observed Thread summary (``MISSING_FIELD`` if it is not one)."""
    if not (isinstance(value, tuple) and len(value) == 2 and value[0] == "thread"):
        return MISSING_FIELD
    fields = value[1]
    if not isinstance(fields, tuple):
        return MISSING_FIELD
    for pair in fields:
        if isinstance(pair, tuple) and len(pair) == 2 and pair[0] == key:
            return pair[1]
    return MISSING_FIELD



def is_alive_threads_listing(listing: tuple[Value, ...], cpython: bool, caller: bool = False) -> bool:
    """Is ``listing`` what ``enumerate()`` may return: Thread summaries, the main thread
    exactly once, the caller at most once (exactly once with ``caller``: it has a dummy thread),
    and default names ("Thread-N"; at CPython strictness "Dummy-N" too) each on one thread only?
    A thread the checker created is reported by reference (``("ref", n)``), without a summary."""
    listing = tuple(v for v in listing if not (isinstance(v, tuple) and len(v) == 2 and v[0] == "ref"))
    idents = [summary_field(v, "ident") for v in listing]
    names = [summary_field(v, "name") for v in listing]
    if any(i is MISSING_FIELD for i in idents) or any(n is MISSING_FIELD for n in names):
        return False
    if idents.count("main") != 1 or idents.count("caller") > 1 or (caller and "caller" not in idents):
        return False
    default = DEFAULT_THREAD_NAME if not cpython else f"({DEFAULT_THREAD_NAME})|{DUMMY_NAME}"
    unique = [n for n in names if isinstance(n, str) and re.fullmatch(default, n)]
    return len(set(unique)) == len(unique)


@dataclass(frozen=True, slots=True, eq=False)
class AliveThreads:
    """A pattern value: what ``enumerate()`` returns when ``count`` threads are alive (with
    ``caller``: the caller's dummy thread among them)."""

    count: int
    cpython: bool
    caller: bool = False

    def __eq__(self, other: object) -> bool:
        if isinstance(other, AliveThreads):
            return (self.count, self.cpython, self.caller) == (other.count, other.cpython, other.caller)
        return (
            isinstance(other, tuple)
            and len(other) == self.count
            and is_alive_threads_listing(other, self.cpython, self.caller)
        )

    def __hash__(self) -> int:
        return hash((self.count, self.cpython, self.caller))

    def __repr__(self) -> str:
        caller = ", the caller's dummy thread once" if self.caller else ""
        return f"<{self.count} alive threads: the main thread once{caller}, default names distinct>"


@dataclass(frozen=True, slots=True)
class Counter:
    """A pending ``active_count``/``activeCount``/``enumerate`` call that binds the baseline."""

    thread: ThreadId
    op: str


@dataclass(frozen=True, slots=True)
class StackCall:
    """A ``stack_size`` call made while it is not known yet whether the platform can change the
    stack size: it returns (it can), or raises as where it cannot; the first to complete decides."""

    thread: ThreadId
    size: int


@dataclass(frozen=True, slots=True)
class HookCall:
    """A thread calling ``threading.excepthook`` while it is a gate: it waits for the gate."""

    thread: ThreadId
    gate: int


@dataclass(frozen=True, slots=True)
class ModuleState:
    """Everything outside the object under test: the module's globals and the gates.

    ``gates`` maps each opened gate to the exception it raises (``None``: it returns);
    ``baseline`` is the number of alive threads other than the one under test, once a
    count has bound it; ``dummies`` are the workers known to own a dummy thread.
    """

    gates: tuple[tuple[int, str | None], ...] = ()
    baseline: int | None = None
    dummies: frozenset[ThreadId] = frozenset()
    counters: tuple[Counter, ...] = ()
    hook_calls: tuple[HookCall, ...] = ()
    excepthook: Value = UNSET
    trace: Value = UNSET
    profile_hook: Value = UNSET
    stack: int | None = None
    stack_calls: tuple[StackCall, ...] = ()
    stack_fixed: bool | None = None  # True: the size cannot be changed; None: not known yet


# ---------------------------------------------------------------------------
# What a Thread reads of the module, and tells it
# ---------------------------------------------------------------------------


def gate_outcome(m: ModuleState, gate: int) -> Returned | Raised | None:
    """What a call of ``gate`` does now: return, raise, or (``None``) keep waiting."""
    for g, exc in m.gates:
        if g == gate:
            return Returned(None) if exc is None else Raised(exc)
    return None


def hook_gate(profile: Profile, m: ModuleState) -> int | None:
    """The gate a thread's uncaught exception is handed to, if ``excepthook`` is one (3.8+)."""
    if profile.since(3, 8) and isinstance(m.excepthook, Gate):
        return m.excepthook.id
    return None


def stored_hooks(m: ModuleState) -> tuple[Value, Value]:
    """The trace and profile functions ``settrace()``/``setprofile()`` stored, which a thread
    started now gets before its ``run()`` (``UNSET``: not known)."""
    return m.trace, m.profile_hook


def pending_threads(m: ModuleState) -> list[ThreadId]:
    """The threads waiting in a module function: a count that binds the baseline, a call of
    ``excepthook`` while it is a gate, or a ``stack_size`` call that decides whether the size can
    be changed."""
    stacks = [s.thread for s in m.stack_calls]
    return [c.thread for c in m.counters] + [h.thread for h in m.hook_calls] + stacks


def note_current_thread(m: ModuleState, thread: ThreadId) -> ModuleState:
    """``thread`` asks for its current thread: a worker may get a new dummy thread.

    The worker may already have one (from an earlier scenario), so the count it adds is
    not known: the baseline is forgotten, and the next count binds it again.
    """
    if thread < 0 or thread in m.dummies:
        return m
    return replace(m, dummies=m.dummies | {thread}, baseline=None)


# ---------------------------------------------------------------------------
# Transitions of module functions (op "module.<name>")
# ---------------------------------------------------------------------------

_WARNS_SINCE_310 = {"activeCount": "active_count", "currentThread": "current_thread"}


def ops(profile: Profile) -> tuple[str, ...]:
    names = ["active_count", "activeCount", "current_thread", "currentThread", "current_thread().join",
             "enumerate",
             "settrace", "setprofile", "stack_size", "get:ThreadError", "set:excepthook", "Thread"]
    if profile.since(3, 2):
        names.append("get:TIMEOUT_MAX")
    if profile.since(3, 3):
        names.append("get_ident")
    if profile.since(3, 4):
        names.append("main_thread")
    if profile.since(3, 8):
        names += ["get_native_id", "excepthook", "get:excepthook"]
    if profile.since(3, 10):
        names += ["gettrace", "getprofile", "get:__excepthook__"]
    if profile.since(3, 12):
        names += ["settrace_all_threads", "setprofile_all_threads"]
    names += [f"get:{name}" for name, which in IS_A_CLASS.items() if REGISTRY[which].applies_to(profile)]
    return tuple("module." + n for n in names)


def _warning(profile: Profile, name: str) -> str | None:
    return "DeprecationWarning" if name in _WARNS_SINCE_310 and profile.since(3, 10) else None


def _count_value(profile: Profile, op: str, n: int, caller: bool = False) -> Value:
    return n if op != "enumerate" else AliveThreads(n, profile.cpython, caller)


def _count_clause(name: str) -> str:
    """The clause of a count: ``enumerate()``'s, or ``active_count()``'s (and its alias's)."""
    return ENUMERATE_LISTS_ALIVE_THREADS if name == "enumerate" else ACTIVE_COUNT_COUNTS_ALIVE_THREADS


def count(profile: Profile, m: ModuleState, c: Call, name: str, listed: int) -> Result[ModuleState]:
    """``active_count``, ``activeCount``, ``enumerate``: baseline + the thread under test."""
    if c.args or c.kwargs:
        return Done(Raised("TypeError"), m, CALL_BAD_NAME_OR_ARGUMENTS)
    which = _count_clause(name)
    if name == "activeCount":
        which = ACTIVE_COUNT_DEPRECATION_WARNING if profile.since(3, 10) else ACTIVE_COUNT_ALIAS
    if m.baseline is None:
        # clause module.active_count.counts-alive-threads (the first count binds the baseline)
        return Blocked(replace(m, counters=m.counters + (Counter(c.thread, name),)), which)
    caller = c.thread in m.dummies
    value = _count_value(profile, name, m.baseline + listed, caller)
    if name == "enumerate" and caller:
        # clause module.enumerate.lists-callers-dummy (and default-names-distinct, lists-alive-threads)
        return Done(Returned(value), m, ENUMERATE_LISTS_CALLERS_DUMMY)
    if name == "enumerate":
        # clause module.enumerate.default-names-distinct (and lists-alive-threads)
        return Done(Returned(value), m, ENUMERATE_DEFAULT_NAMES_DISTINCT)
    # clause module.active_count.counts-alive-threads
    return Done(Returned(value, _warning(profile, name)), m, which)


def current_thread(profile: Profile, m: ModuleState, c: Call, name: str) -> Result[ModuleState]:
    if c.args or c.kwargs:
        return Done(Raised("TypeError"), m, CALL_BAD_NAME_OR_ARGUMENTS)
    which = CURRENT_THREAD_DUMMY_FOR_ALIEN_THREAD
    if name == "currentThread":
        which = CURRENT_THREAD_DEPRECATION_WARNING if profile.since(3, 10) else CURRENT_THREAD_ALIAS
    value = thread_value(
        name=NameLike(DUMMY_NAME) if profile.cpython else ANY_STR, daemon=True, ident="caller"
    )
    # clause module.current_thread.dummy-for-alien-thread (the caller is a worker: its dummy)
    return Done(Returned(value, _warning(profile, name)), note_current_thread(m, c.thread), which)


def join_dummy(profile: Profile, m: ModuleState, c: Call) -> Result[ModuleState]:
    """``current_thread().join(timeout=None)`` called by a worker: its dummy thread cannot be
    joined."""
    if bind(c, ("timeout",), {"timeout": None}) is None:
        return Done(Raised("TypeError"), m, CALL_BAD_NAME_OR_ARGUMENTS)
    exc = "Exception" if not profile.cpython else "RuntimeError" if profile.since(3, 13) else "AssertionError"
    # clause module.current_thread.dummy-cannot-be-joined
    return Done(Raised(exc), note_current_thread(m, c.thread), CURRENT_THREAD_DUMMY_CANNOT_BE_JOINED)


def new_thread(profile: Profile, m: ModuleState, c: Call) -> Result[ModuleState]:
    """``Thread()`` called by a worker: a fresh default-named thread, daemonic like the
    worker's dummy thread, not started. Only the call without arguments is modelled."""
    if c.args or c.kwargs:
        return Done(Raised("TypeError"), m, CALL_BAD_NAME_OR_ARGUMENTS)
    value = thread_value(
        name=NameLike(DEFAULT_THREAD_NAME) if profile.cpython else ANY_STR,
        daemon=True,
        ident=None,
        name_shared=False,
    )
    # clause module.Thread.default-name-unique (the daemon flag is the caller's: it asks for
    # current_thread(), which may register a dummy thread)
    return Done(Returned(value), note_current_thread(m, c.thread), THREAD_DEFAULT_NAME_UNIQUE)


def stack_size(profile: Profile, m: ModuleState, c: Call) -> Result[ModuleState]:
    if c.kwargs or len(c.args) > 1:
        return Done(Raised("TypeError"), m, CALL_BAD_NAME_OR_ARGUMENTS)
    old: Value = ANY_INT if m.stack is None else m.stack
    size = c.args[0] if c.args else 0
    if not isinstance(size, int):
        # clause module.stack_size.bad-type-raises
        return Done(Raised("TypeError"), m, STACK_SIZE_BAD_TYPE_RAISES)
    if not -SSIZE_MAX - 1 <= size <= SSIZE_MAX:
        # clause module.stack_size.bad-type-raises
        return Done(Raised("OverflowError"), m, STACK_SIZE_BAD_TYPE_RAISES)
    if size != 0 and size < MIN_STACK_SIZE:
        # clause module.stack_size.invalid-raises-valueerror
        return Done(Raised("ValueError"), m, STACK_SIZE_INVALID_RAISES_VALUEERROR)
    if m.stack_fixed is None:
        # clause module.stack_size.returns-old-size (or unsupported-raises: the first call decides)
        return Blocked(replace(m, stack_calls=m.stack_calls + (StackCall(c.thread, int(size)),)),
                       STACK_SIZE_RETURNS_OLD_SIZE)
    if m.stack_fixed:
        # clause module.stack_size.unsupported-raises (once one call did, every call does)
        return Done(Raised(_unsupported(profile)), m, STACK_SIZE_UNSUPPORTED_RAISES)
    # clause module.stack_size.returns-old-size
    return Done(Returned(old), replace(m, stack=int(size)), STACK_SIZE_RETURNS_OLD_SIZE)


def _unsupported(profile: Profile) -> str:
    """The exception of a platform that cannot change the stack size."""
    return "ThreadError" if profile.py2 else "RuntimeError"


def stack_steps(profile: Profile, m: ModuleState) -> Iterator[Step[ModuleState]]:
    """A pending ``stack_size`` call completes: it returns the old size and sets the new one, or
    (while nothing has shown that the size can be changed) raises as where it cannot."""
    for i, sc in enumerate(m.stack_calls):
        rest = replace(m, stack_calls=m.stack_calls[:i] + m.stack_calls[i + 1 :])
        if not m.stack_fixed:
            old: Value = ANY_INT if m.stack is None else m.stack
            # clause module.stack_size.returns-old-size (the platform can change the size)
            yield Step(sc.thread, Returned(old), replace(rest, stack=sc.size, stack_fixed=False),
                       STACK_SIZE_RETURNS_OLD_SIZE)
        if m.stack_fixed is not False:
            # clause module.stack_size.unsupported-raises (it cannot: every call raises from now on)
            yield Step(sc.thread, Raised(_unsupported(profile)), replace(rest, stack_fixed=True),
                       STACK_SIZE_UNSUPPORTED_RAISES)


_SETTERS = {
    "settrace": ("trace", SETTRACE_STORES_HOOK),
    "setprofile": ("profile_hook", SETPROFILE_STORES_HOOK),
    "settrace_all_threads": ("trace", SETTRACE_ALL_THREADS_STORES_HOOK),
    "setprofile_all_threads": ("profile_hook", SETPROFILE_ALL_THREADS_STORES_HOOK),
}
_GETTERS = {
    "gettrace": ("trace", GETTRACE_RETURNS_HOOK),
    "getprofile": ("profile_hook", GETPROFILE_RETURNS_HOOK),
}


def set_hook(m: ModuleState, c: Call, name: str) -> Result[ModuleState]:
    if c.kwargs or len(c.args) != 1:
        return Done(Raised("TypeError"), m, CALL_BAD_NAME_OR_ARGUMENTS)
    field, which = _SETTERS[name]
    # clause module.settrace.stores-hook (and setprofile, *_all_threads)
    return Done(Returned(None), replace(m, **{field: c.args[0]}), which)


def get_hook(m: ModuleState, c: Call, name: str) -> Result[ModuleState]:
    if c.args or c.kwargs:
        return Done(Raised("TypeError"), m, CALL_BAD_NAME_OR_ARGUMENTS)
    field, which = _GETTERS[name]
    value = getattr(m, field)
    # clause module.gettrace.returns-hook (and getprofile)
    return Done(Returned(ANY if value is UNSET or isinstance(value, Gate) else value), m, which)


def _overridden_clause(profile: Profile) -> str:
    """The clause of an ``excepthook`` a scenario assigned: the documented hook (3.8+), or a plain
    module attribute before."""
    return EXCEPTHOOK_CAN_BE_OVERRIDDEN if profile.since(3, 8) else EXCEPTHOOK_PLAIN_ATTRIBUTE_BEFORE_3_8


def _excepthook_clause(profile: Profile, hook: Value) -> str:
    """The clause of ``excepthook`` as it is now: the original, or one a scenario assigned."""
    return EXCEPTHOOK_HANDLES_UNCAUGHT_EXCEPTIONS if hook is UNSET else _overridden_clause(profile)


def excepthook(profile: Profile, m: ModuleState, c: Call) -> Result[ModuleState]:
    """Calling ``threading.excepthook``: a gate waits; anything else rejects the arguments."""
    hook = m.excepthook
    if isinstance(hook, Gate):
        # clause module.excepthook.can-be-overridden
        return Blocked(replace(m, hook_calls=m.hook_calls + (HookCall(c.thread, hook.id),)),
                       _overridden_clause(profile))
    if hook is UNSET and profile.before(3, 8):
        return Done(Raised("AttributeError"), m, CALL_BAD_NAME_OR_ARGUMENTS)
    # clause module.excepthook.handles-uncaught-exceptions: our arguments are never ExceptHookArgs
    # (the documentation names no exception for them; CPython's hook raises TypeError); a replaced
    # non-callable hook raises TypeError as calling any non-callable does
    exc = "TypeError" if profile.cpython or hook is not UNSET else "Exception"
    return Done(Raised(exc), m, _excepthook_clause(profile, hook))


def get_attribute(profile: Profile, m: ModuleState, c: Call, name: str) -> Result[ModuleState]:
    if c.args or c.kwargs:
        return Done(Raised("TypeError"), m, CALL_BAD_NAME_OR_ARGUMENTS)
    if name == "TIMEOUT_MAX":
        # clause module.TIMEOUT_MAX.defined
        return Done(Returned(TIMEOUT_MAX if profile.cpython else ANY), m, TIMEOUT_MAX_DEFINED)
    if name in IS_A_CLASS:
        # clause module.Condition.is-a-class / Semaphore / BoundedSemaphore / Event / Timer (3.3+) /
        # module.Lock.is-a-class (3.13+): the name holds a class, no longer a factory function
        return Done(Returned(A_CLASS), m, IS_A_CLASS[name])
    if name == "ThreadError":
        # clause module.ThreadError.defined
        return Done(Returned(ANY), m, THREAD_ERROR_DEFINED)
    if name == "__excepthook__":
        # clause module.__excepthook__.holds-original
        return Done(Returned(ANY), m, __EXCEPTHOOK___HOLDS_ORIGINAL)
    hook = m.excepthook
    if hook is UNSET and profile.before(3, 8):
        return Done(Raised("AttributeError"), m, CALL_BAD_NAME_OR_ARGUMENTS)
    value = ANY if hook is UNSET or isinstance(hook, Gate) else hook
    # clause module.excepthook.can-be-overridden
    return Done(Returned(value), m, _excepthook_clause(profile, hook))


def set_excepthook(profile: Profile, m: ModuleState, c: Call) -> Result[ModuleState]:
    if c.kwargs or len(c.args) != 1:
        return Done(Raised("TypeError"), m, CALL_BAD_NAME_OR_ARGUMENTS)
    # an Original("excepthook") puts the module's own hook back
    hook = UNSET if c.args[0] == Original("excepthook") else c.args[0]
    # clause module.excepthook.can-be-overridden (before 3.8: module.excepthook.plain-attribute-before-3.8)
    return Done(Returned(None), replace(m, excepthook=hook), _overridden_clause(profile))


def invoke(
    profile: Profile, m: ModuleState, c: Call, listed: int, other: tuple[Value, Value] | None = None
) -> Result[ModuleState]:
    """A call of a module function, ``c.op == "module.<name>"``; ``listed`` is 1 while the
    thread under test is among the alive threads ``enumerate()`` lists; ``other``, the (ident,
    native id) of the thread under test while it is certainly alive (see ``thread_id``)."""
    # excepthook: before 3.8 the name exists only once a scenario assigned it
    replaced = c.op in ("module.excepthook", "module.get:excepthook") and m.excepthook is not UNSET
    if c.op not in ops(profile) and not replaced:
        return Done(Raised("AttributeError"), m, CALL_BAD_NAME_OR_ARGUMENTS)
    name = c.op.removeprefix("module.")
    if name in ("active_count", "activeCount", "enumerate"):
        return count(profile, m, c, name, listed)
    if name in ("current_thread", "currentThread"):
        return current_thread(profile, m, c, name)
    if name == "Thread":
        return new_thread(profile, m, c)
    if name == "current_thread().join":
        return join_dummy(profile, m, c)
    if name == "stack_size":
        return stack_size(profile, m, c)
    if name in _SETTERS:
        return set_hook(m, c, name)
    if name in _GETTERS:
        return get_hook(m, c, name)
    if name == "excepthook":
        return excepthook(profile, m, c)
    if name == "set:excepthook":
        return set_excepthook(profile, m, c)
    if name.startswith("get:"):
        return get_attribute(profile, m, c, name.removeprefix("get:"))
    if c.args or c.kwargs:
        return Done(Raised("TypeError"), m, CALL_BAD_NAME_OR_ARGUMENTS)
    if name == "main_thread":
        value = thread_value(
            name="MainThread" if profile.cpython else ANY_STR, daemon=False, ident="main"
        )
        # clause module.main_thread.returns-main-thread
        return Done(Returned(value), m, MAIN_THREAD_RETURNS_MAIN_THREAD)
    return thread_id(m, name, other)


def open_gate(m: ModuleState, c: Call) -> Done[ModuleState]:
    """``call(ENV, "gate.open", n[, exc])``: the gate returns (or raises ``exc``) from now on.

    A gate opens once: opening it again changes nothing.
    """
    bad = c.thread != ENV or c.kwargs or not 1 <= len(c.args) <= 2
    if bad or not isinstance(c.args[0], int) or (len(c.args) == 2 and not isinstance(c.args[1], str)):
        return Done(Raised("TypeError"), m, CALL_BAD_NAME_OR_ARGUMENTS)
    gate: int = c.args[0]
    if gate_outcome(m, gate) is not None:
        return Done(Returned(None), m, ENV_GATE_OPENS)
    exc: str | None = c.args[1] if len(c.args) == 2 else None
    # clause module.env.gate-opens
    return Done(Returned(None), replace(m, gates=tuple(sorted(m.gates + ((gate, exc),)))), ENV_GATE_OPENS)


# ---------------------------------------------------------------------------
# Internal steps
# ---------------------------------------------------------------------------


def wakeups(profile: Profile, m: ModuleState, listed: int) -> Iterator[Step[ModuleState]]:
    """A first count binds the baseline to any plausible number; a hook call returns once
    its gate is open."""
    for i, counter in enumerate(m.counters):
        rest = m.counters[:i] + m.counters[i + 1 :]
        caller = counter.thread in m.dummies
        which = _count_clause(counter.op)
        if counter.op == "enumerate" and caller:
            which = ENUMERATE_LISTS_CALLERS_DUMMY
        warning = _warning(profile, counter.op)
        base = m.baseline
        for b in BASELINE_CHOICES if base is None else (base,):
            value = _count_value(profile, counter.op, b + listed, caller)
            # clause module.active_count.counts-alive-threads (binds the baseline) /
            # module.enumerate.lists-callers-dummy
            yield Step(counter.thread, Returned(value, warning), replace(m, counters=rest, baseline=b),
                       which)
    for i, h in enumerate(m.hook_calls):
        outcome = gate_outcome(m, h.gate)
        if outcome is not None:
            rest_h = m.hook_calls[:i] + m.hook_calls[i + 1 :]
            # clause module.excepthook.can-be-overridden
            yield Step(h.thread, outcome, replace(m, hook_calls=rest_h), _overridden_clause(profile))
    yield from stack_steps(profile, m)


def inv_counters_distinct(m: ModuleState) -> bool:
    """A thread has at most one pending module call."""
    threads = pending_threads(m)
    return len(set(threads)) == len(threads)


def inv_baseline_counts_main_thread(m: ModuleState) -> bool:
    """A bound baseline counts at least the main thread."""
    return m.baseline is None or m.baseline >= 1


def inv_stack_size_valid(m: ModuleState) -> bool:
    """A stored stack size is 0 or at least the minimum."""
    return m.stack is None or m.stack == 0 or m.stack >= MIN_STACK_SIZE


INVARIANTS = (
    inv_counters_distinct,
    inv_baseline_counts_main_thread,
    inv_stack_size_valid,
)

AMBIGUITIES = (
    Ambiguity(
        topic="the absolute thread count",
        text="Return the number of Thread objects currently alive.",
        reading="The process running the checks has threads of its own (the main thread, dummy "
        "threads of its workers). The first count binds their number; the spec checks every later "
        "count against it plus the thread under test. A worker asking for its current thread "
        "(current_thread(), and in CPython join()) may add a dummy thread, so the count is bound "
        "again afterwards.",
    ),
    Ambiguity(
        topic="which Thread object a function returns",
        text="Return the current Thread object, corresponding to the caller's thread of control.",
        reading="The checker sees a returned Thread through the agent's summary: name, daemon flag, "
        "whose thread its ident is, and whether a Thread the checker created has the same name. "
        "Object identity (the same dummy on repeated calls) is not compared. Thread() is modelled "
        "only without arguments, called by a worker.",
    ),
    Ambiguity(
        topic="what trace and profile hooks do",
        text="The func will be passed to sys.settrace() for each thread, before its run() method "
        "is called.",
        reading="Storing and reading back the hook is modelled, and that a thread started after a "
        "hook was stored has it installed (sys.gettrace()/sys.getprofile(), as the agent sees them "
        "in the thread's target) before its run() is called, and none when None was stored. What a "
        "hook then does is not modelled, nor which hook a thread gets when settrace() races with "
        "its start().",
    ),
    Ambiguity(
        topic="joining a dummy thread",
        text="Dummy thread objects have limited functionality; they are always considered alive and "
        "daemonic, and cannot be joined.",
        reading="A worker joins its own dummy thread (current_thread().join()). \"Cannot be joined\" "
        "names no exception: at documented strictness join() must raise some Exception (blocking, as "
        "under eventlet's monkey-patching, or returning is a deviation); at CPython strictness the "
        "version's: AssertionError before 3.13 (nothing under python -O, not checked), RuntimeError "
        "from 3.13.",
        readings=(
            Reading(
                "join() raises some Exception; blocking or returning is a deviation.",
                Strictness.DOCUMENTED,
            ),
            Reading(
                "CPython fails an assertion: AssertionError ('cannot join a dummy thread').",
                Strictness.CPYTHON, (2, 7), (3, 13),
            ),
            Reading(
                "CPython raises RuntimeError ('cannot join a dummy thread').",
                Strictness.CPYTHON, (3, 13),
            ),
        ),
    ),
    Ambiguity(
        topic="unsupported stack sizes",
        text="If changing the thread stack size is unsupported, a ThreadError [3.x: RuntimeError] "
        "is raised.",
        reading="The first call that would set the size (any valid size, or none: 0 is used) may "
        "raise it instead of returning; from then on every such call raises it, and once one "
        "returned none may (module.stack_size.unsupported-raises, which no platform the checker "
        "targets reaches: check reports it 'not exercisable'). An invalid size raises ValueError "
        "even there (CPython would raise the unsupported error: not modelled). Sizes of at least "
        "32 KiB are accepted; platforms with larger minimums are out of scope.",
    ),
)
