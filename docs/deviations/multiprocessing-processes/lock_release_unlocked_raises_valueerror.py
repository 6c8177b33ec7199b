# threadspec reproducer
# clause: Lock.release.unlocked-raises-runtimeerror
# > When invoked on an unlocked lock, a RuntimeError is raised.
# target: python3 (CPython 3.11.7) with the library installed, module threadspec_target_multiprocessing_processes (threadspec check --target multiprocessing-processes)
# found by: scenario lock_release_unlocked_raises_runtimeerror; profile 3.11 (documented)
# observed: raised ValueError; the spec allows: raised RuntimeError

import sys
import sys, types, multiprocessing
_m = sys.modules['threadspec_target_multiprocessing_processes'] = types.ModuleType('threadspec_target_multiprocessing_processes')
_m.Lock = multiprocessing.Lock
M = __import__('threadspec_target_multiprocessing_processes', None, None, ['*'])
obj = M.Lock()
try: v = obj.release(); got = ('returned', repr(v), v)
except: e = sys.exc_info()[1]; got = ('raised', type(e).__name__, [c.__name__ for c in type(e).__mro__] + ['ThreadError'] * isinstance(e, getattr(M, 'ThreadError', ())))
allowed = [('raised', 'RuntimeError')]
ok = [a for a in allowed if a[0] == got[0] and (a[1] in (got[1], '*') or a[0] == 'raised' and a[1] in got[2] or a[1] == '*' + type(got[2]).__name__)]
print('observed: %r\nthe spec allows: %r\n%s' % (got[:2], allowed, ok and 'NOT REPRODUCED' or 'REPRODUCED'))
sys.exit(not ok and 1 or 0)
