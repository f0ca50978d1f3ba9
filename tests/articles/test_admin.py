"""Staff edit articles and sections in the admin; a broken citation is refused by key."""

import lxml.html
import pytest

from articles.models import Article, Section
from references.models import Reference
from tests.factories import make_reference, publish_pending

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
    assert 'id="new-section"' not in client.get(article.get_absolute_url()).content.decode()
    publish_pending(article)  # the article is live: the new section waits for review
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


def test_blank_anchor_that_would_collide_gets_a_free_one(staff_client):
    article = Article.objects.get(slug="who-can-benefit-from-ketamine-therapy")
    form = _section_form(article, "More text.")
    form.update(heading="How ketamine works", anchor="")
    assert staff_client.post("/admin/articles/section/add/", form).status_code == 302
    second = _section_form(article, "Even more.")
    second.update(heading="", anchor="")
    assert staff_client.post("/admin/articles/section/add/", second).status_code == 302
    publish_pending(article)
    anchors = list(article.sections.values_list("anchor", flat=True))
    assert "how-ketamine-works-2" in anchors
    assert len(anchors) == len(set(anchors))


@pytest.mark.parametrize("anchor", ["references", "ref-3", "how-ketamine-works-heading"])
def test_anchor_that_would_clash_with_page_ids_is_refused(staff_client, anchor):
    article = Article.objects.get(slug="who-can-benefit-from-ketamine-therapy")
    form = _section_form(article, "Text.")
    form["anchor"] = anchor
    response = staff_client.post("/admin/articles/section/add/", form)
    assert response.status_code == 200
    assert "is used by the page itself" in response.content.decode()


def test_citation_in_the_attribution_is_refused(db):
    from django.core.exceptions import ValidationError

    article = Article.objects.get(slug="who-can-benefit-from-ketamine-therapy")
    article.attribution += "\n\nSee [@andrade2017]."
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "attribution" in error.value.message_dict


def test_section_admin_lists_the_topic_pages_showing_it(staff_client):
    section = Section.objects.get(anchor="during-treatment")
    html = staff_client.get(f"/admin/articles/section/{section.pk}/change/").content.decode()
    assert "Is ketamine therapy safe?" in html


def _form_values(response, form_id):
    return dict(
        lxml.html.fromstring(response.content.decode()).get_element_by_id(form_id).form_values()
    )


def test_renaming_a_cited_reference_is_refused_in_its_admin(staff_client):
    reference = Reference.objects.get(key="andrade2017")
    url = f"/admin/references/reference/{reference.pk}/change/"
    data = _form_values(staff_client.get(url), "reference_form")
    data["key"] = "andrade-renamed"
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "“andrade2017” is cited in sections" in response.content.decode()
    assert Reference.objects.filter(key="andrade2017").exists()


def test_an_uncited_reference_may_be_renamed(staff_client):
    reference = make_reference(key="unused")
    url = f"/admin/references/reference/{reference.pk}/change/"
    data = _form_values(staff_client.get(url), "reference_form")
    data["key"] = "now-named"
    assert staff_client.post(url, data).status_code == 302
    assert Reference.objects.get(pk=reference.pk).key == "now-named"


def test_reference_admin_links_the_sections_citing_it(staff_client):
    reference = Reference.objects.get(key="andrade2017")
    html = staff_client.get(f"/admin/references/reference/{reference.pk}/change/").content.decode()
    citing = Section.objects.filter(cited_references=reference)
    assert citing.exists()
    for section in citing:
        assert f"/admin/articles/section/{section.pk}/change/" in html


def test_a_section_keeps_its_leading_indentation_a_code_block(staff_client, client):
    """Four spaces begin a Markdown code block; a saved section must keep them."""
    article = Article.objects.get(slug="who-can-benefit-from-ketamine-therapy")
    body = "    dose = weight * 0.5\n    print(dose)\n\nThen a paragraph.  \nWith a break."
    response = staff_client.post("/admin/articles/section/add/", _section_form(article, body))
    assert response.status_code == 302
    publish_pending(article)
    section = Section.objects.get(anchor="new-section")
    assert section.body == body
    assert "<pre><code>dose = weight * 0.5" in section.body_html
    assert "<br" in section.body_html, "two trailing spaces are a line break"
    assert "<pre><code>dose" in client.get(article.get_absolute_url()).content.decode()


def test_a_section_of_only_spaces_is_still_refused_as_empty(staff_client):
    article = Article.objects.get(slug="who-can-benefit-from-ketamine-therapy")
    response = staff_client.post("/admin/articles/section/add/", _section_form(article, "   \n "))
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
