# threadspec reproducer
# clause: Barrier.call.bad-arguments-raise-typeerror
# > [Python] A call with arguments that do not match the documented signature raises TypeError; an operation the class does not have raises AttributeError.
# target: python3 (CPython 3.11.7) with the library installed, module threadspec_target_aiologic (threadspec check --target aiologic)
# found by: scenario constructor_needs_parties; profile 3.11 (documented)
# observed: returned None; the spec allows: raised TypeError

import sys
import sys, types, aiologic
_m = sys.modules['threadspec_target_aiologic'] = types.ModuleType('threadspec_target_aiologic')
_m.Barrier = aiologic.RBarrier
M = __import__('threadspec_target_aiologic', None, None, ['*'])
try: obj = M.Barrier(); v = None; got = ('returned', repr(v), v)
except: e = sys.exc_info()[1]; got = ('raised', type(e).__name__, [c.__name__ for c in type(e).__mro__] + ['ThreadError'] * isinstance(e, getattr(M, 'ThreadError', ())))
allowed = [('raised', 'TypeError')]
ok = [a for a in allowed if a[0] == got[0] and (a[1] in (got[1], '*') or a[0] == 'raised' and a[1] in got[2] or a[1] == '*' + type(got[2]).__name__)]
print('observed: %r\nthe spec allows: %r\n%s' % (got[:2], allowed, ok and 'NOT REPRODUCED' or 'REPRODUCED'))
sys.exit(not ok and 1 or 0)
