from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ClaimPhrase


@admin.register(ClaimPhrase)
class ClaimPhraseAdmin(SimpleHistoryAdmin):
    """The phrases a section's form, the review page and the launch checklist look for."""

    list_display = ["phrase", "other_forms", "only_with", "negation_clears", "active"]
    list_filter = ["active"]
    search_fields = ["phrase", "other_forms", "why"]
    fields = ["phrase", "other_forms", "only_with", "negation_clears", "why", "active"]
