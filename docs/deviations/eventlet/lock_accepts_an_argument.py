# threadspec reproducer
# clause: Lock.init.no-arguments
# > class threading.Lock() [Python: the constructor takes no arguments]
# target: python3 (CPython 3.11.7) with the library installed, module threading (threadspec check --target eventlet)
# found by: scenario lock_constructor_takes_no_arguments; profile 3.11 (documented)
# observed: returned None; the spec allows: raised TypeError

import sys
import eventlet; eventlet.monkey_patch()
M = __import__('threading', None, None, ['*'])
try: obj = M.Lock(1); v = None; got = ('returned', repr(v), v)
except: e = sys.exc_info()[1]; got = ('raised', type(e).__name__, [c.__name__ for c in type(e).__mro__] + ['ThreadError'] * isinstance(e, getattr(M, 'ThreadError', ())))
allowed = [('raised', 'TypeError')]
ok = [a for a in allowed if a[0] == got[0] and (a[1] in (got[1], '*') or a[0] == 'raised' and a[1] in got[2] or a[1] == '*' + type(got[2]).__name__)]
print('observed: %r\nthe spec allows: %r\n%s' % (got[:2], allowed, ok and 'NOT REPRODUCED' or 'REPRODUCED'))
sys.exit(not ok and 1 or 0)
