# Jython 2.7: the threading docs give RLock.acquire([blocking=1]), naming the parameter and its
# default; RLock().acquire(blocking=False) must take the lock and return true. Jython's RLock
# (a Java class) takes no keyword and raises TypeError.
import sys
import threading
try:
    result = threading.RLock().acquire(blocking=False)
except TypeError:
    result = TypeError
print("RLock().acquire(blocking=False) gave %r; the docs name the parameter blocking" % (result,))
print("REPRODUCED" if result is TypeError else "NOT REPRODUCED")
sys.exit(1 if result is TypeError else 0)
