"""Translations as reviewed content: edited beside their English, sent through the same
clinical review as any page, live only once approved, and marked out of date when the English
changes afterwards."""

import lxml.html
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from articles.models import Article, Section
from glossary.models import GlossaryEntry
from publishing import workflow
from publishing.images import remove_unused
from publishing.models import Revision
from tests.admin_forms import form_values, marked_words
from tests.factories import publish_pending
from translations.models import Translation
from translations.spec import source_words

pytestmark = pytest.mark.django_db

SHORT = "who-can-benefit-from-ketamine-therapy"


def _translation(source):
    return Translation.objects.of(source, "es").get()


def _url(translation):
    return f"/admin/translations/translation/{translation.pk}/change/"


def _field(place):
    relation, pk, name = place
    return f"t__{relation}__{pk}__{name}" if pk else f"t__{relation}__{name}"


def _values(client, translation):
    return form_values(client.get(_url(translation)), "source_state")


def _document(response):
    return lxml.html.fromstring(response.content.decode())


def _cited_section():
    return Section.objects.filter(article__slug=SHORT, body__contains="[@apa-dsm5]").get()


def test_the_seed_ships_every_translation_as_a_draft_waiting_for_review():
    article = Article.objects.get(slug=SHORT)
    translation = _translation(article)
    assert not translation.is_live
    revision = workflow.latest_revision(translation)
    assert revision.status == Revision.Status.SUBMITTED
    assert revision.content["fields"]["title"].startswith("¿Quién puede beneficiarse")
    # It records what it translates: the article's words as the seed has them.
    assert translation.source_words == source_words(Article.objects.get(slug=SHORT))
    assert not translation.changes_since(source_words(article))
    waiting = Translation.objects.exclude(content_type__model="clinicsettings")
    assert not waiting.filter(status=Translation.Status.PUBLISHED).exists()


def test_the_form_shows_each_english_text_beside_its_translation(editor):
    article = Article.objects.get(slug=SHORT)
    section = _cited_section()
    response = editor.get(_url(_translation(article)))
    assert response.status_code == 200
    document = _document(response)
    rows = document.find_class("translation-row")
    # The title, the summary, the standfirst, the attribution, each section's heading and
    # text (the introduction has no heading), and each key point.
    sections = article.sections.count()
    assert len(rows) == 4 + 2 * sections - 1 + article.key_points.count()
    (row,) = [r for r in rows if r.xpath(f".//textarea[@name='t__sections__{section.pk}__body']")]
    (english,) = row.find_class("translation-english")
    assert english.get("lang") == "en" and "Almost 9% of Americans" in english.text_content()
    assert "Casi el 9%" in row.xpath(".//textarea")[0].text_content()


def test_a_translation_goes_live_only_once_a_reviewer_approves_it(editor, reviewer):
    article = Article.objects.get(slug=SHORT)
    translation = _translation(article)
    section = _cited_section()
    values = _values(editor, translation)
    values[_field(("sections", str(section.pk), "heading"))] = "Ketamina para el TEPT (revisado)"
    response = editor.post(_url(translation), values)
    assert response.status_code == 302, response.content.decode()[:2000]
    revision = workflow.latest_revision(translation)
    assert revision.status == Revision.Status.DRAFT
    assert revision.created_by == editor.user
    assert not Translation.objects.get(pk=translation.pk).is_live
    workflow.submit(translation, user=editor.user)
    # The reviewer sees the change word by word.
    review = reviewer.get(f"/admin/publishing/revision/{revision.pk}/review/")
    assert "(revisado)" in marked_words(review, "ins")
    # And each text beside the English it translates, to check the two say the same.
    (row,) = [
        tr
        for tr in _document(review).xpath("//details[@class='translation-beside']//tr")
        if "Ketamina para el TEPT (revisado)" in tr.text_content()
    ]
    english, spanish = row.xpath("./td")
    assert (
        english.get("lang") == "en" and "Ketamine for Patients with PTSD" in english.text_content()
    )
    assert spanish.get("lang") == "es"
    workflow.approve(
        revision,
        reviewer=reviewer.user,
        credit="Rhea Ward, MD",
        next_review_on=workflow.default_next_review(),
    )
    live = Translation.objects.get(pk=translation.pk)
    assert live.is_live and live.reviewed_by == "Rhea Ward, MD"
    assert live.last_reviewed_on == timezone.localdate()
    # Its Markdown is rendered once, going live, with the citation kept as a marker.
    html = live.section_html(section.pk)
    assert 'data-cite="apa-dsm5"' in html and "Casi el 9%" in html


