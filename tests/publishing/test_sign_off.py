"""Clinical sign-off that cannot be bypassed or fooled: what a reviewer sees is what they sign,
their credit goes live with the content, and nothing publishes around review."""

import datetime

import lxml.html
import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article
from enquiries.models import Notification
from publishing import workflow
from publishing.models import Revision, ScheduleProblem
from tests.admin_forms import form_values, marked_words
from tests.factories import make_article, publish_pending

pytestmark = pytest.mark.django_db

SLUG = "who-can-benefit-from-ketamine-therapy"
NEW_PAGE_TEXT = "A sentence only this new page has, for its reviewer to read."


def test_a_new_pages_review_shows_all_its_content_as_added(editor, reviewer):
    article = make_article(
        title="A page nobody has seen",
        status=Article.Status.DRAFT,
        sections=[NEW_PAGE_TEXT, "Its second section."],
    )
    revision = workflow.submit(article, user=editor.user)
    review = reviewer.get(f"/admin/publishing/revision/{revision.pk}/review/")
    assert "No differences" not in review.content.decode()
    assert "patients see none of it yet" in review.content.decode()
    added = marked_words(review, "ins")
    assert NEW_PAGE_TEXT in added and "Its second section." in added
    assert "A page nobody has seen" in added


def test_a_live_pages_review_compares_with_what_patients_see_now(editor, reviewer):
    article = Article.objects.get(slug=SLUG)
    content = workflow.current_content(article)
    content["fields"]["summary"] = "A summary waiting for review."
    revision = workflow.save_draft(article, content, user=editor.user)
    workflow.submit(article, user=editor.user)
    review = reviewer.get(f"/admin/publishing/revision/{revision.pk}/review/")
    page = review.content.decode()
    assert "compared with what they see now" in page
    assert "A summary waiting for review." in marked_words(review, "ins")
    # Only the summary changed: the sections are not shown as differences (each difference
    # is headed by what changed; the checks at review may name sections elsewhere).
    headed = lxml.html.fromstring(page).xpath("//h3/text()")
    assert "Summary" in headed
    assert [label for label in headed if label.startswith("Section “")] == []


def test_approval_for_later_leaves_the_live_page_credit_until_the_content_goes_live(
    editor, reviewer, client
):
    article = Article.objects.get(slug=SLUG)
    before = (article.reviewed_by, article.last_reviewed_on, article.next_review_on)
    content = workflow.current_content(article)
    content["fields"]["summary"] = "A summary for next week."
    workflow.save_draft(article, content, user=editor.user)
    revision = workflow.submit(article, user=editor.user)
    go_live = timezone.now() + datetime.timedelta(days=7)
    Article.objects.filter(pk=article.pk).update(go_live_at=go_live)
    next_review = timezone.localdate() + datetime.timedelta(days=200)
    response = reviewer.post(
        f"/admin/publishing/revision/{revision.pk}/review/",
        {"action": "approve", "credit": "Rhea Ward, MD", "next_review_on": next_review},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.reviewed_by, article.last_reviewed_on, article.next_review_on) == before
    assert "Rhea Ward, MD" not in client.get(article.get_absolute_url()).content.decode()

    assert workflow.run_schedule(now=go_live + datetime.timedelta(seconds=1))["published"] == 1
    article.refresh_from_db()
    assert article.summary == "A summary for next week."
    assert (article.reviewed_by, article.last_reviewed_on, article.next_review_on) == (
        "Rhea Ward, MD",
        timezone.localdate(),
        next_review,
    )


def test_content_published_without_review_claims_no_reviewer(superuser, client):
    article = Article.objects.get(slug=SLUG)
    Article.objects.filter(pk=article.pk).update(
        reviewed_by="Rhea Ward, MD", last_reviewed_on=timezone.localdate()
    )
    content = workflow.current_content(article)
    content["fields"]["summary"] = "Published in a hurry."
    revision = workflow.save_draft(article, content, user=superuser.user)
    response = superuser.post(
        f"/admin/publishing/revision/{revision.pk}/review/",
        {"action": "publish_anyway", "reason": "A correction the clinic's lawyer asked for."},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.summary, article.reviewed_by, article.last_reviewed_on) == (
        "Published in a hurry.",
        "",
        None,
    )


