"""The topic pages' admin, and what it adds to the sections' admin."""

import pytest

pytestmark = pytest.mark.django_db


def test_where_a_section_is_shown_costs_one_query(db, django_assert_num_queries):
    from django.contrib import admin

    from articles.models import Section
    from tests.factories import make_topic_page
    from topics.models import TopicPage

    treatments = TopicPage.objects.get(slug="treatments")
    section = Section.objects.first()
    for n in range(3):
        make_topic_page(slug=f"treatment-{n}", parent=treatments, sections=[section])
    section_admin = admin.site._registry[Section]
    with django_assert_num_queries(1):
        html = str(section_admin.shown_on(section))
    assert html.count("/treatments/treatment-") == 3
