"""The clinical sign-off workflow: save a page's changes as a revision, submit it, review it,
publish it (now or at its go-live time), restore an earlier one.

Nothing here edits what patients see except `publish` (and `take_down`): a live page's
changes wait in revisions until a clinical reviewer approves them, or a superuser publishes
them giving a reason.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Section
from articles.rendering import stored_images_in
from enquiries.services import notify_staff
from topics.models import TopicPage

from .images import images_no_longer_stored, remove_unused_later
from .models import Revision
from .pages import kind_of

logger = logging.getLogger(__name__)

CLINICAL_REVIEWERS = "Clinical reviewers"
BASELINE_SUMMARY = "The page as it was before its changes were kept as revisions"
OPEN = (Revision.Status.DRAFT, Revision.Status.SUBMITTED, Revision.Status.SENT_BACK)


class EditConflict(Exception):
    """Someone saved the page after this editor opened it."""

    def __init__(self, loaded, latest):
        super().__init__(f"revision {latest.pk} was saved after {loaded.pk if loaded else 0}")
        self.loaded, self.latest = loaded, latest


class WorkflowError(Exception):
    """A step the revision's state does not allow; the message says why, for staff."""


def is_live(page):
    return page.status == page.Status.PUBLISHED


def latest_revision(page):
    return Revision.objects.of(page).first()


def pending_revision(page):
    """The page's newest revision if it has not gone live: what editors are working on."""
    latest = latest_revision(page)
    return latest if latest and latest.status != Revision.Status.PUBLISHED else None


def current_content(page):
    """What the page's editors see: its pending revision, or else what is live."""
    pending = pending_revision(page)
    return pending.content if pending else kind_of(page).snapshot(page)


def edit_token(page):
    """Changes whenever anyone saves the page: the id of its newest revision."""
    latest = latest_revision(page)
    return str(latest.pk) if latest else "0"


def check_not_changed_since(page, token):
    """Raise EditConflict if the page was saved by anyone since `token` was taken. Locks
    the page's row until the transaction ends, so two saves cannot both pass."""
    type(page).objects.select_for_update().filter(pk=page.pk).first()
    latest = latest_revision(page)
    if latest and str(latest.pk) != str(token):
        loaded = Revision.objects.filter(pk=token).first() if str(token).isdigit() else None
        loaded = loaded or Revision.objects.of(page).order_by("id").first()
        raise EditConflict(loaded, latest)


def ensure_baseline(page):
    """Keep the page as it stands before its first revision, so that change can be undone."""
    if not Revision.objects.of(page).exists():
        Revision.objects.create(
            page=page,
            content=kind_of(page).snapshot(page),
            summary=BASELINE_SUMMARY,
            status=Revision.Status.PUBLISHED if is_live(page) else Revision.Status.DRAFT,
        )


@transaction.atomic
def save_revision(page, content, *, user, restored_from=None, created=False):
    """Keep `content` as the page's newest revision, a draft; say what changed in words.
    `created`: the page was just made, and this is its first version."""
    if created and not Revision.objects.of(page).exists():
        return Revision.objects.create(
            page=page, content=content, summary="Created the page", created_by=user
        )
    ensure_baseline(page)
    previous = latest_revision(page)
    # An image this save takes out of the page's draft goes, unless shown elsewhere.
    remove_unused_later(kind_of(page).images(previous.content) - kind_of(page).images(content))
    changes = kind_of(page).describe(previous.content, content)
    if restored_from:
        summary = f"Restored revision {restored_from.pk}" + (
            ": " + "; ".join(changes) if changes else ""
        )
    else:
        summary = "; ".join(changes) or "Saved without changes"
    return Revision.objects.create(
        page=page,
        content=content,
        summary=summary[:500],
        created_by=user,
        restored_from=restored_from,
    )


@transaction.atomic
def restore(revision, *, user):
    """Make an earlier revision the page's newest draft again: never straight to live.

    Raises ValueError (with a message for staff) when a draft page's rows cannot take it."""
    page = lock(revision.page)
    content = kind_of(page).normalized(page, revision.content)
    restored = save_revision(page, content, user=user, restored_from=revision)
    if not is_live(page):
        apply(page, content)  # a draft page's rows are its working copy
    return restored


def apply(page, content):
    """Put `content` into the page's rows; an image the rows no longer show then goes,
    unless shown elsewhere."""
    kind = kind_of(page)
    remove_unused_later(kind.images(kind.snapshot(page)) - kind.images(content))
    kind.apply(page, content)


