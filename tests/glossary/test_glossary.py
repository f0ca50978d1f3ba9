"""The glossary: a page of plain definitions, and each defined term's first use on a page
explained in place, the same HTML for every reader."""

import lxml.html
import pytest

from glossary.marking import Marker
from glossary.models import GlossaryEntry
from publishing import workflow
from publishing.models import Revision
from tests.admin_forms import form_values
from tests.factories import make_article, publish_pending

pytestmark = pytest.mark.django_db

GUIDE = "/articles/ketamine-therapy-for-depression-guide/"


def _document(client, url):
    return lxml.html.fromstring(client.get(url).content.decode())


def test_the_seed_glossary_covers_the_jargon_the_seed_texts_use(client):
    terms = {entry.term for entry in GlossaryEntry.objects.live()}
    for term in (
        "NMDA",
        "BDNF",
        "treatment-resistant depression",
        "SSRI",
        "esketamine",
        "dissociation",
        "off-label",
        "neuroplasticity",
        "infusion",
    ):
        assert term in terms
    document = _document(client, "/glossary/")
    (entry,) = document.xpath("//*[@id='nmda']")
    assert "blocking" in entry.text_content()


def test_the_glossary_is_linked_from_every_footer(client):
    for url in ("/", GUIDE, "/safety/", "/enquire/", "/privacy/"):
        footer = _document(client, url).find_class("site-footer")[0]
        assert footer.xpath(".//a[@href='/glossary/']"), url


def test_a_terms_first_use_on_a_page_is_explained_in_place_and_only_once(client):
    document = _document(client, GUIDE)
    marks = document.xpath("//a[@data-glossary-term]")
    slugs = [mark.get("href").split("#")[1] for mark in marks]
    assert "nmda" in slugs and len(slugs) == len(set(slugs)), "each term once per page"
    (nmda,) = [mark for mark in marks if mark.get("href") == "/glossary/#nmda"]
    definition = document.get_element_by_id(nmda.get("aria-describedby"))
    assert definition.get("hidden") is not None and definition.get("role") == "tooltip"
    assert "blocking" in definition.text_content()
    for mark in marks:  # never inside a heading or a link
        assert not [a for a in mark.iterancestors() if a.tag in {"h2", "h3", "a", "sup"}]


def test_the_page_is_the_same_for_everyone_and_a_draft_term_is_not_used(client, editor):
    GlossaryEntry.objects.create(
        term="ketamine",
        slug="ketamine",
        definition="A drawn definition not yet reviewed.",
        status=GlossaryEntry.Status.DRAFT,
    )
    first = client.get(GUIDE).content
    assert b"not yet reviewed" not in first
    editor.get("/admin/")  # a signed-in visit first changes nothing for the public
    assert client.get(GUIDE).content == first


def test_a_new_term_reaches_the_pages_once_a_reviewer_approves_it(editor, client):
    response = editor.post(
        "/admin/glossary/glossaryentry/add/",
        {
            "term": "ketamine",
            "slug": "ketamine",
            "also_matches": "",
            "definition": "A medicine first used to put people to sleep for surgery.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = GlossaryEntry.objects.get(slug="ketamine")
    assert entry.status == GlossaryEntry.Status.DRAFT
    assert "first used to put people" not in client.get(GUIDE).content.decode()
    assert "first used to put people" not in client.get("/glossary/").content.decode()
    publish_pending(entry)
    assert "first used to put people" in client.get(GUIDE).content.decode()
    assert "first used to put people" in client.get("/glossary/").content.decode()


def test_a_live_terms_change_waits_for_review(editor, client):
    entry = GlossaryEntry.objects.get(slug="nmda")
    url = f"/admin/glossary/glossaryentry/{entry.pk}/change/"
    data = form_values(editor.get(url), field="definition")
    data["definition"] = "A changed definition waiting for review."
    assert editor.post(url, data).status_code == 302
    assert "waiting for review" not in client.get("/glossary/").content.decode()
    revision = Revision.objects.of(entry).first()
    assert "changed the definition" in revision.summary
    publish_pending(entry)
    assert "A changed definition waiting for review." in client.get("/glossary/").content.decode()


def test_terms_are_marked_in_text_only_with_capitals_kept_for_abbreviations():
    entries = [
        GlossaryEntry(pk=1, term="IV", slug="iv", definition="Into a vein."),
        GlossaryEntry(pk=2, term="off-label", slug="off-label", definition="Not approved."),
    ]
    marker = Marker(entries, "/glossary/")
    html = marker.mark(
        '<h2>IV doses</h2><p>Take <a href="/x">IV</a> or iv. Off-label use is IV use.</p>'
    )
    assert html.count("data-glossary-term") == 2
    assert "<h2>IV doses</h2>" in html and '<a href="/x">IV</a>' in html
    assert "or iv." in html  # lower-case "iv" is not the abbreviation
    assert html.index('href="/glossary/#off-label"') < html.index('href="/glossary/#iv"')
    # A second page part: already marked, not again.
    assert "data-glossary-term" not in marker.mark("<p>IV and off-label again.</p>")


def test_the_longest_spelling_of_any_entry_is_marked_before_a_shorter_entry_inside_it():
    # Ordered by term, "psicoterapia" comes first, and the longer term starts with it: the
    # longer one must still win (as in the Spanish glossary).
    entries = [
        GlossaryEntry(pk=1, term="psicoterapia", slug="psicoterapia", definition="Talk."),
        GlossaryEntry(
            pk=2,
            term="psicoterapia asistida con ketamina",
            also_matches="KAP",
            slug="kap",
            definition="Ketamine with talk therapy.",
        ),
    ]
    html = Marker(entries, "/glossary/").mark("<p>La psicoterapia asistida con ketamina.</p>")
    assert 'href="/glossary/#kap"' in html
    assert 'href="/glossary/#psicoterapia"' not in html


def test_the_seed_anesthesiologist_entry_is_marked_where_an_article_uses_the_plural(client):
    document = _document(client, "/articles/who-can-benefit-from-ketamine-therapy/")
    assert document.xpath("//a[@data-glossary-term][@href='/glossary/#anesthesiologist']")


def test_a_definition_is_escaped(client):
    marker = Marker(
        [GlossaryEntry(pk=1, term="NMDA", slug="nmda", definition='<script>x</script> & "q"')],
        "/glossary/",
    )
    html = marker.mark("<p>NMDA</p>")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_related_pages_link_both_ways(client):
    document = _document(client, "/articles/who-can-benefit-from-ketamine-therapy/")
    (related,) = document.find_class("related-pages")
    links = {a.get("href") for a in related.findall(".//a")}
    assert "/candidacy/" in links and "/safety/" in links
    document = _document(client, "/candidacy/")
    (related,) = document.find_class("related-pages")
    links = {a.get("href") for a in related.findall(".//a")}
    assert "/articles/who-can-benefit-from-ketamine-therapy/" in links


def test_a_draft_articles_topic_pages_do_not_list_it(client):
    article = make_article(status="draft", sections=["Text."])
    workflow.record_new_page(article, user=None)
    document = _document(client, "/candidacy/")
    (related,) = document.find_class("related-pages")
    assert article.get_absolute_url() not in {a.get("href") for a in related.findall(".//a")}


def test_the_glossary_is_in_alphabetical_order_whatever_the_case(client):
    terms = [dt.text_content() for dt in _document(client, "/glossary/").xpath("//dt")]
    assert terms == sorted(terms, key=str.casefold)
    assert terms.index("NMDA") > terms.index("anesthetic")
