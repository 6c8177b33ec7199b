# threadspec reproducer
# clause: Semaphore.with.acquires-and-releases
# > Semaphores also support the context management protocol. [...] The acquire() method will be called when the block is entered, and release() will be called when the block is exited.
# target: python3 (CPython 3.11.7) with the library installed, module threadspec_target_aiologic (threadspec check --target aiologic)
# found by: scenario with_block_exit_above_bound_raises; profile 3.11 (documented)
# observed: returned ('ref', 63); the spec allows: returned True

import sys
import operator, sys, types, aiologic
_m = sys.modules['threadspec_target_aiologic'] = types.ModuleType('threadspec_target_aiologic')
def _forward(path, params):
    def method(self, *args, **kwargs):
        if len(args) > len(params): raise TypeError('takes at most %d positional arguments' % len(params))
        return operator.attrgetter(path)(self)(**dict(kwargs, **dict(zip(params, args))))
    return method
_m.BoundedSemaphore = type('BoundedSemaphore', (aiologic.BoundedSemaphore,), {'acquire': _forward('green_acquire', ('blocking', 'timeout'))})
M = __import__('threadspec_target_aiologic', None, None, ['*'])
obj = M.BoundedSemaphore(1)
try: v = obj.__enter__(); got = ('returned', repr(v), v)
except: e = sys.exc_info()[1]; got = ('raised', type(e).__name__, [c.__name__ for c in type(e).__mro__] + ['ThreadError'] * isinstance(e, getattr(M, 'ThreadError', ())))
allowed = [('returned', 'True')]
ok = [a for a in allowed if a[0] == got[0] and (a[1] in (got[1], '*') or a[0] == 'raised' and a[1] in got[2] or a[1] == '*' + type(got[2]).__name__)]
print('observed: %r\nthe spec allows: %r\n%s' % (got[:2], allowed, ok and 'NOT REPRODUCED' or 'REPRODUCED'))
sys.exit(not ok and 1 or 0)
