"""Keyboard-only navigation to the topic pages, and axe-core on each of them."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NAVIGATION = [
    ("Home", "/"),
    ("Treatments", "/treatments/"),
    ("Who it may help", "/candidacy/"),
    ("Safety", "/safety/"),
    ("Articles", "/articles/"),
    ("Enquire", "/enquire/"),
]


def _tab_to(page, label, limit=30):
    """Press Tab until the focused element is the link named `label`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent.trim()")
        if focused == label:
            return
    raise AssertionError(f"{label!r} not reached with {limit} presses of Tab")


@pytest.mark.parametrize("label, path", NAVIGATION)
def test_each_page_is_reached_from_home_with_the_keyboard_only(site, phone_page, label, path):
    page = phone_page
    page.goto(site.url + ("/safety/" if path == "/" else "/"))
    _tab_to(page, label)
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none"), "the focused link must show a visible focus indicator"
    page.keyboard.press("Enter")
    expect(page).to_have_url(site.url + path)
    expect(page.locator("nav[aria-label='Main'] a[aria-current='page']")).to_have_text(label)


def test_skip_link_is_first_and_moves_focus_to_the_content(site, desktop_page):
    page = desktop_page
    page.goto(site.url + "/safety/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()


@pytest.mark.parametrize(
    "path",
    [
        "/treatments/",
        "/treatments/esketamine-nasal-spray/",
        "/treatments/iv-ketamine-infusion/",
        "/treatments/ketamine-assisted-psychotherapy/",
        "/candidacy/",
        "/safety/",
        "/privacy/",
    ],
)
@pytest.mark.parametrize("width", [390, 1280])
def test_axe_finds_no_violations_on_topic_pages(site, browser, path, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(site.url + path)
    results = Axe().run(page)
    context.close()
    assert results.violations_count == 0, results.generate_report()


def test_comparison_never_makes_the_phone_page_scroll_sideways(site, phone_page):
    phone_page.goto(site.url + "/treatments/")
    expect(phone_page.locator(".comparison__list")).to_be_visible()
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
