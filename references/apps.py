from django.apps import AppConfig


class ReferencesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "references"

    def ready(self):
        # Fail at start-up, naming the setting, rather than on the first article page.
        from django.conf import settings

        from .formatting import load_style

        load_style(settings.CITATION_STYLE)
