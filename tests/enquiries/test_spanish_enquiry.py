"""An enquiry sent from /es/enquire/: the form, its errors and its thank-you are in Spanish, the
enquiry records "es" (also when held during a database outage), staff see the language in the
admin and the export, and the staff email is the same English one, without the enquirer's words.

The Spanish asserted here is what a Spanish reader must see: it is written out, not looked up."""

import csv
import io
import re
import time

import lxml.html
import pytest
import redis

from enquiries import hold
from enquiries.models import Enquiry
from enquiries.notifications import deliver_due
from pagecache import middleware
from tests.admin_forms import form_values
from tests.factories import enquiry_data, set_clinic
from tests.outage import ProductionClient

pytestmark = pytest.mark.django_db

SPANISH = "/es/enquire/"
ENGLISH = "/enquire/"
HANDLERS = "Enquiry handlers"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.ENQUIRY_DEFAULT_RECIPIENTS = ["desk@clinic.example"]
    settings.SITE_URL = "https://clinic.example"


def _document(response):
    return lxml.html.fromstring(response.content.decode())


def _text(response):
    return " ".join(_document(response).text_content().split())


def test_the_spanish_form_speaks_spanish_and_posts_to_its_own_address(client):
    response = client.get(SPANISH)
    assert response.status_code == 200
    document = _document(response)
    assert document.get("lang") == "es"
    assert document.xpath("//h1")[0].text_content() == "Envíenos una consulta"
    (form,) = document.xpath("//form[@id='enquiry-form']")
    assert form.get("action") == SPANISH
    text = " ".join(form.text_content().split())
    for words in [
        "Su nombre",
        "Correo electrónico",
        "Número de teléfono",
        "¿Cómo quiere que nos comuniquemos con usted?",
        "¿Sobre qué es su consulta?",
        "Costos y seguro médico",
        "Otro tema",
        "Su mensaje",
        "Hasta 3000 caracteres.",
        "Acepto que ATMA CENA guarde esta consulta",
        "Enviar consulta",
    ]:
        assert words in text, words
    assert form.xpath(".//label/a[.='aviso de privacidad']/@href") == ["/es/privacy/"]
    assert "Este formulario no es para emergencias" in _text(response)
    assert "Your name" not in text and "Send enquiry" not in text


def test_a_spanish_enquiry_with_mistakes_comes_back_in_spanish_with_its_words_kept(client):
    data = enquiry_data(name="", message="", email="ana@example.org", phone="12")
    response = client.post(SPANISH, data)
    assert response.status_code == 200
    assert not Enquiry.objects.exists()
    document = _document(response)
    assert document.get("lang") == "es"
    assert document.findtext(".//title").startswith("Error: Envíenos una consulta")
    summary = " ".join(document.get_element_by_id("error-summary").text_content().split())
    assert "Hay 3 problemas con su consulta" in summary
    for error in [
        "Escriba su nombre.",
        "Escriba su mensaje.",
        "Escriba un número de teléfono con dígitos, por ejemplo 555 010 0199.",
    ]:
        assert error in summary, error
    (form,) = document.xpath("//form[@id='enquiry-form']")
    assert form.fields["email"] == "ana@example.org", "what they typed is kept"
    assert form.fields["phone"] == "12"
    assert "Enter your name" not in response.content.decode()


def test_a_spanish_enquiry_is_stored_as_spanish_and_thanked_in_spanish(client):
    response = client.post(SPANISH, enquiry_data(topic="candidacy"))
    assert response.status_code == 302
    assert response["Location"] == "/es/enquire/thanks/"
    enquiry = Enquiry.objects.get()
    assert enquiry.language == "es"
    assert enquiry.topic == "candidacy"

    thanks = client.get(response["Location"])
    document = _document(thanks)
    assert document.get("lang") == "es"
    assert document.xpath("//h1")[0].text_content() == "Gracias: recibimos su consulta"
    text = _text(thanks)
    assert f"Su número de referencia es {enquiry.reference}." in text
    assert "Qué pasa ahora" in text
    assert "Nunca enviaremos su mensaje por correo electrónico" in text
    # A reload: the reference is gone, the words stay Spanish.
    again = _text(client.get(response["Location"]))
    assert "Gracias: su consulta se envió" in again and enquiry.reference not in again


def test_an_english_enquiry_is_stored_as_english(client):
    assert client.post(ENGLISH, enquiry_data()).status_code == 302
    assert Enquiry.objects.get().language == "en"


def _email_after(client, smtp_server, url, **fields):
    assert client.post(url, enquiry_data(**fields)).status_code == 302
    enquiry = Enquiry.objects.latest("created_at")
    smtp_server.received.clear()
    assert deliver_due()["sent"] == 1
    (received,) = smtp_server.received
    return enquiry, received.text


def _without_particulars(text, enquiry):
    """The email with this enquiry's reference, admin address and time taken out."""
    text = text.replace(enquiry.reference, "REF").replace(f"/{enquiry.pk}/", "/PK/")
    return re.sub(r"Received: .*", "Received: WHEN", text)


