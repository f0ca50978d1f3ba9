"""The home page, the article list and the treatments page list pages as the same cards."""

import lxml.html
import pytest

from articles.models import Article

pytestmark = pytest.mark.django_db


def _class(name):
    """An XPath test for one of an element's classes."""
    return f"contains(concat(' ', @class, ' '), ' {name} ')"


CARD_LIST, CARD = _class("card-list"), _class("card")
TITLE, META, GRID = _class("card__title"), _class("card__meta"), _class("card-list--grid")


def _find(client, url, path):
    return lxml.html.fromstring(client.get(url).content).xpath(path)


def test_article_list_cards_carry_title_summary_byline_and_date(client):
    article = Article.objects.get(slug="who-can-benefit-from-ketamine-therapy")
    article.updated_on = article.published_on
    article.save()
    cards = _find(client, "/articles/", f"//ul[{CARD_LIST}]/li[{CARD}]")
    assert len(cards) == 2
    card = next(c for c in cards if c.xpath(".//h2/a/@href") == [article.get_absolute_url()])
    assert card.xpath(f"string(.//h2[{TITLE}]/a)") == article.title
    assert card.xpath("string(.//p[1])") == article.summary
    meta = card.xpath(f".//p[{META}]")[0]
    assert meta.text_content().startswith(f"By {article.byline} · Updated ")
    assert meta.xpath(".//time/@datetime") == [article.updated_on.isoformat()]


def test_home_cards_have_no_dates_and_topic_cards_no_byline(client):
    topics, articles = _find(client, "/", f"//ul[{CARD_LIST}]")
    assert [a.text_content() for a in topics.xpath(f".//h3[{TITLE}]/a")] == [
        "Ketamine treatment options",
        "Who may benefit from ketamine therapy?",
        "Is ketamine therapy safe?",
    ]
    assert not topics.xpath(f".//*[{META}]")
    assert len(articles.xpath(f".//li[{CARD}]")) == 2
    assert articles.xpath(f".//*[{META}]")
    assert not articles.xpath(".//time")


def test_treatments_are_cards_in_a_grid(client):
    links = _find(client, "/treatments/", f"//ul[{GRID}]/li[{CARD}]//h3/a/@href")
    assert links == [
        "/treatments/esketamine-nasal-spray/",
        "/treatments/iv-ketamine-infusion/",
        "/treatments/ketamine-assisted-psychotherapy/",
    ]


def test_with_nothing_published_the_article_list_says_so(client):
    Article.objects.update(status=Article.Status.DRAFT)
    items = _find(client, "/articles/", f"//ul[{CARD_LIST}]/li")
    assert [item.text_content().strip() for item in items] == ["No articles are published yet."]
