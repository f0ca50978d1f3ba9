"""A reader follows citations in a real browser, and axe-core finds no violations."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

HASTY = "/articles/who-can-benefit-from-ketamine-therapy/"


def test_following_a_citation_lands_on_its_reference_and_back(site, phone_page):
    page = phone_page
    page.goto(site.url + HASTY)
    citation = page.locator("#ketamine-therapy-for-anxiety sup.citation a").first
    target = citation.get_attribute("href")
    citation_id = citation.get_attribute("id")
    citation.click()

    expect(page).to_have_url(site.url + HASTY + target)
    entry = page.locator(target)
    expect(entry).to_be_in_viewport()
    expect(entry).to_contain_text("Centers for Disease Control and Prevention")

    entry.locator(".reference-list__backlinks a").first.click()
    expect(page).to_have_url(site.url + HASTY + "#" + citation_id)
    expect(page.locator("#" + citation_id)).to_be_in_viewport()


def test_contents_link_scrolls_to_its_section(site, desktop_page):
    page = desktop_page
    page.goto(site.url + HASTY)
    page.get_by_role("navigation", name="On this page").get_by_role(
        "link", name="Ketamine for Patients with PTSD"
    ).click()
    expect(page.get_by_role("heading", name="Ketamine for Patients with PTSD")).to_be_in_viewport()


@pytest.mark.parametrize(
    "path", ["/", "/articles/", HASTY, "/articles/ketamine-therapy-for-depression-guide/"]
)
def test_axe_finds_no_violations(site, phone_page, path):
    phone_page.goto(site.url + path)
    results = Axe().run(phone_page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("width, height", [(390, 844), (320, 568)])
def test_crisis_box_is_seen_without_scrolling_on_a_phone(site, browser, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(site.url + "/")
    box = page.locator(".crisis-box").first
    expect(box).to_be_in_viewport(ratio=1)
    expect(box.get_by_role("link", name="988")).to_have_attribute("href", "tel:988")
    context.close()
