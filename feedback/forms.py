"""The "Was this page helpful?" form: the same for every reader, so pages stay cacheable.

It carries no per-reader token: where it was posted from is checked instead (`views`), and
bots are kept out by the enquiry form's honeypot and the shared rate limit.
"""

from django import forms
from django.db.models import Q

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
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        label="Was this page helpful?",
        error_messages={"required": "Choose yes or no."},
    )
    comment = PlainTextField(
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX_LENGTH}),
        label="Tell us more (optional)",
        help_text="What helped, or what was missing? Please do not include your name, contact "
        "details or anything about your health. We read every comment but cannot reply.",
    )
    # Hidden from people by CSS and from assistive technology; bots fill it in.
    website = forms.CharField(required=False, label="Leave this field empty")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["comment"].widget.attrs["aria-describedby"] = "id_comment_helptext"

    def is_bot(self):
        return bool(self.data.get("website"))

    def clean_page(self):
        page = live_page(self.cleaned_data["page"])
        if page is None:
            raise forms.ValidationError("This page no longer takes feedback.")
        return page
