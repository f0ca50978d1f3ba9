"""Forms of clinical sign-off in the admin: the edit token every revisioned form carries, and
the reviewer's, editor's and superuser's steps on a revision."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..errors import EditConflict


class RevisionedForm(forms.ModelForm):
    """A page's form: carries the id of the page's newest revision when it was opened, so a
    save over someone else's later save is caught. The admin sets `refusal` when the
    workflow refused the save, and the form then shows why, with the editor's text kept."""

    edit_token = forms.CharField(widget=forms.HiddenInput, required=False)
    # Set by the admin on the form class it makes for each request.
    refusal = None
    opened_at = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edit_token"].initial = self.opened_at

    def clean(self):
        cleaned = super().clean()
        if isinstance(self.refusal, EditConflict):
            raise ValidationError(conflict_message(self.refusal), code="edit_conflict")
        if self.refusal is not None:
            raise ValidationError(str(self.refusal), code="refused")
        return cleaned


def conflict_message(conflict):
    latest = conflict.latest
    who = (
        latest.created_by.get_full_name() or latest.created_by.get_username()
        if latest.created_by
        else _("Someone")
    )
    return format_html(
        _(
            "{} saved this page at {} while you were editing it. Nothing is saved yet. Their "
            "changes to other parts will be kept with yours; you both changed {}: choose "
            "below which to keep, then save."
        ),
        who,
        timezone.localtime(latest.created_at).strftime("%H:%M"),
        ngettext("one part", "%(count)d parts", len(conflict.conflicts))
        % {"count": len(conflict.conflicts)},
    )


class ApproveForm(forms.Form):
    credit = forms.CharField(
        label=gettext_lazy("Your name and credentials"),
        max_length=200,
        help_text=gettext_lazy(
            "Shown to patients as the page's medical reviewer, for example Jane Doe, MD."
        ),
    )
    next_review_on = forms.DateField(
        label=gettext_lazy("Next review due"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("When the page must be reviewed again."),
    )
    undo_confirmed = forms.BooleanField(
        label=gettext_lazy("I have seen what approving this undoes, and I mean to undo it"),
        required=False,
    )

    def __init__(self, *args, dated_review=True, undoes=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not dated_review:
            del self.fields["next_review_on"]
        _ask_to_confirm_undo(self, undoes)


class SendBackForm(forms.Form):
    """The reviewer's comment for the editor, and comments on particular sections (`sections`:
    (section id or None, anchor, heading) of each section the revision has)."""

    comment = forms.CharField(
        label=gettext_lazy("What needs changing"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
    )

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = list(sections)
        for index, (_id, _anchor, heading) in enumerate(self.sections):
            self.fields[f"section_{index}"] = forms.CharField(
                label=_("On “%(heading)s”") % {"heading": heading or _("Introduction")},
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=5000,
                required=False,
            )

    def section_fields(self):
        return [self[f"section_{index}"] for index in range(len(self.sections))]

    def main_fields(self):
        return [self["comment"]]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("comment", "").strip() and not self.section_comments():
            raise ValidationError(
                _("Say what needs changing, overall or on a section, for the editor."),
                code="empty",
            )
        return cleaned

    def section_comments(self):
        return [
            (section_id, anchor, heading, self.cleaned_data.get(f"section_{index}", ""))
            for index, (section_id, anchor, heading) in enumerate(self.sections)
            if self.cleaned_data.get(f"section_{index}", "").strip()
        ]


class PublishAnywayForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why publish without clinical review"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=gettext_lazy("Recorded with the revision, for the clinic's records."),
    )
    undo_confirmed = forms.BooleanField(
        label=ApproveForm.base_fields["undo_confirmed"].label, required=False
    )

    def __init__(self, *args, undoes=False, **kwargs):
        super().__init__(*args, **kwargs)
        _ask_to_confirm_undo(self, undoes)


def _ask_to_confirm_undo(form, undoes):
    """A revision older than what is published undoes it: the box must be ticked."""
    if undoes:
        form.fields["undo_confirmed"].required = True
    else:
        del form.fields["undo_confirmed"]
