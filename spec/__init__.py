"""Executable specification of Python's threading module, one state machine per primitive.

``PRIMITIVES`` maps each primitive's name to its ``PrimitiveSpec``; importing this
package fills the clause registry ``spec.clauses.REGISTRY``.
"""

from __future__ import annotations

from typing import Any

from spec import barrier, condition, event, local, lock, rlock, semaphore, thread
from spec.core import PrimitiveSpec

PRIMITIVES: dict[str, PrimitiveSpec[Any]] = {
    s.name: s
    for s in (
        lock.SPEC,
        rlock.SPEC,
        rlock.PYTHON_CLASS_SPEC,
        condition.SPEC,
        semaphore.SEMAPHORE,
        semaphore.BOUNDED,
        event.SPEC,
        barrier.SPEC,
        thread.SPEC,
        thread.TIMER_SPEC,
        thread.SUBCLASS_SPEC,
        local.LOCAL_SPEC,
        local.LOCAL_SUBCLASS_SPEC,
    )
}

__all__ = ["PRIMITIVES"]
