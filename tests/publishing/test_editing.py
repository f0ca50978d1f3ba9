"""Editing a live page in the admin: the whole page as one revision, and no edit ever lost."""

import lxml.html
import pytest

from articles.models import Article, Section
from publishing import workflow
from publishing.models import Revision
from tests.admin_forms import conflict_choices, form_values, marked_words
from tests.factories import make_article, publish_pending
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


@pytest.mark.parametrize("first", ["eddie", "sam"])
def test_two_editors_saving_different_parts_both_keep_their_changes(
    editor, second_editor, article, reviewer, first
):
    """Eddie changes the summary, Sam the opening section, both from the same revision, in
    either order: both changes stay, merged, and the reviewer sees both against what is live."""
    section = article.sections.order_by("position").first()
    forms = {"eddie": _article_form(editor, article), "sam": _article_form(second_editor, article)}
    forms["eddie"]["summary"] = "Eddie's summary."
    forms["sam"][f"{_section_prefix(forms['sam'], section)}-body"] = "Sam's opening."
    clients = {"eddie": editor, "sam": second_editor}
    url = f"/admin/articles/article/{article.pk}/change/"
    for name in (first, "sam" if first == "eddie" else "eddie"):
        response = clients[name].post(url, forms[name])
        assert response.status_code == 302, response.content.decode()[:2000]
    latest = Revision.objects.of(article).first()
    assert latest.content["fields"]["summary"] == "Eddie's summary."
    assert latest.content["sections"][0]["body"] == "Sam's opening."
    assert latest.summary.startswith("Merged with revision")
    # Nothing else either form held (all of the article, as opened) undid the other's work.
    others = [e["body"] for e in latest.content["sections"][1:]]
    assert others == list(article.sections.order_by("position").values_list("body", flat=True)[1:])
    editor.post(f"/admin/publishing/revision/{latest.pk}/review/", {"action": "submit"})
    review = reviewer.get(f"/admin/publishing/revision/{latest.pk}/review/")
    added = marked_words(review, "ins")
    assert "Eddie's summary." in added and "Sam's opening." in added


@pytest.mark.parametrize("choice", ["theirs", "mine"])
def test_both_changing_one_field_shows_both_side_by_side_and_keeps_the_choice(
    editor, second_editor, article, choice
):
    url = f"/admin/articles/article/{article.pk}/change/"
    mine, theirs = _article_form(editor, article), _article_form(second_editor, article)
    theirs["summary"] = "Sam's summary of the page."
    theirs["standfirst"] = "Sam's standfirst."
    assert second_editor.post(url, theirs).status_code == 302
    mine["summary"] = "Eddie's summary of the page."
    asked = editor.post(url, mine)
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "saved this page at" in page and "press Save again" not in page
    assert "Nothing is saved yet" in page
    assert "Sam" in marked_words(asked, "mark") and "Eddie" in marked_words(asked, "mark")
    assert Revision.objects.of(article).first().content["fields"]["summary"] == (
        "Sam's summary of the page."
    )
    again = form_values(asked)
    assert again["edit_token"] == mine["edit_token"]  # still the revision Eddie started from
    again["merge:fields.summary"] = choice
    assert editor.post(url, again).status_code == 302
    latest = Revision.objects.of(article).first()
    expected = (
        "Sam's summary of the page." if choice == "theirs" else "Eddie's summary of the page."
    )
    assert latest.content["fields"]["summary"] == expected
    assert latest.content["fields"]["standfirst"] == "Sam's standfirst."  # merged, not asked


def test_a_section_removed_by_one_and_edited_by_the_other_asks(editor, second_editor, article):
    url = f"/admin/articles/article/{article.pk}/change/"
    shown_elsewhere = TopicPage.objects.values("topic_sections__section")
    section = article.sections.exclude(pk__in=shown_elsewhere).order_by("position").last()
    mine, theirs = _article_form(editor, article), _article_form(second_editor, article)
    theirs[f"{_section_prefix(theirs, section)}-DELETE"] = "on"
    assert second_editor.post(url, theirs).status_code == 302
    mine[f"{_section_prefix(mine, section)}-body"] = "Eddie's careful rewrite."
    asked = editor.post(url, mine)
    assert asked.status_code == 200
    again = form_values(asked)
    choices = conflict_choices(asked)
    assert len(choices) == 1, "one choice: theirs (removed) or mine (edited)"
    again[choices[0]] = "mine"
    assert editor.post(url, again).status_code == 302
    bodies = [e["body"] for e in Revision.objects.of(article).first().content["sections"]]
    assert "Eddie's careful rewrite." in bodies


