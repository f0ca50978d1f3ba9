from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    """Phrases that overstate a treatment ("cure", "no side effects"), which a clinical
    reviewer weighs before a page goes live."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "claims"
    verbose_name = "Claims checked at review"
