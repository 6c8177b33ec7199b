"""What the refinement rows explore: each primitive, the calls its threads make, and the bounds.

A *program* is one object of a primitive, made by the constructor call ``init``, and
``threads`` worker threads, each making ``per_thread`` *bodies* one after the other;
a body is a short sequence of calls drawn from the primitive's exploration alphabet
(``conformance/scenarios/<primitive>.py``), and for a Condition a bracketed one
(acquire, one call, release) so that its calls are made with the lock held. Every
program within the bound is explored, up to the symmetry of threads (thread 0's
sequence of bodies is never after thread 1's in the order of ``programs``), and each
under every interleaving the scheduler reaches.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from conformance.scenarios import barrier as barrier_scenarios
from conformance.scenarios import event as event_scenarios
from conformance.scenarios import lock as lock_scenarios
from conformance.timeouts import EXPIRING_TIMEOUT
from spec import barrier as spec_barrier
from spec import condition as spec_condition
from spec import event as spec_event
from spec import lock as spec_lock
from spec import rlock as spec_rlock
from spec import semaphore as spec_semaphore
from spec.core import PrimitiveSpec
from spec.values import Call, CallTemplate, call, template

Body = tuple[CallTemplate, ...]
Program = tuple[tuple[Call, ...], ...]
"""The calls of each worker thread, thread ``k``'s at index ``k``."""


@dataclass(frozen=True)
class Subject:
    """One primitive under refinement: its spec, how a module makes it, the bodies and bounds."""

    name: str
    spec: PrimitiveSpec[Any]
    init: Call
    make: Callable[[Any], Any]
    """Builds the object from the module under test (impl, or a threading module)."""
    bodies: tuple[Body, ...]
    threads: int
    per_thread: int

    @property
    def bound(self) -> str:
        calls = max(len(b) for b in self.bodies) * self.per_thread
        unit = "call" if all(len(b) == 1 for b in self.bodies) else "body"
        n = self.per_thread
        return f"{self.threads} threads x {n} {unit}{'s' if n > 1 else ''} (<= {calls} calls)"

    def programs(self) -> Iterator[Program]:
        """Every program within the bound, one per multiset of thread sequences."""
        sequences = list(itertools.product(self.bodies, repeat=self.per_thread))
        for chosen in itertools.combinations_with_replacement(range(len(sequences)), self.threads):
            yield tuple(
                tuple(t(k) for body in sequences[i] for t in body) for k, i in enumerate(chosen)
            )


def singles(alphabet: tuple[Any, ...]) -> tuple[Body, ...]:
    """One body per call of an alphabet of templates."""
    return tuple((t,) for t in alphabet if isinstance(t, CallTemplate))


def bracketed(*middles: CallTemplate) -> tuple[Body, ...]:
    """Bodies that take the lock, make one call, and let the lock go."""
    return tuple((template("acquire"), m, template("release")) for m in middles)


LOCK_CALLS = singles(lock_scenarios.EXPLORATION_ALPHABET)
"""acquire(), acquire(False), acquire(timeout=E), release()."""

SUBJECTS: tuple[Subject, ...] = (
    Subject("Lock", spec_lock.SPEC, call(0, "__init__"), lambda m: m.Lock(), LOCK_CALLS, 2, 2),
    Subject("RLock", spec_rlock.SPEC, call(0, "__init__"), lambda m: m.RLock(), LOCK_CALLS, 2, 2),
    Subject(
        "Condition",
        spec_condition.SPEC,
        call(0, "__init__"),
        lambda m: m.Condition(),
        bracketed(
            template("wait"), template("wait", EXPIRING_TIMEOUT), template("notify"), template("notify_all")
        ),
        2,
        2,
    ),
    Subject(
        "Semaphore", spec_semaphore.SEMAPHORE, call(0, "__init__", 1), lambda m: m.Semaphore(1),
        LOCK_CALLS, 2, 2,
    ),
    Subject(
        "BoundedSemaphore",
        spec_semaphore.BOUNDED,
        call(0, "__init__", 1),
        lambda m: m.BoundedSemaphore(1),
        LOCK_CALLS,
        2,
        2,
    ),
    Subject(
        "Event", spec_event.SPEC, call(0, "__init__"), lambda m: m.Event(),
        singles(event_scenarios.EXPLORATION_ALPHABET), 2, 2,
    ),
    Subject(
        "Barrier", spec_barrier.SPEC, call(0, "__init__", 2), lambda m: m.Barrier(2),
        singles(barrier_scenarios.EXPLORATION_ALPHABET), 2, 2,
    ),
)
"""The rows of every target, in order."""

PYTHON_RLOCK = Subject(
    spec_rlock.PYTHON_CLASS_SPEC.name,
    spec_rlock.PYTHON_CLASS_SPEC,
    call(0, "__init__"),
    lambda m: m._PyRLock(),
    LOCK_CALLS,
    2,
    2,
)
"""A threading module's Python RLock class (``threading._PyRLock``), which its ``RLock()``
does not return when ``_thread`` has an RLock of its own."""


def subjects_for(module: Any) -> tuple[Subject, ...]:
    """The subjects a module has: every primitive, and its Python RLock when it has one."""
    return (*SUBJECTS, PYTHON_RLOCK) if hasattr(module, PYTHON_RLOCK.name) else SUBJECTS
