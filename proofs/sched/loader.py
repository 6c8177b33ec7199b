"""Load a fresh copy of a threading module against a controlled ``_thread`` and a virtual ``time``.

``load_into(runtime, "impl")`` re-imports every ``impl.*`` module;
``load_into(runtime, "threading", path)`` loads ``path/threading.py`` (default:
the host's own ``threading.py`` file). While the copy is imported,
``sys.modules`` maps ``_thread``, ``time``, ``os`` (the host's, without
``register_at_fork``) and ``threading`` (the copy itself) to the controlled
versions; afterwards every entry is put back, so the host's modules never see
the copy, and the copy never sees the host's ``_thread``.

``Snapshot`` records the copy's state right after loading (module globals, and
every container, instance and lock reachable from them) so that an exploration
can load once and reuse the copy for as long as a run leaves that state as it
found it, and reload when it does not.
"""

from __future__ import annotations

import ctypes
import gc
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import itertools
import os
import struct
import sys
from collections import deque
from collections.abc import Callable, Sequence
from enum import Enum
from keyword import iskeyword
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any
from weakref import WeakSet

from proofs.sched.cthread import CLocal, CLock, CRLock, make_thread_module, make_time_module
from proofs.sched.runtime import IMMEDIATE, Runtime

_CODE: dict[tuple[str, float], CodeType] = {}


def _code(path: str) -> CodeType:
    key = (path, os.stat(path).st_mtime)
    code = _CODE.get(key)
    if code is None:
        code = _CODE[key] = compile(Path(path).read_bytes(), path, "exec", dont_inherit=True)
    return code


def locate(module: str, path: str | Path | None) -> tuple[str, bool]:
    """The file of ``module`` (its ``__init__.py`` for a package) and whether it is a package."""
    if path is not None:
        p = Path(path)
        if p.is_file():
            return str(p), p.name == "__init__.py"
        if (p / module / "__init__.py").is_file():
            return str(p / module / "__init__.py"), True
        if (p / f"{module}.py").is_file():
            return str(p / f"{module}.py"), False
        raise FileNotFoundError(f"no {module}.py or {module}/__init__.py in {p}")
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(f"cannot find module {module!r}")
    return spec.origin, spec.submodule_search_locations is not None


class _OsWithoutForkHooks(ModuleType):
    """The host's ``os``, but ``register_at_fork`` registers nothing (a copy must not run in a child)."""

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    @staticmethod
    def register_at_fork(**kwargs: Any) -> None:
        return None


