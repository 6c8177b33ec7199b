"""The threadspec conformance agent: runs inside the interpreter under test.

    python agent.py [--module NAME] [--prelude CODE] [--workers threads|gevent|eventlet|processes]

Reads commands (JSON lines) on stdin, performs them on the module under test with
its own worker threads, and writes events (JSON lines) on stdout. The messages
are described in PROTOCOL.md, next to this file.

This one file must run unchanged on CPython 2.7 and 3.6-3.14 and on PyPy, so it
uses the standard library only and no syntax newer than Python 2.7 (no f-strings,
no annotations, no keyword-only arguments, no ``nonlocal``). It must not import
``threading`` (or anything that does): the module under test may be a replacement
for it, and the agent's own threads and locks come from ``_thread`` alone, so a
broken ``Thread`` or ``Condition`` in the target cannot break the agent.
"""

import json
import os
import sys
import time
import warnings

PY3 = sys.version_info[0] >= 3

if PY3:
    import _thread as _primitive
    import builtins as _builtins
else:  # pragma: no cover - Python 2.7
    import thread as _primitive
    import __builtin__ as _builtins

allocate_lock = _primitive.allocate_lock
get_ident = _primitive.get_ident
start_new_thread = _primitive.start_new_thread

try:
    import contextvars as _contextvars
except ImportError:  # pragma: no cover - before 3.7
    _contextvars = None

# A context variable of the agent's own: what it reads in a Thread's run() tells in which context
# the thread runs (3.14's context argument). The main thread sets it to "main", each worker to
# "worker N"; an empty context reads "unset".
_probe = _contextvars.ContextVar("threadspec_probe", default="unset") if _contextvars else None


def set_probe(value):
    if _probe is not None:
        _probe.set(value)


if hasattr(time, "monotonic"):
    _clock = time.monotonic
elif sys.platform.startswith("java"):  # pragma: no cover - Jython
    # Jython's time.time() steps by a millisecond; its time.clock() is the JVM's nanoTime
    # (wall time since start, process-wide), not CPU time as on CPython 2.7
    _clock = time.clock
else:  # pragma: no cover - Python 2.7
    _clock = time.time

RESOLUTION_SAMPLES = 5
"""Distinct steps of the clock looked at to find its resolution (at most 50 ms spent)."""


def clock_resolution():
    """The smallest step seen between two readings of the clock that differ (seconds): how
    much shorter than it was an interval between two time stamps may appear."""
    steps = []
    deadline = _clock() + 0.05
    last = _clock()
    while len(steps) < RESOLUTION_SAMPLES:
        now = _clock()
        if now != last:
            steps.append(now - last)
            last = now
        elif now > deadline:
            break
    positive = [x for x in steps if x > 0]
    return min(positive) if positive else None

if PY3:
    _text_types = (str,)
    _int_types = (int,)
else:  # pragma: no cover - Python 2.7
    _text_types = (str, unicode)  # noqa: F821
    _int_types = (int, long)  # noqa: F821


class Malformed(Exception):
    """A command the agent cannot carry out as written (answered by an error event)."""


class ArgumentRaised(Exception):
    """Building a {"new": ...} argument raised; ``exc_type`` is what it raised."""

    def __init__(self, exc_type, message):
        Exception.__init__(self, message)
        self.exc_type = exc_type


# ---------------------------------------------------------------------------
# Output: one JSON object per line, one writer at a time
# ---------------------------------------------------------------------------

_out = None
_out_lock = allocate_lock()


def setup_output():
    """Keep a private copy of stdout for events; send everything else printed to
    stdout (by the prelude, the module or a target function) to stderr."""
    global _out
    try:
        sys.stdout.flush()
    except Exception:
        pass
    if hasattr(os, "dup") and hasattr(os, "dup2"):
        _out = os.fdopen(os.dup(1), "wb")
        try:
            os.dup2(2, 1)
        except OSError:
            pass
    else:
        # Jython has neither: events keep the stdout stream itself, and what Python code
        # prints goes to stderr (below); only a write to descriptor 1 could reach events
        _out = getattr(sys.stdout, "buffer", sys.stdout)
    sys.stdout = sys.stderr


_last_t = [0.0]

FLUSH_DELAY = 0.005
"""Seconds after which events held back (by calls made back to back) are sent anyway:
one of those calls may block."""

_held = [False]  # events written but not yet flushed; the flusher has been signalled
_flush_signal = allocate_lock()  # released once per spell of held events
_flush_signal.acquire()


def event(name, fields, hold=False):
    """Write one event. Its time is read under the output lock, so that ``t`` never
    decreases from one line to the next (even where the clock is ``time.time``):
    an ``invoke`` is stamped just before its call starts, a ``return`` just after
    its call ended.

    ``hold``: do not flush yet (no system call, so no other thread is let in): the
    event goes out with the next one that is not held, or ``FLUSH_DELAY`` later."""
    ev = {"ev": name}
    ev.update(fields)
    _out_lock.acquire()
    try:
        t = _clock()
        if t < _last_t[0]:
            t = _last_t[0]
        _last_t[0] = ev["t"] = t
        line = json.dumps(ev, separators=(",", ":"))
        if not isinstance(line, bytes):
            line = line.encode("ascii")
        try:
            _out.write(line + b"\n")
            if not hold:
                _out.flush()
            elif not _held[0]:
                _held[0] = True
                _flush_signal.release()
        except (IOError, OSError, ValueError):
            # The host has gone away: nobody is left to report to.
            os._exit(1)
    finally:
        _out_lock.release()


def flusher():
    """Sends held events ``FLUSH_DELAY`` after the first of them was written."""
    while True:
        _flush_signal.acquire()
        time.sleep(FLUSH_DELAY)
        _out_lock.acquire()
        try:
            _held[0] = False
            try:
                _out.flush()
            except (IOError, OSError, ValueError):
                os._exit(1)
        finally:
            _out_lock.release()


