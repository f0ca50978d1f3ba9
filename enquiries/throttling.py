"""A per-client limit on enquiry posts, counted in Django's shared cache.

The cache is shared by every process and server (the database table, or Redis with
REDIS_URL), so the limit holds across them. Counts are kept per fixed window, under
a key that names the window, so an expiry can never be reset by a later increment.
Increments are atomic: Redis's INCR is; on the database cache, the read and write
run under a lock (an advisory lock on PostgreSQL, the write lock that SQLite takes
when the transaction starts). Clients are keyed by a keyed hash of their address:
the address itself is never stored.

If the cache cannot be reached, the post is let through and the failure logged:
losing what a person wrote is worse than a few minutes without a limit.
"""

import hashlib
import hmac
import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def client_address(request):
    """The client's address, found as the deployment's settings say (behind proxies too)."""
    return import_string(settings.CLIENT_ADDRESS_FUNCTION)(request)


def _client_digest(request):
    return hmac.new(
        settings.SECRET_KEY.encode(), client_address(request).encode(), hashlib.sha256
    ).hexdigest()[:32]


def allow_post(request):
    """Count one enquiry post from this client; False once it is over the limit."""
    limit, window = settings.ENQUIRY_RATE_LIMIT
    return allow(request, scope="enquiry-posts", limit=limit, window=window)


def allow(request, *, scope, limit, window):
    """Count one post of `scope` (its own counter) from this client; False once over `limit`
    posts in the `window` seconds now running."""
    key = f"{scope}:{_client_digest(request)}:{int(_now() // window)}"
    try:
        return _increment(key, timeout=2 * window) <= limit
    except Exception as error:  # any cache failure: store the post, say so in the log
        logger.error(
            "%s rate limit unavailable (%s: %s); post let through.",
            scope,
            type(error).__name__,
            error,
        )
        return True


def _now():
    return time.time()


def _increment(key, timeout):
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        cache.add(key, 0, timeout=timeout)
        return cache.incr(key)  # INCR: atomic, and keeps the key's expiry
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_id(key)])
        count = (cache.get(key) or 0) + 1
        cache.set(key, count, timeout=timeout)
        return count


def _lock_id(key):
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)


def purge_expired_counts():
    """Delete expired counts from the database cache; Redis expires its keys itself.

    Django's database cache removes expired rows only when the table grows past its
    size limit; the privacy notice says counts are discarded soon after.
    """
    cache = caches["default"]
    if not isinstance(cache, DatabaseCache):
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {connection.ops.quote_name(cache._table)} WHERE expires < %s",
            [timezone.now()],
        )
        return cursor.rowcount


def window_minutes():
    """The length of one counting window, in whole minutes."""
    return max(1, settings.ENQUIRY_RATE_LIMIT[1] // 60)
