"""3.14's ``Thread(context=...)``: the context a thread's ``run()`` runs in.

The agent sets a context variable of its own ("main" on its main thread, "worker N" on each
worker; an empty context reads "unset") and reports what it reads in a Thread's target
(``gate.entered``'s ``context``). The context argument decides what it must read.
"""

from __future__ import annotations

from spec.clauses import clause
from spec.module import NameLike
from spec.profiles import Profile
from spec.values import New, Value

RUN_CONTEXT_DEFAULT_BY_FLAG = clause(
    "Thread.run.context-default-by-flag",
    doc="threading.Thread",
    quote="The default value is None which indicates that the sys.flags.thread_inherit_context flag "
    "controls the behaviour. If the flag is true, threads will start with a copy of the context of "
    "the caller of start(). If false, they will start with an empty context. [3.14: Changed in 3.14]",
    since=(3, 14),
)
RUN_CONTEXT_EMPTY_WHEN_GIVEN_A_NEW_CONTEXT = clause(
    "Thread.run.context-empty-when-given-a-new-context",
    doc="threading.Thread",
    quote="To explicitly start with an empty context, pass a new instance of Context(). "
    "[3.14: Changed in 3.14]",
    since=(3, 14),
)
RUN_CONTEXT_COPY_WHEN_GIVEN_COPY_CONTEXT = clause(
    "Thread.run.context-copy-when-given-copy-context",
    doc="threading.Thread",
    quote="To explicitly start with a copy of the current context, pass the value from "
    "copy_context(). [3.14: Changed in 3.14]",
    since=(3, 14),
)
CONTEXT_UNSET = "unset"
"""What the agent's context variable reads in an empty context."""
CONTEXT_MAIN = "main"
"""What it reads in a copy of the agent's main thread's context, where ``New("CopiedContext")``
(``contextvars.copy_context()``) is made."""
CONTEXT_OF_STARTER = NameLike(r"unset|worker \d+")
"""What it reads with no context argument: empty, or a copy of the context of the worker that
called ``start()`` (the flag ``sys.flags.thread_inherit_context``, which the checker does not read,
decides)."""
CONTEXTS: dict[Value, tuple[Value, str]] = {
    None: (CONTEXT_OF_STARTER, RUN_CONTEXT_DEFAULT_BY_FLAG),
    New("Context"): (CONTEXT_UNSET, RUN_CONTEXT_EMPTY_WHEN_GIVEN_A_NEW_CONTEXT),
    New("CopiedContext"): (CONTEXT_MAIN, RUN_CONTEXT_COPY_WHEN_GIVEN_COPY_CONTEXT),
}
"""A context argument → what the context variable reads in run(), and the clause saying so."""
READS: dict[str, Value] = {which: reads for reads, which in CONTEXTS.values()}


def context_clause(profile: Profile, argument: Value) -> str | None:
    """The clause saying in which context run() runs, given the constructor's ``context``
    argument (``None`` where there is none): none before 3.14 or for an argument not modelled."""
    if not profile.since(3, 14):
        return None
    found = CONTEXTS.get(argument)
    return None if found is None else found[1]
