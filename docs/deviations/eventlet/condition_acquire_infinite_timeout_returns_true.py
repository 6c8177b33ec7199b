# threadspec reproducer
# clause: Condition.acquire.bad-timeout-raises
# > It is forbidden to specify a timeout when blocking is False. [CPython: a negative timeout other than -1 or NaN raises ValueError, one above TIMEOUT_MAX OverflowError, a non-number TypeError]
# target: python3 (CPython 3.11.7) with the library installed, module threading (threadspec check --target eventlet)
# found by: scenario acquire-bad-timeout-raises; profile 3.11 (documented)
# observed: returned True; the spec allows: raised OverflowError

import sys
import eventlet; eventlet.monkey_patch()
M = __import__('threading', None, None, ['*'])
obj = M.Condition(M.Lock())
try: obj.acquire(False, 1)
except: pass
try: obj.acquire(timeout=-2)
except: pass
try: obj.acquire(timeout='1')
except: pass
try: v = obj.acquire(timeout=float('inf')); got = ('returned', repr(v), v)
except: e = sys.exc_info()[1]; got = ('raised', type(e).__name__, [c.__name__ for c in type(e).__mro__] + ['ThreadError'] * isinstance(e, getattr(M, 'ThreadError', ())))
allowed = [('raised', 'OverflowError')]
ok = [a for a in allowed if a[0] == got[0] and (a[1] in (got[1], '*') or a[0] == 'raised' and a[1] in got[2] or a[1] == '*' + type(got[2]).__name__)]
print('observed: %r\nthe spec allows: %r\n%s' % (got[:2], allowed, ok and 'NOT REPRODUCED' or 'REPRODUCED'))
sys.exit(not ok and 1 or 0)
