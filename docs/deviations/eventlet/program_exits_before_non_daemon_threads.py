# threadspec reproducer
# clause: Thread.daemon.program-waits-for-non-daemon-threads
# > The entire Python program exits when no alive non-daemon threads are left.
# target: python3 (CPython 3.11.7) with the library installed, module threading (threadspec check --target eventlet)
# found by: exit probe; profile 3.11 (documented)
# observed: the program exited (status 0) while 2 of its 2 non-daemon threads were still alive: they never printed their lines; the spec allows: the program prints both non-daemon threads' lines, then exits
# run it with python3: it should print 'main thread finished', then 'first non-daemon thread finished' and 'second non-daemon thread finished', and exit

import os, subprocess, sys, time
PROBE = 'import os, sys, time\n\nimport eventlet; eventlet.monkey_patch()\nM = __import__(\'threading\')\ntry:\n    import _thread as _t\nexcept ImportError:\n    import thread as _t\n\nforever = _t.allocate_lock()\nforever.acquire()\nmain_done = _t.allocate_lock()\nmain_done.acquire()\n\n\ndef say(line):\n    """One line on stdout at once (Jython has no descriptor 1 for os.write: its stream then)."""\n    try:\n        os.write(1, line.encode() + b"\\n")\n    except OSError:\n        sys.stdout.write(line + "\\n")\n        sys.stdout.flush()\n\n\ndef daemon_body():\n    forever.acquire()  # never returns: the program must not wait for this thread\n\n\ndef first_body():\n    main_done.acquire()\n    time.sleep(0.5)  # the interpreter is ending meanwhile: it must wait for this thread\n    say(\'first non-daemon thread finished\')\n    first_done.release()\n\n\ndef second_body():\n    first_done.acquire()\n    time.sleep(0.5)  # ... and for this one\n    say(\'second non-daemon thread finished\')\n\n\nfirst_done = _t.allocate_lock()\nfirst_done.acquire()\nd = M.Thread(target=daemon_body)\nd.daemon = True\nd.start()\nfor body in (first_body, second_body):\n    w = M.Thread(target=body)\n    w.daemon = False\n    w.start()\nsay(\'main thread finished\')\nmain_done.release()\n'  # the program whose exit is checked
PRINTS = ['first non-daemon thread finished', 'second non-daemon thread finished']  # the spec: it prints these lines (its non-daemon threads end), then exits
STARTED = 'main thread finished'
HANG = float(os.environ.get('THREADSPEC_WAIT', '20.0'))  # seconds before the program counts as hanging
env = dict(os.environ, PYTHONPATH=os.pathsep.join([]))
p = subprocess.Popen([sys.executable, '-c', PROBE], stdout=subprocess.PIPE, env=env)
end = time.time() + HANG
while p.poll() is None and time.time() < end:
    time.sleep(0.05)
hung = p.poll() is None
if hung:
    p.kill()
out = p.communicate()[0].decode('ascii', 'replace').splitlines()
print('the program printed %r and %s' % (out, hung and 'had not exited after %s s' % HANG or 'exited'))
if STARTED not in out:
    print('(its threads did not start: nothing to compare)')
reproduced = STARTED in out and (hung or [line for line in PRINTS if line not in out] != [])
print(reproduced and 'REPRODUCED' or 'NOT REPRODUCED')
sys.exit(reproduced and 1 or 0)
