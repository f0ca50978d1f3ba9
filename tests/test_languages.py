"""Spanish under /es/, English at its own addresses: the address alone decides the language.

A page links to itself in the other language, names its other-language versions as hreflang
alternates (in the head and in the sitemap) only where one exists, and is cached per address.
"""

import json

import lxml.etree
import lxml.html
import pytest

from articles.models import Article
from tests.factories import approve_translation
from translations.models import Translation

pytestmark = pytest.mark.django_db

SHORT = "who-can-benefit-from-ketamine-therapy"
SITEMAP_NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}
ORIGIN = "https://clinic.example"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = ORIGIN


def _document(response):
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def _alternates(document):
    return {
        link.get("hreflang"): link.get("href")
        for link in document.xpath("//head/link[@rel='alternate'][@hreflang]")
    }


@pytest.mark.parametrize(
    ("path", "language"),
    [("/", "en"), ("/es/", "es"), ("/glossary/", "en"), ("/es/glossary/", "es")],
)
def test_the_address_sets_the_pages_language(client, path, language):
    response = client.get(path)
    assert _document(response).get("lang") == language
    assert response["Content-Language"] == language


def test_a_browser_asking_for_spanish_still_gets_english_at_an_english_address(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    assert response.status_code == 200, "no redirect by browser language"
    assert _document(response).get("lang") == "en"
    assert "Accept-Language" not in response.get("Vary", "")
    assert not response.cookies, "no language cookie"
    spanish = client.get("/es/", HTTP_ACCEPT_LANGUAGE="en-US")
    assert _document(spanish).get("lang") == "es"


def test_english_pages_keep_their_addresses_and_spanish_ones_live_under_es(client):
    assert client.get("/en/").status_code == 404
    assert client.get(f"/articles/{SHORT}/").status_code == 200
    assert client.get(f"/es/articles/{SHORT}/").status_code == 200
    assert client.get("/es/admin/").status_code == 404, "staff pages have one address"


@pytest.mark.parametrize(
    ("path", "other"),
    [
        ("/", "/es/"),
        ("/es/", "/"),
        (f"/articles/{SHORT}/", f"/es/articles/{SHORT}/"),
        ("/enquire/", "/es/enquire/"),
        ("/es/privacy/", "/privacy/"),
        ("/search/?q=ketamine", "/es/search/?q=ketamine"),
    ],
)
def test_every_page_links_to_itself_in_the_other_language(client, path, other):
    document = _document(client.get(path))
    (switch,) = document.find_class("language-switch")
    (link,) = switch.xpath(".//a")
    assert link.get("href") == other
    code = "es" if other.startswith("/es/") else "en"
    assert link.get("hreflang") == code
    assert link.get("lang") == code, "each language is named in itself"
    assert link.text_content().strip() == {"es": "Español", "en": "English"}[code]


def test_an_interface_page_names_both_languages_as_alternates(client):
    for path in ("/privacy/", "/es/privacy/"):
        assert _alternates(_document(client.get(path))) == {
            "en": f"{ORIGIN}/privacy/",
            "es": f"{ORIGIN}/es/privacy/",
            "x-default": f"{ORIGIN}/privacy/",
        }


def test_an_article_names_a_spanish_alternate_only_once_its_translation_is_approved(client):
    article = Article.objects.get(slug=SHORT)
    assert _alternates(_document(client.get(f"/articles/{SHORT}/"))) == {}
    approve_translation(article)
    expected = {
        "en": f"{ORIGIN}/articles/{SHORT}/",
        "es": f"{ORIGIN}/es/articles/{SHORT}/",
        "x-default": f"{ORIGIN}/articles/{SHORT}/",
    }
    assert _alternates(_document(client.get(f"/articles/{SHORT}/"))) == expected
    assert _alternates(_document(client.get(f"/es/articles/{SHORT}/"))) == expected


def _sitemap(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    tree = lxml.etree.fromstring(response.content)
    return {
        url.findtext("s:loc", namespaces=SITEMAP_NS).removeprefix(ORIGIN): {
            link.get("hreflang"): link.get("href").removeprefix(ORIGIN)
            for link in url.findall("xhtml:link", namespaces=SITEMAP_NS)
        }
        for url in tree.findall("s:url", namespaces=SITEMAP_NS)
    }


def test_the_sitemap_lists_a_spanish_article_only_once_approved_with_its_alternates(client):
    article = Article.objects.get(slug=SHORT)
    urls = _sitemap(client)
    assert f"/articles/{SHORT}/" in urls
    assert f"/es/articles/{SHORT}/" not in urls
    assert urls[f"/articles/{SHORT}/"] == {}, "no alternates for a page in one language"
    # Interface pages are in both languages from the start.
    assert urls["/es/enquire/"] == {
        "en": "/enquire/",
        "es": "/es/enquire/",
        "x-default": "/enquire/",
    }
    approve_translation(article)
    urls = _sitemap(client)
    both = {
        "en": f"/articles/{SHORT}/",
        "es": f"/es/articles/{SHORT}/",
        "x-default": f"/articles/{SHORT}/",
    }
    assert urls[f"/articles/{SHORT}/"] == both
    assert urls[f"/es/articles/{SHORT}/"] == both
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_robots_keeps_spanish_previews_searches_and_results_out(client):
    lines = client.get("/robots.txt").content.decode().splitlines()
    for path in ("/es/search/", "/es/articles/preview/", "/es/enquire/thanks/", "/es/feedback/"):
        assert f"Disallow: {path}" in lines


def test_structured_data_is_in_the_pages_language(client):
    approve_translation(Article.objects.get(slug=SHORT))

    def page_data(path):
        document = _document(client.get(path))
        (script,) = document.xpath("//script[@type='application/ld+json']")
        return json.loads(script.text)

    assert page_data(f"/articles/{SHORT}/")["inLanguage"] == "en-US"
    spanish = page_data(f"/es/articles/{SHORT}/")
    assert spanish["inLanguage"] == "es-US"
    assert spanish["name"] != Article.objects.get(slug=SHORT).title


def test_each_language_is_cached_under_its_own_address(client):
    english, spanish = client.get("/glossary/"), client.get("/es/glossary/")
    assert client.get("/glossary/")["X-Page-Cache"] == "hit"
    again = client.get("/es/glossary/")
    assert again["X-Page-Cache"] == "hit"
    assert _document(again).get("lang") == "es"
    assert again.content == spanish.content != english.content


def test_a_spanish_search_is_rendered_afresh_and_never_stored(client):
    client.get("/es/search/", {"q": "ketamina"})
    assert client.get("/es/search/", {"q": "ketamina"})["X-Page-Cache"] != "hit"


@pytest.mark.parametrize(
    ("path", "other"),
    [("/es/no-such-page/", "/"), ("/no-such-page/", "/es/"), ("//evil.example/x/", "/es/")],
)
def test_a_missing_page_switches_to_the_other_languages_home_and_names_no_alternates(
    client, path, other
):
    response = client.get(path)
    assert response.status_code == 404
    document = lxml.html.fromstring(response.content.decode())
    (link,) = document.find_class("language-switch")[0].xpath(".//a")
    assert link.get("href") == other
    assert _alternates(document) == {}


def test_a_search_that_finds_nothing_offers_pages_in_the_readers_language(client):
    from topics.models import TopicPage

    treatments = TopicPage.objects.get(slug="treatments")
    approve_translation(treatments)
    document = _document(client.get("/es/search/", {"q": "xqzzyqw"}))
    offered = {
        link.get("href"): (link.text_content().strip(), link.get("lang"))
        for link in document.xpath("//ul[@class='search-help__topics']//a")
    }
    spanish_title = Translation.objects.of(treatments, "es").get().field("title")
    assert offered["/es/treatments/"] == (spanish_title, None)
    untranslated = [lang for _, lang in offered.values() if lang]
    assert untranslated and set(untranslated) == {"en"}, "the others are marked as English"


def test_a_printout_is_dated_in_the_pages_language_even_without_script(client):
    from django.utils import formats, timezone

    today = timezone.localdate()
    english = _document(client.get("/privacy/")).find_class("printed-from")[0].text_content()
    assert f"on {formats.date_format(today, 'F')} {today.day}, {today.year}." in english
    spanish = _document(client.get("/es/privacy/")).find_class("printed-from")[0].text_content()
    months = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
              "septiembre", "octubre", "noviembre", "diciembre"]  # fmt: skip
    assert f"el {today.day} de {months[today.month - 1]} de {today.year}." in spanish
    assert "(" not in spanish
