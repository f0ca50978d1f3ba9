from django.contrib import admin
from django.utils.text import Truncator

from .models import PageFeedback


@admin.register(PageFeedback)
class PageFeedbackAdmin(admin.ModelAdmin):
    """Readers' answers, read-only: above the list, the answers counted per page."""

    change_list_template = "admin/feedback/pagefeedback/change_list.html"
    list_display = ["page", "answer", "comment_start", "language", "received_on"]
    list_filter = ["helpful", "language", "received_on", "article", "topic_page"]
    search_fields = ["comment"]
    list_select_related = ["article", "topic_page"]
    fields = ["page", "answer", "comment", "language", "received_on"]
    readonly_fields = fields

    @admin.display(description="helpful?", boolean=False)
    def answer(self, feedback):
        return "Yes" if feedback.helpful else "No"

    @admin.display(description="comment")
    def comment_start(self, feedback):
        return Truncator(feedback.comment).chars(80)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        counts = list(PageFeedback.objects.counts_per_page())
        for row in counts:
            row["filter"] = (
                f"article__id__exact={row['article']}"
                if row["article"]
                else f"topic_page__id__exact={row['topic_page']}"
            )
            row["title"] = row["article__title"] or row["topic_page__title"]
            row["kind"] = "Article" if row["article"] else "Topic page"
        return super().changelist_view(
            request, extra_context={**(extra_context or {}), "counts_per_page": counts}
        )
