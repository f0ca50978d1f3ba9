"""Launch checklist items about content: pages patients see that no clinician has reviewed,
and text that still holds a placeholder."""

import re

from django.core import checks
from django.db import DatabaseError

LAUNCH = "launch"
PLACEHOLDER_TEXT = re.compile(r"\[to be supplied|\bTODO\b|\bTBD\b|lorem ipsum", re.IGNORECASE)


@checks.register(LAUNCH, deploy=True)
def published_pages_reviewed(app_configs=None, **kwargs):
    from .models import Article, TopicPage

    try:
        unreviewed = [
            (kind, title)
            for kind, model in (("Article", Article), ("Topic page", TopicPage))
            for title in model.objects.live()
            .filter(last_reviewed_on__isnull=True)
            .values_list("title", flat=True)
        ]
    except DatabaseError:
        return []
    return [
        checks.Warning(
            f"{kind} “{title}” is published but has never been medically reviewed.",
            hint="A clinician reviews it; record who and when under Medical review.",
            id="articles.W001",
        )
        for kind, title in unreviewed
    ]


@checks.register(LAUNCH, deploy=True)
def no_placeholder_text(app_configs=None, **kwargs):
    from .models import Article, Section, TopicPage

    found = []
    try:
        for model, fields in (
            (Article, ("title", "summary", "standfirst", "attribution")),
            (Section, ("heading", "body")),
            (TopicPage, ("title", "summary", "intro")),
        ):
            for obj in model.objects.all():
                if any(PLACEHOLDER_TEXT.search(getattr(obj, field) or "") for field in fields):
                    found.append(f"{model._meta.verbose_name} “{obj}”")
    except DatabaseError:
        return []
    return [
        checks.Warning(
            f"The {name} still holds placeholder text.",
            hint="Replace the placeholder, or remove it.",
            id="articles.W002",
        )
        for name in found
    ]
