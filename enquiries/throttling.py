"""A per-client limit on enquiry posts, counted in the database.

Counts live in their own table (`PostCount`), shared by every process and server,
where nothing a visitor can do evicts them: not a cache that pages or made-up
searches could fill (Redis evicts under memory pressure, Django's database cache culls
a third of its rows when full). Counts are kept per fixed window, under a key that
names the window, so an expiry can never be reset by a later increment. Each post is
one atomic upsert (`INSERT … ON CONFLICT … DO UPDATE … RETURNING`), on PostgreSQL and
SQLite alike. Clients are keyed by a keyed hash of their address: the address itself
is never stored.

If the database cannot be reached, the post is let through and the failure logged:
losing what a person wrote is worse than a few minutes without a limit. (It cannot be
stored then either: enquiries.hold counts what it holds itself.)
"""

import datetime
import hashlib
import hmac
import logging
import time

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import PostCount

logger = logging.getLogger(__name__)


def client_address(request):
    """The client's address, found as the deployment's settings say (behind proxies too)."""
    return import_string(settings.CLIENT_ADDRESS_FUNCTION)(request)


def client_digest(request):
    return hmac.new(
        settings.SECRET_KEY.encode(), client_address(request).encode(), hashlib.sha256
    ).hexdigest()[:32]


def window_key(request):
    """The client's counter for the window now running, and how long it must be kept."""
    window = settings.ENQUIRY_RATE_LIMIT[1]
    return f"enquiry-posts:{client_digest(request)}:{int(_now() // window)}", 2 * window


def allow_post(request):
    """Count one enquiry post from this client; False once it is over the limit."""
    limit, window = settings.ENQUIRY_RATE_LIMIT
    return allow(request, scope="enquiry-posts", limit=limit, window=window)


def allow(request, *, scope, limit, window):
    """Count one post of `scope` (a counter of its own, such as page feedback) from this
    client; False once it is over `limit` posts in the `window` seconds now running. Like
    enquiry posts, let through (and logged) if the database cannot count it."""
    key = f"{scope}:{client_digest(request)}:{int(_now() // window)}"
    try:
        return _increment(key, 2 * window) <= limit
    except Exception as error:  # the database is away: keep the post, say so in the log
        logger.error(
            "%s rate limit unavailable (%s: %s); post let through.",
            scope,
            type(error).__name__,
            error,
        )
        return True


def _now():
    return time.time()


def _increment(key, keep_seconds):
    table, key_column, count_column, expires_column = (
        connection.ops.quote_name(name)
        for name in (PostCount._meta.db_table, "key", "count", "expires_at")
    )
    expires_at = timezone.now() + datetime.timedelta(seconds=keep_seconds)
    # Its own transaction (a savepoint inside another): a failure here spoils nothing else.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_column}, {count_column}, {expires_column}) "
            f"VALUES (%s, 1, %s) ON CONFLICT ({key_column}) "
            f"DO UPDATE SET {count_column} = {table}.{count_column} + 1 "
            f"RETURNING {count_column}",
            [key, expires_at],
        )
        return cursor.fetchone()[0]


def purge_expired_counts():
    """Delete counts whose window is long over (daily, with purge_enquiries)."""
    deleted, _ = PostCount.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted


def window_minutes():
    """The length of one counting window, in whole minutes."""
    return max(1, settings.ENQUIRY_RATE_LIMIT[1] // 60)
