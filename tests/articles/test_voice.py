"""A source's publisher speaking of itself is kept on its article, left out of topic pages."""

import lxml.html
import pytest

from articles.rendering import render_markdown
from tests.factories import make_article, make_reference, make_topic_page

pytestmark = pytest.mark.django_db

COURSE = "can check out our online ketamine course"
BELIEF = "We believe that psychotherapy and ketamine is the best way"
HASTY = "/articles/who-can-benefit-from-ketamine-therapy/"


def _text(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return " ".join(lxml.html.fromstring(response.content).text_content().split())


def test_marked_text_renders_as_a_span_with_markdown_inside():
    html = render_markdown("Plain. {{We sell *courses* [@x].}} More.")
    assert '<span data-voice="publisher">We sell <em>courses</em> <sup data-cite="x">' in html
    assert "{{" not in html


def test_the_article_keeps_every_sentence(client):
    text = _text(client, HASTY)
    assert COURSE in text and BELIEF in text
    assert "{{" not in text


@pytest.mark.parametrize(
    "url",
    ["/candidacy/", "/safety/", "/treatments/", "/treatments/ketamine-assisted-psychotherapy/"],
)
def test_topic_pages_leave_the_publishers_own_voice_out(client, url):
    text = _text(client, url)
    assert COURSE not in text and BELIEF not in text
    assert "{{" not in text


def test_a_source_cited_only_in_left_out_text_is_not_listed(client):
    make_reference(key="selfpromo", title="Our own brochure")
    make_reference(key="kept", title="A kept study")
    article = make_article(sections=["A finding [@kept]. {{Buy our course [@selfpromo].}}"])
    page = make_topic_page(sections=[article.sections.get()])
    topic = _text(client, page.get_absolute_url())
    assert "A kept study" in topic and "Our own brochure" not in topic
    assert "Buy our course" not in topic
    assert "Our own brochure" in _text(client, article.get_absolute_url())
