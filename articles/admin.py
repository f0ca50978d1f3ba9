from django.contrib import admin
from django.db import models
from django.utils.html import format_html
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from .models import Article, Section

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
        (None, {"fields": ["title", "slug", "summary", "status"]}),
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
    search_fields = ["heading", "body"]
    list_select_related = ["article"]
    fields = ["article", ("position", "level"), "heading", "anchor", "body"]
    formfield_overrides = MARKDOWN_EDITOR
