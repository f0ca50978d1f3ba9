"""The admin's review schedule: every page whose medical review is overdue or due soon."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse

from articles.models import REVIEW_WARNING_DAYS, Article

from .models import TopicPage


def review_schedule(request):
    if not (
        request.user.has_perm("articles.view_article")
        or request.user.has_perm("topics.view_topicpage")
    ):
        raise PermissionDenied
    items = [
        {"obj": obj, "kind": kind, "admin_url": reverse(url_name, args=[obj.pk])}
        for model, kind, url_name in [
            (Article, "Article", "admin:articles_article_change"),
            (TopicPage, "Topic page", "admin:topics_topicpage_change"),
        ]
        for obj in model.objects.review_due()
    ]
    # Overdue first (the longest overdue at the top), then due soon, then never scheduled.
    items.sort(key=lambda item: (item["obj"].next_review_on is None, item["obj"].next_review_on))
    context = {
        **admin.site.each_context(request),
        "title": "Review schedule",
        "items": items,
        "within_days": REVIEW_WARNING_DAYS,
    }
    return TemplateResponse(request, "admin/review_schedule.html", context)
