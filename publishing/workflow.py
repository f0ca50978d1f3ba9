"""The publishing workflow: every step that changes what patients see, or where a change
stands in clinical review, is one function here.

Each step owns its transaction. It locks the page's row first, then the revision it acts on
(the same order everywhere, so two steps never deadlock), checks the state it expects, and
raises `WorkflowError` with a message staff can read. The admin (forms, actions, the review
page), the background worker and the commands only call these functions: they never lock,
save or publish themselves.

A live page's changes wait in revisions until a clinical reviewer approves them (or a
superuser publishes them giving a reason); a draft page's rows are its working copy, and
every save of it is kept as a revision too. The schedule (`run_schedule`) takes each page in
its own transaction: a page whose step fails is recorded (`ScheduleProblem`) and the others
go on in the same pass.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article
from enquiries.services import notify_staff

from . import discern, review_checks
from .errors import EditConflict, WorkflowError
from .images import images_no_longer_stored, remove_unused_later
from .models import ReviewComment, Revision, ScheduleProblem, SettledClaim
from .pages import KINDS, kind_of

__all__ = ["EditConflict", "WorkflowError"]

logger = logging.getLogger(__name__)

CLINICAL_REVIEWERS = "Clinical reviewers"
BASELINE_SUMMARY = "The page as it was before its changes were kept as revisions"
CREATED_SUMMARY = "Created the page"
# How often a step that keeps failing is logged again (it is tried at every pass).
LOG_AGAIN_AFTER = datetime.timedelta(minutes=10)


# Reading: no locks, no writes --------------------------------------------------------------


def is_live(page):
    return kind_of(page).is_live(page)


def latest_revision(page):
    return Revision.objects.newest_of(page)


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


def may_review(user):
    """A clinical reviewer: a member of the group, or granted the permission itself. A
    superuser as such is not one: they publish without review, giving a reason."""
    if not (user.is_active and user.is_staff):
        return False
    if user.groups.filter(name=CLINICAL_REVIEWERS).exists():
        return True
    return not user.is_superuser and user.has_perm("publishing.review_revision")


def reviewers():
    return (
        get_user_model()
        .objects.filter(groups__name=CLINICAL_REVIEWERS, is_active=True, is_staff=True)
        .exclude(email="")
    )


def newer_publications(revision):
    """Revisions of the page published after `revision` was made, newest first: approving
    `revision` would undo what they changed."""
    return list(
        Revision.objects.of(revision.page).filter(
            status=Revision.Status.PUBLISHED, id__gt=revision.pk
        )
    )


def default_next_review(today=None):
    return (today or timezone.localdate()) + datetime.timedelta(days=settings.REVIEW_INTERVAL_DAYS)


def revision_url(revision):
    return reverse("admin:publishing_revision_review", args=[revision.pk])


# Locks -------------------------------------------------------------------------------------


def _lock(page):
    """The page afresh, its row locked until the transaction ends. Always taken first."""
    locked = type(page).objects.select_for_update().filter(pk=page.pk).first()
    if locked is None:
        raise WorkflowError(_("The page has been deleted."))
    return locked


def _lock_revision(revision):
    """The revision afresh, its row locked. Taken after its page's."""
    locked = Revision.objects.select_for_update().filter(pk=revision.pk).first()
    if locked is None:
        raise WorkflowError(_("The revision has been deleted with its page."))
    return locked


# Saving drafts -----------------------------------------------------------------------------


def save_draft(page, content, *, user, based_on=None, choices=None, choices_against=None):
    """Keep `content` as the page's newest revision, a draft, saying what changed in words.
    A live page's rows stay as they are (patients see no change); a draft page's rows take it.

    `based_on`: the edit token the editor's form carried (`edit_token` when it was opened). If
    anyone saved the page since, the two saves are merged: what each changed and the other
    did not is kept. Where both changed the same part, EditConflict is raised and nothing is
    saved, unless `choices` (made against revision `choices_against`, still the newest) say
    for each which to keep.
    """
    with transaction.atomic():
        page = _lock(page)
        latest = latest_revision(page)
        merged_with = None
        if based_on is not None and latest and str(based_on) != str(latest.pk):
            if str(choices_against) != str(latest.pk):
                choices = None  # made against another save: the editor must see this one
            content = _merged(page, based_on, latest, content, choices)
            merged_with = latest
        previous = latest or ensure_baseline(page)
        return _keep(page, content, user=user, merged_with=merged_with, previous=previous)


