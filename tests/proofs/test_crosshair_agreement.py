"""impl and the spec agree on single-thread scripts, asked symbolically (Hypothesis on the
CrossHair backend), and a seeded impl bug is found that way."""

from __future__ import annotations

import pytest

import impl
from proofs.crosshair.agreement import PAIRS, agree, spec_bounded_run

EXAMPLES = 10


@pytest.mark.parametrize("primitive", sorted(PAIRS))
def test_impl_agrees_with_the_spec(primitive: str) -> None:
    ran, disagreement = agree(primitive, EXAMPLES)
    assert disagreement is None
    assert ran > 0


def test_the_pairs_compare_outcomes_and_abstract_state() -> None:
    # BoundedSemaphore(1): release() refused, acquire(False), release(2) refused
    args = (1, 1, 1, 0, 0, 0, 3, 0, 1, 1, 2)
    outcomes, state = spec_bounded_run(*args)
    assert [repr(o) for o in outcomes] == ["raised ValueError", "returned True", "raised ValueError"]
    assert state.counter == 0 and state.bound == 1


def test_a_seeded_impl_bug_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    """BoundedSemaphore.release(n) that checks the bound only for n == 1."""

    def release(self: impl.BoundedSemaphore, n: int = 1) -> None:
        if n < 1:
            raise ValueError("n must be one or more")
        with self._lock:
            if n <= 1 and self._value + n > self._initial_value:
                raise ValueError("Semaphore released too many times")
            self._value += n
            self._cond.notify(n)

    monkeypatch.setattr(impl.BoundedSemaphore, "release", release)
    ran, disagreement = agree("BoundedSemaphore", 100)
    assert disagreement is not None and "raised ValueError" in disagreement, (ran, disagreement)
