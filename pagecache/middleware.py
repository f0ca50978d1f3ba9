"""Answer anonymous GET and HEAD requests for public pages from the page cache.

A request can be answered from the cache only if it is a GET or HEAD without a
session cookie (anyone signed in, or with session data such as the enquiry
thank-you, always gets a fresh page). The key holds the release fingerprint, the
content version read from the database, today's date, and the page's address, so
any committed content change, deploy or new day makes the next request render
afresh. A hit costs the version query and, unless this process holds the page, one
cache read: no session, user, lockout or template work happens.

A rendered answer is stored only when its view marked it public (`public_page`), it
is a 200, it sets no cookie and used no CSRF token. Every other answer is marked
`private, no-store`, so no proxy or browser keeps a personal page.
"""

import hashlib
import logging
import time
import urllib.parse

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from .models import current_version
from .release import release_fingerprint
from .store import StoredPage, page_store

logger = logging.getLogger(__name__)

# Query parameters that only say where a visitor came from; a page never depends on them.
TRACKING_PARAMETERS = {"fbclid", "gclid", "msclkid", "mc_cid", "mc_eid", "igshid"}
STATUS_HEADER = "X-Page-Cache"


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = self._key(request)
        if key is None:
            response = self.get_response(request)
            if "public" in response.get("Cache-Control", ""):
                response[STATUS_HEADER] = "bypass"
            _keep_private(response)
            return response
        store = page_store()
        stored = store.get(key)
        if stored is not None:
            return _answer(request, stored, "hit")
        response = self.get_response(request)
        if not _storable(request, response):
            _keep_private(response)
            return response
        stored = _stored_page(response)
        store.set(key, stored)
        return _answer(request, stored, "miss")

    def _key(self, request):
        if request.method not in ("GET", "HEAD"):
            return None
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return None
        try:
            host = request.get_host()
        except DisallowedHost:
            return None  # Django answers 400 itself
        try:
            version = current_version(connection)
        except DatabaseError as error:
            logger.error("Page cache version unreadable (%s); rendering directly.", error)
            return None
        if version is None:
            return None
        address = f"{request.scheme}://{host}{request.path}?{_significant_query(request)}"
        digest = hashlib.blake2b(address.encode(), digest_size=16).hexdigest()
        return f"{release_fingerprint()}:{version}:{timezone.localdate():%Y%m%d}:{digest}"


def _significant_query(request):
    pairs = [
        (name, value)
        for name, value in urllib.parse.parse_qsl(
            request.META.get("QUERY_STRING", ""), keep_blank_values=True
        )
        if not name.startswith("utm_") and name not in TRACKING_PARAMETERS
    ]
    return urllib.parse.urlencode(sorted(pairs))


def _storable(request, response):
    return (
        response.status_code == 200
        and not response.streaming
        and "public" in response.get("Cache-Control", "")
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def _keep_private(response):
    """Anything not stored as public may be personal: no proxy or browser may keep it."""
    cache_control = response.get("Cache-Control", "")
    if not cache_control or "public" in cache_control:
        del response["Cache-Control"]
        patch_cache_control(response, private=True, no_store=True)


def _stored_page(response):
    body = response.content
    headers = []
    for name, value in response.items():
        if name.lower() == "vary":
            # Stored pages are the same whatever cookies came (no session cookie is a
            # condition of reaching them), so proxies need not keep a copy per cookie.
            value = ", ".join(
                part.strip() for part in value.split(",") if part.strip().lower() != "cookie"
            )
            if not value:
                continue
        if name.lower() in ("content-length", STATUS_HEADER.lower()):
            continue
        headers.append((name, value))
    return StoredPage(
        status=response.status_code,
        headers=tuple(headers),
        body=body,
        etag='"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"',
        stored_at=time.time(),
    )


def _answer(request, stored, outcome):
    response = HttpResponse(stored.body if request.method == "GET" else b"", status=stored.status)
    for name, value in stored.headers:
        response[name] = value
    response["Content-Length"] = str(len(stored.body))
    response["ETag"] = stored.etag
    response["Last-Modified"] = http_date(stored.stored_at)
    response[STATUS_HEADER] = outcome
    return get_conditional_response(
        request, etag=stored.etag, last_modified=int(stored.stored_at), response=response
    )