def _merged(page, based_on, latest, mine, choices):
    """`mine` (made from revision `based_on`) merged with the newest revision."""
    kind = kind_of(page)
    revisions = Revision.objects.of(page)
    base = str(based_on).isdigit() and revisions.filter(pk=based_on).first()
    # A form opened before the page had revisions started from what its first one keeps.
    base = base or revisions.order_by("id").first()
    merged, conflicts = kind.merge(
        kind.normalized(page, base.content),
        kind.normalized(page, latest.content),
        kind.normalized(page, mine),
        choices,
    )
    if conflicts:
        raise EditConflict(latest, conflicts)
    return merged


def record_new_page(page, *, user):
    """A page the admin has just made (a draft): its first revision says it was created."""
    with transaction.atomic():
        page = _lock(page)
        if latest_revision(page):
            return _keep(page, kind_of(page).snapshot(page), user=user)
        return Revision.objects.create(
            page=page,
            content=kind_of(page).snapshot(page),
            summary=CREATED_SUMMARY,
            created_by=user,
        )


def save_schedule(page, *, go_live_at, expires_at, user):
    """Set the page's go-live and take-down times. Not content: kept at once, since a
    take-down time in particular must not wait for review."""
    with transaction.atomic():
        page = _lock(page)
        type(page).objects.filter(pk=page.pk).update(go_live_at=go_live_at, expires_at=expires_at)


def restore(revision, *, user):
    """Make an earlier revision the page's newest draft again: never straight to live."""
    with transaction.atomic():
        page = _lock(revision.page)
        kind = kind_of(page)
        return _keep(
            page, kind.normalized(page, revision.content), user=user, restored_from=revision
        )


def remove_row(row, *, page, user):
    """Delete a section or comparison entry of a draft page on its own, keeping the change
    in the page's revisions. A live page's rows change only through its form, under review."""
    with transaction.atomic():
        page = _lock(page)
        if is_live(page):
            raise WorkflowError(
                _(
                    "“%(page)s” is published: remove this on its own page, where the change goes to clinical review."
                )
                % {"page": page}
            )
        ensure_baseline(page)
        try:
            with transaction.atomic():
                row.delete()
        except ProtectedError as error:
            shown_on = sorted({str(_page_showing(obj)) for obj in error.protected_objects})
            raise WorkflowError(
                _("“%(row)s” is shown on other pages: %(pages)s. Remove it from them first.")
                % {"row": row, "pages": ", ".join(shown_on)}
            ) from error
        return _keep(page, kind_of(page).snapshot(page), user=user)


def _page_showing(row):
    """The page a protecting row (a topic page's section row, a comparison entry) is on."""
    return getattr(row, "page", None) or getattr(row, "treatment", None) or row


def ensure_baseline(page):
    """Keep the page as it stands before its first revision, so that change can be undone.
    Returns that revision, if it was made now."""
    if not Revision.objects.of(page).exists():
        return Revision.objects.create(
            page=page,
            content=kind_of(page).snapshot(page),
            summary=BASELINE_SUMMARY,
            status=Revision.Status.PUBLISHED if is_live(page) else Revision.Status.DRAFT,
        )


