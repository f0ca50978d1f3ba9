"""A Spanish-speaking patient, on a phone and on a laptop: finds the Spanish site from the
language switch, reads an approved Spanish article, finds help in a crisis and sends an
enquiry in Spanish with the keyboard; axe finds nothing on the way."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from articles.models import Article
from enquiries.models import Enquiry
from tests.e2e.keyboard import assert_no_axe_violations, tab_to
from tests.factories import approve_translation

pytestmark = pytest.mark.browser

SHORT = "who-can-benefit-from-ketamine-therapy"
# What the seed's translator wrote: the pages are compared with it.
SEED = json.loads(
    (Path(__file__).resolve().parents[2] / "translations" / "seed" / "es.json").read_text("utf-8")
)


@pytest.fixture(autouse=True)
def _enquiry_settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ENQUIRY_DEFAULT_RECIPIENTS = ["desk@clinic.example"]


@pytest.fixture(params=[(390, 844), (1280, 900)], ids=["phone", "laptop"])
def screen(request, browser):
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height})
    yield context.new_page(), height
    context.close()


def test_a_spanish_reader_switches_language_and_reads_an_approved_article(site, screen):
    page, height = screen
    article = Article.objects.get(slug=SHORT)
    approve_translation(article)
    spanish_title = SEED["articles"][str(article.pk)]["title"]

    page.goto(f"{site.url}/articles/{SHORT}/")
    page.get_by_role("link", name="Español").click()
    page.wait_for_url(f"**/es/articles/{SHORT}/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("h1")).to_have_text(spanish_title)
    # Help in a crisis, in Spanish, on the first screen, each number a thumb-sized target.
    strip = page.locator("aside.crisis-strip")
    expect(strip).to_contain_text(SEED["clinic"]["crisis_strip_label"])
    box = strip.bounding_box()
    assert box["y"] + box["height"] <= height
    for link in strip.get_by_role("link").all():
        size = link.bounding_box()
        assert size["width"] >= 44 and size["height"] >= 44, (link.inner_text(), size)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert_no_axe_violations(page)

    page.get_by_role("link", name="English").click()
    page.wait_for_url(f"**/articles/{SHORT}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text(article.title)


def test_an_article_not_yet_approved_in_spanish_says_so_and_leads_to_english(site, screen):
    page, _ = screen
    article = Article.objects.get(slug=SHORT)
    page.goto(f"{site.url}/es/articles/{SHORT}/")
    expect(page.locator("h1")).to_have_text("Esta página todavía no está disponible en español")
    assert SEED["articles"][str(article.pk)]["title"] not in page.content()
    assert_no_axe_violations(page)
    page.get_by_role("link", name=f"Lea “{article.title}” en inglés").click()
    page.wait_for_url(f"**/articles/{SHORT}/")
    expect(page.locator("h1")).to_have_text(article.title)


def test_a_spanish_enquiry_sent_with_the_keyboard_is_stored_as_spanish(site, screen):
    page, _ = screen
    page.goto(f"{site.url}/es/enquire/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert_no_axe_violations(page)

    tab_to(page, "#id_name")
    page.keyboard.type("Lucía Teclado")
    tab_to(page, "#id_message")
    page.keyboard.type("¿Qué tratamiento me conviene si ya probé dos antidepresivos?")
    page.wait_for_timeout(3100)  # a person takes longer; the too-fast check is real here
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page.locator("#id_name")).to_have_value("Lucía Teclado")
    assert page.title().startswith("Error: "), "the title says the form has errors"
    assert "Give an email address" not in summary.inner_text(), "errors are in Spanish"
    assert_no_axe_violations(page)

    page.locator("#id_email").focus()
    page.keyboard.type("lucia@example.org")
    tab_to(page, "input[name=preferred_contact]")
    page.keyboard.press("Space")
    tab_to(page, "input[name=topic]")
    page.keyboard.press("Space")
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/es/enquire/thanks/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert_no_axe_violations(page)

    enquiry = Enquiry.objects.get()
    expect(page.locator(".reference-number")).to_have_text(enquiry.reference)
    assert enquiry.language == "es"
    assert enquiry.name == "Lucía Teclado"
