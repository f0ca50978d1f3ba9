"""Bad input gets a clear, accessible message and keeps everything the person typed."""

import lxml.html
import pytest
from django.test import Client

from enquiries.models import Enquiry
from tests.factories import enquiry_data

pytestmark = pytest.mark.django_db
URL = "/enquire/"


def _invalid(client, **fields):
    response = client.post(URL, enquiry_data(**fields))
    assert response.status_code == 200
    assert Enquiry.objects.count() == 0
    return response, lxml.html.fromstring(response.content)


def test_form_asks_for_nothing_medical():
    from enquiries.forms import EnquiryForm

    fields = set(EnquiryForm.base_fields)
    assert fields == {
        "name",
        "email",
        "phone",
        "preferred_contact",
        "topic",
        "treatment",
        "message",
        "consent",
        "website",
        "started",
        "submission_token",
    }


def test_form_page_says_it_is_not_for_emergencies(client):
    document = lxml.html.fromstring(client.get(URL).content)
    box = document.find_class("crisis-box")[0]
    assert "not for emergencies" in box.text_content()
    assert box.xpath(".//a/@href") == ["tel:911", "tel:988"]
    form = document.xpath("//main//form")[0]
    assert document.xpath("//main/*").index(box) < document.xpath("//main/*").index(form)


def test_consent_label_links_to_the_privacy_notice(client):
    document = lxml.html.fromstring(client.get(URL).content)
    label = document.xpath("//label[@for='id_consent']")[0]
    assert label.xpath(".//a/@href") == ["/privacy/"]
    assert client.get("/privacy/").status_code == 200


def test_invalid_post_keeps_input_and_lists_errors_linked_to_fields(client):
    response, document = _invalid(
        client, email="", phone="", message="Kept message text", name="Kept Name", consent=""
    )
    assert document.findtext(".//title").startswith("Error:")
    summary = document.get_element_by_id("error-summary")
    assert summary.get("role") == "alert"
    links = summary.xpath(".//a/@href")
    assert "#id_email" in links and "#id_consent" in links
    for href in links:
        assert document.xpath(f"//*[@id='{href[1:]}']"), href
    assert document.get_element_by_id("id_name").get("value") == "Kept Name"
    assert document.get_element_by_id("id_message").text.strip() == "Kept message text"


def test_errors_are_tied_to_their_fields_for_screen_readers(client):
    _, document = _invalid(client, email="not-an-email", message="")
    email = document.get_element_by_id("id_email")
    assert email.get("aria-invalid") == "true"
    described = email.get("aria-describedby").split()
    assert "id_email_error" in described
    error = document.get_element_by_id("id_email_error")
    assert "valid email" in error.text_content()
    assert (
        document.get_element_by_id("id_message")
        .get("aria-describedby")
        .startswith("id_message_error")
    )


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"email": "", "phone": ""}, "email", "Give an email address or a phone number"),
        ({"preferred_contact": "phone"}, "phone", "Give a phone number, or choose email"),
        ({"phone": "call me maybe", "preferred_contact": "phone"}, "phone", "Enter a phone number"),
        ({"message": "   \x07  "}, "message", "Enter your message."),
        ({"message": "x" * 3001}, "message", "at most 3000 characters"),
        ({"topic": "diagnosis"}, "topic", "Select a valid choice"),
        ({"treatment": "999999"}, "treatment", "Select a valid choice"),
        ({"consent": ""}, "consent", "Tick the box"),
    ],
)
def test_each_bad_field_gets_a_clear_message(client, fields, field, message):
    _, document = _invalid(client, **fields)
    error = document.get_element_by_id(f"id_{field}_error")
    assert message in error.text_content()


def test_html_and_control_characters_are_stored_inert(client, django_capture_on_commit_callbacks):
    message = "Hello <script>alert(1)</script>\u202e\x1b[31m\x00 world"
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            client.post(URL, enquiry_data(message=message, name="<b>Bold</b>")).status_code == 302
        )
    enquiry = Enquiry.objects.get()
    assert enquiry.message == "Hello <script>alert(1)</script>[31m world"
    assert enquiry.name == "<b>Bold</b>"


def test_expired_csrf_token_keeps_the_message(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(URL, enquiry_data(message="Written before the session expired."))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Written before the session expired." in html
    assert "form expired before it was sent" in html
    assert Enquiry.objects.count() == 0


def test_message_length_counts_line_breaks_as_the_browser_does(
    client, django_capture_on_commit_callbacks
):
    """A textarea counts a line break as one character; the post sends it as CR LF."""
    lines = ["x" * 99] * 30
    posted = "\r\n".join(lines) + "x"  # 3000 characters in the textarea, 3029 on the wire
    assert len("\n".join(lines) + "x") == 3000
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, enquiry_data(message=posted))
    assert response.status_code == 302
    assert len(Enquiry.objects.get().message) == 3000


def test_thanks_page_without_an_enquiry_says_so(client):
    html = client.get("/enquire/thanks/").content.decode()
    assert "No enquiry sent" in html and "we have your enquiry" not in html


def test_mangled_hidden_token_does_not_block_the_person(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, enquiry_data(submission_token="not-a-uuid"))
    assert response.status_code == 302
    assert Enquiry.objects.count() == 1


def test_radio_errors_are_described_once_by_their_fieldset(client):
    _, document = _invalid(client, preferred_contact="")
    fieldset = document.xpath("//fieldset[.//input[@name='preferred_contact']]")[0]
    assert fieldset.get("aria-describedby") == "id_preferred_contact_error"
    for radio in fieldset.xpath(".//input[@type='radio']"):
        assert radio.get("aria-describedby") is None
