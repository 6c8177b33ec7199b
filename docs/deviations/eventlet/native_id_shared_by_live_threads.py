# threadspec reproducer
# clause: module.get_native_id.identifies-the-thread
# > Return the native integral Thread ID of the current thread assigned by the kernel. Its value may be used to uniquely identify this particular thread system-wide (until the thread terminates, after which the value may be recycled by the OS).
# target: python3 (CPython 3.11.7) with the library installed, module threading (threadspec check --target eventlet)
# found by: scenario threads_alive_together_have_distinct_ids; profile 3.11 (documented)
# the spec allows: two threads alive at the same time have different native ids

import sys
import eventlet; eventlet.monkey_patch()
M = __import__('threading', None, None, ['*'])
inside, leave, ids = M.Event(), M.Event(), []
def target(): ids.append(M.get_native_id()); inside.set(); leave.wait()
t = M.Thread(target=target); t.start(); inside.wait()
got = (ids[0], M.get_native_id())  # the thread's own id while it runs, and the main thread's
leave.set(); t.join()
print('observed: native ids %r (the thread, the main thread)\nthe spec allows: two different ids' % (got,))
print(got[0] != got[1] and 'NOT REPRODUCED' or 'REPRODUCED')
sys.exit(got[0] == got[1] and 1 or 0)
