"""Error pages that need no database, and request bodies the site cannot read.

Each error page shows the crisis numbers and contact details last published
(`clinic.lifeline`), rendered without a query: the database may be what failed.
"""

import codecs
import sys

from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _

from clinic.lifeline import render_without_database

# Seconds a visitor (or a crawler) is asked to wait after a 503.
RETRY_AFTER_SECONDS = 30
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def database_unreachable(error):
    """Whether `error` means the database could not be reached (rather than a bug)."""
    return isinstance(error, (OperationalError, InterfaceError))


def server_error(request):
    """handler500: a 503 while the database is unreachable, otherwise a 500."""
    if database_unreachable(sys.exc_info()[1]):
        response = render_without_database("503.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return render_without_database("500.html", status=500)


def bad_request(request, exception=None):
    """handler400, without Django's CSRF check: that check reads the body again, and a
    body that could not be read the first time would fail again, as a 500."""
    return render_without_database("400.html", status=400)


class RefuseUnreadableBodiesMiddleware:
    """Answer 400, saying why, to a form body declared in a charset other than UTF-8.

    Browsers send forms as UTF-8 without naming a charset. Django refuses any other for
    URL-encoded bodies (and would read UTF-16 or UTF-7 multipart fields as nonsense); this
    answers before anything reads the body, on every address.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        charset = request.content_params.get("charset") if request.content_type else None
        if request.content_type in FORM_TYPES and charset and not _is_utf8(charset):
            reason = _(
                "This form was sent in the %(charset)s character encoding, which this site "
                "does not read, so nothing was stored."
            ) % {"charset": charset[:40]}
            return render_without_database("400.html", {"reason": reason}, status=400)
        return self.get_response(request)


def _is_utf8(charset):
    try:
        return codecs.lookup(charset).name == "utf-8"
    except LookupError:
        return False
