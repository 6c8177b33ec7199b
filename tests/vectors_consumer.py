"""A reference consumer of threadspec's test vectors (``docs/VECTORS.md``), in-process.

It replays vector files against a threading module with real threads, and knows nothing
of the spec: only the files. Each schedule thread is a ``_thread`` worker (so that the
module under test is not used to run the replay); a ``{"gate": n}`` argument is a function
that blocks until the vector opens gate n, and the module's own thread waiting in it makes
the calls of ``{"in_gate": n}``. After each step the consumer waits until what it has seen
is one of the step's cases (a completion the case expects is waited for up to ``DEADLINE``),
then confirms it with a one-sided wait of ``SETTLE`` seconds in which nothing else may
complete: a slow machine can make a replay slower, never fail it.

``replay_file(path, module)`` returns the failures (empty: the module passes).
"""

from __future__ import annotations

import _thread
import builtins
import json
import os
import re
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

SETTLE = 0.05
"""Seconds in which a call that blocks (or a thread that stays blocked) must not complete."""
DEADLINE = 10.0
"""Seconds a completion that the vector expects may take (reached only on failure)."""
TOLERANCE = 0.002
"""Seconds by which a timed-out result may come before its timeout (clock granularity)."""
TASKS = "/proc/self/task"

_RECORDING: dict[int, list[str]] = {}
"""The warnings each thread's call in progress emitted (by ``_thread`` ident)."""


def _show_warning(message: Any, category: type[Warning], *args: Any, **kwargs: Any) -> None:
    caught = _RECORDING.get(_thread.get_ident())
    if caught is not None:
        caught.append(category.__name__)


@dataclass
class Failure:
    """A step whose observation is none of the cases the vector allows."""

    scenario: str
    step: int
    message: str

    def __str__(self) -> str:
        return f"{self.scenario} step {self.step}: {self.message}"


class _Signal:
    """Wakes the replaying thread when something completes (a ``_thread`` lock, so that the
    module under test is not involved)."""

    def __init__(self) -> None:
        self._lock = _thread.allocate_lock()
        self._lock.acquire()

    def fire(self) -> None:
        try:
            self._lock.release()
        except RuntimeError:
            pass  # already fired

    def wait(self, timeout: float) -> bool:
        return self._lock.acquire(timeout=max(0.0, timeout))


@dataclass
class _Completion:
    thread: str
    index: int
    """The call's position in its step (a back-to-back step makes several)."""
    value: Any
    exc: type[BaseException] | None
    warnings: list[str]
    elapsed: float
    ident: int
    """The ``_thread`` ident of the thread that made the call."""


class _Mailbox:
    """Calls for one thread, taken one batch at a time."""

    def __init__(self) -> None:
        self.items: list[Any] = []
        self.mutex = _thread.allocate_lock()
        self.ready = _Signal()

    def put(self, item: Any) -> None:
        with self.mutex:
            self.items.append(item)
        self.ready.fire()

    def take(self) -> Any:
        with self.mutex:
            return self.items.pop(0) if self.items else None


@dataclass
class _Run:
    """One scenario's replay: its objects, threads, gates and what completed."""

    module: ModuleType
    signal: _Signal = field(default_factory=_Signal)
    mutex: Any = field(default_factory=_thread.allocate_lock)
    completed: list[_Completion] = field(default_factory=list)
    busy: set[str] = field(default_factory=set)
    unstarted: set[str] = field(default_factory=set)
    """Threads sent calls that they have not begun yet (a call that blocks is confirmed only
    once it has begun)."""
    mailboxes: dict[str, _Mailbox] = field(default_factory=dict)
    """The calls for the module's thread waiting in each gate, by thread key (``g1``)."""
    gates: dict[int, _Gate] = field(default_factory=dict)
    hooks: dict[str, Callable[..., None]] = field(default_factory=dict)
    workers: dict[str, _Mailbox] = field(default_factory=dict)
    """The scenario's workers, by thread key (``w1``), taken from the pool."""
    gone_watch: set[int] = field(default_factory=set)
    """Native ids of the module's threads that entered a gate and left it."""
    objects: list[Any] = field(default_factory=list)
    """The object under test (what the agent would report as a ``ref``)."""

    def report(self, c: _Completion) -> None:
        with self.mutex:
            self.completed.append(c)
            if c.index == -1:
                self.busy.discard(c.thread)
        self.signal.fire()

    def make_calls(self, who: str, calls: list[Callable[[], Any]]) -> None:
        """Run ``calls`` (each a thunk) back to back on the current thread, reporting each."""
        ident = _thread.get_ident()
        with self.mutex:
            self.unstarted.discard(who)
        self.signal.fire()
        for i, thunk in enumerate(calls):
            caught: list[str] = []
            _RECORDING[ident] = caught
            started = time.monotonic()
            try:
                value, exc = thunk(), None
            except BaseException as e:  # every exception is an observation
                value, exc = None, type(e)
            elapsed = time.monotonic() - started
            _RECORDING.pop(ident, None)
            last = -1 if i == len(calls) - 1 else i
            self.report(_Completion(who, last, value, exc, caught, elapsed, ident))


