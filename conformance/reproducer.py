"""Standalone reproducers: a failing schedule as a short Python file for a bug report.

A reproducer needs nothing but the target interpreter (2.7 or 3.x, CPython, PyPy, Jython) and
the module under test. It states what was observed and what the spec allows (as comments, and
the allowed outcomes again as data in the code), replays the schedule up to the failing step,
compares what it observes with the allowed outcomes, prints ``REPRODUCED`` (exit status 1) or
``NOT REPRODUCED`` (exit status 0).

* A schedule of one thread that fails on a completed call becomes straight-line code: the
  calls, in order, in the main thread.
* Any other schedule runs each step in a worker thread of its own (``_thread``/``thread``),
  keeping only the machinery it uses (gates for a Thread's target, trace hooks).

Waits are one-sided wherever the question allows it: a call the spec says may block and that
completes with an outcome the spec does not allow is REPRODUCED whatever the wait; a call that
has not completed within the wait is NOT REPRODUCED. The one exception is a call the spec says
must complete and that does not (a lost wakeup): no finite wait proves "never"; the reproducer
waits ``THREADSPEC_WAIT`` seconds (default 10) for it, and says so.

The allowed values are data (``allowed = [('returned', (5, 'five'))]``), judged by the script's
``fits`` the way ``spec.values.value_matches`` judges them (a tuple allows a list, True is not 1, 5L
and 5.0 are 5); a value the spec describes by its kind (any int, a false value, a name like
``Thread-\\d+``, NaN, an object by its type) is ``[kind, ...]``. A value the script cannot tell
apart (a Thread's summary, a gate's function) makes the script say so and print NOT REPRODUCED.

A deviation the agent reported as the environment's (a Thread's own thread entering its target with
other arguments, or when it must not) is judged by what the script records of each gate's entries,
not by the outcome of the step during which it came: the script finds it when the same entry (the
same number of that gate's entries, with the same arguments and hooks) comes. A thread's end the
spec does not allow (what its excepthook printed) is not compared: the script says so.

Everything the target said (exception names, reprs) reaches the script as comments made of
printable ASCII (``safe_text``) or as Python literals (``repr``/``ascii``), never as code.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from conformance import adapters
from conformance.checker import Violation, ViolationKind
from conformance.report import TEXT_LIMIT, Report, safe_text
from conformance.scenario import BACK_TO_BACK
from spec.clauses import REGISTRY
from spec.module import NameLike
from spec.values import (
    ANY,
    ANY_INT,
    ANY_STR,
    DOCUMENTED_BASES,
    ENV,
    FALSY,
    GATE_ENTERED,
    THREAD_EXITED,
    TRUTHY,
    Call,
    Gate,
    Hook,
    New,
    Original,
    Outcome,
    Raised,
    ThreadId,
    _Opaque,
    gate_of,
)

TITLE = "threadspec reproducer"
"""The first comment line of every reproducer."""

_IMPORT = """\

