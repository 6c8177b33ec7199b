# threadspec reproducer
# clause: RLock.acquire.bad-timeout-raises
# > The maximum value allowed for the timeout parameter of blocking functions (Lock.acquire(), RLock.acquire(), Condition.wait(), etc.). Specifying a timeout greater than this value will raise an OverflowError. [An infinite one too]
# target: python3 (CPython 3.11.7) with the library installed, module threadspec_target_gevent_direct (threadspec check --target gevent-direct)
# found by: scenario rlock_bad_timeout_raises; profile 3.11 (documented)
# observed: returned True; the spec allows: raised OverflowError

import sys
import sys, types, gevent.lock
_m = sys.modules['threadspec_target_gevent_direct'] = types.ModuleType('threadspec_target_gevent_direct')
_m.RLock = gevent.lock.RLock
M = __import__('threadspec_target_gevent_direct', None, None, ['*'])
obj = M.RLock()
try: v = obj.acquire(timeout=float('inf')); got = ('returned', repr(v), v)
except: e = sys.exc_info()[1]; got = ('raised', type(e).__name__, [c.__name__ for c in type(e).__mro__] + ['ThreadError'] * isinstance(e, getattr(M, 'ThreadError', ())))
allowed = [('raised', 'OverflowError')]
ok = [a for a in allowed if a[0] == got[0] and (a[1] in (got[1], '*') or a[0] == 'raised' and a[1] in got[2] or a[1] == '*' + type(got[2]).__name__)]
print('observed: %r\nthe spec allows: %r\n%s' % (got[:2], allowed, ok and 'NOT REPRODUCED' or 'REPRODUCED'))
sys.exit(not ok and 1 or 0)
