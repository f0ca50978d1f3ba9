"""The editorial policy page says what the site's own data say: who writes, who reviewed
with what credentials, how often, what kinds of evidence are cited, and how to report a
mistake; the clinic's statements only once written."""

import lxml.html
import pytest

from articles.models import Article
from clinic.models import ClinicSettings
from front.editorial import interval_in_words
from references.models import Reference
from tests.factories import make_article, make_reference, publish_pending
from tests.querycount import rendering_queries

pytestmark = pytest.mark.django_db

URL = "/editorial-policy/"


def _page(client):
    response = client.get(URL)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def _section(document, heading):
    """The text under the h2 `heading`, up to the next h2."""
    (h2,) = document.xpath(f"//h2[.='{heading}']")
    parts = []
    for sibling in h2.itersiblings():
        if sibling.tag == "h2":
            break
        parts.append(" ".join(sibling.text_content().split()))
    return " ".join(parts)


def test_it_is_linked_from_every_footer(client):
    for url in ["/", "/articles/", "/safety/", "/glossary/", URL]:
        footer = lxml.html.fromstring(client.get(url).content).xpath("//footer")[0]
        assert "/editorial-policy/" in footer.xpath(".//a/@href"), url
        assert "/references/how-to-read/" in footer.xpath(".//a/@href"), url


def test_it_names_the_writers_of_the_published_articles(client):
    writers = _section(_page(client), "Who writes our pages")
    for article in Article.objects.live():
        assert article.byline in writers and article.title in writers
    assert "Marie Hasty, RN, for Psychedelic Support: Who Can Benefit" in writers
    assert "ATMA CENA: A Guide to Ketamine Therapy" in writers  # its own publisher, said once
    Article.objects.filter(slug="who-can-benefit-from-ketamine-therapy").update(status="draft")
    writers = _section(_page(client), "Who writes our pages")
    assert "Who Can Benefit" not in writers


def test_before_any_review_it_says_which_pages_no_clinician_has_reviewed(client):
    reviewers = _section(_page(client), "Who reviews them")
    assert "have not yet been reviewed by a clinician" in reviewers
    assert "Ketamine Therapy for Depression" in reviewers


def test_reviewers_and_their_credentials_come_from_the_approvals_that_put_pages_live(client):
    article = Article.objects.get(slug="who-can-benefit-from-ketamine-therapy")
    article.summary += " Reviewed."
    from publishing import workflow

    workflow.save_draft(
        article,
        {
            **workflow.current_content(article),
            "fields": {**workflow.current_content(article)["fields"], "summary": article.summary},
        },
        user=None,
    )
    publish_pending(article, reviewer_name="Rhea Ward, MD, board-certified psychiatrist")
    reviewers = _section(_page(client), "Who reviews them")
    assert "Rhea Ward, MD, board-certified psychiatrist: reviewed 1 published page" in reviewers
    assert article.title not in reviewers.split("not yet been reviewed")[-1]


def test_the_review_interval_is_said_in_words(client):
    said = _section(_page(client), "How often pages are reviewed")
    assert "normally reviewed again at least once a year" in said


def test_the_review_interval_is_the_setting(client, settings):
    settings.REVIEW_INTERVAL_DAYS = 180
    said = _section(_page(client), "How often pages are reviewed")
    assert "normally reviewed again at least every 6 months" in said


@pytest.mark.parametrize(
    "days, words",
    [
        (365, "at least once a year"),
        (730, "at least every 2 years"),
        (182, "at least every 6 months"),
        (30, "at least once a month"),
        (90, "at least every 3 months"),
        (45, "at least every 45 days"),
    ],
)
def test_interval_in_words(days, words):
    assert interval_in_words(days) == words


def test_it_counts_the_kinds_of_evidence_the_published_articles_cite(client):
    counts = _page(client).xpath("//ul[@class='evidence-counts']/li/text()")
    cited = Reference.objects.filter(citing_sections__article__status="published").distinct()
    assert sum(int(line.rsplit(": ", 1)[1]) for line in counts) == cited.count()
    # In the order the guide to references explains them, strongest first.
    assert counts == [
        "Systematic review or meta-analysis: 2",
        "Randomized controlled trial: 1",
        "Review article: 1",
        "Organization's web page: 2",
        "Book: 1",
        "Not yet classified: 14",
    ]


def test_retracted_works_cited_are_owned_up_to(client):
    Reference.objects.filter(key="clark2020").update(retracted=True)
    sources = _section(_page(client), "How we choose and label sources")
    assert "One work our published articles cite has been retracted" in sources


def test_conflicts_and_funding_appear_once_the_clinic_writes_them(client):
    document = _page(client)
    assert not document.xpath("//h2[.='Conflicts of interest']")
    assert not document.xpath("//h2[.='Funding']")
    clinic = ClinicSettings.load()
    clinic.conflicts_of_interest = "The clinic is paid for the treatments these pages describe."
    clinic.funding = "The clinic pays for this website. No drug maker or advertiser does."
    clinic.save()
    document = _page(client)
    assert _section(document, "Conflicts of interest") == clinic.conflicts_of_interest
    assert _section(document, "Funding") == clinic.funding


def test_a_mistake_is_reported_through_the_enquiry_form_with_that_topic(client):
    (link,) = _page(client).xpath("//h2[.='Tell us about a mistake']/following-sibling::p//a")
    assert link.get("href") == "/enquire/?topic=mistake"
    form = lxml.html.fromstring(client.get(link.get("href")).content)
    (chosen,) = form.xpath("//input[@name='topic'][@checked]")
    assert chosen.get("value") == "mistake"


def test_the_page_costs_the_same_queries_however_many_articles_and_references(client):
    few, _response = rendering_queries(client, URL)
    for number in range(3):
        reference = make_reference(key=f"more{number}", evidence_type="guideline")
        make_article(sections=[f"Cites [@{reference.key}]."], author_name=f"Writer {number}")
    many, response = rendering_queries(client, URL)
    assert "Writer 2" in response.content.decode()
    assert len(many) == len(few)