def _keep(page, content, *, user, restored_from=None, merged_with=None, previous=None):
    """Inside a step, the page locked: store `content` as the newest revision (and, for a
    page not live, in its rows). `previous`: the newest revision, if the step has read it."""
    kind = kind_of(page)
    if previous is None:
        previous = latest_revision(page) or ensure_baseline(page)
    if not is_live(page):
        _apply(page, content)  # a draft page's rows are its working copy
        content = kind.snapshot(page)
    # An image this save takes out of the page's draft goes, unless shown elsewhere.
    remove_unused_later(kind.images(previous.content) - kind.images(content))
    changes = kind.describe(previous.content, content)
    if restored_from:
        summary = f"Restored revision {restored_from.pk}" + (
            ": " + "; ".join(changes) if changes else ""
        )
    else:
        summary = "; ".join(changes) or "Saved without changes"
    if merged_with:
        summary = f"Merged with revision {merged_with.pk}, saved meanwhile: {summary}"
    return Revision.objects.create(
        page=page,
        content=content,
        summary=summary[:500],
        created_by=user,
        restored_from=restored_from,
    )


# Review ------------------------------------------------------------------------------------


def submit(page, *, user):
    """Ask the clinical reviewers to review the page's newest revision; they are emailed."""
    with transaction.atomic():
        page = _lock(page)
        ensure_baseline(page)
        revision = _lock_revision(latest_revision(page))
        if revision.status not in (Revision.Status.DRAFT, Revision.Status.SENT_BACK):
            raise WorkflowError(
                _("Revision %(id)s is %(status)s.")
                % {"id": revision.pk, "status": revision.get_status_display().lower()}
            )
        if revision.summary == BASELINE_SUMMARY and is_live(page):
            raise WorkflowError(
                _("There are no changes to submit: the page is as it was published.")
            )
        revision.status = Revision.Status.SUBMITTED
        revision.submitted_by, revision.submitted_at = user, timezone.now()
        revision.save()
        _problems_of(page).filter(step=ScheduleProblem.Step.GO_LIVE).delete()
        notify_staff(
            recipients=reviewers().values_list("email", flat=True),
            subject=f"A page change is waiting for clinical review (revision {revision.pk})",
            admin_path=revision_url(revision),
        )
        return revision


def approve(
    revision,
    *,
    reviewer,
    credit,
    next_review_on=None,
    undo_confirmed=False,
    claim_reasons=None,
    discern_ticks=None,
):
    """A clinical reviewer's sign-off, recorded with their name and credentials. The revision
    is published now, or at the page's go-live time; its credit and review dates reach the
    page when its content does, never before.

    If a newer revision was published after this one was made, approving this one undoes
    it: refused unless the reviewer has seen that and confirms it (`undo_confirmed`).

    Refused while the content cites a retracted reference, naming it and where. Each
    overstating phrase the revision adds (publishing.review_checks) needs the reviewer's
    reason in `claim_reasons` (by the claim's key); the reasons are kept, settling those
    claims. `discern_ticks`, the DISCERN questions the reviewer ticked, are kept with the
    revision (None: the checklist was not shown); they are never required."""
    if not may_review(reviewer):
        raise WorkflowError(_("Only a clinical reviewer may approve changes."))
    credit = credit.strip()
    if not credit:
        raise WorkflowError(_("Give your name and credentials, as they will be shown to patients."))
    with transaction.atomic():
        page = _lock(revision.page)
        revision = _lock_revision(revision)
        kind = kind_of(page)
        _check_waiting_for_review(revision)
        if kind.dated_review and (next_review_on is None or next_review_on <= timezone.localdate()):
            raise WorkflowError(_("The next review must be after today."))
        undone = newer_publications(revision)
        if undone and not undo_confirmed:
            raise WorkflowError(
                _(
                    "Revision %(id)s of this page was published after this one was made; "
                    "approving this one would undo it. Confirm that you mean to undo it, or "
                    "send this one back."
                )
                % {"id": undone[0].pk}
            )
        _refuse_retracted(page, revision)
        added = review_checks.claims_of(page, revision.content).added
        reasons = {key: (reason or "").strip() for key, reason in (claim_reasons or {}).items()}
        unexplained = [match for match in added if not reasons.get(match.key)]
        if unexplained:
            raise WorkflowError(
                _(
                    "This revision adds words that may overstate what the evidence shows: "
                    "%(claims)s. Give your reason for approving each as written, or send it "
                    "back."
                )
                % {"claims": "; ".join(_claim_named(match) for match in unexplained)}
            )
        revision.reviewed_by, revision.reviewer_credit = reviewer, credit
        revision.reviewed_at = timezone.now()
        revision.next_review_on = next_review_on if kind.dated_review else None
        revision.undid = undone[0] if undone else None
        if kind.discern and discern_ticks is not None:
            revision.discern = discern.cleaned(discern_ticks)
        for match in added:
            _settle(match, reasons[match.key], page=page, by=reviewer, revision=revision)
        if kind.scheduled and page.go_live_at and page.go_live_at > timezone.now():
            revision.status = Revision.Status.APPROVED
            revision.save()
            return revision
        return _publish(page, revision, by=reviewer)