def one_line(text):
    try:
        text = str(text)
    except Exception:  # a 2.7 unicode message that is not ASCII
        text = repr(text)
    return " ".join(text.split())


def error(message, cmd=None):
    fields = {"error": one_line(message)}
    if isinstance(cmd, dict):
        for key in ("id", "obj", "gate"):
            if key in cmd:
                fields[key] = cmd[key]
    event("error", fields)


# ---------------------------------------------------------------------------
# State shared by the main thread and the workers
# ---------------------------------------------------------------------------

_module = None
_objects = {}  # obj id -> object; 0 is the module under test
_ref_of = {}  # id(object) -> obj id, for encoding results
_gates = {}  # gate id -> Gate
_gate_of = {}  # id(gate function) -> gate id
_hooks = {}  # hook name -> an agent-provided trace/profile function that does nothing
_hook_of = {}  # id(hook function) -> hook name
_workers = {}  # worker id -> Worker
_worker_of = {}  # thread ident -> worker id
_recording = {}  # thread ident -> list of warning category names, while a call runs


def bind_object(obj_id, value):
    _objects[obj_id] = value
    _ref_of[id(value)] = obj_id


_main_ident = [None]  # the ident of the agent's main thread (the interpreter's main thread)

ORIGINALS = ("excepthook",)
"""The module globals whose value at import an {"original": name} argument stands for."""
ABSENT = object()
"""The original value of a global the module did not have."""
_originals = {}  # name -> the module's value of it at import (ABSENT: it had none)


def save_originals():
    for name in ORIGINALS:
        _originals[name] = getattr(_module, name, ABSENT)


def restore_originals():
    """Put the module's own hooks back: every run starts as the spec's model of it does, with the
    module as imported, whatever an earlier run (a random schedule's set:excepthook) left."""
    for name, value in _originals.items():
        if value is not ABSENT and getattr(_module, name, ABSENT) is not value:
            setattr(_module, name, value)
    # ... and this thread without the agent's trace or profile function: a Thread of an earlier run
    # installs it in its own thread before its run(), and green threads (gevent's) share this one's
    for get, put in (("gettrace", "settrace"), ("getprofile", "setprofile")):
        if getattr(sys, get, None) is not None and id(getattr(sys, get)()) in _hook_of:
            getattr(sys, put)(None)


# ---------------------------------------------------------------------------
# Warnings: each warning is attributed to the call running on its thread
# ---------------------------------------------------------------------------

_original_showwarning = warnings.showwarning


def showwarning(message, category, filename, lineno, file=None, line=None):
    caught = _recording.get(get_ident())
    if caught is not None:
        caught.append(getattr(category, "__name__", str(category)))
        return
    _original_showwarning(message, category, filename, lineno, file, line)


def setup_warnings():
    warnings.simplefilter("always")
    warnings.showwarning = showwarning


# ---------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------


def native_text(s):
    """On Python 2.7, ASCII unicode becomes str (attribute and keyword names must be)."""
    if not PY3 and isinstance(s, unicode):  # noqa: F821
        try:
            return s.encode("ascii")
        except UnicodeError:
            return s
    return s


def is_int(v):
    return isinstance(v, _int_types) and not isinstance(v, bool)