def test_approving_over_a_newer_publication_needs_the_reviewer_to_confirm_it(editor, reviewer):
    article = Article.objects.get(slug=SLUG)
    first = workflow.save_draft(article, workflow.current_content(article), user=editor.user)
    workflow.submit(article, user=editor.user)
    content = workflow.current_content(article)
    content["fields"]["summary"] = "A newer summary."
    newer = workflow.save_draft(article, content, user=editor.user)
    publish_pending(article)
    url = f"/admin/publishing/revision/{first.pk}/review/"
    review = reviewer.get(url)
    page = review.content.decode()
    assert "would undo it" in page and f"Revision {newer.pk}" in page
    assert "A newer summary." in marked_words(review, "del")  # what approving takes away
    approval = {"action": "approve", "credit": "Rhea Ward, MD", "next_review_on": "2031-01-01"}
    refused = reviewer.post(url, approval)
    assert refused.status_code == 200 and 'id="id_undo_confirmed"' in refused.content.decode()
    assert Article.objects.get(pk=article.pk).summary == "A newer summary."
    assert reviewer.post(url, {**approval, "undo_confirmed": "on"}).status_code == 302
    first.refresh_from_db()
    assert first.status == Revision.Status.PUBLISHED and first.undid_id == newer.pk
    assert Article.objects.get(pk=article.pk).summary != "A newer summary."


def test_no_publish_action_bypasses_review(superuser, client):
    article = Article.objects.get(slug=SLUG)
    workflow.unpublish(article)
    changelist = superuser.get("/admin/articles/article/").content.decode()
    assert 'value="publish"' not in changelist
    superuser.post(
        "/admin/articles/article/", {"action": "publish", "_selected_action": [article.pk]}
    )
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    assert client.get(article.get_absolute_url()).status_code == 404


def test_each_reviewed_model_is_registered_once_with_the_workflows_admin():
    from django.contrib import admin

    from articles.models import Section
    from clinic.models import ClinicSettings
    from topics.models import TopicPage, TreatmentFact

    for model in (Article, Section, TopicPage, TreatmentFact, ClinicSettings):
        assert type(admin.site._registry[model]).__module__ == "publishing.admin.pages", model


# The schedule ------------------------------------------------------------------------------


def _scheduled(article, *, summary, go_live):
    content = workflow.current_content(article)
    content["fields"]["summary"] = summary
    workflow.save_draft(article, content, user=None)
    Article.objects.filter(pk=article.pk).update(go_live_at=go_live)
    return publish_pending(Article.objects.get(pk=article.pk))


def test_a_take_down_whose_pending_change_cannot_be_kept_still_takes_the_page_down(client):
    """The pending revision's address is now another page's: the page comes down all the
    same, the revision stays a revision, and the other pages due go on."""
    article = Article.objects.get(slug=SLUG)
    content = workflow.current_content(article)
    content["fields"]["slug"] = "an-address-taken-meanwhile"
    pending = workflow.save_draft(article, content, user=None)
    make_article(slug="an-address-taken-meanwhile")
    now = timezone.now()
    other = Article.objects.exclude(pk=article.pk).exclude(slug="an-address-taken-meanwhile")
    other = other.get()
    Article.objects.filter(pk__in=[article.pk, other.pk]).update(expires_at=now)
    done = workflow.run_schedule(now=now)
    assert done == {"published": 0, "taken_down": 2, "failed": 0}
    assert client.get(article.get_absolute_url()).status_code == 404
    assert Article.objects.get(pk=article.pk).slug == SLUG
    assert workflow.pending_revision(article) == pending


