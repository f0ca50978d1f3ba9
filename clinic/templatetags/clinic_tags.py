from django import template
from django.utils import timezone

from ..crisis import dialable, link_phone_numbers
from ..structured_data import ld_json, medical_clinic

register = template.Library()


@register.filter
def phone_links(text):
    return link_phone_numbers(text)


register.filter("dialable", dialable)


@register.inclusion_tag("includes/crisis_box.html", takes_context=True)
def crisis_box(context, inline=False):
    """The crisis message; `inline` beside content, without a heading of its own."""
    return {"clinic": context["clinic"], "inline": inline}


@register.inclusion_tag("includes/breadcrumbs.html")
def breadcrumbs(current, *trail):
    """`trail` is label, url, label, url… for the pages between Home and `current`."""
    return {"current": current, "trail": list(zip(trail[::2], trail[1::2], strict=True))}


# Who can act on the launch checklist: those who edit content or the clinic's details.
CHECKLIST_PERMISSIONS = (
    "articles.change_article",
    "topics.change_topicpage",
    "clinic.change_clinicsettings",
)


@register.inclusion_tag("admin/launch_checklist.html", takes_context=True)
def launch_checklist(context):
    """What is still missing before launch (the "launch" system checks), for the staff who
    can act on it."""
    from django.core.checks import run_checks

    from ..checks import LAUNCH

    user = context["request"].user
    if not any(user.has_perm(permission) for permission in CHECKLIST_PERMISSIONS):
        return {"items": []}
    return {"items": run_checks(tags=[LAUNCH], include_deployment_checks=True)}


@register.simple_tag(takes_context=True)
def medical_clinic_data(context):
    """The home page's JSON-LD: the clinic, with only the details it has supplied."""
    return ld_json(medical_clinic(context["clinic"], context["canonical_url"]))


@register.simple_tag
def today():
    """The clinic's date now, for a template to format in the page's language (`{% now %}`
    takes only a fixed format)."""
    return timezone.localdate()
