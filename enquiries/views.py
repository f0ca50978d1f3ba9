import logging
import uuid

from django.conf import settings
from django.core.validators import slug_re
from django.db import InterfaceError, OperationalError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import csrf
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView, TemplateView

from clinic.lifeline import render_without_database
from topics.models import TopicPage

from . import hold, throttling
from .forms import HONEYPOT, EnquiryForm, OfflineEnquiryForm
from .models import Topic, current_language, new_reference
from .services import enquiry_submit

logger = logging.getLogger(__name__)
# The thank-you page's reference travels in a signed cookie of its own, not a session:
# a post whose redirect is never followed leaves no row behind.
THANKS_COOKIE = "enquiry_thanks"
_THANKS_SALT = "enquiries.thanks"
_THANKS_MAX_AGE = 10 * 60
# After the thank-you is shown, a reload still says the enquiry was sent: a signed cookie
# holding only that (no reference, no urgency, nothing that tells one person from another).
SENT_COOKIE = "enquiry_sent"
_SENT_SALT = "enquiries.sent"
_SENT_MAX_AGE = 24 * 60 * 60
# The request.META key atma_site.request_limits sets when it discarded file parts.
FILES_REFUSED = "atma.FILES_REFUSED"


@method_decorator(sensitive_post_parameters(), name="dispatch")
class EnquiryView(FormView):
    template_name = "enquiries/enquiry_form.html"
    form_class = EnquiryForm

    def get_initial(self):
        initial = super().get_initial()
        slug = self.request.GET.get("treatment", "")
        # Only a well-formed slug reaches the database (PostgreSQL refuses a NUL byte).
        treatment = (
            TopicPage.objects.live().treatments().filter(slug=slug).first()
            if slug_re.match(slug)
            else None
        )
        if treatment:
            initial.update(topic=Topic.TREATMENT_OPTIONS, treatment=treatment)
        elif self.request.GET.get("topic") in Topic.values:
            initial["topic"] = self.request.GET["topic"]
        return initial

    def post(self, request, *args, **kwargs):
        try:
            response = self._post(request)
            if hasattr(response, "render"):
                response.render()  # here, so that a database failure in it is caught here
            return response
        except (OperationalError, InterfaceError):
            return self._database_unreachable(request)

    def _post(self, request):
        form = self.get_form()
        if request.META.get(FILES_REFUSED):  # set by atma_site.request_limits
            form.is_valid()
            form.add_error(
                None,
                _(
                    "This form takes text only: attachments are not accepted, and nothing "
                    "has been stored. Check your message below and send it again."
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=400)
        if not throttling.allow_post(request):
            form.is_valid()  # show their input back, with any errors, nothing lost
            context = self.get_context_data(
                form=form, rate_limited=True, retry_minutes=throttling.window_minutes()
            )
            return self.render_to_response(context, status=429)
        reason = form.automation_reason()
        if reason:
            # Counted in the log for operators, without anything the post contained.
            logger.warning("Enquiry post treated as automated: %s. Nothing stored.", reason)
            if reason == HONEYPOT:
                # An ordinary-looking answer, so that bots learn nothing.
                return self._thank(reference=new_reference(), urgent=False)
            # A person may be quick or have left the page open: nothing they wrote is lost.
            return self.render_to_response(self.get_context_data(form=form.shown_again()))
        if form.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    def form_valid(self, form):
        enquiry = enquiry_submit(form=form, language=current_language())
        logger.info("Enquiry %s stored.", enquiry.reference)
        return self._thank(reference=enquiry.reference, urgent=enquiry.is_urgent)

    def _database_unreachable(self, request):
        """The enquiry is held for the worker to store once the database is back, or, if
        it cannot be held, its sender gets their words back with other ways to reach us.
        Rendered without the database."""
        form = OfflineEnquiryForm(data=request.POST)
        reason = form.automation_reason()
        if reason == HONEYPOT:
            return self._thank_without_database(reference=new_reference(), urgent=False)
        status, context = 503, {}
        if reason is None and form.is_valid():
            try:
                held = hold.hold(form=form, window_key=throttling.window_key(request))
            except hold.OverLimit:
                status, context = 429, {"rate_limited": True}
            except hold.Unavailable:
                pass
            else:
                logger.warning("Enquiry %s held: the database is unreachable.", held.reference)
                return self._thank_without_database(
                    reference=held.reference, urgent=held.urgent, held=True
                )
        return words_back(request, form, status=status, **context)

    def _thank_without_database(self, **context):
        # Shown at once rather than after a redirect: the thank-you page needs the database.
        return render_without_database(
            "enquiries/thanks.html", {"base": "errors/base.html", **context}, status=200
        )

    def _thank(self, *, reference, urgent):
        response = redirect("enquiries:thanks")
        response.set_signed_cookie(
            THANKS_COOKIE,
            f"{reference}:{int(urgent)}",
            salt=_THANKS_SALT,
            max_age=_THANKS_MAX_AGE,
            path=reverse("enquiries:thanks"),
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        return response


class ThanksView(TemplateView):
    template_name = "enquiries/thanks.html"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # Shown once, then forgotten: the browser drops the cookie, and no server kept it.
        response.delete_cookie(THANKS_COOKIE, path=reverse("enquiries:thanks"))
        if response.context_data["reference"]:
            response.set_signed_cookie(
                SENT_COOKIE,
                "sent",
                salt=_SENT_SALT,
                max_age=_SENT_MAX_AGE,
                path=reverse("enquiries:thanks"),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def get_context_data(self, **kwargs):
        reference, urgent = None, False
        thanks = self.request.get_signed_cookie(
            THANKS_COOKIE, default=None, salt=_THANKS_SALT, max_age=_THANKS_MAX_AGE
        )
        if thanks:
            reference, _, flag = thanks.partition(":")
            urgent = flag == "1"
        sent_before = (
            self.request.get_signed_cookie(
                SENT_COOKIE, default=None, salt=_SENT_SALT, max_age=_SENT_MAX_AGE
            )
            == "sent"
        )
        return super().get_context_data(
            reference=reference, urgent=urgent, sent_before=sent_before, **kwargs
        )


def words_back(request, form, *, status=503, **context):
    """The enquiry nothing could store, handed back to its sender with every word (and our
    other ways to be reached), rendered without the database."""
    response = render_without_database(
        "enquiries/unavailable.html", {"form": form, **context}, status=status, request=request
    )
    if status == 503:
        response["Retry-After"] = "60"
    return response


def csrf_failure(request, reason=""):
    """An expired or missing CSRF token on the enquiry form keeps what the person wrote."""
    if request.method == "POST" and request.path == reverse("enquiries:enquire"):
        data = request.POST.copy()
        data["submission_token"] = data.get("submission_token") or str(uuid.uuid4())
        expired = _(
            "For your security this form expired before it was sent. Check your "
            "message below and send it again."
        )
        try:
            form = EnquiryForm(data=data)
            form.is_valid()
            form.add_error(None, expired)
            return render(request, EnquiryView.template_name, {"form": form}, status=403)
        except (OperationalError, InterfaceError):  # and the database is away too
            form = OfflineEnquiryForm(data=data)
            form.is_valid()
            return words_back(request, form)
    return csrf.csrf_failure(request, reason)
