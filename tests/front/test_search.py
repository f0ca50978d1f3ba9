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
        " ".join(["ketamineketamineketamine"] * 12),  # twelve long unknown words to correct
        "治疗 ketamin 🙂 \u200b spravato_",
        '"nasal spray" OR price',
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
            hits = search("quixotic").hits
        return len(queries), len(hits)

    make_article(sections=["A quixotic note."])
    few_queries, few_hits = count()
    for n in range(30):
        make_article(sections=[f"Quixotic note number {n}."])
    many_queries, many_hits = count()
    assert (few_hits, many_hits) == (1, 20)
    assert many_queries == few_queries == 2


def test_postgres_search_uses_its_index():
    if connection.vendor != "postgresql":
        pytest.skip("the GIN index is PostgreSQL's; SQLite searches its FTS5 table")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT s.id FROM articles_section s "
            "WHERE s.search_vector @@ plainto_tsquery('english', 'anxiety')"
        )
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "front_section_search" in plan


def test_postgres_keeps_each_document_as_it_is_written():
    """The stored document follows every write, as the database fills it."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite rebuilds its FTS5 table from the content version instead")
    from articles.models import Section

    section = Section.objects.get(anchor="ketamine-therapy-for-anxiety")
    Section.objects.filter(pk=section.pk).update(body_text="Nothing but zygomorphic words.")
    assert [hit.url for hit in search("zygomorphic").hits] == [section.get_absolute_url()]
    assert not any(hit.url == section.get_absolute_url() for hit in search("midazolam").hits)


def _editor(django_user_model):
    from django.contrib.auth.models import Group
    from django.test import Client

    user = django_user_model.objects.create_user("eddie", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Content editors"))
    editor = Client()
    editor.force_login(user)
    return editor


def test_pages_holding_more_of_the_question_come_first():
    make_article(sections=["Zygomorphic flowers, nothing else."])
    make_article(sections=["Zygomorphic quixotry and more quixotry."])
    hits = search("what is zygomorphic quixotry").hits
    assert [hit.snippet.count("<mark>") > 1 for hit in hits] == [True, False]
    assert "quixotry" in hits[0].snippet and "quixotry" not in hits[1].snippet


def test_question_words_alone_match_nothing_and_say_what_to_try(client):
    document, results = _results(client, "how is it")
    assert results == []
    assert "No page matched" in document.text_content()


def test_a_misspelt_word_finds_the_page_and_the_page_says_what_it_searched(client):
    make_article(sections=["A quixotic note."])
    document, results = _results(client, "quixotik")
    assert len(results) == 1
    note = " ".join(document.xpath("//p[@class='search-note']")[0].text_content().split())
    assert note == "Also searched for “quixotic” (for “quixotik”)."


def test_short_or_real_words_are_not_taken_for_misspellings():
    make_article(sections=["A quixotic note about the past."])
    assert search("mast").hits == [] and search("mast").corrections == []


def test_words_no_page_holds_are_named_with_the_enquiry_form(client):
    make_article(sections=["A quixotic note."])
    document, results = _results(client, "quixotic pregnancy")
    assert len(results) == 1
    (note,) = document.xpath("//p[@class='search-note']")
    assert "No page mentions “pregnancy”" in note.text_content()
    assert note.xpath(".//a/@href") == ["/enquire/"]


def test_nothing_found_offers_topics_staff_chose_the_enquiry_form_and_the_crisis_line(client):
    from front.models import NoResultTopic
    from topics.models import TopicPage

    document, _ = _results(client, "zzyzx")
    (help_box,) = document.xpath("//main//section[@class='search-help']")
    links = help_box.xpath(".//a/@href")
    assert {"/treatments/", "/candidacy/", "/safety/"} <= set(links), "top-level pages by default"
    assert "/enquire/" in links and "tel:988" in links and "tel:911" in links

    NoResultTopic.objects.create(page=TopicPage.objects.get(slug="safety"), position=2)
    NoResultTopic.objects.create(
        page=TopicPage.objects.get(slug="esketamine-nasal-spray"), position=1
    )
    draft = TopicPage.objects.get(slug="candidacy")
    NoResultTopic.objects.create(page=draft, position=0)
    TopicPage.objects.filter(pk=draft.pk).update(status=TopicPage.Status.DRAFT)
    document, _ = _results(client, "zzyzx")
    topics = document.xpath("//ul[@class='search-help__topics']//a/@href")
    assert topics == ["/treatments/esketamine-nasal-spray/", "/safety/"], "staff's order, live only"


def test_a_synonym_staff_add_changes_the_next_search(client, django_user_model):
    make_article(sections=["A quixotic note."])
    # Searches are never stored (one per made-up query would fill the shared cache).
    assert client.get("/search/", {"q": "chimerical"})["X-Page-Cache"] == "bypass"
    assert _results(client, "chimerical")[1] == []

    editor = _editor(django_user_model)
    response = editor.post("/admin/front/synonymgroup/add/", {"terms": "quixotic, Chimerical"})
    assert response.status_code == 302, response.content.decode()
    _, results = _results(client, "chimerical")
    assert len(results) == 1, "the synonym is searched at once"

    from front.models import SynonymGroup

    group = SynonymGroup.objects.get(terms__contains="chimerical")
    assert group.terms == "quixotic, chimerical"
    editor.post(f"/admin/front/synonymgroup/{group.pk}/delete/", {"post": "yes"})
    assert _results(client, "chimerical")[1] == [], "and forgotten at once"


@pytest.mark.parametrize(
    "terms, message",
    [
        ("price", "Give at least two terms"),
        ("price, price", "Give at least two terms"),
        (", ,", "Give at least two terms"),
        ("price, what it costs in the end", "Keep each term to 4 words"),
    ],
)
def test_a_synonym_group_that_cannot_work_is_refused_with_a_reason(
    django_user_model, terms, message
):
    editor = _editor(django_user_model)
    response = editor.post("/admin/front/synonymgroup/add/", {"terms": terms})
    assert response.status_code == 200 and message in response.content.decode()


def test_content_editors_choose_the_topics_a_search_offers(django_user_model):
    from topics.models import TopicPage

    editor = _editor(django_user_model)
    safety = TopicPage.objects.get(slug="safety")
    response = editor.post("/admin/front/noresulttopic/add/", {"page": safety.pk, "position": 1})
    assert response.status_code == 302
