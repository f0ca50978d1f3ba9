"""Search engines and link previews understand every page: canonical address, Open Graph, JSON-LD."""

import datetime
import json

import lxml.html
import pytest

from articles.models import Article
from clinic.models import ClinicSettings
from topics.models import TopicPage

pytestmark = pytest.mark.django_db
ARTICLE = "/articles/who-can-benefit-from-ketamine-therapy/"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://clinic.example"


def _document(client, url):
    return lxml.html.fromstring(client.get(url).content)


def _ld(document):
    (script,) = document.xpath("//script[@type='application/ld+json']")
    return json.loads(script.text)


@pytest.mark.parametrize("url", ["/", "/articles/", ARTICLE, "/safety/", "/privacy/", "/enquire/"])
def test_every_page_names_its_canonical_address_and_describes_itself(client, url):
    document = _document(client, f"{url}?utm_source=news")
    assert document.xpath("//link[@rel='canonical']/@href") == [f"https://clinic.example{url}"]
    assert document.xpath("//meta[@property='og:url']/@content") == [f"https://clinic.example{url}"]
    (description,) = document.xpath("//meta[@name='description']/@content")
    assert len(description) > 20
    assert document.xpath("//meta[@property='og:title']/@content")


def test_an_article_is_a_medical_web_page_citing_its_dois(client):
    document = _document(client, ARTICLE)
    assert document.xpath("//meta[@property='og:type']/@content") == ["article"]
    assert document.xpath("//meta[@property='og:title']/@content") == [
        "Who Can Benefit From Ketamine Therapy?"
    ]
    data = _ld(document)
    assert data["@type"] == "MedicalWebPage"
    assert data["name"] == "Who Can Benefit From Ketamine Therapy?"
    assert data["datePublished"] == "2022-02-07" and data["dateModified"] == "2024-08-19"
    assert data["publisher"] == {"@type": "Organization", "name": "Psychedelic Support"}
    assert data["author"] == {"@type": "Person", "name": "Marie Hasty", "honorificSuffix": "RN"}
    dois = [citation["identifier"] for citation in data["citation"]]
    assert "doi:10.1016/j.biopsych.2015.04.022" in dois
    assert "lastReviewed" not in data and "reviewedBy" not in data, "never reviewed: not claimed"


def test_review_dates_and_reviewer_are_carried_once_reviewed(client):
    TopicPage.objects.filter(slug="safety").update(
        reviewed_by="A. Clinician, MD",
        last_reviewed_on=datetime.date(2026, 11, 2),
        next_review_on=datetime.date(2027, 11, 2),
    )
    data = _ld(_document(client, "/safety/"))
    assert data["lastReviewed"] == "2026-11-02"
    assert data["reviewedBy"] == {"@type": "Person", "name": "A. Clinician, MD"}


def test_the_home_page_names_the_clinic_with_only_what_it_supplied(client):
    data = _ld(_document(client, "/"))
    assert data == {
        "@context": "https://schema.org",
        "@type": "MedicalClinic",
        "name": "ATMA CENA",
        "url": "https://clinic.example/",
    }
    clinic = ClinicSettings.load()
    clinic.phone = "555 010 0199"
    clinic.save()
    assert _ld(_document(client, "/"))["telephone"] == "555 010 0199"


def test_json_ld_cannot_be_broken_out_of(client):
    Article.objects.filter(slug="who-can-benefit-from-ketamine-therapy").update(
        summary="</script><script>alert(1)</script>"
    )
    html = client.get(ARTICLE).content.decode()
    assert "</script><script>alert(1)" not in html
    assert _ld(lxml.html.fromstring(html))["description"] == "</script><script>alert(1)</script>"
