"""Every seeded mutant, for ``../shared/tools/run_mutants.py --mutants tests/mutants/all.py``.

Each primitive's module lists ``MUTANTS = [(id, description, old_text, new_text), ...]``
against Python 3.11's ``Lib/threading.py``.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

_HERE = Path(__file__).resolve().parent


def _load() -> list[tuple[str, str, str, str]]:
    out: list[tuple[str, str, str, str]] = []
    for m in sorted(pkgutil.iter_modules([str(_HERE)]), key=lambda m: m.name):
        if m.name in ("all", "__init__"):
            continue
        spec = importlib.util.spec_from_file_location(f"_mutants_{m.name}", _HERE / f"{m.name}.py")
        assert spec is not None and spec.loader is not None
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        out.extend(getattr(mod, "MUTANTS", []))
    return out


MUTANTS = _load()
