import datetime
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from topics.models import TopicPage

# Crockford's base32 without look-alike characters, for references read over the phone.
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference():
    return "ENQ-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))


def current_language():
    """The site language now active (the address's), as Enquiry.language stores it."""
    code = (translation.get_language() or settings.LANGUAGE_CODE).lower()
    known = dict(settings.LANGUAGES)
    for candidate in (code, code.split("-")[0]):
        if candidate in known:
            return candidate
    return settings.LANGUAGE_CODE


# The labels the form shows a visitor, in their language; staff pages and emails are in English.
class Topic(models.TextChoices):
    CANDIDACY = "candidacy", _("Am I a candidate?")
    TREATMENT_OPTIONS = "treatment_options", _("Treatment options")
    COSTS = "costs", _("Costs and insurance")
    SOMEONE_ELSE = "someone_else", _("Asking for someone else")
    MISTAKE = "mistake", _("A mistake on this website")
    OTHER = "other", _("Something else")


class EnquiryQuerySet(models.QuerySet):
    def older_than(self, days):
        return self.filter(created_at__lt=timezone.now() - datetime.timedelta(days=days))


class Enquiry(models.Model):
    """A message sent through the enquiry form. Stored before anything else happens."""

    class ContactMethod(models.TextChoices):
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone")

    class Status(models.TextChoices):
        NEW = "new", "New"
        IN_PROGRESS = "in_progress", "In progress"
        CLOSED = "closed", "Closed"

    reference = models.CharField(max_length=12, unique=True, default=new_reference, editable=False)
    # One per rendered form: a second post of the same form finds the first enquiry.
    submission_token = models.UUIDField(unique=True, editable=False)
    name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    preferred_contact = models.CharField(max_length=5, choices=ContactMethod.choices)
    topic = models.CharField(max_length=20, choices=Topic.choices)
    treatment = models.ForeignKey(
        TopicPage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"parent__slug": TopicPage.TREATMENTS_SLUG},
    )
    # The treatment's title as it was when the enquiry came in; the page may change later.
    treatment_title = models.CharField(max_length=200, blank=True)
    message = models.TextField(max_length=3000)
    consented_at = models.DateTimeField()
    # The language of the pages it was sent from, so that a reply can be in it.
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")
    is_urgent = models.BooleanField(
        "urgent", default=False, help_text="The message speaks of suicide or self-harm."
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_enquiries",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = EnquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "enquiries"
        permissions = [("export_enquiry", "Can export enquiries as CSV")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(email="") | ~models.Q(phone=""),
                name="enquiry_has_email_or_phone",
            ),
        ]

    def __str__(self):
        return self.reference

    def get_admin_url(self):
        return reverse("admin:enquiries_enquiry_change", args=[self.pk])


class EnquiryNote(models.Model):
    """An internal note by staff; never shown to the enquirer."""

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Note on {self.enquiry} at {self.created_at:%Y-%m-%d %H:%M}"


class StatusChange(models.Model):
    """One step of an enquiry's status history."""

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=Enquiry.Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Enquiry.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self):
        return f"{self.enquiry}: {self.from_status or '—'} → {self.to_status}"


class RoutingRule(models.Model):
    """Who is told about enquiries on a topic; the "urgent" rule covers crisis messages."""

    URGENT = "urgent"
    TOPIC_CHOICES = [(URGENT, "Urgent (crisis language)"), *Topic.choices]

    topic = models.CharField(max_length=20, choices=TOPIC_CHOICES, unique=True)
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="+",
        limit_choices_to={"is_staff": True, "is_active": True},
        help_text="Staff members emailed about each enquiry on this topic. The email "
        "holds only the reference, topic, urgency and a link to the admin.",
    )

    class Meta:
        ordering = ["topic"]

    def __str__(self):
        return self.get_topic_display()


class NotificationQuerySet(models.QuerySet):
    def due(self, now):
        """Pending, due for an attempt, and not claimed by a worker sending it now."""
        return self.filter(status=Notification.Status.PENDING, next_attempt_at__lte=now).filter(
            models.Q(claimed_until__isnull=True) | models.Q(claimed_until__lt=now)
        )

    def overdue(self, now):
        """Not delivered within the time staff must know by (urgent enquiries sooner), for
        an enquiry nobody has taken up yet: once a handler has, somebody knows."""
        urgent, other = settings.NOTIFICATION_DEADLINES
        return (
            self.exclude(status=Notification.Status.SENT)
            .filter(enquiry__status=Enquiry.Status.NEW, enquiry__assigned_to__isnull=True)
            .filter(
                models.Q(enquiry__is_urgent=True, created_at__lt=now - urgent)
                | models.Q(enquiry__is_urgent=False, created_at__lt=now - other)
            )
        )


class Notification(models.Model):
    """One staff email: the outbox row a worker delivers.

    Most are about an enquiry. Others (a page waiting for clinical review) carry a subject
    and an admin path instead, and never any content.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    enquiry = models.ForeignKey(
        Enquiry, on_delete=models.CASCADE, related_name="notifications", null=True, blank=True
    )
    # For a notice about something else: what it is about, and where in the admin to look.
    subject = models.CharField(max_length=200, blank=True)
    admin_path = models.CharField(max_length=300, blank=True)
    recipient = models.EmailField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Set while a worker sends it; an expired claim (a worker that died) is free again.
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    claim = models.UUIDField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enquiry", "recipient"], name="one_notification_per_recipient"
            ),
            models.CheckConstraint(
                condition=models.Q(enquiry__isnull=False) | ~models.Q(subject=""),
                name="notification_about_an_enquiry_or_a_subject",
            ),
        ]

    def __str__(self):
        return f"{self.about} → {self.recipient} ({self.status})"

    @property
    def about(self):
        return str(self.enquiry) if self.enquiry_id else self.subject

    @property
    def is_urgent(self):
        return bool(self.enquiry_id) and self.enquiry.is_urgent


class NotificationAttempt(models.Model):
    """One try at sending a notification, and what the mail server said. No enquiry content."""

    class Outcome(models.TextChoices):
        SENT = "sent", "Sent"
        RETRY = "retry", "Temporary failure: will retry"
        FAILED = "failed", "Refused: will not retry"

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="attempt_log"
    )
    attempted_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=6, choices=Outcome.choices)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["attempted_at", "id"]

    def __str__(self):
        return f"{self.notification}: {self.get_outcome_display()}"


class PostCount(models.Model):
    """Enquiry posts from one client in one window: the rate limit's counter.

    Kept in the database, where nothing a visitor does can evict it (enquiries.throttling).
    The key names a keyed hash of the client's address, never the address itself.
    """

    key = models.CharField(max_length=80, primary_key=True)
    count = models.PositiveIntegerField()
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.count} post(s) until {self.expires_at:%H:%M}"
