"""A keyboard-only person sends an enquiry; errors are announced; axe finds nothing."""

import pytest
from playwright.sync_api import expect

from enquiries.models import Enquiry
from tests.e2e.keyboard import assert_no_axe_violations, tab_to

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _enquiry_settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ENQUIRY_DEFAULT_RECIPIENTS = ["desk@clinic.example"]


def test_keyboard_only_enquiry_with_an_error_then_success(site, phone_page):
    page = phone_page
    page.goto(site.url + "/enquire/")
    assert_no_axe_violations(page)

    tab_to(page, "#id_name")
    page.keyboard.type("Kim Keyboard")
    tab_to(page, "#id_message")
    page.keyboard.type("Which treatment would suit someone who has tried two antidepressants?")
    page.wait_for_timeout(3100)  # a person takes longer; the too-fast check is real here
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page).to_have_title("Error: Send us an enquiry | ATMA CENA")
    expect(page.locator("#id_name")).to_have_value("Kim Keyboard")
    assert_no_axe_violations(page)

    summary.get_by_role(
        "link", name="Give an email address or a phone number so we can reply."
    ).focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_email")).to_be_focused()
    page.keyboard.type("kim@example.org")
    tab_to(page, "input[name=preferred_contact]")
    page.keyboard.press("Space")
    expect(page.locator("#id_preferred_contact_0")).to_be_checked()
    tab_to(page, "input[name=topic]")
    page.keyboard.press("Space")
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    expect(page).to_have_url(site.url + "/enquire/thanks/")
    enquiry = Enquiry.objects.get()
    expect(page.locator(".reference-number")).to_have_text(enquiry.reference)
    assert (enquiry.name, enquiry.email) == ("Kim Keyboard", "kim@example.org")
    assert_no_axe_violations(page)


def test_treatment_page_button_leads_to_the_form_with_it_chosen(site, desktop_page):
    page = desktop_page
    page.goto(site.url + "/treatments/ketamine-assisted-psychotherapy/")
    page.get_by_role("link", name="Ask about Ketamine-assisted psychotherapy").click()
    expect(page.locator("#id_treatment")).to_have_value(
        str(
            Enquiry._meta.get_field("treatment")
            .related_model.objects.get(slug="ketamine-assisted-psychotherapy")
            .pk
        )
    )
    expect(page.get_by_label("Treatment options")).to_be_checked()
