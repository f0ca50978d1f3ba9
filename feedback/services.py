from .models import PageFeedback


def feedback_submit(*, page, helpful, comment, language):
    """Store one answer about `page` (an article or a topic page), read in `language`:
    nothing about who sent it."""
    field = "article" if page._meta.model_name == "article" else "topic_page"
    return PageFeedback.objects.create(
        **{field: page}, helpful=helpful, comment=comment, language=language
    )
