"""What a thread's uncaught exception leaves behind (3.8+): the default ``threading.excepthook``
prints it on ``sys.stderr``, except ``SystemExit``, which it ignores silently; an excepthook that
raises hands its own exception to ``sys.excepthook``.

All of it shows only once the thread has ended: the agent keeps what a Thread's own thread wrote
to ``sys.stderr``, and the exceptions ``sys.excepthook`` was called with in it, and reports them
with its end (``thread.exited``'s ``stderr`` and ``sys_excepthook``). When the thread's run()
raises, ``spec.thread`` records here what its end owes (``owed_report``, ``hook_failed``), and
``judge`` compares that with the report.
"""

from __future__ import annotations

import re

from spec.clauses import Ambiguity, clause
from spec.profiles import Profile
from spec.values import Value

EXCEPTHOOK_IGNORES_SYSTEMEXIT = clause(
    "module.excepthook.ignores-systemexit",
    doc="threading.excepthook",
    quote="If exc_type is SystemExit, the exception is silently ignored. [Thread objects: By default, "
    "threading.excepthook ignores silently SystemExit.]",
    since=(3, 8),
)
EXCEPTHOOK_PRINTS_TO_STDERR = clause(
    "module.excepthook.prints-to-stderr",
    doc="threading.excepthook",
    quote="Otherwise, the exception is printed out on sys.stderr.",
    since=(3, 8),
)
EXCEPTHOOK_FAILURE_CALLS_SYS_EXCEPTHOOK = clause(
    "module.excepthook.failure-calls-sys-excepthook",
    doc="threading.excepthook",
    quote="If this function raises an exception, sys.excepthook() is called to handle it.",
    since=(3, 8),
)

BASE_ONLY = frozenset({"BaseException", "SystemExit", "KeyboardInterrupt", "GeneratorExit",
                       "BaseExceptionGroup"})
"""The builtin exceptions that are not ``Exception``s: an excepthook raising one of them is not
handed to ``sys.excepthook`` (CPython catches ``Exception`` only; see the Ambiguity)."""

Report = tuple[str, str]
"""What a thread's end owes: (the clause saying so, the exception's class name)."""


def owed_report(profile: Profile, exc: str) -> Report | None:
    """What the module's own excepthook owes for ``exc``, raised by a thread's run(): nothing
    printed for ``SystemExit``, the exception printed otherwise (none before 3.8)."""
    if not profile.since(3, 8):
        return None
    return (EXCEPTHOOK_IGNORES_SYSTEMEXIT if exc == "SystemExit" else EXCEPTHOOK_PRINTS_TO_STDERR, exc)


def hook_failed(profile: Profile, exc: str) -> Report | None:
    """What an excepthook that raised ``exc`` owes: ``sys.excepthook`` called with it."""
    if not profile.since(3, 8) or exc in BASE_ONLY:
        return None
    return (EXCEPTHOOK_FAILURE_CALLS_SYS_EXCEPTHOOK, exc)


def _names(text: str, exc: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(exc)}\b", text) is not None


def judge(report: Report, seen: dict[str, Value]) -> bool | None:
    """Does what the agent reported of the thread (``stderr``: the text it wrote to sys.stderr,
    ``sys_excepthook``: the class names sys.excepthook was called with) give what ``report``
    owes? None: the agent did not report it (nothing to judge)."""
    which, exc = report
    if which == EXCEPTHOOK_FAILURE_CALLS_SYS_EXCEPTHOOK:
        called = seen.get("sys_excepthook")
        return None if not isinstance(called, tuple | list) else exc in called
    text = seen.get("stderr")
    if not isinstance(text, str):
        return None
    if which == EXCEPTHOOK_IGNORES_SYSTEMEXIT:
        return not text.strip()
    return _names(text, exc)


AMBIGUITIES = (
    Ambiguity(
        topic="what the default excepthook prints",
        text="If exc_type is SystemExit, the exception is silently ignored. Otherwise, the exception is "
        "printed out on sys.stderr.",
        reading="Judged on what the thread itself wrote to sys.stderr, as the agent reports it once the "
        "thread's OS thread is gone (where it watches threads): nothing at all for SystemExit; for any "
        "other exception, text naming its class (CPython's: 'Exception in thread NAME:' and the "
        "traceback). The format is not compared. Before 3.8 there is no excepthook: nothing is judged.",
    ),
    Ambiguity(
        topic="an excepthook that raises",
        text="If this function raises an exception, sys.excepthook() is called to handle it.",
        reading="sys.excepthook must be called, in the thread, with the class of what the hook raised, "
        "when that is an Exception: CPython catches Exception only, so a hook raising SystemExit, "
        "KeyboardInterrupt or GeneratorExit ends the thread some other way (its OS thread's own "
        "unraisable report), which is not judged.",
    ),
)
