"""Staff edit articles and sections in the admin; a broken citation is refused by key."""

import pytest

from articles.models import Article, Section

pytestmark = pytest.mark.django_db


def _section_form(article, body):
    return {
        "article": article.pk,
        "position": "999",
        "level": "2",
        "heading": "New section",
        "anchor": "new-section",
        "body": body,
    }


def test_section_citing_an_unknown_key_is_refused_with_the_key_named(staff_client):
    article = Article.objects.get(slug="who-can-benefit-from-ketamine-therapy")
    response = staff_client.post(
        "/admin/articles/section/add/",
        _section_form(article, "A claim [@zunszain2013; @smith-1999-typo]."),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Unknown citation key: @smith-1999-typo" in html
    assert "A claim [@zunszain2013; @smith-1999-typo]." in html  # the input is kept
    assert not Section.objects.filter(anchor="new-section").exists()


def test_section_with_known_citations_is_saved_and_shown(staff_client, client):
    article = Article.objects.get(slug="who-can-benefit-from-ketamine-therapy")
    response = staff_client.post(
        "/admin/articles/section/add/", _section_form(article, "A claim [@andrade2017].")
    )
    assert response.status_code == 302
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'id="new-section"' in html


def test_article_admin_pages_render_with_the_markdown_editor(staff_client):
    article = Article.objects.get(slug="who-can-benefit-from-ketamine-therapy")
    response = staff_client.get(f"/admin/articles/article/{article.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "markdownx" in html
    assert "Ketamine Therapy for Anxiety" in html


@pytest.mark.parametrize("term", ["Zunszain", "10.1038/mp.2013.87", "31255681", "synaptogenesis"])
def test_references_are_searchable_by_author_doi_pmid_and_title(staff_client, term):
    response = staff_client.get("/admin/references/reference/", {"q": term})
    assert response.status_code == 200
    keys = response.context["cl"].result_list.values_list("key", flat=True)
    expected = {
        "Zunszain": "zunszain2013",
        "10.1038/mp.2013.87": "zunszain2013",
        "31255681": "verdonk2019",
        "synaptogenesis": "zunszain2013",
    }[term]
    assert expected in keys
