"""Standalone reproducer scripts: a failing schedule as a plain Python file.

The script needs nothing but the target interpreter (2.7 or 3.x) and the module
under test: it runs each step of the schedule in its own worker thread (started
with ``_thread``), waits a little for the step to finish, prints what happened,
and ends by printing what the spec allows at the failing step.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from conformance.report import TEXT_LIMIT, Report, safe_text
from conformance.scenario import BACK_TO_BACK
from spec.clauses import REGISTRY
from spec.values import ENV, THREAD_EXITED, Call, Gate, Hook, New, gate_of

TITLE = "threadspec reproducer"
"""The first comment line of every reproducer."""

_PRELUDE = """\
import os, sys, time
sys.path[:0] = {paths!r}
{prelude}
M = __import__({module!r})
try:
    import _thread as _t
except ImportError:
    import thread as _t

# seconds to wait for each step before reporting it as blocked
SETTLE = float(os.environ.get("THREADSPEC_SETTLE", "0.5"))
_gates = {{}}


def gate(n):
    # [lock held until opened, exception to raise, calls for the thread waiting in it]
    if n not in _gates:
        _gates[n] = [_t.allocate_lock(), None, []]
        _gates[n][0].acquire()
    lock = _gates[n]
    def target(*args, **kwargs):
        if _hooks:  # what the module installed in this thread before calling it
            print("gate %d entered with trace=%s profile=%s"
                  % (n, _hook_text(sys.gettrace()), _hook_text(sys.getprofile())))
        while not lock[0].acquire(False):
            if lock[2]:
                lock[2].pop(0)()
            else:
                time.sleep(0.001)
        lock[0].release()
        if lock[1]:
            raise getattr(__builtins__, lock[1], RuntimeError)("raised by gate %d" % n)
    return target


_hooks = {{}}


def hook(name):
    # a trace or profile function that does nothing
    if name not in _hooks:
        def fn(frame, event, arg):
            return None
        _hooks[name] = fn
    return _hooks[name]


def _hook_text(fn):
    for name, h in _hooks.items():
        if h is fn:
            return "hook(%r)" % name
    return repr(fn)


def open_gate(n, exc=None):
    gate(n)
    _gates[n][1] = exc
    _gates[n][0].release()


def together(*fns):
    # calls made back to back by one thread
    out = []
    for fn in fns:
        try:
            out.append("returned %r" % (fn(),))
        except BaseException as e:
            out.append("raised %s" % type(e).__name__)
    return out


def in_gate(n, text, fn):
    # the thread waiting in gate n (a Thread's own thread) makes the call
    gate(n)
    w = Worker("(thread in gate %d)" % n)
    w.text, w.result = text, None
    def body():
        try:
            w.result = "returned %r" % (fn(),)
        except BaseException as e:
            w.result = "raised %s" % type(e).__name__
    _gates[n][2].append(body)
    end = time.time() + SETTLE
    while time.time() < end and w.result is None:
        time.sleep(0.001)
    w.report()


class Worker(object):
    def __init__(self, name):
        self.name = name
        self.result = None

    def run(self, text, fn):
        self.text, self.result = text, None
        done = _t.allocate_lock()
        done.acquire()
        self.done = done
        def body():
            try:
                self.result = "returned %r" % (fn(),)
            except BaseException as e:
                self.result = "raised %s" % type(e).__name__
            done.release()
        _t.start_new_thread(body, ())
        end = time.time() + SETTLE
        while time.time() < end and self.result is None:
            time.sleep(0.001)
        self.report()

    def report(self):
        if self.result is None:
            print("%s.%s ... blocked" % (self.name, self.text))
            LATE.append((self, self.text))
        else:
            print("%s.%s -> %s" % (self.name, self.text, self.result))


LATE = []


def report_late():
    # calls reported as blocked that have completed since
    time.sleep(SETTLE)
    for w, text in LATE:
        if w.text == text and w.result is not None:
            print("(later) %s.%s -> %s" % (w.name, text, w.result))


"""


def _py(v: Any) -> str:
    """A Python 2/3 expression for a spec value."""
    if isinstance(v, New):
        return f"M.{v.kind}({', '.join(_py(a) for a in v.args)})"
    if isinstance(v, Gate):
        return f"gate({v.id})"
    if isinstance(v, Hook):
        return f"hook({v.name!r})"
    if isinstance(v, float) and v != v:
        return "float('nan')"
    if isinstance(v, float) and v in (float("inf"), float("-inf")):
        return f"float('{v}')"
    if isinstance(v, tuple):
        return "(" + "".join(_py(x) + ", " for x in v) + ")"
    return repr(v)


def _call_text(c: Call, target: str) -> str:
    args = [_py(a) for a in c.args] + [f"{k}={_py(v)}" for k, v in c.kwargs]
    joined = ", ".join(args)
    if c.op.startswith("get:"):
        return f"{target}.{c.op[4:]}"
    if c.op.startswith("set:"):
        return f"setattr({target}, {c.op[4:]!r}, {joined})"
    if c.op.startswith("del:"):
        return f"delattr({target}, {c.op[4:]!r})"
    if c.op.startswith("module."):
        return f"M.{c.op[7:]}({joined})"
    return f"{target}.{c.op}({joined})"


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
        f"profile: {report.profile}",
        f"found by: {source}",
        f"observed: {observed}",
        f"the spec allows: {'; '.join(allowed) or 'nothing'}",
    ]
    return [safe_text(h, TEXT_LIMIT, ascii_only=True) for h in lines if h]


def render(
    primitive: str,
    init: Call,
    steps: Sequence[Call],
    *,
    module: str = "threading",
    paths: Sequence[str] = (),
    prelude: str | None = None,
    header: Sequence[str] = (),
) -> str:
    """The text of a reproducer for ``init`` followed by ``steps``."""
    lines = [f"# {TITLE}", *(f"# {safe_text(h, TEXT_LIMIT, ascii_only=True)}" for h in header), ""]
    lines.append(_PRELUDE.format(paths=list(paths), prelude=prelude or "", module=module).rstrip() + "\n\n")
    ctor_args = [_py(a) for a in init.args] + [f"{k}={_py(v)}" for k, v in init.kwargs]
    lines.append(f"obj = M.{primitive}({', '.join(ctor_args)})")
    threads = sorted({s.thread for s in steps if s.thread > ENV})
    for t in threads:
        lines.append(f"t{t} = Worker('t{t}')")
    for s in steps:
        if s.thread == ENV and s.op == THREAD_EXITED:
            lines.append("time.sleep(SETTLE)")
            lines.append("print('env: waited for the thread to end')")
            continue
        if s.thread == ENV:
            exc = f", {s.args[1]!r}" if len(s.args) > 1 else ""
            lines.append(f"open_gate({s.args[0]}{exc}); time.sleep(SETTLE)")
            lines.append(f"print('env: gate {s.args[0]} opened')")
            continue
        parts = s.args if s.op == BACK_TO_BACK else (s,)
        texts = [_call_text(p, "obj") for p in parts]
        shown = "; ".join(t.replace("obj.", "", 1) if t.startswith("obj.") else t for t in texts)
        fn = texts[0] if len(texts) == 1 else "together(" + ", ".join(f"lambda: {t}" for t in texts) + ")"
        own = gate_of(s.thread)
        if own is not None:
            lines.append(f"in_gate({own}, {shown!r}, lambda: {fn})")
        else:
            lines.append(f"t{s.thread}.run({shown!r}, lambda: {fn})")
    lines.append("report_late()")
    lines.append("sys.stdout.flush()")
    lines.append("os._exit(0)")
    return "\n".join(lines) + "\n"
