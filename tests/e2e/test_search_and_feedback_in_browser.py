"""A phone and a laptop: a search that finds nothing, and "Was this page helpful?" sent with
the keyboard. axe finds nothing; targets are big enough for a thumb; nothing scrolls sideways.

Set SCREENSHOTS_DIR to keep a screenshot of each page looked at."""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from feedback.models import PageFeedback

pytestmark = pytest.mark.browser

SIZES = {"phone": (390, 844), "laptop": (1280, 900)}


def _look(page, name):
    directory = os.environ.get("SCREENSHOTS_DIR")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{directory}/{name}.png", full_page=True)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.fixture(params=sorted(SIZES))
def sized_page(request, browser):
    width, height = SIZES[request.param]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.size_name = request.param
    yield page
    context.close()


def test_a_search_that_finds_nothing_offers_topics_the_form_and_the_crisis_line(site, sized_page):
    page = sized_page
    page.goto(site.url + "/safety/")
    page.get_by_role("searchbox", name="Search this site").fill("is it ok when pregnant")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=is+it+ok+when+pregnant")
    help_box = page.locator(".search-help")
    assert help_box.get_by_role("heading", name="No page matched").is_visible()
    topics = help_box.locator(".search-help__topics a").all()
    assert [link.inner_text() for link in topics] == [
        "Ketamine treatment options",
        "Who may benefit from ketamine therapy?",
        "Is ketamine therapy safe?",
    ]
    for link in topics:
        assert link.bounding_box()["height"] >= 24, link.inner_text()
    assert help_box.get_by_role("link", name="send us an enquiry").is_visible()
    assert help_box.locator("a[href='tel:988']").is_visible()
    _look(page, f"search-nothing-found-{page.size_name}")


def test_a_question_with_a_misspelling_is_answered(site, phone_page):
    phone_page.goto(site.url + "/search/?q=how+many+sesions")
    assert phone_page.locator(".search-note").first.inner_text().startswith("Also searched for")
    first_three = phone_page.locator(".search-results h2 a").all()[:3]
    assert any("ketamine" in link.inner_text().lower() for link in first_three)
    _look(phone_page, "search-misspelt-phone")


def test_feedback_sent_with_the_keyboard_reaches_editors(site, sized_page):
    page = sized_page
    page.goto(site.url + "/treatments/esketamine-nasal-spray/")
    form = page.locator(".page-feedback")
    form.scroll_into_view_if_needed()
    _look(page, f"feedback-form-{page.size_name}")
    for choice in form.locator(".page-feedback__choice").all():
        box = choice.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, box
    page.get_by_role("radio", name="Yes").focus()
    page.keyboard.press("ArrowRight")  # radio buttons: arrows move and choose
    assert page.get_by_role("radio", name="No").is_checked()
    page.keyboard.press("Tab")
    page.keyboard.type("I wanted to know how long the appointment takes.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/feedback/thanks/?page=topic*")
    assert page.get_by_role("heading", name="Thank you for your feedback").is_visible()
    assert page.get_by_role("link", name="Back to “Esketamine (Spravato) nasal spray”").is_visible()
    _look(page, f"feedback-thanks-{page.size_name}")
    answer = PageFeedback.objects.get()
    assert (answer.topic_page.slug, answer.helpful) == ("esketamine-nasal-spray", False)


def test_feedback_speaking_of_self_harm_is_answered_with_the_crisis_box(site, phone_page):
    page = phone_page
    page.goto(site.url + "/articles/who-can-benefit-from-ketamine-therapy/")
    page.get_by_role("radio", name="No").check()
    page.get_by_label("Tell us more (optional)").fill("nothing helps, I want to end my life")
    page.get_by_role("button", name="Send feedback").click()
    page.wait_for_url("**/feedback/thanks/**")
    crisis = page.locator(".crisis-box--urgent")
    assert crisis.is_visible() and crisis.bounding_box()["y"] < 844, "on the first screen"
    _look(page, "feedback-thanks-support-phone")


def test_feedback_works_without_script(site, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(site.url + "/safety/")
    page.get_by_role("radio", name="Yes").check()
    page.get_by_role("button", name="Send feedback").click()
    page.wait_for_url("**/feedback/thanks/**")
    context.close()
    assert PageFeedback.objects.get().helpful is True
