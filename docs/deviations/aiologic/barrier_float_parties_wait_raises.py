# threadspec reproducer
# clause: Barrier.wait.releases-all-with-distinct-indices
# > When all the threads party to the barrier have called this function, they are all released simultaneously. The return value is an integer in the range 0 to parties -- 1, different for each thread.
# target: python3 (CPython 3.11.7) with the library installed, module threadspec_target_aiologic (threadspec check --target aiologic)
# found by: scenario float_parties_trips_when_equal; profile 3.11 (documented)
# observed: raised ValueError; the spec allows: returned 0; returned 1; that it does not complete yet

import sys
import sys, types, aiologic
_m = sys.modules['threadspec_target_aiologic'] = types.ModuleType('threadspec_target_aiologic')
_m.Barrier = aiologic.RBarrier
M = __import__('threadspec_target_aiologic', None, None, ['*'])
import os, time
try:
    import _thread as _t
except ImportError:
    import thread as _t
SETTLE = float(os.environ.get('THREADSPEC_SETTLE', '0.2'))  # seconds before a step counts as blocked
WAIT = float(os.environ.get('THREADSPEC_WAIT', '10'))  # seconds given to a call the spec says completes
TRIES = int(os.environ.get('THREADSPEC_TRIES', '10'))  # runs of a schedule whose deviation may be a race


def outcome(fn):
    try:
        v = fn()
        return ('returned', repr(v), v)
    except:  # noqa: E722 (on Jython, a Java exception is no Exception)
        e = sys.exc_info()[1]
        names = [c.__name__ for c in type(e).__mro__]
        names += ['ThreadError'] * isinstance(e, getattr(M, 'ThreadError', ()))
        return ('raised', type(e).__name__, names)


def seq(*fns):
    # calls made back to back by one thread: the last one's value
    for fn in fns[:-1]:
        outcome(fn)
    return fns[-1]()


WORKERS = []


class Worker(object):
    # a thread of the schedule: one thread of the target's, making its calls in turn
    def __init__(self, name):
        self.name, self.got, self.busy, self.done, self.todo = name, None, False, 0, []
        WORKERS.append(self)

    def run(self, text, fn, wait=None):
        if self.busy:
            print('%s.%s skipped: the thread is still in its last call' % (self.name, text))
            return None
        self.text, self.got, self.start, self.busy = text, None, time.time(), True
        def body():
            got = outcome(fn)
            self.took = time.time() - self.start
            self.got, self.busy, self.done = got, False, self.done + 1
        self.spawn(body)
        got = self.settle(SETTLE if wait is None else wait)
        quiet()
        return got

    def spawn(self, body):
        if not hasattr(self, 'wake'):
            self.wake = _t.allocate_lock()
            self.wake.acquire()
            _t.start_new_thread(self.loop, ())
        self.todo.append(body)
        self.wake.release()

    def loop(self):
        while True:
            self.wake.acquire()
            self.todo.pop(0)()

    def settle(self, seconds):
        end = time.time() + seconds
        while self.got is None and time.time() < end:
            time.sleep(0.001)
        print('%s.%s -> %s' % (self.name, self.text, self.got and self.got[:2] or '(not completed)'))
        return self.got


def quiet():
    # wait until no call in progress has completed for SETTLE seconds (blocked calls stay blocked)
    seen, end = -1, time.time()
    while [w for w in WORKERS if w.busy] and time.time() < end:
        done = sum([w.done for w in WORKERS])
        if done != seen:
            seen, end = done, time.time() + SETTLE
        time.sleep(0.001)


def finish(reproduced):
    print(reproduced and 'REPRODUCED' or 'NOT REPRODUCED')
    sys.stdout.flush()
    os._exit(reproduced and 1 or 0)


def attempt():
    WORKERS[:] = []
    obj = M.Barrier(2.0)
    t0 = Worker('t0')
    t1 = Worker('t1')
    got = t0.run('wait()', lambda: obj.wait())
    got = t1.run('wait()', lambda: obj.wait())
    allowed = [('returned', '0'), ('returned', '1')]  # or that it does not complete yet
    ok = got is None or [a for a in allowed if a[0] == got[0] and (a[1] in (got[1], '*') or a[0] == 'raised' and a[1] in got[2] or a[1] == '*' + type(got[2]).__name__)]
    print('the spec allows: %r' % (allowed,))
    return not ok


for n in range(TRIES):
    print('-- try %d' % (n + 1))
    if attempt():
        finish(True)
finish(False)
