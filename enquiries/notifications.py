"""Deliver staff notifications about enquiries: each one exactly once, retried on failure.

A notification row is claimed inside a transaction with a row lock (SELECT … FOR
UPDATE SKIP LOCKED on PostgreSQL; SQLite runs write transactions one at a time),
sent, and marked sent before the lock is released, so two overlapping runs never
send the same one. The email holds the reference, topic, urgency and an admin link:
never what the enquirer wrote nor how to reach them.
"""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Notification

logger = logging.getLogger(__name__)


# Errors that say the mail server cannot be reached: trying the next message now is futile.
CONNECTION_ERRORS = (OSError, smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected)


def deliver_pending(notification_ids=None, *, stop_on_connection_error=False):
    """Try every pending notification (or those of `notification_ids`); return counts.

    With `stop_on_connection_error` (used inside a web request), the first sign that
    the mail server is unreachable leaves the rest pending for the retry command.
    """
    pending = Notification.objects.filter(status=Notification.Status.PENDING)
    if notification_ids is not None:
        pending = pending.filter(pk__in=notification_ids)
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    connection = get_connection(fail_silently=False)
    for notification_id in pending.order_by("created_at", "id").values_list("pk", flat=True):
        outcome, error = _deliver(notification_id, connection)
        counts[outcome] += 1
        if stop_on_connection_error and isinstance(error, CONNECTION_ERRORS):
            break
    return counts


def _deliver(notification_id, connection):
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .select_related("enquiry")
            .filter(pk=notification_id, status=Notification.Status.PENDING)
            .first()
        )
        if notification is None:  # sent meanwhile, or another run holds it
            return "skipped", None
        notification.attempts += 1
        notification.last_attempt_at = timezone.now()
        try:
            _message(notification, connection).send()
        except Exception as error:  # any transport failure: say why, and keep it for a retry
            notification.last_error = f"{type(error).__name__}: {error}"[:500]
            if isinstance(error, smtplib.SMTPRecipientsRefused):
                # The address itself is refused: retrying cannot help; staff must fix it.
                notification.status = Notification.Status.FAILED
            notification.save()
            level = (
                logging.ERROR
                if notification.attempts >= settings.ENQUIRY_NOTIFICATION_ALERT_ATTEMPTS
                or notification.status == Notification.Status.FAILED
                else logging.WARNING
            )
            logger.log(
                level,
                "Notification %s for enquiry %s not sent (attempt %s, %s): %s",
                notification.pk,
                notification.enquiry.reference,
                notification.attempts,
                notification.status,
                type(error).__name__,
            )
            return "failed", error
        notification.status = Notification.Status.SENT
        notification.sent_at = timezone.now()
        notification.last_error = ""
        notification.save()
        return "sent", None


def _message(notification, connection):
    enquiry = notification.enquiry
    context = {
        "enquiry": enquiry,
        "admin_url": settings.SITE_URL.rstrip("/") + enquiry.get_admin_url(),
    }
    subject = render_to_string("enquiries/email/staff_notification_subject.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=render_to_string("enquiries/email/staff_notification.txt", context),
        to=[notification.recipient],
        connection=connection,
    )
