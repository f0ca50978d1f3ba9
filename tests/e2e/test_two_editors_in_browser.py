"""Two clinic editors on one article at once, each in their own browser: changes to different
parts both stay; where both changed the same part, the one saving last sees both versions
side by side and chooses."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from articles.models import Article
from publishing import workflow
from tests.e2e.test_editing_in_browser import _sign_in, _staff

pytestmark = pytest.mark.browser
GUIDE = "ketamine-therapy-for-depression-guide"


def _open_guide(browser, site, username):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _sign_in(page, site, username)
    article = Article.objects.get(slug=GUIDE)
    page.goto(site.url + f"/admin/articles/article/{article.pk}/change/")
    return context, page


def _section_body(page, anchor):
    inline = page.locator(".inline-related", has=page.locator(f"input[value='{anchor}']"))
    return inline.locator("textarea[name$='-body']")


def test_two_editors_save_one_article_and_neither_loses_a_word(site, browser):
    _staff("eddie", "Content editors", first_name="Eddie")
    _staff("sam", "Content editors", first_name="Sam")
    eddie_context, eddie = _open_guide(browser, site, "eddie")
    sam_context, sam = _open_guide(browser, site, "sam")

    # Different parts: both kept.
    eddie.get_by_label("Summary").fill("Eddie's plainer summary of the guide.")
    _section_body(sam, "post-treatment-recovery").fill("Sam's rewrite of the recovery section.")
    eddie.get_by_role("button", name="Save", exact=True).click()
    expect(eddie.locator(".messagelist")).to_contain_text("saved as a draft")
    sam.get_by_role("button", name="Save", exact=True).click()
    expect(sam.locator(".messagelist")).to_contain_text("saved as a draft")
    content = workflow.latest_revision(Article.objects.get(slug=GUIDE)).content
    assert content["fields"]["summary"] == "Eddie's plainer summary of the guide."
    bodies = [entry["body"] for entry in content["sections"]]
    assert "Sam's rewrite of the recovery section." in bodies

    # The same part: Sam, saving last, sees both and chooses.
    eddie.reload()
    sam.reload()
    eddie.get_by_label("Standfirst").fill("Eddie's standfirst.")
    sam.get_by_label("Standfirst").fill("Sam's standfirst.")
    eddie.get_by_role("button", name="Save", exact=True).click()
    expect(eddie.locator(".messagelist")).to_contain_text("saved as a draft")
    sam.get_by_role("button", name="Save", exact=True).click()
    conflict = sam.locator(".edit-conflict")
    expect(conflict).to_be_visible()
    expect(conflict.locator(".edit-conflict__version").first).to_contain_text("Eddie")
    expect(conflict.locator(".edit-conflict__version").last).to_contain_text("Sam's standfirst.")
    theirs, mine = conflict.locator(".edit-conflict__version").all()
    assert theirs.bounding_box()["y"] == mine.bounding_box()["y"], "side by side at 1280 px"
    results = Axe().run(sam, context=".edit-conflict")
    assert results.violations_count == 0, results.generate_report()
    sam.screenshot(path="test-results/edit-conflict-1280.png", full_page=False)
    conflict.get_by_label("Keep mine").check()
    sam.get_by_role("button", name="Save", exact=True).click()
    expect(sam.locator(".messagelist")).to_contain_text("saved as a draft")
    content = workflow.latest_revision(Article.objects.get(slug=GUIDE)).content
    assert content["fields"]["standfirst"] == "Sam's standfirst."
    assert content["fields"]["summary"] == "Eddie's plainer summary of the guide."
    assert "Sam's rewrite of the recovery section." in [e["body"] for e in content["sections"]]
    eddie_context.close()
    sam_context.close()