_OS = _OsWithoutForkHooks("os")


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves ``module`` and its submodules from their files, with cached code objects."""

    def __init__(self, module: str, origin: str, package: bool,
                 on_create: Callable[[ModuleType], None]) -> None:
        self.module = module
        self.origin = origin
        self.root = str(Path(origin).parent) if package else None
        self.package = package
        self.on_create = on_create
        self.created: list[str] = []

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
                  ) -> importlib.machinery.ModuleSpec | None:
        if fullname == self.module:
            origin, is_pkg = self.origin, self.package
        elif self.root is not None and fullname.startswith(self.module + "."):
            rel = Path(self.root, *fullname.split(".")[1:])
            if (rel / "__init__.py").is_file():
                origin, is_pkg = str(rel / "__init__.py"), True
            elif rel.with_suffix(".py").is_file():
                origin, is_pkg = str(rel.with_suffix(".py")), False
            else:
                return None
        else:
            return None
        spec = importlib.machinery.ModuleSpec(fullname, self, origin=origin, is_package=is_pkg)
        if is_pkg:
            spec.submodule_search_locations = [str(Path(origin).parent)]
        spec.has_location = True
        return spec

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        m = ModuleType(spec.name)
        self.created.append(spec.name)
        if spec.name == self.module:
            self.on_create(m)
        return m

    def exec_module(self, module: ModuleType) -> None:
        assert module.__spec__ is not None and module.__spec__.origin is not None
        module.__file__ = module.__spec__.origin
        exec(_code(module.__spec__.origin), module.__dict__)


def load_into(rt: Runtime, module: str = "impl", path: str | Path | None = None,
              c_rlock: bool = True) -> dict[str, ModuleType]:
    """Import a fresh copy of ``module`` bound to ``rt``; return every module of the copy by name."""
    origin, package = locate(module, path)
    thread_module = rt.thread_module = make_thread_module(rt, c_rlock)
    time_module = rt.time_module = make_time_module(rt)
    prefix = module + "."
    ours = [k for k in sys.modules if k.startswith(prefix)]
    names = ["_thread", "time", "os", "threading", module, *ours]
    saved = {k: sys.modules[k] for k in names if k in sys.modules}
    for k in [module, *ours]:
        sys.modules.pop(k, None)
    sys.modules["_thread"] = thread_module
    sys.modules["time"] = time_module
    sys.modules["os"] = _OS

    def on_create(m: ModuleType) -> None:
        sys.modules["threading"] = m  # the copy is the threading module while it loads

    finder = _Finder(module, origin, package, on_create)
    sys.meta_path.insert(0, finder)
    rt.mode = IMMEDIATE
    rt.current = rt.main
    rt.main.sentinels = []
    rt.load_epoch -= 1
    try:
        importlib.import_module(module)
        loaded = {k: sys.modules[k] for k in finder.created}
    finally:
        sys.meta_path.remove(finder)
        for k in {*names, *finder.created}:
            sys.modules.pop(k, None)
        sys.modules.update(saved)
    top = loaded[module]
    thread_impl = loaded.get(module + ".thread")
    if thread_impl is not None and hasattr(thread_impl, "_package"):
        thread_impl.__dict__["_package"] = lambda: top  # impl finds impl.excepthook through ``import impl``
    return loaded


# ---------------------------------------------------------------------------
# Snapshots of a loaded copy's state
# ---------------------------------------------------------------------------

_ATOMS = (int, float, str, bytes, bool, complex, type(None), range, type(Ellipsis), type(NotImplemented))
_COUNT = type(itertools.count())

_VERSION_OFFSET = {(3, 11): 24, (3, 12): 24, (3, 13): 24}.get(sys.version_info[:2])
"""Where a dict's ``ma_version_tag`` is (PEP 509: CPython gives a dict a new version at every change)."""


def _version_cell(d: dict[Any, Any]) -> ctypes.c_uint64:
    """The cell holding ``d``'s version (the caller keeps ``d`` alive as long as the cell)."""
    assert _VERSION_OFFSET is not None
    return ctypes.c_uint64.from_address(id(d) + _VERSION_OFFSET)


def _memory(address: int, size: int) -> memoryview:
    """A read-only view of ``size`` bytes of this process's memory from ``address``."""
    from_memory = ctypes.pythonapi.PyMemoryView_FromMemory
    from_memory.restype = ctypes.py_object
    from_memory.argtypes = [ctypes.c_void_p, ctypes.c_ssize_t, ctypes.c_int]
    view: memoryview = from_memory(address, size, 0x100)  # (0x100: PyBUF_READ)
    return view


class VersionReader:
    """Reads the versions of many dicts at once: ``read()`` is the sum of their versions.

    One ``struct`` unpacks the version fields from a read-only view of the memory between the first
    and the last (pad bytes skip everything in between, which is never read), and ``sum`` adds them:
    two C-level calls, a fifth of what a ``ctypes`` cell read per dict costs (the two are compared in
    ``tests/proofs/test_sched_fast.py``). A version only grows, so the dicts are unchanged exactly
    when the sum is. The caller keeps the dicts alive as long as the reader."""

    def __init__(self, dicts: Sequence[dict[Any, Any]]) -> None:
        assert _VERSION_OFFSET is not None
        fields = sorted({id(d) + _VERSION_OFFSET for d in dicts})
        if not fields:
            self.unpack: Callable[[memoryview], tuple[int, ...]] = lambda view: ()
            self.view = memoryview(b"")
            return
        low = fields[0]
        self.view = _memory(low, fields[-1] + 8 - low)
        ends = [low, *(f + 8 for f in fields[:-1])]
        layout = "".join(f"{f - end}xQ" for end, f in zip(ends, fields, strict=True))
        self.unpack = struct.Struct("=" + layout).unpack_from  # (native order, no alignment)

    def read(self) -> int:
        return sum(self.unpack(self.view))


