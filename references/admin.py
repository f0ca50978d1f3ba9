from django.contrib import admin
from django.db import models
from django.utils.safestring import mark_safe

from .models import Reference, ReferenceAuthor


class ReferenceAuthorInline(admin.TabularInline):
    model = ReferenceAuthor
    extra = 1
    fields = ["position", "family", "given", "suffix", "literal"]


@admin.register(Reference)
class ReferenceAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["key", "title", "issued_year", "container_title", "doi", "pmid"]
    list_filter = ["type"]
    search_fields = [
        "key",
        "title",
        "doi",
        "pmid",
        "pmcid",
        "authors__family",
        "authors__literal",
    ]
    inlines = [ReferenceAuthorInline]
    readonly_fields = ["formatted_preview"]
    fieldsets = [
        (None, {"fields": ["key", "type", "title", "container_title"]}),
        ("Date", {"fields": [("issued_year", "issued_month", "issued_day")]}),
        (
            "Where to find it",
            {"fields": [("volume", "issue", "pages"), "doi", "pmid", "pmcid", "url", "accessed"]},
        ),
        ("Publisher", {"fields": ["publisher", "publisher_place"]}),
        ("As readers see it", {"fields": ["formatted_preview"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()

    @admin.display(description="formatted entry")
    def formatted_preview(self, reference):
        if not reference.pk:
            return "Shown after saving."
        # entry_html is citeproc output cleaned by nh3 in references.formatting.
        return mark_safe(reference.entry_html)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Authors are saved after the reference itself, so format once both are in.
        form.instance.refresh_formatted()
