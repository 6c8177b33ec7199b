# Jython 2.7: threading.Lock() is documented as a factory function without parameters
# ("threading.Lock(): A factory function that returns a new primitive lock object"); calling it
# with an argument must raise TypeError, as any call that does not match a signature does.
# Jython accepts Lock(1) and returns a lock.
import sys
import threading
try:
    threading.Lock(1)
    raised = None
except TypeError:
    raised = TypeError
what = "raised TypeError" if raised else "returned a lock"
print("Lock(1) %s; the documented signature takes no argument" % what)
print("NOT REPRODUCED" if raised else "REPRODUCED")
sys.exit(0 if raised else 1)
