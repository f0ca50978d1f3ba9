"""Editing a live page in the admin: the whole page as one revision, and no edit ever lost."""

import pytest

from articles.models import Article, Section
from publishing.models import Revision
from tests.admin_forms import form_values
from topics.models import TopicPage

pytestmark = pytest.mark.django_db

SLUG = "who-can-benefit-from-ketamine-therapy"


@pytest.fixture
def article():
    return Article.objects.get(slug=SLUG)


def _article_form(client, article):
    return form_values(client.get(f"/admin/articles/article/{article.pk}/change/"))


def _section_prefix(data, section):
    return next(
        key[: -len("-id")]
        for key, value in data.items()
        if key.endswith("-id") and value == str(section.pk)
    )


def test_editing_a_live_article_with_its_sections_makes_one_pending_revision(
    editor, client, article
):
    public_before = client.get(article.get_absolute_url()).content
    first = article.sections.order_by("position").first()
    data = _article_form(editor, article)
    data["summary"] = "A new summary, waiting for review."
    data[f"{_section_prefix(data, first)}-body"] = "A rewritten opening, waiting for review."
    # A new section, added at the end.
    total = int(data["sections-TOTAL_FORMS"])
    data.update(
        {
            "sections-TOTAL_FORMS": str(total + 1),
            f"sections-{total}-position": "99",
            f"sections-{total}-level": "2",
            f"sections-{total}-heading": "A section added in review",
            f"sections-{total}-anchor": "",
            f"sections-{total}-body": "Its text.",
            f"sections-{total}-article": str(article.pk),
        }
    )
    response = editor.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert client.get(article.get_absolute_url()).content == public_before
    assert not Section.objects.filter(heading="A section added in review").exists()
    revision = Revision.objects.of(article).first()
    assert revision.content["fields"]["summary"] == "A new summary, waiting for review."
    headings = [entry["heading"] for entry in revision.content["sections"]]
    assert headings[-1] == "A section added in review"
    assert "added section “A section added in review”" in revision.summary
    assert "changed the summary" in revision.summary

    # Opened again, the form shows the draft, new section included; saving it again as it
    # is keeps that section.
    again = _article_form(editor, article)
    assert again["summary"] == "A new summary, waiting for review."
    assert "A section added in review" in again.values()
    assert editor.post(f"/admin/articles/article/{article.pk}/change/", again).status_code == 302
    latest = Revision.objects.of(article).first()
    assert [entry["heading"] for entry in latest.content["sections"]] == headings


def test_a_second_editors_later_save_is_refused_showing_the_first_ones_change(
    editor, second_editor, article
):
    section = article.sections.order_by("position").first()
    mine = _article_form(editor, article)
    theirs = _article_form(second_editor, article)
    mine["summary"] = "Eddie's summary."
    assert editor.post(f"/admin/articles/article/{article.pk}/change/", mine).status_code == 302
    theirs[f"{_section_prefix(theirs, section)}-body"] = "Sam's careful rewrite of the opening."
    refused = second_editor.post(f"/admin/articles/article/{article.pk}/change/", theirs)
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "saved this page at" in page and "while you were editing it" in page
    assert "changed the summary" in page  # what Eddie changed
    assert "Sam&#x27;s careful rewrite of the opening." in page or "Sam's careful rewrite" in page
    latest = Revision.objects.of(article).first()
    assert latest.content["fields"]["summary"] == "Eddie's summary."  # Eddie's edit kept
    # Sam has seen it; saving again (the form now carries the newest token) keeps Sam's text.
    again = form_values(refused)
    assert (
        second_editor.post(f"/admin/articles/article/{article.pk}/change/", again).status_code
        == 302
    )
    newest = Revision.objects.of(article).first()
    assert newest.content["sections"][0]["body"] == "Sam's careful rewrite of the opening."


