"""Error pages under /es/ are in Spanish and say so in `<html lang>`, including those rendered
without the database (errors/base.html), which set it themselves."""

import lxml.html
import pytest
from django.test import Client

from front.views import HomeView
from tests.factories import set_clinic

pytestmark = pytest.mark.django_db


def _document(response):
    return lxml.html.fromstring(response.content.decode())


def _text(response):
    return " ".join(_document(response).text_content().split())


def test_a_missing_spanish_page_answers_in_spanish():
    response = Client().get("/es/no-such-page/")
    assert response.status_code == 404
    document = _document(response)
    assert document.get("lang") == "es"
    assert document.xpath("//h1")[0].text_content() == "Página no encontrada"
    assert "No encontramos esa página. Es posible que haya cambiado de dirección." in _text(
        response
    )
    assert document.xpath("//main//a[.='Vaya a la página de inicio']/@href") == ["/es/"]
    assert document.xpath("//main//a[.='consulte los artículos']/@href") == ["/es/articles/"]


def test_a_missing_english_page_stays_english():
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert _document(response).get("lang") == "en"
    assert "Page not found" in _text(response)


def test_a_server_error_on_a_spanish_page_is_spanish(monkeypatch):
    set_clinic(crisis_line="0800 111 222")
    Client().get("/es/safety/")  # rendered: the values are this process's newest

    def broken(self, request, *args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(HomeView, "get", broken)
    response = Client(raise_request_exception=False).get("/es/")
    assert response.status_code == 500
    document = _document(response)
    assert document.get("lang") == "es"
    text = _text(response)
    assert "Algo salió mal de nuestro lado" in text
    assert "Intente de nuevo en unos minutos." in text
    assert "Saltar al contenido principal" in text
    assert "0800 111 222" in text, "with the crisis numbers last published"
    assert "Something went wrong" not in text


def test_a_spanish_form_body_in_another_charset_is_refused_in_spanish():
    body = "message=hola".encode("utf-16")
    response = Client().generic(
        "POST",
        "/es/enquire/",
        data=body,
        content_type="application/x-www-form-urlencoded; charset=utf-16",
    )
    assert response.status_code == 400
    assert _document(response).get("lang") == "es"
    text = _text(response)
    assert "No pudimos leer lo que se envió" in text
    assert "Este formulario se envió con la codificación de caracteres utf-16" in text
    assert "no se guardó nada" in text


def test_the_database_gone_answers_a_spanish_page_in_spanish(
    committed_seed, database_outage, monkeypatch
):
    from pagecache import middleware
    from tests.outage import ProductionClient

    monkeypatch.setattr(middleware, "DATABASE_RETRY_SECONDS", 0.3)
    visitor = ProductionClient(raise_request_exception=False)
    assert visitor.get("/es/enquire/").status_code == 200
    database_outage.cut()
    response = visitor.get("/es/enquire/")
    assert response.status_code == 503
    assert _document(response).get("lang") == "es"
    assert "Esta página no está disponible en este momento" in _text(response)
