"""Make ``import threading`` give impl, in every interpreter started with this directory on PYTHONPATH.

Used to run CPython's ``test_threading`` against impl, including the child
interpreters (and subinterpreters) that its tests start; see
``tests/impl/cpython_suites.py``.

Nothing is imported at startup: a finder first on ``sys.meta_path`` answers
the first ``import threading`` with the impl package, so that, as with
CPython's own ``threading``, the module is loaded only when a program asks for
it, and by the thread that asks first (``test_import_from_another_thread``
relies on that). impl stays the package it is (its ``__spec__`` is given back
after the import system has set it), now also known as ``threading``.

Some installations import ``threading`` before this module runs (a ``.pth``
file in site-packages that imports, say, ``zipfile``): then impl replaces it
at once, and ``IMPORTED_AT_STARTUP`` says so.

impl plays both of CPython's RLock roles there: ``_PyRLock`` (an RLock written
in Python, which impl's is) and ``_CRLock`` (so that ``CRLockTests`` run too).
"""

import sys
from importlib.machinery import ModuleSpec


class ImplAsThreading:
    """Meta path finder and loader: the module named ``threading`` is the impl package."""

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        return ModuleSpec(name, cls) if name == "threading" else None

    @staticmethod
    def create_module(spec):
        import impl

        spec.loader_state = impl.__spec__
        return impl

    @staticmethod
    def exec_module(module):
        module.__spec__ = module.__spec__.loader_state
        # impl asks for threading while it is being imported (to learn whether it is installed
        # as threading): it is not complete then, but it already has its RLock.
        if hasattr(module, "RLock"):
            module._PyRLock = module._CRLock = module.RLock


IMPORTED_AT_STARTUP = "threading" in sys.modules
"""Whether ``threading`` was imported before this module ran (so impl could not wait to be asked)."""

sys.meta_path.insert(0, ImplAsThreading)
if IMPORTED_AT_STARTUP:
    del sys.modules["threading"]
    import threading  # noqa: F401  (impl, now)