import sys{path}
{prelude}M = __import__({module!r}, None, None, ['*'])
"""

_MATCH = (
    "ok = [a for a in allowed if a[0] == got[0] and (fits(a[1], got[2]) if a[0] == 'returned' else "
    "not [n for n in a[1].rstrip(')').split('(') if n not in got[2]])]"
)
"""Is the observation ``got`` one of the ``allowed`` outcomes? ``('returned', repr, value)`` or
``('raised', name, names of its classes)`` against ``('returned', allowed value)`` (as ``fits``
judges it) or ``('raised', documented name)`` (``'BrokenBarrierError(RuntimeError)'``: one that is
also of its documented base class, as ``spec.values.outcome_matches`` asks)."""

_FITS = (
    "def fits(p, v):  # does the spec allow v where it says p? (as spec.values.value_matches judges)\n"
    "{kinds}    if isinstance(p, tuple): "
    "return isinstance(v, (tuple, list)) and len(p) == len(v) and all(map(fits, p, v))\n"
    "    return (type(p) is type(v) or bool not in (type(p), type(v))) and p == v"
)
"""The script's ``spec.values.value_matches``: a tuple allows a tuple or list of values it allows
one by one; a bool only that bool (True is not 1); any other value an equal one (5L and 5.0 are 5,
u'x' is 'x'); ``[kind, ...]`` a value of a kind (``KINDS``)."""

_KIND_CALL = "    if isinstance(p, list): return KINDS[p[0]](v, *p[1:])\n"

KINDS = {
    "*": "lambda v: True",
    "int": "lambda v: isinstance(v, INT) and not isinstance(v, bool)",
    "str": "lambda v: isinstance(v, STR)",
    "false": "lambda v: v is None or isinstance(v, (bool, float, tuple, list) + INT + STR) and not v",
    "true": "lambda v: not KINDS['false'](v)",
    "like": "lambda v, pattern: isinstance(v, STR) and re.match('(?:%s)\\Z' % pattern, v) is not None",
    "nan": "lambda v: isinstance(v, float) and v != v",
    "object": "lambda v, name: getattr(v, '__class__', type(v)).__name__ == name",
    "class": "lambda v, name: isinstance(v, type) and v.__name__ == name",
    "ref": "lambda v: [r for r in RUN if r is v] != []",
    "hook": "lambda v, name: v is hook(name)",
}
"""The values the spec describes by their kind (``spec.values``'s ``ANY``, ``ANY_INT``, ``ANY_STR``,
``FALSY``, ``TRUTHY``; ``spec.module.NameLike``; NaN; an object the agent reports by its type, a
class by its name, an object of the run by reference; a trace or profile hook), as the script's
``KINDS`` entries."""

_KINDS_PRELUDE = "INT, STR = (int, type(2 ** 64)), (str, type(u''))  # (2.7: long and unicode too)"


def _kinds_lines(kinds: set[str]) -> list[str]:
    """The script's ``KINDS`` (only the kinds it uses: ``true`` needs ``false``), or nothing."""
    if "true" in kinds:
        kinds = kinds | {"false"}
    if not kinds:
        return []
    body = [f"    {k!r}: {KINDS[k]}," for k in KINDS if k in kinds]
    imports = ["import re"] if "like" in kinds else []
    return [*imports, _KINDS_PRELUDE, "KINDS = {  # values the spec describes by their kind", *body, "}"]


def _fits_lines(kinds: set[str]) -> list[str]:
    return [*_kinds_lines(kinds), *_FITS.format(kinds=_KIND_CALL if kinds else "").splitlines()]


_STRAIGHT_END = """\
{match}
print('observed: %r\\nthe spec allows: %r\\n%s' % (got[:2], allowed, ok and 'NOT REPRODUCED' or 'REPRODUCED'))
sys.exit(not ok and 1 or 0)
"""

_OS_THREADS = """\
try:
    import _thread as _t
except ImportError:
    import thread as _t"""

_THREADS = """\
import os, time
{threads}
SETTLE = float(os.environ.get('THREADSPEC_SETTLE', '0.2'))  # seconds before a step counts as blocked
WAIT = float(os.environ.get('THREADSPEC_WAIT', '10'))  # seconds given to a call the spec says completes
TRIES = int(os.environ.get('THREADSPEC_TRIES', '10'))  # runs of a schedule whose deviation may be a race


def outcome(fn):
    try:
        v = fn()
        return ('returned', repr(v), v)
    except:  # noqa: E722 (on Jython, a Java exception is no Exception)
        e = sys.exc_info()[1]
        names = [c.__name__ for c in type(e).__mro__]
        names += ['ThreadError'] * isinstance(e, getattr(M, 'ThreadError', ()))
        return ('raised', type(e).__name__, names)


def seq(*fns):
    # calls made back to back by one thread: the last one's value
    for fn in fns[:-1]:
        outcome(fn)
    return fns[-1]()


WORKERS, WORKER_IDS = [], []
RUN = []  # the objects of the run: the object under test


class Worker(object):
    # a thread of the schedule: one thread of the target's, making its calls in turn
    def __init__(self, name):
        self.name, self.got, self.busy, self.done, self.todo = name, None, False, 0, []
        WORKERS.append(self)

    def run(self, text, fn, wait=None):
        if self.busy:
            print('%s.%s skipped: the thread is still in its last call' % (self.name, text))
            return None
        self.text, self.got, self.start, self.busy = text, None, time.time(), True
        def body():
            got = outcome(fn)
            self.took = time.time() - self.start
            self.got, self.busy, self.done = got, False, self.done + 1
        self.spawn(body)
        got = self.settle(SETTLE if wait is None else wait)
        quiet()
        return got

    def spawn(self, body):
        if not hasattr(self, 'wake'):
            self.wake = _t.allocate_lock()
            self.wake.acquire()
            _t.start_new_thread(self.loop, ())
        self.todo.append(body)
        self.wake.release()

    def loop(self):
        WORKER_IDS.append(_t.get_ident())
        while True:
            self.wake.acquire()
            self.todo.pop(0)()

    def settle(self, seconds):
        end = time.time() + seconds
        while self.got is None and time.time() < end:
            time.sleep(0.001)
        print('%s.%s -> %s' % (self.name, self.text, self.got and self.got[:2] or '(not completed)'))
        return self.got


def quiet():
    # wait until no call in progress has completed for SETTLE seconds (blocked calls stay blocked)
    seen, end = -1, time.time()
    while [w for w in WORKERS if w.busy] and time.time() < end:
        done = sum([w.done for w in WORKERS])
        if done != seen:
            seen, end = done, time.time() + SETTLE
        time.sleep(0.001)


def finish(reproduced):
    print(reproduced and 'REPRODUCED' or 'NOT REPRODUCED')
    sys.stdout.flush()
    os._exit(reproduced and 1 or 0)
"""

