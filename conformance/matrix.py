"""``threadspec matrix``: check every interpreter (and, later, every adapter) there is, side by side.

It finds the targets (``discover``), runs ``threadspec check --format json`` on each in its own
process, up to ``--jobs`` at a time (``run_matrix``), folds each report into one row of cells,
one cell per primitive (``cells_of``), and writes ``matrix.json`` and a self-contained
``matrix.html`` (``conformance/matrix_html.py``). A target that cannot be run is a row that says
why, never a crash of the matrix.

Adapters (``check --target NAME``: gevent, eventlet, multiprocessing, aiologic; see
``conformance.adapters``) come in through ``ADAPTERS``: an entry ``name -> module`` whose module is
importable here adds a target that runs ``check --target NAME`` under this interpreter.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import spec
from conformance import adapters
from conformance.report import safe_text
from spec.clauses import REGISTRY

FORMAT_VERSION = 1
"""The version of ``matrix.json``'s layout."""

ADAPTERS: dict[str, str] = adapters.requirements()
"""Adapter name (``check --target NAME``) → the module that must be importable for it to run;
``discover`` adds one target per importable entry."""

FREE_THREADED = re.compile(r"^python3\.\d+t$")
"""The file name of a free-threaded CPython's interpreter (``python3.13t``)."""

OPT_BIN_GLOBS = ("*/bin", "*/*/bin")
"""Where under ``BUILD_ROOTS`` (or the roots given) ``discover`` looks for free-threaded builds."""

BUILD_ROOTS = ("/opt", os.path.expanduser("~/.local"))
"""Where locally built interpreters go: ``/opt``, and ``~/.local`` (the free-threaded build script,
``../shared/tools/build-free-threaded-python.sh``, installs to ``~/.local/py313t``)."""

STARTUP_ALLOWANCE = 120.0
"""Seconds a target's check may take beyond its budget (interpreter start, exit probe, a slow
JVM) before the matrix stops it and reports that it did not finish."""

DEFAULT_BUDGET = 30.0
"""The budget assumed for the timeout when ``--budget`` is not given (``check``'s default)."""

STATUSES = ("failed", "could not check", "expected", "incomplete", "passed", "not applicable", "not checked")
"""A cell's status, worst first: ``failed`` (a violation of a clause of this primitive), ``could
not check`` (nothing could be checked: the module lacks it, or no run was observed), ``expected``
(no violation but known deviations listed in the ``--expect`` file),
``incomplete`` (no violation, but some applicable clauses were not exercised or some runs not
observed), ``passed`` (every applicable clause exercised and passed), ``not applicable`` (no
clause of it applies to the target's profile), ``not checked`` (not part of this target's run)."""


@dataclass(frozen=True)
class MatrixTarget:
    """One row of the matrix: an interpreter, with the extra ``check`` arguments that select what
    in it is checked (``--path DIR``; later ``--target NAME``)."""

    name: str
    python: str
    source: str
    """How it was found: ``pyenv``, ``PATH``, ``free-threaded``, ``--python``, ``--path-target``,
    ``adapter``."""
    check_args: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, tuple[str, ...]]:
        return os.path.realpath(self.python), self.check_args


@dataclass(frozen=True)
class MatrixOptions:
    only: tuple[str, ...] = ()
    budget: float | None = None
    jobs: int = 1
    seed: int | None = None
    expect: str | None = None
    """The ``--expect`` file passed on to every check (the entries of every file given)."""
    expect_sources: tuple[str, ...] = ()
    """The files given with ``--expect`` (a directory's, one by one)."""


# ---------------------------------------------------------------------------
# Finding the targets
# ---------------------------------------------------------------------------


