"""Agreement, symbolically: one single-thread script run on impl and on the spec.

For each primitive, ``spec_<name>(value, moves...)`` and ``impl_<name>(value, moves...)`` take
the same symbolic arguments (a constructor argument and a script of ``(op, a, i)`` moves, the
argument chosen as in ``proofs.crosshair.script.arguments``) and return what the calls did
and the abstract state at the end. The pair agrees when both return the same:
``crosshair diffbehavior proofs.crosshair.agreement.spec_semaphore
proofs.crosshair.agreement.impl_semaphore`` looks for arguments on which they differ, and
``tests/proofs/test_crosshair_agreement.py`` asks Hypothesis on the CrossHair backend.

Calls that the spec says block are skipped on both sides (one thread cannot unblock
itself), as are calls on a documented ambiguity the spec resolves differently from CPython on
purpose (a non-integer count: see ``spec.semaphore.AMBIGUITIES``).
"""

from __future__ import annotations

import _thread
from collections.abc import Callable
from typing import Any

import impl
from impl import lock as impl_lock
from impl.lock import spec_profile
from proofs.crosshair.script import arguments
from spec import event as spec_event
from spec import lock as spec_lock
from spec import rlock as spec_rlock
from spec import semaphore as spec_semaphore
from spec.core import Blocked, Done
from spec.values import Call, Outcome, Raised, Returned

Moves = tuple[int, ...]
"""Flat ``(op, a, i)`` triples."""

SKIPPED_CLAUSES = frozenset({spec_semaphore.CALL_NON_INTEGER_COUNT_RAISES})


def _calls(ops: tuple[str, ...], keyword: dict[str, str], moves: Moves) -> list[Call]:
    calls = []
    for j in range(0, len(moves) - 2, 3):
        op, a, i = moves[j : j + 3]
        name = ops[op] if 0 <= op < len(ops) else ops[0]
        args, kwargs = arguments(keyword.get(name, "timeout"), a, i)
        calls.append(Call(0, name, args, kwargs))
    return calls


def _observe(fn: Callable[[], Any]) -> Outcome:
    try:
        return Returned(fn())
    except Exception as exc:  # noqa: BLE001 - every exception is an outcome
        return Raised(type(exc).__name__)


def _performer(obj: Any, c: Call) -> Callable[[], Any]:
    def perform() -> Any:
        return getattr(obj, c.op)(*c.args, **c.kw())

    return perform


def _abstract(obj: Any) -> Any:
    """impl's abstract state of ``obj``, the calling thread being thread 0."""
    me = {_thread.get_ident(): 0}
    if isinstance(obj, impl_lock.LockType):
        return impl_lock._spec_state(obj, holder=0)
    return obj._spec_state(me)


def _run(module: Any, create: str, init: Call, calls: list[Call], obj: Any | None) -> tuple[Any, ...]:
    """Run ``calls`` on the spec, and on ``obj`` (impl) when given; report the one asked for."""
    made = getattr(module, create)(spec_profile(), init)
    if made.state is None:
        return ("refused", made.outcome)
    s = made.state
    outcomes: list[Outcome | str] = []
    for c in calls:
        r = module.invoke(s, c)
        if isinstance(r, Blocked) or r.clause in SKIPPED_CLAUSES:
            outcomes.append("skipped")
            continue
        assert isinstance(r, Done)
        s = r.state
        outcomes.append(r.outcome if obj is None else _observe(_performer(obj, c)))
    if obj is None:
        return (tuple(outcomes), s)
    return (tuple(outcomes), _abstract(obj))


SEMAPHORE_OPS = ("acquire", "release")
SEMAPHORE_KEYWORDS = {"release": "n"}


def _semaphore(bounded: bool, a0: int, i0: int, moves: Moves, on_impl: bool) -> tuple[Any, ...]:
    args, kwargs = arguments("value", a0, i0)
    init = Call(0, "__init__", args, kwargs)
    calls = _calls(SEMAPHORE_OPS, SEMAPHORE_KEYWORDS, moves)
    create = "create_bounded" if bounded else "create"
    obj = None
    if on_impl:
        made = getattr(spec_semaphore, create)(spec_profile(), init)
        if made.state is None:
            return ("refused", made.outcome)
        cls = impl.BoundedSemaphore if bounded else impl.Semaphore
        obj = cls(*args, **dict(kwargs))
    return _run(spec_semaphore, create, init, calls, obj)


