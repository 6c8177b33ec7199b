"""Scenarios and random-schedule alphabets for ``local`` and the agent's ``LocalSubclass``.

Written to catch the bugs a seeded threading.py would have: values shared between threads,
a deleted attribute removed for every thread, reading an unset attribute not raising,
``local`` accepting constructor arguments, and a subclass whose ``__init__`` does not run
again, with the constructor's arguments, in each thread that uses the object.
"""

from __future__ import annotations

from conformance.scenario import Scenario
from conformance.scenarios import Generator
from spec import local
from spec.values import Call, CallTemplate, call, template

INIT = call(0, "__init__")

SUBCLASS_INIT = call(0, "__init__", 5, "five")
"""A ``LocalSubclass`` whose ``__init__`` stores ``(5, "five")`` as ``args``."""


def scenario(name: str, steps: tuple[Call, ...], covers: tuple[str, ...], init: Call = INIT,
             primitive: str = local.PRIMITIVE) -> Scenario:
    """A scenario of a ``local`` (or, with ``primitive``, of the agent's subclass)."""
    return Scenario(name, primitive, init, steps, covers)


def subclass_scenario(name: str, steps: tuple[Call, ...], covers: tuple[str, ...],
                      init: Call = SUBCLASS_INIT) -> Scenario:
    return scenario(name, steps, covers, init, local.SUBCLASS_PRIMITIVE)


LOCAL_SCENARIOS: tuple[Scenario, ...] = (
    scenario(
        "local_attribute_unset_raises",
        (call(0, "get:x"), call(0, "del:x")),
        (local.INIT_CREATED_EMPTY, local.GET_UNSET_RAISES_ATTRIBUTEERROR, local.DEL_REMOVES_OWN_VALUE),
    ),
    scenario(
        "local_values_are_per_thread",
        (
            call(0, "set:x", 1),
            call(0, "get:x"),
            call(1, "get:x"),
            call(1, "set:x", 2),
            call(0, "get:x"),
            call(1, "get:x"),
            call(1, "del:x"),
            call(1, "get:x"),
            call(1, "del:x"),
            call(0, "get:x"),
        ),
        (local.SET_PER_THREAD, local.GET_OWN_VALUE, local.GET_UNSET_RAISES_ATTRIBUTEERROR,
         local.DEL_REMOVES_OWN_VALUE),
    ),
    scenario("local_takes_no_arguments", (), (local.INIT_NO_ARGUMENTS,), init=call(0, "__init__", 1)),
    scenario("local_has_no_methods", (call(0, "acquire"), call(0, "get:x")), (local.CALL_BAD_ARGUMENTS,)),
)

LOCAL_SUBCLASS_SCENARIOS: tuple[Scenario, ...] = (
    subclass_scenario(
        "local_subclass_init_runs_in_each_thread",
        (
            call(1, "get:args"),
            call(2, "get:x"),
            call(2, "get:args"),
            call(1, "set:args", 7),
            call(1, "get:args"),
            call(2, "get:args"),
            call(3, "set:x", 1),
            call(3, "get:args"),
            call(0, "del:args"),
            call(0, "get:args"),
        ),
        (local.LOCAL_SUBCLASS_INIT_CREATED, local.LOCAL_SUBCLASS_INIT_RUNS_IN_EACH_THREAD,
         local.GET_OWN_VALUE, local.SET_PER_THREAD, local.DEL_REMOVES_OWN_VALUE,
         local.GET_UNSET_RAISES_ATTRIBUTEERROR),
    ),
    subclass_scenario(
        "local_subclass_without_arguments",
        (call(1, "get:args"), call(2, "get:args")),
        (local.LOCAL_SUBCLASS_INIT_CREATED, local.LOCAL_SUBCLASS_INIT_RUNS_IN_EACH_THREAD),
        init=call(0, "__init__"),
    ),
    subclass_scenario(
        "local_subclass_rejects_keyword_arguments",
        (),
        (local.LOCAL_SUBCLASS_INIT_CREATED,),
        init=call(0, "__init__", size=5),
    ),
)

SCENARIOS: tuple[Scenario, ...] = LOCAL_SCENARIOS + LOCAL_SUBCLASS_SCENARIOS

ALPHABET: tuple[CallTemplate, ...] = (
    template("get:x"),
    template("set:x", 1),
    template("set:x", 2),
    template("del:x"),
    template("get:y"),
)
"""Attribute calls, of an attribute set twice over and of one never set."""

SUBCLASS_ALPHABET: tuple[CallTemplate, ...] = (
    template("get:args"),
    template("set:args", 1),
    template("del:args"),
    template("get:x"),
    template("set:x", 2),
)
"""As ``ALPHABET``, and the ``args`` that the subclass's ``__init__`` stores."""

GENERATORS: tuple[Generator, ...] = (
    Generator(local.PRIMITIVE, INIT, ALPHABET),
    Generator(local.SUBCLASS_PRIMITIVE, SUBCLASS_INIT, SUBCLASS_ALPHABET),
)

EXPLORED_ALPHABET: tuple[CallTemplate, ...] = (template("get:x"), template("set:x", 1), template("del:x"))
"""The alphabet ``tests/spec`` explores exhaustively (its state count is pinned there)."""

EXPLORED_SUBCLASS_ALPHABET: tuple[CallTemplate, ...] = SUBCLASS_ALPHABET[:4]
"""The subclass's alphabet without ``set:x``, explored exhaustively in ``tests/spec``."""

AGREEMENT_ALPHABET: tuple[CallTemplate, ...] = tuple(
    template(op, *args)
    for name in ("x", "y")
    for op, args in ((f"get:{name}", ()), (f"set:{name}", (1,)), (f"set:{name}", ("v",)), (f"del:{name}", ()))
)
"""The calls that impl's local agreement test draws from: two attributes, each read, set to
two values and deleted."""
