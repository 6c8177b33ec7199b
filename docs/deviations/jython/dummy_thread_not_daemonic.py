# Jython 2.7: in a thread not started by threading (thread.start_new_thread), current_thread()
# is a dummy thread object, "always considered alive and daemonic", and a Thread created there
# inherits its daemon flag ("The initial value is inherited from the creating thread"), so it
# is daemonic too. Jython reports both as non-daemonic.
import sys
import thread
import threading
seen, done = [], threading.Event()

def body():
    seen.append((threading.current_thread().daemon, threading.Thread().daemon))
    done.set()

thread.start_new_thread(body, ())
done.wait(10.0)
print("dummy thread daemon, new Thread's daemon: %r; the docs say (True, True)" % (seen,))
ok = seen == [(True, True)]
print("NOT REPRODUCED" if ok else "REPRODUCED")
sys.exit(0 if ok else 1)
