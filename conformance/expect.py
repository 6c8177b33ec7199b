"""Known deviations as data: a file of expected results for ``check --expect FILE``.

A runtime team that knows its implementation deviates from a clause (and has filed it upstream)
lists the deviation; ``check`` then reports a violation of that clause on a matching target as
EXPECTED, apart from the failures, and does not fail on it: CI fails only on regressions. An
expected deviation that no run showed is reported as "expected but not seen" (informational).

The file is JSON::

    {"expected": [
      {"target": "cpython 3.11.*", "clause": "Semaphore.with.*",
       "reason": "why it deviates", "issue": "https://github.com/python/cpython/issues/1"}
    ]}

``target`` and ``clause`` are globs (``fnmatch``, case-sensitive). ``target`` matches a target
when it matches any of its names: ``IMPLEMENTATION VERSION`` (``cpython 3.11.7``, ``pypy 3.10.14``,
``jython 2.7.3``), the interpreter as given (``/usr/bin/pypy3``), its module (``gevent.threading``)
or its adapter (``gevent``, where ``--target`` chose one). ``reason`` is required; ``issue``
(a link) is optional.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from conformance import adapters
from conformance.report import ClauseStatus, Failure, Report

FIELDS = ("target", "clause", "reason", "issue")


class BadExpectFile(Exception):
    """The file cannot be read or does not follow the format (the message says where)."""


@dataclass(frozen=True)
class Expectation:
    target: str
    clause: str
    reason: str
    issue: str | None = None

    def describe(self) -> str:
        return self.reason + (f" ({self.issue})" if self.issue else "")


def _entry(i: int, e: Any) -> Expectation:
    where = f"entry {i + 1}"
    if not isinstance(e, dict):
        raise BadExpectFile(f"{where}: an object with {', '.join(FIELDS)} is due, not {type(e).__name__}")
    unknown = sorted(set(e) - set(FIELDS))
    if unknown:
        raise BadExpectFile(f"{where}: unknown field(s) {', '.join(map(repr, unknown))}")
    for name in ("target", "clause", "reason"):
        if not isinstance(e.get(name), str) or not e[name].strip():
            raise BadExpectFile(f"{where}: {name!r} must be a non-empty string")
    if e.get("issue") is not None and not isinstance(e["issue"], str):
        raise BadExpectFile(f"{where}: 'issue' must be a string (a link)")
    return Expectation(e["target"], e["clause"], e["reason"], e.get("issue"))


def parse(text: str) -> list[Expectation]:
    """The expectations of a file's text; ``BadExpectFile`` says what is wrong."""
    try:
        data = json.loads(text)
    except ValueError as e:
        raise BadExpectFile(f"not JSON: {e}") from None
    if not isinstance(data, dict) or not isinstance(data.get("expected"), list):
        raise BadExpectFile('an object {"expected": [...]} is due')
    unknown = sorted(set(data) - {"expected"})
    if unknown:
        raise BadExpectFile(f"unknown top-level field(s) {', '.join(map(repr, unknown))}")
    return [_entry(i, e) for i, e in enumerate(data["expected"])]


def load(path: str) -> list[Expectation]:
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError) as e:
        raise BadExpectFile(f"cannot read it: {e}") from None
    return parse(text)


def target_names(report: Report) -> list[str]:
    """The names an expectation's ``target`` glob is matched against."""
    t = report.target
    names = [f"{report.implementation} {report.python_version}", t.python, t.module]
    adapter = adapters.find(t.module, t.prelude, t.workers)  # the target carries no adapter name
    return names + ([adapter.name] if adapter is not None else [])


def applying(expectations: Sequence[Expectation], report: Report) -> list[Expectation]:
    names = target_names(report)
    return [x for x in expectations if any(fnmatch.fnmatchcase(n, x.target) for n in names)]


def covers(expectations: Sequence[Expectation], report: Report, clause: str) -> bool:
    """Is a violation of ``clause`` on the report's target a known deviation?"""
    return any(fnmatch.fnmatchcase(clause, x.clause) for x in applying(expectations, report))


def apply(expectations: Sequence[Expectation], report: Report) -> None:
    """Move the report's failures that an expectation covers to ``report.expected`` (their clauses
    become "failed as expected"), and list the expectations for this target whose clause no
    failure showed, among those whose clauses were checked, in ``report.expected_unseen``."""
    mine = applying(expectations, report)
    kept: list[Failure] = []
    seen: set[Expectation] = set()
    for f in report.failures:
        x = next((x for x in mine if fnmatch.fnmatchcase(f.clause, x.clause)), None)
        if x is None:
            kept.append(f)
            continue
        seen.add(x)
        report.expected.append((f, x.reason, x.issue))
    report.failures = kept
    for f, _, _ in report.expected:
        if f.clause in report.clauses and all(k.clause != f.clause for k in kept):
            report.clauses[f.clause] = ClauseStatus.EXPECTED
    checked = [c for c, st in report.clauses.items() if st is not ClauseStatus.NOT_APPLICABLE]
    report.expected_unseen = [
        (x.clause, x.reason, x.issue)
        for x in mine
        if x not in seen and any(fnmatch.fnmatchcase(c, x.clause) for c in checked)
    ]
