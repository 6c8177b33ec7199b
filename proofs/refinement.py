"""Refinement rows of ``threadspec prove``: under every interleaving within the bounds, every
history of the implementation is one the spec allows.

For each primitive (``proofs.refinement_subjects``) and each target (impl, and the host's
CPython threading.py loaded from its file, or the module given with ``--module/--path``:
``proofs.refinement_targets``), every program within the bound runs under the
deterministic scheduler (``proofs.sched``), which explores its interleavings, timeouts
expiring included: naively (no reduction) and, for the primitives built on a Condition, with a
preemption bound; for a threading.py file, Condition and Event once more with a switch at
every line of the file. Each schedule's history is checked by ``conformance.checker.Checker``
(``proofs.refinement_history``). The first schedule whose history the spec does not
allow fails the row; its replay string runs it again:
``threadspec prove --replay 'refinement:impl:Lock:17:SCHEDULE'``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from impl.lock import spec_profile
from proofs.refinement_explore import Explored, Start, explore
from proofs.refinement_history import Event, Recorder, check_history, describe
from proofs.refinement_subjects import Program, Subject, subjects_for
from proofs.refinement_targets import Target, impl_target, seed, target_by_key, targets
from proofs.sched import Env, Session
from proofs.table import ProveOptions, Row

FAMILY = "refinement"
PREFIX = "refinement:"
"""What a replay string of this family begins with."""


def replays(text: str) -> bool:
    """Is ``text`` a replay string of this family?"""
    return text.startswith(PREFIX)


def replay_string(target: Target, subject: Subject, index: int, schedule: str) -> str:
    return f"{PREFIX}{target.key}:{subject.key}:{index}:{schedule}"


def body(subject: Subject, program: Program) -> Start:
    """What one schedule runs: make the object, start one worker per thread of the program;
    at the end, check the history that the workers recorded (many schedules of one program
    record the same history: each is checked once)."""
    profile = spec_profile()
    checked: dict[tuple[tuple[Event, ...], float], str | None] = {}

    def start(env: Env) -> Callable[[float], str | None]:
        module = env.threading
        obj = subject.make(module)
        recorder = Recorder(env.now, module, env.touch)
        for calls in program:
            env.spawn(recorder.run, obj, calls)

        def verdict(now: float) -> str | None:
            key = (tuple(recorder.events), now)
            if key not in checked:
                problem = check_history(subject.spec, profile, subject.init, recorder.events, now)
                history = describe(recorder.events)
                checked[key] = None if problem is None else f"{problem}\nhistory:\n{history}"
            return checked[key]

        return verdict

    return start


@dataclass
class Outcome:
    schedules: int = 0
    programs: int = 0
    failure: str | None = None


def prove_subject(target: Target, sess: Session, subject: Subject, options: ProveOptions) -> Outcome:
    """Explore every program of ``subject`` (of this shard) on ``module``; stop at the first failure."""
    out = Outcome()
    for index, program in enumerate(subject.programs()):
        if options.shard is not None and index % options.shard.n != options.shard.k - 1:
            continue
        explored = explore(sess, body(subject, program), reduction=subject.reduction,
                           preemption_bound=subject.preemptions)
        out.schedules += explored.schedules
        out.programs += 1
        if explored.failure is not None:
            out.failure = counterexample(target, subject, index, program, explored, options)
            break
    return out


def counterexample(
    target: Target, subject: Subject, index: int, program: Program, explored: Explored, options: ProveOptions
) -> str:
    assert explored.failure is not None
    schedule, what = explored.failure
    again = f"threadspec prove --replay '{replay_string(target, subject, index, schedule)}'"
    if target.key == "module":
        again += f" --module {options.module} --path {options.path}"
    threads = "; ".join(f"t{k}: " + ", ".join(repr(c).split(".", 1)[1] for c in calls)
                        for k, calls in enumerate(program))
    return f"{target.label}, {subject.name}, program {index} ({threads})\n{what}\nreplay: {again}"


def subject_row(target: Target, sess: Session, subject: Subject, options: ProveOptions) -> Row:
    t0 = time.monotonic()
    out = prove_subject(target, sess, subject, options)
    bound = f"{subject.bound}, {out.programs} programs"
    if options.shard is not None:
        bound += f", shard {options.shard}"
    return Row(FAMILY, f"{target.label} refines the spec: {subject.name}", bound, out.schedules, "schedules",
               out.failure is None, time.monotonic() - t0, out.failure,
               {"target": target.key, "primitive": subject.name, "programs": out.programs})


def rows(options: ProveOptions) -> Iterator[Row]:
    if options.replay is not None:
        if replays(options.replay):
            yield replay_row(options, options.replay)
        return
    for target in targets(options):
        for lines in (False, True) if target.is_file else (False,):
            if lines and not any(options.wants(s.name) for s in subjects_for(None, lines)):
                continue
            sess = target.session(lines)
            for subject in subjects_for(sess.modules[target.module], lines):
                if options.wants(subject.name):
                    yield subject_row(target, sess, subject, options)


def replay_row(options: ProveOptions, text: str) -> Row:
    """Run the one schedule that ``text`` names, and say whether it still fails."""
    t0 = time.monotonic()
    key, name, index_text, schedule = text[len(PREFIX):].split(":", 3)
    target = target_by_key(key, options)
    lines = name.endswith("@lines")
    sess = target.session(lines)
    subject = next(s for s in subjects_for(sess.modules[target.module], lines) if s.key == name)
    index = int(index_text)
    program = next(p for i, p in enumerate(subject.programs()) if i == index)
    explored = explore(sess, body(subject, program), replay=schedule)
    failure = None
    if explored.failure is not None:
        failure = counterexample(target, subject, index, program, explored, options)
    return Row(FAMILY, f"replay: {target.label} refines the spec: {subject.name}", f"program {index}",
               explored.schedules, "schedules", failure is None, time.monotonic() - t0, failure,
               {"target": target.key, "primitive": subject.name, "replay": text})


def seeded_row(seed_id: str, options: ProveOptions | None = None) -> Row:
    """The refinement row of the primitive a seeded bug breaks, on impl with that bug."""
    s = seed(seed_id)
    target = impl_target(seed_id)
    sess = target.session()
    subject = next(x for x in subjects_for(sess.modules[target.module]) if x.name == s.primitive)
    return subject_row(target, sess, subject, options or ProveOptions())
