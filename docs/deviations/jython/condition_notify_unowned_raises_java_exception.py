# Jython 2.7: Condition.notify()/notify_all() by a thread that does not hold the lock must raise
# RuntimeError (threading docs, Condition.notify: "If the calling thread has not acquired the
# lock when this method is called, a RuntimeError is raised."). Jython raises
# java.lang.IllegalMonitorStateException instead.
import sys
import threading
try:
    threading.Condition().notify_all()
    raised = None
except:  # noqa: E722 - a Java exception is no Exception subclass
    raised = sys.exc_info()[0]
ok = isinstance(raised, type) and issubclass(raised, RuntimeError)
print("notify_all() without the lock raised %r; the docs say RuntimeError" % (raised,))
print("NOT REPRODUCED" if ok else "REPRODUCED")
sys.exit(0 if ok else 1)
