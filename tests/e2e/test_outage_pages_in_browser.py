"""The pages answered without the database (errors, and the enquiry form's answers during
an outage), on a phone: the crisis numbers on the first screen, and axe finds nothing."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.outage import outage_pages

pytestmark = pytest.mark.browser


def _serving(body):
    return lambda route: route.fulfill(body=body, content_type="text/html; charset=utf-8")


def test_outage_pages_show_the_crisis_numbers_first_and_pass_axe(site, phone_page):
    for name, response in outage_pages().items():
        # Served from the live server's address, so the page's stylesheet loads as it would.
        phone_page.route(f"{site.url}/{name}", _serving(response.content))
        phone_page.goto(f"{site.url}/{name}")
        strip = phone_page.locator("aside.crisis-strip").bounding_box()
        assert strip and strip["y"] + strip["height"] <= 844, name
        assert phone_page.locator("h1").first.bounding_box()["y"] < 844, name
        results = Axe().run(phone_page)
        assert results.violations_count == 0, (name, results.generate_report())
