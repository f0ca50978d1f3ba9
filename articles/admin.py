import logging

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget
from simple_history.admin import SimpleHistoryAdmin

from claims.matching import Matcher
from references.admin import ReferenceAdmin as PlainReferenceAdmin
from references.admin import ReferenceForm
from references.citations import CITATION_GROUP, cited_keys
from references.models import Reference

from .history import PlainWordsHistory, word_diff
from .images import strip_metadata, upload_limit
from .models import Article, KeyPoint, Section, free_anchor
from .readability import (
    GRADE_LIMIT,
    describe_key_point_grade,
    key_point_grade,
    key_point_problem,
    reading_grade,
    uncited_claims,
)
from .rendering import plain_text, render_markdown
from .services import save_article, save_section

logger = logging.getLogger(__name__)


class MarkdownEditor(AdminMarkdownxWidget):
    """Editor and live preview side by side, styled for the admin, with an "Insert image"
    button. Its script uploads the image (or one dragged or pasted in), shows the server's
    reason if it is refused and asks for alt text before writing it into the text."""

    template_name = "articles/_markdown_editor.html"

    class Media:
        js = ["js/markdown-image.js", "js/new-section-rows.js"]
        css = {"all": ["css/admin-editor.css"]}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["image_limit"] = upload_limit()
        context["image_limit_bytes"] = settings.IMAGE_UPLOAD_MAX_BYTES
        return context


# strip=False: Markdown's leading indentation (a code block) and trailing spaces (a line
# break) mean something; Django's text fields would strip them.
MARKDOWN_EDITOR = {MarkdownxField: {"widget": MarkdownEditor, "strip": False}}


class SectionBodyWidget(MarkdownEditor):
    """The Markdown editor whose live preview numbers citations as the section's page does:
    it asks the preview address about its section (`data-section`)."""

    def add_markdownx_attrs(self, attrs):
        attrs = MarkdownEditor.add_markdownx_attrs(attrs)
        if self.attrs.get("data-section"):
            attrs["data-markdownx-urls-path"] = (
                f"{reverse('markdownx_markdownify')}?section={self.attrs['data-section']}"
            )
        return attrs


def unknown_keys_message(unknown):
    return (
        ("Unknown citation key: " if len(unknown) == 1 else "Unknown citation keys: ")
        + ", ".join(f"@{key}" for key in unknown)
        + ". Add the reference first, or correct the key."
    )


class SectionForm(forms.ModelForm):
    """A section's fields. Citation keys no reference has are refused here; the form of an
    article's sections reads the reference keys once for all of them (`known_keys`)."""

    body = forms.CharField(
        widget=SectionBodyWidget,
        strip=False,  # as MARKDOWN_EDITOR
        help_text=Section._meta.get_field("body").help_text,
    )

    class Meta:
        model = Section
        fields = ["article", "position", "level", "heading", "anchor", "body"]

    def __init__(self, *args, known_keys=None, **kwargs):
        self.known_keys = known_keys
        super().__init__(*args, **kwargs)
        self.fields["position"].required = False
        self.fields[
            "position"
        ].help_text = "Sections are shown in this order. Leave it 0 to keep the order on this form."
        if self.instance.pk:
            self.fields["body"].widget.attrs["data-section"] = str(self.instance.pk)

    def clean_position(self):
        return self.cleaned_data.get("position") or 0

    def clean(self):
        cleaned = super().clean()
        if "body" in cleaned and "body" not in self.errors:
            self.instance.body = cleaned["body"]
            unknown = self.instance.unknown_citation_keys(self.known_keys)
            if unknown:
                self.add_error("body", unknown_keys_message(unknown))
        return cleaned

    def clean_body(self):
        body = self.cleaned_data["body"]
        if not body.strip():  # kept unstripped, so blank is checked here
            raise forms.ValidationError(self.fields["body"].error_messages["required"])
        return body