_GATES = """\
_gates = {}


def gate(n):
    # a function that waits until the environment opens gate n (the target of a Thread...)
    if n not in _gates:
        _gates[n] = [_t.allocate_lock(), None, [], []]
        _gates[n][0].acquire()
    g = _gates[n]
    def target(*args, **kwargs):
        if _t.get_ident() not in WORKER_IDS:  # entered by a thread of the module's (a Thread's own)
            g[3].append((args, tuple(sorted(kwargs.items())), sys.gettrace(), sys.getprofile()))
        while not g[0].acquire(False):
            if g[2]:
                g[2].pop(0)()  # a call the thread waiting here makes
            else:
                time.sleep(0.001)
        g[0].release()
        if g[1]:
            raise getattr(__builtins__, g[1], RuntimeError)('raised by gate %d' % n)
    return target


def entered(n):
    # how the threads not of the script's entered gate n, in order: (args, kwargs, trace, profile)
    return n in _gates and _gates[n][3] or []


def open_gate(n, exc=None):
    gate(n)
    _gates[n][1] = exc
    _gates[n][0].release()
    time.sleep(SETTLE)
    quiet()
    print('env: gate %d opened' % n)


class InGate(Worker):
    # the thread waiting in gate n (a Thread's own thread) makes the calls
    def __init__(self, n):
        Worker.__init__(self, '(thread in gate %d)' % n)
        self.n = n

    def spawn(self, body):
        gate(self.n)
        _gates[self.n][2].append(body)
"""

_HOOKS = """\
_hooks = {}


def hook(name):
    # a trace or profile function that does nothing
    if name not in _hooks:
        def fn(frame, event, arg):
            return None
        _hooks[name] = fn
    return _hooks[name]
"""


AGENT_KINDS = {
    "LocalSubclass": "type('LocalSubclass', (M.local,), "
                     "{'__init__': lambda self, *args: setattr(self, 'args', args)})",
    "Context": "__import__('contextvars').Context",
    "CopiedContext": "__import__('contextvars').copy_context",
}
"""The kinds of object the agent makes itself, not the module (``conformance.agent.AGENT_KINDS``):
the script makes them the same way."""


def _kind(kind: str) -> str:
    return AGENT_KINDS.get(kind, f"M.{kind}")


def _py(v: Any) -> str:
    """A Python 2/3 expression for a spec value."""
    if isinstance(v, New):
        return f"{_kind(v.kind)}({', '.join(_py(a) for a in v.args)})"
    if isinstance(v, Gate):
        return f"gate({v.id})"
    if isinstance(v, Hook):
        return f"hook({v.name!r})"
    if isinstance(v, Original):
        return f"ORIGINAL[{v.name!r}]"
    if isinstance(v, float) and v != v:
        return "float('nan')"
    if isinstance(v, float) and v in (float("inf"), float("-inf")):
        return f"float('{v}')"
    if isinstance(v, tuple):
        return "(" + "".join(_py(x) + ", " for x in v) + ")"
    return ascii(v) if isinstance(v, str) else repr(v)  # (ASCII: a 2.7 script is read as ASCII)


def _ctor(primitive: str, init: Call) -> str:
    args = [_py(a) for a in init.args] + [f"{n}={_py(v)}" for n, v in init.kwargs]
    return f"{_kind(primitive)}({', '.join(args)})"


