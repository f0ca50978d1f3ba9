"""The one side-effecting entry point of the enquiry form."""

import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from clinic.crisis import mentions_crisis

from .models import Enquiry, Notification, StatusChange
from .routing import recipients_for


@sensitive_variables("form", "enquiry")
def enquiry_submit(*, form, language, reference=None, sent_at=None):
    """Store the enquiry and, in the same transaction, one outbox row per staff recipient.

    Nothing here talks to the mail server: the notification worker delivers the rows
    (enquiries.notifications), so a slow or hung mail server never delays the person.

    A second post of the same form with the same content (double click, back and
    resubmit) returns the enquiry the first one stored. The same form posted again
    with different content is a new enquiry and is stored as one.

    An enquiry held during a database outage (enquiries.hold) is stored later with the
    `reference` its sender was given, dated when it was sent (`sent_at`), so that its
    notifications are as overdue as they really are.

    `language` is the site language it was sent in (one of settings.LANGUAGES), for the reply.
    """
    token = form.cleaned_data["submission_token"]
    existing = Enquiry.objects.filter(submission_token=token).first()
    if existing:
        if _same_content(existing, form):
            return existing
        token = uuid.uuid4()
    try:
        with transaction.atomic():
            enquiry = _store(
                form,
                token,
                language=language,
                reference=reference,
                sent_at=sent_at or timezone.now(),
            )
    except IntegrityError:
        # Two identical posts raced; the other one stored it.
        existing = Enquiry.objects.filter(submission_token=token).first()
        if existing is None:
            raise
        return existing
    return enquiry


def _same_content(enquiry, form):
    return all(
        getattr(enquiry, name) == form.cleaned_data.get(name)
        for name in ("name", "email", "phone", "preferred_contact", "topic", "treatment", "message")
    )


def _store(form, token, *, language, reference, sent_at):
    enquiry = form.save(commit=False)
    enquiry.submission_token = token
    enquiry.language = language
    if reference:
        enquiry.reference = reference
    enquiry.created_at = enquiry.consented_at = sent_at
    enquiry.is_urgent = mentions_crisis(enquiry.message)
    enquiry.treatment_title = enquiry.treatment.title if enquiry.treatment else ""
    enquiry.save()
    StatusChange.objects.create(enquiry=enquiry, to_status=enquiry.status, changed_at=sent_at)
    Notification.objects.bulk_create(
        Notification(enquiry=enquiry, recipient=address, created_at=sent_at)
        for address in recipients_for(enquiry)
    )
    return enquiry


def notify_staff(*, recipients, subject, admin_path):
    """Queue one email per recipient about something other than an enquiry (a page waiting
    for review): the same outbox, worker and retries. `subject` must hold no content."""
    Notification.objects.bulk_create(
        Notification(recipient=address, subject=subject, admin_path=admin_path)
        for address in sorted(set(recipients))
    )
