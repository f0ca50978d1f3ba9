from django.apps import AppConfig
from django.db.models.signals import post_delete, pre_delete


class PublishingConfig(AppConfig):
    """Clinical sign-off: changes to live pages wait as revisions until a reviewer approves."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "publishing"
    verbose_name = "Review and publishing"

    def ready(self):
        from articles.models import Article, Section
        from glossary.models import GlossaryEntry
        from topics.models import TopicPage
        from translations.models import Translation

        from . import checks  # noqa: F401  (registers the launch checklist)
        from .signals import forget_images, forget_revisions, forget_translations

        for model in (Article, TopicPage, GlossaryEntry, Translation):
            post_delete.connect(
                forget_revisions, sender=model, dispatch_uid=f"revisions-{model.__name__}"
            )
        for model in (Article, TopicPage, GlossaryEntry):
            post_delete.connect(
                forget_translations, sender=model, dispatch_uid=f"translations-{model.__name__}"
            )
        for model in (Article, Section, TopicPage, Translation):
            pre_delete.connect(forget_images, sender=model, dispatch_uid=f"images-{model.__name__}")