def test_the_staff_email_about_a_spanish_enquiry_is_the_english_one(client, smtp_server):
    words = {
        "name": "Lucía Privada",
        "email": "lucia.privada@example.org",
        "phone": "555 010 0199",
        "message": "Mi historia médica, muy privada.",
    }
    english, english_text = _email_after(client, smtp_server, ENGLISH, **words)
    spanish, spanish_text = _email_after(client, smtp_server, SPANISH, **words)
    assert (english.language, spanish.language) == ("en", "es")
    assert _without_particulars(spanish_text, spanish) == _without_particulars(
        english_text, english
    )
    assert "Topic: Costs and insurance" in spanish_text
    for absent in ["Costos", "Lucía", "lucia.privada", "555 010 0199", "historia", "Español"]:
        assert absent not in spanish_text, absent


def test_staff_see_the_language_in_the_list_the_filter_the_enquiry_and_the_export(
    client, make_staff
):
    client.post(SPANISH, enquiry_data(name="Ana"))
    client.post(ENGLISH, enquiry_data(name="Sam"))
    spanish = Enquiry.objects.get(name="Ana")
    client.force_login(make_staff("handler", group=HANDLERS))

    listing = _document(client.get("/admin/enquiries/enquiry/"))
    assert listing.xpath("//th[contains(@class, 'column-language')]")
    assert listing.xpath("//td[contains(@class, 'field-language')][.='Español']")
    filtered = client.get("/admin/enquiries/enquiry/?language__exact=es")
    assert [
        row.text_content() for row in _document(filtered).xpath("//th[@class='field-reference']")
    ] == [spanish.reference]

    change = _text(client.get(f"/admin/enquiries/enquiry/{spanish.pk}/change/"))
    assert "Language: Español" in change or "Language Español" in change

    export = client.post(
        "/admin/enquiries/enquiry/",
        {"action": "export_csv", "_selected_action": [spanish.pk]},
    )
    (row,) = csv.DictReader(io.StringIO(export.content.decode()))
    assert row["language"] == "Español"
    assert row["topic"] == "Costs and insurance", "staff read the English labels"


@pytest.fixture
def spanish_form(committed_seed, settings, monkeypatch):
    """A Spanish reader with /es/enquire/ loaded (and its CSRF cookie): the form's values."""
    settings.ENQUIRY_MIN_SECONDS = 0
    settings.ENQUIRY_DEFAULT_RECIPIENTS = ["desk@clinic.example"]
    monkeypatch.setattr(middleware, "DATABASE_RETRY_SECONDS", 0.3)
    set_clinic(phone="555 010 0199")
    visitor = ProductionClient(enforce_csrf_checks=True, raise_request_exception=False)
    page = visitor.get(SPANISH)
    kept = {"started", "submission_token"}
    answers = {name: value for name, value in enquiry_data().items() if name not in kept}
    return visitor, {**form_values(page, field="message"), **answers}


def test_held_during_an_outage_a_spanish_enquiry_keeps_its_language(
    spanish_form, database_outage, settings, small_redis
):
    settings.ENQUIRY_HOLD_REDIS_URL = small_redis("noeviction")
    visitor, data = spanish_form
    database_outage.cut()
    sent_at = time.time()
    thanks = visitor.post(SPANISH, data)
    assert thanks.status_code == 200
    document = _document(thanks)
    assert document.get("lang") == "es"
    text = _text(thanks)
    assert "Gracias: recibimos su consulta" in text
    assert "su consulta se guarda de forma segura hasta que se pueda entregar" in text
    reference = document.find_class("reference-number")[0].text

    database_outage.restore()
    assert len(redis.Redis.from_url(settings.ENQUIRY_HOLD_REDIS_URL).hkeys(hold.HELD)) == 1
    assert hold.store_held() == 1
    enquiry = Enquiry.objects.get()
    assert (enquiry.reference, enquiry.language) == (reference, "es")
    assert abs(enquiry.created_at.timestamp() - sent_at) < 5


def test_without_a_hold_the_spanish_reader_gets_their_words_back_in_spanish(
    spanish_form, database_outage, settings
):
    settings.ENQUIRY_HOLD_REDIS_URL = ""
    visitor, data = spanish_form
    database_outage.cut()
    response = visitor.post(SPANISH, data)
    assert response.status_code == 503
    document = _document(response)
    assert document.get("lang") == "es"
    text = _text(response)
    assert "Su consulta no se envió" in text
    assert "En este momento no podemos guardar consultas" in text
    (form,) = document.xpath("//form[@id='enquiry-form']")
    assert form.get("action") == SPANISH
    assert form.fields["message"].strip() == data["message"]


def test_a_mistyped_email_is_explained_in_the_sites_own_spanish(client):
    response = client.post(SPANISH, enquiry_data(email="ana-at-example"))
    summary = " ".join(
        _document(response).get_element_by_id("error-summary").text_content().split()
    )
    assert "Escriba un correo electrónico válido, como nombre@ejemplo.com" in summary
    assert "Introduzca" not in summary, "not Django's stock wording"
