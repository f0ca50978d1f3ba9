from django.contrib import admin
from django.utils.html import format_html_join
from simple_history.admin import SimpleHistoryAdmin

from articles.admin import (
    KEY_POINTS_MAX,
    MARKDOWN_EDITOR,
    REVIEW_FIELDSET,
    KeyPointForm,
    KeyPointFormSet,
    KeyPointText,
    PageAdmin,
)
from articles.history import PlainWordsHistory
from articles.models import Section

from .models import TopicKeyPoint, TopicPage, TopicSection, TreatmentFact


class TopicKeyPointForm(KeyPointForm):
    link = "section"

    class Meta:
        model = TopicKeyPoint
        fields = ["position", "text", "section"]
        widgets = {"text": KeyPointText(attrs={"size": 80})}

    def coerce_link(self, value):
        return Section.objects.get(pk=int(value))


class TopicKeyPointFormSet(KeyPointFormSet):
    def stored_links(self):
        rows = self.instance.topic_sections.select_related("section") if self.instance.pk else []
        return [(row.section_id, row.section.heading or "Introduction") for row in rows]


class TopicKeyPointInline(admin.StackedInline):
    model = TopicKeyPoint
    form = TopicKeyPointForm
    formset = TopicKeyPointFormSet
    extra = 0
    max_num = KEY_POINTS_MAX
    ordering = ["position", "id"]
    verbose_name = "key point"
    verbose_name_plural = (
        "key points: three to six short points in plain words, shown first on the page"
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


class TopicPageAdmin(PageAdmin):
    formfield_overrides = MARKDOWN_EDITOR
    list_display = ["title", "parent", "status", "last_reviewed_on", "review_due", "view_link"]
    list_filter = ["status"]
    list_select_related = ["parent"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [TopicKeyPointInline, TopicSectionInline, TreatmentFactInline]
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