class _Gate:
    """A function the vector controls: it blocks until the gate is opened; a thread that is
    not a worker (the module's own thread) makes the calls of ``{"in_gate": n}`` meanwhile."""

    def __init__(self, run: _Run, gate_id: int) -> None:
        self.run, self.id = run, gate_id
        self.opened = False
        self.exc: type[BaseException] | None = None
        self.mailbox = _Mailbox()
        run.mailboxes[f"g{gate_id}"] = self.mailbox

        def function(*args: Any, **kwargs: Any) -> None:
            self.call(*args, **kwargs)

        function.__name__ = function.__qualname__ = f"gate_{gate_id}"  # docs/VECTORS.md: its name
        self.function = function

    def call(self, *args: Any, **kwargs: Any) -> None:
        alien = _thread.get_ident() not in _WORKER_IDENTS
        native = _thread.get_native_id()
        while True:
            item = self.mailbox.take() if alien else None
            if item is not None:
                self.run.make_calls(f"g{self.id}", item)
                continue
            if self.opened:
                break
            self.mailbox.ready.wait(DEADLINE)
        if alien:
            self.run.gone_watch.add(native)
        if self.exc is not None:
            raise self.exc(f"gate {self.id} raised by the vector")

    def open(self, exc: type[BaseException] | None) -> None:
        """Open the gate (once: opening an open gate changes nothing)."""
        if self.opened:
            return
        self.exc = exc
        self.opened = True
        self.mailbox.ready.fire()


def _thread_key(by: Any) -> str:
    return f"g{by['in_gate']}" if isinstance(by, dict) else f"w{by}"


# -- values -----------------------------------------------------------------------


def _decode(run: _Run, v: Any) -> Any:
    """A vector argument as the Python value it stands for."""
    if isinstance(v, list):
        raise ValueError(f"bare array in a vector: {v!r}")
    if not isinstance(v, dict):
        return v
    if "float" in v:
        return float(v["float"])
    if "tuple" in v:
        return tuple(_decode(run, x) for x in v["tuple"])
    if "dict" in v:
        return {k: _decode(run, x) for k, x in v["dict"].items()}
    if "new" in v:
        return _kind(run.module, v["new"])(*(_decode(run, a) for a in v.get("args", [])))
    if "gate" in v:
        return _gate(run, int(v["gate"])).function
    if "hook" in v:
        return _hook(run, v["hook"])
    if "original" in v:  # the module keeps its own excepthook as __excepthook__ (3.10+)
        return getattr(run.module, f"__{v['original']}__")
    raise ValueError(f"unknown vector value {v!r}")


def _gate(run: _Run, gate_id: int) -> _Gate:
    if gate_id not in run.gates:
        run.gates[gate_id] = _Gate(run, gate_id)
    return run.gates[gate_id]


def _hook(run: _Run, name: str) -> Callable[..., None]:
    if name not in run.hooks:
        def hook(frame: Any, event: str, arg: Any) -> None:
            return None
        run.hooks[name] = hook
    return run.hooks[name]


def _kind(module: ModuleType, kind: str) -> Any:
    if kind == "LocalSubclass" and not hasattr(module, kind):
        def __init__(self: Any, *args: Any) -> None:
            self.args = args
        return type("LocalSubclass", (module.local,), {"__init__": __init__})
    if kind == "ThreadSubclass" and not hasattr(module, kind):
        return _thread_subclass(module.Thread)
    return getattr(module, kind)


