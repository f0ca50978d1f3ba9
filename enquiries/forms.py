"""The enquiry form: validates and normalises what a person types, asks for nothing more."""

import re
import time
import unicodedata
import uuid

from django import forms
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from topics.models import TopicPage
from translations.showing import live_translations, translating

from .models import Enquiry, Topic

MESSAGE_MAX_LENGTH = 3000
_STARTED_SALT = "enquiries.form-started"
HONEYPOT = "honeypot filled in"
_PHONE = re.compile(r"^\+?[\d\s().-]+$")
# Control characters other than tab and newline carry nothing a person typed on purpose.
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]"
)


def clean_text(value):
    """Normalise Unicode and line ends and drop invisible control characters."""
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", value).strip()


class PlainTextField(forms.CharField):
    """Text as the person meant it: normalised before its length is checked, as browsers count."""

    def to_python(self, value):
        return clean_text(super().to_python(value))


def started_token(started_at=None):
    """A signed record of when the form was shown, for the too-fast check."""
    return signing.dumps(started_at if started_at is not None else time.time(), salt=_STARTED_SALT)


def seconds_since(token):
    """Seconds since the form carrying `token` was shown, or None if it was tampered with."""
    try:
        started_at = float(signing.loads(token, salt=_STARTED_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return time.time() - started_at


class TreatmentChoiceField(forms.ModelChoiceField):
    """Each treatment by its title, in the page's language where a translation is live."""

    translated_titles = None

    def label_from_instance(self, page):
        if not translating():
            return page.title
        if self.translated_titles is None:  # one query for the lot, on the first label
            translations = live_translations(TopicPage, [each.pk for each in self.queryset])
            self.translated_titles = {
                pk: translation.field("title") for pk, translation in translations.items()
            }
        return self.translated_titles.get(page.pk) or page.title


class EnquiryForm(forms.ModelForm):
    """Every field a person sees, plus three hidden ones that stop bots and double posts."""

    # Hidden from people by CSS and from assistive technology; bots fill it in.
    website = forms.CharField(required=False, label=gettext_lazy("Leave this field empty"))
    started = forms.CharField(widget=forms.HiddenInput)
    submission_token = forms.CharField(widget=forms.HiddenInput, required=False)

    topic = forms.ChoiceField(
        choices=Topic.choices,
        widget=forms.RadioSelect,
        label=gettext_lazy("What is your enquiry about?"),
    )
    treatment = TreatmentChoiceField(
        queryset=TopicPage.objects.none(),
        required=False,
        empty_label=gettext_lazy("Not sure yet"),
        label=gettext_lazy("Which treatment are you asking about? (optional)"),
    )
    preferred_contact = forms.ChoiceField(
        choices=Enquiry.ContactMethod.choices,
        widget=forms.RadioSelect,
        label=gettext_lazy("How should we contact you?"),
    )
    message = PlainTextField(
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MESSAGE_MAX_LENGTH}),
        max_length=MESSAGE_MAX_LENGTH,
        label=gettext_lazy("Your message"),
        error_messages={"required": gettext_lazy("Enter your message.")},
    )
    consent = forms.BooleanField(
        required=True,
        error_messages={
            "required": gettext_lazy("Tick the box to let us contact you about your enquiry.")
        },
    )

    class Meta:
        model = Enquiry
        fields = ["name", "email", "phone", "preferred_contact", "topic", "treatment", "message"]
        labels = {
            "name": gettext_lazy("Your name"),
            "email": gettext_lazy("Email address"),
            "phone": gettext_lazy("Phone number"),
        }
        help_texts = {
            "email": gettext_lazy("Give an email address, a phone number, or both."),
            "phone": gettext_lazy("Include the area code."),
        }
        error_messages = {
            "name": {"required": gettext_lazy("Enter your name.")},
            "email": {
                "invalid": gettext_lazy(
                    "Enter a valid email address, such as name@example.com, or leave it "
                    "out and give a phone number."
                )
            },
        }
        field_classes = {"name": PlainTextField, "phone": PlainTextField}
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["treatment"].queryset = TopicPage.objects.live().treatments()
        self.fields["message"].help_text = _(
            "Up to %(count)s characters. Please do not include medical records; we will ask "
            "for what we need when we talk."
        ) % {"count": MESSAGE_MAX_LENGTH}
        self.fields["consent"].label = format_html(
            _(
                "I agree that {clinic} may store this enquiry and contact me about it, as the "
                '<a href="{privacy_url}">privacy notice</a> explains.'
            ),
            clinic="ATMA CENA",
            privacy_url=reverse("privacy"),
        )
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["topic"].error_messages["required"] = _("Choose what your enquiry is about.")
        self.fields["preferred_contact"].error_messages["required"] = _(
            "Choose how we should contact you."
        )
        if not self.is_bound:
            self.initial.setdefault("started", started_token())
            self.initial.setdefault("submission_token", uuid.uuid4())

    def clean_submission_token(self):
        # A missing or mangled token only costs double-submit protection: issue a new one.
        try:
            return uuid.UUID(self.cleaned_data["submission_token"])
        except ValueError:
            return uuid.uuid4()

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "")
        if phone and (not _PHONE.match(phone) or sum(c.isdigit() for c in phone) < 7):
            raise forms.ValidationError(
                _("Enter a phone number using digits, for example 555 010 0199.")
            )
        return phone

    def clean(self):
        cleaned = super().clean()
        email, phone = cleaned.get("email"), cleaned.get("phone")
        if "email" in cleaned and "phone" in cleaned and not email and not phone:
            self.add_error("email", _("Give an email address or a phone number so we can reply."))
        method = cleaned.get("preferred_contact")
        if method == Enquiry.ContactMethod.PHONE and "phone" in cleaned and not phone:
            self.add_error(
                "phone", _("Give a phone number, or choose email as the way to contact you.")
            )
        if method == Enquiry.ContactMethod.EMAIL and "email" in cleaned and not email:
            self.add_error(
                "email", _("Give an email address, or choose phone as the way to contact you.")
            )
        return cleaned

    def automation_reason(self):
        """Why this post looks automated, or None: a filled honeypot, a post faster than a
        person could write one, or a start time that is missing, forged or too old."""
        if self.data.get("website"):
            return HONEYPOT
        elapsed = seconds_since(self.data.get("started"))
        if elapsed is None:
            return "start time missing or forged"
        if elapsed < settings.ENQUIRY_MIN_SECONDS:
            return "sent too fast"
        if elapsed > settings.ENQUIRY_FORM_MAX_AGE_SECONDS:
            return "form expired"
        return None

    def shown_again(self):
        """The same input in a form shown now, to be checked and sent again."""
        data = self.data.copy()
        data["started"] = started_token()
        form = type(self)(data=data)
        form.is_valid()  # show any errors with it
        why = (
            _("This form was open for a long time, so for your security it has expired.")
            if self.automation_reason() != "sent too fast"
            else _("To protect this form from automated messages, we need a moment more.")
        )
        again = _("Check your message below and send it again.")
        form.add_error(None, f"{why} {again}")
        return form

    def full_clean(self):
        super().full_clean()
        # Tie each error (and any help text) to its field for screen readers.
        for name in self.errors:
            if name in self.fields and not isinstance(self.fields[name].widget, forms.RadioSelect):
                # (A radio group's fieldset carries the description instead.)
                field, bound = self.fields[name], self[name]
                described = [f"{bound.auto_id}_error"]
                if field.help_text:
                    described.append(f"{bound.auto_id}_helptext")
                field.widget.attrs["aria-describedby"] = " ".join(described)


class OfflineEnquiryForm(EnquiryForm):
    """The same checks, made without the database while it cannot be reached.

    The treatment is kept as sent (a page's id) and checked when the enquiry is stored;
    the model's own checks, which query the database, are left to then as well (`clean`
    has already made the one that matters: an email address or a phone number).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["treatment"] = forms.IntegerField(
            required=False, min_value=1, widget=forms.HiddenInput
        )

    def _post_clean(self):
        pass

    def held_data(self):
        """What the worker needs to store the enquiry later, as the form would be posted."""
        data = {
            name: self.cleaned_data[name]
            for name in ("name", "email", "phone", "preferred_contact", "topic", "message")
        }
        data["treatment"] = self.cleaned_data["treatment"] or ""
        data["consent"] = "on"
        data["started"] = self.cleaned_data["started"]
        data["submission_token"] = str(self.cleaned_data["submission_token"])
        return data
