"""What documented strictness judges of arguments the documentation gives no meaning to (issue 12,
found triaging gevent and eventlet).

The documentation names no exception for a call outside a documented signature (``get_ident(1)``,
``Semaphore.locked()``, ``Lock(1)``), for a negative timeout other than -1 or a NaN, nor for an
``__exit__`` the with statement never makes (it always passes three arguments): what CPython does
there is its own reading. A library that accepts such a call, or answers it otherwise, deviates
from no documentation, so at documented strictness the run is not judged; at CPython strictness
each is as strict as before.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from conformance.checker import Checker, Observation, Violation
from spec import condition, condition_lock, lock, module, rlock, semaphore, thread
from spec.clauses import REGISTRY
from spec.profiles import Strictness, profile_for
from spec.values import Call, New, Outcome, Raised, Returned

DOC311 = profile_for("3.11", Strictness.DOCUMENTED)
CPY311 = profile_for("3.11", Strictness.CPYTHON)


def _last(
    spec: Any, strictness: Strictness, init: Call, steps: list[tuple[Call, Outcome]]
) -> Violation | None:
    """The checker's finding at the last of ``steps`` (each of thread 0, completed at once)."""
    ch = Checker(spec)
    assert ch.created(profile_for("3.11", strictness), init, Returned(None), (), (), 0.0) is None
    found = None
    for t, (c, outcome) in enumerate(steps):
        assert found is None, "a finding before the last step"
        ch.invoked(c, float(t))
        mro = (outcome.exc, "Exception", "BaseException", "object") if isinstance(outcome, Raised) else ()
        found = ch.completed(Observation(0, outcome, float(t), mro))
    return found


def _not_judged(v: Violation | None, clause: str) -> bool:
    reason = f"not judged: the run reached behaviour that only {clause}"
    return v is not None and v.clause is None and v.observed.startswith(reason)


LOCKS = [(lock.SPEC, Call(0, "__init__"), lock.ACQUIRE_UNDOCUMENTED_TIMEOUT_RAISES),
         (rlock.SPEC, Call(0, "__init__"), rlock.ACQUIRE_UNDOCUMENTED_TIMEOUT_RAISES),
         (condition.SPEC, Call(0, "__init__", (New("Lock"),)),
          condition_lock.ACQUIRE_UNDOCUMENTED_TIMEOUT_RAISES)]


@pytest.mark.parametrize(("spec", "init", "clause"), LOCKS)
@pytest.mark.parametrize(("timeout", "observed"), [(math.nan, Returned(True)), (-2, Returned(True)),
                                                   (-(10**400), Raised("ValueError")),
                                                   (-math.inf, Raised("ValueError")), (None, Returned(True)),
                                                   ("1", Returned(True))])
def test_acquire_with_a_timeout_the_documentation_gives_no_meaning_is_not_judged(
    spec: Any, init: Call, clause: str, timeout: float, observed: Outcome
) -> None:
    """gevent's and eventlet's acquire(timeout=nan) of a free lock returns True; gevent's
    acquire(timeout=-10**400) raises ValueError, CPython's OverflowError; gevent's RLock takes
    acquire(True, None) for no timeout."""
    steps = [(Call(0, "acquire", (), (("timeout", timeout),)), observed)]
    documented = _last(spec, Strictness.DOCUMENTED, init, steps)
    if isinstance(observed, Raised):  # any exception: the documentation names none there
        assert documented is None
    else:
        assert _not_judged(documented, clause)
    cpy = _last(spec, Strictness.CPYTHON, init, steps)
    assert cpy is not None and cpy.clause == clause


@pytest.mark.parametrize(("spec", "init", "clause"), LOCKS)
@pytest.mark.parametrize("timeout", [math.inf, 10**400])
def test_a_timeout_above_timeout_max_still_raises_overflowerror_at_documented_strictness(
    spec: Any, init: Call, clause: str, timeout: float
) -> None:
    """"Specifying a timeout greater than this value will raise an OverflowError": documented."""
    steps = [(Call(0, "acquire", (), (("timeout", timeout),)), Returned(True))]
    v = _last(spec, Strictness.DOCUMENTED, init, steps)
    assert v is not None and v.clause is not None and v.clause.endswith(".acquire.bad-timeout-raises")
    assert REGISTRY[v.clause].applies_to(DOC311)


