"""Medical review dates: shown to patients, and listed for reviewers when due."""

import datetime

import lxml.html
import pytest
from django.utils import timezone

from articles.models import Article
from articles.readability import reading_grade, uncited_claims
from topics.models import TopicPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    """Computed when the test runs, not when the module is imported (a run may span midnight)."""
    return timezone.localdate()


def _set_review(obj, last, due, by="Dr Rev Iewer, MD"):
    obj.reviewed_by, obj.last_reviewed_on, obj.next_review_on = by, last, due
    obj.save()


def test_article_page_shows_reviewer_and_both_dates(client):
    article = Article.objects.get(slug="who-can-benefit-from-ketamine-therapy")
    _set_review(article, datetime.date(2026, 1, 5), datetime.date(2027, 1, 5))
    text = lxml.html.fromstring(client.get(article.get_absolute_url()).content).text_content()
    assert "Medically reviewed by" in text and "Dr Rev Iewer, MD" in text
    assert "5 January 2026" in text and "5 January 2027" in text


def test_review_schedule_lists_overdue_and_due_soon_but_not_later(staff_client, today):
    overdue = Article.objects.get(slug="who-can-benefit-from-ketamine-therapy")
    _set_review(overdue, today - datetime.timedelta(days=400), today - datetime.timedelta(days=5))
    soon = TopicPage.objects.get(slug="safety")
    _set_review(soon, today - datetime.timedelta(days=300), today + datetime.timedelta(days=20))
    later = TopicPage.objects.get(slug="candidacy")
    _set_review(later, today, today + datetime.timedelta(days=200))
    html = staff_client.get("/admin/review-schedule/").content.decode()
    assert overdue.title in html and "overdue" in html
    assert soon.title in html
    assert later.title not in html
    assert html.index(overdue.title) < html.index(soon.title)


def test_review_schedule_puts_overdue_then_due_soon_then_never_scheduled(staff_client, today):
    days = datetime.timedelta
    soon = TopicPage.objects.get(slug="safety")
    _set_review(soon, today - days(300), today + days(20))
    overdue = Article.objects.get(slug="who-can-benefit-from-ketamine-therapy")
    _set_review(overdue, today - days(400), today - days(5))
    long_overdue = TopicPage.objects.get(slug="candidacy")
    _set_review(long_overdue, today - days(700), today - days(300))
    page = lxml.html.fromstring(staff_client.get("/admin/review-schedule/").content)
    rows = [row.text_content() for row in page.xpath("//table[@id='review-schedule']//tbody/tr/th")]
    never = [
        t
        for t in TopicPage.objects.exclude(pk__in=[soon.pk, long_overdue.pk]).values_list(
            "title", flat=True
        )
    ]
    never += list(Article.objects.exclude(pk=overdue.pk).values_list("title", flat=True))
    assert rows[:3] == [long_overdue.title, overdue.title, soon.title]
    assert sorted(rows[3:]) == sorted(never)


def test_review_schedule_needs_content_permission(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("x", password="pw", is_staff=True))
    assert client.get("/admin/review-schedule/").status_code == 403


def test_next_review_must_follow_the_last(db, today):
    from django.core.exceptions import ValidationError

    page = TopicPage.objects.get(slug="safety")
    page.last_reviewed_on, page.next_review_on = today, today - datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        page.full_clean()


def test_reading_grade_separates_plain_from_dense_text():
    plain = "Ketamine is a medicine. It can help some people with low mood. A nurse checks on you."
    dense = (
        "Comprehensive medical screening assesses cardiovascular health, psychiatric history, "
        "substance use patterns, and age considerations, making cardiovascular screening crucial."
    )
    assert reading_grade(plain) < 8 < 10 < reading_grade(dense)


def test_uncited_numbers_and_study_results_are_flagged_cited_ones_are_not():
    text = (
        "Studies of esketamine show 60-70% of patients improve.\n\n"
        "A systematic review found benefits [@whittaker2021].\n\n"
        "Having support available is recommended."
    )
    assert uncited_claims(text) == ["Studies of esketamine show 60-70% of patients improve."]


def test_section_admin_flags_grade_and_uncited_claims(staff_client):
    from articles.models import Section

    section = Section.objects.get(anchor="effectiveness-and-research-evidence")
    html = staff_client.get(f"/admin/articles/section/{section.pk}/change/").content.decode()
    assert "above 10" in html
    assert "without a citation" in html
    listing = staff_client.get("/admin/articles/section/", {"q": "Effectiveness"}).content.decode()
    assert "⚠" in listing


def test_each_list_item_and_sentence_is_checked_on_its_own():
    text = "- One trial found 90% relapse\n- A review showed benefits [@x]\n\nCall 555 010 0199. Step 2 is easy."
    assert uncited_claims(text) == ["One trial found 90% relapse"]


def test_a_list_is_graded_as_separate_items():
    items = "\n".join(
        f"- {w}"
        for w in [
            "Eat well",
            "Sleep early",
            "Walk daily",
            "Drink water",
            "Rest often",
            "See friends",
            "Call us",
        ]
    )
    assert reading_grade(items) < 8
