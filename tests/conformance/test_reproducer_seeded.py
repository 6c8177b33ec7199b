"""Reproducers of seeded bugs that the checker finds in a gate report (a Thread's target entered with
other arguments, a Timer's function called after cancel()) or whose allowed outcome is a tuple (a
``local``'s value): each prints REPRODUCED and exits 1 on the mutant, NOT REPRODUCED and exits 0 on
the unmodified threading.py, on 3.11 and on 2.7 (the same real check as
``test_reproducer_mutants.py``, for other seeded bugs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conformance.test_reproducer_mutants import _check, _lib, _reproduced_then_not
from tests.mutants.all import MUTANTS

TUPLE_MUTANT = {
    # a local whose tuple values lose their first item when read (the subclass's args (5, 'five'))
    "3.11.7": ("    from _thread import _local as local\n", "_thread", "_local"),
    "2.7.18": ("    from thread import _local as local\n", "thread", "_local"),
}


def _tuple_mutant(version: str) -> tuple[str, str]:
    old, module, name = TUPLE_MUTANT[version]
    new = (
        f"    from {module} import {name} as _base_local\n\n"
        "    class local(_base_local):\n"
        "        def __getattribute__(self, name):\n"
        "            v = _base_local.__getattribute__(self, name)\n"
        "            return v[1:] if type(v) is tuple else v\n"
    )
    return old, new


CALLS_AFTER_CANCEL = (
    "        if not self.finished.is_set():\n            self.function(*self.args, **self.kwargs)\n",
    "        if True:\n            self.function(*self.args, **self.kwargs)\n",
)
"""A Timer that calls its function although cancel() came during the wait (3.11 and 2.7 alike)."""

SEEDED = {
    # (version, id): (primitive checked, old text, new text, what the script must judge)
    ("3.11.7", "thread-run-drops-kwargs"): (
        "Thread", "                self._target(*self._args, **self._kwargs)\n",
        "                self._target(*self._args)\n", "entered(gate_no)"),
    ("2.7.18", "thread-run-drops-kwargs"): (
        "Thread", "                self.__target(*self.__args, **self.__kwargs)\n",
        "                self.__target(*self.__args)\n", "entered(gate_no)"),
    ("3.11.7", "timer-calls-after-cancel"): ("Timer", *CALLS_AFTER_CANCEL, "entered(gate_no)"),
    ("2.7.18", "timer-calls-after-cancel"): ("Timer", *CALLS_AFTER_CANCEL, "entered(gate_no)"),
    ("3.11.7", "local-tuple-loses-an-item"): (
        "LocalSubclass", *_tuple_mutant("3.11.7"), "allowed = [('returned', (5, 'five'))]"),
    ("2.7.18", "local-tuple-loses-an-item"): (
        "LocalSubclass", *_tuple_mutant("2.7.18"), "allowed = [('returned', (5, 'five'))]"),
}

CATALOGUE = {
    # seeded bugs of tests/mutants found in a gate report whose entry holds a class, an object by its
    # type, a hook (3.11: 2.7 has no threading.excepthook)
    "thread-excepthook-args-without-thread": "Thread",
    "thread-excepthook-args-without-traceback": "Thread",
    "module-settrace-hook-never-installed": "Thread",
}
for _mid, _only in CATALOGUE.items():
    _old, _new = next(m[2:] for m in MUTANTS if m[0] == _mid)
    SEEDED[("3.11.7", _mid)] = (_only, _old, _new, "entered(gate_no)")


@pytest.mark.parametrize(("version", "mid"), sorted(SEEDED))
def test_reproducer_of_a_seeded_bug_reproduces_it_and_not_the_original(version: str, mid: str,
                                                                      tmp_path: Path) -> None:
    only, old, new, judged = SEEDED[(version, mid)]
    source = _lib(version).read_text()
    assert source.count(old) == 1
    (tmp_path / "threading.py").write_text(source.replace(old, new))
    scripts = _check(version, tmp_path, only)
    for s in scripts:
        assert judged in s.read_text(), s.read_text()
    _reproduced_then_not(version, tmp_path, scripts, source, one_thread=only == "LocalSubclass")
