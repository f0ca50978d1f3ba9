"""Key points: three to six plain points first on every page, each leading to its section,
kept in the page's revisions and reviewed with it."""

import lxml.html
import pytest

from articles.models import Article, KeyPoint
from articles.readability import KEY_POINT_GRADE_LIMIT, key_point_grade
from publishing import workflow
from publishing.models import Revision
from tests.admin_forms import form_values, marked_words
from tests.factories import make_article, publish_pending
from topics.models import TopicPage

pytestmark = pytest.mark.django_db

SLUG = "who-can-benefit-from-ketamine-therapy"


def _public_pages():
    return [a.get_absolute_url() for a in Article.objects.live()] + [
        p.get_absolute_url() for p in TopicPage.objects.live()
    ]


def test_every_seed_page_opens_with_three_to_six_plain_key_points_linked_to_sections(client):
    urls = _public_pages()
    assert len(urls) == 8
    for url in urls:
        document = lxml.html.fromstring(client.get(url).content.decode())
        (box,) = document.find_class("key-points")
        points = box.findall(".//li")
        assert 3 <= len(points) <= 6, url
        # Before the first section, and before the contents.
        first_section = document.find_class("section")[0]
        assert box.sourceline < first_section.sourceline, url
        for point in points:
            text = point.text.strip()
            grade = key_point_grade(text)
            assert grade is not None and grade <= KEY_POINT_GRADE_LIMIT, (url, text, grade)
            (link,) = point.findall("a")
            target = link.get("href").removeprefix("#")
            assert document.get_element_by_id(target) is not None, (url, target)
            assert document.get_element_by_id(target).tag == "section"


def _form(client, article):
    return form_values(client.get(f"/admin/articles/article/{article.pk}/change/"))


def _points_prefix(data):
    return int(data["key_points-TOTAL_FORMS"])


def test_key_points_change_through_review_like_the_rest_of_the_page(editor, client):
    article = Article.objects.get(slug=SLUG)
    data = _form(editor, article)
    data["key_points-0-text"] = "Ketamine may help some people feel better fast."
    response = editor.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert (
        "Ketamine may help some people feel better fast."
        not in client.get(article.get_absolute_url()).content.decode()
    )
    revision = Revision.objects.of(article).first()
    assert "changed the key points" in revision.summary
    editor.post(f"/admin/publishing/revision/{revision.pk}/review/", {"action": "submit"})
    review = editor.get(f"/admin/publishing/revision/{revision.pk}/review/")
    assert "feel better fast." in marked_words(review, "ins")
    publish_pending(article)
    assert (
        "Ketamine may help some people feel better fast."
        in client.get(article.get_absolute_url()).content.decode()
    )


def test_a_key_point_above_grade_eight_is_refused_with_its_grade_and_text_kept(editor):
    article = Article.objects.get(slug=SLUG)
    data = _form(editor, article)
    hard = (
        "Subanesthetic intravenous ketamine administration demonstrates considerable "
        "antidepressant efficacy in pharmacologically refractory populations."
    )
    data["key_points-1-text"] = hard
    response = editor.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Reading grade" in page and "above 8" in page and hard in page
    assert not Revision.objects.of(article).exists()


def test_one_or_two_key_points_are_refused_but_none_is_allowed(editor):
    article = make_article(status=Article.Status.DRAFT, sections=["One.", "Two."])
    url = f"/admin/articles/article/{article.pk}/change/"
    data = _form(editor, article)
    data.update(
        {
            "key_points-TOTAL_FORMS": "2",
            "key_points-0-text": "This page has one short point.",
            "key_points-0-anchor": "section-1",
            "key_points-1-text": "And a second short point.",
            "key_points-1-anchor": "section-2",
        }
    )
    refused = editor.post(url, data)
    assert refused.status_code == 200
    assert "Give 3 to 6 key points, or none for now (there are 2)." in refused.content.decode()
    data["key_points-TOTAL_FORMS"] = "0"
    assert editor.post(url, data).status_code == 302
    assert not KeyPoint.objects.filter(article=article).exists()


def test_a_page_without_key_points_is_flagged_on_its_review_and_the_launch_checklist(
    editor, reviewer
):
    from django.core.checks import run_checks

    article = make_article(status=Article.Status.DRAFT, sections=["Text."])
    revision = workflow.submit(article, user=editor.user)
    page = reviewer.get(f"/admin/publishing/revision/{revision.pk}/review/").content.decode()
    assert 'id="no-key-points"' in page
    publish_pending(article)
    messages = [m.msg for m in run_checks(tags=["launch"], include_deployment_checks=True)]
    assert f"Article “{article.title}” is published without key points." in messages
    assert not any("Who Can Benefit" in m and "key points" in m for m in messages)


def test_the_reading_grade_is_given_to_staff_as_they_write_and_to_nobody_else(editor, client):
    url = "/admin/articles/article/key-point-grade/"
    plain = editor.get(url, {"text": "A doctor checks your health before you start."}).json()
    assert plain["ok"] and plain["grade"] <= 8
    hard = editor.get(
        url, {"text": "Pharmacological intervention necessitates comprehensive evaluation."}
    ).json()
    assert not hard["ok"] and "above 8" in hard["message"]
    assert client.get(url, {"text": "x"}).status_code == 302  # to the sign-in page


def test_a_topic_pages_key_points_link_to_the_sections_it_shows(editor, client):
    safety = TopicPage.objects.get(slug="safety")
    data = form_values(editor.get(f"/admin/topics/topicpage/{safety.pk}/change/"))
    document = lxml.html.fromstring(
        editor.get(f"/admin/topics/topicpage/{safety.pk}/change/").content.decode()
    )
    (select,) = document.xpath("//select[@name='key_points-0-section']")
    offered = {int(value) for value in select.xpath("./option/@value") if value}
    assert offered == set(safety.topic_sections.values_list("section_id", flat=True))
    data["key_points-0-text"] = "Staff stay with you the whole time."
    assert editor.post(f"/admin/topics/topicpage/{safety.pk}/change/", data).status_code == 302
    publish_pending(safety)
    assert "Staff stay with you the whole time." in client.get("/safety/").content.decode()
