from django.contrib import admin
from django.utils.html import format_html_join
from simple_history.admin import SimpleHistoryAdmin

from articles.admin import MARKDOWN_EDITOR, REVIEW_FIELDSET, PublishingAdmin
from articles.admin import SectionAdmin as ArticleSectionAdmin
from articles.history import PlainWordsHistory
from articles.models import Section

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


@admin.register(TopicPage)
class TopicPageAdmin(PublishingAdmin):
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


@admin.register(TreatmentFact)
class TreatmentFactAdmin(PlainWordsHistory, SimpleHistoryAdmin):
    list_display = ["treatment", "aspect", "text", "section"]
    list_filter = ["treatment", "aspect"]
    list_select_related = ["treatment", "section__article"]
    autocomplete_fields = ["section"]


# The articles app knows nothing of topic pages; the section's admin page learns from here
# where else the section is shown.
admin.site.unregister(Section)


@admin.register(Section)
class SectionAdmin(ArticleSectionAdmin):
    fields = [*ArticleSectionAdmin.fields, "shown_on"]
    readonly_fields = [*ArticleSectionAdmin.readonly_fields, "shown_on"]

    @admin.display(description="also shown on")
    def shown_on(self, section):
        pages = TopicPage.objects.showing(section) if section.pk else []
        if not pages:
            return "No topic pages."
        return format_html_join(
            ", ", '<a href="{}">{}</a>', ((page.get_absolute_url(), page.title) for page in pages)
        )
