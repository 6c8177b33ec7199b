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
from dataclasses import dataclass, replace
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
    per_thread: tuple[int, ...]
    """How many bodies each thread makes (one entry per thread)."""
    reduction: bool = False
    """Explore with the scheduler's sleep sets instead of naively. No row uses them: they are
    blind to races on plain Python data between two lock operations, and (at the time of
    writing) miss orders of two threads' operations on one lock; see the report of s5-D."""
    line_switches: bool = False
    """Switch at every line of the module under test too (naive, within ``preemptions``)."""
    preemptions: int | None = None

    @property
    def key(self) -> str:
        """The subject's name in replay strings."""
        return f"{self.name}@lines" if self.line_switches else self.name

    @property
    def bound(self) -> str:
        size = max(len(b) for b in self.bodies)
        unit = "calls" if size == 1 else f"bodies of {size} calls"
        counts = sorted(set(self.per_thread))
        each = "+".join(map(str, self.per_thread)) if len(counts) > 1 else str(counts[0])
        each += f" {unit}"
        how = "sleep sets" if self.reduction else "naive"
        if self.line_switches:
            how = "a switch at every line"
        if self.preemptions is not None:
            how += f", <= {self.preemptions} preemption(s)"
        return f"{len(self.per_thread)} threads x {each}, {how}"

    def programs(self) -> Iterator[Program]:
        """Every program within the bound; threads making as many bodies are interchangeable, so
        their sequences are taken in order (one program per multiset)."""
        lengths = sorted(set(self.per_thread))
        groups = []
        for n in lengths:
            sequences = list(itertools.product(self.bodies, repeat=n))
            width = self.per_thread.count(n)
            groups.append([[sequences[i] for i in c] for c in
                           itertools.combinations_with_replacement(range(len(sequences)), width)])
        for chosen in itertools.product(*groups):
            pools = {n: list(g) for n, g in zip(lengths, chosen, strict=True)}
            threads = [pools[n].pop(0) for n in self.per_thread]
            yield tuple(tuple(t(k) for body in seq for t in body) for k, seq in enumerate(threads))


def singles(alphabet: tuple[Any, ...]) -> tuple[Body, ...]:
    """One body per call of an alphabet of templates."""
    return tuple((t,) for t in alphabet if isinstance(t, CallTemplate))


def bracketed(*middles: CallTemplate) -> tuple[Body, ...]:
    """Bodies that take the lock, make one call, and let the lock go."""
    return tuple((template("acquire"), m, template("release")) for m in middles)


LOCK_CALLS = singles(lock_scenarios.EXPLORATION_ALPHABET)
"""acquire(), acquire(False), acquire(timeout=E), release()."""
UNTIMED_LOCK_CALLS = tuple(b for b in LOCK_CALLS if not b[0].kwargs)
"""acquire(), acquire(False), release()."""

BOUND = 3
"""The preemption bound (CHESS) of the primitives built on a Condition: every schedule with at
most this many preemptions, explored naively (no reduction), which keeps each row to seconds."""

SUBJECTS: tuple[Subject, ...] = (
    Subject("Lock", spec_lock.SPEC, call(0, "__init__"), lambda m: m.Lock(), LOCK_CALLS, (2, 2)),
    Subject("RLock", spec_rlock.SPEC, call(0, "__init__"), lambda m: m.RLock(), UNTIMED_LOCK_CALLS, (3, 3)),
    Subject(
        "Condition",
        spec_condition.SPEC,
        call(0, "__init__"),
        lambda m: m.Condition(),
        bracketed(template("wait"), template("wait", EXPIRING_TIMEOUT), template("notify")),
        (2, 1),
        preemptions=BOUND,
    ),
    Subject(
        "Semaphore", spec_semaphore.SEMAPHORE, call(0, "__init__", 1), lambda m: m.Semaphore(1),
        LOCK_CALLS, (2, 2), preemptions=BOUND,
    ),
    Subject(
        "BoundedSemaphore", spec_semaphore.BOUNDED, call(0, "__init__", 1), lambda m: m.BoundedSemaphore(1),
        LOCK_CALLS, (2, 2), preemptions=BOUND,
    ),
    Subject(
        "Event", spec_event.SPEC, call(0, "__init__"), lambda m: m.Event(),
        singles(event_scenarios.EXPLORATION_ALPHABET), (2, 2), preemptions=BOUND,
    ),
    Subject(
        "Barrier", spec_barrier.SPEC, call(0, "__init__", 2), lambda m: m.Barrier(2),
        singles(barrier_scenarios.EXPLORATION_ALPHABET), (2, 2), preemptions=BOUND,
    ),
)
"""The rows of every target, in order."""

PYTHON_RLOCK = Subject(
    spec_rlock.PYTHON_CLASS_SPEC.name,
    spec_rlock.PYTHON_CLASS_SPEC,
    call(0, "__init__"),
    lambda m: m._PyRLock(),
    UNTIMED_LOCK_CALLS,
    (3, 3),
)
"""A threading module's Python RLock class (``threading._PyRLock``), which its ``RLock()``
does not return when ``_thread`` has an RLock of its own."""


LINE_SUBJECTS: tuple[Subject, ...] = (
    replace(SUBJECTS[2], line_switches=True, preemptions=1),
    replace(SUBJECTS[5], bodies=singles((template("wait"), template("set"), template("clear"))),
            line_switches=True, preemptions=1),
)
"""Condition and Event again, with a switch at every line of a threading.py: a window between
two statements with no ``_thread`` call between them (a waiter enlisted just after the lock is
released, a flag set just after the lock is let go) is reachable only so."""


def subjects_for(module: Any, line_switches: bool = False) -> tuple[Subject, ...]:
    """The subjects a module has: every primitive, and its Python RLock when it has one (with
    ``line_switches``: those explored with a switch at every line)."""
    if line_switches:
        return LINE_SUBJECTS
    return (*SUBJECTS, PYTHON_RLOCK) if hasattr(module, PYTHON_RLOCK.name) else SUBJECTS
