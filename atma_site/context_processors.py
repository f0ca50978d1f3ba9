from django.conf import settings


def canonical(request):
    """The page's one address, on the site's own origin: no query string, whatever host asked."""
    return {"canonical_url": settings.SITE_URL.rstrip("/") + request.path}
