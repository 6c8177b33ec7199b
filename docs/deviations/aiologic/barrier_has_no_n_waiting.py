# threadspec reproducer
# clause: Barrier.n_waiting.reports
# > The number of threads currently waiting in the barrier.
# target: python3 (CPython 3.11.7) with the library installed, module threadspec_target_aiologic (threadspec check --target aiologic)
# found by: threadspec check --target aiologic; this is the failing thread's own schedule; profile 3.11 (documented)
# observed: raised AttributeError; the spec allows: returned 0

import sys
import sys, types, aiologic
_m = sys.modules['threadspec_target_aiologic'] = types.ModuleType('threadspec_target_aiologic')
_m.Barrier = aiologic.RBarrier
M = __import__('threadspec_target_aiologic', None, None, ['*'])
obj = M.Barrier(2)
try: v = obj.n_waiting; got = ('returned', repr(v), v)
except: e = sys.exc_info()[1]; got = ('raised', type(e).__name__, [c.__name__ for c in type(e).__mro__] + ['ThreadError'] * isinstance(e, getattr(M, 'ThreadError', ())))
allowed = [('returned', '0')]
ok = [a for a in allowed if a[0] == got[0] and (a[1] in (got[1], '*') or a[0] == 'raised' and a[1] in got[2] or a[1] == '*' + type(got[2]).__name__)]
print('observed: %r\nthe spec allows: %r\n%s' % (got[:2], allowed, ok and 'NOT REPRODUCED' or 'REPRODUCED'))
sys.exit(not ok and 1 or 0)
