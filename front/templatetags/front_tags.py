from django import template
from django.urls import reverse

from topics.models import TopicPage

from ..navigation import MAIN_NAVIGATION, current_item

register = template.Library()


@register.inclusion_tag("includes/main_navigation.html", takes_context=True)
def main_navigation(context):
    request = context["request"]
    current = current_item(request)
    live_topics = set(
        TopicPage.objects.live()
        .filter(slug__in=[item.topic_slug for item in MAIN_NAVIGATION if item.topic_slug])
        .values_list("slug", flat=True)
    )
    items = []
    for item in MAIN_NAVIGATION:
        if item.topic_slug and item.topic_slug not in live_topics:
            continue  # a draft page is not offered to the public
        url = reverse(item.url_name)
        # "page" on the entry's own page, "true" on pages beneath it.
        marker = ("page" if request.path == url else "true") if item == current else None
        items.append({"label": item.label, "url": url, "current": marker})
    return {"items": items}
