"""Real-browser tests: Playwright driving Debian's Chromium (never a downloaded browser)."""

import importlib
import os
from pathlib import Path

import pytest
from django.core.management import call_command

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


# The data migrations that make the staff groups and their permissions, in order.
GROUP_MIGRATIONS = [
    ("enquiries", "0002_staff_groups", "create_groups"),
    ("enquiries", "0005_handlers_may_delete", "allow_delete"),
    ("enquiries", "0008_handlers_requeue_notifications", "allow"),
    ("articles", "0013_topic_pages_move_to_their_own_app", "move_to_topics"),
]


def _restore_staff_groups():
    """Run the migrations' own group functions again, on the migrated models.

    A flush between browser tests removes the groups; their permissions come from the
    migrations themselves, so the tests never drift from what production gets.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection)
    for app_label, name, function in GROUP_MIGRATIONS:
        # Each on the models as they were when it ran: the first names topic pages'
        # permissions under articles, where they were before they moved.
        apps = loader.project_state((app_label, name), at_end=False).apps
        module = importlib.import_module(f"{app_label}.migrations.{name}")
        getattr(module, function)(apps, None)
    ContentType.objects.clear_cache()  # the move gave topic pages' types other ids


@pytest.fixture
def site(live_server, transactional_db):
    """The live server with the seed content, and the staff groups the migrations made.

    Browser tests commit for real and the database is flushed after each one, so
    what the migrations and the seed fixtures created is put back first.
    """
    _restore_staff_groups()
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
