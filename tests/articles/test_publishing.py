"""Drafts stay private; staff preview exactly; publishing keeps the dates right."""

import datetime

import pytest
from django.utils import timezone

from articles.models import Article, Section
from publishing import workflow
from tests.factories import make_article, make_topic_page, post_section_edit, publish_pending
from topics.models import TopicPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(db):
    return make_article(
        title="Unreleased draft article",
        status=Article.Status.DRAFT,
        sections=["Draft words that nobody outside may read."],
    )


def test_draft_article_is_invisible_everywhere_public(client, draft):
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(f"{draft.get_absolute_url()}references.bib").status_code == 404
    for url in ["/", "/articles/", "/treatments/", "/candidacy/", "/safety/"]:
        assert "Unreleased draft article" not in client.get(url).content.decode(), url
    topic = make_topic_page(sections=[draft.sections.get()])
    assert "Draft words" not in client.get(topic.get_absolute_url()).content.decode()


def test_draft_topic_page_is_invisible_and_not_in_navigation(client):
    candidacy = TopicPage.objects.get(slug="candidacy")
    candidacy.unpublish()
    candidacy.save()
    assert client.get("/candidacy/").status_code == 404
    assert candidacy.title not in client.get("/").content.decode()


def test_staff_preview_shows_a_draft_as_it_will_look(staff_client, draft):
    response = staff_client.get(f"/articles/preview/{draft.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Draft words that nobody outside may read." in html
    assert "This page is a draft" in html
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "noindex" in response.headers["X-Robots-Tag"]


def test_preview_is_for_staff_with_permission_only(client, draft, django_user_model):
    assert client.get(f"/articles/preview/{draft.pk}/").status_code == 302  # to login
    handler = django_user_model.objects.create_user("handler", password="pw", is_staff=True)
    client.force_login(handler)
    assert client.get(f"/articles/preview/{draft.pk}/").status_code == 403


def test_section_preview_shows_unsaved_changes_without_saving(staff_client):
    section = Section.objects.get(anchor="during-treatment")
    response = staff_client.post(
        f"/admin/articles/section/{section.pk}/preview-changes/",
        {"heading": section.heading, "level": "3", "body": "Unsaved wording [@andrade2017]."},
    )
    html = response.content.decode()
    assert "Unsaved wording" in html
    assert 'href="#ref-1"' in html  # the new citation is numbered on the page
    section.refresh_from_db()
    assert "Unsaved wording" not in section.body


def test_topic_preview_works_for_a_draft_page(staff_client):
    page = make_topic_page(status=TopicPage.Status.DRAFT, intro="Draft introduction.")
    response = staff_client.get(f"/topics/preview/{page.pk}/")
    assert response.status_code == 200
    assert "Draft introduction." in response.content.decode()


def test_a_first_approval_dates_the_publication(staff_client, draft):
    staff_client.post(
        "/admin/articles/article/", {"action": "submit_for_review", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT  # submitting publishes nothing
    publish_pending(draft)
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert draft.published_on == timezone.localdate()
    assert draft.updated_on is None


def test_unpublishing_says_first_which_pages_lose_its_sections(staff_client, client):
    article = Article.objects.get(slug="who-can-benefit-from-ketamine-therapy")
    asked = staff_client.post(
        "/admin/articles/article/", {"action": "unpublish", "_selected_action": [article.pk]}
    )
    assert asked.status_code == 200
    page = asked.content.decode()
    losing = TopicPage.objects.filter(topic_sections__section__article=article).distinct()
    assert losing.exists()
    for topic in losing:
        assert topic.title in page
    assert client.get(article.get_absolute_url()).status_code == 200  # nothing done yet
    staff_client.post(
        "/admin/articles/article/",
        {"action": "unpublish", "_selected_action": [article.pk], "confirmed": "yes"},
    )
    assert client.get(article.get_absolute_url()).status_code == 404
    article.refresh_from_db()
    assert article.published_on == datetime.date(2022, 2, 7)  # kept for republication


def test_a_published_sections_approved_edit_updates_the_article_date(staff_client):
    article = Article.objects.get(slug="who-can-benefit-from-ketamine-therapy")
    section = article.sections.get(anchor="ketamine-therapy-for-anxiety")
    updated_on = article.updated_on
    response = post_section_edit(staff_client, section, section.body + "\n\nAn added paragraph.")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.updated_on == updated_on  # not yet: patients see no change
    publish_pending(article)
    article.refresh_from_db()
    assert article.updated_on == timezone.localdate()
    assert article.published_on == datetime.date(2022, 2, 7)


def test_draft_topic_pages_leave_the_navigation_and_take_their_children(client):
    treatments = TopicPage.objects.get(slug="treatments")
    treatments.unpublish()
    treatments.save()
    nav = client.get("/").content.decode()
    assert 'href="/treatments/"' not in nav
    assert client.get("/treatments/iv-ketamine-infusion/").status_code == 404


def test_publishing_an_unchanged_published_article_changes_no_date(staff_client):
    article = Article.objects.get(slug="who-can-benefit-from-ketamine-therapy")
    workflow.save_draft(article, workflow.current_content(article), user=None)
    publish_pending(article)
    article.refresh_from_db()
    assert (article.published_on, article.updated_on) == (
        datetime.date(2022, 2, 7),
        datetime.date(2024, 8, 19),
    )


def test_an_article_saved_as_published_gets_a_publication_date(db):
    article = make_article(status=Article.Status.PUBLISHED)
    assert article.published_on == timezone.localdate()


def test_content_editor_previews_but_enquiry_handler_cannot(client, draft, django_user_model):
    from django.contrib.auth.models import Group

    editor = django_user_model.objects.create_user("ed", password="pw", is_staff=True)
    editor.groups.add(Group.objects.get(name="Content editors"))
    handler = django_user_model.objects.create_user("hal", password="pw", is_staff=True)
    handler.groups.add(Group.objects.get(name="Enquiry handlers"))
    client.force_login(editor)
    assert client.get(f"/articles/preview/{draft.pk}/").status_code == 200
    assert client.get("/admin/review-schedule/").status_code == 200
    client.force_login(handler)
    assert client.get(f"/articles/preview/{draft.pk}/").status_code == 403
    assert client.get("/admin/review-schedule/").status_code == 403
