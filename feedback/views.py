"""Where "Was this page helpful?" is posted.

The form sits on cached pages, so it carries no CSRF token: a token in a shared copy would
be everyone's. What a token would prove, that the post came from one of our pages, is
checked from the browser's own `Origin` header (or `Referer`, where a browser sends no
origin) instead: browsers set these, and scripts on other sites cannot change them. A bot
posting directly could write either, so the honeypot and the per-client limit apply as on
the enquiry form. Nothing about the sender is stored or logged, nor anything they wrote.
"""

import logging
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from clinic.crisis import mentions_crisis
from enquiries import throttling
from enquiries.models import current_language

from .forms import FeedbackForm, live_page, page_key
from .services import feedback_submit

logger = logging.getLogger(__name__)


def sent_from_this_site(request):
    """Whether the browser says the post came from a page of this site."""
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        referer = urlsplit(request.headers.get("Referer", ""))
        origin = f"{referer.scheme}://{referer.netloc}" if referer.netloc else ""
    try:
        own = f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:
        return False
    return bool(origin) and (origin == own or origin in settings.CSRF_TRUSTED_ORIGINS)


@csrf_exempt  # the origin is checked instead: see the module's docstring
@require_http_methods(["GET", "HEAD", "POST"])
def send(request):
    if request.method != "POST":  # followed or typed: say where the form is
        return render(request, "feedback/not_sent.html")
    form = FeedbackForm(data=request.POST)
    if not sent_from_this_site(request):
        logger.warning("Feedback post from another site refused. Nothing stored.")
        return render(request, "feedback/not_sent.html", {"refused": True}, status=403)
    limit, window = settings.FEEDBACK_RATE_LIMIT
    if not throttling.allow(request, scope="feedback-posts", limit=limit, window=window):
        form.is_valid()  # show what they wrote, to send later
        context = {"form": form, "rate_limited": True, "retry_minutes": max(1, window // 60)}
        return render(request, "feedback/feedback_form.html", context, status=429)
    if form.is_bot():
        # Counted in the log for operators; an ordinary answer, so that bots learn nothing.
        logger.warning("Feedback post treated as automated: honeypot filled in. Nothing stored.")
        return redirect(reverse("feedback:thanks"))
    if not form.is_valid():
        return render(request, "feedback/feedback_form.html", {"form": form})
    page = form.cleaned_data["page"]
    comment = form.cleaned_data["comment"]
    feedback_submit(
        page=page,
        helpful=form.cleaned_data["helpful"],
        comment=comment,
        language=current_language(),
    )
    query = {"page": page_key(page)}
    if mentions_crisis(comment):
        query["support"] = "1"
    return redirect(f"{reverse('feedback:thanks')}?{urlencode(query)}")


@require_safe
def thanks(request):
    """The thank-you, with the way back to the page; the crisis box where the comment spoke
    of harming oneself. The address says only which page, and whether to offer support."""
    return render(
        request,
        "feedback/thanks.html",
        {"page": live_page(request.GET.get("page")), "support": request.GET.get("support") == "1"},
    )