def lock(page):
    """The page, its row locked until the transaction ends: saves of it queue, not race."""
    return type(page).objects.select_for_update().get(pk=page.pk)


def may_review(user):
    """A clinical reviewer: a member of the group, or granted the permission itself. A
    superuser as such is not one: they publish without review, giving a reason."""
    if not (user.is_active and user.is_staff):
        return False
    if user.groups.filter(name=CLINICAL_REVIEWERS).exists():
        return True
    return not user.is_superuser and user.has_perm("publishing.review_revision")


def newer_publication(revision):
    """A revision of the page published after `revision` was made, or None: approving
    `revision` then would silently undo it."""
    return (
        Revision.objects.of(revision.page)
        .filter(status=Revision.Status.PUBLISHED, id__gt=revision.pk)
        .first()
    )


def reviewers():
    return (
        get_user_model()
        .objects.filter(groups__name=CLINICAL_REVIEWERS, is_active=True, is_staff=True)
        .exclude(email="")
    )


@transaction.atomic
def submit(page, *, user):
    """Ask the clinical reviewers to review the page's newest revision; they are emailed."""
    ensure_baseline(page)
    revision = latest_revision(page)
    if revision.status not in (Revision.Status.DRAFT, Revision.Status.SENT_BACK):
        raise WorkflowError(f"Revision {revision.pk} is {revision.get_status_display().lower()}.")
    if (
        revision.status == Revision.Status.DRAFT
        and revision.summary == BASELINE_SUMMARY
        and is_live(page)
    ):
        raise WorkflowError("There are no changes to submit: the page is as it was published.")
    revision.status = Revision.Status.SUBMITTED
    revision.submitted_by, revision.submitted_at = user, timezone.now()
    revision.save()
    notify_staff(
        recipients=reviewers().values_list("email", flat=True),
        subject=f"A page change is waiting for clinical review (revision {revision.pk})",
        admin_path=reverse("admin:publishing_revision_review", args=[revision.pk]),
    )
    return revision


def _check_reviewable(revision):
    if revision.status != Revision.Status.SUBMITTED:
        raise WorkflowError(
            f"Revision {revision.pk} is not waiting for review "
            f"({revision.get_status_display().lower()})."
        )


@transaction.atomic
def approve(revision, *, reviewer, credit, next_review_on):
    """A clinical reviewer's sign-off: recorded with their name and credentials, review dates
    set, and the revision published now or at the page's go-live time."""
    _check_reviewable(revision)
    if not may_review(reviewer):
        raise WorkflowError("Only a clinical reviewer may approve changes.")
    if newer := newer_publication(revision):
        raise WorkflowError(
            f"Revision {newer.pk} of this page was published after this one was made; approving "
            "this one would undo it. Send it back, so the editor submits the page as it is now."
        )
    if not credit.strip():
        raise WorkflowError("Give your name and credentials, as they will be shown to patients.")
    today = timezone.localdate()
    if next_review_on <= today:
        raise WorkflowError("The next review must be after today.")
    page = revision.page
    revision.reviewed_by, revision.reviewer_credit = reviewer, credit.strip()
    revision.reviewed_at = timezone.now()
    page.reviewed_by, page.last_reviewed_on, page.next_review_on = (
        credit.strip(),
        today,
        next_review_on,
    )
    if page.go_live_at and page.go_live_at > timezone.now():
        revision.status = Revision.Status.APPROVED
        revision.save()
        type(page).objects.filter(pk=page.pk).update(
            reviewed_by=page.reviewed_by,
            last_reviewed_on=today,
            next_review_on=next_review_on,
        )
        return revision
    return publish(revision, by=reviewer, page=page)


@transaction.atomic
def send_back(revision, *, reviewer, comment):
    _check_reviewable(revision)
    if not may_review(reviewer):
        raise WorkflowError("Only a clinical reviewer may send changes back.")
    if not comment.strip():
        raise WorkflowError("Say what needs changing, for the editor.")
    revision.status = Revision.Status.SENT_BACK
    revision.reviewed_by, revision.reviewed_at = reviewer, timezone.now()
    revision.review_comment = comment.strip()
    revision.save()
    if revision.submitted_by and revision.submitted_by.email:
        notify_staff(
            recipients=[revision.submitted_by.email],
            subject=f"A clinical reviewer sent back your change (revision {revision.pk})",
            admin_path=reverse("admin:publishing_revision_review", args=[revision.pk]),
        )
    return revision