def _thread_subclass(base: type) -> type:
    """``ThreadSubclass`` (docs/VECTORS.md): a subclass of ``base`` whose ``run()`` calls the
    keyword argument ``run`` (a gate) with no arguments, and never the target."""

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        self.run_function = kwargs.pop("run", None)
        base.__init__(self, *args, **kwargs)

    def run(self: Any) -> None:
        if self.run_function is not None:
            self.run_function()

    return type("ThreadSubclass", (base,), {"__init__": __init__, "run": run})


def _matches(run: _Run, expected: Any, observed: Any, caller: int | None) -> bool:
    """Is ``observed`` a value the vector's ``expected`` (a value or pattern) allows?"""
    if isinstance(expected, dict):
        return _matches_tagged(run, expected, observed, caller)
    if isinstance(expected, bool) or isinstance(observed, bool):
        return type(expected) is type(observed) and expected == observed
    if expected is None:
        return observed is None
    if isinstance(expected, int):
        return type(observed) is int and observed == expected
    return isinstance(observed, str) and observed == expected


def _matches_tagged(run: _Run, expected: dict[str, Any], observed: Any, caller: int | None) -> bool:
    if "any" in expected:
        kind = expected["any"]
        if kind == "int":
            return isinstance(observed, int) and not isinstance(observed, bool)
        return kind == "value" or isinstance(observed, str)
    if "float" in expected:
        want = float(expected["float"])
        return isinstance(observed, float) and (observed == want or (want != want and observed != observed))
    if "name_like" in expected:
        return isinstance(observed, str) and re.fullmatch(expected["name_like"], observed) is not None
    if "int_other_than" in expected:
        least = expected.get("minimum")
        return (type(observed) is int and observed not in expected["int_other_than"]
                and (least is None or observed >= least))
    if "hook" in expected:
        return observed is run.hooks.get(expected["hook"])
    if "gate" in expected:
        return observed is _gate(run, int(expected["gate"])).function
    if "alive_threads" in expected:
        listing = _is_listing(run, observed, expected["alive_threads"], expected["cpython"], caller)
        return listing is not None and (listing or not expected.get("caller", False))
    if "tuple" in expected:
        items = expected["tuple"]
        if items and items[0] == "thread" and isinstance(observed, run.module.Thread):
            observed = _summary(run, observed, caller)
        elif items and items[0] == "object" and not isinstance(observed, (tuple, list)):
            observed = ("object", type(observed).__name__)  # an object, as the agent reports it
        return (
            isinstance(observed, (tuple, list))
            and len(observed) == len(items)
            and all(_matches(run, e, o, caller) for e, o in zip(items, observed, strict=True))
        )
    return False


def _summary(run: _Run, t: Any, caller: int | None) -> tuple[Any, ...]:
    """A Thread as the vectors describe it: ``("thread", (("daemon", d), ("ident", whose),
    ("name", n), ("name_shared", s)))``: whose thread its ident is, and whether the object
    under test, another Thread, has the same name."""
    ident = t.ident
    main = run.module.main_thread().ident
    whose = None if ident is None else (
        "caller" if ident == caller else "main" if ident == main else
        "worker" if ident in _WORKER_IDENTS else "other"
    )
    name = t.name if isinstance(t.name, str) else None
    shared = any(o is not t and isinstance(o, run.module.Thread) and o.name == name for o in run.objects)
    return ("thread", (("daemon", t.daemon), ("ident", whose), ("name", name), ("name_shared", shared)))


def _is_listing(run: _Run, observed: Any, count: int, cpython: bool, caller: int | None) -> bool | None:
    """What ``enumerate()`` returns when ``count`` threads are alive: the main thread once, the
    caller at most once, default names each on one thread only (``None`` if not); and whether
    the caller is among them."""
    if not isinstance(observed, list) or len(observed) != count:
        return None
    summaries = [dict(_summary(run, t, caller)[1]) for t in observed if isinstance(t, run.module.Thread)]
    if len(summaries) != count:
        return None
    idents = [s["ident"] for s in summaries]
    if idents.count("main") != 1 or idents.count("caller") > 1:
        return None
    default = r"Thread-\d+( \(.*\))?" + (r"|Dummy-\d+" if cpython else "")
    names = [s["name"] for s in summaries if isinstance(s["name"], str) and re.fullmatch(default, s["name"])]
    return "caller" in idents if len(set(names)) == len(names) else None


