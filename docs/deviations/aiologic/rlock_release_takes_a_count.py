# threadspec reproducer
# clause: RLock.call.bad-arguments-raise-typeerror
# > [Python] A call with arguments that do not match the documented signature raises TypeError.
# target: python3 (CPython 3.11.7) with the library installed, module threadspec_target_aiologic (threadspec check --target aiologic)
# found by: scenario rlock_bad_arguments_raise_typeerror; profile 3.11 (documented)
# observed: raised RuntimeError; the spec allows: raised TypeError

import sys
import operator, sys, types, aiologic
_m = sys.modules['threadspec_target_aiologic'] = types.ModuleType('threadspec_target_aiologic')
def _forward(path, params):
    def method(self, *args, **kwargs):
        if len(args) > len(params): raise TypeError('takes at most %d positional arguments' % len(params))
        return operator.attrgetter(path)(self)(**dict(kwargs, **dict(zip(params, args))))
    return method
_m.RLock = type('RLock', (aiologic.RLock,), {'acquire': _forward('green_acquire', ('blocking', 'timeout')), 'release': aiologic.RLock.green_release})
M = __import__('threadspec_target_aiologic', None, None, ['*'])
obj = M.RLock()
try: v = obj.release(1); got = ('returned', repr(v), v)
except: e = sys.exc_info()[1]; got = ('raised', type(e).__name__, [c.__name__ for c in type(e).__mro__] + ['ThreadError'] * isinstance(e, getattr(M, 'ThreadError', ())))
allowed = [('raised', 'TypeError')]
ok = [a for a in allowed if a[0] == got[0] and (a[1] in (got[1], '*') or a[0] == 'raised' and a[1] in got[2] or a[1] == '*' + type(got[2]).__name__)]
print('observed: %r\nthe spec allows: %r\n%s' % (got[:2], allowed, ok and 'NOT REPRODUCED' or 'REPRODUCED'))
sys.exit(not ok and 1 or 0)
