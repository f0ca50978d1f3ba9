"""What a hostile pass over the review workflow found: each path around review, each lost
edit and each server error, held shut."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import Article, Section
from publishing import workflow
from publishing.models import Revision
from tests.admin_forms import form_values
from tests.factories import make_article, publish_pending
from topics.models import TopicPage, TopicSection

pytestmark = pytest.mark.django_db

SLUG = "who-can-benefit-from-ketamine-therapy"


def _save(client, url, changes, field="title"):
    data = form_values(client.get(url), field=field)
    data.update(changes)
    return client.post(url, data)


def test_a_section_cannot_be_moved_off_a_live_article(editor, client):
    section = Section.objects.get(anchor="during-treatment")
    draft = make_article(status=Article.Status.DRAFT, sections=["Draft text."])
    url = f"/admin/articles/section/{section.pk}/change/"
    form = editor.get(url).content.decode()
    assert 'name="article"' not in form  # shown, not editable
    _save(editor, url, {"article": str(draft.pk)}, field="body")
    assert Section.objects.get(pk=section.pk).article_id == section.article_id


def test_a_topic_page_draft_that_adds_a_section_can_be_saved_again(editor, client):
    safety = TopicPage.objects.get(slug="safety")
    extra = Section.objects.get(anchor="ketamine-therapy-for-anxiety")
    url = f"/admin/topics/topicpage/{safety.pk}/change/"
    data = form_values(editor.get(url))
    row = int(data["topic_sections-TOTAL_FORMS"])
    data.update(
        {
            "topic_sections-TOTAL_FORMS": str(row + 1),
            f"topic_sections-{row}-section": str(extra.pk),
            f"topic_sections-{row}-position": "99",
            f"topic_sections-{row}-page": str(safety.pk),
        }
    )
    assert editor.post(url, data).status_code == 302
    response = _save(editor, url, {"title": "Is ketamine therapy safe? (reviewed wording)"})
    assert response.status_code == 302
    latest = Revision.objects.of(safety).first()
    assert latest.content["sections"][-1] == extra.pk
    assert latest.content["sections"].count(extra.pk) == 1
    assert TopicSection.objects.filter(page=safety, section=extra).count() == 0  # not live yet


def test_a_take_down_time_set_on_a_live_page_is_kept_at_once(editor):
    article = Article.objects.get(slug=SLUG)
    url = f"/admin/articles/article/{article.pk}/change/"
    assert (
        _save(editor, url, {"expires_at_0": "2031-03-01", "expires_at_1": "09:00"}).status_code
        == 302
    )
    article.refresh_from_db()
    assert timezone.localtime(article.expires_at).date() == datetime.date(2031, 3, 1)


def test_a_superuser_cannot_approve_as_a_reviewer(editor, superuser, client):
    section = Section.objects.get(anchor="during-treatment")
    _save(editor, f"/admin/articles/section/{section.pk}/change/", {"body": "Unreviewed."}, "body")
    revision = Revision.objects.of(section.article).first()
    editor.post(f"/admin/publishing/revision/{revision.pk}/review/", {"action": "submit"})
    url = f"/admin/publishing/revision/{revision.pk}/review/"
    assert "Approve and publish" not in superuser.get(url).content.decode()
    approval = {"action": "approve", "credit": "Anyone", "next_review_on": "2030-01-01"}
    assert superuser.post(url, approval).status_code == 403
    assert "Unreviewed." not in client.get(section.article.get_absolute_url()).content.decode()
    # A superuser who is also a clinical reviewer may.
    superuser.user.groups.add(Group.objects.get(name="Clinical reviewers"))
    assert superuser.post(url, approval).status_code == 302


def test_restoring_a_revision_whose_section_was_deleted_since_adds_it_once(editor, client):
    article = make_article(status=Article.Status.PUBLISHED, sections=["First.", "Second."])
    second = article.sections.get(position=2)
    url = f"/admin/articles/article/{article.pk}/change/"
    data = form_values(editor.get(url))
    prefix = next(k[:-3] for k, v in data.items() if k.endswith("-id") and v == str(second.pk))
    data[f"{prefix}-DELETE"] = "on"
    editor.post(url, data)
    with_second = Revision.objects.of(article).order_by("id").first()
    publish_pending(article)
    assert not Section.objects.filter(pk=second.pk).exists()
    editor.post(f"/admin/publishing/revision/{with_second.pk}/restore/")
    assert _save(editor, url, {"title": "Retitled after the restore"}).status_code == 302
    latest = Revision.objects.of(article).first()
    bodies = [entry["body"] for entry in latest.content["sections"]]
    assert bodies == ["First.", "Second."]
    publish_pending(article)
    assert list(article.sections.order_by("position").values_list("body", flat=True)) == [
        "First.",
        "Second.",
    ]


def test_a_restore_a_draft_page_cannot_take_says_why(editor):
    article = Article.objects.get(slug=SLUG)
    used = TopicSection.objects.filter(section__article=article).first().section
    content = workflow.current_content(article)
    content["sections"] = [e for e in content["sections"] if e["id"] != used.pk]
    without = workflow.save_draft(article, content, user=editor.user)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    response = editor.post(f"/admin/publishing/revision/{without.pk}/restore/", follow=True)
    assert response.status_code == 200
    assert "was not restored" in response.content.decode()
    assert Section.objects.filter(pk=used.pk).exists()


def test_a_comparison_entry_moved_to_another_aspect_and_back_publishes(editor, reviewer):
    page = TopicPage.objects.get(slug="iv-ketamine-infusion")
    before = workflow.current_content(page)
    content = workflow.current_content(page)
    aspects = [entry["aspect"] for entry in content["facts"]]
    content["facts"][0]["aspect"], content["facts"][1]["aspect"] = aspects[1], aspects[0]
    workflow.save_draft(page, content, user=editor.user)
    publish_pending(page)
    restored = workflow.restore(Revision.objects.of(page).order_by("id").first(), user=editor.user)
    assert restored.content["facts"][0]["aspect"] == before["facts"][0]["aspect"]
    publish_pending(page)  # no collision on the one-entry-per-aspect rule
    assert sorted(page.facts.values_list("aspect", flat=True)) == sorted(aspects)


def test_a_scheduled_revision_that_cannot_go_live_is_sent_back_and_others_still_run(editor):
    article = Article.objects.get(slug=SLUG)
    used = TopicSection.objects.filter(section__article=article).first().section
    content = workflow.current_content(article)
    content["sections"] = [e for e in content["sections"] if e["id"] != used.pk]
    workflow.save_draft(article, content, user=editor.user)
    article.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    article.save()
    revision = publish_pending(article)
    assert revision.status == Revision.Status.APPROVED
    other = Article.objects.exclude(pk=article.pk).get()
    other.expires_at = timezone.now() + datetime.timedelta(minutes=1)
    other.save()
    later = timezone.now() + datetime.timedelta(hours=2)
    assert workflow.run_schedule(now=later) == {"published": 0, "taken_down": 1, "failed": 1}
    revision.refresh_from_db()
    assert revision.status == Revision.Status.SENT_BACK
    assert "could not go live" in revision.review_comment
    assert workflow.run_schedule(now=later) == {
        "published": 0,
        "taken_down": 0,
        "failed": 0,
    }  # not retried


def test_an_older_revision_cannot_be_approved_over_a_newer_publication(editor, reviewer):
    article = Article.objects.get(slug=SLUG)
    first = workflow.save_draft(article, workflow.current_content(article), user=editor.user)
    workflow.submit(article, user=editor.user)
    content = workflow.current_content(article)
    content["fields"]["summary"] = "A newer summary."
    workflow.save_draft(article, content, user=editor.user)
    publish_pending(article)
    url = f"/admin/publishing/revision/{first.pk}/review/"
    page = reviewer.get(url).content.decode()
    assert "would undo it" in page
    reviewer.post(
        url, {"action": "approve", "credit": "Rhea Ward, MD", "next_review_on": "2030-01-01"}
    )
    assert Article.objects.get(pk=article.pk).summary == "A newer summary."


def test_a_deleted_pages_revisions_go_with_it(editor, superuser):
    article = make_article(status=Article.Status.DRAFT, sections=["Text."])
    revision = workflow.save_draft(article, workflow.current_content(article), user=editor.user)
    article.delete()
    assert not Revision.objects.filter(pk=revision.pk).exists()
    assert superuser.get(f"/admin/publishing/revision/{revision.pk}/review/").status_code == 404


def test_the_preview_shows_a_pending_topic_introduction(editor):
    safety = TopicPage.objects.get(slug="safety")
    _save(editor, f"/admin/topics/topicpage/{safety.pk}/change/", {"intro": "A pending **intro**."})
    revision = Revision.objects.of(safety).first()
    preview = editor.get(f"/admin/publishing/revision/{revision.pk}/preview/").content.decode()
    assert "A pending <strong>intro</strong>." in preview


def test_taking_a_page_down_keeps_its_pending_changes_in_its_rows(editor):
    article = Article.objects.get(slug=SLUG)
    content = workflow.current_content(article)
    content["fields"]["summary"] = "Pending summary."
    workflow.save_draft(article, content, user=editor.user)
    workflow.unpublish(article)
    assert Article.objects.get(pk=article.pk).summary == "Pending summary."


def test_a_comparison_entry_changed_on_its_own_on_a_draft_page_is_in_its_revisions(editor):
    page = TopicPage.objects.get(slug="iv-ketamine-infusion")
    TopicPage.objects.filter(pk=page.pk).update(status=TopicPage.Status.DRAFT)
    fact = page.facts.first()
    url = f"/admin/topics/treatmentfact/{fact.pk}/change/"
    assert _save(editor, url, {"text": "Changed on its own"}, field="text").status_code == 302
    latest = Revision.objects.of(page).first()
    assert "Changed on its own" in [entry["text"] for entry in latest.content["facts"]]


def test_two_new_sections_taking_one_anchor_publish_with_distinct_anchors(editor):
    article = make_article(status=Article.Status.PUBLISHED, sections=["One."])
    Section.objects.filter(article=article).update(anchor="notes-2")
    content = workflow.current_content(article)
    for position in (5, 6):
        content["sections"].append(
            {
                "id": None,
                "position": position,
                "level": 2,
                "heading": "Notes",
                "anchor": "notes",
                "body": "x",
            }
        )
    workflow.save_draft(article, content, user=editor.user)
    publish_pending(article)
    anchors = list(article.sections.values_list("anchor", flat=True))
    assert len(anchors) == len(set(anchors)) == 3 and "notes-2" in anchors


def test_the_section_preview_shows_the_articles_other_pending_changes_and_unknown_keys(editor):
    article = Article.objects.get(slug=SLUG)
    first, second = article.sections.order_by("position")[:2]
    content = workflow.current_content(article)
    content["sections"][0]["body"] = "A pending change to the first section."
    workflow.save_draft(article, content, user=editor.user)
    form_page = editor.get(f"/admin/articles/section/{second.pk}/change/")
    assert (
        f"/admin/articles/section/{second.pk}/preview-changes/#{second.anchor}"
        in form_page.content.decode()
    )
    data = form_values(form_page, field="body")
    data["body"] = "Edited here [@no-such-key]."
    page = editor.post(
        f"/admin/articles/section/{second.pk}/preview-changes/", data
    ).content.decode()
    assert "A pending change to the first section." in page
    assert "Edited here" in page
    assert "Unknown citation key @no-such-key" in page