def _versions_work() -> bool:
    """Whether dict versions can be read here: each kind of change a run could make to a module's
    globals or to a class gives a new, larger version (CPython takes it from one counter that
    only increases), and reading gives none. Checked, not assumed: on
    another interpreter (or layout) the snapshot compares the values instead."""
    if _VERSION_OFFSET is None or sys.implementation.name != "cpython":
        return False
    d: dict[str, Any] = {"a": 1, "b": 2}
    cell = _version_cell(d)
    seen = [cell.value]
    changes: list[Callable[[], object]] = [
        lambda: d.get("a"), lambda: d.__setitem__("a", 3), lambda: exec("global b\nb = 4", d),  # noqa: S102
        lambda: d.pop("b"), lambda: d.update(c=5), lambda: d.setdefault("e", 6), lambda: d.clear(),
    ]
    for change in changes:
        change()
        seen.append(cell.value)
    if seen[1] != seen[0] or any(b <= a for a, b in zip(seen[1:-1], seen[2:], strict=True)):
        return False  # (reading changed it, or a change did not increase it)
    cls = type("Probe", (), {"x": 1})
    (real,) = (r for r in gc.get_referents(cls.__dict__) if isinstance(r, dict))
    cell = _version_cell(real)
    before = cell.value
    setattr(cls, "x", 2)  # noqa: B010 - (a class made by type() has no attributes to mypy)
    if cell.value == before:
        return False
    return _instance_stores_change_versions(cls())


def _instance_stores_change_versions(obj: Any) -> bool:
    """An instance's ``__dict__`` gets a new version at every attribute store, also once the
    interpreter has specialized the store (3.11+ writes some instance attributes in place)."""
    obj.x = 0
    cell = _version_cell(obj.__dict__)
    for i in range(1, 64):  # (enough executions for the store to be specialized)
        before = cell.value
        obj.x = i
        if cell.value == before:
            return False
    return True


_VERSIONS = _versions_work()