def encode(value, depth=0):
    """A JSON-able description of a result (see PROTOCOL.md, Values)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, _int_types):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, _text_types):
        if not PY3 and isinstance(value, str):
            return value.decode("utf-8", "replace")
        return value
    obj_id = _ref_of.get(id(value))
    if obj_id is not None and _objects.get(obj_id) is value:
        return {"ref": obj_id}
    gate_id = _gate_of.get(id(value))
    if gate_id is not None and _gates[gate_id].function is value:
        return {"gate": gate_id}
    hook_name = _hook_of.get(id(value))
    if hook_name is not None and _hooks[hook_name] is value:
        return {"hook": hook_name}
    if isinstance(value, (tuple, list)) and depth < 32:
        return [encode(v, depth + 1) for v in value]
    cls = getattr(value, "__class__", type(value))
    encoded = {
        "type": str(getattr(cls, "__name__", "?")),
        "module": str(getattr(cls, "__module__", "?")),
    }
    summary = thread_summary(value)
    if summary is not None:
        encoded["thread"] = summary
    return encoded


def is_module_thread(value):
    """Is ``value`` a thread object of the module: an instance of its ``Thread``, or of a class
    its ``Thread`` derives from, when that class is named ``Thread`` (a library that patches
    threading, as gevent does, subclasses the Thread of the threads made before the patch) or
    has a name, daemon flag and ident (Jython's dummy threads are ``threading.JavaThread``,
    ``Thread``'s base). An object of an unrelated class is not one, whatever it is called."""
    thread_class = getattr(_module, "Thread", None)
    try:
        if not isinstance(thread_class, type):
            return False
        if isinstance(value, thread_class):
            return True
        for base in getattr(thread_class, "__mro__", ())[1:]:
            if base is object or not isinstance(value, base):
                continue
            if base.__name__ == "Thread" or all(hasattr(value, a) for a in ("name", "daemon", "ident")):
                return True
        return False
    except:  # noqa: E722 - on Jython a Java exception is no Exception subclass
        return False


def ident_relation(ident):
    """Whose thread ``ident`` is, as the host can check it without knowing idents."""
    if ident is None:
        return None
    if ident == get_ident():
        return "caller"
    if ident == _main_ident[0]:
        return "main"
    if ident in _worker_of:
        return "worker"
    return "other"


def thread_summary(value):
    """For a Thread of the module: its name, daemon flag, whose thread its ident is, and
    whether another Thread object the host created has the same name (PROTOCOL.md)."""
    if not is_module_thread(value):
        return None
    summary = {}
    for key, attribute in (("name", "name"), ("daemon", "daemon"), ("ident", "ident")):
        try:
            summary[key] = getattr(value, attribute)
        except:  # noqa: E722 - on Jython a Java exception is no Exception subclass
            summary[key] = None
    summary["ident"] = ident_relation(summary["ident"])
    if not isinstance(summary["daemon"], bool):
        summary["daemon"] = None
    name = summary["name"]
    summary["name"] = encode(name) if isinstance(name, _text_types) else None
    shared = False
    for other in list(_objects.values()):
        try:
            if other is not value and is_module_thread(other) and other.name == name:
                shared = True
                break
        except:  # noqa: E722 - on Jython a Java exception is no Exception subclass
            pass
    summary["name_shared"] = shared
    return summary


def decode(value):
    """Python arguments from JSON ones; builds {"new": ...} objects on this thread."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, dict):
        keys = set(value)
        if keys == set(["ref"]):
            obj_id = value["ref"]
            if not is_int(obj_id) or obj_id not in _objects:
                raise Malformed("unknown object %r" % (obj_id,))
            return _objects[obj_id]
        if keys == set(["gate"]):
            return gate(value["gate"]).function
        if keys == set(["hook"]):
            return hook(value["hook"])
        if keys == set(["original"]):
            if value["original"] not in _originals:
                raise Malformed("no original value of %r" % (value["original"],))
            return _originals[value["original"]]
        if "new" in keys and keys <= set(["new", "args", "kwargs", "obj"]):
            return build_argument(value)
        return dict((native_text(k), decode(v)) for k, v in value.items())
    if isinstance(value, _text_types):
        return native_text(value)
    return value


def decode_call_args(cmd):
    args = cmd.get("args", [])
    kwargs = cmd.get("kwargs", {})
    if not isinstance(args, list):
        raise Malformed("args must be a list")
    if not isinstance(kwargs, dict):
        raise Malformed("kwargs must be an object")
    return decode(args), dict((native_text(k), decode(v)) for k, v in kwargs.items())


def fresh_obj_id(cmd, field):
    obj_id = cmd.get(field)
    if not is_int(obj_id) or obj_id <= 0:
        raise Malformed("%s must be a positive integer" % field)
    if obj_id in _objects:
        raise Malformed("object %d already exists" % obj_id)
    return obj_id


def build_argument(spec):
    """A {"new": kind, "args": [...], "kwargs": {...}, "obj": n} argument."""
    kind = spec["new"]
    if not isinstance(kind, _text_types) or not kind:
        raise Malformed("new must name an attribute of the module")
    obj_id = fresh_obj_id(spec, "obj") if "obj" in spec else None
    args, kwargs = decode_call_args(spec)
    try:
        value = module_kind(kind)(*args, **kwargs)
    except:  # noqa: E722
        exc_type = sys.exc_info()[0]
        raise ArgumentRaised(exc_type, "new %s argument raised %s" % (kind, getattr(exc_type, "__name__", "?")))
    if obj_id is not None:
        bind_object(obj_id, value)
    return value


# ---------------------------------------------------------------------------
# Exceptions
# ---------------------------------------------------------------------------


def mro_names(cls):
    mro = getattr(cls, "__mro__", None)
    if mro is None:  # a Python 2.7 classic class
        mro, todo = [], [cls]
        while todo:
            c = todo.pop(0)
            if c not in mro:
                mro.append(c)
                todo.extend(getattr(c, "__bases__", ()))
    return [str(getattr(c, "__name__", "?")) for c in mro]


def exception_fields(cls):
    names = mro_names(cls)
    thread_error = getattr(_module, "ThreadError", None)
    if thread_error is not None and "ThreadError" not in names:
        try:
            if issubclass(cls, thread_error):
                names.append("ThreadError")
        except TypeError:
            pass
    return {"exc": str(getattr(cls, "__name__", "?")), "mro": names}


# ---------------------------------------------------------------------------
# Gates
# ---------------------------------------------------------------------------


def encode_argument(value, depth=0):
    """How a gate reports an argument it was called with: as ``encode`` would, except
    that a class is ``{"class": name}`` (an excepthook gets the exception's class), also
    inside lists and tuples."""
    if id(value) in _ref_of or id(value) in _gate_of:
        return encode(value, depth)
    if isinstance(value, type) or type(value).__name__ == "classobj":  # 2.7 classic classes too
        return {"class": str(getattr(value, "__name__", "?"))}
    if isinstance(value, (tuple, list)) and depth < 32:
        return [encode_argument(v, depth + 1) for v in value]
    return encode(value, depth)


class Gate(object):
    """A function the host controls: it blocks until the host opens the gate.

    A thread that calls it and is not a worker (a Thread's own thread, in its target)
    makes, while it waits, the calls the host sends to the gate (``"gate"`` instead of
    ``"worker"`` in a call)."""

    def __init__(self, gate_id):
        self.gate_id = gate_id
        self.mutex = allocate_lock()
        self.door = allocate_lock()
        self.door.acquire()
        self.opened = False
        self.exc = None
        self.items = []  # calls for the thread waiting in the gate
        self.sleepers = []  # locks of the non-worker threads waiting for an item or the opening
        self.function = self.make_function()
        _gate_of[id(self.function)] = gate_id

    def make_function(self):
        gate = self

        def gate_function(*args, **kwargs):
            return gate.pass_through(args, kwargs)

        gate_function.__name__ = "gate_%d" % self.gate_id
        return gate_function

    def pass_through(self, args, kwargs):
        where = {"gate": self.gate_id, "worker": _worker_of.get(get_ident())}
        alien = where["worker"] is None
        if alien:
            _watcher.entered(self.gate_id)
        called = {"args": encode_argument(list(args)), "kwargs": {}}
        for key, value in kwargs.items():
            called["kwargs"][str(key)] = encode_argument(value)
        called.update(where)
        if alien:  # the hooks the module installed in this thread before its run(), and its ids
            called["trace"] = encode(sys.gettrace())
            called["profile"] = encode(sys.getprofile())
            called["ident"] = get_ident()
            called["native_id"] = native_thread_id()
            if _probe is not None:  # the context its run() runs in (see _probe)
                called["context"] = _probe.get()
        event("gate-enter", called)
        if alien:
            self.serve()
        else:
            self.door.acquire()
            self.door.release()
        exc = self.exc
        event("gate-exit", where)
        if alien:
            _watcher.left()
        if exc is not None:
            raise exc("gate %d raised by the host" % self.gate_id)
        return None

    def serve(self):
        """Wait for the gate to open, making the calls sent to the gate meanwhile."""
        wake = allocate_lock()
        wake.acquire()
        while True:
            self.mutex.acquire()
            try:
                item = self.items.pop(0) if self.items else None
                done = item is None and self.opened
                if item is None and not done:
                    self.sleepers.append(wake)
            finally:
                self.mutex.release()
            if done:
                return
            if item is None:
                wake.acquire()
                continue
            try:
                run_call(item)
            except:  # noqa: E722 - also a Java exception (Jython), no Exception subclass
                error("agent failure in call %r: %s" % (item[0], sys.exc_info()[1]), {"id": item[0]})

    def put(self, items):
        self.mutex.acquire()
        try:
            self.items.extend(items)
            sleepers, self.sleepers = self.sleepers, []
        finally:
            self.mutex.release()
        for wake in sleepers:
            wake.release()

    def open(self, exc):
        self.mutex.acquire()
        try:
            if self.opened:
                return
            self.opened = True
            self.exc = exc
            sleepers, self.sleepers = self.sleepers, []
        finally:
            self.mutex.release()
        for wake in sleepers:
            wake.release()
        self.door.release()


def gate(gate_id):
    if not is_int(gate_id):
        raise Malformed("gate must be an integer")
    if gate_id not in _gates:
        _gates[gate_id] = Gate(gate_id)
    return _gates[gate_id]


def hook(name):
    """The agent's trace/profile function called ``name``: it does nothing (returning None
    also stops local tracing), so a thread it is installed in runs as before."""
    if not isinstance(name, _text_types):
        raise Malformed("hook must be a string")
    name = native_text(name)
    if name not in _hooks:
        def hook_function(frame, event, arg):
            return None

        hook_function.__name__ = "hook_" + name
        _hooks[name] = hook_function
        _hook_of[id(hook_function)] = name
    return _hooks[name]


def builtin_exception(name):
    if name is None:
        return None
    cls = getattr(_builtins, native_text(name), None) if isinstance(name, _text_types) else None
    if not (isinstance(cls, type) and issubclass(cls, BaseException)):
        raise Malformed("raise must name a builtin exception, not %r" % (name,))
    try:
        cls("probe")
    except Exception:
        raise Malformed("%s cannot be raised with a message" % name)
    return cls


# ---------------------------------------------------------------------------
# Thread ends: the OS threads that called gates, watched until they are gone
# ---------------------------------------------------------------------------

TASKS = "/proc/self/task"
"""Where Linux lists the process's OS threads (one directory per thread id)."""

WATCH_POLL = 0.001
"""Seconds between two looks at the threads being watched."""


def native_thread_id():
    """The OS's id of the calling thread, or None where it cannot be had."""
    get = getattr(_primitive, "get_native_id", None)
    if get is not None:
        try:
            return get()
        except Exception:
            pass
    try:
        return int(os.readlink("/proc/thread-self").split("/")[-1])
    except (OSError, ValueError, AttributeError):
        return None


class Watcher(object):
    """Reports ``thread-exit`` once an OS thread that called gates without being a worker
    (a Thread's own thread) is gone: its directory has left ``/proc/self/task``. By then
    the thread has finished everything it does, so the report is never early; a thread id
    reused at once only makes it late (never sent)."""

    def __init__(self):
        self.mutex = allocate_lock()
        self.signal = allocate_lock()
        self.signal.acquire()
        self.waiting = False
        # OS thread id -> [gate ids it called, left a gate since, what it wrote to sys.stderr,
        # the class names sys.excepthook was called with in it]
        self.threads = {}
        self.enabled = os.path.isdir(TASKS)

    def entered(self, gate_id):
        """The calling thread entered gate ``gate_id``."""
        tid = native_thread_id() if self.enabled else None
        if tid is None:
            return
        self.mutex.acquire()
        try:
            gates = self.threads.setdefault(tid, [[], False, [], []])[0]
            if gate_id not in gates:
                gates.append(gate_id)
        finally:
            self.mutex.release()

    def left(self):
        """The calling thread left a gate: from now on it may end at any time."""
        tid = native_thread_id() if self.enabled else None
        self.mutex.acquire()
        try:
            record = self.threads.get(tid)
            if record is None:
                return
            record[1] = True
            wake, self.waiting = self.waiting, False
        finally:
            self.mutex.release()
        if wake:
            self.signal.release()

    def record(self, field, item):
        """Keep ``item`` in ``field`` (2: stderr text, 3: a sys.excepthook call) of the calling
        thread's record, if it is watched (at most STDERR_LIMIT characters of text are kept)."""
        if not self.threads:
            return
        tid = native_thread_id() if self.enabled else None
        self.mutex.acquire()
        try:
            r = self.threads.get(tid)
            if r is not None and (field != 2 or sum(len(x) for x in r[2]) < STDERR_LIMIT):
                r[field].append(item)
        finally:
            self.mutex.release()

    def main(self):
        while True:
            self.mutex.acquire()
            try:
                watched = [(tid, r) for tid, r in self.threads.items() if r[1]]
                self.waiting = not watched
            finally:
                self.mutex.release()
            if not watched:
                self.signal.acquire()
                continue
            time.sleep(WATCH_POLL)
            for tid, r in watched:
                if os.path.exists("%s/%d" % (TASKS, tid)):
                    continue
                self.mutex.acquire()
                try:
                    del self.threads[tid]
                finally:
                    self.mutex.release()
                text = "".join(r[2])[:STDERR_LIMIT]
                event("thread-exit", {"gates": sorted(r[0]), "stderr": text, "sys_excepthook": r[3]})


_watcher = Watcher()

STDERR_LIMIT = 16384
"""Characters of a watched thread's writes to sys.stderr kept for its ``thread-exit``."""


def as_text(data):
    """What was written, as text (2.7 byte strings decoded as UTF-8 with replacement)."""
    if isinstance(data, bytes) and not isinstance(data, str) or not PY3 and isinstance(data, str):
        return data.decode("utf-8", "replace")
    try:
        return u"%s" % (data,)
    except Exception:
        return u"?"


class StderrCapture(object):
    """``sys.stderr`` while the agent runs: writes go to the real stream, and a watched thread's
    (a Thread's own, once it called a gate) are also kept for its ``thread-exit``: what its
    uncaught exception's handling printed. Everything else is the real stream's."""

    def __init__(self, stream):
        self.__dict__["_stream"] = stream

    def write(self, data):
        _watcher.record(2, as_text(data))
        return self._stream.write(data)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def __getattr__(self, name):
        return getattr(self._stream, name)

    def __setattr__(self, name, value):  # 2.7's print statement sets softspace
        setattr(self._stream, name, value)


def sys_excepthook(exc_type, value, traceback):
    """``sys.excepthook`` while the agent runs: notes the class in a watched thread's record
    (an excepthook that raised hands its exception here, 3.8+), then calls the original."""
    _watcher.record(3, str(getattr(exc_type, "__name__", "?")))
    return _original_sys_excepthook[0](exc_type, value, traceback)


_original_sys_excepthook = [None]


def capture_stderr():
    """Install ``StderrCapture`` and ``sys_excepthook`` (where threads are watched)."""
    if not _watcher.enabled or sys.stderr is None:
        return
    sys.stderr = StderrCapture(sys.stderr)
    _original_sys_excepthook[0] = sys.excepthook
    sys.excepthook = sys_excepthook


# ---------------------------------------------------------------------------
# Workers
# ---------------------------------------------------------------------------


class Worker(object):
    """A thread of the agent that runs the calls sent to it, one at a time, in order."""

    def __init__(self, worker_id):
        self.worker_id = worker_id
        self.mutex = allocate_lock()
        self.signal = allocate_lock()
        self.signal.acquire()
        self.items = []
        self.waiting = False

    def put(self, items):
        self.mutex.acquire()
        try:
            self.items.extend(items)
            wake = self.waiting
            self.waiting = False
        finally:
            self.mutex.release()
        if wake:
            self.signal.release()

    def get(self):
        while True:
            self.mutex.acquire()
            try:
                if self.items:
                    return self.items.pop(0)
                self.waiting = True
            finally:
                self.mutex.release()
            self.signal.acquire()

    def main(self):
        _worker_of[get_ident()] = self.worker_id
        set_probe("worker %d" % self.worker_id)
        while True:
            item = self.get()
            try:
                run_call(item)
            except:  # noqa: E722 - also a Java exception (Jython), no Exception subclass
                error("agent failure in call %r: %s" % (item[0], sys.exc_info()[1]), {"id": item[0]})


def worker(worker_id):
    if not is_int(worker_id):
        raise Malformed("worker must be an integer")
    w = _workers.get(worker_id)
    if w is None:
        w = Worker(worker_id)
        start_new_thread(w.main, ())
        _workers[worker_id] = w
    return w


def perform(target, op, args, kwargs):
    if "()." in op:  # "name().rest": rest on what name() returns (current_thread().join)
        head, op = op.split("().", 1)
        target = getattr(target, head)()
    if op.startswith("get:"):
        return getattr(target, op[4:])
    if op.startswith("set:"):
        if args[0] is ABSENT:  # an {"original": name} the module did not have
            if hasattr(target, op[4:]):
                delattr(target, op[4:])
            return None
        setattr(target, op[4:], args[0])
        return None
    if op.startswith("del:"):
        delattr(target, op[4:])
        return None
    return getattr(target, op)(*args, **kwargs)


def run_call(item):
    """Make one call and report it. ``batched``: the call is one of several sent together,
    ``more``: another of them follows. Between calls sent together nothing is flushed, so
    that they are made back to back: no system call lets another thread run in between."""
    call_id, target, op, args, kwargs, batched, more = item
    ident = get_ident()
    caught = []
    _recording[ident] = caught
    event("invoke", {"id": call_id}, hold=batched)
    try:
        value = perform(target, op, args, kwargs)
        exc_type = None
    except:  # noqa: E722 - everything the call raises is an observation (even classic classes)
        exc_type = sys.exc_info()[0]
    _recording.pop(ident, None)
    if exc_type is None:
        event("return", {"id": call_id, "value": encode(value), "warnings": caught}, hold=more)
    else:
        fields = exception_fields(exc_type)
        fields["id"] = call_id
        fields["warnings"] = caught
        event("raise", fields, hold=more)


# ---------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------


_local_subclass = []


def local_subclass():
    """``LocalSubclass``: a subclass of the module's ``local`` whose ``__init__`` stores
    its positional arguments, as a tuple, in the attribute ``args``."""
    base = _module.local
    if not _local_subclass or _local_subclass[0][0] is not base:

        def __init__(self, *args):
            self.args = args

        del _local_subclass[:]
        _local_subclass.append((base, type("LocalSubclass", (base,), {"__init__": __init__})))
    return _local_subclass[0][1]


_thread_subclass = []


def thread_subclass():
    """``ThreadSubclass``: a subclass of the module's ``Thread`` whose ``run()`` overrides the
    standard one: it calls the function given as the keyword argument ``run`` (None: nothing),
    with no arguments, and nothing else (not the target). Its other arguments are ``Thread``'s."""
    base = _module.Thread
    if not _thread_subclass or _thread_subclass[0][0] is not base:

        def __init__(self, *args, **kwargs):
            self._threadspec_run = kwargs.pop("run", None)
            base.__init__(self, *args, **kwargs)

        def run(self):
            if self._threadspec_run is not None:
                self._threadspec_run()

        del _thread_subclass[:]
        made = type("ThreadSubclass", (base,), {"__init__": __init__, "run": run})
        _thread_subclass.append((base, made))
    return _thread_subclass[0][1]


def context_kind(name):
    """``Context`` (a new, empty ``contextvars.Context``) and ``CopiedContext``
    (``contextvars.copy_context()``, made in the agent's main thread: its probe reads "main")."""

    def kind():
        if _contextvars is None:
            raise Malformed("%s needs contextvars (Python 3.7+)" % name)
        return _contextvars.Context if name == "Context" else _contextvars.copy_context

    return kind


AGENT_KINDS = {
    "LocalSubclass": local_subclass,
    "ThreadSubclass": thread_subclass,
    "Context": context_kind("Context"),
    "CopiedContext": context_kind("CopiedContext"),
}
"""Kinds the agent provides itself, where the module has no attribute of that name."""


def module_kind(kind):
    """The class a ``new`` of ``kind`` calls: the module's attribute, or an agent kind."""
    kind = native_text(kind)
    if kind in AGENT_KINDS and not hasattr(_module, kind):
        return AGENT_KINDS[kind]()
    return getattr(_module, kind)


def cmd_new(cmd):
    if cmd.get("run"):  # the object of a new run: the run starts with the module as imported
        restore_originals()
    obj_id = fresh_obj_id(cmd, "obj")
    kind = cmd.get("kind")
    if not isinstance(kind, _text_types) or not kind:
        raise Malformed("kind must be a non-empty string")
    ident = get_ident()
    caught = []
    _recording[ident] = caught
    try:
        try:
            args, kwargs = decode_call_args(cmd)
            value = module_kind(kind)(*args, **kwargs)
            exc_type = None
        except ArgumentRaised:
            exc_type = sys.exc_info()[1].exc_type
        except Malformed:
            raise
        except:  # noqa: E722
            exc_type = sys.exc_info()[0]
    finally:
        _recording.pop(ident, None)
    if exc_type is None:
        bind_object(obj_id, value)
        event("created", {"obj": obj_id, "warnings": caught})
    else:
        fields = exception_fields(exc_type)
        fields["obj"] = obj_id
        fields["warnings"] = caught
        event("create-raised", fields)


def parse_call(cmd):
    """The item a worker runs for one call: ``(id, target, op, args, kwargs)``."""
    call_id = cmd.get("id")
    if not (is_int(call_id) or isinstance(call_id, _text_types)):
        raise Malformed("id must be an integer or a string")
    obj_id = cmd.get("obj")
    if not is_int(obj_id) or obj_id not in _objects:
        raise Malformed("unknown object %r" % (obj_id,))
    op = cmd.get("op")
    if not isinstance(op, _text_types) or not op:
        raise Malformed("op must be a non-empty string")
    op = native_text(op)
    try:
        args, kwargs = decode_call_args(cmd)
    except ArgumentRaised:
        raise Malformed(str(sys.exc_info()[1]))
    prefix = op[:4]
    if prefix in ("get:", "set:", "del:"):
        if not op[4:]:
            raise Malformed("%s needs an attribute name" % prefix)
        if kwargs or len(args) != (1 if prefix == "set:" else 0):
            raise Malformed("%s takes %s" % (prefix, "exactly one argument" if prefix == "set:" else "no arguments"))
    return (call_id, _objects[obj_id], op, args, kwargs)


def mailbox(cmd):
    """Who makes the calls of ``cmd``: its worker, or (``"gate"`` instead of ``"worker"``)
    the thread, not a worker, that waits in that gate."""
    if "worker" not in cmd and "gate" in cmd:
        return gate(cmd["gate"])
    w = cmd.get("worker")
    if not is_int(w):
        raise Malformed("worker must be an integer")
    return worker(w)


def cmd_call(cmd):
    item = parse_call(cmd)
    mailbox(cmd).put([item + (False, False)])


def cmd_calls(cmd):
    """Several calls, made back to back, in order, by one worker (or the thread in a gate)."""
    calls = cmd.get("calls")
    if not isinstance(calls, list) or not calls or not all(isinstance(c, dict) for c in calls):
        raise Malformed("calls must be a non-empty list of objects")
    items = [parse_call(c) for c in calls]
    last = len(items) - 1
    mailbox(cmd).put([item + (True, i < last) for i, item in enumerate(items)])


def cmd_open(cmd):
    g = gate(cmd.get("gate"))
    g.open(builtin_exception(cmd.get("raise")))


def cmd_ping(cmd):
    event("pong", {"id": cmd.get("id")})


def cmd_quit(cmd):
    os._exit(0)


COMMANDS = {
    "new": cmd_new,
    "call": cmd_call,
    "calls": cmd_calls,
    "open": cmd_open,
    "ping": cmd_ping,
    "quit": cmd_quit,
}


def handle(line):
    try:
        cmd = json.loads(line)
    except ValueError:
        error("not JSON: %s" % sys.exc_info()[1])
        return
    if not isinstance(cmd, dict):
        error("a command must be a JSON object")
        return
    handler = COMMANDS.get(cmd.get("cmd")) if isinstance(cmd.get("cmd"), _text_types) else None
    if handler is None:
        error("unknown command %r" % (cmd.get("cmd"),), cmd)
        return
    try:
        handler(cmd)
    except Malformed:
        error("%s: %s" % (cmd.get("cmd"), sys.exc_info()[1]), cmd)
    except:  # noqa: E722 - also a Java exception (Jython), no Exception subclass
        error("agent failure in %s: %s" % (cmd.get("cmd"), sys.exc_info()[1]), cmd)


def serve(read_line=None):
    """Read commands until stdin closes (which is taken as quit); ``read_line(stdin)`` reads
    one where the workers are green threads (see ``use_workers``)."""
    stdin = getattr(sys.stdin, "buffer", sys.stdin)  # bytes: UTF-8 whatever the locale
    while True:
        line = stdin.readline() if read_line is None else read_line(stdin)
        if not line:
            os._exit(0)
        if PY3:
            line = line.decode("utf-8", "replace")
        if line.strip():
            try:
                handle(line)
            except:  # noqa: E722 - never let one command end the agent (nor a Java exception)
                sys.stderr.write("agent: failure handling %r: %s\n" % (line, sys.exc_info()[1]))


# ---------------------------------------------------------------------------
# Green workers: the library's own threads (agent.py --workers gevent|eventlet)
# ---------------------------------------------------------------------------


def green_gevent():
    """gevent: workers are greenlets of the main OS thread; stdin is read in a real OS thread
    of the agent's own, so the hub runs the workers while the agent waits. (Not in gevent's
    threadpool: it runs each task with threading's trace and profile hooks, a scenario's, and
    one that is no function, settrace('trace'), ended the agent at its next read.)"""
    import gevent
    import gevent.event
    import gevent.thread
    from gevent import monkey

    hub = gevent.get_hub()
    real = "_thread" if sys.version_info[0] >= 3 else "thread"
    wanted = monkey.get_original(real, "allocate_lock")()
    wanted.acquire()
    lines, ready, started = [], gevent.event.Event(), []
    arrived = hub.loop.async_()  # its send() wakes the hub from the reading thread
    arrived.start(ready.set)

    def spawn(function, args):
        gevent.spawn(function, *args)

    def reader(stream):
        while True:
            wanted.acquire()
            try:
                lines.append(stream.readline())
            except Exception:  # noqa: BLE001 - a stream that fails is one that ended
                lines.append("")
            arrived.send()

    def read_line(stream):
        if not started:
            started.append(monkey.get_original(real, "start_new_thread")(reader, (stream,)))
        ready.clear()
        wanted.release()
        ready.wait()
        return lines.pop(0)

    return gevent.thread.allocate_lock, spawn, gevent.thread.get_ident, read_line


def green_eventlet():
    """eventlet: workers are green threads; stdin is read in eventlet's tpool."""
    import eventlet
    import eventlet.tpool
    from eventlet.green import thread as green_thread

    def spawn(function, args):
        eventlet.spawn(function, *args)  # a GreenThread (spawn_n's bare greenlets are no threads to it)

    def read_line(stream):
        return eventlet.tpool.execute(stream.readline)

    return green_thread.allocate_lock, spawn, green_thread.get_ident, read_line


GREEN_WORKERS = {"gevent": green_gevent, "eventlet": green_eventlet}


def use_workers(style):
    """Make the agent's workers (and the locks they wait on, and the idents that tell them
    apart) the library's green threads; the function that reads a command line without
    blocking them, or None for OS threads. Green threads all live in one OS thread: the
    thread watcher (OS threads' ends) cannot see them end, and is turned off."""
    global allocate_lock, start_new_thread, get_ident
    if style == "threads":
        return None
    if style == "processes":
        use_worker_processes()
        return None
    if style not in GREEN_WORKERS:
        raise Malformed("unknown worker style %r" % (style,))
    allocate_lock, start_new_thread, get_ident, read_line = GREEN_WORKERS[style]()
    _watcher.enabled = False
    return read_line


# ---------------------------------------------------------------------------
# Worker processes (agent.py --workers processes: multiprocessing's primitives)
# ---------------------------------------------------------------------------

_children = {}  # worker id -> [pid, write end of its command pipe, the object ids it inherited]
_own_commands = {}  # the commands' handlers of an agent whose workers are threads


def use_worker_processes():
    """Each worker is a thread of its own forked process, which inherits the objects (the
    module's primitives, shared between processes through the fork). The calls for a worker go
    down a pipe to its process, which runs them as this agent would; a worker process that
    lacks an object the calls name (made after it was forked: a later run reusing the worker)
    is replaced by a fresh one. Gates are opened in every worker process too."""
    if not hasattr(os, "fork"):
        raise Malformed("worker processes need os.fork")
    _own_commands.update(COMMANDS)
    COMMANDS["call"] = process_calls
    COMMANDS["calls"] = process_calls
    COMMANDS["open"] = process_open
    _watcher.enabled = False


def referenced_objects(value, found):
    if isinstance(value, list):
        for v in value:
            referenced_objects(v, found)
    elif isinstance(value, dict):
        if set(value) == set(["ref"]):
            found.add(value["ref"])
        for v in value.values():
            referenced_objects(v, found)
    return found


def process_calls(cmd):
    w = cmd.get("worker")
    if not is_int(w):
        raise Malformed("worker processes make every call: worker must be an integer")
    calls = [cmd] if cmd.get("cmd") == "call" else cmd.get("calls")
    if not isinstance(calls, list) or not all(isinstance(c, dict) for c in calls):
        raise Malformed("calls must be a non-empty list of objects")
    needed = set()
    for c in calls:
        needed.add(c.get("obj"))
        referenced_objects([c.get("args"), c.get("kwargs")], needed)
    child = _children.get(w)
    if child is None or not needed <= child[2]:
        if child is not None:
            del _children[w]  # before the fork: the new process must not close a reused descriptor
            retire_child(child)
        child = _children[w] = fork_child()
    os.write(child[1], json.dumps(cmd, separators=(",", ":")).encode("ascii") + b"\n")


def process_open(cmd):
    _own_commands["open"](cmd)
    line = json.dumps(cmd, separators=(",", ":")).encode("ascii") + b"\n"
    for child in list(_children.values()):
        try:
            os.write(child[1], line)
        except OSError:
            pass


def retire_child(child):
    try:
        os.close(child[1])
        os.kill(child[0], 9)
        os.waitpid(child[0], 0)
    except OSError:
        pass


def fork_child():
    """A worker process: it writes its events on the agent's stdout, one flushed line each."""
    read_end, write_end = os.pipe()
    _out_lock.acquire()
    try:
        _out.flush()
        pid = os.fork()
    finally:
        _out_lock.release()
    if pid == 0:
        os.close(write_end)
        child_main(read_end)
    os.close(read_end)
    return [pid, write_end, set(_objects)]


def child_main(read_end):
    """The worker process's main thread: reads commands from its pipe until it closes."""
    global event
    for other in list(_children.values()):
        try:
            os.close(other[1])
        except OSError:
            pass
    _children.clear()
    _workers.clear()
    _worker_of.clear()
    COMMANDS.update(_own_commands)
    plain_event = event

    def flushed_event(name, fields, hold=False):
        plain_event(name, fields)

    event = flushed_event  # no event waits for a flusher: each line is out before the next call
    stream = os.fdopen(read_end, "rb")
    while True:
        line = stream.readline()
        if not line:
            os._exit(0)
        try:
            handle(line.decode("utf-8", "replace"))
        except Exception:
            pass


# ---------------------------------------------------------------------------
# Start
# ---------------------------------------------------------------------------


def fatal(message):
    event("fatal", {"error": one_line(message)})
    try:
        sys.stderr.flush()
    except Exception:
        pass
    os._exit(2)


def parse_args(argv):
    options = {"module": "threading", "prelude": None, "workers": "threads"}
    i = 0
    while i < len(argv):
        arg = argv[i]
        name, eq, value = arg.partition("=")
        if name not in ("--module", "--prelude", "--workers"):
            raise Malformed("unknown argument %r" % arg)
        if not eq:
            if i + 1 >= len(argv):
                raise Malformed("%s needs a value" % name)
            i += 1
            value = argv[i]
        options[name[2:]] = value
        i += 1
    if not options["module"]:
        raise Malformed("--module needs a module name")
    return options


def run_prelude(code):
    exec(compile(code, "<prelude>", "exec"), {"__name__": "__prelude__"})


def describe_failure(what):
    exc_type, exc, tb = sys.exc_info()
    try:
        import traceback

        traceback.print_exception(exc_type, exc, tb)
    except Exception:
        pass
    return "%s raised %s: %s" % (what, getattr(exc_type, "__name__", exc_type), exc)


def source_file(module):
    path = getattr(module, "__file__", None)
    if not path:
        return None
    path = os.path.abspath(path)
    if path[-4:] in (".pyc", ".pyo") and os.path.exists(path[:-1]):
        path = path[:-1]
    return path


def implementation():
    impl = getattr(sys, "implementation", None)
    if impl is not None:
        return impl.name
    if "__pypy__" in sys.builtin_module_names:
        return "pypy"
    if sys.platform.startswith("java"):
        return "jython"
    if sys.platform == "cli":
        return "ironpython"
    return "cpython"


def free_threaded_build():
    """True when this CPython was built with --disable-gil (``Py_GIL_DISABLED``), False
    when not, None when it cannot tell. Not ``sysconfig``: from 3.12 it imports
    ``threading``; ``_sysconfig`` (3.13+) and ``sys.abiflags`` do not."""
    try:
        import _sysconfig
        return bool(_sysconfig.config_vars().get("Py_GIL_DISABLED"))
    except Exception:
        pass
    if "t" in getattr(sys, "abiflags", ""):
        return True
    if implementation() in ("cpython", "pypy"):
        return False
    return None


def gil_enabled():
    """Whether a GIL serialises this process's threads now: ``sys._is_gil_enabled()``
    where it exists (3.13+; a free-threaded build may re-enable it), else True on CPython
    and PyPy (older builds always have one), False on Jython and IronPython (threads of
    the host VM, no GIL), None when it cannot tell."""
    is_enabled = getattr(sys, "_is_gil_enabled", None)
    if is_enabled is not None:
        try:
            return bool(is_enabled())
        except Exception:
            pass
    impl = implementation()
    if impl in ("cpython", "pypy"):
        return not free_threaded_build()
    if impl in ("jython", "ironpython"):
        return False
    return None


def drop_own_directory():
    """``python agent.py`` puts this file's directory first on sys.path; the
    driver's --path directories must come first instead."""
    here = os.path.dirname(os.path.realpath(os.path.abspath(__file__)))
    if sys.path and os.path.realpath(os.path.abspath(sys.path[0] or os.curdir)) == here:
        del sys.path[0]


def main(argv):
    global _module
    setup_output()
    try:
        options = parse_args(argv)
    except Malformed:
        fatal("usage: agent.py [--module NAME] [--prelude CODE]: %s" % sys.exc_info()[1])
    drop_own_directory()
    if options["prelude"] is not None:
        try:
            run_prelude(options["prelude"])
        except:  # noqa: E722
            fatal(describe_failure("the prelude"))
    name = options["module"]
    try:
        __import__(name)
        _module = sys.modules[name]
    except:  # noqa: E722
        fatal(describe_failure("import %s" % name))
    bind_object(0, _module)
    save_originals()
    start_new_thread(flusher, ())
    try:
        read_line = use_workers(options["workers"])
    except:  # noqa: E722
        fatal(describe_failure("--workers %s" % options["workers"]))
    if _watcher.enabled:
        start_new_thread(_watcher.main, ())
    capture_stderr()
    _main_ident[0] = get_ident()
    set_probe("main")
    setup_warnings()
    event(
        "hello",
        {
            "python": list(sys.version_info),
            "implementation": implementation(),
            "module": name,
            "file": source_file(_module),
            "pid": os.getpid(),
            "executable": sys.executable,
            "watches_threads": _watcher.enabled,
            "gil": gil_enabled(),
            "free_threaded_build": free_threaded_build(),
            "clock_resolution": clock_resolution(),
        },
    )
    serve(read_line)


if __name__ == "__main__":
    main(sys.argv[1:])
