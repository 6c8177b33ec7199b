"""The implementations the refinement and thread-property rows prove: impl, a threading.py file,
and impl with a seeded bug.

Each is loaded afresh under the deterministic scheduler's controlled ``_thread`` (by
``proofs.sched``), so nothing here touches the interpreter's own threading. A seeded bug
is a patch of one method's source in the loaded copy, never of impl on disk: the method's
source is taken from the copy, one text is replaced (it must occur exactly once), and the
result is compiled in the copy's own globals.
"""

from __future__ import annotations
import __future__

import inspect
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from proofs.refinement_explore import session
from proofs.sched import Session
from proofs.table import ProveOptions


@dataclass(frozen=True)
class Seed:
    """A bug seeded into a loaded copy of impl: in ``cls.method``, ``old`` becomes ``new``."""

    id: str
    description: str
    primitive: str
    """The refinement row it must fail."""
    cls: str
    method: str
    old: str
    new: str


SEEDS: tuple[Seed, ...] = (
    Seed(
        "condition-notify-spent-on-stale-waiter",
        "a wait(timeout) that timed out leaves its waiter queued, so a later notify() is spent "
        "on it and drops the live waiter it should have woken",
        "Condition",
        "Condition",
        "wait",
        "            if not notified:\n"
        "                try:\n"
        "                    self._waiters.remove(sleeper)\n"
        "                except ValueError:\n"
        "                    pass  # notified after all, between the timeout and here\n",
        "            if not notified:\n"
        "                pass  # seeded bug: the sleeper stays queued\n",
    ),
    Seed(
        "rlock-release-forgets-owner",
        "RLock.release frees the inner lock at level zero but forgets to clear the owner: the "
        "former owner's next acquire re-enters a lock it no longer holds, while another thread "
        "takes it",
        "RLock",
        "RLock",
        "release",
        "            self._owner = None\n            self._block.release()\n",
        "            self._block.release()\n",
    ),
)


def seed(name: str) -> Seed:
    for s in SEEDS:
        if s.id == name:
            return s
    raise KeyError(f"no seeded bug named {name!r}")


def patch_method(cls: type, method: str, old: str, new: str, label: str) -> None:
    """Replace ``old`` by ``new`` in the source of ``cls.method`` and install the result on ``cls``."""
    func = cls.__dict__[method]
    source = inspect.getsource(func)
    if source.count(old) != 1:
        raise ValueError(f"{label}: the text to replace is not found once in {cls.__name__}.{method}")
    patched = textwrap.dedent(source.replace(old, new))
    flags = __future__.annotations.compiler_flag
    code = compile(patched, f"<{label}>", "exec", flags=flags, dont_inherit=True)
    namespace: dict[str, Any] = {}
    exec(code, func.__globals__, namespace)  # noqa: S102 - the method's own source, patched
    setattr(cls, method, namespace[method])


def apply_seed(module: ModuleType, s: Seed) -> None:
    patch_method(getattr(module, s.cls), s.method, s.old, s.new, f"seeded {s.id}")


@dataclass(frozen=True)
class Target:
    """An implementation to prove: its key in replay strings, its label in the table, where it is."""

    key: str
    label: str
    module: str
    """``impl``, or the name of a threading module."""
    path: Path | None = None
    """The module's file or directory (None: found on the import path)."""
    seeded: Seed | None = None

    @property
    def is_file(self) -> bool:
        """A threading module given as a file (line switches are explored for it)."""
        return self.module != "impl"

    def session(self, line_switches: bool = False) -> Session:
        """A scheduler session of a fresh copy, with the seeded bug patched in."""
        s = self.seeded
        if s is None:
            return session(self.module, self.path, line_switches=line_switches)

        def patch(modules: dict[str, ModuleType]) -> None:
            apply_seed(modules[self.module], s)

        return session(self.module, self.path, patch, line_switches)


def host_threading_file() -> Path:
    """The file of the running interpreter's threading module."""
    import threading

    return Path(threading.__file__)


def host_version() -> str:
    return ".".join(str(x) for x in sys.version_info[:3])


def impl_target(seeded: str | None = None) -> Target:
    if seeded is None:
        return Target("impl", "impl", "impl")
    return Target(f"impl+{seeded}", f"impl with seeded bug {seeded}", "impl", None, seed(seeded))


def threading_target(options: ProveOptions) -> Target:
    """The host's threading.py, or the module that ``--module NAME --path DIR`` names."""
    if options.module is not None and options.path is not None:
        return Target("module", f"{options.module} from {options.path}", options.module, options.path)
    label = f"threading.py of CPython {host_version()}"
    return Target("threading", label, "threading", host_threading_file())


def targets(options: ProveOptions) -> list[Target]:
    """What the rows prove: impl and the host's threading.py; only the given module with --module."""
    if options.module is not None:
        return [threading_target(options)]
    return [impl_target(), threading_target(options)]


def target_by_key(key: str, options: ProveOptions) -> Target:
    """The target a replay string names."""
    if key == "impl":
        return impl_target()
    if key.startswith("impl+"):
        return impl_target(seed(key[len("impl+"):]).id)
    if key == "module" and options.module is None:
        raise ValueError("this schedule is of a module given with --module/--path: give them again")
    if key in ("threading", "module"):
        return threading_target(options)
    raise ValueError(f"unknown target {key!r} in the replay string")
