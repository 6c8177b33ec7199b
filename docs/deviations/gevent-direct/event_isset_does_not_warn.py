# threadspec reproducer
# clause: Event.isSet.deprecated-alias-warns
# > The method isSet is a deprecated alias for this method. [3.10+: calling it emits DeprecationWarning]
# target: python3 (CPython 3.11.7) with the library installed, module threadspec_target_gevent_direct (threadspec check --target gevent-direct)
# found by: scenario isSet_warns_deprecation; profile 3.11 (documented)
# observed: returned False; the spec allows: returned False with DeprecationWarning

import sys
import sys, types, gevent.event
_m = sys.modules['threadspec_target_gevent_direct'] = types.ModuleType('threadspec_target_gevent_direct')
_m.Event = gevent.event.Event
M = __import__('threadspec_target_gevent_direct', None, None, ['*'])
obj = M.Event()
import warnings
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter('always')
    try: v = obj.isSet(); got = ('returned', repr(v), v)
    except: e = sys.exc_info()[1]; got = ('raised', type(e).__name__, [c.__name__ for c in type(e).__mro__] + ['ThreadError'] * isinstance(e, getattr(M, 'ThreadError', ())))
got += ([w.category.__name__ for w in caught],)
allowed = [('returned', 'False', 'DeprecationWarning')]
ok = [a for a in allowed if (len(a) < 3 or a[2] in got[3]) and a[0] == got[0] and (a[1] in (got[1], '*') or a[0] == 'raised' and a[1] in got[2] or a[1] == '*' + type(got[2]).__name__)]
print('observed: %r\nthe spec allows: %r\n%s' % (got[:2] + got[3:], allowed, ok and 'NOT REPRODUCED' or 'REPRODUCED'))
sys.exit(not ok and 1 or 0)
