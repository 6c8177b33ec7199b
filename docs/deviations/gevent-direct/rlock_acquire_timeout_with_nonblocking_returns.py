# threadspec reproducer
# clause: RLock.acquire.timeout-with-nonblocking-raises
# > [RLock.acquire takes Lock.acquire's arguments:] It is forbidden to specify a timeout when blocking is False. [CPython raises ValueError]
# target: python3 (CPython 3.11.7) with the library installed, module threadspec_target_gevent_direct (threadspec check --target gevent-direct)
# found by: scenario rlock_timeout_with_nonblocking_raises; profile 3.11 (documented)
# observed: returned True; the spec allows: raised Exception

import sys
import sys, types, gevent.lock
_m = sys.modules['threadspec_target_gevent_direct'] = types.ModuleType('threadspec_target_gevent_direct')
_m.RLock = gevent.lock.RLock
M = __import__('threadspec_target_gevent_direct', None, None, ['*'])
obj = M.RLock()
try: v = obj.acquire(blocking=False, timeout=60.0); got = ('returned', repr(v), v)
except: e = sys.exc_info()[1]; got = ('raised', type(e).__name__, [c.__name__ for c in type(e).__mro__] + ['ThreadError'] * isinstance(e, getattr(M, 'ThreadError', ())))
allowed = [('raised', 'Exception')]
ok = [a for a in allowed if a[0] == got[0] and (a[1] in (got[1], '*') or a[0] == 'raised' and a[1] in got[2] or a[1] == '*' + type(got[2]).__name__)]
print('observed: %r\nthe spec allows: %r\n%s' % (got[:2], allowed, ok and 'NOT REPRODUCED' or 'REPRODUCED'))
sys.exit(not ok and 1 or 0)
