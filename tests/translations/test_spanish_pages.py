"""Under /es/ a page shows in Spanish only once a clinician approved its translation. Without
one, the Spanish interface says so and links to the English page, and the page is not indexed;
one the English changed since says so; a topic page with parts not yet translated marks them
as English. The crisis help is in Spanish on every Spanish page."""

import json
from pathlib import Path

import lxml.html
import pytest

from articles.models import Article, Section
from glossary.models import GlossaryEntry
from tests.factories import (
    approve_translation,
    make_article,
    make_translation,
    post_section_edit,
    publish_pending,
)
from tests.querycount import rendering_queries
from topics.models import TopicPage

pytestmark = pytest.mark.django_db

SHORT = "who-can-benefit-from-ketamine-therapy"
GUIDE = "ketamine-therapy-for-depression-guide"
# What the seed's translator wrote: the tests compare pages with it, not with our code.
SEED = json.loads(
    (Path(__file__).resolve().parents[2] / "translations" / "seed" / "es.json").read_text("utf-8")
)


def _document(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml.html.fromstring(response.content.decode())


def _spanish_title(article):
    return SEED["articles"][str(article.pk)]["title"]


def _robots(document):
    return document.xpath("//meta[@name='robots']/@content")


def test_without_an_approved_translation_the_page_says_so_in_spanish_and_links_to_english(
    client,
):
    article = Article.objects.get(slug=SHORT)
    document = _document(client, f"/es/articles/{SHORT}/")
    assert document.get("lang") == "es"
    assert _robots(document) == ["noindex"]
    assert not document.xpath("//link[@rel='alternate'][@hreflang]")
    # The draft waiting for review shows nowhere, not even its title.
    assert _spanish_title(article) not in document.text_content()
    heading = document.xpath("//main//h1")[0].text_content()
    assert "español" in heading.lower()
    (english,) = document.xpath("//main//a[@hreflang='en']")
    assert english.get("href") == f"/articles/{SHORT}/"
    assert article.title in english.text_content()
    assert english.xpath(".//*[@lang='en']"), "the English title is marked as English"


def test_an_approved_translation_is_shown_with_its_citations_as_the_english_has_them(client):
    article = Article.objects.get(slug=SHORT)
    english = _document(client, f"/articles/{SHORT}/")
    approve_translation(article)
    document = _document(client, f"/es/articles/{SHORT}/")
    assert document.get("lang") == "es"
    assert document.xpath("//h1")[0].text_content().strip() == _spanish_title(article)
    assert not _robots(document)
    assert not document.find_class("translation-notice")
    section = Section.objects.get(anchor="ketamine-for-patients-with-ptsd", article=article)
    heading = SEED["sections"][str(section.pk)]["heading"]
    assert (
        document.xpath(f"//h2[@id='{section.anchor}-heading']")[0].text_content().strip() == heading
    )
    # Citations stay as the sources give them: the same references, in the same order.
    cited = "//sup[@class='citation']/a/@href"
    assert document.xpath(cited) == english.xpath(cited)
    # The English page is as it was.
    again = _document(client, f"/articles/{SHORT}/")
    assert again.xpath("//h1")[0].text_content().strip() == article.title


def test_approving_a_translation_shows_it_at_the_next_request_despite_the_page_cache(client):
    article = Article.objects.get(slug=SHORT)
    url = f"/es/articles/{SHORT}/"
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    approve_translation(article)
    document = _document(client, url)
    assert document.xpath("//h1")[0].text_content().strip() == _spanish_title(article)


def test_an_english_change_after_approval_puts_a_notice_linking_to_the_english_page(client, editor):
    article = Article.objects.get(slug=SHORT)
    approve_translation(article)
    assert not _document(client, f"/es/articles/{SHORT}/").find_class("translation-notice")
    section = Section.objects.get(anchor="ketamine-for-patients-with-ptsd", article=article)
    assert (
        post_section_edit(editor, section, section.body + "\n\nA new sentence.").status_code < 400
    )
    publish_pending(article)
    document = _document(client, f"/es/articles/{SHORT}/")
    (notice,) = document.find_class("translation-notice")
    assert notice.xpath(".//a[@hreflang='en']/@href") == [f"/articles/{SHORT}/"]
    # Still the approved Spanish, and still indexed: it is a reviewed page, only older.
    assert document.xpath("//h1")[0].text_content().strip() == _spanish_title(article)
    assert not _robots(document)


def test_a_topic_page_marks_the_sections_whose_article_is_not_translated_as_english(client):
    page = TopicPage.objects.get(slug="candidacy")
    approve_translation(page)
    approve_translation(Article.objects.get(slug=SHORT))
    document = _document(client, "/es/candidacy/")
    assert (
        document.xpath("//h1")[0].text_content().strip()
        == SEED["topic_pages"][str(page.pk)]["title"]
    )
    from_short = [s for s in page.live_sections() if s.article.slug == SHORT]
    from_guide = [s for s in page.live_sections() if s.article.slug == GUIDE]
    assert from_short and from_guide, "the candidacy page draws on both articles"
    for section in from_guide:
        (heading,) = document.xpath(f"//*[@id='{section.anchor}-heading']")
        assert heading.xpath("ancestor-or-self::*[@lang][1]/@lang") == ["en"], section.anchor
    for section in from_short:
        (heading,) = document.xpath(f"//*[@id='{section.anchor}-heading']")
        assert heading.xpath("ancestor-or-self::*[@lang][1]/@lang") == ["es"], section.anchor
        assert heading.text_content().strip() == SEED["sections"][str(section.pk)]["heading"]
    (notice,) = document.find_class("translation-notice")
    assert notice.xpath(".//a[@hreflang='en']/@href") == ["/candidacy/"]


def test_the_spanish_glossary_lists_only_approved_entries(client):
    entry = GlossaryEntry.objects.get(term="anesthesiologist")
    spanish = SEED["glossary"][str(entry.pk)]["term"]
    assert spanish not in _document(client, "/es/glossary/").text_content()
    approve_translation(entry)
    document = _document(client, "/es/glossary/")
    terms = [term.text_content().strip() for term in document.xpath("//main//dt")]
    assert spanish in terms
    assert "anesthesiologist" not in terms


@pytest.mark.parametrize("url", ["/es/", f"/es/articles/{SHORT}/", "/es/enquire/"])
def test_the_crisis_help_is_in_spanish_on_every_spanish_page(client, url):
    document = _document(client, url)
    (strip,) = document.find_class("crisis-strip")
    assert SEED["clinic"]["crisis_strip_label"] in strip.text_content()
    dialled = strip.xpath(".//a/@href")
    assert "tel:988" in dialled and "sms:988" in dialled and "tel:911" in dialled
    assert SEED["clinic"]["crisis_message"] in document.find_class("site-footer")[0].text_content()


def test_a_spanish_article_costs_the_same_queries_however_many_sections(client):
    def spanish_article(count):
        article = make_article(sections=[f"Text {n}." for n in range(count)])
        sections = {
            str(section.pk): {"heading": f"Sección {n}", "body": f"Texto {n}."}
            for n, section in enumerate(article.sections.all())
        }
        make_translation(article, {"fields": {"title": "Un artículo"}, "sections": sections})
        queries, response = rendering_queries(client, f"/es/articles/{article.slug}/")
        assert response.content.decode().count("Sección") >= count
        return len(queries)

    assert spanish_article(3) == spanish_article(30)
