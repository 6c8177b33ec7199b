"""Thread-lifecycle properties of ``threadspec prove``, under every interleaving.

``threadspec check`` drives real threads and waits for quiescence after each call, so a
race window a few operations wide inside threading.py (between ``_limbo`` and ``_active``,
between the started event and the thread-state lock…) is never hit. Here the deterministic
scheduler (``proofs.sched``) switches threads at every ``_thread`` call and explores every
interleaving of small programs with at most ``PREEMPTIONS`` preemptions, checking the
documented promises of ``Thread`` as named properties:

* once ``start()`` returns: ``ident`` is set, ``is_alive()``, ``enumerate()`` lists the
  thread and ``active_count()`` counts it;
* inside the thread: ``current_thread()`` is the Thread, ``get_ident()`` is its ``ident``,
  ``is_alive()`` holds and ``enumerate()`` lists it;
* once ``join()`` returns: not ``is_alive()``, not listed by ``enumerate()``, not counted;
* ``is_alive()`` and ``join()`` never raise, even while another thread joins (but CPython's
  known join race, python/cpython#116372, is tolerated before 3.13, as the spec tolerates it).

A window between two plain Python statements with no ``_thread`` call between them (an ident
set just after the started event) is reached only with a switch at every line: for a
threading.py file, each program runs again so, with at most one preemption.

Replay strings read ``threads:TARGET:PROGRAM:SCHEDULE``.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from proofs.refinement_explore import Verdict, explore
from proofs.refinement_targets import Target, target_by_key, targets
from proofs.sched import Env, Session
from proofs.table import ProveOptions, Row

FAMILY = "thread"
PREFIX = "threads:"


def replays(text: str) -> bool:
    return text.startswith(PREFIX)


PREEMPTIONS = 2
"""The preemption bound (CHESS): every schedule with at most this many preemptions is explored.
Naive exploration (no sleep sets, which are blind to races on plain Python data such as
``_limbo`` and ``_active``) of these programs without a bound runs to tens of thousands of
schedules; a window a few operations wide needs one or two preemptions."""

JOIN_RACE = "https://github.com/python/cpython/issues/116372"
"""CPython's known join race before 3.13 (the spec's clause ``Thread.join.concurrent-joins-may-raise``):
when two threads join one thread, one may raise AssertionError, and then the other RuntimeError.
Tolerated, as the spec tolerates it, and counted in the row's notes."""
JOIN_RACE_RAISES = ("AssertionError", "RuntimeError")


def join_race_tolerated() -> bool:
    return sys.version_info < (3, 13)


class Properties:
    """The named properties one schedule checked, and those it found broken."""

    def __init__(self, known: Counter[str] | None = None) -> None:
        self.broken: list[str] = []
        self.known = known if known is not None else Counter()

    def check(self, name: str, holds: Callable[[], object], join_race: bool = False) -> None:
        try:
            ok = bool(holds())
        except Exception as exc:  # noqa: BLE001 - an exception breaks the property
            raised = type(exc).__name__
            if join_race and raised in JOIN_RACE_RAISES and join_race_tolerated():
                self.known[f"{JOIN_RACE} ({raised})"] += 1
                return
            self.broken.append(f"{name}: raised {raised}")
            return
        if not ok:
            self.broken.append(name)

    def verdict(self) -> str | None:
        return "; ".join(f"broken: {b}" for b in self.broken) or None


def start_and_join(env: Env, known: Counter[str]) -> Verdict:
    """One thread starts another, whose target waits on a gate, then opens the gate and joins it."""
    m, props, inside = env.threading, Properties(), Properties()
    gate = m.Lock()
    gate.acquire()
    box: dict[str, Any] = {}
    finished: list[bool] = []

    def target() -> None:
        t = box["thread"]
        inside.check("current_thread() in the thread is the Thread", lambda: m.current_thread() is t)
        inside.check("get_ident() in the thread is its ident", lambda: m.get_ident() == t.ident)
        inside.check("is_alive() in the thread", t.is_alive)
        inside.check("enumerate() lists the thread while it runs", lambda: t in m.enumerate())
        gate.acquire()
        gate.release()

    def main() -> None:
        m.current_thread()  # a thread not made by the module is counted once it asks who it is
        t = box["thread"] = m.Thread(target=target)
        before = m.active_count()
        t.start()
        props.check("ident is set once start() returns", lambda: t.ident is not None)
        props.check("is_alive() once start() returns", t.is_alive)
        props.check("enumerate() lists the thread once start() returns", lambda: t in m.enumerate())
        props.check("active_count() counts the thread once start() returns",
                    lambda: m.active_count() == before + 1)
        gate.release()
        props.check("join() returns None", lambda: t.join() is None)
        props.check("not is_alive() once join() returns", lambda: not t.is_alive())
        props.check("enumerate() no longer lists the thread once join() returns",
                    lambda: t not in m.enumerate())
        props.check("active_count() no longer counts the thread once join() returns",
                    lambda: m.active_count() == before)
        finished.append(True)

    env.spawn(main)

    def verdict(now: float) -> str | None:
        problems = [p for p in (props.verdict(), inside.verdict()) if p]
        if not finished and not problems:
            problems.append("broken: start() and join() return once the thread has run")
        return "; ".join(problems) or None

    return verdict


