"""Install impl as ``threading`` in every interpreter started with this directory on PYTHONPATH.

Used to run CPython's ``test_threading`` against impl, including the child
interpreters that its tests start (see ``tests/impl/cpython_suites.py``).
impl plays both of CPython's RLock roles there: ``_PyRLock`` (an RLock written
in Python, which impl's is) and ``_CRLock`` (so that ``CRLockTests`` run too).
"""

import sys

import impl

impl._PyRLock = impl._CRLock = impl.RLock  # type: ignore[attr-defined]
sys.modules["threading"] = impl
