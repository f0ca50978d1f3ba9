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


def run_tasks(tasks):
    """Run each task once; one that fails is logged and tried again next time."""
    for task in tasks:
        try:
            task()
        except Exception:
            logger.exception("Worker task %s failed; trying again later.", task.__qualname__)


class Command(BaseCommand):
    help = (
        "Deliver staff notifications from the outbox as they fall due, and run the "
        "WORKER_TASKS (scheduled publishing) once per poll, until stopped (SIGINT or SIGTERM: "
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
        tasks = [import_string(path) for path in settings.WORKER_TASKS]
        tasks_due_at = 0.0
        logger.info("Notification worker started; looking every %s s.", poll)
        while not stopping.is_set():
            close_old_connections()  # as a request would: drop broken or stale connections
            if time.monotonic() >= tasks_due_at:
                tasks_due_at = time.monotonic() + poll
                run_tasks(tasks)
            try:
                # One at a time, so a stop request waits for one send at most.
                counts = deliver_due(limit=1)
            except Exception:  # the database went away: log, wait, try again
                logger.exception("Notification worker pass failed; trying again.")
                counts = {}
            if not any(counts.values()):
                stopping.wait(poll)
        logger.info("Notification worker stopped.")