def spec_semaphore_run(a0: int, i0: int, o1: int, a1: int, i1: int, o2: int, a2: int, i2: int,
                       o3: int, a3: int, i3: int) -> tuple[Any, ...]:
    """Semaphore(value) and three calls, on the spec.

    pre: -2**64 <= i0 <= 2**64 and -2**64 <= i1 <= 2**64 and -2**64 <= i2 <= 2**64 and -2**64 <= i3 <= 2**64
    """
    return _semaphore(False, a0, i0, (o1, a1, i1, o2, a2, i2, o3, a3, i3), on_impl=False)


def impl_semaphore_run(a0: int, i0: int, o1: int, a1: int, i1: int, o2: int, a2: int, i2: int,
                       o3: int, a3: int, i3: int) -> tuple[Any, ...]:
    """Semaphore(value) and three calls, on impl.

    pre: -2**64 <= i0 <= 2**64 and -2**64 <= i1 <= 2**64 and -2**64 <= i2 <= 2**64 and -2**64 <= i3 <= 2**64
    """
    return _semaphore(False, a0, i0, (o1, a1, i1, o2, a2, i2, o3, a3, i3), on_impl=True)


def spec_bounded_run(a0: int, i0: int, o1: int, a1: int, i1: int, o2: int, a2: int, i2: int,
                     o3: int, a3: int, i3: int) -> tuple[Any, ...]:
    """BoundedSemaphore(value) and three calls, on the spec.

    pre: -2**64 <= i0 <= 2**64 and -2**64 <= i1 <= 2**64 and -2**64 <= i2 <= 2**64 and -2**64 <= i3 <= 2**64
    """
    return _semaphore(True, a0, i0, (o1, a1, i1, o2, a2, i2, o3, a3, i3), on_impl=False)


def impl_bounded_run(a0: int, i0: int, o1: int, a1: int, i1: int, o2: int, a2: int, i2: int,
                     o3: int, a3: int, i3: int) -> tuple[Any, ...]:
    """BoundedSemaphore(value) and three calls, on impl.

    pre: -2**64 <= i0 <= 2**64 and -2**64 <= i1 <= 2**64 and -2**64 <= i2 <= 2**64 and -2**64 <= i3 <= 2**64
    """
    return _semaphore(True, a0, i0, (o1, a1, i1, o2, a2, i2, o3, a3, i3), on_impl=True)


EVENT_OPS = ("wait", "set", "clear", "is_set")


def _event(moves: Moves, on_impl: bool) -> tuple[Any, ...]:
    calls = _calls(EVENT_OPS, {}, moves)
    return _run(spec_event, "create", Call(0, "__init__"), calls, impl.Event() if on_impl else None)


def spec_event_run(
    o1: int, a1: int, i1: int, o2: int, a2: int, i2: int, o3: int, a3: int, i3: int
) -> tuple[Any, ...]:
    """Event() and three calls, on the spec.

    pre: -2**64 <= i1 <= 2**64 and -2**64 <= i2 <= 2**64 and -2**64 <= i3 <= 2**64
    """
    return _event((o1, a1, i1, o2, a2, i2, o3, a3, i3), on_impl=False)


def impl_event_run(
    o1: int, a1: int, i1: int, o2: int, a2: int, i2: int, o3: int, a3: int, i3: int
) -> tuple[Any, ...]:
    """Event() and three calls, on impl.

    pre: -2**64 <= i1 <= 2**64 and -2**64 <= i2 <= 2**64 and -2**64 <= i3 <= 2**64
    """
    return _event((o1, a1, i1, o2, a2, i2, o3, a3, i3), on_impl=True)


LOCK_OPS = ("acquire", "release", "locked")


