from django.apps import AppConfig


class FrontConfig(AppConfig):
    """The site's front: the home page, the main navigation and site search."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "front"
    verbose_name = "Site search"
