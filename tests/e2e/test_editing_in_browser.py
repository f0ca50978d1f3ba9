"""Clinic staff in a real browser: an editor edits a live page and submits it, a clinical
reviewer approves it, the public page changes; an earlier revision is restored the same way."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
GUIDE = "ketamine-therapy-for-depression-guide"
NEW_TEXT = "Plan a quiet evening after each session; our nurses will explain why."
SECTION_LINK = "Post-Treatment Recovery (A Guide to Ketamine Therapy for Depression)"


def _staff(username, group, **fields):
    user = get_user_model().objects.create_user(
        username,
        email=f"{username}@clinic.example",
        password=f"{username} long passphrase",
        is_staff=True,
        **fields,
    )
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(site):
    return _staff("carla", "Content editors")


@pytest.fixture
def reviewer(site):
    return _staff("rhea", "Clinical reviewers", first_name="Rhea", last_name="Ward")


def _sign_in(page, site, username):
    page.goto(site.url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(f"{username} long passphrase")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def _preview_in_this_tab(button):
    """Editors get the preview in a new tab; the test follows it in this one, since a new
    tab's opening is the browser's to time."""
    expect(button).to_have_attribute("formtarget", "_blank")
    button.evaluate("element => element.removeAttribute('formtarget')")
    with button.page.expect_navigation():
        button.click()


def _approve(page, site, credit):
    page.goto(site.url + "/admin/")
    waiting = page.locator("#waiting-for-review")
    waiting.get_by_role("link", name="A Guide to Ketamine Therapy for Depression").click()
    expect(page.locator(".revision-diff ins").first).to_be_visible()
    approve = page.locator("#approve-form")
    approve.get_by_label("Your name and credentials").fill(credit)
    approve.get_by_role("button", name="Approve and publish now").click()
    expect(page.locator(".messagelist")).to_contain_text("Approved and published")


def test_edit_submit_approve_and_restore(site, editor, reviewer, browser, client):
    staff = browser.new_context(viewport={"width": 1280, "height": 900})
    page = staff.new_page()
    _sign_in(page, site, "carla")
    page.goto(site.url + "/admin/articles/section/?q=Post-Treatment")
    page.get_by_role("link", name=SECTION_LINK).click()
    body = page.locator("textarea[name=body]")
    original = body.input_value()
    body.fill(NEW_TEXT)
    _preview_in_this_tab(page.get_by_role("button", name="Preview changes on the article page"))
    expect(page.locator("#post-treatment-recovery")).to_contain_text(NEW_TEXT)
    page.go_back()
    page.locator("textarea[name=body]").fill(NEW_TEXT)

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("saved as a draft")
    assert NEW_TEXT not in client.get(f"/articles/{GUIDE}/").content.decode()

    page.goto(site.url + "/admin/articles/article/")
    page.get_by_role("row", name="A Guide to Ketamine Therapy for Depression").get_by_role(
        "checkbox"
    ).check()
    page.locator("select[name=action]").select_option("submit_for_review")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("Submitted for clinical review")
    assert NEW_TEXT not in client.get(f"/articles/{GUIDE}/").content.decode()
    staff.close()

    reviewing = browser.new_context(viewport={"width": 1280, "height": 900})
    page = reviewing.new_page()
    _sign_in(page, site, "rhea")
    _approve(page, site, "Rhea Ward, MD")
    page.goto(site.url + f"/articles/{GUIDE}/")
    expect(page.locator("#post-treatment-recovery")).to_contain_text(NEW_TEXT)
    expect(page.locator("main")).to_contain_text("Rhea Ward, MD")
    reviewing.close()

    # Undo: the editor restores the revision before the change, as a new draft.
    staff = browser.new_context(viewport={"width": 1280, "height": 900})
    page = staff.new_page()
    _sign_in(page, site, "carla")
    page.goto(site.url + "/admin/articles/article/")
    page.get_by_role("link", name="A Guide to Ketamine Therapy for Depression").click()
    page.get_by_role("link", name="All revisions").click()
    rows = page.locator("#page-revisions tbody tr")
    expect(rows).to_have_count(2)  # newest first: the approved edit, then the page as it was
    rows.last.get_by_role("link").first.click()
    page.get_by_role("button", name="Restore this revision as a new draft").click()
    expect(page.locator(".messagelist")).to_contain_text("restored as a new draft")
    page.get_by_role("button", name="Submit for clinical review").click()
    expect(page.locator(".messagelist")).to_contain_text("Submitted for clinical review")
    staff.close()
    assert NEW_TEXT in client.get(f"/articles/{GUIDE}/").content.decode()

    reviewing = browser.new_context(viewport={"width": 1280, "height": 900})
    page = reviewing.new_page()
    _sign_in(page, site, "rhea")
    _approve(page, site, "Rhea Ward, MD")
    page.goto(site.url + f"/articles/{GUIDE}/")
    section = page.locator("#post-treatment-recovery")
    expect(section).not_to_contain_text(NEW_TEXT)
    expect(section).to_contain_text(original.split(".")[0])
    reviewing.close()


def test_preview_changes_opens_at_the_section_edited_inline(site, editor, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _sign_in(page, site, "carla")
    page.goto(site.url + "/admin/articles/article/")
    page.get_by_role("link", name="A Guide to Ketamine Therapy for Depression").click()
    # The script that follows edits loads after the page: wait for it, as a person would.
    expect(page.locator("#preview-changes")).to_have_attribute("data-follows-edits", "true")
    inline = page.locator(
        ".inline-related", has=page.locator("input[value='post-treatment-recovery']")
    )
    inline.locator("textarea[name$='-body']").fill(NEW_TEXT)
    _preview_in_this_tab(page.get_by_role("button", name="Preview changes", exact=True))
    assert page.url.endswith("#post-treatment-recovery")
    expect(page.locator("#post-treatment-recovery")).to_contain_text(NEW_TEXT)
    expect(page.locator("#post-treatment-recovery")).to_be_in_viewport()
    context.close()
