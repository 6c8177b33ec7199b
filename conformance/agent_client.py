"""A host-side connection to the conformance agent (``conformance/agent.py``).

The agent runs inside the interpreter under test and speaks the JSON-lines
protocol of ``PROTOCOL.md``. ``AgentClient`` starts it, waits for its ``hello``,
sends commands and hands out events, each with a timeout, so nothing on the host
can hang on a target that stopped answering. It moves JSON objects; what they
mean (building commands, reading events) is ``conformance.protocol``'s::

    with AgentClient.start("/usr/bin/python2.7") as agent:
        agent.send({"cmd": "new", "obj": 1, "kind": "Lock"})
        ev = agent.next_event(timeout=5.0)   # {"ev": "created", "obj": 1, ...} or None
"""

from __future__ import annotations

import collections
import json
import os
import queue
import subprocess
import threading
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from conformance.protocol import QUIT, Exited, Fatal, Hello, RawEvent, exit_event, parse_event

AGENT = Path(__file__).resolve().with_name("agent.py")
"""The agent script, run by the interpreter under test."""

STDERR_LINES_KEPT = 200
"""How many of the agent's last stderr lines are kept for error messages."""


class AgentError(Exception):
    """The agent could not be started, did not say hello in time, reported a fatal
    error (bad prelude, failed import), or has exited."""


