import logging
import signal
import threading

from django.conf import settings
from django.core.management import BaseCommand
from django.db import close_old_connections

from enquiries.notifications import deliver_due

logger = logging.getLogger("enquiries.notifications")


class Command(BaseCommand):
    help = (
        "Deliver staff notifications from the outbox as they fall due, until stopped "
        "(SIGINT or SIGTERM: the send under way is finished and recorded first)."
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
        logger.info("Notification worker stopped.")
