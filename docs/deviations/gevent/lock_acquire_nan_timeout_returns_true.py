# threadspec reproducer
# clause: Lock.acquire.bad-timeout-raises
# > A timeout argument of -1 specifies an unbounded wait. [CPython: any other negative value or NaN raises ValueError, a value above TIMEOUT_MAX or an infinite one raises OverflowError, a non-number raises TypeError]
# target: python3 (CPython 3.11.7) with the library installed, module threading (threadspec check --target gevent)
# found by: scenario lock_bad_timeout_raises; profile 3.11 (documented)
# observed: returned True; the spec allows: raised Exception

import sys
from gevent import monkey; monkey.patch_all()
M = __import__('threading', None, None, ['*'])
obj = M.Lock()
try: obj.acquire(timeout=-2)
except: pass
try: obj.acquire(timeout=-0.5)
except: pass
try: v = obj.acquire(timeout=float('nan')); got = ('returned', repr(v), v)
except: e = sys.exc_info()[1]; got = ('raised', type(e).__name__, [c.__name__ for c in type(e).__mro__] + ['ThreadError'] * isinstance(e, getattr(M, 'ThreadError', ())))
allowed = [('raised', 'Exception')]
ok = [a for a in allowed if a[0] == got[0] and (a[1] in (got[1], '*') or a[0] == 'raised' and a[1] in got[2] or a[1] == '*' + type(got[2]).__name__)]
print('observed: %r\nthe spec allows: %r\n%s' % (got[:2], allowed, ok and 'NOT REPRODUCED' or 'REPRODUCED'))
sys.exit(not ok and 1 or 0)
