"""The one side-effecting entry point of the enquiry form."""

import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from clinic.crisis import mentions_crisis

from .models import Enquiry, Notification, StatusChange
from .notifications import deliver_pending
from .routing import recipients_for


@sensitive_variables("form", "enquiry")
def enquiry_submit(*, form):
    """Store the enquiry and its notifications, then send them once the data is committed.

    A second post of the same form with the same content (double click, back and
    resubmit) returns the enquiry the first one stored. The same form posted again
    with different content is a new enquiry and is stored as one.
    """
    token = form.cleaned_data["submission_token"]
    existing = Enquiry.objects.filter(submission_token=token).first()
    if existing:
        if _same_content(existing, form):
            return existing
        token = uuid.uuid4()
    try:
        with transaction.atomic():
            enquiry = _store(form, token)
    except IntegrityError:
        # Two identical posts raced; the other one stored it.
        existing = Enquiry.objects.filter(submission_token=token).first()
        if existing is None:
            raise
        return existing
    ids = list(enquiry.notifications.values_list("pk", flat=True))
    # robust: a failure to send is logged and left for the retry command; the
    # person has already been safely stored and must still get their thank-you.
    transaction.on_commit(lambda: deliver_pending(ids, stop_on_connection_error=True), robust=True)
    return enquiry


def _same_content(enquiry, form):
    return all(
        getattr(enquiry, name) == form.cleaned_data.get(name)
        for name in ("name", "email", "phone", "preferred_contact", "topic", "treatment", "message")
    )


def _store(form, token):
    enquiry = form.save(commit=False)
    enquiry.submission_token = token
    enquiry.consented_at = timezone.now()
    enquiry.is_urgent = mentions_crisis(enquiry.message)
    enquiry.treatment_title = enquiry.treatment.title if enquiry.treatment else ""
    enquiry.save()
    StatusChange.objects.create(enquiry=enquiry, to_status=enquiry.status)
    Notification.objects.bulk_create(
        Notification(enquiry=enquiry, recipient=address) for address in recipients_for(enquiry)
    )
    return enquiry
