# threadspec reproducer (written by hand: the generated one compares a Thread summary it cannot make)
# clause: module.main_thread.returns-main-thread
# > Return the main Thread object. In normal conditions, the main thread is the thread from which the
# > Python interpreter was started.
# target: python3 with eventlet installed (threadspec check --target eventlet): threading after monkey_patch
# observed: main_thread() is a Thread whose ident is not the main thread's (in the main thread itself, and
# in a green Thread); the spec allows: the main Thread object, whose ident is the main thread's get_ident()
import eventlet; eventlet.monkey_patch()
import sys
import threading
main, seen = threading.main_thread(), []
t = threading.Thread(target=lambda: seen.append(threading.main_thread()))
t.start()
t.join()
ok = main.ident == threading.get_ident() and seen == [main]
print('main_thread().ident %r, the main thread\'s get_ident() %r, from a Thread: %r' % (
    main.ident, threading.get_ident(), seen))
print('NOT REPRODUCED' if ok else 'REPRODUCED')
sys.exit(0 if ok else 1)