def _outcome_matches(run: _Run, expected: dict[str, Any], c: _Completion, exact: bool, caller: int) -> bool:
    if "blocks" in expected:
        return False
    if "raises" in expected:
        if c.exc is None:
            return False
        names = {k.__name__ for k in c.exc.__mro__}
        thread_error = getattr(run.module, "ThreadError", None)
        if isinstance(thread_error, type) and issubclass(c.exc, thread_error):
            names.add("ThreadError")
        if expected["raises"] == "BrokenBarrierError" and "RuntimeError" not in names:
            return False
        return expected["raises"] in names
    if c.exc is not None:
        return False
    warning = expected.get("warning")
    if warning is not None and warning not in c.warnings:
        return False
    if exact and any(w != warning for w in c.warnings):
        return False
    after = expected.get("after_timeout")
    if after is not None and c.elapsed < float(after["float"]) - TOLERANCE:
        return False
    return _matches(run, expected["returns"], c.value, caller)


# -- replaying ----------------------------------------------------------------------

_WORKER_IDENTS: set[int] = set()
"""Every worker's ``_thread`` ident (a gate entered by another thread serves calls)."""
_IDLE: list[_Mailbox] = []
"""Workers free for the next scenario. Workers live on from one scenario to the next (a
worker's end would remove its dummy Thread from ``enumerate()`` while the next scenario
counts threads); one left blocked by its scenario is abandoned."""


def _worker(mailbox: _Mailbox, started: _Signal) -> None:
    _WORKER_IDENTS.add(_thread.get_ident())
    started.fire()
    while True:
        item = mailbox.take()
        if item is None:
            mailbox.ready.wait(DEADLINE)
            continue
        run, key, thunks = item
        run.make_calls(key, thunks)


def _take_worker() -> _Mailbox:
    if _IDLE:
        return _IDLE.pop()
    mailbox, started = _Mailbox(), _Signal()
    _thread.start_new_thread(_worker, (mailbox, started))
    started.wait(DEADLINE)
    return mailbox


