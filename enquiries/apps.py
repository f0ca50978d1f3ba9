from django.apps import AppConfig


class EnquiriesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "enquiries"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deployment checks)
