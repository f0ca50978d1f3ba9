"""Launch checklist items about articles: published articles no clinician has reviewed,
and text that still holds a placeholder."""

import re

from django.core import checks
from django.db import DatabaseError

from clinic.checks import LAUNCH

PLACEHOLDER_TEXT = re.compile(r"\[to be supplied|\bTODO\b|\bTBD\b|lorem ipsum", re.IGNORECASE)


def never_reviewed(kind, model, check_id):
    """A warning for each published page of `model` without a recorded medical review."""
    try:
        titles = list(
            model.objects.live()
            .filter(last_reviewed_on__isnull=True)
            .values_list("title", flat=True)
        )
    except DatabaseError:  # before the first migrate
        return []
    return [
        checks.Warning(
            f"{kind} “{title}” is published but has never been medically reviewed.",
            hint="A clinician reviews it; record who and when under Medical review.",
            id=check_id,
        )
        for title in titles
    ]


def without_key_points(kind, model, check_id):
    """A warning for each published page of `model` that opens with no key points."""
    try:
        titles = list(
            model.objects.live().filter(key_points__isnull=True).values_list("title", flat=True)
        )
    except DatabaseError:
        return []
    return [
        checks.Warning(
            f"{kind} “{title}” is published without key points.",
            hint="Add three to six key points in plain words, each linked to its section.",
            id=check_id,
        )
        for title in titles
    ]


def placeholders(fields_by_model, check_id):
    """A warning for each object whose named fields still hold placeholder text."""
    found = []
    try:
        for model, fields in fields_by_model:
            for obj in model.objects.all():
                if any(PLACEHOLDER_TEXT.search(getattr(obj, field) or "") for field in fields):
                    found.append(f"{model._meta.verbose_name} “{obj}”")
    except DatabaseError:
        return []
    return [
        checks.Warning(
            f"The {name} still holds placeholder text.",
            hint="Replace the placeholder, or remove it.",
            id=check_id,
        )
        for name in found
    ]


@checks.register(LAUNCH, deploy=True)
def published_articles_reviewed(app_configs=None, **kwargs):
    from .models import Article

    return never_reviewed("Article", Article, "articles.W001")


@checks.register(LAUNCH, deploy=True)
def no_placeholder_text(app_configs=None, **kwargs):
    from .models import Article, Section

    return placeholders(
        [
            (Article, ("title", "summary", "standfirst", "attribution")),
            (Section, ("heading", "body")),
        ],
        "articles.W002",
    )


@checks.register(LAUNCH, deploy=True)
def published_articles_have_key_points(app_configs=None, **kwargs):
    from .models import Article

    return without_key_points("Article", Article, "articles.W003")


@checks.register(LAUNCH, deploy=True)
def no_live_section_cites_a_retracted_work(app_configs=None, **kwargs):
    from .models import Article, SectionCitation

    try:
        citing = list(
            SectionCitation.objects.filter(
                reference__retracted=True, section__article__status=Article.Status.PUBLISHED
            )
            .select_related("reference", "section__article")
            .order_by("section__article__title", "section__position", "reference__key")
        )
    except DatabaseError:
        return []
    return [
        checks.Warning(
            f"Section “{row.section.heading or 'Introduction'}” of “{row.section.article}” "
            f"cites “{row.reference.key}”, which has been retracted.",
            hint="Replace or remove the citation; the page is flagged to patients until then.",
            id="articles.W004",
        )
        for row in citing
    ]
