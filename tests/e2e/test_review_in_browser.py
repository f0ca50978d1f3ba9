"""A clinical reviewer in a real browser reviews a page nobody has seen: all of it is shown as
added, and the review page passes axe at phone and desktop widths."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from articles.models import Article
from publishing import workflow
from tests.e2e.test_editing_in_browser import _sign_in, _staff
from tests.factories import make_article

pytestmark = pytest.mark.browser
NEW_TEXT = "A paragraph only the new page has, for its reviewer to read first."


@pytest.mark.parametrize("width", [390, 1280])
def test_a_reviewer_reads_a_new_page_whole_before_approving_it(site, browser, client, width):
    editor = _staff("carla", "Content editors")
    _staff("rhea", "Clinical reviewers", first_name="Rhea", last_name="Ward")
    article = make_article(
        title="Questions to ask before a first session",
        slug="questions-before-a-first-session",
        status=Article.Status.DRAFT,
        sections=[NEW_TEXT, "Its second section."],
    )
    workflow.record_new_page(article, user=editor)
    workflow.submit(article, user=editor)

    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    _sign_in(page, site, "rhea")
    page.locator("#waiting-for-review").get_by_role(
        "link", name="Questions to ask before a first session"
    ).click()
    expect(page.get_by_role("heading", name="patients see none of it yet")).to_be_visible()
    added = page.locator(".revision-diff ins")
    expect(added.filter(has_text=NEW_TEXT)).to_have_count(1)
    expect(added.filter(has_text="Questions to ask before a first session")).to_have_count(1)
    expect(page.locator(".revision-diff del")).to_have_count(0)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    page.screenshot(path=f"test-results/review-new-page-{width}.png", full_page=True)

    approve = page.locator("#approve-form")
    approve.get_by_label("Your name and credentials").fill("Rhea Ward, MD")
    approve.get_by_role("button", name="Approve and publish now").click()
    expect(page.locator(".messagelist")).to_contain_text("Approved and published")
    context.close()
    public = client.get("/articles/questions-before-a-first-session/").content.decode()
    assert NEW_TEXT in public and "Rhea Ward, MD" in public
