"""Deliver staff notifications from the outbox: each once, retried until sent or refused.

No web request talks to the mail server. The enquiry form stores one `Notification`
row per recipient; the worker (`manage.py notification_worker`, or one pass of
`send_enquiry_notifications`) delivers them here:

1. Claim the next due row in a short transaction: `SELECT … FOR UPDATE SKIP LOCKED`
   on PostgreSQL, SQLite's write lock (taken when the transaction begins) otherwise,
   so two workers never claim the same row. The claim is a lease of
   NOTIFICATION_CLAIM_SECONDS (30), renewed every third of that while the send goes
   on: a worker that dies (killed, or its machine gone) stops renewing, and another
   worker sends the notification once the lease runs out, well within an urgent
   enquiry's 5 minutes.
2. Send outside any transaction: a hung mail server never holds a database lock
   that enquiry posts would wait on. Each socket operation is bounded by
   EMAIL_TIMEOUT, and the whole send by `send_deadline()`: a server that answers a
   byte at a time is cut off there, and the send counts as a temporary failure.
3. Record the outcome, if the claim is still ours: sent; or a temporary failure
   (no connection, a timeout, a 4xx reply), retried after 30 s, 60 s, 120 s… up to
   NOTIFICATION_RETRY_CAP_SECONDS; or a 5xx refusal of this recipient, which fails
   this recipient only. Each attempt is kept with the server's reply, never with
   anything the enquirer wrote.

The email holds the reference, topic, "Urgent: yes/no" and an admin link: never what
the enquirer wrote, how to reach them, or why an enquiry is urgent.
"""

import datetime
import logging
import smtplib
import threading
import time
import uuid

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import DatabaseError, close_old_connections, connections, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Notification, NotificationAttempt

logger = logging.getLogger(__name__)

RECORD_TRIES = 5
# SMTP exchanges in one send at most (connect, EHLO, STARTTLS, EHLO, AUTH, MAIL, RCPT, DATA,
# the message, QUIT), each bounded by EMAIL_TIMEOUT.
EXCHANGES_PER_SEND = 10


def claim_seconds():
    """How long a claim lasts unless renewed."""
    return settings.NOTIFICATION_CLAIM_SECONDS


def send_deadline():
    """Seconds after which a send still under way is cut off."""
    return EXCHANGES_PER_SEND * settings.EMAIL_TIMEOUT


def deliver_due(*, limit=None):
    """Deliver every due notification (at most `limit`); return the count of each outcome."""
    counts = {"sent": 0, "retry": 0, "failed": 0}
    while limit is None or sum(counts.values()) < limit:
        claimed = _claim_next()
        if claimed is None:
            break
        counts[deliver(claimed)] += 1
    return counts


def deliver(notification):
    """Send one claimed notification and record what happened: "sent", "retry" or "failed"."""
    message = _message(notification)
    try:
        with _Lease(notification, message.connection):
            sent = message.send()
    except Exception as error:  # every failure is classified and recorded, none is lost
        outcome, description = classify(error, notification.recipient)
    else:
        if sent:
            outcome, description = NotificationAttempt.Outcome.SENT, ""
        else:  # a backend that fails silently says so only by sending nothing
            outcome, description = (
                NotificationAttempt.Outcome.RETRY,
                "The email backend sent nothing.",
            )
    _record(notification, outcome, description)
    return outcome


def classify(error, recipient):
    """Whether retrying may help, and a description of the error without enquiry content.

    A 5xx refusal of this recipient (at RCPT, or of the message to them) is permanent:
    the address or the message is refused. Anything else, including 4xx replies such as
    greylisting, a refused sender or login (a configuration to fix, for every message
    alike), timeouts and closed connections, is temporary and retried.
    """
    code = None
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, reply = error.recipients.get(recipient, next(iter(error.recipients.values())))
        permanent = 500 <= code < 600
    elif isinstance(error, smtplib.SMTPDataError):
        code, reply = error.smtp_code, error.smtp_error
        permanent = 500 <= code < 600
    elif isinstance(error, smtplib.SMTPResponseException):
        code, reply = error.smtp_code, error.smtp_error
        permanent = False
    elif isinstance(error, (ValueError, UnicodeError)):
        reply, permanent = str(error), True  # an address no server will take, as written
    else:
        reply, permanent = str(error), False
    if isinstance(reply, bytes):
        reply = reply.decode("utf-8", "replace")
    description = f"{type(error).__name__}: " + (f"{code} " if code else "") + str(reply)
    outcome = NotificationAttempt.Outcome.FAILED if permanent else NotificationAttempt.Outcome.RETRY
    return outcome, " ".join(description.split())[:500]


def retry_delay(attempts, *, urgent=False):
    """Seconds before the next try after `attempts` failed ones: doubling, up to the cap.

    Urgent notifications are capped at NOTIFICATION_URGENT_RETRY_CAP_SECONDS, so that a
    greylisting server (which usually lets a sender through after a few minutes) still
    passes them within the 5 minutes staff must know by.
    """
    cap = (
        settings.NOTIFICATION_URGENT_RETRY_CAP_SECONDS
        if urgent
        else settings.NOTIFICATION_RETRY_CAP_SECONDS
    )
    return min(settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1), cap)