REVIEW_FIELDSET = (
    "Medical review",
    {
        "fields": ["reviewed_by", ("last_reviewed_on", "next_review_on")],
        "description": "Both dates are shown on the public page.",
    },
)


def retracted_keys():
    """The keys of references marked retracted: few, read once per form."""
    return set(Reference.objects.filter(retracted=True).values_list("key", flat=True))


def evidence_check(body, *, matcher=None, retracted=None):
    """What a clinical reviewer will weigh in a section's text: the retracted references it
    cites (a page citing one cannot be approved) and its overstating phrases."""
    html = render_markdown(body)
    retracted = retracted_keys() if retracted is None else retracted
    cited = [key for key in cited_keys(html) if key in retracted]
    found = (matcher or Matcher.active()).find(plain_text(html))
    parts = []
    if cited:
        parts.append(
            format_html(
                '<strong class="errornote">Cites a retracted reference: {}.</strong> A page '
                "citing it cannot be approved: replace or remove the citation.",
                ", ".join(cited),
            )
        )
    if found:
        parts.append(
            format_html(
                '<strong class="errornote">{} phrase(s) a clinical reviewer will weigh:'
                "</strong><ul>{}</ul>",
                len(found),
                format_html_join(
                    "",
                    "<li>“{}” in “{}”: {}</li>",
                    ((match.found, match.sentence[:200], match.why) for match in found),
                ),
            )
        )
    return parts


def reading_check(section, *, matcher=None, retracted=None):
    """Grade level, uncited claims, retracted references and overstating phrases, for
    editors and reviewers."""
    if section is None or not section.body:
        return "—"
    grade = reading_grade(section.body)
    claims = uncited_claims(section.body)
    parts = []
    if grade is None:
        parts.append("Too short to grade.")
    elif grade > GRADE_LIMIT:
        parts.append(
            format_html(
                '<strong class="errornote">Grade {} — above {}.</strong> Patient materials aim '
                "for grade 6 to 8: shorter sentences and everyday words help.",
                grade,
                GRADE_LIMIT,
            )
        )
    else:
        parts.append(format_html("Grade {}.", grade))
    if claims:
        parts.append(
            format_html(
                '<strong class="errornote">{} paragraph(s) state a number or a study result '
                "without a citation:</strong><ul>{}</ul>",
                len(claims),
                format_html_join("", "<li>{}</li>", ((claim[:160],) for claim in claims)),
            )
        )
    parts += evidence_check(section.body, matcher=matcher, retracted=retracted)
    return format_html_join(" ", "{}", ((part,) for part in parts))


def preview_link(url_name, obj, label="Preview as patients will see it"):
    if obj is None or not obj.pk:
        return "Save first to preview."
    return format_html(
        '<a href="{}" target="_blank" rel="noopener">{}</a>',
        reverse(url_name, args=[obj.pk]),
        label,
    )


class PageAdmin(PlainWordsHistory, SimpleHistoryAdmin):
    """What article and topic page admins share: a preview link, the public page, the review
    due. Publishing and unpublishing are clinical sign-off's: the publishing app registers
    these admins with its workflow, and nothing here changes what patients see."""

    preview_url_name = None

    @admin.display(description="preview")
    def preview(self, obj):
        return preview_link(self.preview_url_name, obj)

    @admin.display(description="public page")
    def view_link(self, obj):
        if obj.status != obj.Status.PUBLISHED:
            return format_html(
                '<a href="{}">Preview draft</a>', reverse(self.preview_url_name, args=[obj.pk])
            )
        return format_html('<a href="{}">View</a>', obj.get_absolute_url())

    @admin.display(description="next review", ordering="next_review_on")
    def review_due(self, obj):
        if obj.next_review_on is None:
            return "not scheduled"
        if obj.review_overdue:
            return format_html(
                '<strong class="errornote">overdue since {}</strong>', obj.next_review_on
            )
        return obj.next_review_on