def _call_text(c: Call, target: str) -> str:
    args = [_py(a) for a in c.args] + [f"{k}={_py(v)}" for k, v in c.kwargs]
    joined = ", ".join(args)
    op = c.op
    if op.startswith("module."):  # a module function, or (module.get:NAME) a module attribute
        target, op = "M", op[7:]
    if op.startswith("get:"):
        return f"{target}.{op[4:]}"
    if op.startswith("set:"):
        return f"setattr({target}, {op[4:]!r}, {joined})"
    if op.startswith("del:"):
        return f"delattr({target}, {op[4:]!r})"
    return f"{target}.{op}({joined})"


ENVIRONMENT_COUNTS = ("module.active_count", "module.activeCount", "module.enumerate")
"""Calls whose value counts every thread of the process: the agent's own threads are in the spec's
allowed value, so a script (which has other threads) cannot compare it."""


def _comparable(v: Violation) -> bool:
    return v.call is None or v.call.op not in ENVIRONMENT_COUNTS


class Code(str):
    """Python source text that a reproducer's data holds as code, not as a string (its repr is
    itself): ``repr([("returned", Code("(5, 'five')"))])`` is ``[('returned', (5, 'five'))]``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


_OPAQUE = {ANY: "*", ANY_INT: "int", ANY_STR: "str", FALSY: "false", TRUTHY: "true"}


def _pattern(v: Any, kinds: set[str]) -> str | None:
    """The script's value (Python 2/3 source) that ``fits`` judges as ``spec.values.value_matches``
    judges the spec's ``v`` (adding to ``kinds`` the ``KINDS`` it uses); None for a value the
    script cannot tell apart (a Thread's summary, a gate, a fresh object)."""
    kind: tuple[Any, ...] | None = None
    if isinstance(v, _Opaque):
        kind = (_OPAQUE[v],)
    elif isinstance(v, NameLike):
        kind = ("like", v.pattern)
    elif isinstance(v, Hook):
        kind = ("hook", v.name)
    elif isinstance(v, float) and v != v:
        kind = ("nan",)
    elif isinstance(v, tuple) and len(v) == 2 and v[0] == "object" and isinstance(v[1], str):
        kind = v  # an object the agent reports by its type
    elif isinstance(v, tuple) and len(v) == 1 and isinstance(v[0], tuple) and len(v[0]) == 2 and (
            v[0][0] in ("class", "gate")):
        if v[0][0] == "gate":
            return None  # a gate's function, by the agent's number for it
        kind = v[0]  # a class, by its name (spec.values.GATE_ENTERED)
    elif isinstance(v, tuple) and len(v) == 2 and v[0] == "ref":
        kind = ("ref",)  # an object of the run (the agent's number for it is its own)
    if kind is not None:
        kinds.add(kind[0])
        return "[" + ", ".join(ascii(k) for k in kind) + "]"
    if isinstance(v, tuple) and v[:1] != ("thread",):
        items = [_pattern(x, kinds) for x in v]
        if None in items:
            return None
        return "(" + ", ".join(map(str, items)) + ("," if len(items) == 1 else "") + ")"
    if isinstance(v, float) and v in (float("inf"), float("-inf")):
        return f"float('{v}')"
    if v is None or isinstance(v, bool | int | float | str):
        return ascii(v)  # (ASCII: a 2.7 script is read as ASCII)
    return None


def _raised(exc: str) -> str:
    """A documented exception as the script's data: with its documented bases, which the class
    raised must have too (``'BrokenBarrierError(RuntimeError)'``)."""
    bases = DOCUMENTED_BASES.get(exc, ())
    return exc + "".join(f"({b})" for b in bases)


def _allowed_data(outcomes: Sequence[Outcome], kinds: set[str], warnings: bool = False
                  ) -> list[tuple[str, ...]] | None:
    """The allowed outcomes as the script's data (adding to ``kinds`` the ``KINDS`` its values
    use); None when one cannot be told apart by the script (a Thread's summary, a warning the
    script does not record). With ``warnings`` (a script that records them), a return that must
    warn is ``('returned', value, category)``."""
    out: list[tuple[str, ...]] = []
    for o in outcomes:
        if isinstance(o, Raised):
            out.append(("raised", _raised(o.exc)))
            continue
        value = _pattern(o.value, kinds)
        if value is None or (o.warning is not None and not warnings):
            return None
        out.append(("returned", Code(value), *([o.warning] if o.warning is not None else [])))
    return out


def header_lines(
    report: Report, clause: str | None, source: str, observed: str, allowed: Sequence[str]
) -> list[str]:
    """The comment lines that open a reproducer (after ``TITLE``): what was broken, where, and how.
    Each is one line of printable ASCII (``safe_text``), whatever the target's texts in it hold:
    written after ``# ``, it stays a comment (on Python 2.7 too, which reads source as ASCII)."""
    target = report.target
    lines = [
        f"clause: {clause or '(none)'}",
        f"> {REGISTRY[clause].quote}" if clause in REGISTRY else "",
        f"target: {target.python} (Python {report.python_version}), module {target.module}",
        f"found by: {source}; profile {report.profile}",
        f"observed: {observed}; the spec allows: {'; '.join(allowed) or 'nothing'}",
    ]
    return [safe_text(h, TEXT_LIMIT, ascii_only=True) for h in lines if h]


def _prelude(module: str, paths: Sequence[str], prelude: str | None) -> str:
    # a module of the path replaces one of the same name imported at start-up (threading)
    path = f"; sys.path[:0] = {list(paths)!r}; sys.modules.pop({module!r}, None)" if paths else ""
    return _IMPORT.format(path=path, prelude=f"{prelude}\n" if prelude else "", module=module)


def _raised_before(log: Sequence[str], steps: Sequence[Call]) -> list[bool]:
    """For a one-thread schedule (whose log lists its completions in order): did each step raise?"""
    out, pos = [], 0
    for s in steps:
        prefix = f"{s!r} -> "
        while pos < len(log) and not log[pos].startswith(prefix):
            pos += 1
        out.append(pos < len(log) and log[pos][len(prefix):].startswith("raised"))
        pos += 1
    return out


_WARNED = """\
import warnings
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter('always')
{call}
got += ([w.category.__name__ for w in caught],)"""
"""The failing call of a straight-line script whose allowed outcomes name a warning: the warnings
it emits are recorded (``got[3]``) and compared."""


def _straight(primitive: str, init: Call, steps: Sequence[Call], k: int, allowed: list[tuple[str, ...]],
              kinds: set[str], log: Sequence[str]) -> list[str]:
    """Straight-line code: the steps before ``k`` as statements, step ``k`` observed (``k`` = -1:
    the constructor, whose outcome "returned None" is an object made)."""
    ctor = _ctor(primitive, init)
    lines = _fits_lines(kinds) + ([] if k < 0 else [f"obj = {ctor}"])
    before = steps[:k] if k > 0 else ()
    for s, raised in zip(before, _raised_before(log, before), strict=True):
        text = _call_text(s, "obj")
        lines += [f"try: {text}", "except: pass"] if raised else [text]
    failing = f"obj = {ctor}; v = None" if k < 0 else f"v = {_call_text(steps[k], 'obj')}"
    observe = [
        f"try: {failing}; got = ('returned', repr(v), v)",
        "except: e = sys.exc_info()[1]; got = ('raised', type(e).__name__, [c.__name__ for c in "
        "type(e).__mro__] + ['ThreadError'] * isinstance(e, getattr(M, 'ThreadError', ())))",
    ]
    match, end = _MATCH, _STRAIGHT_END
    if any(len(a) > 2 for a in allowed):
        observe = _WARNED.format(call="\n".join(f"    {o}" for o in observe)).splitlines()
        warned = " if (len(a) < 3 or a[2] in got[3]) and a[0] == got[0]"
        match = match.replace(" if a[0] == got[0]", warned, 1)
        end = end.replace("(got[:2], allowed", "(got[:2] + got[3:], allowed", 1)
    lines += [*observe, f"allowed = {allowed!r}"]
    return lines + end.format(match=match).splitlines()


def _one_thread(steps: Sequence[Call], k: int) -> bool:
    threads = {s.thread for s in steps[: k + 1]}
    return len(threads) <= 1 and all(s.thread >= 0 and s.op != BACK_TO_BACK for s in steps[: k + 1])


def _owed_threads(v: Violation) -> list[int]:
    """The threads whose calls a missing completion says are owed."""
    return sorted({int(m) for a in v.allowed for m in re.findall(r"it requires t(-?\d+) ", a)})


def _worker(thread: int) -> str:
    own = gate_of(thread)
    return f"g{own}" if own is not None else f"t{thread}"


def _failing_lines(v: Violation, step: Call) -> list[str]:
    """The failing step ``step``, where the call that failed is another thread's, made before."""
    who = _worker(v.thread if v.thread is not None else step.thread)
    wait = "SETTLE" if v.may_block else "WAIT"
    return [
        f"in_call = {who}.busy",
        *_step_lines(step, None),
        "if not in_call:  # its call completed before this step in the run that found the deviation",
        f"    print('{who} was not in a call at this step: the schedule did not replay')",
        "    return False",
        f"got = {who}.settle({wait})",
    ]


def _step_lines(s: Call, failing: Violation | None) -> list[str]:
    if s.thread == ENV and s.op == THREAD_EXITED:
        return ["time.sleep(SETTLE)", "print('env: waited for the thread to end')"]
    if s.thread == ENV:
        exc = f", {s.args[1]!r}" if len(s.args) > 1 else ""
        return [f"open_gate({s.args[0]}{exc})"]
    parts = list(s.args) if s.op == BACK_TO_BACK else [s]
    if failing is not None and failing.call in parts:  # the failing call is the last one observed
        parts = parts[: parts.index(failing.call) + 1]
    texts = [_call_text(p, "obj") for p in parts]
    shown = "; ".join(t[4:] if t.startswith("obj.") else t for t in texts)
    fn = texts[0] if len(texts) == 1 else "seq(" + ", ".join(f"lambda: {t}" for t in texts) + ")"
    own = gate_of(s.thread)
    who = f"g{own}" if own is not None else f"t{s.thread}"
    # a call the spec says completes is given WAIT; one it allows to block, SETTLE (one-sided)
    wait = ", WAIT" if failing is not None and not failing.may_block else ""
    return [f"got = {who}.run({shown!r}, lambda: {fn}{wait})"]


def _failing_thread(v: Violation, steps: Sequence[Call], k: int) -> ThreadId:
    """The thread whose call the verdict judges: the violation's, else the failed step's (a
    finding after the last step, ``k`` past the end, falls back on the last step's thread)."""
    if v.thread is not None:
        return v.thread
    if 0 <= k < len(steps):
        return steps[k].thread
    return steps[-1].thread if steps else 0


CANNOT_COMPARE = ["print('(this outcome cannot be compared by a script: see the header)')", "return False"]

CONTEXT_CLAUSES = ("Thread.run.context-",)
"""Clauses of a gate entry judged by the context the thread entered with, which the agent reads with
a probe of its own that a script does not have."""


def _entry_lines(v: Violation, log: Sequence[str], kinds: set[str]) -> list[str]:
    """The end of the reproducer of a gate entry the spec does not allow (a Thread's target called
    with other arguments, or when it must not be): the script records how each gate is entered,
    by threads not of its own, and finds the deviation when the same entry (the same number of
    the gate's entries, with the same arguments and hooks) comes."""
    assert v.call is not None
    gate, args, kwargs = v.call.args
    extras = v.call.kw()
    if (v.clause or "").startswith(CONTEXT_CLAUSES):
        return CANNOT_COMPARE
    seen = (args, kwargs, extras.get("trace", ANY), extras.get("profile", ANY))
    entry = _pattern(seen, kinds)
    if entry is None:
        return CANNOT_COMPARE
    prefix = f"env t{ENV}.{GATE_ENTERED}({gate!r}, "
    nth = max(1, sum(1 for line in log if line.startswith(prefix)))
    return [
        f"gate_no, nth = {gate!r}, {nth}  # the spec allows no entry {nth} of gate {gate} like this one here",
        f"entry = {entry}  # (args, kwargs, trace function, profile function) as the run saw them",
        "end = time.time() + SETTLE",
        "while len(entered(gate_no)) < nth and time.time() < end:",
        "    time.sleep(0.001)",
        "seen = entered(gate_no)",
        "print('gate %d entered %d time(s): %r' % (gate_no, len(seen), seen))",
        "print('the spec allows no entry %d like %r here' % (nth, entry))",
        "return len(seen) >= nth and fits(entry, seen[nth - 1])",
    ]


def _verdict_lines(v: Violation, steps: Sequence[Call], k: int, log: Sequence[str], kinds: set[str]
                   ) -> list[str]:
    """The end of a concurrent reproducer: the decision."""
    if v.call is not None and v.call.thread == ENV and v.kind is not ViolationKind.MISSING_COMPLETION:
        # what the environment reported (a gate entered, a thread's end): no step's outcome
        return _entry_lines(v, log, kinds) if v.call.op == GATE_ENTERED else CANNOT_COMPARE
    if v.kind is ViolationKind.MISSING_COMPLETION:
        owed = [t for t in _owed_threads(v) if any(s.thread == t for s in steps)]
        names = ", ".join(f"g{gate_of(t)}" if gate_of(t) is not None else f"t{t}" for t in owed)
        return [
            f"owed = [{names}{',' if len(owed) == 1 else ''}]  # the spec says each of their calls completes",
            "end = time.time() + WAIT",
            "while [w for w in owed if w.busy] and time.time() < end:",
            "    time.sleep(0.01)",
            "late = [w.name for w in owed if w.busy]",
            "print('not completed %s s after the last step: %s' % (WAIT, late or 'none'))",
            "return late",
        ]
    who = _worker(_failing_thread(v, steps, k))
    if v.kind is ViolationKind.EARLY_TIMEOUT:
        m = re.search(r"after its timeout of ([-+0-9.e]+) s", " ".join(v.allowed))
        timeout = float(m.group(1)) if m else 0.0
        seen = re.match(r"(returned|raised) (\S+)", v.observed)
        timed_out = (seen.group(1), seen.group(2)) if seen else ("returned", "False")
        return [
            f"timeout = {timeout!r}  # the spec allows a timed-out result only after this many seconds",
            f"timed_out = {timed_out!r}  # the timed-out result the run saw (another one is no timeout)",
            f"print('it returned after %.4f s' % (got and {who}.took or -1))",
            "return (got is not None and tuple(got[:2]) == timed_out and "
            f"{who}.took < timeout - 0.01)  # measured around the call: never shorter than it",
        ]
    comparable = (v.outcomes or not v.may_block) and _comparable(v)
    allowed = _allowed_data(v.outcomes, kinds) if comparable else None
    if allowed is None and not (v.may_block and not v.outcomes):
        return CANNOT_COMPARE
    blocks = "  # or that it does not complete yet" if v.may_block else ""
    return [
        f"allowed = {allowed or []!r}{blocks}",
        _MATCH.replace("ok = [", "ok = got is None or [", 1),  # a call still running proves nothing
        "print('the spec allows: %r' % (allowed,))",
        "return not ok",
    ]


def render(
    primitive: str,
    init: Call,
    steps: Sequence[Call],
    *,
    module: str = "threading",
    paths: Sequence[str] = (),
    prelude: str | None = None,
    header: Sequence[str] = (),
    violation: Violation | None = None,
    failed_step: int | None = None,
    log: Sequence[str] = (),
) -> str:
    """The text of a reproducer for ``init`` followed by ``steps``, failing as ``violation``
    says at step ``failed_step`` (-1: the constructor; None: after the last step)."""
    adapter = adapters.find(module, prelude)
    text = _render(primitive, init, steps, module, paths, prelude, header, violation, failed_step, log,
                   adapter)
    if adapter is None or not prelude:
        return text
    # an adapter's prelude builds only the library's names that the script uses
    narrowed = adapter.prelude_for(set(re.findall(r"\bM\.(\w+)", text)))
    return text.replace(prelude, narrowed or "", 1)


def _render(
    primitive: str, init: Call, steps: Sequence[Call], module: str, paths: Sequence[str], prelude: str | None,
    header: Sequence[str], violation: Violation | None, failed_step: int | None, log: Sequence[str],
    adapter: adapters.Adapter | None,
) -> str:
    lines = [f"# {TITLE}", *(f"# {safe_text(h, TEXT_LIMIT, ascii_only=True)}" for h in header)]
    lines += _prelude(module, paths, prelude).splitlines()
    names = sorted({v.name for c in (init, *steps) for v in (*c.args, *dict(c.kwargs).values())
                    if isinstance(v, Original)})
    if names:  # the module's globals as it defines them, for a step that puts one back
        lines.append(f"ORIGINAL = dict((n, getattr(M, n, None)) for n in {names!r})")
    k = len(steps) - 1 if failed_step is None else failed_step
    v = violation or Violation(ViolationKind.MISSING_COMPLETION, None, None, None, "", [])
    straight = v.kind in (ViolationKind.UNEXPECTED_OUTCOME, ViolationKind.CONSTRUCTOR) and not v.may_block
    kinds: set[str] = set()
    allowed = (_allowed_data(v.outcomes, kinds, warnings=True) if straight and v.outcomes and _comparable(v)
               else None)
    machinery = "Gate(" in repr(init) + repr(steps[: k + 1]) or "Hook(" in repr(init) + repr(steps[: k + 1])
    machinery = machinery or bool(kinds & {"ref", "hook"})  # values only a concurrent script knows
    if allowed is not None and _one_thread(steps, k) and not machinery:
        return "\n".join(lines + _straight(primitive, init, steps, k, allowed, kinds, log)) + "\n"
    steps = steps[: k + 1] if v.kind is not ViolationKind.MISSING_COMPLETION else steps
    lines += _THREADS.format(threads=_OS_THREADS if adapter is None else adapters.GREEN_THREADS.get(
        adapter.workers, _OS_THREADS)).splitlines()
    kinds = set()  # (those of the concurrent script's data, not of the straight-line one's)
    verdict = _verdict_lines(v, steps, k, log, kinds)
    text = repr(steps) + repr(init)
    if "Gate(" in text or any(s.thread <= ENV for s in steps) or "entered(" in "\n".join(verdict):
        lines += _GATES.splitlines()
    if "Hook(" in text or "hook" in kinds:
        lines += _HOOKS.splitlines()
    body = ["WORKERS[:] = []", *(["_gates.clear()"] if "def gate" in "\n".join(lines) else []),
            f"obj = {_ctor(primitive, init)}", "RUN[:] = [obj]"]
    for t in sorted({s.thread for s in steps}):
        if t > ENV:
            body.append(f"t{t} = Worker('t{t}')")
        elif t < ENV:
            body.append(f"g{gate_of(t)} = InGate({gate_of(t)})")
    reported = v.call is not None and v.call.thread == ENV  # judged: what the environment reported
    for i, s in enumerate(steps):
        if i != k or v.kind is ViolationKind.MISSING_COMPLETION or reported:
            body += _step_lines(s, None)
        elif v.thread is None or v.thread == s.thread:
            body += _step_lines(s, v)
        else:
            body += _failing_lines(v, s)
    body += verdict
    if "fits(" in "\n".join(body):
        lines += ["", "", *_fits_lines(kinds)]
    # an order of wakeups may be the target's choice: a deviation seen in one try of several is seen
    tries = "1" if v.kind is ViolationKind.MISSING_COMPLETION else "TRIES"
    lines += ["", "", "def attempt():", *(f"    {b}" for b in body), "", "",
              f"for n in range({tries}):", "    print('-- try %d' % (n + 1))", "    if attempt():",
              "        finish(True)", "finish(False)"]
    return "\n".join(lines) + "\n"


_EXIT = """\

import os, subprocess, sys, time
PROBE = {probe!r}  # the program whose exit is checked
PRINTS = {prints!r}  # the spec: it prints these lines (its non-daemon threads end), then exits
STARTED = {started!r}
HANG = float(os.environ.get('THREADSPEC_WAIT', {hang!r}))  # seconds before the program counts as hanging
env = dict(os.environ, PYTHONPATH=os.pathsep.join({paths!r}))
p = subprocess.Popen([sys.executable, '-c', PROBE], stdout=subprocess.PIPE, env=env)
end = time.time() + HANG
while p.poll() is None and time.time() < end:
    time.sleep(0.05)
hung = p.poll() is None
if hung:
    p.kill()
out = p.communicate()[0].decode('ascii', 'replace').splitlines()
print('the program printed %r and %s' % (out, hung and 'had not exited after %s s' % HANG or 'exited'))
if STARTED not in out:
    print('(its threads did not start: nothing to compare)')
reproduced = STARTED in out and (hung or [line for line in PRINTS if line not in out] != [])
print(reproduced and 'REPRODUCED' or 'NOT REPRODUCED')
sys.exit(reproduced and 1 or 0)
"""


def exit_reproducer(probe: str, header: Sequence[str], paths: Sequence[str], started: str,
                    prints: Sequence[str], hang: float) -> str:
    """A reproducer of the exit probe's finding: it runs the probe ``probe`` (a program) as a child
    of the same interpreter and compares what it prints, and whether it exits within ``hang``
    seconds, with what the spec says. Like any missing completion, a hang is a bounded wait."""
    lines = [f"# {TITLE}", *(f"# {safe_text(h, TEXT_LIMIT, ascii_only=True)}" for h in header)]
    body = _EXIT.format(probe=probe, prints=list(prints), started=started, hang=str(hang), paths=list(paths))
    return "\n".join(lines) + "\n" + body