def requeue(notifications):
    """Put failed or waiting notifications back in line, due now. Returns how many.

    A notification a worker is sending now is left alone: taking it back would have it
    sent twice.
    """
    now = timezone.now()
    return (
        notifications.exclude(status=Notification.Status.SENT)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(status=Notification.Status.PENDING, next_attempt_at=now, claim=None)
    )


def _claim_next():
    now = timezone.now()
    with transaction.atomic():
        notification = (
            Notification.objects.due(now)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("enquiry")
            .order_by(F("enquiry__is_urgent").desc(nulls_last=True), "next_attempt_at", "id")
            .first()
        )
        if notification is None:
            return None
        notification.claim = uuid.uuid4()
        notification.claimed_until = now + datetime.timedelta(seconds=claim_seconds())
        notification.save(update_fields=["claim", "claimed_until"])
    return notification


class _Lease:
    """Keep a claim while its send goes on, and cut the send off at its deadline.

    A thread of its own renews the claim every third of `claim_seconds()`, through its
    own database connection (opened only if a send lasts that long). Past
    `send_deadline()` it shuts the mail server's socket (enquiries.mail.EmailBackend,
    the default), so the send fails at once and is recorded as a temporary failure.
    """

    def __init__(self, notification, connection):
        self.notification = notification
        self.connection = connection  # the email backend, whose socket may be shut
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._keep, name="notification lease")

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.done.set()
        self.thread.join()

    def _keep(self):
        began = time.monotonic()
        try:
            while not self.done.wait(claim_seconds() / 3):
                if time.monotonic() - began > send_deadline():
                    self._cut_off()
                self._renew()
        finally:
            connections.close_all()  # this thread's own

    def _renew(self):
        until = timezone.now() + datetime.timedelta(seconds=claim_seconds())
        try:
            Notification.objects.filter(
                pk=self.notification.pk, claim=self.notification.claim
            ).update(claimed_until=until)
        except DatabaseError as error:  # the next renewal may get through
            logger.warning("Notification %s: claim not renewed (%s).", self.notification.pk, error)
            close_old_connections()

    def _cut_off(self):
        cut_off = getattr(self.connection, "cut_off", None)  # enquiries.mail.EmailBackend
        if cut_off is not None:
            logger.warning(
                "Notification %s: the mail server took over %s s; cutting it off.",
                self.notification.pk,
                send_deadline(),
            )
            cut_off()


def _record(notification, outcome, description):
    now = timezone.now()
    attempts = notification.attempts + 1
    changes = {
        "attempts": attempts,
        "last_attempt_at": now,
        "last_error": description,
        "claim": None,
        "claimed_until": None,
    }
    if outcome == NotificationAttempt.Outcome.SENT:
        changes.update(status=Notification.Status.SENT, sent_at=now)
    elif outcome == NotificationAttempt.Outcome.FAILED:
        changes.update(status=Notification.Status.FAILED)
    else:
        delay = retry_delay(attempts, urgent=notification.is_urgent)
        changes.update(next_attempt_at=now + datetime.timedelta(seconds=delay))
    for tries_left in reversed(range(RECORD_TRIES)):
        # A send that happened must be recorded, or the claim runs out and it is sent
        # again: a database blip is waited out rather than given up on.
        try:
            with transaction.atomic():
                ours = Notification.objects.filter(pk=notification.pk, claim=notification.claim)
                if not ours.update(**changes):
                    # Our claim ran out and another worker took it: it records its own.
                    logger.error("Notification %s: claim lost before recording.", notification.pk)
                    return
                NotificationAttempt.objects.create(
                    notification=notification, attempted_at=now, outcome=outcome, error=description
                )
            break
        except DatabaseError:
            if not tries_left:
                raise
            logger.warning("Notification %s: recording failed; trying again.", notification.pk)
            close_old_connections()
            time.sleep(2)
    if outcome != NotificationAttempt.Outcome.SENT:
        alert = (
            outcome == NotificationAttempt.Outcome.FAILED
            or attempts >= settings.ENQUIRY_NOTIFICATION_ALERT_ATTEMPTS
        )
        logger.log(
            logging.ERROR if alert else logging.WARNING,
            "Notification %s (%s) not sent (attempt %s, %s): %s",
            notification.pk,
            notification.enquiry.reference if notification.enquiry_id else "staff notice",
            attempts,
            outcome,
            description,
        )


def _message(notification):
    # Staff emails are in English, whatever language the enquiry was sent in (its topic's
    # label is translated for the form).
    with translation.override("en"):
        return _english_message(notification)


def _english_message(notification):
    if notification.enquiry_id:
        enquiry = notification.enquiry
        context = {
            "enquiry": enquiry,
            "admin_url": settings.SITE_URL.rstrip("/") + enquiry.get_admin_url(),
        }
        subject = render_to_string("enquiries/email/staff_notification_subject.txt", context)
        body = render_to_string("enquiries/email/staff_notification.txt", context)
    else:
        subject = notification.subject
        body = render_to_string(
            "enquiries/email/staff_notice.txt",
            {
                "subject": subject,
                "admin_url": settings.SITE_URL.rstrip("/") + notification.admin_path,
            },
        )
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[notification.recipient],
        connection=get_connection(fail_silently=False, timeout=settings.EMAIL_TIMEOUT),
    )
