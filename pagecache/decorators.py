from functools import wraps

from django.conf import settings
from django.utils.cache import patch_cache_control


def public_page(view):
    """Mark a view's successful answers as the same for every anonymous visitor.

    They get `Cache-Control: public, max-age=PAGE_CACHE_MAX_AGE,
    stale-while-revalidate=PAGE_CACHE_STALE_SECONDS`, which the page cache middleware
    (and nginx, and any CDN) takes as leave to store them; nginx may serve a copy those
    few seconds past its max-age while it fetches the page afresh in the background. The middleware
    still refuses, and turns to `private, no-store`, any answer given to a signed-in
    user or one that sets a cookie or uses a CSRF token.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.has_header("Cache-Control"):
            patch_cache_control(
                response,
                public=True,
                max_age=settings.PAGE_CACHE_MAX_AGE,
                stale_while_revalidate=settings.PAGE_CACHE_STALE_SECONDS,
            )
        return response

    wrapped.public_page = True
    return wrapped
