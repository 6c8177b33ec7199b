# threadspec reproducer
# clause: Semaphore.init.negative-value-raises
# > If the value given is less than 0, ValueError is raised.
# target: python3 (CPython 3.11.7) with the library installed, module threadspec_target_multiprocessing_processes (threadspec check --target multiprocessing-processes)
# found by: scenario negative_value_raises; profile 3.11 (documented)
# observed: raised OSError; the spec allows: raised ValueError

import sys
import sys, types, multiprocessing
_m = sys.modules['threadspec_target_multiprocessing_processes'] = types.ModuleType('threadspec_target_multiprocessing_processes')
_m.Semaphore = multiprocessing.Semaphore
M = __import__('threadspec_target_multiprocessing_processes', None, None, ['*'])
try: obj = M.Semaphore(-1); v = None; got = ('returned', repr(v), v)
except: e = sys.exc_info()[1]; got = ('raised', type(e).__name__, [c.__name__ for c in type(e).__mro__] + ['ThreadError'] * isinstance(e, getattr(M, 'ThreadError', ())))
allowed = [('raised', 'ValueError')]
ok = [a for a in allowed if a[0] == got[0] and (a[1] in (got[1], '*') or a[0] == 'raised' and a[1] in got[2] or a[1] == '*' + type(got[2]).__name__)]
print('observed: %r\nthe spec allows: %r\n%s' % (got[:2], allowed, ok and 'NOT REPRODUCED' or 'REPRODUCED'))
sys.exit(not ok and 1 or 0)
