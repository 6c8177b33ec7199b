"""``stack_size`` where changing the stack size is unsupported (``spec.module``): the first call
that would change it may raise instead of returning, and then every call raises; once one
returned, none may raise."""

from __future__ import annotations

import pytest

from spec import module, thread
from spec.clauses import REGISTRY
from spec.profiles import PY27, PY311
from spec.values import Gate, Raised, Returned, call
from tests.spec.helpers import blocked, done, fresh


def _first(profile, size=None):
    s = fresh(thread.SPEC, target=Gate(1), profile=profile)
    args = () if size is None else (size,)
    return blocked(thread.invoke(s, call(1, "module.stack_size", *args))).state


@pytest.mark.parametrize("profile,exc", [(PY311, "RuntimeError"), (PY27, "ThreadError")])
@pytest.mark.parametrize("size", [None, 0, 65536])
def test_the_first_call_returns_or_raises_as_where_it_is_unsupported(profile, exc, size) -> None:
    steps = list(thread.wakeups(_first(profile, size)))
    assert [(st.outcome, st.clause) for st in steps] == [
        (Returned(module.ANY_INT), module.STACK_SIZE_RETURNS_OLD_SIZE),
        (Raised(exc), module.STACK_SIZE_UNSUPPORTED_RAISES),
    ]


@pytest.mark.parametrize("size", [None, 0, 32768, 262144])
def test_once_unsupported_every_size_change_raises(size) -> None:
    (raised,) = [st for st in thread.wakeups(_first(PY311, 65536)) if isinstance(st.outcome, Raised)]
    args = () if size is None else (size,)
    r = done(thread.invoke(raised.state, call(2, "module.stack_size", *args)))
    assert r.outcome == Raised("RuntimeError") and r.clause == module.STACK_SIZE_UNSUPPORTED_RAISES


def test_once_supported_no_call_raises_as_unsupported() -> None:
    (returned,) = [st for st in thread.wakeups(_first(PY311, 65536)) if isinstance(st.outcome, Returned)]
    r = done(thread.invoke(returned.state, call(2, "module.stack_size", 32768)))
    assert r.outcome == Returned(65536) and r.clause == module.STACK_SIZE_RETURNS_OLD_SIZE


def test_two_undecided_calls_decide_together() -> None:
    s = _first(PY311, 65536)
    s = blocked(thread.invoke(s, call(2, "module.stack_size", 32768))).state
    for first in thread.wakeups(s):
        (second,) = list(thread.wakeups(first.state))  # the second call follows the first's answer
        assert type(second.outcome) is type(first.outcome)


def test_the_clause_says_why_no_target_here_reaches_it() -> None:
    assert "supports changing the stack size" in REGISTRY[module.STACK_SIZE_UNSUPPORTED_RAISES].unexercisable
