from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from simple_history.admin import SimpleHistoryAdmin

from . import exporting, importing, services
from .models import Reference, ReferenceAuthor


class ReferenceAuthorInline(admin.TabularInline):
    model = ReferenceAuthor
    extra = 1
    fields = ["position", "particle", "family", "given", "suffix", "literal"]


def edit_token(reference):
    """Changes whenever anyone saves the reference or its authors: their newest history ids."""
    own = reference.history.values_list("history_id", flat=True).first() or 0
    authors = (
        ReferenceAuthor.history.filter(reference_id=reference.pk)
        .values_list("history_id", flat=True)
        .order_by("-history_id")
        .first()
        or 0
    )
    return f"{own}-{authors}"


class ReferenceForm(forms.ModelForm):
    # What the form was opened on: a save after someone else's is refused, nothing lost.
    edit_token = forms.CharField(widget=forms.HiddenInput, required=False)
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
            "evidence_type",
            "retracted",
            "retraction_notice",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["edit_token"].initial = edit_token(self.instance)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self._refuse_if_saved_since_opened()
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

    def _refuse_if_saved_since_opened(self):
        Reference.objects.select_for_update().filter(pk=self.instance.pk).first()  # until saved
        current = edit_token(self.instance)
        opened_on = self.data.get("edit_token", "")
        if opened_on == current:
            return
        latest = self.instance.history.first()
        older = self.instance.history.filter(history_id=opened_on.split("-")[0]).first()
        changed = (
            [
                Reference._meta.get_field(name).verbose_name
                for name in latest.diff_against(older).changed_fields
            ]
            if older and latest.history_id != older.history_id
            else []
        )
        if opened_on.split("-")[-1] != current.split("-")[-1]:
            changed.append("the authors")
        self.data = self.data.copy()
        self.data["edit_token"] = current  # a second save, after comparing, keeps this one
        raise forms.ValidationError(
            f"{latest.history_user or 'Someone'} saved this reference at "
            f"{timezone.localtime(latest.history_date):%H:%M} while you were editing it "
            f"(changed: {', '.join(changed) or 'its details'}). Nothing was saved from this form "
            "and your changes are still in it: compare them with theirs, then press Save again "
            "to keep yours."
        )


IMPORT_FILE_SUFFIXES = (".bib", ".ris", ".nbib", ".txt", ".json")
IMPORT_FILE_MAX_BYTES = 2 * 1024 * 1024
# In words: ".bib, .ris, .nbib, .txt or .json" and "2 MB".
IMPORT_FILE_KINDS = f"{', '.join(IMPORT_FILE_SUFFIXES[:-1])} or {IMPORT_FILE_SUFFIXES[-1]}"
IMPORT_FILE_LIMIT = f"{IMPORT_FILE_MAX_BYTES // (1024 * 1024)} MB"


