"""Revisions of whole pages, and the clinical sign-off that publishes them."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class RevisionQuerySet(models.QuerySet):
    def of(self, page):
        return self.filter(
            content_type=ContentType.objects.get_for_model(page), object_id=page.pk
        ).order_by("-id")

    def waiting_for_review(self):
        return self.filter(status=Revision.Status.SUBMITTED).order_by("submitted_at", "id")

    def newest_of(self, page):
        """The page's newest revision, or None."""
        return self.of(page).first()

    def newest_per_page(self):
        """Each page's newest revision: where each page's editing stands."""
        newest = (
            Revision.objects.values("content_type", "object_id")
            .annotate(newest=models.Max("id"))
            .values("newest")
        )
        return self.filter(id__in=newest).order_by("-id")


class Revision(models.Model):
    """One saved version of a whole page: an article with its sections, or a topic page with
    its section list and comparison entries. Every save of a page makes one; the content
    is never changed afterwards, only where the revision stands in review."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Waiting for review"
        SENT_BACK = "sent_back", "Sent back for changes"
        APPROVED = "approved", "Approved, goes live at the set time"
        PUBLISHED = "published", "Published"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    page = GenericForeignKey("content_type", "object_id")
    content = models.JSONField()
    summary = models.CharField("what changed", max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    restored_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewer_credit = models.CharField(
        "reviewer's name and credentials", max_length=200, blank=True
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Set by approval, put on the page with the content when it goes live (not before).
    next_review_on = models.DateField("next review due", null=True, blank=True)
    # A newer publication the reviewer knowingly undid by approving this older revision.
    undid = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField(blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    # A superuser who publishes without clinical review must say why.
    unreviewed_reason = models.TextField(blank=True)
    # The reviewer's DISCERN ticks (publishing.discern): each question's code, and whether
    # the page says it. Kept with the approval; never required to approve.
    discern = models.JSONField("DISCERN checklist", default=dict, blank=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-id"])]
        permissions = [
            ("submit_revision", "Can submit a page's changes for clinical review"),
            ("review_revision", "Can approve or send back changes as a clinical reviewer"),
        ]

    def __str__(self):
        return f"Revision {self.pk} of {self.page}"


class ScheduleProblem(models.Model):
    """A scheduled step (going live, coming down) that failed for a page at the worker's last
    try: listed on the admin home and reported by `manage.py check_publishing` until the step
    succeeds, or a person acts on the page."""

    class Step(models.TextChoices):
        GO_LIVE = "go_live", "Go live"
        TAKE_DOWN = "take_down", "Take down"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    page = GenericForeignKey("content_type", "object_id")
    step = models.CharField(max_length=10, choices=Step.choices)
    revision = models.ForeignKey(Revision, null=True, blank=True, on_delete=models.SET_NULL)
    reason = models.TextField(help_text="Why it failed, in words staff can act on.")
    # A passing fault (the database away) is tried again at the next pass; a refusal (the
    # content cannot go live as it is) waits for a person.
    retrying = models.BooleanField(default=True)
    failures = models.PositiveIntegerField(default=1)
    first_failed_at = models.DateTimeField(auto_now_add=True)
    last_failed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["first_failed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "step"], name="one_problem_per_page_step"
            ),
        ]

    def __str__(self):
        return f"{self.get_step_display()} failed for {self.page}: {self.reason}"


class StaffProfile(models.Model):
    """What a staff member is called where the public sees their work: a clinical reviewer's
    name and credentials, given once and offered on every approval."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    name = models.CharField(
        "name as patients see it", max_length=120, help_text="For example Jane Doe."
    )
    credentials = models.CharField(
        max_length=80, blank=True, help_text="For example MD, or RN, PMHNP. Shown after the name."
    )

    def __str__(self):
        return self.credit

    @property
    def credit(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


class ReviewComment(models.Model):
    """A clinical reviewer's comment on one section, given when sending a change back, shown
    to the editor beside that section until they mark it resolved."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="comments")
    # The section it is about: by id, or (a section the revision adds) by anchor.
    section_id = models.PositiveBigIntegerField(null=True, blank=True)
    anchor = models.SlugField(max_length=100, blank=True)
    heading = models.CharField(max_length=200, blank=True)
    text = models.TextField(max_length=5000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"On “{self.heading or 'Introduction'}”: {self.text[:60]}"


class SettledClaim(models.Model):
    """A clinical reviewer's recorded reason for letting an overstating phrase stand as
    written (claims.matching): given when approving a revision that adds it, or for a phrase
    already live. The claim is the phrase in its sentence (`key`), wherever it stands."""

    key = models.CharField(max_length=24, unique=True)
    phrase = models.CharField(max_length=100)
    sentence = models.TextField()
    where = models.CharField("where it stood", max_length=300, blank=True)
    reason = models.TextField()
    # The approval it came with, if any; the page it was settled on, for the record.
    revision = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.SET_NULL, related_name="settled_claims"
    )
    content_type = models.ForeignKey(ContentType, null=True, on_delete=models.SET_NULL)
    object_id = models.PositiveBigIntegerField(null=True)
    page = GenericForeignKey("content_type", "object_id")
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    settled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-settled_at", "-id"]

    def __str__(self):
        return f"“{self.phrase}” in “{self.sentence[:60]}”"
