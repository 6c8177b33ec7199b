# Jython 2.7: active_count() must count a Thread once it is started (threading docs: "active_count():
# Return the number of Thread objects currently alive."; a started Thread is alive until its run()
# ends). In a thread started by thread.start_new_thread, starting a Thread made by the main thread
# leaves Jython's count unchanged (2 before, 2 after; CPython: 1, then 2). Found by threadspec
# check --python /usr/bin/jython (module.active_count.counts-alive-threads: 12, the spec allows 13).
import sys
import threading
try:
    import _thread as _t
except ImportError:
    import thread as _t
block, done, seen = threading.Event(), threading.Event(), []
t = threading.Thread(target=block.wait)
t.daemon = True
def alien():
    before = threading.active_count()
    t.start()
    seen.append((before, threading.active_count()))
    done.set()
_t.start_new_thread(alien, ())
done.wait(30.0)
block.set()
ok = bool(seen) and seen[0][1] == seen[0][0] + 1
print("active_count() before and after start() in the alien thread: %r" % (seen,))
print("NOT REPRODUCED" if ok else "REPRODUCED")
sys.exit(0 if ok else 1)
