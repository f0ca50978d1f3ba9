from django.apps import AppConfig


class TopicsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "topics"
    verbose_name = "Topic pages"

    def ready(self):
        from . import checks  # noqa: F401  (registers the launch checklist)
