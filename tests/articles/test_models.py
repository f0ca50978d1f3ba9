"""Articles are ordered sections; the seed fixtures load as the sources lay them out."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from articles.models import Article, Section
from tests.factories import make_article, make_section


def test_seed_content_loads_both_articles_with_structure(db):
    guide = Article.objects.get(slug="ketamine-therapy-for-depression-guide")
    sections = list(guide.sections.all())
    types = [
        s for s in sections if s.heading == "Types of Ketamine Therapy: Understanding Your Options"
    ]
    assert types and types[0].level == 2
    after_types = sections[sections.index(types[0]) + 1 : sections.index(types[0]) + 4]
    assert [(s.heading, s.level) for s in after_types] == [
        ("Esketamine (Spravato) Nasal Spray", 3),
        ("Intravenous (IV) Ketamine", 3),
        ("Ketamine-Assisted Psychotherapy (KAP)", 3),
    ]
    hasty = Article.objects.get(slug="who-can-benefit-from-ketamine-therapy")
    assert (hasty.author_name, hasty.author_credentials, hasty.publisher) == (
        "Marie Hasty",
        "RN",
        "Psychedelic Support",
    )
    assert (hasty.published_on.isoformat(), hasty.updated_on.isoformat()) == (
        "2022-02-07",
        "2024-08-19",
    )


def test_sections_come_in_position_order_not_creation_order(db):
    article = make_article()
    make_section(article=article, position=2, heading="Second", anchor="second")
    make_section(article=article, position=1, heading="First", anchor="first")
    assert [s.heading for s in article.sections.all()] == ["First", "Second"]


def test_anchor_is_unique_within_an_article_only(db):
    first, second = make_article(), make_article()
    make_section(article=first, anchor="same")
    make_section(article=second, anchor="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_section(article=first, position=2, anchor="same")


def test_anchor_is_made_from_the_heading_when_left_empty(db):
    section = make_section(article=make_article(), heading="Who Is a Candidate?", anchor="")
    assert section.anchor == "who-is-a-candidate"


def test_anchor_may_not_take_an_id_the_page_uses(db):
    section = Section(article=make_article(), heading="x", anchor="ref-1", body="x")
    with pytest.raises(ValidationError) as error:
        section.full_clean()
    assert "anchor" in error.value.message_dict


def test_unknown_citation_key_is_refused_with_the_key_named(db):
    """The section's form refuses it (reading the references once for a page of sections)."""
    from articles.admin import SectionForm

    form = SectionForm(
        {
            "article": make_article().pk,
            "position": "1",
            "level": "2",
            "heading": "x",
            "anchor": "x",
            "body": "Claim [@zunszain2013; @nobody1999].",
        }
    )
    assert not form.is_valid()
    message = " ".join(form.errors["body"])
    assert "@nobody1999" in message
    assert "zunszain2013" not in message


def test_body_html_is_stored_sanitized_on_save(db):
    section = make_section(article=make_article(), body="Hi <script>x()</script>")
    assert "<script" not in Section.objects.get(pk=section.pk).body_html


def test_level_is_two_or_three(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_section(article=make_article(), level=4)


def test_section_queries_do_not_join_articles_to_sort(db):
    from articles.models import Section

    sql = str(Section.objects.all().query)
    assert "articles_article" not in sql
    assert 'ORDER BY "articles_section"."article_id" ASC' in sql


@pytest.mark.parametrize(
    "heading, anchor",
    [
        ("References and further reading", "section-references-and-further-reading"),
        ("References", "section-references"),  # was "references-2": a reserved prefix
        ("Contents", "section-contents"),
        ("Top", "section-top"),
        ("Main", "section-main"),
    ],
)
def test_a_heading_like_the_pages_own_ids_gets_a_free_anchor_that_validates(db, heading, anchor):
    from articles.models import Article, Section

    article = Article.objects.get(slug="who-can-benefit-from-ketamine-therapy")
    section = Section(article=article, heading=heading, body="Text.")
    section.full_clean()  # was refused: the made-up anchor was the page's own
    section.save()
    assert section.anchor == anchor