def _claim_named(match):
    return _("“%(phrase)s” in %(where)s (“%(sentence)s”)") % {
        "phrase": match.found,
        "where": match.where,
        "sentence": match.sentence[:160],
    }


def _refuse_retracted(page, revision):
    """Content citing a retracted work goes nowhere near patients: say which, and where."""
    retracted = review_checks.retracted_citations(page, revision.content)
    if retracted:
        raise WorkflowError(
            _(
                "It cites a retracted reference, so it cannot be published: %(cited)s. Replace "
                "or remove the citation, then submit it again."
            )
            % {
                "cited": "; ".join(
                    _("“%(key)s” (%(title)s) in %(places)s")
                    % {
                        "key": found.reference.key,
                        "title": found.reference.title[:120],
                        "places": ", ".join(found.places),
                    }
                    for found in retracted
                )
            }
        )


def _settle(match, reason, *, page, by, revision=None):
    """Keep a reviewer's reason for an overstating phrase; a claim settled meanwhile (the
    same phrase in the same sentence, elsewhere) stays settled as it was."""
    try:
        with transaction.atomic():
            return SettledClaim.objects.create(
                key=match.key,
                phrase=match.phrase,
                sentence=match.sentence,
                where=match.where[:300],
                reason=reason,
                revision=revision,
                page=page,
                settled_by=by,
            )
    except IntegrityError:
        return SettledClaim.objects.get(key=match.key)


def settle_claim(page, *, key, reason, reviewer):
    """A clinical reviewer lets an overstating phrase already live stand as written, giving
    the reason; it is then no longer listed to settle. Nothing patients see changes."""
    if not may_review(reviewer):
        raise WorkflowError(_("Only a clinical reviewer may settle an overstating phrase."))
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("Give your reason for letting it stand as written."))
    with transaction.atomic():
        page = _lock(page)
        live = review_checks.claims_in(page, kind_of(page).live_content(page))
        match = next((match for match in live if match.key == key), None)
        if match is None:
            raise WorkflowError(_("That phrase is no longer on the live page."))
        settled = SettledClaim.objects.filter(key=key).select_related("settled_by").first()
        if settled:
            raise WorkflowError(
                _("It was already settled by %(who)s at %(when)s.")
                % {
                    "who": settled.settled_by or _("a reviewer"),
                    "when": timezone.localtime(settled.settled_at).strftime("%H:%M"),
                }
            )
        return _settle(match, reason, page=page, by=reviewer)


