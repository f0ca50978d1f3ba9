"""A Spanish topic page speaks Spanish around its content: the comparison of the treatments,
the source of each section, the call to enquire. What it shows in English (a section or a
treatment not yet translated) is marked as English, and the interface beside it is not."""

import lxml.html
import pytest

from articles.models import Article
from tests.factories import approve_translation
from topics.models import TopicPage

pytestmark = pytest.mark.django_db

SHORT = "who-can-benefit-from-ketamine-therapy"


def _document(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml.html.fromstring(response.content.decode())


def _text(element):
    return " ".join(element.text_content().split())


def _language(element):
    return element.xpath("ancestor-or-self::*[@lang][1]/@lang")[0]


def test_a_section_shown_in_english_keeps_its_source_line_and_contents_entry_right(client):
    page = TopicPage.objects.get(slug="candidacy")
    approve_translation(page)
    approve_translation(Article.objects.get(slug=SHORT))
    document = _document(client, "/es/candidacy/")
    english = [s for s in page.live_sections() if s.article.slug != SHORT]
    spanish = [s for s in page.live_sections() if s.article.slug == SHORT]
    assert english and spanish
    for section in english:
        (element,) = document.xpath(f"//section[@id='{section.anchor}']")
        assert element.get("lang") == "en"
        (source,) = element.find_class("section__source")
        assert source.get("lang") == "es"
        assert _text(source).startswith("De ")
        # The article's title is as untranslated as the section.
        assert source.xpath("./a/@lang") == ["en"]
        for link in document.xpath(f"//nav[@class='contents']//a[@href='#{section.anchor}']"):
            assert link.get("lang") == "en"
    for section in spanish:
        (element,) = document.xpath(f"//section[@id='{section.anchor}']")
        assert _language(element) == "es"
        (source,) = element.find_class("section__source")
        assert _text(source).startswith("De ")
        assert not source.xpath("./a/@lang")
    # The inline crisis help of an English section is in Spanish, and marked so.
    for box in document.find_class("crisis-box--inline"):
        assert _language(box) == "es"
        assert box.get("aria-label") == "Ayuda en caso de crisis"
    assert _text(document.xpath("//h2[@id='key-points-heading']")[0]) == "Puntos clave"
    assert _text(document.xpath("//h2[@id='next-step-heading']")[0]) == (
        "¿Tiene preguntas sobre la terapia asistida con ketamina?"
    )
    (related,) = document.find_class("related-pages")
    assert _text(related.xpath(".//h2")[0]) == "Los artículos en los que se basa esta página"
    by_address = {a.get("href"): a.getparent().get("lang") for a in related.xpath(".//a")}
    assert by_address[f"/es/articles/{SHORT}/"] is None
    assert by_address[f"/es/articles/{english[0].article.slug}/"] == "en"


def test_the_spanish_treatments_page_compares_in_spanish_and_marks_english_treatments(client):
    treatments_page = TopicPage.objects.get(slug="treatments")
    approve_translation(treatments_page)
    treatments = list(TopicPage.objects.live().treatments())
    translated, *untranslated = treatments
    approve_translation(translated)
    assert untranslated, "the seed has three treatment types"
    document = _document(client, "/es/treatments/")
    assert _text(document.xpath("//h2[@id='treatment-types-heading']")[0]) == (
        "Los tres tipos de un vistazo"
    )
    caption = _text(document.xpath("//table[@class='comparison__table']/caption")[0])
    assert caption.startswith("Cómo se comparan los tipos de tratamiento")
    sources = {_text(link).split(":")[0] for link in document.find_class("comparison__source")}
    assert sources == {"Fuente"}
    columns = document.xpath("//table[@class='comparison__table']/thead//th")
    by_language = {_text(th): th.get("lang") for th in columns}
    for page in untranslated:
        assert by_language[page.short_title] == "en"
    assert [lang for lang in by_language.values() if lang is None], "the translated one"
    rows = [
        _text(th) for th in document.xpath("//table[@class='comparison__table']//th[@scope='row']")
    ]
    assert "Cómo se administra" in rows and "Seguro y costo" in rows
    assert "How it is given" not in rows


def test_the_english_treatments_page_is_unchanged(client):
    document = _document(client, "/treatments/")
    assert _text(document.xpath("//h2[@id='treatment-types-heading']")[0]) == (
        "The three types at a glance"
    )
    assert not document.xpath("//main//*[@lang]")
    sources = {_text(link).split(":")[0] for link in document.find_class("comparison__source")}
    assert sources == {"Source"}
    rows = [
        _text(th) for th in document.xpath("//table[@class='comparison__table']//th[@scope='row']")
    ]
    assert rows[0] == "How it is given"