def _lock(module: Any, make: Callable[[], Any], moves: Moves, on_impl: bool) -> tuple[Any, ...]:
    calls = _calls(LOCK_OPS, {}, moves)
    return _run(module, "create", Call(0, "__init__"), calls, make() if on_impl else None)


def spec_lock_run(
    o1: int, a1: int, i1: int, o2: int, a2: int, i2: int, o3: int, a3: int, i3: int
) -> tuple[Any, ...]:
    """Lock() and three calls, on the spec.

    pre: -2**64 <= i1 <= 2**64 and -2**64 <= i2 <= 2**64 and -2**64 <= i3 <= 2**64
    """
    return _lock(spec_lock, impl.Lock, (o1, a1, i1, o2, a2, i2, o3, a3, i3), on_impl=False)


def impl_lock_run(
    o1: int, a1: int, i1: int, o2: int, a2: int, i2: int, o3: int, a3: int, i3: int
) -> tuple[Any, ...]:
    """Lock() and three calls, on impl (the interpreter's own lock).

    pre: -2**64 <= i1 <= 2**64 and -2**64 <= i2 <= 2**64 and -2**64 <= i3 <= 2**64
    """
    return _lock(spec_lock, impl.Lock, (o1, a1, i1, o2, a2, i2, o3, a3, i3), on_impl=True)


def spec_rlock_run(
    o1: int, a1: int, i1: int, o2: int, a2: int, i2: int, o3: int, a3: int, i3: int
) -> tuple[Any, ...]:
    """RLock() and three calls, on the spec.

    pre: -2**64 <= i1 <= 2**64 and -2**64 <= i2 <= 2**64 and -2**64 <= i3 <= 2**64
    """
    return _lock(spec_rlock, impl.RLock, (o1, a1, i1, o2, a2, i2, o3, a3, i3), on_impl=False)


def impl_rlock_run(
    o1: int, a1: int, i1: int, o2: int, a2: int, i2: int, o3: int, a3: int, i3: int
) -> tuple[Any, ...]:
    """RLock() and three calls, on impl.

    pre: -2**64 <= i1 <= 2**64 and -2**64 <= i2 <= 2**64 and -2**64 <= i3 <= 2**64
    """
    return _lock(spec_rlock, impl.RLock, (o1, a1, i1, o2, a2, i2, o3, a3, i3), on_impl=True)


PAIRS: dict[str, tuple[Callable[..., tuple[Any, ...]], Callable[..., tuple[Any, ...]]]] = {
    "Semaphore": (spec_semaphore_run, impl_semaphore_run),
    "BoundedSemaphore": (spec_bounded_run, impl_bounded_run),
    "Event": (spec_event_run, impl_event_run),
    "Lock": (spec_lock_run, impl_lock_run),
    "RLock": (spec_rlock_run, impl_rlock_run),
}
"""The spec and impl function of each primitive, taking the same arguments."""


def agree(primitive: str, examples: int, backend: str = "crosshair") -> tuple[int, str | None]:
    """Ask Hypothesis (on ``backend``, CrossHair by default) for up to ``examples`` argument
    tuples on which ``primitive``'s spec and impl functions disagree.

    Returns how many examples ran and the first disagreement found (``None``: none).
    """
    from crosshair import deep_realize
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st

    spec_fn, impl_fn = PAIRS[primitive]
    arity = spec_fn.__code__.co_argcount
    ran = 0
    candidates: list[tuple[int, ...]] = []
    small = st.integers(-3, 20)

    @settings(backend=backend, max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.generate])
    @given(st.tuples(*[small] * arity))
    def same(args: tuple[int, ...]) -> None:
        nonlocal ran
        ran += 1
        if spec_fn(*args) != impl_fn(*args):
            candidates.append(deep_realize(args))

    same()
    # confirm each candidate outside CrossHair: run under its tracer, impl's C-level locks
    # can report a state the concrete run does not (seen with Lock and RLock)
    for args in candidates:
        expected, observed = spec_fn(*args), impl_fn(*args)
        if expected != observed:
            return ran, f"{spec_fn.__name__}{args}: spec {expected!r}, impl {observed!r}"
    return ran, None
