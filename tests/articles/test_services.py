"""Saving a model writes its own row only; files and other rows come from named services."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article, Section, SectionCitation
from articles.services import rerender_sections, save_article, save_section
from tests.articles.test_images import _jpeg_with_location
from tests.factories import make_article, make_reference
from tests.media import stored_files

pytestmark = pytest.mark.django_db


def _article_with_image():
    article = make_article()
    article.featured_image = SimpleUploadedFile("room.jpg", _jpeg_with_location(1600, 900))
    article.featured_image_alt = "A calm treatment room"
    save_article(article)
    return article


def test_save_article_stores_the_image_clean_with_its_sizes_in_one_write(
    django_assert_num_queries, media
):
    article = make_article()
    article.featured_image = SimpleUploadedFile("room.jpg", _jpeg_with_location(1600, 900))
    with django_assert_num_queries(2):  # the UPDATE and its history row; none for the sizes
        save_article(article)
    stored = Article.objects.get(pk=article.pk)
    assert stored.featured_image.name.startswith("featured/")
    assert [r["width"] for r in stored.featured_image_renditions][-1] == 1600
    with stored.featured_image.open() as image:
        assert b"PhoneMaker" not in image.read()
    assert len(stored_files()) == len(stored.featured_image_renditions)


def test_saving_an_article_writes_only_its_own_row(django_assert_num_queries):
    article = _article_with_image()
    files = stored_files()
    article.featured_image_renditions = []  # as a restored version naming the image has
    article.title = "Retitled"
    # The UPDATE and its history row each time: no second UPDATE, no files made.
    with django_assert_num_queries(2):
        article.save(update_fields=["title", "featured_image_renditions"])
    with django_assert_num_queries(2):
        article.save()
    assert stored_files() == files
    assert Article.objects.get(pk=article.pk).featured_image_renditions == []


def test_save_article_gives_a_restored_image_its_sizes_again():
    article = _article_with_image()
    article.featured_image_renditions = []
    save_article(article)
    assert Article.objects.get(pk=article.pk).featured_image_renditions[-1]["width"] == 1600


def test_saving_a_section_records_no_citations_save_section_does():
    reference = make_reference(key="cited-here")
    article = make_article()
    section = Section(article=article, heading="Evidence", body="A finding [@cited-here].")
    section.save()
    assert "cite-" in section.body_html or "cited-here" in section.body_html  # still derived
    assert not SectionCitation.objects.filter(section=section).exists()
    save_section(section)
    assert list(
        SectionCitation.objects.filter(section=section).values_list("reference", flat=True)
    ) == [reference.pk]
    section.body = "The finding, no longer cited."
    save_section(section)
    assert not SectionCitation.objects.filter(section=section).exists()


def test_rerender_sections_records_citations_missing_after_a_fixture_load():
    make_reference(key="cited-later")
    article = make_article()
    section = Section(article=article, heading="Evidence", body="A finding [@cited-later].")
    section.save()
    rerender_sections(Section.objects.filter(pk=section.pk))
    assert SectionCitation.objects.filter(section=section).count() == 1
