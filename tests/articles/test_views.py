"""Public article pages: content, anchors, drafts and a fixed query budget."""

import re

import pytest

from articles.models import Article
from tests.factories import make_article, make_reference
from tests.querycount import rendering_queries

SEED_SLUGS = ["ketamine-therapy-for-depression-guide", "who-can-benefit-from-ketamine-therapy"]

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", SEED_SLUGS)
def test_every_in_page_link_has_a_target_and_ids_are_unique(client, slug):
    html = client.get(f"/articles/{slug}/").content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "duplicate ids"
    fragments = re.findall(r'href="#([^"]+)"', html)
    assert fragments, "the page should link within itself"
    assert set(fragments) <= set(ids)


def test_article_page_shows_byline_dates_and_contents(client):
    response = client.get("/articles/who-can-benefit-from-ketamine-therapy/")
    html = response.content.decode()
    assert "By Marie Hasty, RN" in html
    assert '<time datetime="2022-02-07">7 February 2022</time>' in html
    assert '<time datetime="2024-08-19">19 August 2024</time>' in html
    assert '<a href="#ketamine-therapy-for-anxiety">Ketamine Therapy for Anxiety</a>' in html


def test_reference_list_links_doi_pubmed_and_pmc(client):
    html = client.get("/articles/who-can-benefit-from-ketamine-therapy/").content.decode()
    assert 'href="https://doi.org/10.1016/j.biopsych.2015.04.022"' in html
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/26037911/"' in html
    assert 'href="https://pmc.ncbi.nlm.nih.gov/articles/PMC4633406/"' in html


def test_article_list_shows_published_articles_only(client, db):
    make_article(title="Hidden draft", status=Article.Status.DRAFT)
    html = client.get("/articles/").content.decode()
    assert "Who Can Benefit From Ketamine Therapy?" in html
    assert "Hidden draft" not in html


def test_draft_article_is_not_found(client, db):
    draft = make_article(status=Article.Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_unknown_key_in_stored_content_does_not_break_the_page(client, db):
    make_reference(key="known")
    # Section.save() stores what it is given; only forms validate keys, so this
    # stands for a reference deleted or renamed after it was cited.
    article = make_article(sections=["Fine [@known]. Broken [@deleted-ref]."])
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#ref-1"' in html
    assert "deleted-ref" not in html


def _article_with(count, db):
    references = [make_reference(key=f"budget{count}-{n}") for n in range(count)]
    bodies = [f"Claim number {n} [@{reference.key}]." for n, reference in enumerate(references)]
    return make_article(sections=bodies)


def _queries_for(client, article):
    queries, response = rendering_queries(client, article.get_absolute_url())
    return len(queries), response


def test_article_page_query_count_does_not_grow_with_sections_and_citations(client, db):
    small_count, small = _queries_for(client, _article_with(3, db))
    large_count, large = _queries_for(client, _article_with(60, db))
    assert len(large.context["page"].references) == 60
    assert large.content.decode().count('<sup class="citation">') == 60
    assert small_count == large_count
    # Article and sections, key points, cited references and authors, glossary, related pages,
    # the languages it is translated into.
    assert large_count <= 10


def test_article_list_shows_the_update_date_where_there_is_one(client):
    html = client.get("/articles/").content.decode()
    assert 'Updated <time datetime="2024-08-19">19 August 2024</time>' in html
    assert '<time datetime="2022-02-07">' not in html