def test_a_go_live_the_database_refuses_is_recorded_and_the_others_go_on(client):
    """A revision the database refuses (an update dated before publication): recorded, listed,
    reported, and the other page due that pass still goes live."""
    first = Article.objects.get(slug=SLUG)
    second = Article.objects.exclude(pk=first.pk).get()
    go_live = timezone.now() + datetime.timedelta(hours=1)
    refused = _scheduled(first, summary="Never shown.", go_live=go_live)
    revision = Revision.objects.get(pk=refused.pk)
    revision.content["fields"]["updated_on"] = "1999-01-01"  # before its published date
    revision.save()
    _scheduled(second, summary="Shown on time.", go_live=go_live)

    done = workflow.run_schedule(now=go_live)
    assert done == {"published": 1, "taken_down": 0, "failed": 1}
    assert Article.objects.get(pk=second.pk).summary == "Shown on time."
    assert Article.objects.get(pk=first.pk).summary != "Never shown."
    problem = ScheduleProblem.objects.get()
    assert (problem.page, problem.step, problem.retrying) == (first, "go_live", True)
    # Tried again at the next pass, not sent back.
    assert Revision.objects.get(pk=refused.pk).status == Revision.Status.APPROVED
    assert workflow.run_schedule(now=go_live)["failed"] == 1
    assert ScheduleProblem.objects.get().failures == 2


def test_failing_steps_are_listed_on_the_admin_home_and_reported_for_monitoring(editor, capsys):
    article = Article.objects.get(slug=SLUG)
    go_live = timezone.now() + datetime.timedelta(hours=1)
    revision = _scheduled(article, summary="Never shown.", go_live=go_live)
    Revision.objects.filter(pk=revision.pk).update(
        content={
            **revision.content,
            "fields": {**revision.content["fields"], "updated_on": "1999-01-01"},
        }
    )
    call_command("check_publishing")  # nothing failing yet: exits 0
    workflow.run_schedule(now=go_live)
    home = editor.get("/admin/").content.decode()
    assert 'id="schedule-problems"' in home and article.title in home
    with pytest.raises(SystemExit) as exit_:
        call_command("check_publishing")
    assert exit_.value.code == 1
    assert "1 scheduled step(s) failing" in capsys.readouterr().err


def test_content_that_cannot_go_live_is_sent_back_and_its_people_told(editor, reviewer):
    article = Article.objects.get(slug=SLUG)
    content = workflow.current_content(article)
    content["fields"]["slug"] = "an-address-taken-meanwhile"
    workflow.save_draft(article, content, user=editor.user)
    workflow.submit(article, user=editor.user)
    revision = workflow.latest_revision(article)
    go_live = timezone.now() + datetime.timedelta(hours=1)
    Article.objects.filter(pk=article.pk).update(go_live_at=go_live)
    workflow.approve(
        revision,
        reviewer=reviewer.user,
        credit="Rhea Ward, MD",
        next_review_on=workflow.default_next_review(),
    )
    make_article(slug="an-address-taken-meanwhile")
    notified_before = set(Notification.objects.values_list("pk", flat=True))
    assert workflow.run_schedule(now=go_live)["failed"] == 1
    revision.refresh_from_db()
    assert revision.status == Revision.Status.SENT_BACK
    assert "an-address-taken-meanwhile" in revision.review_comment
    told = Notification.objects.exclude(pk__in=notified_before)
    assert set(told.values_list("recipient", flat=True)) == {
        editor.user.email,
        reviewer.user.email,
    }
    problem = ScheduleProblem.objects.get()
    assert not problem.retrying
    assert workflow.run_schedule(now=go_live)["failed"] == 0  # not tried again
    # Once it is submitted again, the listing goes.
    workflow.submit(article, user=editor.user)
    assert not ScheduleProblem.objects.exists()


def test_the_clinic_settings_form_keeps_its_edit_token_out_of_the_row(staff_client):
    url = "/admin/clinic/clinicsettings/1/change/"
    data = form_values(staff_client.get(url), field="clinic_name")
    assert "edit_token" in data and "crisis_line" in data and "crisis_strip_label" in data
