"""A per-client limit on enquiry posts, kept in Django's cache (database or Redis).

The cache is shared by every process and server, so the limit holds across them.
Clients are keyed by a keyed hash of their address: the address itself is never
stored.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache


def client_address(request):
    """The client's IP, trusting X-Forwarded-For only as far as NUM_PROXIES says."""
    if settings.NUM_PROXIES:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= settings.NUM_PROXIES:
            return forwarded[-settings.NUM_PROXIES]
    return request.META.get("REMOTE_ADDR", "")


def _key(request):
    digest = hmac.new(
        settings.SECRET_KEY.encode(), client_address(request).encode(), hashlib.sha256
    ).hexdigest()
    return f"enquiry-posts:{digest[:32]}"


def allow_post(request):
    """Count one post from this client; False once it is over the limit for the window."""
    limit, window = settings.ENQUIRY_RATE_LIMIT
    key = _key(request)
    if cache.add(key, 1, timeout=window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def retry_minutes():
    return max(1, settings.ENQUIRY_RATE_LIMIT[1] // 60)
