from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin

from . import exporting, importing
from .models import Reference, ReferenceAuthor


class ReferenceAuthorInline(admin.TabularInline):
    model = ReferenceAuthor
    extra = 1
    fields = ["position", "particle", "family", "given", "suffix", "literal"]


class ReferenceForm(forms.ModelForm):
    save_anyway = forms.BooleanField(
        required=False,
        label="Save even though a reference with this title and year exists",
    )

    url = forms.URLField(label="URL", max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = Reference
        fields = [
            "key",
            "type",
            "title",
            "container_title",
            "container_title_short",
            "issued_year",
            "issued_month",
            "issued_day",
            "volume",
            "issue",
            "pages",
            "doi",
            "pmid",
            "pmcid",
            "url",
            "accessed",
            "publisher",
            "publisher_place",
        ]

    def clean(self):
        cleaned = super().clean()
        if self.errors or cleaned.get("save_anyway"):
            return cleaned
        candidate = Reference(
            pk=self.instance.pk,
            title=cleaned.get("title", ""),
            issued_year=cleaned.get("issued_year"),
        )
        existing = candidate.same_work()
        if existing:
            raise forms.ValidationError(
                f"“{existing.key}” has the same title and year: cite it as [@{existing.key}] "
                "instead, or tick “Save even though…” if this is a different work."
            )
        return cleaned


class ImportForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 14, "cols": 90}),
        label="Paste BibTeX, RIS or PubMed (MEDLINE / .nbib) text",
        max_length=200_000,
    )
    text_format = forms.ChoiceField(choices=importing.FORMATS.items(), label="Format")


@admin.register(Reference)
class ReferenceAdmin(SimpleHistoryAdmin):
    form = ReferenceForm
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
    actions = ["export_bibtex", "export_ris", "export_csl_json"]
    change_list_template = "admin/references/reference/change_list.html"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "key",
                    "type",
                    "title",
                    ("container_title", "container_title_short"),
                    "save_anyway",
                ]
            },
        ),
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

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="references_reference_import",
            ),
            *super().get_urls(),
        ]

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

    def _export(self, queryset, export_format):
        references = queryset.prefetch_related("authors").order_by("key")
        return exporting.download(references, export_format, "references")

    @admin.action(description="Export selected as BibTeX")
    def export_bibtex(self, request, queryset):
        return self._export(queryset, "bib")

    @admin.action(description="Export selected as RIS")
    def export_ris(self, request, queryset):
        return self._export(queryset, "ris")

    @admin.action(description="Export selected as CSL-JSON")
    def export_csl_json(self, request, queryset):
        return self._export(queryset, "json")

    def import_view(self, request):
        """Paste, preview what would be created or matched, then confirm."""
        if not self.has_add_permission(request):
            return redirect("admin:references_reference_changelist")
        form = ImportForm(request.POST or None)
        parsed, error = None, None
        if request.method == "POST" and form.is_valid():
            try:
                parsed = importing.parse_references(
                    form.cleaned_data["text"], form.cleaned_data["text_format"]
                )
            except importing.UnreadableText as problem:
                error = str(problem)
            if parsed and "confirm" in request.POST:
                try:
                    created = importing.save_new(parsed)
                except importing.UnreadableText as problem:
                    error = f"Nothing was imported: {problem}"
                else:
                    matched = len(parsed) - len(created)
                    self.message_user(
                        request,
                        f"Imported {len(created)} new reference(s); {matched} matched existing ones.",
                        messages.SUCCESS,
                    )
                    return redirect("admin:references_reference_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import references",
            "form": form,
            "parsed": parsed,
            "problems": getattr(parsed, "problems", []),
            "error": error,
            "new_count": sum(1 for entry in parsed or [] if entry.is_new),
        }
        return TemplateResponse(request, "admin/references/reference/import.html", context)
