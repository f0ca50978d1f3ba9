"""Run the real background worker command in this process until a condition holds."""

import os
import signal
import threading
import time

from django.core.management import call_command
from django.db import connections


def run_worker_until(done, *, timeout=20, poll=0.1):
    """Run `notification_worker` until `done()` is true (or `timeout` s), then send it SIGTERM
    as systemd would; return the seconds it ran. The signal handlers are put back after."""

    def stop_when_done():
        try:
            deadline = time.monotonic() + timeout
            while not done() and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            connections.close_all()  # this thread's own, opened by `done()`
            os.kill(os.getpid(), signal.SIGTERM)

    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    watcher = threading.Thread(target=stop_when_done)
    watcher.start()
    try:
        began = time.monotonic()
        call_command("notification_worker", poll=poll)  # returns once SIGTERM arrives
        return time.monotonic() - began
    finally:
        watcher.join()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
