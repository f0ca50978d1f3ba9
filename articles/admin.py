from django.contrib import admin
from django.db import models
from django.utils.html import format_html, format_html_join
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from .models import Article, Section, TopicPage, TopicSection, TreatmentFact

# Editor and live preview side by side, styled for the admin.
MARKDOWN_EDITOR = {MarkdownxField: {"widget": AdminMarkdownxWidget}}


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fields = [("position", "level"), "heading", "anchor", "body"]
    ordering = ["position", "id"]
    formfield_overrides = MARKDOWN_EDITOR


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    formfield_overrides = {**MARKDOWN_EDITOR, models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "author_name", "status", "published_on", "updated_on", "view_link"]
    list_filter = ["status"]
    search_fields = ["title", "summary", "sections__heading"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [SectionInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "standfirst", "status"]}),
        (
            "Author and source",
            {"fields": [("author_name", "author_credentials"), "publisher", "source_url"]},
        ),
        ("Dates", {"fields": [("published_on", "updated_on")]}),
        ("Attribution and notes", {"fields": ["attribution"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()

    @admin.display(description="public page")
    def view_link(self, article):
        if article.status != Article.Status.PUBLISHED:
            return "—"
        return format_html('<a href="{}">View</a>', article.get_absolute_url())


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "article", "position", "level", "anchor"]
    list_filter = ["article"]
    search_fields = ["heading", "body", "article__title"]
    list_select_related = ["article"]
    fields = ["article", ("position", "level"), "heading", "anchor", "body", "shown_on"]
    readonly_fields = ["shown_on"]
    formfield_overrides = MARKDOWN_EDITOR

    @admin.display(description="also shown on")
    def shown_on(self, section):
        pages = section.pages_using() if section.pk else []
        if not pages:
            return "No topic pages."
        return format_html_join(
            ", ", '<a href="{}">{}</a>', ((page.get_absolute_url(), page.title) for page in pages)
        )


class TopicSectionInline(admin.TabularInline):
    model = TopicSection
    extra = 1
    autocomplete_fields = ["section"]
    ordering = ["position", "id"]
    verbose_name = "section shown on this page"
    verbose_name_plural = "sections shown on this page, in order"


class TreatmentFactInline(admin.TabularInline):
    model = TreatmentFact
    extra = 0
    autocomplete_fields = ["section"]
    verbose_name = "comparison table entry"
    verbose_name_plural = "comparison table entries (treatment pages only)"


@admin.register(TopicPage)
class TopicPageAdmin(admin.ModelAdmin):
    formfield_overrides = MARKDOWN_EDITOR
    list_display = ["title", "parent", "status", "last_reviewed_on", "next_review_on", "view_link"]
    list_filter = ["status"]
    list_select_related = ["parent"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [TopicSectionInline, TreatmentFactInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "navigation_label", "summary", "intro", "status"]}),
        ("Place in the site", {"fields": ["parent", "position"]}),
        ("Medical review", {"fields": [("last_reviewed_on", "next_review_on")]}),
    ]

    @admin.display(description="public page")
    def view_link(self, page):
        if page.status != TopicPage.Status.PUBLISHED:
            return "—"
        return format_html('<a href="{}">View</a>', page.get_absolute_url())
