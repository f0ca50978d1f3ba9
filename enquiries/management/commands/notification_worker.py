import logging
import signal
import threading
import time

from django.conf import settings
from django.core.management import BaseCommand
from django.db import close_old_connections, connections
from django.utils.module_loading import import_string

from enquiries.notifications import deliver_due

logger = logging.getLogger("enquiries.notifications")


class TaskThread(threading.Thread):
    """One of the WORKER_TASKS, run when due (every poll, or every so many seconds) in a
    thread of its own, with its own database connection.

    Mail delivery and the other tasks never wait on each other: a hung mail server
    cannot make a take-down late, nor an hour's sweep of uploads hold up publishing.
    """

    def __init__(self, path, every, stopping):
        super().__init__(name=f"worker task {path}", daemon=True)
        self.task = import_string(path)
        self.every = every
        self.stopping = stopping

    def run(self):
        try:
            while not self.stopping.is_set():
                began = time.monotonic()
                close_old_connections()  # as a request would: drop broken or stale ones
                try:
                    self.task()
                except Exception:  # logged, and tried again when next due
                    logger.exception(
                        "Worker task %s failed; trying again later.", self.task.__qualname__
                    )
                self.stopping.wait(max(0.0, began + self.every - time.monotonic()))
        finally:
            connections.close_all()  # this thread's own


class Command(BaseCommand):
    help = (
        "Deliver staff notifications from the outbox as they fall due, and run each of the "
        "WORKER_TASKS (scheduled publishing, storing held enquiries, …) in a thread of its "
        "own, until stopped (SIGINT or SIGTERM: the send under way is finished and recorded "
        "first)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--poll", type=float, default=None, help="Seconds between looks at the outbox."
        )

    def handle(self, *args, poll=None, **options):
        poll = settings.NOTIFICATION_POLL_SECONDS if poll is None else poll
        stopping = threading.Event()

        def stop(signum, frame):
            stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        tasks = [TaskThread(path, every or poll, stopping) for path, every in settings.WORKER_TASKS]
        for task in tasks:
            task.start()
        logger.info("Notification worker started; looking every %s s.", poll)
        while not stopping.is_set():
            close_old_connections()  # as a request would: drop broken or stale connections
            try:
                # One at a time, so a stop request waits for one send at most.
                counts = deliver_due(limit=1)
            except Exception:  # the database went away: log, wait, try again
                logger.exception("Notification worker pass failed; trying again.")
                counts = {}
            if not any(counts.values()):
                stopping.wait(poll)
        for task in tasks:
            task.join()
        logger.info("Notification worker stopped.")
