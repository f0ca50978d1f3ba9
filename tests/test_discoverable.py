"""Search engines find every public page and no draft; the crisis strip is on every page."""

import lxml.etree
import lxml.html
import pytest

from articles.models import Article
from topics.models import TopicPage

pytestmark = pytest.mark.django_db
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://clinic.example"


def _sitemap(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    tree = lxml.etree.fromstring(response.content)
    return {
        url.findtext("s:loc", namespaces=SITEMAP_NS).removeprefix(
            "https://clinic.example"
        ): url.findtext("s:lastmod", namespaces=SITEMAP_NS)
        for url in tree.findall("s:url", namespaces=SITEMAP_NS)
    }


def test_the_sitemap_lists_every_public_page_with_its_date(client):
    urls = _sitemap(client)
    # The seed's dated article was published in 2022 and updated in 2024; the guide has no date.
    assert urls["/articles/who-can-benefit-from-ketamine-therapy/"] == "2024-08-19"
    assert urls["/articles/ketamine-therapy-for-depression-guide/"] is None
    assert all(url.startswith("/") for url in urls), "every address is on SITE_URL"
    for page in TopicPage.objects.live():
        assert page.get_absolute_url() in urls
    fixed_pages = ["/", "/articles/", "/enquire/", "/privacy/", "/accessibility/"]
    for fixed in [*fixed_pages, "/editorial-policy/", "/references/how-to-read/"]:
        assert fixed in urls
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_the_sitemap_lists_no_draft(client):
    Article.objects.filter(slug="who-can-benefit-from-ketamine-therapy").update(status="draft")
    TopicPage.objects.filter(slug="treatments").update(status="draft")
    urls = _sitemap(client)
    assert "/articles/who-can-benefit-from-ketamine-therapy/" not in urls
    assert not any(url.startswith("/treatments/") for url in urls), (
        "treatments go with their parent"
    )


def test_robots_txt_keeps_staff_pages_out_and_names_the_sitemap(client):
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in text.splitlines()
    assert "Disallow: /search/" in text.splitlines()
    search = lxml.html.fromstring(client.get("/search/", {"q": "ketamine"}).content)
    assert search.xpath("//meta[@name='robots']/@content") == ["noindex"]
    assert "Sitemap: https://clinic.example/sitemap.xml" in text.splitlines()


@pytest.mark.parametrize("url", ["/", "/safety/", "/articles/", "/privacy/", "/enquire/"])
def test_every_page_starts_with_the_crisis_numbers(client, url):
    document = lxml.html.fromstring(client.get(url).content)
    body = document.xpath("//body")[0]
    strip = body.xpath("./aside[@class='crisis-strip'][following-sibling::header]")
    assert strip, "the strip comes before the header"
    assert body.xpath("./*[2]")[0] is strip[0], "first after the skip link"
    assert strip[0].xpath(".//a/@href") == ["tel:988", "sms:988", "tel:911"]


def test_crisis_strip_wording_is_edited_in_the_admin(client):
    from clinic.models import ClinicSettings

    clinic = ClinicSettings.load()
    clinic.crisis_strip_label = "In crisis right now?"
    clinic.save()
    document = lxml.html.fromstring(client.get("/safety/").content)
    assert document.xpath("//aside[@class='crisis-strip']//p/text()") == ["In crisis right now?"]


@pytest.mark.parametrize(
    "url", ["/articles/who-can-benefit-from-ketamine-therapy/", "/safety/", "/candidacy/"]
)
def test_article_and_topic_pages_end_with_a_next_step(client, url):
    document = lxml.html.fromstring(client.get(url).content)
    (section,) = document.xpath("//section[@class='next-step']")
    assert "/enquire/" in section.xpath(".//a/@href")[0]
