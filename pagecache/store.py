"""Where rendered public pages are kept: the shared cache, and a small copy in each process.

The shared cache (the `pages` alias: a database table, or Redis with REDIS_URL) is
what every process and server agrees on. The per-process copy only saves reading
the same bytes again: entries are keyed by the content version, which is read from
the database on every request, so a process's memory never decides what is current.

Beside each page, the store notes which key holds the newest copy of its address
(`newest`): when the database cannot be read, and so the version is unknown, that
copy is served rather than an error.

If the shared cache fails, the failure is logged and the cache is left alone for a
few seconds; pages are rendered directly meanwhile, never answered with an error.
"""

import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches

logger = logging.getLogger(__name__)

# After a failure, skip the shared cache this long instead of paying a timeout per request.
RETRY_AFTER_SECONDS = 5
# Entries are found by version, not by age; the timeout only clears what nobody asks for.
SHARED_TIMEOUT_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class StoredPage:
    status: int
    headers: tuple  # (name, value) pairs
    body: bytes
    etag: str


class PageStore:
    def __init__(self, alias, local_bytes):
        self.alias = alias
        self.local_bytes = local_bytes
        self._local = OrderedDict()  # key: (page, address)
        self._local_size = 0
        self._newest_local = {}  # address: the key of its newest page held here
        self._lock = threading.Lock()
        self._shared_down_until = 0.0

    def get(self, key, *, address=None):
        with self._lock:
            held = self._local.get(key)
            if held is not None:
                self._local.move_to_end(key)
                return held[0]
        page = self._shared("get", key)
        if page is not None:
            self._remember(key, page, address)
        return page

    def set(self, key, page, *, address):
        self._remember(key, page, address)
        self._shared("set_many", {key: page, _newest_key(address): key}, SHARED_TIMEOUT_SECONDS)

    def newest(self, address):
        """The newest page stored for `address` under any version, or None.

        For when the content version cannot be read: a page some moments old is better
        than an error page.
        """
        with self._lock:
            held = self._local.get(self._newest_local.get(address))
            if held is not None:
                return held[0]
        key = self._shared("get", _newest_key(address))
        return self.get(key, address=address) if key else None

    def forget_failures(self):
        """Ask the shared cache again at once (tests: a failure another test caused is over)."""
        self._shared_down_until = 0.0

    def clear_local(self):
        with self._lock:
            self._local.clear()
            self._newest_local.clear()
            self._local_size = 0

    def _remember(self, key, page, address):
        size = len(page.body)
        if size > self.local_bytes:
            return
        with self._lock:
            if address is not None:
                self._newest_local[address] = key
            if key in self._local:
                return
            self._local[key] = (page, address)
            self._local_size += size
            while self._local_size > self.local_bytes:
                evicted_key, (evicted, evicted_address) = self._local.popitem(last=False)
                self._local_size -= len(evicted.body)
                if self._newest_local.get(evicted_address) == evicted_key:
                    del self._newest_local[evicted_address]

    def _shared(self, method, *args):
        if time.monotonic() < self._shared_down_until:
            return None
        try:
            return getattr(caches[self.alias], method)(*args)
        except Exception as error:  # any backend failure: render directly, never a 500
            self._shared_down_until = time.monotonic() + RETRY_AFTER_SECONDS
            logger.error(
                "Page cache %r failed (%s: %s); rendering pages directly for %s s.",
                self.alias,
                type(error).__name__,
                error,
                RETRY_AFTER_SECONDS,
            )
            return None


def _newest_key(address):
    return f"newest:{address}"


_store = None


def page_store():
    global _store
    if _store is None:
        _store = PageStore(settings.PAGE_CACHE_ALIAS, settings.PAGE_CACHE_LOCAL_BYTES)
    return _store
