from django.contrib import admin
from django.utils.html import format_html_join
from simple_history.admin import SimpleHistoryAdmin

from articles.admin import MARKDOWN_EDITOR, REVIEW_FIELDSET, PageAdmin
from articles.history import PlainWordsHistory

from .models import TopicPage, TopicSection, TreatmentFact


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


class TopicPageAdmin(PageAdmin):
    formfield_overrides = MARKDOWN_EDITOR
    list_display = ["title", "parent", "status", "last_reviewed_on", "review_due", "view_link"]
    list_filter = ["status"]
    list_select_related = ["parent"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [TopicSectionInline, TreatmentFactInline]
    readonly_fields = ["preview"]
    preview_url_name = "topics:preview"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "navigation_label",
                    "summary",
                    "intro",
                    "status",
                    "preview",
                ]
            },
        ),
        ("Place in the site", {"fields": ["parent", "position"]}),
        REVIEW_FIELDSET,
    ]


class TreatmentFactAdmin(PlainWordsHistory, SimpleHistoryAdmin):
    list_display = ["treatment", "aspect", "text", "section"]
    list_filter = ["treatment", "aspect"]
    list_select_related = ["treatment", "section__article"]
    autocomplete_fields = ["section"]


class ShownOnTopicPages:
    """For the section's admin: the articles app knows nothing of topic pages, so where else
    a section is shown is added from here."""

    @admin.display(description="also shown on")
    def shown_on(self, section):
        pages = TopicPage.objects.showing(section) if section.pk else []
        if not pages:
            return "No topic pages."
        return format_html_join(
            ", ", '<a href="{}">{}</a>', ((page.get_absolute_url(), page.title) for page in pages)
        )
