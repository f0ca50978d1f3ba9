"""Search finds published words, links to their section, never a draft, and takes any input."""

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from front.search import search
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def _results(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    document = lxml.html.fromstring(response.content)
    return document, [
        (a.text_content(), a.get("href"))
        for a in document.xpath("//ol[@class='search-results']//h2/a")
    ]


def test_a_phrase_from_a_section_finds_it_and_links_to_its_anchor(client):
    document, results = _results(client, "electroencephalogram studies")
    assert results[0][1] == (
        "/articles/who-can-benefit-from-ketamine-therapy/#ketamine-therapy-for-anxiety"
    )
    snippet = document.xpath("//p[@class='search-result__snippet']")[0]
    marked = {mark.text.lower() for mark in snippet.xpath(".//mark")}
    assert {"electroencephalogram", "studies"} <= marked


def test_words_match_their_other_forms(client):
    _, results = _results(client, "anxieties")
    assert any("#ketamine-therapy-for-anxiety" in href for _, href in results)


def test_topic_pages_are_found(client):
    _, results = _results(client, "safe")
    assert ("Is ketamine therapy safe?", "/safety/") in results


def test_a_draft_is_never_found(client):
    make_article(
        title="Unreleased", status=Article.Status.DRAFT, sections=["Zygomorphic quixotry."]
    )
    assert _results(client, "zygomorphic")[1] == []
    Article.objects.filter(title="Unreleased").update(status=Article.Status.PUBLISHED)
    assert len(_results(client, "zygomorphic")[1]) == 1
    Article.objects.filter(title="Unreleased").update(status=Article.Status.DRAFT)
    assert _results(client, "zygomorphic")[1] == [], "unpublished: gone from search at once"


def test_written_markup_is_shown_as_text_not_run(client):
    make_article(sections=["Beware `<script>alert(1)</script>` zygomorphic."])
    document, results = _results(client, "zygomorphic")
    assert results
    html = client.get("/search/", {"q": "zygomorphic"}).content.decode()
    assert "<script>alert(1)" not in html


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        '"',
        "' OR 1=1 --",
        "NEAR(ketamine anxiety)",
        "title:ketamine",
        "ketamine*",
        "-ketamine",
        "a" * 10_000,
        "ketamine\x00anxiety",
        "🙂 ketamine",
        "<script>alert(1)</script>",
        "the of and",
    ],
    ids=lambda q: repr(q[:20]),
)
def test_any_query_gets_a_page_never_an_error(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert b"<script>alert(1)" not in response.content


def test_the_header_search_box_works_without_script(client):
    document = lxml.html.fromstring(client.get("/safety/").content)
    (form,) = document.xpath("//header//form[@role='search']")
    assert form.get("action") == "/search/" and form.get("method") == "get"
    assert form.xpath(".//input[@name='q']") and form.xpath(".//label[@for='site-search-q']")


def test_the_query_count_does_not_grow_with_content(client):
    def count():
        search("quixotic")  # builds SQLite's index, as the first search after a change does
        with CaptureQueriesContext(connection) as queries:
            hits = search("quixotic")
        return len(queries), len(hits)

    make_article(sections=["A quixotic note."])
    few_queries, few_hits = count()
    for n in range(30):
        make_article(sections=[f"Quixotic note number {n}."])
    many_queries, many_hits = count()
    assert (few_hits, many_hits) == (1, 20)
    assert many_queries == few_queries <= 5


def test_postgres_search_uses_its_index():
    if connection.vendor != "postgresql":
        pytest.skip("the GIN index is PostgreSQL's; SQLite searches its FTS5 table")
    from front.search import SECTION_DOCUMENT

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            f"EXPLAIN SELECT s.id FROM articles_section s "
            f"WHERE {SECTION_DOCUMENT} @@ plainto_tsquery('english', 'anxiety')"
        )
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "articles_section_search" in plan
