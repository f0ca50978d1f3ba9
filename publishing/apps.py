from django.apps import AppConfig
from django.db.models.signals import post_delete, pre_delete


class PublishingConfig(AppConfig):
    """Clinical sign-off: changes to live pages wait as revisions until a reviewer approves."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "publishing"
    verbose_name = "Review and publishing"

    def ready(self):
        from articles.models import Article, Section
        from topics.models import TopicPage

        from . import checks  # noqa: F401  (registers the launch checklist)
        from .signals import forget_images, forget_revisions

        for model in (Article, TopicPage):
            post_delete.connect(
                forget_revisions, sender=model, dispatch_uid=f"revisions-{model.__name__}"
            )
        for model in (Article, Section, TopicPage):
            pre_delete.connect(forget_images, sender=model, dispatch_uid=f"images-{model.__name__}")