@pytest.mark.parametrize(("spec", "init", "clause"), LOCKS)
def test_which_of_two_documented_errors_a_call_raises_is_not_documented(
    spec: Any, init: Call, clause: str
) -> None:
    """acquire(False, 10**400) is forbidden (a timeout with blocking False) and above TIMEOUT_MAX
    (OverflowError): CPython converts the timeout first (OverflowError), gevent checks blocking
    first (ValueError). At documented strictness either; at CPython's, OverflowError."""
    steps = [(Call(0, "acquire", (False, 10**400)), Raised("ValueError"))]
    assert _last(spec, Strictness.DOCUMENTED, init, steps) is None
    cpy = _last(spec, Strictness.CPYTHON, init, steps)
    assert cpy is not None and cpy.clause is not None and cpy.clause.endswith(".acquire.bad-timeout-raises")
    steps = [(Call(0, "acquire", (False, 10**400)), Returned(False))]  # but it raises
    assert _last(spec, Strictness.DOCUMENTED, init, steps) is not None


@pytest.mark.parametrize("args", [(), (None, None), (None, None, None, None)])
def test_a_condition_exit_the_with_statement_never_makes_is_not_judged(args: tuple[None, ...]) -> None:
    """gevent's and eventlet's Condition(Lock()).__exit__() raises TypeError (their lock's
    __exit__ takes exactly three arguments); CPython's C lock takes any."""
    init = Call(0, "__init__", (New("Lock"),))
    steps = [(Call(0, "acquire"), Returned(True)), (Call(0, "__exit__", args), Raised("TypeError"))]
    assert _not_judged(_last(condition.SPEC, Strictness.DOCUMENTED, init, steps),
                       condition_lock.WITH_EXIT_ARGUMENTS)
    cpy = _last(condition.SPEC, Strictness.CPYTHON, init, steps)
    assert cpy is not None and cpy.clause == condition_lock.WITH_EXIT_ARGUMENTS
    # the with statement's own call is judged at documented strictness
    steps[-1] = (Call(0, "__exit__", (None, None, None)), Raised("TypeError"))
    v = _last(condition.SPEC, Strictness.DOCUMENTED, init, steps)
    assert v is not None and v.clause == condition_lock.WITH_ACQUIRES_AND_RELEASES


def test_a_method_the_documentation_does_not_give_is_not_judged() -> None:
    """gevent.lock.Semaphore has a locked() method: an extension, not a deviation."""
    steps = [(Call(0, "locked"), Returned(False))]
    init = Call(0, "__init__", (1,))
    assert _not_judged(_last(semaphore.SPEC, Strictness.DOCUMENTED, init, steps),
                       semaphore.CALL_BAD_ARGUMENTS_RAISE_TYPEERROR)
    cpy = _last(semaphore.SPEC, Strictness.CPYTHON, init, steps)
    assert cpy is not None and cpy.clause == semaphore.CALL_BAD_ARGUMENTS_RAISE_TYPEERROR


ARGUMENT_CLAUSES = [
    "Lock.init.no-arguments", "Lock.call.bad-arguments-raise-typeerror",
    "RLock.call.bad-arguments-raise-typeerror",
    "Condition.call.bad-arguments-raise-typeerror", "Semaphore.call.bad-arguments-raise-typeerror",
    "Event.call.bad-arguments-raise-typeerror", "Barrier.call.bad-arguments-raise-typeerror",
    "Thread.init.bad-arguments-raise-typeerror", "Thread.call.bad-arguments",
    "Timer.init.bad-arguments-raise-typeerror", "local.call.bad-arguments",
    "module.call.bad-name-or-arguments",
]


@pytest.mark.parametrize("clause", ARGUMENT_CLAUSES)
def test_python_s_argument_conventions_are_cpython_s_reading(clause: str) -> None:
    """gevent's and eventlet's get_ident(1) returns an ident (their get_ident takes an optional
    greenlet): the documented signature says what the call takes, not that more raises."""
    assert REGISTRY[clause].applies_to(CPY311) and not REGISTRY[clause].applies_to(DOC311)


def test_the_argument_clauses_are_those_the_spec_cites() -> None:
    cited = {lock.INIT_NO_ARGUMENTS, lock.CALL_BAD_ARGUMENTS_RAISE_TYPEERROR,
             rlock.CALL_BAD_ARGUMENTS_RAISE_TYPEERROR,
             semaphore.CALL_BAD_ARGUMENTS_RAISE_TYPEERROR, thread.CALL_BAD_ARGUMENTS,
             thread.INIT_BAD_ARGUMENTS_RAISE_TYPEERROR, module.CALL_BAD_NAME_OR_ARGUMENTS}
    assert cited <= set(ARGUMENT_CLAUSES)