def send_back(revision, *, reviewer, comment, section_comments=()):
    """Return a change to its editor with the reviewer's comment, and comments on particular
    sections (`section_comments`: (section id or None, anchor, heading, text) each), which
    the editor sees beside those sections until they mark them resolved."""
    if not may_review(reviewer):
        raise WorkflowError(_("Only a clinical reviewer may send changes back."))
    comment = comment.strip()
    section_comments = [
        (i, a, h, text.strip()) for i, a, h, text in section_comments if text.strip()
    ]
    if not comment and not section_comments:
        raise WorkflowError(_("Say what needs changing, for the editor."))
    with transaction.atomic():
        _lock(revision.page)
        revision = _lock_revision(revision)
        _check_waiting_for_review(revision)
        revision.status = Revision.Status.SENT_BACK
        revision.reviewed_by, revision.reviewed_at = reviewer, timezone.now()
        revision.review_comment = comment
        revision.save()
        ReviewComment.objects.bulk_create(
            ReviewComment(
                revision=revision,
                section_id=section_id,
                anchor=anchor or "",
                heading=heading or "",
                text=text,
                created_by=reviewer,
            )
            for section_id, anchor, heading, text in section_comments
        )
        if revision.submitted_by and revision.submitted_by.email:
            notify_staff(
                recipients=[revision.submitted_by.email],
                subject=f"A clinical reviewer sent back your change (revision {revision.pk})",
                admin_path=revision_url(revision),
            )
        return revision


def resolve_comments(page, comment_ids, *, user):
    """Mark reviewers' comments on the page's sections resolved (the editor dealt with them)."""
    ids = [int(pk) for pk in comment_ids if str(pk).isdigit()]
    if not ids:
        return 0
    with transaction.atomic():
        page = _lock(page)
        return ReviewComment.objects.filter(
            pk__in=ids, revision__in=Revision.objects.of(page), resolved_at__isnull=True
        ).update(resolved_by=user, resolved_at=timezone.now())


def publish_without_review(revision, *, user, reason, undo_confirmed=False):
    """A superuser's publication without clinical sign-off: only with a recorded reason. The
    page then shows no reviewer: what patients see has not been reviewed."""
    if not user.is_superuser:
        raise WorkflowError(_("Only a superuser may publish without clinical review."))
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("Give the reason for publishing without clinical review."))
    with transaction.atomic():
        page = _lock(revision.page)
        revision = _lock_revision(revision)
        if revision.status == Revision.Status.PUBLISHED:
            raise WorkflowError(_("Revision %(id)s is already published.") % {"id": revision.pk})
        undone = newer_publications(revision)
        if undone and not undo_confirmed:
            raise WorkflowError(
                _(
                    "Revision %(id)s of this page was published after this one was made; "
                    "publishing this one would undo it. Confirm that you mean to undo it."
                )
                % {"id": undone[0].pk}
            )
        revision.unreviewed_reason = reason
        revision.undid = undone[0] if undone else None
        return _publish(page, revision, by=user)


def _check_waiting_for_review(revision):
    if revision.status == Revision.Status.SUBMITTED:
        return
    if (
        revision.status in (Revision.Status.APPROVED, Revision.Status.PUBLISHED)
        and revision.reviewed_at
    ):
        raise WorkflowError(
            _("Revision %(id)s was already approved by %(who)s at %(when)s.")
            % {
                "id": revision.pk,
                "who": revision.reviewer_credit or revision.reviewed_by,
                "when": timezone.localtime(revision.reviewed_at).strftime("%H:%M"),
            }
        )
    raise WorkflowError(
        _("Revision %(id)s is not waiting for review (%(status)s).")
        % {"id": revision.pk, "status": revision.get_status_display().lower()}
    )


# Publishing and taking down ----------------------------------------------------------------


def _publish(page, revision, *, by):
    """Inside a step, page and revision locked: put the revision into the page's rows, where
    patients see it, with the reviewer's credit if it was reviewed."""
    kind = kind_of(page)
    _refuse_retracted(page, revision)
    gone = images_no_longer_stored(kind.images(revision.content))
    if gone:
        raise WorkflowError(
            _(
                "It shows images no longer stored, since no page showed them: %(names)s. "
                "Restore it and upload them again, or take them out."
            )
            % {"names": ", ".join(name.rsplit("/", 1)[-1] for name in gone)}
        )
    # A live article's changed content is dated; a review that changed nothing is not.
    dated = is_live(page) and isinstance(page, Article)
    dated = dated and bool(kind.describe(kind.snapshot(page), revision.content))
    kind.go_live(page)
    if kind.dated_review:
        _credit(page, revision)
    _apply(page, revision.content)
    if dated:
        page.record_update()
    revision.status = Revision.Status.PUBLISHED
    revision.published_by, revision.published_at = by, timezone.now()
    revision.save()
    _problems_of(page).filter(step=ScheduleProblem.Step.GO_LIVE).delete()
    return revision


