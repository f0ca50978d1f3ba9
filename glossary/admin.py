from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import GlossaryEntry


class GlossaryEntryAdmin(SimpleHistoryAdmin):
    """Terms and their plain definitions. Registered by the publishing app: an entry goes
    public, or changes, only once a clinical reviewer approves it."""

    list_display = ["term", "also_matches", "status"]
    list_filter = ["status"]
    search_fields = ["term", "also_matches", "definition"]
    prepopulated_fields = {"slug": ["term"]}
    fieldsets = [(None, {"fields": ["term", "slug", "also_matches", "definition", "status"]})]
    formfield_overrides = {}

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "definition" in form.base_fields:
            form.base_fields["definition"].widget.attrs.update(rows=3, maxlength=400)
        return form


__all__ = ["GlossaryEntry", "GlossaryEntryAdmin", "admin"]
