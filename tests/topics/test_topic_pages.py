"""Topic pages compose article sections: shared edits, fresh numbering, one reference list."""

import re

import lxml.html
import pytest
from django.db.models.fields.files import FieldFile

from articles.models import Article, Section
from tests.factories import make_article, make_reference, make_section, make_topic_page
from tests.querycount import rendering_queries
from topics.models import TopicPage

pytestmark = pytest.mark.django_db

TOPIC_URLS = {
    "/treatments/": "Ketamine treatment options",
    "/treatments/esketamine-nasal-spray/": "Esketamine (Spravato) nasal spray",
    "/treatments/iv-ketamine-infusion/": "Intravenous (IV) ketamine infusion",
    "/treatments/ketamine-assisted-psychotherapy/": "Ketamine-assisted psychotherapy (KAP)",
    "/candidacy/": "Who may benefit from ketamine therapy?",
    "/safety/": "Is ketamine therapy safe?",
}
TWO_MODELS = "Two models: infusion only or combined with therapy"
CHOOSING = "Choosing a Ketamine Provider"
PREPARATION, DURING, RECOVERY = (
    "Pre-Treatment Preparation",
    "During Treatment",
    "Post-Treatment Recovery",
)
NOT_APPROPRIATE = "Who is ketamine therapy not appropriate for?"
SCREENING = "Medical Screening and Contraindications"
# Each seed topic page's section headings, in order, as the clinic composed them.
SEED_HEADINGS = {
    "/treatments/": ["Types of Ketamine Therapy: Understanding Your Options", TWO_MODELS, CHOOSING],
    "/treatments/esketamine-nasal-spray/": [
        "Esketamine (Spravato) Nasal Spray",
        "Effectiveness and Research Evidence",
        PREPARATION,
        DURING,
        RECOVERY,
        CHOOSING,
    ],
    "/treatments/iv-ketamine-infusion/": [
        "Intravenous (IV) Ketamine",
        TWO_MODELS,
        PREPARATION,
        DURING,
        RECOVERY,
        CHOOSING,
    ],
    "/treatments/ketamine-assisted-psychotherapy/": [
        "Ketamine-Assisted Psychotherapy (KAP)",
        TWO_MODELS,
        PREPARATION,
        DURING,
        RECOVERY,
        "Duration of Benefits",
    ],
    "/candidacy/": [
        "Who Is a Candidate for Ketamine Therapy?",
        "Primary Indications",
        "Ketamine Therapy for Treatment-Resistant Depression",
        "Ketamine Therapy for Anxiety",
        "Ketamine for Patients with PTSD",
        "Ketamine Therapy for Bipolar Disorder",
        "Ketamine Therapy for Chronic Pain",
        NOT_APPROPRIATE,
        SCREENING,
        "Making the Decision: Is Ketamine Therapy Right for You?",
    ],
    "/safety/": [
        "Safety Profile and Side Effects",
        DURING,
        RECOVERY,
        SCREENING,
        NOT_APPROPRIATE,
        CHOOSING,
    ],
}


