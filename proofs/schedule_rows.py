"""``threadspec prove`` rows from the deterministic scheduler: documented guarantees under every interleaving.

Each row runs a small program against impl (or, with ``--module NAME --path DIR``,
against that threading module loaded from its file) under every schedule that the
reduction keeps (``proofs.sched``), and checks a guarantee of the documentation
in every one of them; a deadlock is a failure here. A failing row prints the
schedule string, which ``--replay STRING`` (with ``--only`` the row's primitive)
runs alone, printing the trace.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from proofs.sched import End, Env, Exploration, explore, replay
from proofs.table import ProveOptions, Row

Program = Callable[[Env], "Callable[[], object] | None"]


@dataclass(frozen=True)
class Property:
    primitive: str
    name: str
    bound: str
    program: Program
    expect: Callable[[Exploration], str | None]
    """Given the exploration, what is wrong with it beyond failures and deadlocks (None: nothing)."""
    line_switches: bool = False
    """Every line of the module a switch point too (then within ``preemption_bound``)."""
    preemption_bound: int | None = None


# -- the programs -------------------------------------------------------------------------------


def lock_sections(threads: int = 3, sections: int = 2) -> Program:
    def program(env: Env) -> Callable[[], object]:
        lock = env.threading.Lock()
        order: list[int] = []
        inside: list[int] = []

        def worker(i: int) -> None:
            for _ in range(sections):
                with lock:
                    inside.append(i)
                    assert inside == [i], f"threads {inside} hold the lock together"
                    order.append(i)
                    inside.pop()

        for i in range(threads):
            env.spawn(worker, i)

        def check() -> object:
            assert len(order) == threads * sections, f"{len(order)} sections ran, not {threads * sections}"
            return tuple(order)

        return check

    return program


def barrier_generations(env: Env) -> Callable[[], object]:
    parties, generations = 3, 2
    barrier = env.threading.Barrier(parties)
    arrived = [0]
    indices: list[tuple[int, int]] = []

    def worker() -> None:
        for generation in range(generations):
            env.touch(arrived)  # counted outside any one lock of the module
            arrived[0] += 1
            index = barrier.wait()
            env.touch(arrived)
            assert arrived[0] >= parties * (generation + 1), "a thread passed before every party arrived"
            indices.append((generation, index))

    for _ in range(parties):
        env.spawn(worker)

    def check() -> object:
        for generation in range(generations):
            got = sorted(i for g, i in indices if g == generation)
            assert got == list(range(parties)), f"generation {generation} gave indices {got}"
        return len(indices)

    return check


def rlock_reentry(env: Env) -> Callable[[], object]:
    lock = env.threading.RLock()
    inside: list[int] = []
    order: list[int] = []

    def worker(i: int) -> None:
        with lock:
            with lock:
                inside.append(i)
                assert inside == [i], f"threads {inside} hold the RLock together"
                order.append(i)
            assert inside == [i], "the RLock was released by the inner release"
            inside.pop()

    for i in range(2):
        env.spawn(worker, i)
    return lambda: tuple(order)


def producer_consumer(env: Env) -> Callable[[], object]:
    cond = env.threading.Condition()
    items: list[int] = []
    got: list[int] = []

    def consumer() -> None:
        with cond:
            while not items:
                cond.wait()
            got.append(items.pop(0))

    def producer() -> None:
        for item in (1, 2):
            with cond:
                items.append(item)
                cond.notify()

    env.spawn(consumer)
    env.spawn(consumer)
    env.spawn(producer)

    def check() -> object:
        assert sorted(got) == [1, 2], f"consumers got {got}"
        return tuple(got)

    return check


def semaphore_holders(env: Env) -> Callable[[], object]:
    sem = env.threading.Semaphore(2)
    holders: list[int] = []
    most = [0]

    def worker(i: int) -> None:
        with sem:
            env.touch(holders)  # shared by the two holders: not under one lock
            holders.append(i)
            most[0] = max(most[0], len(holders))
            assert len(holders) <= 2, f"{holders} hold a Semaphore(2)"
            env.threading.Lock().acquire(blocking=False)  # a switch point while holding it
            env.touch(holders)
            holders.remove(i)

    for i in range(3):
        env.spawn(worker, i)
    return lambda: most[0]


def event_wait_timeout(env: Env) -> Callable[[], object]:
    event = env.threading.Event()
    returned: list[bool] = []

    def waiter() -> None:
        returned.append(event.wait(5.0))

    env.spawn(waiter)
    env.spawn(event.set)

    def check() -> object:
        assert returned[0] == event.is_set() or not returned[0], "wait() returned True but unset"
        return returned[0]

    return check


def thread_join(env: Env) -> Callable[[], object]:
    th = env.threading
    ran: list[str] = []
    t = th.Thread(target=lambda: ran.append("ran"), name="worker")
    t.start()
    t.join()
    assert ran == ["ran"], "join() returned before the target ran"
    assert not t.is_alive(), "is_alive() after join()"
    assert th.active_count() == len(th.enumerate()) == 1
    return lambda: tuple(ran)


def thread_listed(env: Env) -> Callable[[], object]:
    th = env.threading
    go = th.Event()
    t = th.Thread(target=go.wait, name="worker")
    t.start()
    assert t.ident is not None, "no ident once start() returned"
    assert t.is_alive(), "not alive once start() returned"
    assert t in th.enumerate() and th.active_count() == 2, "a running thread missing from enumerate()"
    go.set()
    t.join()
    return lambda: (t.is_alive(), th.active_count())


def _orders(n: int) -> Callable[[Exploration], str | None]:
    def expect(e: Exploration) -> str | None:
        return None if len(e.outcomes) == n else f"reached {len(e.outcomes)} orders of {n}"

    return expect


def _outcomes(*values: object) -> Callable[[Exploration], str | None]:
    def expect(e: Exploration) -> str | None:
        return None if set(e.outcomes) == set(values) else f"outcomes {sorted(map(repr, e.outcomes))}"

    return expect


PROPERTIES = [
    Property("Lock", "mutual exclusion; all 90 orders of critical sections reached",
             "3 threads x 2 sections", lock_sections(3, 2), _orders(90)),
    Property("Lock", "mutual exclusion; all 2520 orders of critical sections reached",
             "4 threads x 2 sections", lock_sections(4, 2), _orders(2520)),
    Property("RLock", "mutual exclusion with reentry; released only by the outer release",
             "2 threads x nested acquire", rlock_reentry, _orders(2)),
    Property("Condition", "producer/consumer never deadlocks; every item delivered once",
             "2 consumers, 1 producer, 2 items", producer_consumer, _outcomes((1, 2))),
    Property("Semaphore", "Semaphore(2) never has more than 2 holders (and has 2)",
             "3 threads", semaphore_holders, _outcomes(1, 2)),
    Property("Barrier", "nobody passes before all parties arrive; indices 0..parties-1 once per generation",
             "Barrier(3), 3 threads x 2 generations", barrier_generations, _outcomes(6)),
    Property("Event", "wait(timeout) returns True only once set; both results reachable",
             "1 waiter, 1 setter, timeout 5 s (virtual)", event_wait_timeout, _outcomes(True, False)),
    Property("Thread", "join() returns after the target ran; not alive after join",
             "1 thread", thread_join, _outcomes(("ran",))),
    Property("Thread", "once start() returns: ident set, alive, listed by enumerate() and active_count()",
             "1 thread, a switch at every line, 1 preemption", thread_listed, _outcomes((False, 1)),
             line_switches=True, preemption_bound=1),
]


# -- rows --------------------------------------------------------------------------------------


def rows(options: ProveOptions) -> Iterator[Row]:
    module = options.module or "impl"
    where = f"{module} from {options.path}" if options.path else module
    for prop in PROPERTIES:
        if not options.wants(prop.primitive):
            continue
        if options.replay:
            yield _replay_row(prop, module, options, where)
            continue
        result = explore(prop.program, module=module, path=options.path, shard=options.shard,
                         line_switches=prop.line_switches, preemption_bound=prop.preemption_bound)
        problem = _problem(prop, result, options)
        bound = f"{where}: {prop.bound}" + ("" if prop.line_switches else ", every interleaving")
        if options.shard:
            bound += f", shard {options.shard}"
        yield Row("schedule", f"{prop.primitive}: {prop.name}", bound, result.schedules, "schedules",
                  problem is None, result.seconds, problem,
                  {"pruned": result.pruned, "outcomes": len(result.outcomes), "loads": result.loads})


def _problem(prop: Property, result: Exploration, options: ProveOptions) -> str | None:
    again = f"threadspec prove --only {prop.primitive}" + (
        f" --module {options.module} --path {options.path}" if options.path else "")
    for report in result.failures + result.deadlocks:
        return f"{report}\n  replay: {again} --replay {report.schedule or '-'}"
    if not result.complete:
        return "the exploration was cut short"
    if options.shard is None:
        return prop.expect(result)
    return None


def _replay_row(prop: Property, module: str, options: ProveOptions, where: str) -> Row:
    assert options.replay is not None
    run = replay(prop.program, options.replay, module=module, path=options.path,
                 line_switches=prop.line_switches)
    bad = run.end in (End.FAILED, End.DEADLOCK, End.STEP_LIMIT)
    lines = [f"{run.end.value}: " + "; ".join(map(repr, run.failures)) + "; ".join(run.blocked), *run.trace]
    return Row("schedule", f"{prop.primitive}: {prop.name}", f"{where}: replay {options.replay}", 1,
               "schedules", not bad, 0.0, "\n".join(lines) if bad else None, {"end": run.end.value})
