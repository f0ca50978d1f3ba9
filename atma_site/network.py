"""Who is asking: the client's address, as far as the deployment's proxies can be trusted."""

from django.conf import settings


def client_address(request):
    """The client's IP, trusting X-Forwarded-For only as far as NUM_PROXIES says.

    Used by the enquiry rate limit and by django-axes, so that neither puts every
    visitor behind a proxy into one bucket.
    """
    if settings.NUM_PROXIES:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= settings.NUM_PROXIES:
            return forwarded[-settings.NUM_PROXIES]
    return request.META.get("REMOTE_ADDR", "")