def test_concurrent_saves_of_a_draft_page_merge_into_its_rows(editor, second_editor, article):
    article.status = Article.Status.DRAFT
    article.save()
    mine, theirs = _article_form(editor, article), _article_form(second_editor, article)
    mine["title"] = "Eddie's title"
    theirs["standfirst"] = "Sam's standfirst"
    assert editor.post(f"/admin/articles/article/{article.pk}/change/", mine).status_code == 302
    assert (
        second_editor.post(f"/admin/articles/article/{article.pk}/change/", theirs).status_code
        == 302
    )
    stored = Article.objects.get(pk=article.pk)
    assert (stored.title, stored.standfirst) == ("Eddie's title", "Sam's standfirst")


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


def test_any_two_revisions_of_a_page_can_be_chosen_and_compared(editor, article):
    for title in ("First retitling", "Second retitling", "Third retitling"):
        data = _article_form(editor, article)
        data["title"] = title
        assert editor.post(f"/admin/articles/article/{article.pk}/change/", data).status_code == 302
    listing = editor.get(f"/admin/publishing/revision/page/article/{article.pk}/")
    document = lxml.html.fromstring(listing.content.decode())
    form = next(f for f in document.forms if "older" in f.fields)
    older = form.inputs["older"].value_options
    assert len(older) == Revision.objects.of(article).count() == 4
    first, *_middle, last = sorted(int(pk) for pk in older)
    response = editor.get(form.action, {"older": str(last), "newer": str(first)}, follow=True)
    assert response.redirect_chain[-1][0].endswith(f"/compare/{first}/{last}/")
    assert "Third retitling" in marked_words(response, "ins")


def test_several_new_sections_save_in_one_go_with_anchors_and_places(editor, client):
    article = make_article(status=Article.Status.DRAFT, sections=["The opening."])
    url = f"/admin/articles/article/{article.pk}/change/"
    data = _article_form(editor, article)
    total = int(data["sections-TOTAL_FORMS"])
    for offset, heading in enumerate(["Risks", "Risks", "What to ask"]):
        row = total + offset
        data.update(
            {
                f"sections-{row}-position": "0",
                f"sections-{row}-level": "2",
                f"sections-{row}-heading": heading,
                f"sections-{row}-anchor": "",
                f"sections-{row}-body": f"Text under {heading}.",
                f"sections-{row}-article": str(article.pk),
            }
        )
    data["sections-TOTAL_FORMS"] = str(total + 3)
    response = editor.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    rows = list(article.sections.order_by("position", "id").values_list("heading", "anchor"))
    assert rows == [
        ("Section 1", "section-1"),
        ("Risks", "risks"),
        ("Risks", "risks-2"),
        ("What to ask", "what-to-ask"),
    ]


def test_sections_added_to_a_live_article_keep_the_forms_order_when_published(editor):
    article = Article.objects.get(slug=SLUG)
    url = f"/admin/articles/article/{article.pk}/change/"
    data = _article_form(editor, article)
    total = int(data["sections-TOTAL_FORMS"])
    for offset, heading in enumerate(["Notes", "Notes"]):
        row = total + offset
        data.update(
            {
                f"sections-{row}-position": "",
                f"sections-{row}-level": "2",
                f"sections-{row}-heading": heading,
                f"sections-{row}-anchor": "",
                f"sections-{row}-body": f"Note {offset}.",
                f"sections-{row}-article": str(article.pk),
            }
        )
    data["sections-TOTAL_FORMS"] = str(total + 2)
    assert editor.post(url, data).status_code == 302
    publish_pending(article)
    last_two = list(article.sections.order_by("position", "id"))[-2:]
    assert [(s.anchor, s.body) for s in last_two] == [("notes", "Note 0."), ("notes-2", "Note 1.")]


