# Jython 2.7: the threading documentation defines "exception threading.ThreadError: Raised for
# various threading-related errors as described below" (and Lock.release of an unlocked lock
# raises it). Jython's threading module has no ThreadError at all: threading.ThreadError raises
# AttributeError (the thread module's thread.error exists).
import sys
import threading
try:
    error = threading.ThreadError
except AttributeError:
    error = None
print("threading.ThreadError is %s" % (error and error.__name__ or "missing (AttributeError)"))
print("NOT REPRODUCED" if error else "REPRODUCED")
sys.exit(0 if error else 1)
