"""impl: a readable drop-in replacement for the running interpreter's ``threading``.

``import impl as threading`` gives the same public names (those of the running
version: 3.11, 3.12 or 3.13), with the same signatures, defaults, exceptions,
``DeprecationWarning``\\ s and ``with`` support. ``Lock`` is ``_thread``'s
primitive lock, as the documentation says; everything else is written in
Python on top of ``_thread``, one module per primitive, mirroring ``spec/``:

=====================  ===============================================
``impl.lock``          Lock (the interpreter's own)
``impl.rlock``         RLock
``impl.condition``     Condition
``impl.semaphore``     Semaphore, BoundedSemaphore
``impl.event``         Event
``impl.barrier``       Barrier, BrokenBarrierError
``impl.thread``        Thread, Timer, the module functions, excepthook,
                       interpreter shutdown and fork
``impl.local``         local
=====================  ===============================================

Non-daemon impl threads keep the program alive at exit: see ``impl.thread``
for how impl hooks into the interpreter's shutdown.
"""

import sys
from weakref import WeakSet as WeakSet  # threading's, imported under a public name

from impl.barrier import Barrier, BrokenBarrierError
from impl.condition import Condition
from impl.event import Event
from impl.local import local
from impl.lock import TIMEOUT_MAX, Lock, ThreadError
from impl.rlock import RLock
from impl.semaphore import BoundedSemaphore, Semaphore
from impl.thread import (
    ExceptHookArgs,
    Thread,
    Timer,
    active_count,
    current_thread,
    enumerate,
    excepthook,
    get_ident,
    get_native_id,
    getprofile,
    gettrace,
    main_thread,
    setprofile,
    settrace,
    stack_size,
)

# Deprecated camelCase aliases (they emit DeprecationWarning), not in __all__:
from impl.thread import activeCount as activeCount  # isort: skip
from impl.thread import currentThread as currentThread  # isort: skip

# CPython-internal names that other standard modules use: concurrent.futures
# calls _register_atexit, multiprocessing calls _shutdown and reads
# _HAVE_THREAD_NATIVE_ID, test.support reads _dangling, _active and _limbo:
from impl.thread import _HAVE_THREAD_NATIVE_ID as _HAVE_THREAD_NATIVE_ID  # isort: skip
from impl.thread import __excepthook__ as __excepthook__  # isort: skip
from impl.thread import _active as _active  # isort: skip
from impl.thread import _after_fork as _after_fork  # isort: skip
from impl.thread import _dangling as _dangling  # isort: skip
from impl.thread import _DummyThread as _DummyThread  # isort: skip
from impl.thread import _limbo as _limbo  # isort: skip
from impl.thread import _MainThread as _MainThread  # isort: skip
from impl.thread import _register_atexit as _register_atexit  # isort: skip
from impl.thread import _shutdown as _shutdown  # isort: skip

__all__ = [
    "get_ident",
    "active_count",
    "Condition",
    "current_thread",
    "enumerate",
    "main_thread",
    "TIMEOUT_MAX",
    "Event",
    "Lock",
    "RLock",
    "Semaphore",
    "BoundedSemaphore",
    "Thread",
    "Barrier",
    "BrokenBarrierError",
    "Timer",
    "ThreadError",
    "setprofile",
    "settrace",
    "local",
    "stack_size",
    "excepthook",
    "ExceptHookArgs",
    "gettrace",
    "getprofile",
]

# Names that the running version's threading has and others do not: its
# ``__all__`` additions, and modules it happens to import under public names
# (kept so that ``dir(impl)`` lists exactly what ``dir(threading)`` lists).
if sys.version_info >= (3, 12):
    from impl.thread import setprofile_all_threads as setprofile_all_threads
    from impl.thread import settrace_all_threads as settrace_all_threads

    __all__ += ["setprofile_all_threads", "settrace_all_threads"]
__all__ += ["get_native_id"]
if sys.version_info >= (3, 13):
    import warnings as warnings
else:
    import functools as functools

for _class in (
    Barrier,
    BoundedSemaphore,
    BrokenBarrierError,
    Condition,
    Event,
    RLock,
    Semaphore,
    Thread,
    Timer,
    local,
):
    _class.__module__ = __name__  # so that reprs say impl.Event, like threading.Event

# The submodules stay importable (``impl.lock``…); their names are dropped from
# the package so that its public names are exactly threading's. (``impl.local``
# is the class, as ``threading.local`` is.)
for _submodule in ("lock", "rlock", "condition", "semaphore", "event", "barrier", "thread"):
    globals().pop(_submodule, None)
del _class, _submodule, sys
