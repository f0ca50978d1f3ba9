import logging
import signal
import threading
import time

from django.conf import settings
from django.core.management import BaseCommand
from django.db import close_old_connections
from django.utils.module_loading import import_string

from enquiries.notifications import deliver_due

logger = logging.getLogger("enquiries.notifications")


class Tasks:
    """The WORKER_TASKS, each run when due: every poll, or every so many seconds."""

    def __init__(self, entries, poll):
        self.poll = poll
        self.entries = [(import_string(path), every or poll) for path, every in entries]
        self.due_at = [0.0] * len(self.entries)

    def run_due(self):
        """Run each task that is due; one that fails is logged and tried again when next due."""
        for index, (task, every) in enumerate(self.entries):
            if time.monotonic() < self.due_at[index]:
                continue
            self.due_at[index] = time.monotonic() + every
            try:
                task()
            except Exception:
                logger.exception("Worker task %s failed; trying again later.", task.__qualname__)


class Command(BaseCommand):
    help = (
        "Deliver staff notifications from the outbox as they fall due, and run the "
        "WORKER_TASKS (scheduled publishing, removing unsaved uploads) when due, until stopped (SIGINT or SIGTERM: "
        "the send under way is finished and recorded first)."
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
        tasks = Tasks(settings.WORKER_TASKS, poll)
        logger.info("Notification worker started; looking every %s s.", poll)
        while not stopping.is_set():
            close_old_connections()  # as a request would: drop broken or stale connections
            tasks.run_due()
            try:
                # One at a time, so a stop request waits for one send at most.
                counts = deliver_due(limit=1)
            except Exception:  # the database went away: log, wait, try again
                logger.exception("Notification worker pass failed; trying again.")
                counts = {}
            if not any(counts.values()):
                stopping.wait(poll)
        logger.info("Notification worker stopped.")