def _credit(page, revision):
    """The reviewer's name and dates go live with the content they reviewed. Content that
    goes live unreviewed shows no reviewer, so no page claims a review it did not have."""
    if revision.reviewed_at:
        page.reviewed_by = revision.reviewer_credit
        page.last_reviewed_on = timezone.localdate(revision.reviewed_at)
        page.next_review_on = revision.next_review_on
    else:
        page.reviewed_by, page.last_reviewed_on = "", None


def _apply(page, content):
    """Put `content` into the page's rows; an image the rows no longer show then goes,
    unless shown elsewhere."""
    kind = kind_of(page)
    remove_unused_later(kind.images(kind.snapshot(page)) - kind.images(content))
    kind.apply(page, content)


def unpublish(page, *, user=None):
    """Take the page down now (an editor's decision: removing content must not wait for
    review). Returns False if it was not published."""
    with transaction.atomic():
        page = _lock(page)
        if not is_live(page):
            return False
        _take_down(page)
        return True


def _take_down(page):
    """Inside a step, the page locked: unpublish it. A draft page's rows are its working
    copy, so changes waiting for review are put into them, if they can be; if not, they stay
    a revision and the page comes down all the same."""
    kind = kind_of(page)
    kind.take_down(page)
    type(page).objects.filter(pk=page.pk).update(status=page.status, expires_at=None)
    _problems_of(page).filter(step=ScheduleProblem.Step.TAKE_DOWN).delete()
    pending = pending_revision(page)
    if pending:
        try:
            with transaction.atomic():
                _apply(page, kind.normalized(page, pending.content))
        except (WorkflowError, DatabaseError) as error:
            logger.warning(
                "Page %s taken down; its pending revision %s stays a revision: %s",
                page.pk,
                pending.pk,
                error,
            )


def delete_page(page, *, user):
    """Delete the page with its rows and revisions (post_delete): nothing is left to review
    or restore. Its images go unless shown elsewhere (pre_delete)."""
    with transaction.atomic():
        page = _lock(page)
        _problems_of(page).delete()
        page.delete()


# The schedule ------------------------------------------------------------------------------


def run_schedule(now=None):
    """The background worker's pass: take down pages whose time is up, then publish approved
    revisions whose go-live time has come. Each page in its own transaction: a page that
    fails is recorded and logged, and the others go on. Returns how many of each."""
    now = now or timezone.now()
    done = {"published": 0, "taken_down": 0, "failed": 0}
    for kind in KINDS.values():
        if not kind.scheduled:
            continue
        model = kind.model
        # Take-downs first: content that must not outlive its time waits for nothing.
        due = model.objects.filter(expires_at__lte=now, status=model.Status.PUBLISHED)
        for pk in due.values_list("pk", flat=True):
            outcome = _on_schedule(model, pk, ScheduleProblem.Step.TAKE_DOWN, now)
            done["taken_down" if outcome else "failed"] += outcome is not None
        approved = Revision.objects.filter(
            content_type=ContentType.objects.get_for_model(model), status=Revision.Status.APPROVED
        ).values("object_id")
        # Only pages with an approved revision: one still in review waits without a query
        # at every poll.
        due = model.objects.filter(go_live_at__lte=now, pk__in=approved)
        for pk in due.values_list("pk", flat=True):
            outcome = _on_schedule(model, pk, ScheduleProblem.Step.GO_LIVE, now)
            done["published" if outcome else "failed"] += outcome is not None
    return done


