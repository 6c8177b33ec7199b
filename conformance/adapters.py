"""Adapters: the libraries that imitate ``threading``, as targets of ``threadspec check --target NAME``.

An adapter is data: the library to import, a prelude, the mapping from ``threading``'s names to
the library's (a module the prelude builds, so that reproducers replay it unchanged), the
primitives it offers (the others are "not offered", not violations), how the agent's workers are
spawned (real threads, or the library's green threads) and the strictness it is checked at
(documented: a library promises at most what ``threading``'s documentation says).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from spec.profiles import Strictness

ALL_PRIMITIVES = ("Lock", "RLock", "Condition", "Semaphore", "BoundedSemaphore", "Event", "Barrier",
                  "Thread", "Timer", "ThreadSubclass", "local", "LocalSubclass")
"""Every public primitive of the spec: what a library that patches ``threading`` offers."""

WORKER_STYLES = ("threads", "gevent", "eventlet", "processes")
"""How the agent runs its workers (``agent.py --workers``): OS threads, the library's green
threads (greenlets in one OS thread, whose command loop reads stdin without blocking the hub), or
threads of forked processes, one a worker (``multiprocessing``'s primitives between processes)."""

SYNCHRONIZE = ("Lock", "RLock", "Semaphore", "BoundedSemaphore", "Condition", "Event", "Barrier")


@dataclass(frozen=True)
class Adapter:
    """One library as a target."""

    name: str
    summary: str
    requires: str
    """The module that must be importable in the target interpreter."""
    install: str
    """The pip requirement that installs it."""
    patch: str | None = None
    """Code run first (``gevent.monkey.patch_all()``)."""
    names: Mapping[str, str] | None = None
    """``threading`` name → ``module:attribute`` of the library; None: the module is ``threading``
    itself (after ``patch``)."""
    methods: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Class → {``threading`` method: the library's}, for libraries whose names differ: a subclass
    with the threading names as aliases (``"green_release"``), or, where the library's
    parameters are keyword-only, as methods that pass the positional arguments on as those
    keywords and do nothing else (``"green_acquire(blocking, timeout)"``; ``"lock.green_release()"``
    calls the method of an attribute)."""
    offers: tuple[str, ...] = ALL_PRIMITIVES
    workers: str = "threads"
    strictness: Strictness = Strictness.DOCUMENTED

    @property
    def module(self) -> str:
        """The module the agent checks: ``threading``, or the one the prelude builds."""
        return "threading" if self.names is None else f"threadspec_target_{self.name.replace('-', '_')}"

    @property
    def prelude(self) -> str | None:
        """The code the target runs before importing ``module``."""
        return self.prelude_for(None)

    def prelude_for(self, used: Iterable[str] | None) -> str | None:
        """The prelude, building only the names ``used`` of the module (None: all of them): what a
        reproducer that uses one primitive needs, and no more."""
        lines = [self.patch] if self.patch else []
        if self.names is not None:
            wanted = self.names if used is None else {k: v for k, v in self.names.items() if k in set(used)}
            lines.append(_module_prelude(self.module, wanted, self.methods))
        return "\n".join(lines) or None

    def not_offered(self) -> list[str]:
        return [p for p in ALL_PRIMITIVES if p not in self.offers]

    def install_hint(self, python: str) -> str:
        return (
            f"the target {self.name} needs {self.requires}, which {python} cannot import; install it "
            f"with: {python} -m pip install '{self.install}' (or pip install 'threadspec[targets]')"
        )


_FORWARD = """\
def _forward(path, params):
    def method(self, *args, **kwargs):
        if len(args) > len(params): raise TypeError('takes at most %d positional arguments' % len(params))
        return operator.attrgetter(path)(self)(**dict(kwargs, **dict(zip(params, args))))
    return method"""
"""A method that calls the library's method at ``path`` with threading's positional arguments passed
as its keywords ``params``."""


def _module_prelude(module: str, names: Mapping[str, str], methods: Mapping[str, Mapping[str, str]]) -> str:
    """Code that builds module ``module`` from ``names`` (and ``methods``) and registers it: plain
    imports and assignments, readable in a reproducer."""
    libraries = sorted({path.partition(":")[0] for path in names.values()})
    forwards = any("(" in v for n in names for v in methods.get(n, {}).values())
    out = [f"import {', '.join(['operator'] * forwards + ['sys', 'types', *libraries])}",
           f"_m = sys.modules[{module!r}] = types.ModuleType({module!r})"]
    if forwards:
        out += _FORWARD.splitlines()
    for name, path in names.items():
        obj = path.replace(":", ".")
        aliases = methods.get(name)
        if aliases:
            body = ", ".join(f"{k!r}: {_method(obj, v)}" for k, v in aliases.items())
            out.append(f"_m.{name} = type({name!r}, ({obj},), {{{body}}})")
        else:
            out.append(f"_m.{name} = {obj}")
    return "\n".join(out)


def _method(obj: str, spec: str) -> str:
    """The code of one method of a mapped class (see ``Adapter.methods``)."""
    if "(" not in spec:
        return f"{obj}.{spec}"
    target, _, rest = spec.partition("(")
    params = tuple(p.strip() for p in rest.rstrip(")").split(",") if p.strip())
    return f"_forward({target!r}, {params!r})"


def _acquire_aliases(release: bool) -> dict[str, str]:
    aliases = {"acquire": "green_acquire(blocking, timeout)"}
    if release:
        aliases["release"] = "green_release"
    return aliases


ADAPTERS: dict[str, Adapter] = {
    a.name: a
    for a in (
        Adapter(
            "gevent",
            "gevent's monkey-patched threading (patch_all), workers are greenlets",
            "gevent",
            "gevent>=24.2",
            patch="from gevent import monkey; monkey.patch_all()",
            workers="gevent",
        ),
        Adapter(
            "gevent-direct",
            "gevent.lock, gevent.event and gevent.local used directly (no patching), workers are greenlets",
            "gevent",
            "gevent>=24.2",
            names={
                "Lock": "gevent.thread:LockType",
                "RLock": "gevent.lock:RLock",
                "Semaphore": "gevent.lock:Semaphore",
                "BoundedSemaphore": "gevent.lock:BoundedSemaphore",
                "Event": "gevent.event:Event",
                "local": "gevent.local:local",
            },
            offers=("Lock", "RLock", "Semaphore", "BoundedSemaphore", "Event", "local", "LocalSubclass"),
            workers="gevent",
        ),
        Adapter(
            "eventlet",
            "eventlet's green threading (monkey_patch), workers are green threads",
            "eventlet",
            "eventlet>=0.36",
            patch="import eventlet; eventlet.monkey_patch()",
            workers="eventlet",
        ),
        Adapter(
            "multiprocessing",
            "multiprocessing.synchronize's primitives (the default context's), used by worker threads "
            "of one process",
            "multiprocessing",
            "(the standard library)",
            names={p: f"multiprocessing:{p}" for p in SYNCHRONIZE},
            offers=SYNCHRONIZE,
        ),
        Adapter(
            "multiprocessing-processes",
            "multiprocessing.synchronize's primitives (the default context's), each worker a thread "
            "of a process of its own, forked after the objects it uses were made",
            "multiprocessing",
            "(the standard library)",
            names={p: f"multiprocessing:{p}" for p in SYNCHRONIZE},
            offers=SYNCHRONIZE,
            workers="processes",
        ),
        Adapter(
            "aiologic",
            "aiologic's primitives from threads (green_acquire/green_release as acquire/release, "
            "positional arguments passed as its keywords; the Condition's lock's as its own; "
            "REvent and RBarrier, the reusable ones, as Event and Barrier)",
            "aiologic",
            "aiologic>=0.14",
            names={
                "Lock": "aiologic:Lock",
                "RLock": "aiologic:RLock",
                "Semaphore": "aiologic:Semaphore",
                "BoundedSemaphore": "aiologic:BoundedSemaphore",
                "Condition": "aiologic:Condition",
                "Event": "aiologic:REvent",
                "Barrier": "aiologic:RBarrier",
            },
            methods={
                "Lock": _acquire_aliases(release=True),
                "RLock": _acquire_aliases(release=True),
                "Semaphore": _acquire_aliases(release=False),
                "BoundedSemaphore": _acquire_aliases(release=False),
                "Condition": {
                    "acquire": "lock.green_acquire(blocking, timeout)",
                    "release": "lock.green_release()",
                },
            },
            offers=SYNCHRONIZE,
        ),
    )
}
"""Every adapter, by name (``check --target NAME``)."""


def find(module: str, prelude: str | None, workers: str | None = None) -> Adapter | None:
    """The adapter whose target this is (its module and prelude, and its workers when given):
    reports and reproducers carry the target, not the adapter's name."""
    for a in ADAPTERS.values():
        if a.module == module and a.prelude == prelude and workers in (None, a.workers):
            return a
    return None


GREEN_THREADS = {
    "gevent": "import gevent, gevent.thread as _t\n"
              "time.sleep = gevent.sleep  # the script's waits let gevent's hub run the workers",
    "eventlet": "import eventlet\nfrom eventlet.green.thread import allocate_lock, get_ident\n\n\n"
                "class _t:  # the script's threads are eventlet.spawn's GreenThreads, as the checker's were\n"
                "    allocate_lock = staticmethod(allocate_lock)\n"
                "    get_ident = staticmethod(get_ident)\n"
                "    start_new_thread = staticmethod(lambda fn, args: eventlet.spawn(fn, *args))\n"
                "\n\n"
                "time.sleep = eventlet.sleep  # the script's waits let eventlet's hub run the workers",
}
"""For a reproducer whose workers are the library's green threads (``Adapter.workers``): the
module its workers are started with (as ``_t``: ``allocate_lock``, ``start_new_thread`` and
``get_ident``), and its waits made the library's. Its threads are those of the agent's workers
(``agent.GREEN_WORKERS``): eventlet's are ``eventlet.spawn``'s GreenThreads, whose
``current_thread()`` is a dummy thread (the green thread module's would be the main thread's
``Thread``)."""


def requirements() -> dict[str, str]:
    """Adapter name → the module its library needs (``threadspec matrix``'s seam)."""
    return {a.name: a.requires for a in ADAPTERS.values()}


def listing() -> str:
    """The adapters, one a line (``check --target list``)."""
    width = max(map(len, ADAPTERS))
    return "\n".join(f"{a.name:<{width}}  {a.summary}" for a in ADAPTERS.values())


def importable(python: str, adapter: Adapter, timeout: float = 60.0) -> bool:
    """Can ``python`` import the adapter's library?"""
    try:
        done = subprocess.run(
            [python, "-c", f"import {adapter.requires}"], capture_output=True, timeout=timeout, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


class AdapterError(Exception):
    """``--target`` cannot be used as asked (unknown name, library not installed, a primitive
    not offered): a usage error, exit status 2."""


def choose(
    name: str, pythons: list[str], only: tuple[str, ...], custom_module: bool
) -> tuple[Adapter, tuple[str, ...]]:
    """The adapter ``name`` and the primitives to check (``only``, or all it offers).

    Raises:
      AdapterError: unknown name; ``--module``/``--prelude`` given too; a primitive asked for
        that the library does not offer; the library not importable by one of ``pythons``."""
    adapter = ADAPTERS.get(name)
    if adapter is None:
        raise AdapterError(f"unknown target {name!r}; the targets are:\n{listing()}")
    if custom_module:
        raise AdapterError("--target sets the module and the prelude: give neither --module nor --prelude")
    lacking = [p for p in only if p not in adapter.offers]
    if lacking:
        raise AdapterError(
            f"the target {name} does not offer {', '.join(lacking)} (it offers {', '.join(adapter.offers)})"
        )
    for py in pythons:
        if not importable(py, adapter):
            raise AdapterError(adapter.install_hint(py))
    return adapter, only or adapter.offers
