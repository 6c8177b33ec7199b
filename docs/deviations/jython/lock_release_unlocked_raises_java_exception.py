# Jython 2.7: releasing an unlocked Lock must raise ThreadError (threading docs, Lock.release:
# "When invoked on an unlocked lock, a ThreadError is raised."). Jython's threading has no
# ThreadError, and release() raises java.lang.IllegalMonitorStateException, which
# `except Exception` does not catch either.
import sys
import threading
try:
    threading.Lock().release()
    raised = None
except:  # noqa: E722 - a Java exception is no Exception subclass
    raised = sys.exc_info()[0]
thread_error = getattr(threading, "ThreadError", None)
ok = thread_error is not None and isinstance(raised, type) and issubclass(raised, thread_error)
print("release() of an unlocked Lock raised %r; the docs say ThreadError" % (raised,))
print("NOT REPRODUCED" if ok else "REPRODUCED")
sys.exit(0 if ok else 1)