class LoadedRowChoiceField(forms.ModelChoiceField):
    """A row's id on an inline form, found among the rows the formset has already read."""

    def __init__(self, *args, lookup, **kwargs):
        self.lookup = lookup
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        row = self.lookup(str(value)) if str(value).isdigit() else None
        return row if row is not None else super().to_python(value)


class LoadedRowsFormSet(BaseInlineFormSet):
    """An inline formset whose rows are read once: each posted row is found among them, not
    asked of the database one by one, so saving a page costs the same however many rows."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        field = form.fields.get(self._pk_field.name)
        if isinstance(field, forms.ModelChoiceField):
            form.fields[self._pk_field.name] = LoadedRowChoiceField(
                field.queryset,
                lookup=self._loaded_row,
                initial=field.initial,
                required=False,
                widget=field.widget,
            )

    def _loaded_row(self, pk):
        if not hasattr(self, "_rows_by_id"):
            self._rows_by_id = {str(row.pk): row for row in self.get_queryset()}
        return self._rows_by_id.get(pk)


class SectionFormSet(LoadedRowsFormSet):
    """An article's sections on its own form. A section whose anchor is left empty gets one
    made from its heading, unique within the article ("risks", "risks-2"), and one whose
    position is left empty or 0 comes where it stands on the form."""

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "known_keys": self.known_reference_keys()}

    def known_reference_keys(self):
        """The stored references among those the posted sections cite: read once."""
        if not self.is_bound:
            return None
        if not hasattr(self, "_known_keys"):
            cited = set()
            for name, value in self.data.items():
                if name.startswith(f"{self.prefix}-") and name.endswith("-body"):
                    for group in CITATION_GROUP.findall(value):
                        cited |= {key.strip().lstrip("@") for key in group.split(";")}
            self._known_keys = set(
                Reference.objects.filter(key__in=cited).values_list("key", flat=True)
            )
        return self._known_keys

    def clean(self):
        kept = [
            form
            for form in self.forms
            if hasattr(form, "cleaned_data")
            and form.cleaned_data
            and not (self.can_delete and self._should_delete_form(form))
        ]
        taken = {form.data.get(form.add_prefix("anchor"), "").strip() for form in kept} - {""}
        previous = 0
        for form in kept:
            if not form.data.get(form.add_prefix("anchor"), "").strip():
                anchor = free_anchor(form.cleaned_data.get("heading", ""), taken)
                taken.add(anchor)
                form.cleaned_data["anchor"] = form.instance.anchor = anchor
            if not form.cleaned_data.get("position"):
                form.cleaned_data["position"] = form.instance.position = previous + 1
            previous = form.cleaned_data["position"]
        super().clean()


class KeyPointText(forms.TextInput):
    """The point's text, with its reading grade shown beside it as the editor writes
    (js/key-point-grade.js asks the server's own check)."""

    template_name = "articles/_key_point_text.html"

    class Media:
        js = ["js/key-point-grade.js"]
        css = {"all": ["css/admin-editor.css"]}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["data-grade-url"] = reverse("admin:articles_keypoint_grade")
        described = f"{widget_attrs.get('aria-describedby', '')} {widget_attrs.get('id')}_grade"
        widget_attrs["aria-describedby"] = described.strip()
        context["too_hard"] = bool(key_point_problem(value or ""))
        context["grade"] = describe_key_point_grade(value or "")
        return context


class KeyPointForm(forms.ModelForm):
    """One key point: its text (graded as it is written) and the section it leads to, one of
    `links`, (value, heading) pairs of the page's sections."""

    link = "anchor"

    class Meta:
        model = KeyPoint
        fields = ["position", "text", "anchor"]
        widgets = {"text": KeyPointText(attrs={"size": 80})}

    def __init__(self, *args, links=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].required = False
        self.fields[self.link] = forms.TypedChoiceField(
            label="Section",
            choices=[("", "Choose the section that says it"), *links],
            coerce=self.coerce_link,
            help_text="The point links to it. A section added in this save can be chosen once "
            "it is saved.",
        )

    def coerce_link(self, value):
        return value

    def clean_position(self):
        return self.cleaned_data.get("position") or 0

    def clean_text(self):
        text = " ".join(self.cleaned_data["text"].split())
        problem = key_point_problem(text)
        if problem:
            raise forms.ValidationError(problem)
        return text


class KeyPointFormSet(LoadedRowsFormSet):
    """Three to six key points, or none yet (the page is then flagged for review). Each
    leads to one of the page's sections: `links` are given, or else `stored_links()`."""

    def __init__(self, *args, links=None, **kwargs):
        self.links = links
        super().__init__(*args, **kwargs)

    def stored_links(self):
        sections = Section.objects.filter(article_id=self.instance.pk).order_by("position")
        return [(s.anchor, s.heading or "Introduction") for s in sections]

    def get_form_kwargs(self, index):
        links = self.stored_links() if self.links is None else self.links
        return {**super().get_form_kwargs(index), "links": links}

    @property
    def empty_form(self):
        form = super().empty_form  # made without get_form_kwargs: given its choices here
        links = self.stored_links() if self.links is None else self.links
        form.fields[form.link].choices = [("", "Choose the section that says it"), *links]
        return form

    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and not (self.can_delete and self._should_delete_form(form))
        ]
        if kept and not KEY_POINTS_MIN <= len(kept) <= KEY_POINTS_MAX:
            raise forms.ValidationError(
                f"Give {KEY_POINTS_MIN} to {KEY_POINTS_MAX} key points, or none for now "
                f"(there are {len(kept)})."
            )
        previous = 0
        for form in kept:
            if not form.cleaned_data.get("position"):
                form.cleaned_data["position"] = form.instance.position = previous + 1
            previous = form.cleaned_data["position"]


