# Jython 2.7: leaving a with block of an RLock releases it, and releasing an unlocked RLock must
# raise RuntimeError (threading docs, RLock.release: "A RuntimeError is raised if this method is
# called when the lock is unlocked."). Jython's release() does, but its __exit__ raises
# java.lang.IllegalMonitorStateException, which `except Exception` does not catch either.
import sys
import threading
try:
    threading.RLock().__exit__(None, None, None)
    raised = None
except:  # noqa: E722 - a Java exception is no Exception subclass
    raised = sys.exc_info()[0]
ok = isinstance(raised, type) and issubclass(raised, RuntimeError)
print("__exit__ of an unlocked RLock raised %r; the docs say RuntimeError" % (raised,))
print("NOT REPRODUCED" if ok else "REPRODUCED")
sys.exit(0 if ok else 1)