def target_env(paths: Iterable[str] = (), env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a target process: ``env`` (default: the host's) without the host's
    own ``PYTHONPATH``; ``paths`` first on the import path, then ``env["PYTHONPATH"]`` when
    ``env`` is given and has one."""
    child_env = dict(os.environ if env is None else env)
    inherited = child_env.pop("PYTHONPATH", None)
    search = [os.path.abspath(p) for p in paths]
    if env is not None and inherited:
        search.append(inherited)
    if search:
        child_env["PYTHONPATH"] = os.pathsep.join(search)
    return child_env


class AgentClient:
    """One running agent.

    Start one with ``AgentClient.start(...)``. Events are read by a background
    thread into a queue; ``next_event`` takes them out in the order the agent
    wrote them. When the agent's stdout ends, the reader adds one last synthetic
    event ``{"ev": "exit", "returncode": n, "stderr": "..."}`` (made by the host,
    not sent by the agent); after it, ``next_event`` returns ``None``.

    Attributes:
      hello: the agent's ``hello`` (python, implementation, module, file, pid…).
      hello_received: the host's ``time.monotonic()`` when the hello line was read
        (see ``clock_offset``).
      process: the agent's ``subprocess.Popen``.
      noise: lines on the agent's stdout that were not JSON objects (there should
        be none: the agent sends stray prints to stderr).
    """

    def __init__(self, process: subprocess.Popen[bytes], python: str) -> None:
        """Use ``AgentClient.start``; this wraps an already spawned process."""
        self.process = process
        self.python = python
        self._hello: Hello | None = None
        self.hello_received = 0.0
        self.noise: list[str] = []
        self._events: queue.Queue[tuple[float, RawEvent]] = queue.Queue()
        self._stderr: collections.deque[str] = collections.deque(maxlen=STDERR_LINES_KEPT)
        self._send_lock = threading.Lock()
        self._exit_taken = False
        self._closed = False
        # stderr's reader starts first: stdout's joins it before reporting the exit.
        self._stderr_reader = threading.Thread(target=self._read_stderr, name="agent-stderr", daemon=True)
        self._stdout_reader = threading.Thread(target=self._read_stdout, name="agent-stdout", daemon=True)
        self._stderr_reader.start()
        self._stdout_reader.start()

    # -- starting ---------------------------------------------------------------

    @classmethod
    def start(
        cls,
        python: str,
        module: str = "threading",
        paths: Iterable[str] = (),
        prelude: str | None = None,
        env: Mapping[str, str] | None = None,
        timeout: float = 30.0,
        workers: str = "threads",
    ) -> AgentClient:
        """Spawn ``python agent.py --module MODULE [--prelude PRELUDE]`` and wait for its hello.

        ``paths`` go first on the target's import path, through ``PYTHONPATH``.
        ``env`` is the agent's environment (default: the host's); the host's own
        ``PYTHONPATH`` is never passed on (it belongs to the host's Python), only
        ``paths`` followed by ``env["PYTHONPATH"]`` when ``env`` is given and has one.

        Raises:
          AgentError: ``python`` cannot be run; the agent reported ``fatal`` (the
            prelude or the import failed; the message is the agent's); it exited or
            sent nothing within ``timeout`` seconds (the message ends with the tail
            of its stderr).
        """
        child_env = target_env(paths, env)
        argv = [python, str(AGENT), "--module", module]
        if prelude is not None:
            argv += ["--prelude", prelude]
        if workers != "threads":  # the library's green threads (an adapter's)
            argv += ["--workers", workers]
        try:
            process = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=child_env,
            )
        except OSError as e:
            raise AgentError(f"cannot run {python}: {e.strerror or e}") from None
        client = cls(process, python)
        try:
            client._await_hello(module, timeout)
        except BaseException:
            client.close(timeout=1.0)  # a fatal agent exits by itself; a silent one is killed
            raise
        return client

    def _await_hello(self, module: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            try:
                received, ev = self._events.get(timeout=max(0.0, left))
            except queue.Empty:
                raise AgentError(
                    f"{self.python}: no hello from the agent within {timeout:g}s{self._stderr_suffix()}"
                ) from None
            said = parse_event(ev)
            if isinstance(said, Hello):
                self._hello, self.hello_received = said, received
                return
            if isinstance(said, Fatal):
                raise AgentError(f"{self.python}: module {module}: {said.error}")
            if isinstance(said, Exited):
                raise AgentError(
                    f"{self.python}: the agent exited with status {said.returncode} before "
                    f"saying hello{self._stderr_suffix()}"
                )

    @property
    def hello(self) -> Hello:
        """The agent's ``hello`` (``start`` waits for it)."""
        if self._hello is None:
            raise AgentError(f"{self.python}: the agent has not said hello")
        return self._hello

    @property
    def clock_offset(self) -> float:
        """Host ``time.monotonic()`` minus the agent's clock, bounded from above by the
        hello: ``hello_received - hello.t``."""
        return self.hello_received - float(self.hello.t)

    # -- talking ----------------------------------------------------------------

    def send(self, cmd: Mapping[str, Any]) -> None:
        """Send one command (a JSON object; NaN and infinities allowed).

        Raises:
          AgentError: the agent has exited (its stdin is closed).
        """
        data = (json.dumps(dict(cmd), separators=(",", ":")) + "\n").encode("ascii")
        stdin = self._stdin()
        with self._send_lock:
            try:
                stdin.write(data)
                stdin.flush()
            except (OSError, ValueError):
                raise AgentError(f"{self.python}: the agent has exited{self._stderr_suffix()}") from None

    def next_event(self, timeout: float | None = None) -> RawEvent | None:
        """The next event, waiting at most ``timeout`` seconds (``None``: forever);
        ``None`` if none came in time or the agent has exited and all its events
        have been taken."""
        if self._exit_taken:
            return None
        try:
            ev = self._events.get(timeout=timeout)[1]
        except queue.Empty:
            return None
        if ev.get("ev") == "exit":
            self._exit_taken = True
        return ev

    def alive(self) -> bool:
        """Whether the agent process is still running."""
        return self.process.poll() is None

    def stderr_tail(self) -> str:
        """The last lines the agent wrote to stderr (tracebacks, stray prints, warnings)."""
        return "".join(self._stderr)

    def close(self, timeout: float = 5.0) -> int | None:
        """Send ``quit``, wait up to ``timeout`` seconds for the agent to exit, kill it
        if it has not; return its exit status. Safe to call more than once."""
        if not self._closed:
            self._closed = True
            if self.alive():
                try:
                    self.send(QUIT)
                except AgentError:
                    pass
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self._stdout_reader.join(timeout)
            self._stderr_reader.join(timeout)
            for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
                if stream is not None:
                    try:
                        stream.close()
                    except OSError:
                        pass
        return self.process.returncode

    def __enter__(self) -> AgentClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- internals --------------------------------------------------------------

    def _stdin(self) -> IO[bytes]:
        stdin = self.process.stdin
        if stdin is None or stdin.closed:
            raise AgentError(f"{self.python}: the connection to the agent is closed")
        return stdin

    def _stderr_suffix(self) -> str:
        tail = self.stderr_tail().strip()
        return f"; its stderr ends with:\n{tail}" if tail else ""

    def _read_stdout(self) -> None:
        assert self.process.stdout is not None
        for raw in iter(self.process.stdout.readline, b""):
            received = time.monotonic()
            line = raw.decode("utf-8", "replace").strip()
            if not line:
                continue
            try:
                ev = json.loads(line)
            except ValueError:
                ev = None
            if isinstance(ev, dict):
                self._events.put((received, ev))
            else:
                self.noise.append(line)
        try:
            returncode: int | None = self.process.wait(5.0)
        except subprocess.TimeoutExpired:
            returncode = None
        self._stderr_reader.join(1.0)  # so that the exit event holds the whole stderr
        self._events.put((time.monotonic(), exit_event(returncode, self.stderr_tail())))

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        for raw in iter(self.process.stderr.readline, b""):
            self._stderr.append(raw.decode("utf-8", "replace"))
