"""The site's main navigation and which of its entries a request is in."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavigationItem:
    label: str
    url_name: str
    # The "namespace:name" (or bare name, or namespace) of every page under this entry.
    covers: tuple
    # A topic page's slug: the entry is shown only while that page is published.
    topic_slug: str = ""


MAIN_NAVIGATION = [
    NavigationItem(_("Home"), "home", ("home",)),
    NavigationItem(
        _("Treatments"),
        "topics:treatments",
        ("topics:treatments", "topics:treatment"),
        "treatments",
    ),
    NavigationItem(_("Who it may help"), "topics:candidacy", ("topics:candidacy",), "candidacy"),
    NavigationItem(_("Safety"), "topics:safety", ("topics:safety",), "safety"),
    NavigationItem(_("Articles"), "articles:list", ("articles",)),
    NavigationItem(_("Enquire"), "enquiries:enquire", ("enquiries",)),
]


def current_item(request):
    """The navigation entry the requested page belongs to, or None."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    names = {match.view_name, match.namespace, match.url_name}
    return next((item for item in MAIN_NAVIGATION if names & set(item.covers)), None)
