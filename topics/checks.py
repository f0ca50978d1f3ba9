"""Launch checklist items about topic pages, as articles.checks has for articles."""

import re

from django.core import checks

from articles.checks import never_reviewed, placeholders, without_key_points
from clinic.checks import LAUNCH


@checks.register(LAUNCH, deploy=True)
def published_topic_pages_reviewed(app_configs=None, **kwargs):
    from .models import TopicPage

    return never_reviewed("Topic page", TopicPage, "topics.W001")


@checks.register(LAUNCH, deploy=True)
def no_placeholder_text(app_configs=None, **kwargs):
    from .models import TopicPage

    return placeholders([(TopicPage, ("title", "summary", "intro"))], "topics.W002")


@checks.register(LAUNCH, deploy=True)
def published_topic_pages_have_key_points(app_configs=None, **kwargs):
    from .models import TopicPage

    return without_key_points("Topic page", TopicPage, "topics.W003")


# What patients ask that the source articles do not answer. The clinic writes these and a
# clinician reviews them; an item leaves the checklist once a published section heading or
# topic page title is about it (`heading`).
UNANSWERED_QUESTIONS = [
    (
        "pregnancy and breastfeeding",
        re.compile(r"pregnan|breast-?feed", re.I),
        "Ketamine therapy in pregnancy and while breastfeeding",
    ),
    (
        "driving after a session",
        re.compile(r"\bdriv", re.I),
        "Driving and getting home after a session",
    ),
    (
        "medicines that interact with ketamine",
        re.compile(r"interact|other medicines|medications to avoid", re.I),
        "Medicines that interact with ketamine",
    ),
    (
        "what to do if unwell after a session",
        re.compile(r"\bunwell\b|\bfeel(?:ing)? (?:ill|sick|unwell)\b|\bwho to call\b", re.I),
        "If you feel unwell after a session",
    ),
]


@checks.register(LAUNCH, deploy=True)
def patients_questions_answered(app_configs=None, **kwargs):
    from django.db import DatabaseError

    from articles.models import Article, Section

    from .models import TopicPage

    try:
        headings = list(
            Section.objects.filter(article__in=Article.objects.live()).values_list(
                "heading", flat=True
            )
        ) + list(TopicPage.objects.live().values_list("title", flat=True))
    except DatabaseError:  # before the first migrate
        return []
    return [
        checks.Warning(
            f"Patients ask about {topic}, and no published page answers it: the source "
            "articles do not cover it.",
            hint=f"Write a section (for example “{example}”), have a clinician review it, "
            "and publish it.",
            id="topics.W004",
        )
        for topic, heading, example in UNANSWERED_QUESTIONS
        if not any(heading.search(text or "") for text in headings)
    ]
