"""Launch checklist items about topic pages, as articles.checks has for articles."""

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
