"""The "Was this page helpful?" form: the same for every reader, so pages stay cacheable.

It carries no per-reader token: where it was posted from is checked instead (`views`), and
bots are kept out by the enquiry form's honeypot and the shared rate limit.
"""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from enquiries.forms import PlainTextField
from topics.models import TopicPage

from .models import COMMENT_MAX_LENGTH


def page_key(page):
    """What the form's hidden field says about the page it is on."""
    return f"{'article' if isinstance(page, Article) else 'topic'}:{page.pk}"


def live_page(key):
    """The published article or topic page a form's `page` field names, or None."""
    kind, _, pk = (key or "").partition(":")
    if not pk.isdigit() or len(pk) > 18:
        return None
    if kind == "article":
        return Article.objects.live().filter(pk=pk).first()
    if kind == "topic":
        shown = Q(parent=None) | Q(parent__status=TopicPage.Status.PUBLISHED)
        return TopicPage.objects.live().filter(shown, pk=pk).first()
    return None


class FeedbackForm(forms.Form):
    page = forms.CharField(widget=forms.HiddenInput, max_length=40)
    helpful = forms.TypedChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        label=_("Was this page helpful?"),
        error_messages={
            "required": _("Choose yes or no."),
            "invalid_choice": _("Choose yes or no."),
        },
    )
    comment = PlainTextField(
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX_LENGTH}),
        label=_("Tell us more (optional)"),
    )
    # The honeypot: hidden from people by CSS and from assistive technology; bots fill it in.
    website = forms.CharField(required=False)

    # The fields validate; templates/feedback/_form.html writes the form out by hand, the
    # same for every reader, since it sits on cached pages.

    def is_bot(self):
        return bool(self.data.get("website"))

    def clean_page(self):
        page = live_page(self.cleaned_data["page"])
        if page is None:
            raise forms.ValidationError(_("This page no longer takes feedback."))
        return page