def _perform(run: _Run, obj: Any, op: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    target = obj
    if op.startswith("module."):
        target, op = run.module, op[len("module."):]
    if "()." in op:  # "name().op": op on what name() returns (current_thread().join)
        head, op = op.split("().", 1)
        target = getattr(target, head)()
    if op.startswith("get:"):
        return getattr(target, op[4:])
    if op.startswith("set:"):
        setattr(target, op[4:], *args)
        return None
    if op.startswith("del:"):
        delattr(target, op[4:])
        return None
    return getattr(target, op)(*args, **kwargs)


def _thunk(run: _Run, obj: Any, c: dict[str, Any]) -> Callable[[], Any]:
    args = tuple(_decode(run, a) for a in c["args"])
    kwargs = {k: _decode(run, v) for k, v in c["kwargs"].items()}
    op = c["op"]
    return lambda: _perform(run, obj, op, args, kwargs)


def _send(run: _Run, key: str, thunks: list[Callable[[], Any]]) -> None:
    if key.startswith("w") and key not in run.workers:
        run.workers[key] = _take_worker()
    mailbox = run.workers[key] if key.startswith("w") else run.mailboxes.get(key)
    if mailbox is None:
        raise ValueError(f"calls for {key}, which no gate thread can make")
    with run.mutex:
        run.busy.add(key)
        run.unstarted.add(key)
    mailbox.put((run, key, thunks) if key.startswith("w") else thunks)


def _environment(run: _Run, c: dict[str, Any]) -> str | None:
    """Make an environment call; a failure message if it cannot be made."""
    if c["op"] == "gate.open":
        exc_name = c["args"][1] if len(c["args"]) > 1 else None
        exc = None if exc_name is None else getattr(builtins, exc_name)
        _gate(run, int(c["args"][0])).open(exc)
        return None
    if c["op"] == "thread.exited":
        return _await_threads_gone(run)
    return f"unknown environment call {c['op']}"


def _await_threads_gone(run: _Run) -> str | None:
    """Wait until the module's threads that entered a gate are gone from the OS's thread list
    (``/proc/self/task``: the only way to see an OS thread end without joining it, polled)."""
    pause = _thread.allocate_lock()
    pause.acquire()
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        if run.gone_watch and not any(os.path.exists(f"{TASKS}/{n}") for n in run.gone_watch):
            return None
        pause.acquire(timeout=0.001)
    return "the thread did not end (thread.exited)"


@dataclass
class _Step:
    """The replay of one step: its cases, and what is seen since it began."""

    run: _Run
    cases: list[dict[str, Any]]
    own: str | None
    skipped: bool
    start: int
    exact_warnings: bool

    def fit(self, case: dict[str, Any], seen: list[_Completion]) -> str:
        """``"exact"``: ``seen`` is the case; ``"partial"``: it may become it; ``"no"``."""
        if bool(case.get("skipped")) != self.skipped:
            return "no"
        mine = [c for c in seen if c.thread == self.own]
        expected = case["results"] if self.own is not None else []
        final = len(expected) - (1 if expected and "blocks" in expected[-1] else 0)
        if len(mine) > final:
            return "no"
        for e, c in zip(expected, mine, strict=False):
            if not _outcome_matches(self.run, e, c, self.exact_warnings, c.ident):
                return "no"
        partial = len(mine) < final
        woken = {_thread_key(w["thread"]): w for w in case["woken"]}
        others = [c for c in seen if c.thread != self.own]
        for c in others:
            w = woken.pop(c.thread, None)
            if w is None or not _outcome_matches(self.run, w, c, self.exact_warnings, c.ident):
                return "no"
        return "partial" if partial or woken else "exact"

    def await_case(self) -> set[int] | str:
        """The nodes the observation leads to, once it settles on cases; or what went wrong."""
        run = self.run
        deadline = time.monotonic() + DEADLINE
        while True:
            with run.mutex:
                seen = run.completed[self.start:]
                started = not run.unstarted
            fits = [(c, self.fit(c, seen)) for c in self.cases]
            exact = [c for c, f in fits if f == "exact"]
            if exact and started and self._settled(len(seen)):
                return {c["to"] for c in exact}
            if exact and started:
                continue
            if not exact and not any(f == "partial" for _, f in fits):
                return f"observed {self._describe(seen)}; allowed: {self._allowed()}"
            if time.monotonic() > deadline:
                return (
                    f"still waiting after {DEADLINE} s: observed {self._describe(seen)}; "
                    f"allowed: {self._allowed()}"
                )
            run.signal.wait(min(0.1, deadline - time.monotonic()))

    def _settled(self, count: int) -> bool:
        """The one-sided wait: nothing more completes within ``SETTLE`` seconds."""
        end = time.monotonic() + SETTLE
        while time.monotonic() < end:
            self.run.signal.wait(end - time.monotonic())
            with self.run.mutex:
                if len(self.run.completed) - self.start != count:
                    return False
        return True

    def _describe(self, seen: list[_Completion]) -> str:
        parts = [
            f"{c.thread}: " + (f"raised {c.exc.__name__}" if c.exc else f"returned {c.value!r}")
            + (f" (warnings {c.warnings})" if c.warnings else "")
            for c in seen
        ]
        return ", ".join(parts) or "nothing completed"

    def _allowed(self) -> str:
        out = []
        for case in self.cases:
            res = [{k: v for k, v in r.items() if k != "clauses"} for r in case["results"]]
            woken = [{k: v for k, v in r.items() if k != "clauses"} for r in case["woken"]]
            clauses = sorted({c["id"] for r in case["results"] + case["woken"] for c in r["clauses"]})
            out.append(f"results {res} woken {woken} blocked {case['blocked']} [{', '.join(clauses)}]")
        return " | ".join(out) if out else "nothing (no case from this node)"


def _init(run: _Run, primitive: str, init: dict[str, Any], exact: bool) -> tuple[Any, str | None]:
    """Build the object under test on this thread; the object, and a failure message."""
    ident = _thread.get_ident()
    caught: list[str] = []
    _RECORDING[ident] = caught
    try:
        args = tuple(_decode(run, a) for a in init["args"])
        kwargs = {k: _decode(run, v) for k, v in init["kwargs"].items()}
        obj, exc = _kind(run.module, primitive)(*args, **kwargs), None
    except Exception as e:
        obj, exc = None, type(e)
    finally:
        _RECORDING.pop(ident, None)
    c = _Completion("init", -1, None, exc, caught, 0.0, ident)
    if not _outcome_matches(run, init["outcome"], c, exact, ident):
        seen = f"raised {exc.__name__}" if exc else "returned"
        return obj, f"constructor {seen}, expected {init['outcome']}"
    return obj, None


def replay(vector: dict[str, Any], module: ModuleType, exact_warnings: bool) -> Failure | None:
    """Replay one scenario's vector against ``module``; the first failure, if any."""
    run = _Run(module)
    name = vector["name"]
    saved_hook = getattr(module, "excepthook", None)
    if saved_hook is not None and hasattr(module, "__excepthook__"):  # a run starts with the module's own
        setattr(module, "excepthook", module.__excepthook__)  # noqa: B010 - any module, not only threading
    try:
        obj, why = _init(run, vector["primitive"], vector["init"], exact_warnings)
        if why is not None:
            return Failure(name, -1, why)
        run.objects.append(obj)
        live = {0}
        for step in vector["steps"]:
            why_or_live = _replay_step(run, obj, step, live, exact_warnings)
            if isinstance(why_or_live, str):
                return Failure(name, step["index"], why_or_live)
            live = why_or_live
        return None
    finally:
        _finish(run, saved_hook)


def _replay_step(run: _Run, obj: Any, step: dict[str, Any], live: set[int], exact: bool) -> set[int] | str:
    cases = [c for c in step["cases"] if set(c["from"]) & live]
    start = len(run.completed)
    own, skipped = None, False
    if step["by"] == "env":
        for c in step["calls"]:
            why = _environment(run, c)
            if why is not None:
                return why
    else:
        key = _thread_key(step["by"])
        with run.mutex:
            skipped = key in run.busy
            start = len(run.completed)
        if not skipped:
            own = key
            _send(run, key, [_thunk(run, obj, c) for c in step["calls"]])
    return _Step(run, cases, own, skipped, start, exact).await_case()


def _finish(run: _Run, saved_hook: Any) -> None:
    """Let the scenario's threads go: idle workers return to the pool, every gate opens, a Timer is cancelled
    and a started Thread joined (so that it does not end while the next scenario counts
    threads), the module's excepthook is put back."""
    with run.mutex:
        _IDLE.extend(m for key, m in sorted(run.workers.items()) if key not in run.busy)
    for g in list(run.gates.values()):
        g.open(None)
    for o in run.objects:
        if isinstance(getattr(run.module, "Timer", None), type) and isinstance(o, run.module.Timer):
            o.cancel()
        if isinstance(o, run.module.Thread) and o.ident is not None:
            o.join(DEADLINE)
    if saved_hook is not None:
        setattr(run.module, "excepthook", saved_hook)  # noqa: B010 - any module, not only threading


def replay_file(path: str, module: ModuleType) -> list[Failure]:
    """Replay every vector of a file against ``module``; the failures (a private class the
    module lacks, such as ``_PyRLock``, is skipped)."""
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    primitive = data["primitive"]
    if primitive.startswith("_") and not hasattr(module, primitive):
        return []
    failures = []
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        for v in data["scenarios"]:
            if _lacks_private(module, v):
                continue
            warnings.showwarning = _show_warning
            f = replay(v, module, data["exact_warnings"])
            if f is not None:
                failures.append(f)
    return failures


def _lacks_private(module: ModuleType, vector: dict[str, Any]) -> bool:
    text = json.dumps(vector["init"]) + json.dumps([s["calls"] for s in vector["steps"]])
    return any(not hasattr(module, k) for k in re.findall(r'"new": "(_\w+)"', text))


def main(argv: list[str]) -> int:
    """``python vectors_consumer.py [--module NAME] FILE...``: replay vector files against a
    module (default ``threading``) of the interpreter that runs this file; prints each failure;
    exit status 0 when every vector passes, 1 otherwise."""
    import importlib

    name = "threading"
    if argv[:1] == ["--module"]:
        name, argv = argv[1], argv[2:]
    module = importlib.import_module(name)
    failed = 0
    for path in argv:
        failures = replay_file(path, module)
        failed += len(failures)
        for f in failures:
            print(f"{os.path.basename(path)}: {f}")
    print(f"{failed} failures in {len(argv)} files")
    return 1 if failed else 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