def test_a_translation_that_drops_a_citation_is_refused_with_its_words_kept(editor):
    translation = _translation(Article.objects.get(slug=SHORT))
    section = _cited_section()
    name = _field(("sections", str(section.pk), "body"))
    values = _values(editor, translation)
    values[name] = values[name].replace("[@apa-dsm5]", "")
    before = workflow.latest_revision(translation).pk
    response = editor.post(_url(translation), values)
    assert response.status_code == 200
    document = _document(response)
    (error,) = [
        e for e in document.xpath("//*[@role='alert']") if "[@apa-dsm5]" in e.text_content()
    ]
    assert "it cites [@apa-dsm5]" in error.text_content()
    assert document.xpath(f"//textarea[@name='{name}']")[0].text_content().strip() == (
        values[name].strip()
    )
    assert workflow.latest_revision(translation).pk == before


def test_a_forged_source_state_is_refused_in_words_not_an_error(editor):
    translation = _translation(Article.objects.get(slug=SHORT))
    values = _values(editor, translation)
    values["source_state"] = "forged"
    response = editor.post(_url(translation), values)
    assert response.status_code == 200
    assert "changed outside the site" in response.content.decode()


def _make_live(translation):
    publish_pending(translation)
    return Translation.objects.get(pk=translation.pk)


def _change_english(article, section, body):
    content = workflow.current_content(article)
    for entry in content["sections"]:
        if entry["id"] == section.pk:
            entry["body"] = body
    workflow.save_draft(article, content, user=None)
    publish_pending(article)


def test_an_english_change_marks_the_translation_out_of_date_until_it_is_brought_up_to_date(
    editor,
):
    article = Article.objects.get(slug=SHORT)
    translation = _make_live(_translation(article))
    section = _cited_section()
    assert (
        editor.get("/admin/translations/translation/?out_of_date=yes").context["cl"].result_count
        == 0
    )
    _change_english(article, section, section.body.replace("Almost 9%", "About 9%"))

    article = Article.objects.for_page().get(slug=SHORT)
    translation = Translation.objects.get(pk=translation.pk)
    assert translation.changes_since(source_words(article)) == [
        ("sections", str(section.pk), "body")
    ]
    listing = editor.get("/admin/translations/translation/?out_of_date=yes")
    assert listing.context["cl"].result_count == 1
    assert "the English changed in 1 place" in listing.content.decode()

    # The form marks the text, with what changed in the English.
    response = editor.get(_url(translation))
    document = _document(response)
    (changed,) = document.find_class("translation-row--changed")
    assert "Almost" in changed.xpath(".//del")[0].text_content()
    assert "About" in changed.xpath(".//ins")[0].text_content()

    # Saved without saying it is brought up to date, it stays out of date.
    values = _values(editor, translation)
    name = _field(("sections", str(section.pk), "body"))
    values[name] = values[name].replace("Casi el 9%", "Alrededor del 9%")
    editor.post(_url(translation), values)
    pending = workflow.latest_revision(translation)
    assert pending.content["source"]["words"] == translation.source_words
    # Said so, the next revision records the English as it is now.
    values = _values(editor, translation)
    values["brought_up_to_date"] = "on"
    editor.post(_url(translation), values)
    pending = workflow.latest_revision(translation)
    assert pending.content["source"]["words"] == source_words(article)
    published = _make_live(translation)
    assert not published.changes_since(source_words(article))
    assert "Alrededor del 9%" in published.section_html(section.pk)


def test_a_new_translation_is_started_from_the_page_to_translate(editor):
    entry = GlossaryEntry.objects.get(slug="anesthesiologist")
    Translation.objects.of(entry, "es").delete()
    content_type = ContentType.objects.get_for_model(GlossaryEntry)
    response = editor.post(
        "/admin/translations/translation/add/",
        {"source": f"{content_type.pk}:{entry.pk}", "language": "es"},
    )
    translation = _translation(entry)
    assert response["Location"] == _url(translation)
    assert workflow.latest_revision(translation).summary == workflow.CREATED_SUMMARY
    # A second one of the same page and language is refused, in words.
    again = editor.post(
        "/admin/translations/translation/add/",
        {"source": f"{content_type.pk}:{entry.pk}", "language": "es"},
    )
    assert again.status_code == 200
    assert "already has a translation in that language" in again.content.decode()
    values = _values(editor, translation)
    values["t__fields__term"] = "anestesiólogo"
    values["t__fields__definition"] = "Un médico que administra anestesia."
    editor.post(_url(translation), values)
    assert Translation.objects.get(pk=translation.pk).field("term") == "anestesiólogo"


