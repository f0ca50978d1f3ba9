"""Real-browser tests: Playwright driving Debian's Chromium (never a downloaded browser)."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from tests import staff_groups

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls made by
# fixtures and the live server are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"REQUIRE_BROWSER is set but there is no Chromium at {CHROMIUM}")
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium to run browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, transactional_db):
    """The live server with the seed content, and the staff groups the migrations made.

    Browser tests commit for real and the database is flushed after each one, so
    what the migrations and the seed fixtures created is put back first.
    """
    staff_groups.restore()
    call_command("load_seed_content", verbosity=0)
    return live_server


def _page_at(browser, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_page(browser):
    yield from _page_at(browser, 390, 844)


@pytest.fixture
def desktop_page(browser):
    yield from _page_at(browser, 1280, 900)
