"""Which topic pages are built from an article's sections: the article page links to them.
The articles app knows nothing of topic pages; it asks this through
settings.ARTICLE_RELATED_PAGES_FUNCTION."""

from .models import TopicPage


def pages_built_from(article):
    """The published topic pages that show one of `article`'s sections (one query)."""
    return list(
        TopicPage.objects.live()
        .filter(topic_sections__section__article=article)
        .exclude(parent__isnull=False, parent__status=TopicPage.Status.DRAFT)
        .select_related("parent")
        .distinct()
        .order_by("position", "title")
    )