def _on_schedule(model, pk, step, now):
    """Carry out one page's scheduled step. True if done, None if nothing was due any more
    (someone acted first), False if it failed (recorded)."""
    try:
        with transaction.atomic():
            _limit_lock_wait()
            if step == ScheduleProblem.Step.TAKE_DOWN:
                page = (
                    model.objects.select_for_update()
                    .filter(pk=pk, expires_at__lte=now, status=model.Status.PUBLISHED)
                    .first()
                )
                if page is None:
                    return None
                _take_down(page)
                return True
            page = model.objects.select_for_update().filter(pk=pk, go_live_at__lte=now).first()
            revision = page and (
                Revision.objects.of(page)
                .select_for_update()
                .filter(status=Revision.Status.APPROVED)
                .first()
            )
            if revision is None:
                return None
            _publish(page, revision, by=revision.reviewed_by)
            return True
    except WorkflowError as refusal:
        # The content cannot go live as it is: a person must act. Sent back, and told.
        reason, retrying, error = str(refusal), False, None
    except Exception as fault:  # a passing fault (the database away) or a bug: tried again
        reason, retrying, error = _fault_reason(fault), True, fault
    if not retrying and step == ScheduleProblem.Step.GO_LIVE:
        try:
            _send_back_on_time(model, pk, reason)
        except Exception:
            logger.exception("Could not send back the revision of %s %s", model.__name__, pk)
            retrying = True  # the next pass refuses it again, and sends it back then
    _record_problem(model, pk, step, reason, retrying=retrying, error=error)
    return False


def _limit_lock_wait():
    """A page locked by a transaction that hangs must not hold up the whole schedule: the
    wait for its lock is bounded, and the page is tried again at the next pass."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = {int(settings.SCHEDULE_LOCK_TIMEOUT_MS)}")


def _fault_reason(error):
    if isinstance(error, DatabaseError):
        return _(
            "The database refused or did not answer (%(error)s). It is tried again at every pass."
        ) % {"error": error.__class__.__name__}
    return _("An error on the server (%(error)s). It is tried again at every pass.") % {
        "error": error.__class__.__name__
    }


def _send_back_on_time(model, pk, reason):
    """An approved revision that could not go live at its time goes back to its editor, who
    is emailed (and so is its reviewer), so nobody is left unaware."""
    with transaction.atomic():
        page = model.objects.select_for_update().filter(pk=pk).first()
        revision = page and (
            Revision.objects.of(page)
            .select_for_update()
            .filter(status=Revision.Status.APPROVED)
            .first()
        )
        if revision is None:
            return
        revision.status = Revision.Status.SENT_BACK
        revision.review_comment = f"It could not go live at its time: {reason}"
        revision.save(update_fields=["status", "review_comment"])
        people = {user.email for user in (revision.submitted_by, revision.reviewed_by) if user}
        notify_staff(
            recipients=sorted(email for email in people if email),
            subject=f"A scheduled change could not go live (revision {revision.pk})",
            admin_path=revision_url(revision),
        )


def _record_problem(model, pk, step, reason, *, retrying, error=None):
    """Keep the failure where staff and monitoring see it; log it (again only now and then,
    since the step is tried at every pass)."""
    content_type = ContentType.objects.get_for_model(model)
    log_it = True
    try:
        with transaction.atomic():
            problem = (
                ScheduleProblem.objects.select_for_update()
                .filter(content_type=content_type, object_id=pk, step=step)
                .first()
            )
            if problem is None:
                ScheduleProblem.objects.create(
                    content_type=content_type,
                    object_id=pk,
                    step=step,
                    reason=reason,
                    retrying=retrying,
                )
            else:
                log_it = timezone.now() - problem.last_failed_at >= LOG_AGAIN_AFTER
                problem.reason, problem.retrying = reason, retrying
                problem.failures += 1
                problem.save()
    except DatabaseError:
        pass  # the database is away: the log below is all that can be kept
    if log_it:
        logger.error(
            "Scheduled step %s failed for %s %s: %s",
            step,
            model._meta.model_name,
            pk,
            reason,
            exc_info=error,
        )


def _problems_of(page):
    return ScheduleProblem.objects.filter(
        content_type=ContentType.objects.get_for_model(page), object_id=page.pk
    )
