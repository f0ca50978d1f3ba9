from django import template
from django.urls import reverse

from articles.models import TopicPage

from ..crisis import dialable, link_phone_numbers
from ..navigation import MAIN_NAVIGATION, current_item
from ..structured_data import ld_json, medical_clinic

register = template.Library()


@register.filter
def phone_links(text):
    return link_phone_numbers(text)


register.filter("dialable", dialable)


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


@register.inclusion_tag("includes/crisis_box.html", takes_context=True)
def crisis_box(context, inline=False):
    """The crisis message; `inline` beside content, without a heading of its own."""
    return {"clinic": context["clinic"], "inline": inline}


@register.inclusion_tag("includes/breadcrumbs.html")
def breadcrumbs(current, *trail):
    """`trail` is label, url, label, url… for the pages between Home and `current`."""
    return {"current": current, "trail": list(zip(trail[::2], trail[1::2], strict=True))}


@register.inclusion_tag("admin/launch_checklist.html")
def launch_checklist():
    """What is still missing before launch: the "launch" system checks, for staff."""
    from django.core.checks import run_checks

    from ..checks import LAUNCH

    return {"items": run_checks(tags=[LAUNCH], include_deployment_checks=True)}


@register.simple_tag(takes_context=True)
def medical_clinic_data(context):
    """The home page's JSON-LD: the clinic, with only the details it has supplied."""
    return ld_json(medical_clinic(context["clinic"], context["canonical_url"]))
