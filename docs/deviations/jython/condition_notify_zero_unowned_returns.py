# Jython 2.7: Condition.notify(n) by a thread that does not hold the lock must raise
# RuntimeError whatever n is (threading docs, Condition.notify: "If the calling thread has not
# acquired the lock when this method is called, a RuntimeError is raised."). Jython's notify(0)
# returns None without looking at the lock.
import sys
import threading
try:
    threading.Condition().notify(0)
    raised = None
except:  # noqa: E722 - a Java exception is no Exception subclass
    raised = sys.exc_info()[0]
ok = isinstance(raised, type) and issubclass(raised, RuntimeError)
print("notify(0) without the lock raised %r; the docs say RuntimeError" % (raised,))
print("NOT REPRODUCED" if ok else "REPRODUCED")
sys.exit(0 if ok else 1)
