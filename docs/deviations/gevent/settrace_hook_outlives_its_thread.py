# threadspec reproducer (written by hand: each of the checker's runs starts without an earlier run's hook)
# clause: module.settrace.stores-hook
# > Set a trace function for all threads started from the threading module. The func will be passed to
# > sys.settrace() for each thread, before its run() method is called.
# target: python3 with gevent installed (threadspec check --target gevent): threading after patch_all
# observed: the function one Thread passed to sys.settrace() stays installed once it has ended: a Thread
# started after settrace(None), and the main thread, run with it (green threads share their OS thread's
# trace function); the spec allows: only the first Thread runs with it (sys.settrace is per thread)
import sys
from gevent import monkey; monkey.patch_all()
M = __import__('threading', None, None, ['*'])
def hook(frame, event, arg):
    return None
seen = []
M.settrace(hook)
first = M.Thread(target=lambda: seen.append(sys.gettrace()))
first.start(); first.join()
M.settrace(None)
second = M.Thread(target=lambda: seen.append(sys.gettrace()))
second.start(); second.join()
seen.append(sys.gettrace())  # the main thread's
ok = seen == [hook, None, None]
print('sys.gettrace() in the first Thread, in the second, in the main thread: %r' % (seen,))
print(ok and 'NOT REPRODUCED' or 'REPRODUCED')
sys.exit(not ok and 1 or 0)