def test_staff_without_the_permission_cannot_open_translations(client, django_user_model):
    from django.contrib.auth.models import Group

    handler = django_user_model.objects.create_user("hana", is_staff=True)
    handler.groups.add(Group.objects.get(name="Enquiry handlers"))
    client.force_login(handler)
    translation = _translation(Article.objects.get(slug=SHORT))
    assert client.get(_url(translation)).status_code == 403
    assert client.get("/admin/translations/translation/").status_code == 403


def test_deleting_a_page_deletes_its_translations_and_their_revisions():
    entry = GlossaryEntry.objects.get(slug="anesthesiologist")
    translation = _translation(entry)
    assert Revision.objects.of(translation).exists()
    workflow.delete_page(entry, user=None)
    assert not Translation.objects.filter(pk=translation.pk).exists()
    assert not Revision.objects.filter(
        content_type=ContentType.objects.get_for_model(Translation), object_id=translation.pk
    ).exists()


def test_an_image_a_live_translation_shows_is_kept_when_the_english_drops_it():
    article = Article.objects.get(slug=SHORT)
    name = default_storage.save("articles/inline/figure.png", ContentFile(b"png"))
    translation = _translation(article)
    section = _cited_section()
    content = workflow.current_content(translation)
    content["sections"][str(section.pk)]["body"] += f"\n\n![Una figura](/media/{name})"
    workflow.save_draft(translation, content, user=None)
    _make_live(translation)
    assert remove_unused({name}) == []
    assert default_storage.exists(name)
    default_storage.delete(name)


def test_the_schedule_takes_a_translation_live_and_down_on_time(reviewer):
    article = Article.objects.get(slug=SHORT)
    translation = _translation(article)
    soon = timezone.now() + timezone.timedelta(hours=1)
    workflow.save_schedule(translation, go_live_at=soon, expires_at=None, user=None)
    revision = workflow.latest_revision(translation)
    approved = workflow.approve(
        revision,
        reviewer=reviewer.user,
        credit="Rhea Ward, MD",
        next_review_on=workflow.default_next_review(),
    )
    assert approved.status == Revision.Status.APPROVED
    assert not Translation.objects.get(pk=translation.pk).is_live
    workflow.run_schedule(now=soon + timezone.timedelta(minutes=1))
    assert Translation.objects.get(pk=translation.pk).is_live
    later = soon + timezone.timedelta(days=1)
    workflow.save_schedule(
        Translation.objects.get(pk=translation.pk), go_live_at=None, expires_at=later, user=None
    )
    workflow.run_schedule(now=later + timezone.timedelta(minutes=1))
    assert not Translation.objects.get(pk=translation.pk).is_live


def test_two_translators_saving_different_texts_both_keep_theirs(editor, second_editor):
    translation = _translation(Article.objects.get(slug=SHORT))
    mine, theirs = _values(editor, translation), _values(second_editor, translation)
    mine["t__fields__title"] = "Título de Eddie"
    theirs["t__fields__summary"] = "Resumen de Sam"
    assert second_editor.post(_url(translation), theirs).status_code == 302
    assert editor.post(_url(translation), mine).status_code == 302
    fields = workflow.latest_revision(translation).content["fields"]
    assert fields["title"] == "Título de Eddie" and fields["summary"] == "Resumen de Sam"


def test_a_pages_form_links_to_its_translation_and_says_when_the_english_changed(editor):
    article = Article.objects.get(slug=SHORT)
    translation = _make_live(_translation(article))
    form_url = f"/admin/articles/article/{article.pk}/change/"
    link = _document(editor.get(form_url)).xpath(f"//a[@href='{_url(translation)}']")[0]
    assert link.text_content() == "Español translation (live)"
    section = _cited_section()
    _change_english(article, section, section.body.replace("Almost 9%", "About 9%"))
    link = _document(editor.get(form_url)).xpath(f"//a[@href='{_url(translation)}']")[0]
    assert link.text_content() == "Español translation (the English changed since)"
    # A page without one offers to start it.
    entry = GlossaryEntry.objects.get(slug="anesthesiologist")
    Translation.objects.of(entry, "es").delete()
    page = _document(editor.get(f"/admin/glossary/glossaryentry/{entry.pk}/change/"))
    (start,) = page.xpath("//a[contains(@href, '/admin/translations/translation/add/?')]")
    assert start.text_content() == "Translate into Español"
    started = editor.get(start.get("href"))
    (chosen,) = _document(started).xpath("//select[@name='source']/optgroup/option[@selected]")
    assert chosen.text_content() == "Glossary entry: anesthesiologist"
