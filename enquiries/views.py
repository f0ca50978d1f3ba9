import logging
import uuid

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import csrf
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView, TemplateView

from articles.models import TopicPage

from . import throttling
from .forms import EnquiryForm
from .models import Topic, new_reference
from .services import enquiry_submit

logger = logging.getLogger(__name__)
_THANKS_SESSION_KEY = "enquiry_thanks"


@method_decorator(sensitive_post_parameters(), name="dispatch")
class EnquiryView(FormView):
    template_name = "enquiries/enquiry_form.html"
    form_class = EnquiryForm

    def get_initial(self):
        initial = super().get_initial()
        slug = self.request.GET.get("treatment", "")
        treatment = (
            TopicPage.objects.live().treatments().filter(slug=slug).first() if slug else None
        )
        if treatment:
            initial.update(topic=Topic.TREATMENT_OPTIONS, treatment=treatment)
        elif self.request.GET.get("topic") in Topic.values:
            initial["topic"] = self.request.GET["topic"]
        return initial

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if not throttling.allow_post(request):
            form.is_valid()  # show their input back, with any errors, nothing lost
            context = self.get_context_data(
                form=form, rate_limited=True, retry_minutes=throttling.window_minutes()
            )
            return self.render_to_response(context, status=429)
        if form.looks_automated():
            # An ordinary-looking answer for bots; nothing is stored.
            return self._thank(reference=new_reference(), urgent=False)
        if form.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    def form_valid(self, form):
        enquiry = enquiry_submit(form=form)
        logger.info("Enquiry %s stored.", enquiry.reference)
        return self._thank(reference=enquiry.reference, urgent=enquiry.is_urgent)

    def _thank(self, *, reference, urgent):
        self.request.session[_THANKS_SESSION_KEY] = {"reference": reference, "urgent": urgent}
        return redirect("enquiries:thanks")


class ThanksView(TemplateView):
    template_name = "enquiries/thanks.html"

    def get_context_data(self, **kwargs):
        thanks = self.request.session.get(_THANKS_SESSION_KEY) or {}
        return super().get_context_data(
            reference=thanks.get("reference"), urgent=thanks.get("urgent", False), **kwargs
        )


def csrf_failure(request, reason=""):
    """An expired or missing CSRF token on the enquiry form keeps what the person wrote."""
    if request.method == "POST" and request.path == reverse("enquiries:enquire"):
        data = request.POST.copy()
        data["submission_token"] = data.get("submission_token") or str(uuid.uuid4())
        form = EnquiryForm(data=data)
        form.is_valid()
        form.add_error(
            None,
            "For your security this form expired before it was sent. Check your "
            "message below and send it again.",
        )
        return render(request, EnquiryView.template_name, {"form": form}, status=403)
    return csrf.csrf_failure(request, reason)
