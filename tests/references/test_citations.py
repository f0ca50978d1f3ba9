"""Citation numbering on a page: first appearance order, repeats, unknown keys."""

import pytest

from references.citations import cited_keys, number_citations
from references.models import Reference
from tests.factories import make_article, make_reference


@pytest.fixture
def three_references(db):
    return [make_reference(key=key) for key in ("alpha", "beta", "gamma")]


def _page(*bodies):
    article = make_article(sections=bodies)
    sections = list(article.sections.all())
    return number_citations(sections, Reference.objects.cited_in(sections))


def test_numbers_follow_first_appearance_not_key_or_creation_order(three_references):
    page = _page("First [@gamma], then [@alpha].", "Later [@beta].")
    assert [entry.reference.key for entry in page.references] == ["gamma", "alpha", "beta"]
    assert [entry.number for entry in page.references] == [1, 2, 3]
    assert 'href="#ref-1"' in page.sections[0].html
    assert page.sections[0].html.index("#ref-1") < page.sections[0].html.index("#ref-2")


def test_a_repeated_reference_keeps_its_number_and_gets_a_backlink_per_use(three_references):
    page = _page("One [@beta].", "Two [@alpha; @beta].", "Three [@beta].")
    beta = next(entry for entry in page.references if entry.reference.key == "beta")
    assert beta.number == 1
    assert beta.backlinks == ["cite-1-1", "cite-1-2", "cite-1-3"]
    assert len(page.references) == 2
    html = "".join(section.html for section in page.sections)
    for backlink in beta.backlinks:
        assert f'id="{backlink}"' in html


def test_unknown_key_is_dropped_without_breaking_the_rest(three_references):
    page = _page("Known [@alpha; @missing]. Only unknown [@missing].")
    html = page.sections[0].html
    assert [entry.reference.key for entry in page.references] == ["alpha"]
    assert "missing" not in html
    assert html.count('<sup class="citation">') == 1


def test_cited_keys_reads_markers_in_order_without_duplicates():
    html = '<p>a <sup data-cite="b a">x</sup> <sup data-cite="c a">y</sup></p>'
    assert cited_keys(html) == ["b", "a", "c"]


def test_seed_article_merges_the_duplicate_reference(client, db):
    """The source lists the same paper as references 1 and 6: one entry, cited twice."""
    response = client.get("/articles/who-can-benefit-from-ketamine-therapy/")
    references = response.context["page"].references
    keys = [entry.reference.key for entry in references]
    assert len(keys) == len(set(keys)) == 21
    zunszain = references[0]
    assert zunszain.reference.doi == "10.1038/mp.2013.87"
    assert len(zunszain.backlinks) == 2
    assert response.content.decode().count('href="https://doi.org/10.1038/mp.2013.87"') == 2


def test_a_citation_is_glued_to_the_word_before_it(client, db):
    """A line may break before "claim", never between "claim" and its "[1]"."""
    from tests.factories import make_article, make_reference

    make_reference(key="glue")
    article = make_article(sections=["A claim [@glue]. Another claim,[@glue] close up."])
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'claim\u00a0<sup class="citation">' in html
    assert 'claim,\u2060<sup class="citation">' in html
    assert ' <sup class="citation">' not in html