def _document(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response, lxml.html.fromstring(response.content)


@pytest.mark.parametrize("url, title", TOPIC_URLS.items())
def test_topic_page_shows_its_sections_with_their_source(client, url, title):
    response, document = _document(client, url)
    assert document.findtext(".//h1") == title
    page = response.context["page"]
    expected = SEED_HEADINGS[url]
    assert [part.heading for part in page.sections] == expected
    sources = document.xpath("//p[@class='section__source']/a/text()")
    assert len(sources) == len(expected)
    assert set(sources) <= set(Article.objects.values_list("title", flat=True))


def test_candidacy_covers_the_conditions_and_who_it_may_not_suit(client):
    _, document = _document(client, "/candidacy/")
    headings = " ".join(document.xpath("//main//h2/text()"))
    for expected in [
        "Treatment-Resistant Depression",
        "Anxiety",
        "PTSD",
        "Bipolar",
        "Chronic Pain",
        "not appropriate",
        "Medical Screening",
    ]:
        assert expected in headings


def test_pages_showing_a_section_include_those_citing_it_in_the_comparison(db):
    during = Section.objects.get(anchor="during-treatment")
    pages = {page.get_absolute_url() for page in TopicPage.objects.showing(during)}
    assert pages == {url for url, headings in SEED_HEADINGS.items() if DURING in headings}
    choosing = Section.objects.get(anchor="choosing-a-ketamine-provider")
    # Not among the KAP page's sections, but its comparison cells do not cite it either.
    assert "/treatments/ketamine-assisted-psychotherapy/" not in {
        page.get_absolute_url() for page in TopicPage.objects.showing(choosing)
    }
    not_for = Section.objects.get(anchor="who-is-ketamine-therapy-not-appropriate-for")
    # A comparison cell of the KAP page cites it, though the page does not show it.
    assert "/treatments/ketamine-assisted-psychotherapy/" in {
        page.get_absolute_url() for page in TopicPage.objects.showing(not_for)
    }


def test_editing_a_section_changes_every_page_that_shows_it(client):
    during = Section.objects.get(anchor="during-treatment")
    pages = [url for url, headings in SEED_HEADINGS.items() if DURING in headings]
    during.body = "Monitoring text rewritten by the clinic’s reviewer."
    during.save()
    for url in [*pages, during.article.get_absolute_url()]:
        assert (
            "Monitoring text rewritten by the clinic’s reviewer."
            in client.get(url).content.decode()
        )


def test_citations_are_numbered_afresh_on_each_page(client):
    """On the article, the WHO fact sheet is reference 3; on the candidacy page it comes first."""
    article_page = client.get("/articles/who-can-benefit-from-ketamine-therapy/").context["page"]
    topic_page = client.get("/candidacy/").context["page"]
    number_on = lambda page: {entry.reference.key: entry.number for entry in page.references}  # noqa: E731
    assert number_on(article_page)["who-depression"] == 3
    assert number_on(topic_page)["who-depression"] == 1
    assert [entry.number for entry in topic_page.references] == list(
        range(1, len(topic_page.references) + 1)
    )


def test_a_reference_cited_by_two_articles_is_listed_once(client):
    shared = make_reference(key="shared-ref")
    first = make_article(sections=["From the first article [@shared-ref]."])
    second = make_article(sections=["From the second article [@shared-ref]."])
    topic = make_topic_page(sections=[*first.sections.all(), *second.sections.all()])
    response, document = _document(client, topic.get_absolute_url())
    entries = response.context["page"].references
    assert [entry.reference for entry in entries] == [shared]
    assert entries[0].backlinks == ["cite-1-1", "cite-1-2"]
    assert len(document.xpath("//ol[@class='reference-list']/li")) == 1


def test_sections_with_the_same_anchor_get_distinct_ids(client):
    first = make_article(sections=["One."])
    second = make_article(sections=["Two."])
    topic = make_topic_page(sections=[*first.sections.all(), *second.sections.all()])
    html = client.get(topic.get_absolute_url()).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert 'href="#section-1"' in html and 'href="#section-1-2"' in html


def test_sections_of_unpublished_articles_are_left_out(client):
    draft = make_article(status=Article.Status.DRAFT, sections=["Draft-only words."])
    live = make_article(sections=["Published words."])
    topic = make_topic_page(sections=[*draft.sections.all(), *live.sections.all()])
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "Published words." in html
    assert "Draft-only words." not in html


def test_draft_topic_page_is_not_found_nor_listed(client):
    draft = make_topic_page(status=TopicPage.Status.DRAFT, title="Unfinished topic")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Unfinished topic" not in client.get("/").content.decode()


def test_other_addresses_of_a_page_redirect_to_its_own(client):
    response = client.get("/topics/safety/")
    assert response.status_code == 301
    assert response.headers["Location"] == "/safety/"


def _queries(client, url):
    queries, _ = rendering_queries(client, url)
    return len(queries)


def test_topic_page_query_count_does_not_grow_with_sections(client):
    def topic_with(count):
        references = [make_reference() for _ in range(count)]
        articles = [
            make_article(sections=[f"Claim [@{reference.key}]."]) for reference in references
        ]
        return make_topic_page(
            sections=[article.sections.get() for article in articles]
        ).get_absolute_url()

    small, large = topic_with(2), topic_with(30)
    # Key points, glossary and the languages it is translated into too.
    assert _queries(client, small) == _queries(client, large) <= 9


def test_treatments_page_query_count_does_not_grow_with_treatments(client):
    baseline = _queries(client, "/treatments/")
    parent = TopicPage.objects.get(slug="treatments")
    article = make_article()
    for number in range(5):
        make_topic_page(
            parent=parent,
            sections=[make_section(article=article, position=number, anchor=f"t{number}")],
        )
    assert _queries(client, "/treatments/") == baseline


def test_comparison_table_has_every_treatment_and_aspect_and_links_each_fact(client):
    response, document = _document(client, "/treatments/")
    table = document.find(".//table")
    columns = [th.text_content().strip() for th in table.xpath(".//thead//th")]
    assert columns == [
        "Esketamine nasal spray",
        "IV ketamine infusion",
        "Ketamine-assisted psychotherapy",
    ]
    rows = {row.find("th").text_content().strip(): row for row in table.xpath(".//tbody/tr")}
    assert "FDA-approved in 2019" in rows["Regulatory status"].xpath("td")[0].text_content()
    assert "Off-label" in rows["Regulatory status"].xpath("td")[1].text_content()
    assert "six treatments over 2-3 weeks" in rows["Typical course"].xpath("td")[1].text_content()
    for link in table.xpath(".//a[@class='comparison__source']/@href"):
        path, anchor = link.split("#")
        target = client.get(path).content.decode()
        assert f'id="{anchor}"' in target, link


def test_every_comparison_fact_is_worded_as_in_its_source_section(client):
    """Every number in a fact is in its source section, and most of its words: nothing invented."""
    from topics.models import TreatmentFact

    framing = {"our", "guide", "says", "general"}  # words that attribute, not claim
    for fact in TreatmentFact.objects.select_related("section"):
        body = f"{fact.section.heading} {fact.section.body}".lower()
        for number in re.findall(r"\d+(?:-\d+)?", fact.text):
            assert number in body, (fact.text, number)
        words = [
            w.lower() for w in re.findall(r"[A-Za-z]{3,}", fact.text) if w.lower() not in framing
        ]
        missing = [w for w in words if w not in body]
        assert len(missing) <= len(words) // 4, (fact.text, missing)


def test_treatment_page_is_under_treatments_in_breadcrumbs_and_navigation(client):
    _, document = _document(client, "/treatments/iv-ketamine-infusion/")
    crumbs = document.xpath("//nav[@aria-label='Breadcrumb']//a/text()")
    assert crumbs == ["Home", "Ketamine treatment options"]
    current = document.xpath("//nav[@aria-label='Main']//a[@aria-current]")
    assert [(a.text, a.get("aria-current")) for a in current] == [("Treatments", "true")]
    assert "Two models: infusion only or combined with therapy" in document.text_content()


@pytest.mark.parametrize(
    "url, label",
    [
        ("/", "Home"),
        ("/treatments/", "Treatments"),
        ("/candidacy/", "Who it may help"),
        ("/safety/", "Safety"),
        ("/articles/", "Articles"),
    ],
)
def test_navigation_marks_the_current_page(client, url, label):
    _, document = _document(client, url)
    current = document.xpath("//nav[@aria-label='Main']//a[@aria-current='page']/text()")
    assert current == [label]


def test_crisis_box_is_beside_sections_that_discuss_suicide_only(client):
    _, document = _document(client, "/candidacy/")
    for section in document.xpath("//section[contains(@class, 'section ')]"):
        has_box = bool(section.xpath(".//*[contains(@class, 'crisis-box--inline')]"))
        text = section.text_content().lower()
        discusses = (
            "suicid" in text.replace("if you are thinking about suicide", "") or "self-harm" in text
        )
        assert has_box == discusses, section.get("id")
    trd = document.get_element_by_id("ketamine-therapy-for-treatment-resistant-depression")
    assert trd.xpath(".//a[@href='tel:988']")


def test_deleting_a_section_shown_on_a_topic_page_is_refused_naming_the_page(client, staff_client):
    article = Article.objects.get(slug="ketamine-therapy-for-depression-guide")
    during = article.sections.get(anchor="during-treatment")
    change_url = f"/admin/articles/article/{article.pk}/change/"
    form = staff_client.get(change_url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, FieldFile)
    }
    inlines = staff_client.get(change_url).context["inline_admin_formsets"]
    for inline in inlines:
        data.update(_formset_data(inline.formset))
    formset = next(inline.formset for inline in inlines if inline.formset.prefix == "sections")
    index = next(i for i, f in enumerate(formset.forms) if f.instance.pk == during.pk)
    data[f"sections-{index}-DELETE"] = "on"
    response = staff_client.post(change_url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "protected related objects" in html and "Is ketamine therapy safe?" in html
    assert Section.objects.filter(pk=during.pk).exists()


def _formset_data(formset):
    data = {
        f"{formset.prefix}-TOTAL_FORMS": str(len(formset.forms)),
        f"{formset.prefix}-INITIAL_FORMS": str(formset.initial_form_count()),
    }
    for form in formset.forms:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if hasattr(value, "pk"):
                value = value.pk
            if value is not None:
                data[form.add_prefix(name)] = value
    return data
