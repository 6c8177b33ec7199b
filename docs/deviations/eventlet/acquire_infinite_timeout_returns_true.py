# threadspec reproducer
# clause: Lock.acquire.bad-timeout-raises
# > The maximum value allowed for the timeout parameter of blocking functions (Lock.acquire(), RLock.acquire(), Condition.wait(), etc.). Specifying a timeout greater than this value will raise an OverflowError. [An infinite one too]
# target: python3 (CPython 3.11.7) with the library installed, module threading (threadspec check --target eventlet)
# found by: scenarios lock_bad_timeout_raises, rlock_bad_timeout_raises, lock_huge_or_infinite_timeout_raises; profile 3.11 (documented)
# observed: Lock().acquire(timeout=inf), RLock().acquire(timeout=inf), Lock().acquire(True, 10**400) return True (and hold the lock); the spec allows: raised OverflowError
# (RLock.acquire.bad-timeout-raises too; each call on a lock of its own)

import sys
import eventlet; eventlet.monkey_patch()
M = __import__('threading', None, None, ['*'])
seen = []
for kind, timeout in (('Lock', float('inf')), ('RLock', float('inf')), ('Lock', 10 ** 400)):
    obj = getattr(M, kind)()
    try: v = obj.acquire(True, timeout); got = ('returned', repr(v))
    except: e = sys.exc_info()[1]; got = ('raised', type(e).__name__, [c.__name__ for c in type(e).__mro__])
    seen.append((kind, 'inf' if timeout == float('inf') else '10**400', got[:2]))
    ok = got[0] == 'raised' and 'OverflowError' in got[2]
    if not ok:
        break
print('observed: %r\nthe spec allows: %r\n%s' % (seen, [('raised', 'OverflowError')], ok and 'NOT REPRODUCED' or 'REPRODUCED'))
sys.exit(not ok and 1 or 0)
