"""The language of a page comes from its address alone.

`/es/…` is Spanish; every other address is English (English keeps its addresses). No
cookie and no Accept-Language header choose a language or redirect: the page cache and
nginx key pages by address, so the address must be all that decides.
"""

from django.conf import settings
from django.utils import translation


def language_of(path):
    return translation.get_language_from_path(path) or settings.LANGUAGE_CODE


class LanguageFromAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_of(request.path_info)
        request.LANGUAGE_CODE = language
        # Everything below renders in it, error pages and a cached page's checks included.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