def test_concurrent_saves_of_a_draft_page_are_refused_too(editor, second_editor, article):
    article.status = Article.Status.DRAFT
    article.save()
    standfirst = article.standfirst
    mine, theirs = _article_form(editor, article), _article_form(second_editor, article)
    mine["title"] = "Eddie's title"
    theirs["standfirst"] = "Sam's standfirst"
    assert editor.post(f"/admin/articles/article/{article.pk}/change/", mine).status_code == 302
    assert (
        second_editor.post(f"/admin/articles/article/{article.pk}/change/", theirs).status_code
        == 200
    )
    stored = Article.objects.get(pk=article.pk)
    assert (stored.title, stored.standfirst) == ("Eddie's title", standfirst)


def test_reverting_a_whole_article_restores_every_section_as_a_pending_revision(
    editor, client, article
):
    sections = list(article.sections.order_by("position"))
    data = _article_form(editor, article)
    for section in sections[:3]:
        data[f"{_section_prefix(data, section)}-body"] = f"Changed {section.pk}."
    editor.post(f"/admin/articles/article/{article.pk}/change/", data)
    baseline = Revision.objects.of(article).order_by("id").first()
    response = editor.post(f"/admin/publishing/revision/{baseline.pk}/restore/")
    assert response.status_code == 302
    restored = Revision.objects.of(article).first()
    assert restored.restored_from == baseline
    assert restored.status == Revision.Status.DRAFT
    assert [e["body"] for e in restored.content["sections"]] == [s.body for s in sections]
    assert restored.summary.startswith(f"Restored revision {baseline.pk}")
    # Never straight to live: the public page is what it was all along.
    assert all(section.body == Section.objects.get(pk=section.pk).body for section in sections)


def test_revisions_of_a_page_are_listed_in_words_and_any_two_compared(editor, article):
    data = _article_form(editor, article)
    data["title"] = "Who can benefit? A plainer title"
    editor.post(f"/admin/articles/article/{article.pk}/change/", data)
    listing = editor.get(f"/admin/publishing/revision/page/article/{article.pk}/").content.decode()
    assert "changed the title" in listing and "eddie" in listing
    older, newer = Revision.objects.of(article).order_by("id")
    compare = editor.get(
        f"/admin/publishing/revision/compare/{older.pk}/{newer.pk}/"
    ).content.decode()
    assert "<del>Who Can Benefit From Ketamine Therapy?</del>" in compare or "<del>" in compare
    assert "<ins>" in compare


def test_a_topic_pages_section_list_is_kept_as_a_revision_until_approved(editor, client):
    safety = TopicPage.objects.get(slug="safety")
    before = client.get("/safety/").content
    data = form_values(editor.get(f"/admin/topics/topicpage/{safety.pk}/change/"))
    data["topic_sections-0-DELETE"] = "on"
    assert editor.post(f"/admin/topics/topicpage/{safety.pk}/change/", data).status_code == 302
    assert client.get("/safety/").content == before
    revision = Revision.objects.of(safety).first()
    assert len(revision.content["sections"]) == safety.topic_sections.count() - 1
    assert "removed section" in revision.summary


def test_preview_changes_shows_inline_section_edits_and_saves_nothing(editor, client, article):
    first = article.sections.order_by("position").first()
    data = _article_form(editor, article)
    data[f"{_section_prefix(data, first)}-body"] = "An opening rewritten inline, only previewed."
    revisions = Revision.objects.count()
    response = editor.post(f"/admin/articles/article/{article.pk}/preview-changes/", data)
    assert response.status_code == 200
    assert "An opening rewritten inline, only previewed." in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert Revision.objects.count() == revisions
    assert "only previewed" not in client.get(article.get_absolute_url()).content.decode()
    change_form = editor.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert f"/admin/articles/article/{article.pk}/preview-changes/" in change_form


def test_preview_changes_of_an_invalid_form_says_what_to_fix(editor, article):
    data = _article_form(editor, article)
    data["title"] = ""
    response = editor.post(f"/admin/articles/article/{article.pk}/preview-changes/", data)
    assert response.status_code == 200
    assert "correct these in the form" in response.content.decode()
