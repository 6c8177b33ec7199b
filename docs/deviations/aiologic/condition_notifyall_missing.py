# threadspec reproducer
# clause: Condition.notifyAll.deprecated-alias-warns
# > The method notifyAll is a deprecated alias for this method. [3.10+: calling it emits DeprecationWarning]
# target: python3 (CPython 3.11.7) with the library installed, module threadspec_target_aiologic (threadspec check --target aiologic)
# found by: scenario notifyAll-is-an-alias (here without a waiter: the alias is missing); profile 3.11 (documented)
# observed: raised AttributeError; the spec allows: returned None with DeprecationWarning

import sys
import operator, sys, types, aiologic
_m = sys.modules['threadspec_target_aiologic'] = types.ModuleType('threadspec_target_aiologic')
def _forward(path, params):
    def method(self, *args, **kwargs):
        if len(args) > len(params): raise TypeError('takes at most %d positional arguments' % len(params))
        return operator.attrgetter(path)(self)(**dict(kwargs, **dict(zip(params, args))))
    return method
_m.Condition = type('Condition', (aiologic.Condition,), {'acquire': _forward('lock.green_acquire', ('blocking', 'timeout')), 'release': _forward('lock.green_release', ())})
M = __import__('threadspec_target_aiologic', None, None, ['*'])
obj = M.Condition()
obj.acquire()
import warnings
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter('always')
    try: v = obj.notifyAll(); got = ('returned', repr(v), v)
    except: e = sys.exc_info()[1]; got = ('raised', type(e).__name__, [c.__name__ for c in type(e).__mro__] + ['ThreadError'] * isinstance(e, getattr(M, 'ThreadError', ())))
got += ([w.category.__name__ for w in caught],)
allowed = [('returned', 'None', 'DeprecationWarning')]
ok = [a for a in allowed if (len(a) < 3 or a[2] in got[3]) and a[0] == got[0] and (a[1] in (got[1], '*') or a[0] == 'raised' and a[1] in got[2] or a[1] == '*' + type(got[2]).__name__)]
print('observed: %r\nthe spec allows: %r\n%s' % (got[:2] + got[3:], allowed, ok and 'NOT REPRODUCED' or 'REPRODUCED'))
sys.exit(not ok and 1 or 0)