KEY_POINTS_MIN, KEY_POINTS_MAX = 3, 6


class KeyPointInline(admin.StackedInline):
    model = KeyPoint
    form = KeyPointForm
    formset = KeyPointFormSet
    extra = 0
    max_num = KEY_POINTS_MAX
    ordering = ["position", "id"]
    verbose_name = "key point"
    verbose_name_plural = (
        "key points: three to six short points in plain words, shown first on the page"
    )


class SectionInline(admin.StackedInline):
    model = Section
    form = SectionForm
    formset = SectionFormSet
    extra = 0
    fields = [("position", "level"), "heading", "anchor", "body", "reading"]
    readonly_fields = ["reading"]
    ordering = ["position", "id"]

    @admin.display(description="reading and evidence check")
    def reading(self, section):
        # Compiled and read once for all the form's sections.
        if not hasattr(self, "_checks"):
            self._checks = {"matcher": Matcher.active(), "retracted": retracted_keys()}
        return reading_check(section, **self._checks)


KEPT_IMAGE_SALT = "articles.kept-featured-image"
KEPT_IMAGE_MAX_AGE = 24 * 60 * 60  # the worker removes uploads no page shows after a day


class ArticleForm(forms.ModelForm):
    """An article's form. A featured image chosen on a form that came back with errors is kept
    (stored, named by a signed token), so the editor need not choose it again."""

    kept_featured_image = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        kept = self.kept_image_name()
        chosen = cleaned.get("featured_image")
        if kept and not isinstance(chosen, UploadedFile) and chosen is not False:
            cleaned["featured_image"] = kept
        return cleaned

    def kept_image_name(self):
        token = self.data.get(self.add_prefix("kept_featured_image"), "")
        try:
            return signing.loads(token, salt=KEPT_IMAGE_SALT, max_age=KEPT_IMAGE_MAX_AGE)
        except signing.BadSignature:
            return None

    def keep_chosen_image(self):
        """After errors: store a newly chosen image and say it is kept."""
        chosen = getattr(self, "cleaned_data", {}).get("featured_image")
        if isinstance(chosen, UploadedFile) and "featured_image" not in self.errors:
            cleaned = strip_metadata(chosen)
            directory = Article._meta.get_field("featured_image").upload_to
            try:
                name = default_storage.save(f"{directory}{cleaned.name}", cleaned)
            except Exception:
                logger.exception("The site could not keep a chosen featured image.")
                return  # the field asks for it again, as it would without keeping
            self.data = self.data.copy()
            self.data[self.add_prefix("kept_featured_image")] = signing.dumps(
                name, salt=KEPT_IMAGE_SALT
            )
            shown = chosen.name
        elif self.kept_image_name():
            shown = self.kept_image_name().rsplit("/", 1)[-1]
        else:
            return
        # The field's bound copy keeps the help text it was made with: both are told.
        self.fields["featured_image"].help_text = self["featured_image"].help_text = (
            f"The image you chose, “{shown}”, is kept: you need not choose it again. Choose "
            "another file only to replace it."
        )


