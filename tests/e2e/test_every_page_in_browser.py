"""Every page in the sitemap, on a phone: the crisis numbers are on the first screen, each a
target big enough for a thumb, with room left for the page's own heading; axe finds nothing."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser


def _sitemap_paths(page, base):
    locations = re.findall(r"<loc>([^<]+)</loc>", page.request.get(base + "/sitemap.xml").text())
    assert len(locations) >= 10
    return [location.split("://", 1)[1].split("/", 1)[1] for location in locations]


def test_every_page_shows_the_crisis_numbers_in_the_first_screen(site, phone_page):
    page = phone_page
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    paths = _sitemap_paths(page, site.url)
    for path in paths:
        page.goto(f"{site.url}/{path}")
        strip = page.locator("aside.crisis-strip")
        box = strip.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= 844, path
        assert box["height"] <= 130, f"{path}: the strip leaves room for the page"
        hrefs = []
        for link in strip.get_by_role("link").all():
            size = link.bounding_box()
            assert size["width"] >= 44 and size["height"] >= 44, (path, link.inner_text(), size)
            assert size["y"] + size["height"] <= 844, path
            hrefs.append(link.get_attribute("href"))
        assert hrefs == ["tel:988", "sms:988", "tel:911"], path
        heading = page.locator("h1").first.bounding_box()
        assert heading["y"] < 844, f"{path}: the page's own heading is on the first screen too"
    assert errors == [], errors


@pytest.mark.parametrize(
    "path",
    ["/safety/", "/accessibility/", "/privacy/", "/editorial-policy/", "/references/how-to-read/"],
)
def test_axe_finds_no_violations(site, phone_page, path):
    phone_page.goto(site.url + path)
    results = Axe().run(phone_page)
    assert results.violations_count == 0, results.generate_report()


def test_citation_numbers_are_24_px_targets(site, phone_page):
    phone_page.goto(site.url + "/articles/who-can-benefit-from-ketamine-therapy/")
    links = phone_page.locator("sup.citation a").all()
    assert len(links) > 10
    for link in links[:15]:
        box = link.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, box


def test_the_comparison_is_a_list_on_a_phone_and_a_table_on_a_laptop(
    site, phone_page, desktop_page
):
    phone_page.goto(site.url + "/treatments/")
    assert not phone_page.locator(".comparison__table").is_visible()
    intro = phone_page.locator(".comparison__intro").bounding_box()
    assert intro["width"] >= 300, intro
    aspects = phone_page.get_by_role("heading", level=3).filter(has_text="How it is given")
    assert aspects.is_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no sideways scrolling"
    desktop_page.goto(site.url + "/treatments/")
    assert desktop_page.locator(".comparison__table caption").is_visible()
    assert not desktop_page.locator(".comparison__list").is_visible()


def test_without_script_no_dead_print_button_is_offered(site, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(site.url + "/safety/")
    assert page.locator("[data-print-page]").count() == 1
    assert not page.locator("[data-print-page]").is_visible()
    context.close()


def test_axe_finds_nothing_on_search_results(site, phone_page):
    phone_page.goto(site.url + "/search/?q=ketamine+anxiety")
    results = Axe().run(phone_page)
    assert results.violations_count == 0, results.generate_report()


def test_printing_keeps_the_crisis_numbers_dates_and_references_and_drops_the_chrome(
    site, desktop_page
):
    page = desktop_page
    page.goto(site.url + "/articles/who-can-benefit-from-ketamine-therapy/")
    print_button = page.get_by_role("button", name="Print this page")
    assert print_button.is_visible(), "offered on screen where it works"
    page.emulate_media(media="print")
    for hidden in [".site-header", ".main-nav", ".site-footer__links", ".next-step", ".print-page"]:
        assert not page.locator(hidden).first.is_visible(), hidden
    for kept in [".crisis-strip", ".review-dates", ".reference-list", ".site-footer"]:
        assert page.locator(kept).first.is_visible(), kept
    assert "988" in page.locator(".crisis-strip").inner_text()
    printed_target = page.evaluate(
        "getComputedStyle(document.querySelector('.reference-list__links a[href^=\"http\"]'),"
        " '::after').content"
    )
    assert "https://" in printed_target, "a reference's address is printed after it"


def test_search_from_the_header_with_the_keyboard(site, phone_page):
    page = phone_page
    page.goto(site.url + "/safety/")
    page.get_by_role("searchbox", name="Search this site").fill("electroencephalogram")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=electroencephalogram")
    first = page.locator(".search-results a").first
    first.click()
    page.wait_for_url("**#ketamine-therapy-for-anxiety")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_the_next_step_box_stands_clear_of_the_footer(site, phone_page):
    phone_page.goto(site.url + "/safety/")
    box = phone_page.locator(".next-step").bounding_box()
    footer = phone_page.locator(".site-footer").bounding_box()
    assert footer["y"] - (box["y"] + box["height"]) >= 24


# Every DOI a printed reference list shows, counted as paper shows it: the visible text
# and the addresses the print stylesheet writes after links.
_PRINTED_DOIS = """() => {
  const found = {};
  for (const item of document.querySelectorAll('.reference-list li')) {
    let text = item.innerText;
    for (const link of item.querySelectorAll('a')) {
      if (link.offsetParent === null) continue;
      const after = getComputedStyle(link, '::after').content;
      if (after && after !== 'none') text += ' ' + after;
    }
    for (const doi of text.toLowerCase().matchAll(/10\\.\\d{4,9}\\/[^\\s"]+[^\\s".,;)]/g)) {
      found[doi[0]] = (found[doi[0]] || 0) + 1;
    }
  }
  return found;
}"""


def test_a_printout_gives_its_address_the_date_printed_and_each_doi_once(site, desktop_page):
    page = desktop_page
    page.goto(site.url + "/articles/who-can-benefit-from-ketamine-therapy/")
    assert not page.locator(".printed-from").is_visible(), "paper only"
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    printed = page.locator(".printed-from")
    assert printed.is_visible()
    today = page.evaluate(
        "new Date().toLocaleDateString('en-US', {year: 'numeric', month: 'long', day: 'numeric'})"
    )
    assert printed.inner_text() == (
        f"Printed from http://testserver/articles/who-can-benefit-from-ketamine-therapy/ on {today}."
    )
    dois = page.evaluate(_PRINTED_DOIS)
    assert len(dois) >= 10
    assert {doi: count for doi, count in dois.items() if count != 1} == {}