@transaction.atomic
def publish_without_review(revision, *, user, reason):
    """A superuser's publication without clinical sign-off: only with a recorded reason."""
    if not user.is_superuser:
        raise WorkflowError("Only a superuser may publish without clinical review.")
    if not reason.strip():
        raise WorkflowError("Give the reason for publishing without clinical review.")
    if revision.status == Revision.Status.PUBLISHED:
        raise WorkflowError(f"Revision {revision.pk} is already published.")
    if newer := newer_publication(revision):
        raise WorkflowError(
            f"Revision {newer.pk} of this page was published after this one was made; "
            "publishing this one would undo it."
        )
    revision.unreviewed_reason = reason.strip()
    return publish(revision, by=user)


def publish(revision, *, by, page=None):
    """Put the revision into the page's rows, where patients see it. Only the steps above
    call this: approval, a superuser's reasoned publication, or the go-live time."""
    page = page or revision.page
    gone = images_no_longer_stored(kind_of(page).images(revision.content))
    if gone:
        raise ValueError(
            "it shows images no longer stored, since no page showed them: "
            f"{', '.join(name.rsplit('/', 1)[-1] for name in gone)}. Restore it and upload "
            "them again, or take them out."
        )
    was_live = is_live(page)
    page.publish()
    page.go_live_at = None
    apply(page, revision.content)
    if was_live and isinstance(page, Article):
        page.record_update()
    revision.status = Revision.Status.PUBLISHED
    revision.published_by, revision.published_at = by, timezone.now()
    revision.save()
    return revision


@transaction.atomic
def take_down(page):
    """Unpublish the page (an editor's decision, or its take-down time). A draft page's rows
    are its working copy, so changes waiting for review are put into them."""
    page.unpublish()
    page.expires_at = None
    type(page).objects.filter(pk=page.pk).update(status=page.status, expires_at=None)
    pending = pending_revision(page)
    if pending:
        try:
            with transaction.atomic():
                apply(lock(page), kind_of(page).normalized(page, pending.content))
        except ValueError:
            logger.warning(
                "Page %s taken down; its pending revision %s stays a revision.", page, pending.pk
            )


def publish_due(now=None):
    """The background worker's pass: publish approved revisions whose go-live time has come,
    take down pages whose time is up. Returns how many of each."""
    now = now or timezone.now()
    published = taken_down = 0
    for model in (Article, TopicPage):
        # Take-downs first: content that must not outlive its time waits for nothing.
        for page in model.objects.filter(expires_at__lte=now, status=model.Status.PUBLISHED):
            take_down(page)
            taken_down += 1
        approved = Revision.objects.filter(
            content_type=ContentType.objects.get_for_model(model), status=Revision.Status.APPROVED
        ).values("object_id")
        # Only pages with an approved revision: one still in review waits without a query
        # at every poll.
        for page in model.objects.filter(go_live_at__lte=now, pk__in=approved):
            revision = Revision.objects.of(page).filter(status=Revision.Status.APPROVED).first()
            if revision and _publish_on_time(revision, page):
                published += 1
    return {"published": published, "taken_down": taken_down}


def _publish_on_time(revision, page):
    """Publish an approved revision at its go-live time. If it cannot go live (a section it
    removes is still shown elsewhere, an image it shows is gone, or anything unforeseen),
    it is sent back saying why, not tried every second, and the other pages go on."""
    try:
        with transaction.atomic():
            publish(revision, by=revision.reviewed_by, page=lock(page))
        return True
    except Exception as error:
        reason = str(error) if isinstance(error, ValueError) else "an error on the server"
        Revision.objects.filter(pk=revision.pk).update(
            status=Revision.Status.SENT_BACK,
            review_comment=f"It could not go live at its time: {reason}",
        )
        logger.error("Revision %s could not go live: %s", revision.pk, reason, exc_info=True)
        return False


def default_next_review(today=None):
    return (today or timezone.localdate()) + datetime.timedelta(days=settings.REVIEW_INTERVAL_DAYS)


def forget_revisions(sender, instance, **kwargs):
    """A deleted page's revisions go with it (post_delete): nothing is left to review or
    restore."""
    Revision.objects.of(instance).delete()


def forget_images(sender, instance, **kwargs):
    """A deleted page's or section's images go with it (pre_delete, while its sections and
    revisions can still be read), unless shown elsewhere."""
    if isinstance(instance, Section):
        remove_unused_later(stored_images_in(instance.body))
        return
    kind = kind_of(instance)
    shown = kind.images(kind.snapshot(instance))
    for revision in Revision.objects.of(instance):
        shown |= kind.images(revision.content)
    remove_unused_later(shown)