class ArticleAdmin(PageAdmin):
    form = ArticleForm
    formfield_overrides = {
        **MARKDOWN_EDITOR,
        models.URLField: {"assume_scheme": "https"},
        # A plain file field: the model's validator checks the bytes with Pillow and
        # explains a refusal (an SVG, a renamed text file) better than the default.
        models.ImageField: {
            "form_class": forms.FileField,
            "widget": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        },
    }
    list_display = [
        "title",
        "author_name",
        "status",
        "published_on",
        "updated_on",
        "review_due",
        "view_link",
    ]
    list_filter = ["status"]
    search_fields = ["title", "summary", "sections__heading"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [KeyPointInline, SectionInline]
    readonly_fields = ["preview"]
    preview_url_name = "articles:preview"
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "standfirst", "status", "preview"]}),
        (
            "Author and source",
            {"fields": [("author_name", "author_credentials"), "publisher", "source_url"]},
        ),
        ("Dates", {"fields": [("published_on", "updated_on")]}),
        REVIEW_FIELDSET,
        (
            "Featured image",
            {
                "fields": [
                    "featured_image",
                    "kept_featured_image",
                    "featured_image_alt",
                    "featured_image_credit",
                ]
            },
        ),
        ("Attribution and notes", {"fields": ["attribution"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()

    def get_urls(self):
        return [
            path(
                "key-point-grade/",
                self.admin_site.admin_view(self.key_point_grade_view),
                name="articles_keypoint_grade",
            ),
            *super().get_urls(),
        ]

    def key_point_grade_view(self, request):
        """A key point's reading grade, for the editor writing it: the same check as saving."""
        if not request.user.has_perm("articles.view_article"):
            raise PermissionDenied
        text = request.GET.get("text", "")[:500]
        return JsonResponse(
            {
                "grade": key_point_grade(text),
                "ok": key_point_problem(text) is None,
                "message": describe_key_point_grade(text),
            }
        )

    def render_change_form(self, request, context, *args, **kwargs):
        if request.method == "POST":
            context["adminform"].form.keep_chosen_image()
        return super().render_change_form(request, context, *args, **kwargs)

    def save_model(self, request, obj, form, change):
        """A new article's row, with its image stored and sized."""
        save_article(obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Section:
            return super().save_formset(request, form, formset, change)
        edited = formset.save(commit=False)
        for section in formset.deleted_objects:  # first: a new section may take a freed anchor
            section.delete()
        for section in edited:
            save_section(section)
        formset.save_m2m()


class SectionAdmin(PlainWordsHistory, SimpleHistoryAdmin):
    form = SectionForm
    list_display = ["__str__", "article", "position", "level", "grade", "uncited"]
    list_filter = ["article"]
    search_fields = ["heading", "body", "article__title"]
    list_select_related = ["article"]
    fields = [
        "article",
        ("position", "level"),
        "heading",
        "anchor",
        "body",
        "reading",
        "preview",
        "cites",
    ]
    readonly_fields = ["reading", "preview", "cites"]
    history_list_display = ["compare"]
    change_form_template = "admin/articles/section/change_form.html"

    def get_urls(self):
        return [
            path(
                "<int:section_id>/history/compare/<int:older_id>/<int:newer_id>/",
                self.admin_site.admin_view(self.compare_view),
                name="articles_section_compare",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="grade")
    def grade(self, section):
        grade = reading_grade(section.body)
        if grade is not None and grade > GRADE_LIMIT:
            return format_html('<strong class="errornote">{} ⚠</strong>', grade)
        return grade if grade is not None else "—"

    @admin.display(description="uncited claims")
    def uncited(self, section):
        count = len(uncited_claims(section.body))
        return format_html('<strong class="errornote">{} ⚠</strong>', count) if count else "0"

    @admin.display(description="reading and evidence check")
    def reading(self, section):
        return reading_check(section)

    @admin.display(description="preview")
    def preview(self, section):
        if not section.pk:
            return "Save first to preview."
        return "Use “Preview changes” below to see unsaved edits on the article page."

    @admin.display(description="cites")
    def cites(self, section):
        references = section.cited_references.all() if section.pk else []
        return (
            format_html_join(
                ", ",
                "{}{}",
                (
                    (
                        reference.key,
                        mark_safe(" <strong>(retracted)</strong>") if reference.retracted else "",
                    )
                    for reference in references
                ),
            )
            or "No references."
        )

    def compare(self, record):
        """History list column: a link to the word-level diff against the previous version."""
        previous = record.prev_record
        if previous is None:
            return "first version"
        url = reverse(
            "admin:articles_section_compare",
            args=[record.id, previous.history_id, record.history_id],
        )
        return format_html('<a href="{}">Compare with previous</a>', url)

    def compare_view(self, request, section_id, older_id, newer_id):
        section = get_object_or_404(Section.history.model, id=section_id, history_id=newer_id)
        if not self.has_view_history_or_change_history_permission(request, section.instance):
            raise PermissionDenied
        older = get_object_or_404(Section.history.model, id=section_id, history_id=older_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Changes to “{section.heading or 'Introduction'}”",
            "older": older,
            "newer": section,
            "heading_diff": word_diff(older.heading, section.heading),
            "body_diff": word_diff(older.body, section.body),
            "object_id": section_id,
        }
        return TemplateResponse(request, "admin/articles/section/compare.html", context)


# The references app knows nothing of articles. Here a reference's admin page learns which
# sections cite it, and refuses a new key that would leave their [@key]s pointing nowhere.
class CitedReferenceForm(ReferenceForm):
    def clean_key(self):
        key = self.cleaned_data["key"]
        stored_key = self.initial.get("key")
        if (
            self.instance.pk
            and stored_key
            and key != stored_key
            and self.instance.citing_sections.exists()
        ):
            raise forms.ValidationError(
                f"“{stored_key}” is cited in sections; change the citations there first, "
                "or keep this key."
            )
        return key


admin.site.unregister(Reference)


@admin.register(Reference)
class ReferenceAdmin(PlainWordsHistory, PlainReferenceAdmin):
    form = CitedReferenceForm
    readonly_fields = [*PlainReferenceAdmin.readonly_fields, "cited_in"]
    fieldsets = [
        *PlainReferenceAdmin.fieldsets[:-1],
        ("As readers see it", {"fields": ["formatted_preview", "cited_in"]}),
    ]

    @admin.display(description="cited in")
    def cited_in(self, reference):
        sections = reference.citing_sections.select_related("article") if reference.pk else []
        if not sections:
            return "Not cited in any section."
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}">{}</a>',
            ((reverse("admin:articles_section_change", args=[s.pk]), str(s)) for s in sections),
        )
