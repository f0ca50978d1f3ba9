from django.apps import AppConfig


class PublishingConfig(AppConfig):
    """Clinical sign-off: changes to live pages wait as revisions until a reviewer approves."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "publishing"
    verbose_name = "Review and publishing"