class ImportForm(forms.Form):
    text = forms.CharField(
        # As wide as 90 characters where the screen allows, never wider than the screen.
        widget=forms.Textarea(
            attrs={"rows": 14, "cols": 90, "style": "max-width: 100%; box-sizing: border-box"}
        ),
        label=gettext_lazy("Paste BibTeX, RIS, PubMed (MEDLINE / .nbib) or CSL-JSON"),
        required=False,
    )
    upload = forms.FileField(
        label=gettext_lazy("…or choose a file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(IMPORT_FILE_SUFFIXES)}),
    )
    text_format = forms.ChoiceField(choices=importing.FORMATS.items(), label=gettext_lazy("Format"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["upload"].help_text = _(
            "A %(kinds)s file from a reference manager or PubMed, up to %(limit)s."
        ) % {"kinds": IMPORT_FILE_KINDS, "limit": IMPORT_FILE_LIMIT}

    def clean_text(self):
        text = self.cleaned_data["text"]
        if len(text.encode()) > IMPORT_FILE_MAX_BYTES:
            raise forms.ValidationError(
                _("The pasted text is larger than %(limit)s: import it in parts.")
                % {"limit": IMPORT_FILE_LIMIT}
            )
        return text

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if upload:
            cleaned["text"] = self._read(upload)
        if not cleaned.get("text", "").strip() and not self.errors:
            raise forms.ValidationError(_("Paste references, or choose a file."))
        return cleaned

    def _read(self, upload):
        if not upload.name.lower().endswith(IMPORT_FILE_SUFFIXES):
            raise forms.ValidationError(
                _("“%(name)s” is not a reference file: choose a %(kinds)s file.")
                % {"name": upload.name, "kinds": IMPORT_FILE_KINDS}
            )
        if upload.size > IMPORT_FILE_MAX_BYTES:
            raise forms.ValidationError(
                _("“%(name)s” is larger than %(limit)s.")
                % {"name": upload.name, "limit": IMPORT_FILE_LIMIT}
            )
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                _("“%(name)s” is not UTF-8 text: export it again as UTF-8 (Unicode).")
                % {"name": upload.name}
            ) from None


@admin.register(Reference)
class ReferenceAdmin(SimpleHistoryAdmin):
    form = ReferenceForm
    list_display = ["key", "title", "issued_year", "evidence_type", "retracted", "doi", "pmid"]
    list_filter = ["evidence_type", "retracted", "type"]
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
                    "edit_token",
                ]
            },
        ),
        ("Date", {"fields": [("issued_year", "issued_month", "issued_day")]}),
        (
            "Where to find it",
            {"fields": [("volume", "issue", "pages"), "doi", "pmid", "pmcid", "url", "accessed"]},
        ),
        ("Publisher", {"fields": ["publisher", "publisher_place"]}),
        (
            "Kind of evidence",
            {
                "fields": ["evidence_type", ("retracted", "retraction_notice")],
                "description": "Patients read the kind of evidence beside the reference, "
                "explained on the “How to read our references” page.",
            },
        ),
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
        """Paste or choose a file, preview what would be created or matched, then import
        exactly what was previewed (kept on the server, see references.services)."""
        if not self.has_add_permission(request):
            return redirect("admin:references_reference_changelist")
        if request.method == "POST" and "confirm" in request.POST:
            return self._import_confirmed(request)
        form = ImportForm(request.POST or None, request.FILES or None)
        parsed, token, error = None, "", None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data.get("upload")
            try:
                parsed, token = services.import_preview(
                    text=form.cleaned_data["text"],
                    text_format=form.cleaned_data["text_format"],
                    user=request.user,
                    source=upload.name if upload else "",
                )
            except importing.UnreadableText as problem:
                error = str(problem)
        return self._import_page(request, form, parsed=parsed, token=token, error=error)

    def _import_confirmed(self, request):
        try:
            result = services.import_confirm(token=request.POST.get("batch", ""), user=request.user)
        except services.ImportRefused as refusal:
            return self._import_page(request, ImportForm(), error=str(refusal))
        message = ngettext(
            "Imported %(count)s new reference; %(matched)s matched existing ones.",
            "Imported %(count)s new references; %(matched)s matched existing ones.",
            len(result.created),
        ) % {"count": len(result.created), "matched": result.matched}
        if result.not_imported:
            message += " " + _("%(count)s not imported, for the reasons the preview gave.") % {
                "count": result.not_imported
            }
        for previewed, given in result.rekeyed:
            message += " " + _(
                "The key %(previewed)s was taken since the preview: that reference is %(given)s."
            ) % {"previewed": previewed, "given": given}
        warn = result.not_imported or result.rekeyed
        self.message_user(request, message, messages.WARNING if warn else messages.SUCCESS)
        return redirect("admin:references_reference_changelist")

    def _import_page(self, request, form, *, parsed=None, token="", error=None):
        upload = form.cleaned_data.get("upload") if form.is_bound and form.is_valid() else None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import references"),
            "form": form,
            "parsed": parsed,
            "summary": parsed.summary() if parsed else {},
            "token": token,
            "source": upload.name if upload else "",
            "problems": getattr(parsed, "problems", []),
            "error": error,
            "lifetime_minutes": int(services.PREVIEW_LIFETIME.total_seconds() // 60),
        }
        return TemplateResponse(request, "admin/references/reference/import.html", context)