def two_joiners(env: Env, known: Counter[str]) -> Verdict:
    """A thread that ends at once is joined by two threads, one of which also asks is_alive()."""
    m, props = env.threading, Properties(known)
    box: dict[str, Any] = {}
    finished: list[str] = []

    def joiner(name: str, ask_alive: bool) -> Callable[[], None]:
        def go() -> None:
            t = box["thread"]
            if ask_alive:
                props.check("is_alive() never raises while another thread joins",
                            lambda: isinstance(t.is_alive(), bool), join_race=True)
            props.check("join() never raises while another thread joins", lambda: t.join() is None,
                        join_race=True)
            props.check("not is_alive() once join() returns", lambda: not t.is_alive(), join_race=True)
            finished.append(name)

        return go

    def main() -> None:
        m.current_thread()
        t = box["thread"] = m.Thread(target=lambda: None)
        t.start()
        env.spawn(joiner("second", ask_alive=True))
        joiner("first", ask_alive=False)()

    env.spawn(main)

    def verdict(now: float) -> str | None:
        problems = [p for p in (props.verdict(),) if p]
        if len(finished) < 2 and not problems:
            problems.append("broken: join() returns once the thread has ended")
        return "; ".join(problems) or None

    return verdict


@dataclass(frozen=True)
class Program:
    name: str
    description: str
    start: Callable[[Env, Counter[str]], Verdict]
    """Sets up one run; counts the known bugs it tolerated in the counter."""
    line_switches: bool = False
    """A switch at every line of the module under test too (only for a threading.py file)."""
    preemptions: int = PREEMPTIONS


PROGRAMS: tuple[Program, ...] = (
    Program("start-join", "start(), then join() (1 gated thread)", start_and_join),
    Program("two-joiners", "two threads join a thread that ends", two_joiners),
    Program("start-join@lines", "start(), then join() (1 gated thread)", start_and_join, True, 1),
    Program("two-joiners@lines", "two threads join a thread that ends", two_joiners, True, 1),
)


def program_row(target: Target, sess: Session, program: Program, replay: str | None = None) -> Row:
    t0 = time.monotonic()
    known: Counter[str] = Counter()
    def start(env: Env) -> Verdict:
        return program.start(env, known)

    explored = explore(sess, start, replay=replay, reduction=False, preemption_bound=program.preemptions)
    failure = None
    if explored.failure is not None:
        schedule, what = explored.failure
        failure = f"{target.label}, {program.description}\n{what}\nreplay: threadspec prove --replay " \
                  f"'{PREFIX}{target.key}:{program.name}:{schedule}'"
    title = ("replay: " if replay is not None else "") + f"{target.label}: Thread keeps its promises"
    how = "a switch at every line" if program.line_switches else "naive"
    bound = f"{program.description}, {how}, <= {program.preemptions} preemption(s)"
    notes: dict[str, Any] = {"target": target.key, "program": program.name}
    if known:
        notes["known bugs seen (schedules)"] = dict(known)
        bound += f"; known bug {JOIN_RACE.rsplit('/', 1)[1]} seen, tolerated"
    return Row(FAMILY, title, bound, explored.schedules, "schedules", failure is None,
               time.monotonic() - t0, failure, notes)


def rows(options: ProveOptions) -> Iterator[Row]:
    if options.replay is not None:
        if replays(options.replay):
            key, name, schedule = options.replay[len(PREFIX):].split(":", 2)
            target = target_by_key(key, options)
            program = next(p for p in PROGRAMS if p.name == name)
            yield program_row(target, target.session(program.line_switches), program, schedule)
        return
    if not options.wants("Thread"):
        return
    for target in targets(options):
        sessions = {False: target.session()}
        for program in PROGRAMS:
            if program.line_switches and not target.is_file:
                continue
            if program.line_switches not in sessions:
                sessions[program.line_switches] = target.session(program.line_switches)
            yield program_row(target, sessions[program.line_switches], program)
