"""The page in the site's other languages: the language switch and the hreflang alternates.

A page's address in another language is its own with that language's prefix
(`django.urls.translate_url`). A page whose content is translated (an article, a topic
page) says in its context which languages it has a version in (`translated_into`); every
other page is interface only, and so exists in every language.
"""

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation

register = template.Library()


def _address_in(request, language, query=True):
    """This page's address in `language`, or None where the address is no page (a 404):
    `translate_url` would hand back the address as it came, whatever it is."""
    if request.resolver_match is None:  # Django found no page at this address
        return None
    path = request.get_full_path() if query else request.path
    return translate_url(path, language)


def _home_in(language):
    with translation.override(language):
        return reverse("home")


def _languages_of(context):
    translated_into = context.get("translated_into")
    return [
        (code, name)
        for code, name in settings.LANGUAGES
        if translated_into is None or code in translated_into
    ]


@register.inclusion_tag("includes/language_switch.html", takes_context=True)
def language_switch(context):
    """Links to this page in every other language, each named in its own language."""
    request = context.get("request")
    current = translation.get_language()
    links = []
    if request is not None:
        links = [
            {"code": code, "name": name, "url": _address_in(request, code) or _home_in(code)}
            for code, name in settings.LANGUAGES
            if code != current
        ]
    return {"links": links}


@register.inclusion_tag("includes/language_alternates.html", takes_context=True)
def language_alternates(context):
    """<link rel=alternate hreflang> for each language the page exists in, on the site's
    own origin; none where it exists in one language only."""
    request = context.get("request")
    languages = _languages_of(context)
    if (
        request is None
        or len(languages) < 2
        or _address_in(request, settings.LANGUAGE_CODE) is None
    ):
        return {"alternates": []}
    origin = settings.SITE_URL.rstrip("/")
    alternates = [
        {"code": code, "url": origin + _address_in(request, code, query=False)}
        for code, _ in languages
    ]
    default = next(a for a in alternates if a["code"] == settings.LANGUAGE_CODE)
    alternates.append({"code": "x-default", "url": default["url"]})
    return {"alternates": alternates}
