# Jython 2.7: Thread.join(0.0) must return at once while the thread runs (threading docs,
# Thread.join: "When the timeout argument is present and not None, it should be a floating
# point number specifying a timeout for the operation in seconds"). Jython's join tests
# `if timeout:`, so a timeout of 0 waits without limit, until the thread ends.
import sys
import threading
block, returned = threading.Event(), threading.Event()
t = threading.Thread(target=block.wait)
t.daemon = True
t.start()
joiner = threading.Thread(target=lambda: (t.join(0.0), returned.set()))
joiner.daemon = True
joiner.start()
ok = returned.wait(10.0)  # generous: join(0.0) should return at once
print("join(0.0) on a running thread %s within 10 s" % ("returned" if ok else "had not returned"))
block.set()
print("NOT REPRODUCED" if ok else "REPRODUCED")
sys.exit(0 if ok else 1)