@pytest.mark.parametrize("live", [False, True])
def test_a_chosen_featured_image_survives_a_form_that_comes_back_with_errors(editor, live):
    import io

    from django.core.files.storage import default_storage
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    article = make_article(
        status=Article.Status.PUBLISHED if live else Article.Status.DRAFT, sections=["Text."]
    )
    url = f"/admin/articles/article/{article.pk}/change/"
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), (200, 80, 40)).save(buffer, "JPEG")
    data = _article_form(editor, article)
    data.update(title="", featured_image_alt="An orange square.")
    data["featured_image"] = SimpleUploadedFile("orange.jpg", buffer.getvalue(), "image/jpeg")
    refused = editor.post(url, data)
    assert refused.status_code == 200
    assert "“orange.jpg”, is kept: you need not choose it again" in refused.content.decode()

    again = form_values(refused)
    assert again["kept_featured_image"]
    again["title"] = "A title this time"
    assert editor.post(url, again).status_code == 302
    if live:
        name = Revision.objects.of(article).first().content["fields"]["featured_image"]
    else:
        name = Article.objects.get(pk=article.pk).featured_image.name
    assert name.startswith("featured/") and default_storage.exists(name)


def test_a_forged_kept_image_token_is_ignored(editor):
    article = make_article(status=Article.Status.DRAFT, sections=["Text."])
    url = f"/admin/articles/article/{article.pk}/change/"
    data = _article_form(editor, article)
    data["kept_featured_image"] = "featured/someone-elses.jpg"
    assert editor.post(url, data).status_code == 302
    assert not Article.objects.get(pk=article.pk).featured_image


def test_row_history_records_a_topic_sections_removal_and_its_return(editor):
    from topics.models import TopicSection

    safety = TopicPage.objects.get(slug="safety")
    first = safety.topic_sections.order_by("position").first()
    section_id = first.section_id
    content = workflow.current_content(safety)
    content["sections"] = [pk for pk in content["sections"] if pk != section_id]
    workflow.save_draft(safety, content, user=editor.user)
    publish_pending(safety)
    content = workflow.current_content(safety)
    content["sections"] = [section_id, *content["sections"]]
    workflow.save_draft(safety, content, user=editor.user)
    publish_pending(safety)
    history = TopicSection.history.filter(page_id=safety.pk, section_id=section_id)
    assert list(history.order_by("history_id").values_list("history_type", flat=True))[-2:] == [
        "-",
        "+",
    ]


def test_a_section_edited_on_its_own_form_merges_or_asks_too(editor, second_editor, article):
    first, second = article.sections.order_by("position")[:2]
    url = lambda section: f"/admin/articles/section/{section.pk}/change/"  # noqa: E731
    eddie_first = form_values(editor.get(url(first)), field="body")
    sam_first = form_values(second_editor.get(url(first)), field="body")
    sam_second = form_values(second_editor.get(url(second)), field="body")
    eddie_first["body"] = "Eddie's opening."
    assert editor.post(url(first), eddie_first).status_code == 302
    sam_second["body"] = "Sam's second section."  # another section: merged
    assert second_editor.post(url(second), sam_second).status_code == 302
    bodies = [e["body"] for e in Revision.objects.of(article).first().content["sections"]]
    assert bodies[:2] == ["Eddie's opening.", "Sam's second section."]
    sam_first["body"] = "Sam's opening."  # the section Eddie changed: asked
    asked = second_editor.post(url(first), sam_first)
    assert asked.status_code == 200 and "edit-conflict" in asked.content.decode()
    again = form_values(asked, field="body")
    (choice,) = conflict_choices(asked)
    again[choice] = "theirs"
    assert second_editor.post(url(first), again).status_code == 302
    bodies = [e["body"] for e in Revision.objects.of(article).first().content["sections"]]
    assert bodies[:2] == ["Eddie's opening.", "Sam's second section."]
