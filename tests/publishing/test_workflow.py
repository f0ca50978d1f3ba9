"""A live page's changes wait for a clinical reviewer; approval publishes them everywhere."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from articles.models import Article, Section
from enquiries.models import Notification
from enquiries.notifications import deliver_due
from publishing.models import Revision
from tests.admin_forms import form_values
from tests.factories import without_seed_translations
from topics.models import TopicPage

pytestmark = pytest.mark.django_db

ARTICLE_URL = "/articles/who-can-benefit-from-ketamine-therapy/"
NEW_TEXT = "Monitoring text rewritten by an editor, not yet reviewed."


def _edit_section(client, section, body):
    url = f"/admin/articles/section/{section.pk}/change/"
    data = form_values(client.get(url), field="body")
    data["body"] = body
    return client.post(url, data)


def test_an_editors_save_of_a_live_section_leaves_every_public_page_unchanged(editor, client):
    during = Section.objects.get(anchor="during-treatment")
    urls = [
        during.article.get_absolute_url(),
        *(p.get_absolute_url() for p in TopicPage.objects.showing(during)),
    ]
    assert len(urls) >= 4
    before = {url: client.get(url).content for url in urls}
    response = _edit_section(editor, during, NEW_TEXT)
    assert response.status_code == 302
    assert {url: client.get(url).content for url in urls} == before
    assert NEW_TEXT not in Section.objects.get(pk=during.pk).body
    revision = Revision.objects.of(during.article).first()
    assert revision.status == Revision.Status.DRAFT
    assert "edited the text of “During Treatment”" in revision.summary
    # The editor sees their draft when they open the section again.
    assert NEW_TEXT in editor.get(f"/admin/articles/section/{during.pk}/change/").content.decode()


def test_after_a_reviewers_approval_every_page_using_the_section_shows_it(editor, reviewer, client):
    during = Section.objects.get(anchor="during-treatment")
    urls = [
        during.article.get_absolute_url(),
        *(p.get_absolute_url() for p in TopicPage.objects.showing(during)),
    ]
    _edit_section(editor, during, NEW_TEXT)
    revision = Revision.objects.of(during.article).first()
    assert (
        editor.post(
            f"/admin/publishing/revision/{revision.pk}/review/", {"action": "submit"}
        ).status_code
        == 302
    )
    next_review = timezone.localdate() + datetime.timedelta(days=180)
    response = reviewer.post(
        f"/admin/publishing/revision/{revision.pk}/review/",
        {"action": "approve", "credit": "Rhea Ward, MD", "next_review_on": next_review.isoformat()},
    )
    assert response.status_code == 302
    for url in urls:
        assert NEW_TEXT in client.get(url).content.decode(), url
    article = Article.objects.get(pk=during.article_id)
    assert (article.reviewed_by, article.last_reviewed_on, article.next_review_on) == (
        "Rhea Ward, MD",
        timezone.localdate(),
        next_review,
    )
    revision.refresh_from_db()
    assert revision.status == Revision.Status.PUBLISHED
    assert revision.reviewed_by == reviewer.user and revision.reviewer_credit == "Rhea Ward, MD"


def test_a_content_editor_cannot_publish(editor):
    article = Article.objects.get(slug="who-can-benefit-from-ketamine-therapy")
    article.status = Article.Status.DRAFT
    article.save()
    # No publish action, and approval is refused.
    changelist = editor.get("/admin/articles/article/").content.decode()
    assert 'value="publish"' not in changelist
    editor.post(
        "/admin/articles/article/",
        {"action": "submit_for_review", "_selected_action": [article.pk]},
    )
    revision = Revision.objects.of(article).first()
    assert revision.status == Revision.Status.SUBMITTED
    response = editor.post(
        f"/admin/publishing/revision/{revision.pk}/review/",
        {"action": "approve", "credit": "Eddie", "next_review_on": "2030-01-01"},
    )
    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    # Nor by setting the status in the form: it is not an editable field.
    assert (
        'name="status"'
        not in editor.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    )


def test_the_reviewers_email_carries_no_content(editor, reviewer, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    during = Section.objects.get(anchor="during-treatment")
    _edit_section(editor, during, NEW_TEXT)
    revision = Revision.objects.of(during.article).first()
    editor.post(f"/admin/publishing/revision/{revision.pk}/review/", {"action": "submit"})
    assert Notification.objects.filter(recipient="rhea@clinic.test").count() == 1
    deliver_due()
    (email,) = [m for m in mail.outbox if m.to == ["rhea@clinic.test"]]
    text = email.subject + email.body
    assert f"/admin/publishing/revision/{revision.pk}/review/" in email.body
    for content in (NEW_TEXT, "Monitoring", during.heading, during.article.title, "ketamine"):
        assert content.lower() not in text.lower()


def test_sending_back_needs_a_comment_and_keeps_the_page_as_it_was(editor, reviewer, client):
    during = Section.objects.get(anchor="during-treatment")
    _edit_section(editor, during, NEW_TEXT)
    revision = Revision.objects.of(during.article).first()
    editor.post(f"/admin/publishing/revision/{revision.pk}/review/", {"action": "submit"})
    url = f"/admin/publishing/revision/{revision.pk}/review/"
    empty = reviewer.post(url, {"action": "send_back", "comment": "  "})
    assert empty.status_code == 200
    assert "Say what needs changing, overall or on a section" in empty.content.decode()
    assert (
        reviewer.post(
            url, {"action": "send_back", "comment": "Cite the monitoring time."}
        ).status_code
        == 302
    )
    revision.refresh_from_db()
    assert revision.status == Revision.Status.SENT_BACK
    assert NEW_TEXT not in client.get(during.article.get_absolute_url()).content.decode()


def test_a_superuser_publishes_without_review_only_giving_a_reason(editor, superuser, client):
    during = Section.objects.get(anchor="during-treatment")
    _edit_section(editor, during, NEW_TEXT)
    revision = Revision.objects.of(during.article).first()
    url = f"/admin/publishing/revision/{revision.pk}/review/"
    page_url = during.article.get_absolute_url()
    assert superuser.post(url, {"action": "publish_anyway", "reason": ""}).status_code == 200
    assert NEW_TEXT not in client.get(page_url).content.decode()
    superuser.post(
        url, {"action": "publish_anyway", "reason": "A dosage error had to come down at once."}
    )
    assert NEW_TEXT in client.get(page_url).content.decode()
    revision.refresh_from_db()
    assert revision.unreviewed_reason == "A dosage error had to come down at once."
    assert Article.objects.get(pk=during.article_id).last_reviewed_on is None  # not reviewed


def test_reviewers_see_what_waits_for_them_on_the_admin_home(editor, reviewer):
    without_seed_translations()  # the seed's, waiting for review
    during = Section.objects.get(anchor="during-treatment")
    home = reviewer.get("/admin/").content.decode()
    assert "Waiting for you, oldest first" in home and "Nothing is waiting for review." in home
    _edit_section(editor, during, NEW_TEXT)
    revision = Revision.objects.of(during.article).first()
    editor.post(f"/admin/publishing/revision/{revision.pk}/review/", {"action": "submit"})
    home = reviewer.get("/admin/").content.decode()
    assert f"/admin/publishing/revision/{revision.pk}/review/" in home
    assert during.article.title in home
    review = reviewer.get(f"/admin/publishing/revision/{revision.pk}/review/").content.decode()
    assert "Approve and publish" in review and "<ins>" in review  # the change, word by word


def test_the_preview_shows_the_pending_change_as_patients_will_see_it(editor, client):
    during = Section.objects.get(anchor="during-treatment")
    _edit_section(editor, during, NEW_TEXT)
    revision = Revision.objects.of(during.article).first()
    preview = editor.get(f"/admin/publishing/revision/{revision.pk}/preview/")
    assert preview.status_code == 200
    assert NEW_TEXT in preview.content.decode()
    assert "no-store" in preview["Cache-Control"]
    assert NEW_TEXT not in client.get(during.article.get_absolute_url()).content.decode()
    assert client.get(f"/admin/publishing/revision/{revision.pk}/preview/").status_code == 302


def test_approving_a_topic_pages_revision_changes_the_public_page(editor, reviewer, client):
    safety = TopicPage.objects.get(slug="safety")
    removed = safety.topic_sections.order_by("position").first().section
    data = form_values(editor.get(f"/admin/topics/topicpage/{safety.pk}/change/"))
    data["topic_sections-0-DELETE"] = "on"
    editor.post(f"/admin/topics/topicpage/{safety.pk}/change/", data)
    assert f'id="{removed.anchor}"' in client.get("/safety/").content.decode()
    revision = Revision.objects.of(safety).first()
    editor.post(f"/admin/publishing/revision/{revision.pk}/review/", {"action": "submit"})
    reviewer.post(
        f"/admin/publishing/revision/{revision.pk}/review/",
        {"action": "approve", "credit": "Rhea Ward, MD", "next_review_on": "2030-01-01"},
    )
    assert f'id="{removed.anchor}"' not in client.get("/safety/").content.decode()
    # The admin's log (its "Recent actions") says who did what, in words.
    from django.contrib.admin.models import LogEntry

    entry = LogEntry.objects.get(object_id=str(safety.pk), change_message__contains="Approved")
    assert entry.user == reviewer.user
    assert (
        entry.get_change_message()
        == f"Revision {revision.pk}: Approved and published. Patients see it now."
    )
    listing = editor.get(f"/admin/publishing/revision/page/topicpage/{safety.pk}/").content.decode()
    assert "Published: Rhea Ward, MD" in listing


def test_a_live_pages_parts_are_not_changed_or_deleted_around_review(editor):
    during = Section.objects.get(anchor="during-treatment")
    assert (
        editor.post(f"/admin/articles/section/{during.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert Section.objects.filter(pk=during.pk).exists()
    fact = TopicPage.objects.get(slug="iv-ketamine-infusion").facts.first()
    url = f"/admin/topics/treatmentfact/{fact.pk}/change/"
    data = form_values(editor.get(url), field="text")
    data["text"] = "Changed around review"
    response = editor.post(url, data)
    assert response.status_code == 200
    assert (
        "is published: change its comparison entries on its own page" in response.content.decode()
    )
