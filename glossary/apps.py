from django.apps import AppConfig


class GlossaryConfig(AppConfig):
    """Plain definitions of the words the pages use, shown where a term is first used."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "glossary"
