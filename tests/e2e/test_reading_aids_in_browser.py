"""What helps a worried reader, in a real browser at phone and laptop widths: key points
first, a word's meaning in place by tap, hover or keyboard, and the glossary page."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
GUIDE = "/articles/ketamine-therapy-for-depression-guide/"


def _page(browser, width):
    context = browser.new_context(viewport={"width": width, "height": 844 if width < 500 else 900})
    return context, context.new_page()


def _axe_clean(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("width", [390, 1280])
def test_key_points_come_first_and_lead_to_their_sections(site, browser, width):
    context, page = _page(browser, width)
    for path, name in ((GUIDE, "article"), ("/safety/", "topic")):
        page.goto(site.url + path)
        box = page.locator(".key-points")
        expect(box.get_by_role("heading", name="Key points")).to_be_visible()
        contents = page.locator("nav.contents")
        assert box.bounding_box()["y"] < contents.bounding_box()["y"]
        page.screenshot(path=f"test-results/key-points-{name}-{width}.png")
        _axe_clean(page)
    page.goto(site.url + GUIDE)
    first = page.locator(".key-points li a").first
    target = first.get_attribute("href")
    first.click()
    expect(page.locator(target)).to_be_in_viewport()
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_a_words_meaning_by_tap_hover_and_keyboard(site, browser, width):
    context, page = _page(browser, width)
    page.goto(site.url + GUIDE)
    term = page.locator("a[data-glossary-term][href='/glossary/#nmda']")
    definition = page.locator("#glossary-nmda")
    expect(definition).to_be_hidden()
    expect(term).to_have_attribute("aria-expanded", "false")

    # Tap or click: shown, on the screen, and the page did not leave.
    term.scroll_into_view_if_needed()
    term.click()
    expect(definition).to_be_visible()
    expect(definition).to_contain_text("blocking")
    assert page.url.endswith(GUIDE)
    shown = definition.bounding_box()
    assert shown["x"] >= 0 and shown["x"] + shown["width"] <= width, shown
    _axe_clean(page)
    page.screenshot(path=f"test-results/glossary-term-{width}.png")
    page.keyboard.press("Escape")
    expect(definition).to_be_hidden()

    # Keyboard: Enter shows it, Escape hides it.
    term.focus()
    page.keyboard.press("Enter")
    expect(definition).to_be_visible()
    expect(term).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")
    expect(definition).to_be_hidden()

    # Hover (where there is a pointer): shown while over it, gone when the pointer leaves.
    if width >= 1024:
        page.mouse.move(0, 0)
        term.hover()
        expect(definition).to_be_visible()
        page.mouse.move(0, 0)
        expect(definition).to_be_hidden()
    context.close()


def test_without_script_a_term_leads_to_its_glossary_entry(site, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(site.url + GUIDE)
    page.locator("a[href='/glossary/#nmda']").click()
    page.wait_for_url("**/glossary/#nmda")
    expect(page.locator("#nmda")).to_be_in_viewport()
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_glossary_page(site, browser, width):
    context, page = _page(browser, width)
    page.goto(site.url + "/")
    page.locator(".site-footer").get_by_role("link", name="Glossary: words explained").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Glossary: words explained")
    page.get_by_role("link", name="NMDA", exact=True).click()
    expect(page.locator("#nmda")).to_be_in_viewport()
    _axe_clean(page)
    page.screenshot(path=f"test-results/glossary-{width}.png")
    context.close()


def test_an_editor_sees_each_key_points_grade_as_they_write(site, browser):
    from articles.models import Article
    from tests.e2e.test_editing_in_browser import _sign_in, _staff

    _staff("carla", "Content editors")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _sign_in(page, site, "carla")
    article = Article.objects.get(slug="ketamine-therapy-for-depression-guide")
    page.goto(site.url + f"/admin/articles/article/{article.pk}/change/")
    text = page.locator("input[name='key_points-0-text']")
    grade = page.locator("#id_key_points-0-text_grade")
    expect(grade).to_contain_text("Reading grade")
    text.fill(
        "Subanesthetic intravenous ketamine demonstrates considerable antidepressant efficacy."
    )
    expect(grade).to_contain_text("above 8")
    text.fill("A nurse stays with you the whole time.")
    expect(grade).not_to_contain_text("above 8")
    expect(grade).to_contain_text("Reading grade")
    text.scroll_into_view_if_needed()
    page.screenshot(path="test-results/key-points-admin-1280.png")
    _axe_clean_in(page, "#key_points-group")
    context.close()


def _axe_clean_in(page, selector):
    results = Axe().run(page, context=selector)
    assert results.violations_count == 0, results.generate_report()