class Snapshot:
    """The state of a loaded copy: ``same()`` says whether it is still what it was when taken.

    Each part is a pair of expressions about one object (``@`` stands for the object): one reads
    its state at check time, the other copies that state once, when the snapshot is taken; the
    check compares the two with ``==``. Where the object compares by value itself (a list, a
    deque, a set) it is read as it is, against a shallow copy, so that a check allocates nothing
    for it. Every part is compiled into one function, so that a check costs one call, not one per
    part, and stops at the first difference.
    """

    def __init__(self, modules: dict[str, ModuleType]) -> None:
        self.names = set(modules)
        self.packages = {n.split(".")[0] for n in modules}
        self.parts: list[tuple[str, str, object]] = []
        """``(read, copy, object)`` for every part."""
        self.dicts: list[dict[Any, Any]] = []
        """The dicts compared by version (kept alive here): unchanged exactly when every version is."""
        seen: set[int] = set()
        todo: list[object] = list(modules.values())
        while todo:
            obj = todo.pop()
            if id(obj) in seen or isinstance(obj, _ATOMS):
                continue
            seen.add(id(obj))
            todo += self._part(obj)
        objects = [f"o{i}" for i in range(len(self.parts))]
        copies = "".join(f"    b{i} = {copy.replace('@', f'o{i}')}\n"
                         for i, (_, copy, _) in enumerate(self.parts))
        checks = " and ".join(f"{read.replace('@', f'o{i}')} == b{i}"
                              for i, (read, _, _) in enumerate(self.parts))
        namespace: dict[str, Any] = {}
        exec(f"def make({', '.join(objects)}):\n{copies}"
             f"    def same():\n        return bool({checks or 'True'})\n    return same\n", namespace)
        self._same: Callable[[], bool] = namespace["make"](*[obj for _, _, obj in self.parts])
        self.versions = VersionReader(self.dicts)
        self._unpack = self.versions.unpack
        self._view = self.versions.view
        self._version_sum = self.versions.read()

    def same(self) -> bool:
        try:
            return sum(self._unpack(self._view)) == self._version_sum and self._same()
        except AttributeError:  # a slot that was set is no longer
            return False

    def _globals(self, d: dict[Any, Any]) -> None:
        """A module's globals or a class's attributes: large, and rarely changed (by any run, if at
        all), so compared by the dict's version where it can be read (``_VERSIONS``), by the values
        otherwise."""
        if _VERSIONS:
            self.dicts.append(d)
        else:
            self.parts.append(("[*@]", "[*@]", d.values()))

    def _dict(self, d: dict[Any, Any]) -> None:
        """A dict's version where it can be read; otherwise its keys and values, in order (an empty
        dict: its length)."""
        if _VERSIONS:
            self.dicts.append(d)
        elif not d:
            self.parts.append(("len(@)", "len(@)", d))
        else:
            self.parts += [("[*@]", "[*@]", d), ("[*@.values()]", "[*@.values()]", d)]

    def _ours(self, t: type) -> bool:
        return getattr(t, "__module__", "").split(".")[0] in self.packages

    def _part(self, obj: Any) -> list[object]:
        """Record how to read ``obj``'s state; return what it refers to (to be visited)."""
        parts = self.parts
        if isinstance(obj, ModuleType):
            if obj.__name__ not in self.names:
                return []
            d = obj.__dict__
            self._globals(d)  # any rebinding, from inside the module or not
            return [v for k, v in d.items() if k != "__builtins__"]
        if isinstance(obj, (type(_OsWithoutForkHooks.register_at_fork), Enum)):
            return []  # functions (their closures are not followed) and enum members
        if isinstance(obj, type):
            if not self._ours(obj):
                return []
            real = [r for r in gc.get_referents(obj.__dict__) if isinstance(r, dict)]
            self._globals(real[0] if len(real) == 1 else dict(obj.__dict__))  # a method or attribute patched
            return [v for v in obj.__dict__.values() if isinstance(v, (dict, list, set, deque, WeakSet))]
        if isinstance(obj, dict):
            self._dict(obj)
            return [*obj.keys(), *obj.values()]
        if isinstance(obj, (list, deque)):
            parts.append(("@", "@.copy()", obj))  # compared as it is: no allocation
            return list(obj)
        if isinstance(obj, (set, frozenset)):
            parts.append(("@", "set(@)", obj))
            return list(obj)
        if isinstance(obj, tuple):
            return list(obj)
        if isinstance(obj, WeakSet):
            parts.append(("@.data", "set(@.data)", obj))
            return list(obj)
        if isinstance(obj, CRLock):
            parts += [("@.owner", "@.owner", obj), ("@.count", "@.count", obj)]
            return []
        if isinstance(obj, CLock):
            parts.append(("@.owner", "@.owner", obj))
            return []
        if isinstance(obj, CLocal):
            dicts = object.__getattribute__(obj, "_local__dicts")
            self._dict(dicts)  # which threads have a namespace
            for d in dicts.values():
                self._dict(d)  # and what is in each
            return [v for d in dicts.values() for v in d.values()]
        if isinstance(obj, _COUNT):  # (its state: ``(count, (next,))``, or its repr where that is deprecated)
            read = "@.__reduce__()" if sys.version_info < (3, 12) else "repr(@)"
            parts.append((read, read, obj))
            return []
        owner = getattr(obj, "__self__", None)
        if owner is not None and not isinstance(owner, ModuleType):
            return [owner]
        if self._ours(type(obj)):
            out: list[object] = []
            if hasattr(obj, "__dict__"):
                self._dict(obj.__dict__)
                out += list(obj.__dict__.values())
            slots = [s for k in type(obj).__mro__ for s in getattr(k, "__slots__", ())
                     if s not in ("__weakref__", "__dict__") and hasattr(obj, s) and s.isidentifier()]
            if slots:  # (set when the snapshot is taken: a slot deleted later makes same() False)
                state = "(" + "".join(f"@.{s}, " if not iskeyword(s) else f"getattr(@, {s!r}), "
                                      for s in slots) + ")"
                parts.append((state, state, obj))
                out += [getattr(obj, s, None) for s in slots]
            return out
        return []
