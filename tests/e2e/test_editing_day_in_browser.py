"""An editing day in a real browser, at phone and laptop widths: each role's home, the next
step after a save, a reviewer's comment beside its section, and a new section row that is a
full row. The admin pages these touch pass axe."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from articles.models import Article
from publishing import workflow
from tests.e2e.test_editing_in_browser import _sign_in, _staff
from tests.factories import make_enquiry

pytestmark = pytest.mark.browser
# The elements that reach past the screen's right edge: none, for a page usable on a phone.
WIDEST = """() => [...document.querySelectorAll("body *")]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .map(e => e.tagName + "." + e.className)"""
SHORT = "who-can-benefit-from-ketamine-therapy"


def _axe_clean(page, context=None):
    results = Axe().run(page, context=context) if context else Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def _signed_in(browser, site, username, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    _sign_in(page, site, username)
    return context, page


@pytest.mark.parametrize("width", [390, 1280])
def test_each_roles_home(site, browser, width):
    editor = _staff("carla", "Content editors")
    _staff("rhea", "Clinical reviewers", first_name="Rhea", last_name="Ward")
    _staff("hana", "Enquiry handlers")
    article = Article.objects.get(slug=SHORT)
    content = workflow.current_content(article)
    content["fields"]["summary"] = "A summary waiting for review."
    workflow.save_draft(article, content, user=editor)
    workflow.submit(article, user=editor)
    make_enquiry(is_urgent=True)
    make_enquiry()

    for username, box in (
        ("carla", "#editor-home"),
        ("rhea", "#reviewer-home"),
        ("hana", "#handler-home"),
    ):
        context, page = _signed_in(browser, site, username, width)
        expect(page.locator(box)).to_be_visible()
        wide = page.evaluate(WIDEST)
        assert not wide, f"{username}: no sideways scroll: {wide}"
        _axe_clean(page, box)
        _axe_clean(page, "#content-main")
        page.screenshot(path=f"test-results/home-{username}-{width}.png", full_page=True)
        if username == "hana":
            urgent = page.locator(box).get_by_role("link", name="1 urgent")
            urgent.click()
            expect(page.locator(".urgent-label")).to_have_text("Urgent")
            assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
            page.screenshot(path=f"test-results/enquiries-urgent-{width}.png", full_page=True)
            page.locator("#result_list a").first.click()
            expect(page.locator(".urgent-label")).to_be_visible()
            page.screenshot(path=f"test-results/enquiry-{width}.png", full_page=True)
            _axe_clean(page, "#content-main")
        context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_save_then_submit_and_a_comment_beside_its_section(site, browser, width):
    _staff("carla", "Content editors")
    _staff("rhea", "Clinical reviewers", first_name="Rhea", last_name="Ward")
    article = Article.objects.get(slug=SHORT)

    context, page = _signed_in(browser, site, "carla", width)
    page.goto(site.url + f"/admin/articles/article/{article.pk}/change/")
    page.get_by_label("Summary").fill("A plainer summary, for review.")
    page.get_by_role("button", name="Save", exact=True).click()
    submit = page.locator(".review-next-step").get_by_role(
        "button", name="Submit for clinical review"
    )
    expect(submit).to_be_visible()
    _axe_clean(page, ".review-next-step")
    submit.click()
    expect(page.locator(".messagelist")).to_contain_text("Submitted for clinical review")
    context.close()

    context, page = _signed_in(browser, site, "rhea", width)
    # Oldest first: the seeded Spanish translations wait ahead of this article.
    page.locator("#waiting-for-review").get_by_role("link", name=article.title, exact=True).click()
    send_back = page.locator("#send-back-form")
    send_back.locator("summary").click()
    send_back.get_by_label("On “Ketamine Therapy for Anxiety”").fill("Name the study behind this.")
    _axe_clean(page, "#send-back-form")
    send_back.get_by_role("button", name="Send back").click()
    expect(page.locator(".messagelist")).to_contain_text("Sent back")
    context.close()

    context, page = _signed_in(browser, site, "carla", width)
    page.goto(site.url + "/admin/")
    expect(page.locator("#editor-home")).to_contain_text("Sent back")
    page.goto(site.url + f"/admin/articles/article/{article.pk}/change/")
    row = page.locator(
        ".inline-related", has=page.locator("input[value='ketamine-therapy-for-anxiety']")
    )
    comment = row.locator(".review-comments")
    expect(comment).to_contain_text("Name the study behind this.")
    comment.scroll_into_view_if_needed()
    page.screenshot(path=f"test-results/section-comment-{width}.png")
    _axe_clean(page, ".review-comments")
    comment.get_by_label("Mark resolved when I save").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_be_visible()
    expect(page.locator(".review-comments")).to_have_count(0)
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_a_new_section_row_is_a_full_row(site, browser, width):
    _staff("carla", "Content editors")
    article = Article.objects.get(slug=SHORT)
    context, page = _signed_in(browser, site, "carla", width)
    page.goto(site.url + f"/admin/articles/article/{article.pk}/change/")
    page.locator("#sections-group .add-row a", has_text=re.compile("section", re.I)).click()
    row = page.locator("#sections-group .inline-related.dynamic-sections").last
    body = row.locator("textarea[name$='-body']")
    body.fill("A new claim [@zunszain2013] and one [@nobody1999].")
    preview = row.locator(".markdownx-preview")
    expect(preview).to_contain_text("A new claim")
    expect(preview).to_contain_text("nobody1999")  # the citation check flags the unknown key
    expect(row.get_by_role("button", name="Insert image…")).to_be_visible()
    row.scroll_into_view_if_needed()
    page.screenshot(path=f"test-results/new-section-row-{width}.png")
    context.close()
