"""Answer anonymous GET and HEAD requests for public pages from the page cache.

A request can be answered from the cache if it is a GET or HEAD from someone without a
session: anyone signed in always gets a fresh page. A session cookie that names no
session (made up, or long expired) counts as none, so sending one cannot force a fresh
render. The key holds the release fingerprint, the content version read from the
database, today's date, and the page's address without its query string: any committed
content change, deploy or new day makes the next request render afresh, and made-up
parameters cannot fill the cache with copies. A page asked for with a parameter it
reads (PAGE_CACHE_QUERY_PARAMETERS: the search's q) is rendered afresh and never stored,
as anyone could otherwise fill the cache with made-up values. A hit costs the version
query and, unless this process holds the page, one cache read: no user, lockout or
template work happens.

A rendered answer is stored only when its view marked it public (`public_page`), it
is a 200, it sets no cookie and used no CSRF token. Every other answer that may be
personal is marked `private, no-store`, so no proxy or browser keeps it.

When the database cannot be read, the version is unknown: the newest stored copy of
the page is served instead (`X-Page-Cache: stale`), and for a few seconds after such a
failure the database is not asked again, so that visitors do not each wait for it. A
page with no stored copy raises the database's error, which becomes the 503 page
(atma_site.errors). Once the version can be read again, pages are current again.
"""

import hashlib
import logging
import time
import urllib.parse
from importlib import import_module

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control

from .models import current_version
from .release import release_fingerprint
from .store import StoredPage, page_store

logger = logging.getLogger(__name__)

STATUS_HEADER = "X-Page-Cache"
# What a database that cannot be reached raises (rather than one that answers an error).
UNREACHABLE = (OperationalError, InterfaceError)
# After the database failed, serve stored copies this long before asking it again.
DATABASE_RETRY_SECONDS = 2


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.fingerprint = release_fingerprint()  # at start-up: the code this process runs
        self.session_store = import_module(settings.SESSION_ENGINE).SessionStore
        self._database_down_until = 0.0

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self._uncached(request, personal=False)
        has_session = self._has_session(request)
        if has_session:
            return self._uncached(request, personal=True)
        address = self._address(request)
        if address is None:
            return self._uncached(request, personal=has_session is None)
        try:
            version = self._version()
        except UNREACHABLE:
            stale = page_store().newest(address)
            if stale is not None:
                return _answer(request, stale, "stale")
            raise  # the 503 page, without waiting on the database again
        except DatabaseError as error:  # reachable, but the version is not there to read
            logger.error("Page cache version unreadable (%s); rendering directly.", error)
            return self._uncached(request, personal=False)
        if has_session is None:  # the session store is unreadable, the database is not
            return self._uncached(request, personal=True)
        if version is None:  # the version row is missing (after a flush)
            return self._uncached(request, personal=False)
        key = f"{self.fingerprint}:{version}:{timezone.localdate():%Y%m%d}:{address}"
        store = page_store()
        stored = store.get(key, address=address)
        if stored is not None:
            return _answer(request, stored, "hit")
        response = self.get_response(request)
        if not _storable(request, response):
            _keep_private(request, response)
            return response
        stored = _stored_page(response)
        store.set(key, stored, address=address)
        return _answer(request, stored, "miss")

    def _uncached(self, request, *, personal):
        response = self.get_response(request)
        if "public" in response.get("Cache-Control", "") and request.method in ("GET", "HEAD"):
            response[STATUS_HEADER] = "bypass"
        _keep_private(request, response, personal=personal)
        return response

    def _has_session(self, request):
        """True, False, or None when the session store cannot be read."""
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if not session_key:
            return False
        try:
            return self.session_store().exists(session_key)
        except Exception:  # the session store is unreadable: no page is stored for them
            return None

    def _address(self, request):
        """The page's address as the cache knows it, or None if it must not be stored."""
        try:
            host = request.get_host()
        except DisallowedHost:
            return None  # Django answers 400 itself
        if _reads_a_parameter(request):
            return None
        address = f"{request.scheme}://{host}{request.path}"
        return hashlib.blake2b(address.encode(), digest_size=16).hexdigest()

    def _version(self):
        if time.monotonic() < self._database_down_until:
            raise OperationalError("The database was unreachable moments ago.")
        try:
            return current_version(connection)
        except UNREACHABLE as error:
            self._database_down_until = time.monotonic() + DATABASE_RETRY_SECONDS
            logger.error(
                "Database unreachable (%s); serving stored pages for %s s.",
                error,
                DATABASE_RETRY_SECONDS,
            )
            raise


def _reads_a_parameter(request):
    wanted = settings.PAGE_CACHE_QUERY_PARAMETERS.get(request.path, ())
    return bool(wanted) and any(
        name in wanted and value
        for name, value in urllib.parse.parse_qsl(
            request.META.get("QUERY_STRING", ""), keep_blank_values=True
        )
    )


def _storable(request, response):
    return (
        response.status_code == 200
        and not response.streaming
        and "public" in response.get("Cache-Control", "")
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def _keep_private(request, response, personal=False):
    """An answer not stored as public may be personal: no proxy or browser may keep it.

    A public answer stays public only if nothing personal touched it (a public file
    streamed from disk, say, which is never stored here but may be kept elsewhere).
    """
    cache_control = response.get("Cache-Control", "")
    personal = (
        personal
        or bool(response.cookies)
        or bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
        or request.method not in ("GET", "HEAD")
    )
    if not cache_control or ("public" in cache_control and personal):
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
    )


def _answer(request, stored, outcome):
    response = HttpResponse(stored.body if request.method == "GET" else b"", status=stored.status)
    for name, value in stored.headers:
        response[name] = value
    response["Content-Length"] = str(len(stored.body))
    # An ETag and no Last-Modified: a date has one-second resolution, and a page changed
    # twice within a second would answer If-Modified-Since with a wrong 304.
    response["ETag"] = stored.etag
    response[STATUS_HEADER] = outcome
    return get_conditional_response(request, etag=stored.etag, response=response)
