"""Run one function in several threads at once, as several workers or visitors would."""

import threading

from django.db import connections


def run_at_once(function, count, *, timeout=60):
    """Call `function` in `count` threads released together; return what each returned.

    Each thread has its own database connection, closed when it is done.
    """
    start = threading.Barrier(count)
    results = []

    def run():
        start.wait()
        try:
            results.append(function())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results
