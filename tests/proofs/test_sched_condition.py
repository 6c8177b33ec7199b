"""Condition bugs that only some interleavings show, found by the scheduler (impl and threading.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from proofs.sched import End, Env, explore, replay

MODULES = ["impl", "threading"]
"""impl, and the host's own threading.py loaded from its file."""

WAIT_TIMEOUT = 5.0
"""A timeout long enough that only a scheduling choice (never real time) makes it expire."""


def consumers(use_while: bool) -> Callable[[Env], Callable[[], object]]:
    """Two consumers wait for items that one producer puts, one at a time; with ``if`` instead
    of ``while`` around ``wait()``, a consumer that was notified can find the queue emptied by
    the other consumer, which came in before it got the lock back."""

    def program(env: Env) -> Callable[[], object]:
        cond = env.threading.Condition()
        items: list[int] = []
        got: list[int] = []

        def consumer() -> None:
            with cond:
                if use_while:
                    while not items:
                        cond.wait()
                elif not items:
                    cond.wait()
                got.append(items.pop())  # IndexError: pop from empty list

        def producer() -> None:
            for item in (1, 2):
                with cond:
                    items.append(item)
                    cond.notify()

        env.spawn(consumer, name="consumer 1")
        env.spawn(consumer, name="consumer 2")
        env.spawn(producer, name="producer")
        return lambda: tuple(sorted(got))

    return program


@pytest.mark.parametrize("module", MODULES)
def test_wait_in_a_while_loop_always_gets_an_item(module: str) -> None:
    result = explore(consumers(use_while=True), module=module)
    assert result.ok and result.complete and not result.deadlocks
    assert set(result.outcomes) == {(1, 2)}


@pytest.mark.parametrize("module", MODULES)
def test_wait_under_if_is_found_as_a_consumer_that_sees_an_empty_queue(module: str) -> None:
    result = explore(consumers(use_while=False), module=module)
    assert not result.ok
    failure = result.failures[0]
    assert "IndexError" in failure.message and "consumer" in failure.message
    run = replay(consumers(use_while=False), failure.schedule, module=module)
    assert run.end is End.FAILED and "IndexError" in run.failures[0].message


def notify_races_timeout(env: Env) -> Callable[[], object]:
    """The waiter's timeout can expire while the notifier is still able to run: the notifier then
    still finds the waiter waiting and notifies it, yet ``wait`` returns False."""
    cond = env.threading.Condition()
    waiting = [False]
    notified = [False]
    returned: list[bool] = []

    def waiter() -> None:
        with cond:
            waiting[0] = True
            returned.append(cond.wait(WAIT_TIMEOUT))
            waiting[0] = False

    def notifier() -> None:
        with cond:
            if waiting[0]:
                cond.notify()
                notified[0] = True

    env.spawn(waiter, name="waiter")
    env.spawn(notifier, name="notifier")

    def check() -> object:
        assert not notified[0] or returned[0], "notified while waiting, yet wait(timeout) returned False"
        return (notified[0], returned[0])

    return check


@pytest.mark.parametrize("module", MODULES)
def test_a_wait_timeout_that_races_a_notify_is_found(module: str) -> None:
    result = explore(notify_races_timeout, module=module)
    assert not result.ok
    assert set(result.outcomes) == {(True, True), (False, False)}  # (True, False) is the failure
    failure = result.failures[0]
    assert "returned False" in failure.message
    assert failure.schedule.count("B") >= 1  # the waiter's (thread 1's) timeout expired
    run = replay(notify_races_timeout, failure.schedule, module=module)
    assert run.end is End.FAILED and run.clock == WAIT_TIMEOUT
    assert any("timeout" in line for line in run.trace)