def pyenv_root() -> str | None:
    """``$PYENV_ROOT``, else what ``pyenv root`` prints, else None."""
    root = os.environ.get("PYENV_ROOT")
    if root:
        return root
    exe = shutil.which("pyenv")
    if exe is None:
        return None
    try:
        done = subprocess.run([exe, "root"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None


def _version_key(name: str) -> tuple[tuple[int, ...], str]:
    numbers = re.match(r"[\d.]*", name)
    digits = tuple(int(x) for x in (numbers.group(0) if numbers else "").split(".") if x)
    return digits, name


def pyenv_targets(root: str | None) -> list[MatrixTarget]:
    """``ROOT/versions/*/bin/python``, oldest version first."""
    if not root or not os.path.isdir(os.path.join(root, "versions")):
        return []
    found = []
    for name in sorted(os.listdir(os.path.join(root, "versions")), key=_version_key):
        py = os.path.join(root, "versions", name, "bin", "python")
        if os.access(py, os.X_OK):
            found.append(MatrixTarget(f"pyenv {name}", py, "pyenv"))
    return found


def free_threaded_targets(path: str, opt_roots: Sequence[str]) -> list[MatrixTarget]:
    """Every ``python3.Nt`` on ``path`` or in a ``bin`` directory under ``opt_roots``."""
    dirs = [d for d in path.split(os.pathsep) if d]
    for root in opt_roots:
        for pattern in OPT_BIN_GLOBS:
            dirs.extend(str(p) for p in sorted(Path(root).glob(pattern)))
    found = []
    for d in dirs:
        try:
            names = sorted(os.listdir(d))
        except OSError:
            continue
        for n in names:
            exe = os.path.join(d, n)
            if FREE_THREADED.match(n) and os.path.isfile(exe) and os.access(exe, os.X_OK):
                found.append(MatrixTarget(f"{n} (free-threaded)", exe, "free-threaded"))
    return found


def adapter_targets(adapters: dict[str, str] | None = None) -> list[MatrixTarget]:
    """One target per adapter whose library this interpreter can import (default: ``ADAPTERS``)."""
    return [
        MatrixTarget(f"adapter {name}", sys.executable, "adapter", ("--target", name))
        for name, module in (ADAPTERS if adapters is None else adapters).items()
        if importlib.util.find_spec(module) is not None
    ]


def discover(
    root: str | None = None, path: str | None = None, opt_roots: Sequence[str] = BUILD_ROOTS
) -> list[MatrixTarget]:
    """Every interpreter this machine has: pyenv's versions, ``pypy3`` and ``jython`` on the
    PATH, free-threaded builds, and the importable adapters."""
    path = os.environ.get("PATH", "") if path is None else path
    found = pyenv_targets(root if root is not None else pyenv_root())
    for name in ("pypy3", "jython"):
        exe = shutil.which(name, path=path)
        if exe:
            found.append(MatrixTarget(name, exe, "PATH"))
    found.extend(free_threaded_targets(path, opt_roots))
    found.extend(adapter_targets())
    return found


def unique(targets: Iterable[MatrixTarget]) -> list[MatrixTarget]:
    """``targets`` without repeats (the same interpreter file with the same arguments)."""
    seen: set[tuple[str, tuple[str, ...]]] = set()
    out = []
    for t in targets:
        if t.key not in seen:
            seen.add(t.key)
            out.append(t)
    return out


# ---------------------------------------------------------------------------
# One report → one row of cells
# ---------------------------------------------------------------------------


def primitive_of_clause(clause: str) -> str:
    c = REGISTRY.get(clause)
    return c.primitive if c else clause.split(".", 1)[0]


def _failure_primitive(f: dict[str, Any]) -> str:
    if f.get("clause"):
        return primitive_of_clause(str(f["clause"]))
    return str(f.get("schedule", "")).split("(", 1)[0]


def _cell_failure(f: dict[str, Any]) -> dict[str, Any]:
    keys = ("clause", "quote", "kind", "found_by", "schedule", "observed", "spec_allows", "log", "reproducer")
    return {k: f.get(k) for k in keys}


def _status(
    counts: Counter[str], failures: int, reason: str | None, unobserved: int, expected: int = 0
) -> str:
    if failures or counts["failed"]:
        return "failed"
    if reason is not None:
        return "could not check"
    if expected:
        return "expected"
    if counts["not exercised"] or unobserved:
        return "incomplete"
    if counts["passed"] or counts["known bug seen"] or counts["known bug not seen"]:
        return "passed"
    return "not applicable" if counts["not applicable"] else "not checked"


def cells_of(report: dict[str, Any], primitives: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Each primitive's cell of one ``check --format json`` report: its status (``STATUSES``),
    clause counts, failed clauses, violations and runs that could not be observed. A clause is
    failed if its status says so or a violation names it (even one the report lists as not
    applicable: the cell then still shows the violation, and counts it)."""
    cells = {}
    for p in primitives:
        counts = Counter(st for cid, st in report.get("clauses", {}).items() if primitive_of_clause(cid) == p)
        failures = [_cell_failure(f) for f in report.get("failures", []) if _failure_primitive(f) == p]
        unobserved = [u for u in report.get("could_not_observe", []) if u.get("primitive") == p]
        reason = report.get("could_not_check", {}).get(p)
        failed = {cid for cid, st in report.get("clauses", {}).items()
                  if st == "failed" and primitive_of_clause(cid) == p}
        failed.update(str(f["clause"]) for f in failures if f.get("clause"))
        unreached = [c for c in report.get("not_exercised_by_the_target", []) if primitive_of_clause(c) == p]
        expected = [{**_cell_failure(f), "reason": f.get("reason"), "issue": f.get("issue")}
                    for f in report.get("expected", []) if _failure_primitive(f) == p]
        cells[p] = {
            "status": _status(counts, len(failures), reason, len(unobserved), len(expected)),
            "expected": expected,
            "expected_clauses": sorted({str(f["clause"]) for f in expected}),
            "passed": counts["passed"],
            "failed": len(failed),
            "not_exercised": counts["not exercised"],
            "not_exercised_by_the_target": len(unreached),
            "not_applicable": counts["not applicable"],
            "known_bug": counts["known bug seen"] + counts["known bug not seen"],
            "failed_clauses": sorted(failed),
            "failures": failures,
            "could_not_observe": [
                {"reason": u.get("reason"), "schedule": u.get("schedule")} for u in unobserved
            ],
            "reason": reason,
        }
    return cells


def primitives_of(reports: Iterable[dict[str, Any]]) -> list[str]:
    """The primitives any report has a clause (or a could-not-check reason) of, in the spec's order
    (``spec.PRIMITIVES``, then the registry's other owners, such as ``module``)."""
    wanted: set[str] = set()
    for r in reports:
        wanted.update(primitive_of_clause(cid) for cid in r.get("clauses", {}))
        wanted.update(r.get("could_not_check", {}))
    order = list(dict.fromkeys([*spec.PRIMITIVES, *(c.primitive for c in REGISTRY.values())]))
    return [p for p in order if p in wanted] + sorted(wanted - set(order))


# ---------------------------------------------------------------------------
# Running the checks
# ---------------------------------------------------------------------------


Log = Callable[[str], None]


def slug(index: int, target: MatrixTarget) -> str:
    """A file name for the target's report and reproducers: its row number and a tame name."""
    tame = re.sub(r"[^A-Za-z0-9.]+", "-", target.name).strip("-")[:40]
    return f"{index:02d}-{tame or 'target'}"


def check_command(target: MatrixTarget, options: MatrixOptions, report: Path, repro: Path) -> list[str]:
    cmd = [sys.executable, "-m", "conformance.cli", "check", "--python", target.python, *target.check_args]
    if options.only:
        cmd += ["--only", ",".join(options.only)]
    if options.budget is not None:
        cmd += ["--budget", repr(options.budget)]
    if options.seed is not None:
        cmd += ["--seed", str(options.seed)]
    if options.expect is not None:
        cmd += ["--expect", options.expect]
    return [*cmd, "--format", "json", "--output", str(report), "--reproducers", str(repro)]


def _last_message(lines: Sequence[str]) -> str:
    for line in reversed(lines):
        if line.startswith("threadspec:") and "report written" not in line:
            return line.removeprefix("threadspec:").strip()
    return lines[-1].strip() if lines else "no output"


def _run_process(cmd: list[str], timeout: float, echo: Log) -> tuple[int | None, list[str]]:
    """Run ``cmd``, echoing its output lines; its exit status (None if it was stopped after
    ``timeout`` seconds) and its lines."""
    lines: list[str] = []
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        text=True, encoding="utf-8", errors="backslashreplace",
    )
    stopped = threading.Event()

    def stop() -> None:
        stopped.set()
        proc.kill()

    watchdog = threading.Timer(timeout, stop)
    watchdog.start()
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            echo(line.rstrip("\n"))
        rc = proc.wait()
    finally:
        watchdog.cancel()
    return (None if stopped.is_set() else rc), lines


def run_target(
    index: int, target: MatrixTarget, options: MatrixOptions, out: Path, log: Log
) -> dict[str, Any]:
    """Check one target in its own process; its row of ``matrix.json`` without cells, and the raw
    report (``None`` when it could not be run)."""
    name = slug(index, target)
    report_path, repro = out / "reports" / f"{name}.json", out / "reproducers" / name
    report_path.unlink(missing_ok=True)
    row: dict[str, Any] = {
        "name": target.name, "python": target.python, "source": target.source,
        "check_args": list(target.check_args), "report_file": str(report_path),
    }
    budget = options.budget if options.budget is not None else DEFAULT_BUDGET
    started = time.monotonic()
    label = safe_text(target.name, 200)
    try:
        rc, lines = _run_process(
            check_command(target, options, report_path, repro), budget + STARTUP_ALLOWANCE,
            lambda line: log(f"{label}: {safe_text(line, 300)}"),
        )
    except OSError as e:
        rc, lines = -1, [f"threadspec: cannot start the check: {e}"]
    row["seconds"] = round(time.monotonic() - started, 2)
    row["exit_status"] = rc
    report = _read_report(report_path) if rc is not None else None
    if report is None:
        row["ran"] = False
        row["reason"] = (f"did not finish in {budget + STARTUP_ALLOWANCE:g} s" if rc is None
                         else f"exit status {rc}: {_last_message(lines)}")
        log(f"{label}: could not run ({safe_text(row['reason'], 300)})")
        return row | {"report": None}
    row["ran"] = True
    log(f"{label}: {report.get('verdict', '?')} (exit status {rc}) in {row['seconds']:.1f} s")
    return row | {"report": report}


def _read_report(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _summary(report: dict[str, Any]) -> dict[str, Any]:
    t = report.get("target", {})
    return {
        "verdict": report.get("verdict"),
        "version": t.get("version"),
        "implementation": t.get("implementation"),
        "gil": t.get("gil"),
        "module_file": t.get("file"),
        "profile": report.get("profile"),
        "check_seconds": report.get("seconds"),
        "budget_exhausted": report.get("budget_exhausted"),
        "missing": report.get("missing", []),
    }


def run_matrix(
    targets: Sequence[MatrixTarget], options: MatrixOptions, out: Path, log: Log
) -> dict[str, Any]:
    """Check every target, ``options.jobs`` at a time; the contents of ``matrix.json``."""
    started_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    started = time.monotonic()
    done = [0]
    lock = threading.Lock()

    def one(item: tuple[int, MatrixTarget]) -> dict[str, Any]:
        index, target = item
        log(f"{safe_text(target.name, 200)}: started ({safe_text(target.python, 200)})")
        row = run_target(index, target, options, out, log)
        with lock:
            done[0] += 1
            log(f"{done[0]}/{len(targets)} targets done")
        return row

    with ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
        rows = list(pool.map(one, enumerate(targets, 1)))
    primitives = primitives_of(r["report"] for r in rows if r["report"] is not None)
    for row in rows:
        report = row.pop("report")
        if report is not None:
            row.update(_summary(report))
            row["cells"] = cells_of(report, primitives)
    return {
        "format": FORMAT_VERSION,
        "started": started_at,
        "wall_seconds": round(time.monotonic() - started, 2),
        "options": {"only": list(options.only), "budget": options.budget, "jobs": options.jobs,
                    "seed": options.seed, "expect": options.expect,
                    "expect_sources": list(options.expect_sources)},
        "primitives": primitives,
        "targets": rows,
    }


# ---------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------


def text_table(matrix: dict[str, Any]) -> str:
    """The matrix as a text table for the terminal (target text made printable)."""
    prims: list[str] = matrix["primitives"]
    short = {"failed": "", "could not check": "n/c", "incomplete": "incompl.", "passed": "ok",
             "not applicable": "n/a", "not checked": "-", "expected": "expected"}
    rows = [["target", "verdict", *prims]]
    for t in matrix["targets"]:
        if not t["ran"]:
            rows.append([safe_text(t["name"], 120), "could not run", *["-"] * len(prims)])
            continue
        cells = [c["status"] == "failed" and f"{c['failed']} failed" or short[c["status"]]
                 for c in (t["cells"][p] for p in prims)]
        cells = [f"{c} (+{len(x['expected_clauses'])} expected)" if x["expected_clauses"] and c != "expected"
                 else f"{len(x['expected_clauses'])} expected" if c == "expected" else c
                 for c, x in zip(cells, (t["cells"][p] for p in prims), strict=True)]
        rows.append([safe_text(t["name"], 120), safe_text(str(t["verdict"]), 40), *cells])
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows)


def _targets(args: argparse.Namespace) -> list[MatrixTarget]:
    found = [] if args.no_discover else discover()
    found += [MatrixTarget(p, p, "--python") for p in args.python]
    found += [
        MatrixTarget(f"{py} with {d}", py, "--path-target", ("--path", d)) for py, d in args.path_target
    ]
    return unique(found)


def expect_files(paths: Sequence[str]) -> list[str]:
    """The ``--expect`` files: each path given, or a directory's ``*.json`` files (one per target,
    ``docs/expect/gevent.json``…); ValueError when a directory holds none."""
    files: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            found = sorted(str(f) for f in Path(p).glob("*.json"))
            if not found:
                raise ValueError(f"--expect directory {p} holds no .json file")
            files += found
        else:
            files.append(p)
    return files


def _merged_expectations(paths: Sequence[str], out: Path) -> str | None:
    """One file (``DIR/expect.json``) with the entries of every ``--expect`` file, passed to every
    check: each entry's ``target`` glob picks the targets it applies to (an adapter's name, ``pypy
    3.10.*``, ``jython *``); None without ``--expect``. ValueError names a file that is bad."""
    from conformance import expect

    if not paths:
        return None
    entries: list[dict[str, str]] = []
    for f in expect_files(paths):
        try:
            found = expect.load(f)
        except expect.BadExpectFile as e:
            raise ValueError(f"bad --expect file {f}: {e}") from None
        entries += [{k: v for k, v in vars(x).items() if v is not None} for x in found]
    merged = out / "expect.json"
    merged.write_text(json.dumps({"expected": entries}, indent=2) + "\n", encoding="utf-8")
    return str(merged.resolve())


def cmd_matrix(args: argparse.Namespace) -> int:
    from conformance import matrix_html
    from conformance.cli import MIN_BUDGET

    only = tuple(p.strip() for p in args.only.split(",") if p.strip()) if args.only else ()
    unknown = sorted(set(only) - set(spec.PRIMITIVES))
    problem = (
        "--jobs must be at least 1" if args.jobs < 1
        else f"--budget must be at least {MIN_BUDGET:g} seconds (a finite number)"
        if args.budget is not None and not (math.isfinite(args.budget) and args.budget >= MIN_BUDGET)
        else f"unknown primitive: {safe_text(', '.join(unknown), 200)}" if unknown
        else None
    )
    if problem:
        print(f"threadspec matrix: {problem}", file=sys.stderr)
        return 2
    targets = _targets(args)
    if not targets:
        print("threadspec matrix: no targets (give --python PATH, or drop --no-discover)", file=sys.stderr)
        return 2
    out = Path(args.output)
    try:
        (out / "reports").mkdir(parents=True, exist_ok=True)
    except OSError as e:
        print(f"threadspec matrix: cannot write to {out}: {e.strerror}", file=sys.stderr)
        return 2
    try:
        expect_file = _merged_expectations(args.expect, out)
    except ValueError as e:
        print(f"threadspec matrix: {safe_text(str(e))}", file=sys.stderr)
        return 2
    sources = tuple(os.path.abspath(f) for f in expect_files(args.expect))
    options = MatrixOptions(only, args.budget, args.jobs, args.seed, expect_file, sources)
    print(f"threadspec matrix: {len(targets)} targets, {args.jobs} at a time", file=sys.stderr)
    say = threading.Lock()

    def log(line: str) -> None:
        with say:
            print(f"threadspec matrix: {line}", file=sys.stderr, flush=True)

    matrix = run_matrix(targets, options, out, log)
    (out / "matrix.json").write_text(json.dumps(matrix, indent=2) + "\n", encoding="utf-8")
    page = matrix_html.render(matrix, matrix_html.primitive_diagrams(matrix["primitives"]), out)
    (out / "matrix.html").write_text(page, encoding="utf-8")
    print(text_table(matrix))
    print(f"threadspec matrix: {len(targets)} targets x {len(matrix['primitives'])} primitives in "
          f"{matrix['wall_seconds']:.1f} s wall time; wrote {out / 'matrix.json'} and {out / 'matrix.html'}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    m = sub.add_parser(
        "matrix",
        help="check every interpreter found, and write matrix.json and matrix.html",
        description="Find every interpreter this machine has (pyenv's versions, pypy3 and jython on the "
        "PATH, free-threaded python3.Nt builds on the PATH or under /opt or ~/.local) and any given, run "
        "'threadspec check --format json' on each in its own process, and write DIR/matrix.json and one "
        "self-contained DIR/matrix.html: targets x primitives, each cell green (passed), red (its count "
        "of failed clauses, linking to the violations with their quoted sentences, schedules and "
        "reproducers), amber (incomplete) or grey (could not check), and a state diagram of each "
        "primitive drawn from the spec (needs Graphviz's dot; without it the page says so). A target "
        "that cannot be run is a row saying why. Prints the table and the wall time. Exit status: 0 "
        "written (whatever the verdicts), 2 nothing to check or cannot write.",
    )
    m.add_argument("--python", metavar="PATH", action="append", default=[],
                   help="also check this interpreter (repeatable)")
    m.add_argument("--path-target", nargs=2, metavar=("PYTHON", "DIR"), action="append", default=[],
                   help="also check the threading module in DIR (e.g. a patched copy) under PYTHON: "
                   "check --python PYTHON --path DIR (repeatable)")
    m.add_argument("--no-discover", action="store_true",
                   help="check only the targets given with --python and --path-target")
    m.add_argument("--only", metavar="PRIMITIVE[,...]", help="check only these primitives, e.g. Lock,Event")
    m.add_argument("--budget", type=float, metavar="SECONDS",
                   help="each target's check budget (default: check's own)")
    m.add_argument("--seed", type=int, help="seed of the random schedules (default: check's own)")
    m.add_argument("--expect", metavar="FILE|DIR", action="append", default=[],
                   help="known deviations (see check --expect), a file or a directory of them (one per "
                   "target: docs/expect/); repeatable. Every check gets all their entries, each of which "
                   "applies to the targets its 'target' glob names; cells whose only violations are "
                   "expected are shown apart, in purple")
    m.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                   help="how many checks run at once (default: the machine's cores)")
    m.add_argument("--output", metavar="DIR", default="threadspec-matrix",
                   help="where matrix.json, matrix.html, the reports and the reproducers go "
                   "(default: ./threadspec-matrix)")
    m.set_defaults(func=cmd_matrix)

