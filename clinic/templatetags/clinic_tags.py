from django import template

from ..crisis import link_phone_numbers
from ..navigation import MAIN_NAVIGATION, current_section

register = template.Library()


@register.filter
def phone_links(text):
    return link_phone_numbers(text)


@register.inclusion_tag("includes/main_navigation.html", takes_context=True)
def main_navigation(context):
    current = current_section(context["request"])
    return {
        "items": [
            {"label": label, "url_name": url_name, "current": key == current}
            for key, label, url_name in MAIN_NAVIGATION
        ]
    }


@register.inclusion_tag("includes/crisis_box.html", takes_context=True)
def crisis_box(context, heading_level=2):
    return {"clinic": context["clinic"], "heading_level": heading_level}
