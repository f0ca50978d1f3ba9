"""A content editor edits, previews, publishes, then restores an earlier version."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from articles.models import Article

pytestmark = pytest.mark.browser
GUIDE = "ketamine-therapy-for-depression-guide"
NEW_TEXT = "Plan a quiet evening after each session; our nurses will explain why."


@pytest.fixture
def editor(site):
    user = get_user_model().objects.create_user(
        "carla", email="carla@clinic.example", password="a long editor passphrase", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Content editors"))
    Article.objects.filter(slug=GUIDE).update(status=Article.Status.DRAFT)
    return user


def test_edit_preview_publish_and_restore(site, editor, desktop_page, client):
    page = desktop_page
    assert client.get(f"/articles/{GUIDE}/").status_code == 404  # a draft to begin with

    page.goto(site.url + "/admin/login/")
    page.get_by_label("Username").fill("carla")
    page.get_by_label("Password").fill("a long editor passphrase")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="Review schedule")).to_be_visible()

    page.goto(site.url + "/admin/articles/section/?q=Post-Treatment")
    page.get_by_role(
        "link", name="Post-Treatment Recovery (A Guide to Ketamine Therapy for Depression)"
    ).click()
    body = page.locator("textarea[name=body]")
    original = body.input_value()
    body.fill(NEW_TEXT)

    with page.expect_popup() as popup_info:
        page.get_by_role("button", name="Preview changes on the article page").click()
    preview = popup_info.value
    expect(preview.locator(".preview-banner")).to_contain_text("draft")
    expect(preview.locator("#post-treatment-recovery")).to_contain_text(NEW_TEXT)
    preview.close()

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(site.url + "/admin/articles/article/")
    page.get_by_role("row", name="A Guide to Ketamine Therapy for Depression").get_by_role(
        "checkbox"
    ).check()
    page.locator("select[name=action]").select_option("publish")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("Published 1")

    page.goto(site.url + f"/articles/{GUIDE}/")
    expect(page.locator("#post-treatment-recovery")).to_contain_text(NEW_TEXT)

    page.goto(site.url + "/admin/articles/section/?q=Post-Treatment")
    page.get_by_role(
        "link", name="Post-Treatment Recovery (A Guide to Ketamine Therapy for Depression)"
    ).click()
    page.get_by_role("link", name="History").click()
    page.get_by_role("link", name="Compare with previous").first.click()
    expect(page.locator(".diff ins").first).to_be_visible()
    page.get_by_role("link", name="Restore the older version…").click()
    page.get_by_role("button", name="Revert").click()

    page.goto(site.url + f"/articles/{GUIDE}/")
    section = page.locator("#post-treatment-recovery")
    expect(section).not_to_contain_text(NEW_TEXT)
    expect(section).to_contain_text(original.split(".")[0])
