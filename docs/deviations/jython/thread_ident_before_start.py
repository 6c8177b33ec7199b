# Jython 2.7: Thread.ident must be None until the thread is started (threading docs,
# Thread.ident: "The 'thread identifier' of this thread or None if the thread has not been
# started."). Jython returns the Java thread's id at once.
import sys
import threading
ident = threading.Thread().ident
print("Thread().ident before start() is %r; the docs say None" % (ident,))
print("NOT REPRODUCED" if ident is None else "REPRODUCED")
sys.exit(0 if ident is None else 1)
