"""The checks at review on the review page (publishing.review_checks), and the forms that
collect what the reviewer gives with an approval: a reason for each overstating phrase the
revision adds, and the DISCERN ticks. Approval itself, and what it refuses, is the
workflow's."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import discern, review_checks
from ..models import Revision, SettledClaim
from ..pages import kind_of


class ClaimReasonsForm(forms.Form):
    """One reason per overstating phrase the revision adds, each required."""

    def __init__(self, *args, claims=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.claims = list(claims)
        for match in self.claims:
            self.fields[f"claim_{match.key}"] = forms.CharField(
                label=_("Your reason for “%(phrase)s” in %(where)s")
                % {"phrase": match.found, "where": match.where},
                help_text=f"“{match.sentence}” {match.why}",
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=2000,
                error_messages={
                    "required": _("Give your reason for approving it as written, or send it back.")
                },
            )

    def reasons(self):
        return {match.key: self.cleaned_data[f"claim_{match.key}"] for match in self.claims}


class DiscernForm(forms.Form):
    discern = forms.MultipleChoiceField(
        label=gettext_lazy("What the page says"),
        choices=[(question.code, question.text) for question in discern.QUESTIONS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ReviewChecks:
    """What the review page shows of one revision's checks."""

    def __init__(self, page, revision):
        self.page, self.revision = page, revision
        self.kind = kind_of(page)
        self.retracted = review_checks.retracted_citations(page, revision.content)
        waiting = revision.status in (Revision.Status.DRAFT, Revision.Status.SUBMITTED)
        waiting = waiting or revision.status == Revision.Status.SENT_BACK
        # Once approved, the phrases it added are settled: what it holds is shown as kept.
        self.claims = review_checks.claims_of(page, revision.content) if waiting else None
        self.kept_claims = list(revision.settled_claims.select_related("settled_by"))
        self.settled_reasons = {
            claim.key: claim
            for claim in SettledClaim.objects.filter(
                key__in=[match.key for match in (self.claims.settled if self.claims else [])]
            ).select_related("settled_by")
        }
        self.hints = review_checks.discern_hints(page, revision.content)
        self.kept_discern = (
            [
                (question, revision.discern.get(question.code, False))
                for question in discern.QUESTIONS
            ]
            if revision.discern
            else []
        )

    def forms(self, data=None):
        """The approve form's extra parts, bound to `data` when the reviewer posted them."""
        return {
            "claims": ClaimReasonsForm(data, claims=self.claims.added if self.claims else ()),
            "discern": DiscernForm(data) if self.kind.discern else None,
        }

    def discern_rows(self, form):
        """Each question with its hint, and whether it is ticked on `form`."""
        ticked = set(form["discern"].value() or []) if form is not None else set()
        return [(hint, hint.question.code in ticked) for hint in self.hints]
