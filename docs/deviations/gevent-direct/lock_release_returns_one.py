# threadspec reproducer
# clause: Lock.release.locked-unlocks
# > When the lock is locked, reset it to unlocked, and return. If any other threads are blocked waiting for the lock to become unlocked, allow exactly one of them to proceed.
# target: python3 (CPython 3.11.7) with the library installed, module threadspec_target_gevent_direct (threadspec check --target gevent-direct)
# found by: scenario lock_release_unlocks; profile 3.11 (documented)
# observed: returned 1; the spec allows: returned None

import sys
import sys, types, gevent.thread
_m = sys.modules['threadspec_target_gevent_direct'] = types.ModuleType('threadspec_target_gevent_direct')
_m.Lock = gevent.thread.LockType
M = __import__('threadspec_target_gevent_direct', None, None, ['*'])
obj = M.Lock()
obj.acquire()
try: v = obj.release(); got = ('returned', repr(v), v)
except: e = sys.exc_info()[1]; got = ('raised', type(e).__name__, [c.__name__ for c in type(e).__mro__] + ['ThreadError'] * isinstance(e, getattr(M, 'ThreadError', ())))
allowed = [('returned', 'None')]
ok = [a for a in allowed if a[0] == got[0] and (a[1] in (got[1], '*') or a[0] == 'raised' and a[1] in got[2] or a[1] == '*' + type(got[2]).__name__)]
print('observed: %r\nthe spec allows: %r\n%s' % (got[:2], allowed, ok and 'NOT REPRODUCED' or 'REPRODUCED'))
sys.exit(not ok and 1 or 0)
