# threadspec reproducer (written by hand: the generated one replays the checker's whole schedule)
# clause: module.current_thread.dummy-cannot-be-joined
# > Dummy thread objects have limited functionality; they are always considered alive and daemonic, and
# > cannot be joined. [Python: join() raises; CPython: AssertionError before 3.13, RuntimeError from 3.13]
# target: python3 with eventlet installed (threadspec check --target eventlet): threading after monkey_patch
# observed: in a thread the threading module did not start (a GreenThread of eventlet.spawn, as the checker's
# workers are), current_thread() is a dummy (eventlet's _GreenThread) whose join() waits for the thread
# itself to end: it never returns; the spec allows: join() raises
# (no finite wait proves "never": the script waits THREADSPEC_WAIT seconds, default 10)
import sys
import eventlet; eventlet.monkey_patch()
M = __import__('threading', None, None, ['*'])
import os, time
import eventlet
from eventlet.green.thread import allocate_lock, get_ident


class _t:  # the script's threads are eventlet.spawn's GreenThreads, as the checker's were
    allocate_lock = staticmethod(allocate_lock)
    get_ident = staticmethod(get_ident)
    start_new_thread = staticmethod(lambda fn, args: eventlet.spawn(fn, *args))


time.sleep = eventlet.sleep  # the script's waits let eventlet's hub run the workers

WAIT = float(os.environ.get('THREADSPEC_WAIT', '10'))  # seconds given to join() to raise
got = []
def body():
    try: M.current_thread().join(); got.append('returned')
    except: got.append('raised ' + type(sys.exc_info()[1]).__name__)  # noqa: E722 (as the generated ones)
_t.start_new_thread(body, ())
end = time.time() + WAIT
while not got and time.time() < end:
    time.sleep(0.01)
print('current_thread().join() in a thread the threading module did not start: %s' % (
    got or ['still blocked %s s later' % WAIT]))
ok = got[:1] != [] and got[0].startswith('raised')
print(ok and 'NOT REPRODUCED' or 'REPRODUCED')
sys.stdout.flush()
os._exit(not ok and 1 or 0)  # a blocked thread may keep the process
