from django import template

from clinic.structured_data import ld_json

from ..structured_data import medical_web_page

register = template.Library()


@register.simple_tag(takes_context=True)
def medical_web_page_data(context, page_object):
    """The page's JSON-LD: what it is, who reviewed it and when, and the DOIs it cites."""
    return ld_json(
        medical_web_page(
            page_object,
            url=context["canonical_url"],
            references=context["page"].references,
            site_name=context["clinic"].clinic_name,
        )
    )
