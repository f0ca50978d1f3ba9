from django.apps import AppConfig


class TranslationsConfig(AppConfig):
    """Spanish (and any other) versions of the site's content, each reviewed like a page."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "translations"
