""" "¿Le resultó útil esta página?" on Spanish pages: Spanish words and errors, and the answer
records that the page was read in Spanish."""

import lxml.html
import pytest

from articles.models import Article
from feedback.models import PageFeedback

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


@pytest.fixture
def article_key():
    return f"article:{Article.objects.get(slug='who-can-benefit-from-ketamine-therapy').pk}"


def _text(response):
    return " ".join(lxml.html.fromstring(response.content.decode()).text_content().split())


def test_a_spanish_answer_is_stored_as_spanish_and_thanked_in_spanish(client, article_key):
    response = client.post(
        "/es/feedback/", {"page": article_key, "helpful": "yes"}, HTTP_ORIGIN=SITE
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/es/feedback/thanks/?")
    assert PageFeedback.objects.get().language == "es"
    thanks = client.get(response["Location"])
    assert lxml.html.fromstring(thanks.content).get("lang") == "es"
    text = _text(thanks)
    assert "Gracias por su comentario" in text
    assert "Nos ayuda a mejorar estas páginas." in text


def test_a_spanish_answer_without_yes_or_no_is_asked_again_in_spanish(client, article_key):
    response = client.post(
        "/es/feedback/",
        {"page": article_key, "comment": "Me faltó información."},
        HTTP_ORIGIN=SITE,
    )
    assert response.status_code == 200
    assert not PageFeedback.objects.exists()
    text = _text(response)
    assert "Su comentario todavía no se envió" in text
    assert "Hay un problema con su comentario" in text
    assert "Elija sí o no." in text
    assert "Me faltó información." in text, "what they wrote is kept"
    document = lxml.html.fromstring(response.content.decode())
    assert document.xpath("//label[@for='feedback-yes']")[0].text_content() == "Sí"
    assert document.xpath("//form[@class='page-feedback__form']/@action") == ["/es/feedback/"]


def test_a_forged_answer_is_refused_in_plain_spanish(client, article_key):
    response = client.post(
        "/es/feedback/", {"page": article_key, "helpful": "<script>"}, HTTP_ORIGIN=SITE
    )
    text = response.content.decode()
    assert "Elija sí o no." in text
    assert "Escoja una opción válida" not in text, "not Django's stock wording"
    assert "<script>" not in text
