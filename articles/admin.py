from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget
from simple_history.admin import SimpleHistoryAdmin

from references.admin import ReferenceAdmin as PlainReferenceAdmin
from references.admin import ReferenceForm
from references.models import Reference

from .history import PlainWordsHistory, word_diff
from .images import upload_limit
from .models import Article, Section
from .readability import GRADE_LIMIT, reading_grade, uncited_claims
from .services import save_article, save_section


class MarkdownEditor(AdminMarkdownxWidget):
    """Editor and live preview side by side, styled for the admin, with an "Insert image"
    button. Its script uploads the image (or one dragged or pasted in), shows the server's
    reason if it is refused and asks for alt text before writing it into the text."""

    template_name = "articles/_markdown_editor.html"

    class Media:
        js = ["js/markdown-image.js"]
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


class SectionForm(forms.ModelForm):
    body = forms.CharField(
        widget=SectionBodyWidget,
        strip=False,  # as MARKDOWN_EDITOR
        help_text=Section._meta.get_field("body").help_text,
    )

    class Meta:
        model = Section
        fields = ["article", "position", "level", "heading", "anchor", "body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["body"].widget.attrs["data-section"] = str(self.instance.pk)

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


def reading_check(section):
    """Grade level and uncited claims, for reviewers."""
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
    return format_html_join(" ", "{}", ((part,) for part in parts))


def preview_link(url_name, obj, label="Preview as patients will see it"):
    if obj is None or not obj.pk:
        return "Save first to preview."
    return format_html(
        '<a href="{}" target="_blank" rel="noopener">{}</a>',
        reverse(url_name, args=[obj.pk]),
        label,
    )


class PublishingAdmin(PlainWordsHistory, SimpleHistoryAdmin):
    """Publish and unpublish actions, and a preview link, for articles and topic pages."""

    actions = ["publish", "unpublish"]
    preview_url_name = None

    @admin.action(description="Publish selected", permissions=["change"])
    def publish(self, request, queryset):
        for obj in queryset:
            obj.publish()
            obj.save()
        self.message_user(request, f"Published {len(queryset)}.", messages.SUCCESS)

    @admin.action(description="Unpublish selected (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        for obj in queryset:
            obj.unpublish()
            obj.save()
        self.message_user(request, f"Unpublished {len(queryset)}.", messages.SUCCESS)

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


class SectionInline(admin.StackedInline):
    model = Section
    form = SectionForm
    extra = 0
    fields = [("position", "level"), "heading", "anchor", "body", "reading"]
    readonly_fields = ["reading"]
    ordering = ["position", "id"]

    @admin.display(description="reading check")
    def reading(self, section):
        return reading_check(section)


@admin.register(Article)
class ArticleAdmin(PublishingAdmin):
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
    inlines = [SectionInline]
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
            {"fields": ["featured_image", "featured_image_alt", "featured_image_credit"]},
        ),
        ("Attribution and notes", {"fields": ["attribution"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()

    def save_model(self, request, obj, form, change):
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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        content_changed = form.has_changed() or any(f.has_changed() for f in formsets)
        if change and content_changed and "updated_on" not in form.changed_data:
            article.record_update()


@admin.register(Section)
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

    def save_model(self, request, obj, form, change):
        save_section(obj)
        if change and form.has_changed():
            obj.article.record_update()

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

    @admin.display(description="reading check")
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
        return ", ".join(reference.key for reference in references) or "No references."

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
