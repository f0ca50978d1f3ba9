from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    """ "Was this page helpful?": readers' answers, private to editors."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "feedback"
    verbose_name = "Page feedback"
