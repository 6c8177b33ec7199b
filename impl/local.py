"""local: attributes whose values are private to each thread, dropped when the thread ends.

How a thread's end is noticed: every OS thread that touches impl gets one
``ThreadKey``, kept in the interpreter's own per-thread storage (a
``_thread._local``), which the interpreter empties when the thread's state is
deleted. The key then dies, and its ``__del__`` drops that thread's namespace
from every ``local`` it used and runs the thread's exit callbacks. This works
for every thread, whoever started it, and happens before ``join()`` returns.

How a thread sees its own attributes: each ``local`` keeps one namespace (a
dict) per thread; every attribute access installs the calling thread's
namespace as the object's ``__dict__``, under a lock, before Python looks the
attribute up, so class attributes, properties and methods work as usual.
"""

from __future__ import annotations

import _thread
import weakref
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from impl.rlock import RLock

if TYPE_CHECKING:
    from spec import local as spec_local
    from spec.values import ThreadId

_storage = _thread._local()
"""The interpreter's per-thread storage; it holds each thread's ``ThreadKey``."""


class ThreadKey:
    """Lives exactly as long as the OS thread that made it; its death is that thread's end."""

    __slots__ = ("namespaces", "exit_callbacks", "__weakref__")

    def __init__(self) -> None:
        self.namespaces: dict[int, weakref.ref[LocalState]] = {}
        """The ``local`` objects holding a namespace of this thread, by ``id``."""
        self.exit_callbacks: list[Callable[[], object]] = []

    def __del__(self) -> None:
        for state_ref in list(self.namespaces.values()):
            state = state_ref()
            if state is not None:
                state.forget(id(self))
        for callback in self.exit_callbacks:
            callback()


def current_key() -> ThreadKey:
    """The calling thread's key, made on first use."""
    try:
        key: ThreadKey = _storage.key
    except AttributeError:
        key = _storage.key = ThreadKey()
    return key


def call_at_thread_exit(callback: Callable[[], object]) -> None:
    """Call ``callback()`` once the calling thread has ended (as its state is deleted).

    The callback runs in that thread, in its last moments, or during interpreter
    finalization for the main thread; it must not block, and exceptions from it
    are reported as unraisable.
    """
    current_key().exit_callbacks.append(callback)


class LocalState:
    """What a ``local`` object knows: one namespace per thread, and its constructor arguments."""

    __slots__ = ("owner", "namespaces", "idents", "args", "kwargs", "lock", "__weakref__")

    def __init__(self, owner: local, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        self.owner = weakref.ref(owner)
        self.namespaces: dict[int, dict[str, Any]] = {}
        """Each thread's namespace, by ``id`` of the thread's key."""
        self.idents: dict[int, int] = {}
        """Each namespace's thread, by ``id`` of the thread's key (for ``_spec_state``)."""
        self.args = args
        self.kwargs = kwargs
        self.lock = RLock()

    def namespace(self) -> tuple[dict[str, Any], bool]:
        """The calling thread's namespace, and whether it has just been made."""
        key = current_key()
        namespace = self.namespaces.get(id(key))
        if namespace is not None:
            return namespace, False
        namespace = self.namespaces[id(key)] = {}
        self.idents[id(key)] = _thread.get_ident()
        # The key learns of this namespace too, weakly both ways: neither may keep
        # the other alive, so that each goes away with its thread or its object.
        state_id = id(self)
        key_ref = weakref.ref(key)

        def forget(_: object) -> None:  # this local object died before the thread
            still_alive = key_ref()
            if still_alive is not None:
                still_alive.namespaces.pop(state_id, None)

        key.namespaces[state_id] = weakref.ref(self, forget)
        return namespace, True

    def forget(self, key_id: int) -> None:
        """Drop the namespace of a thread that has ended (its key's ``id`` is ``key_id``)."""
        with self.lock:
            namespace = self.namespaces.pop(key_id, None)
            self.idents.pop(key_id, None)
            owner = self.owner()
            # The object's __dict__ is still the namespace of the last thread that
            # used it: if that is this thread's, replace it, or it would live on.
            if owner is not None and object.__getattribute__(owner, "__dict__") is namespace:
                object.__setattr__(owner, "__dict__", {})


class local:
    """An object whose attributes each thread sets and sees separately.

    ``mydata = local(); mydata.x = 1`` in one thread does not change ``mydata.x``
    as another thread sees it (there it is still unset). A subclass may define
    ``__init__``: it runs once in each thread that uses the object, with the
    arguments that the object was created with. A thread's values are dropped
    when the thread ends (before ``join()`` on it returns).

    Differences from CPython's ``threading.local``: it is written in Python (CPython
    uses the C ``_thread._local``); behaviour is the same.

    Raises:
      TypeError: arguments given to a class that does not define ``__init__``.
      AttributeError: on assigning or deleting ``__dict__``.
    """

    __slots__ = ("_local__state", "__dict__", "__weakref__")

    def __new__(cls, *args: Any, **kwargs: Any) -> local:
        if (args or kwargs) and cls.__init__ is object.__init__:
            raise TypeError("Initialization arguments are not supported")
        self = object.__new__(cls)
        state = LocalState(self, args, kwargs)
        object.__setattr__(self, "_local__state", state)
        # The creating thread's namespace: Python calls __init__ on it next.
        namespace, _ = state.namespace()
        object.__setattr__(self, "__dict__", namespace)
        return self

    def __getattribute__(self, name: str) -> Any:
        state: LocalState = object.__getattribute__(self, "_local__state")
        with state.lock:
            _enter(self, state)
            return object.__getattribute__(self, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "__dict__":
            raise AttributeError(f"{type(self).__name__!r} object attribute '__dict__' is read-only")
        state: LocalState = object.__getattribute__(self, "_local__state")
        with state.lock:
            _enter(self, state)
            object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        if name == "__dict__":
            raise AttributeError(f"{type(self).__name__!r} object attribute '__dict__' is read-only")
        state: LocalState = object.__getattribute__(self, "_local__state")
        with state.lock:
            _enter(self, state)
            object.__delattr__(self, name)

    def _spec_state(self, threads: Mapping[int, ThreadId]) -> spec_local.State:
        """The spec's abstract state: the plain attributes of each thread in ``threads``
        (OS thread idents to the spec's thread ids) that has a namespace here."""
        from impl.lock import spec_profile
        from spec import local as spec_local

        state: LocalState = object.__getattribute__(self, "_local__state")
        with state.lock:
            values = [
                ((threads[state.idents[key_id]], name), value)
                for key_id, namespace in state.namespaces.items()
                if state.idents.get(key_id) in threads
                for name, value in namespace.items()
                if not name.startswith("_")
            ]
        return spec_local.State(spec_profile(), tuple(sorted(values)))


def _enter(obj: local, state: LocalState) -> None:
    """Install the calling thread's namespace as ``obj.__dict__`` (``state.lock`` is held).

    On the thread's first use, the namespace is new and ``__init__`` runs on it.
    """
    namespace, new = state.namespace()
    object.__setattr__(obj, "__dict__", namespace)
    if new:
        type(obj).__init__(obj, *state.args, **state.kwargs)
