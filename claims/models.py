"""The overstating phrases staff keep: what a clinical reviewer must weigh before patients
read it. Matching them in text is `claims.matching`."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords


class ClaimPhraseQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


def _listed(text):
    return [part.strip() for part in (text or "").split(",") if part.strip()]


class ClaimPhrase(models.Model):
    phrase = models.CharField(
        max_length=100,
        unique=True,
        help_text="As a page would write it, e.g. cure. Matched as whole words in any case; "
        "words may be joined by a space, a hyphen or nothing (FDA-approved, FDA approved).",
    )
    other_forms = models.CharField(
        "also written as",
        max_length=500,
        blank=True,
        help_text="Other forms, separated by commas, e.g. cures, cured, curative.",
    )
    only_with = models.CharField(
        "only in a sentence that mentions",
        max_length=300,
        blank=True,
        help_text="Words separated by commas, e.g. ketamine, infusion: the phrase is flagged "
        "only in a sentence that also has one of them (“FDA-approved” said of ketamine, not "
        "of esketamine). Empty: flagged in any sentence.",
    )
    negation_clears = models.BooleanField(
        "a negation before it makes it correct",
        default=True,
        help_text="Not flagged when one of the four words before it in its sentence is a "
        "negation (not, no, never, without, isn’t…): “not FDA-approved” is a correct "
        "statement. Untick for a phrase that is an overstatement even so.",
    )
    why = models.TextField(
        "what the reviewer weighs",
        help_text="Shown to the editor and the reviewer beside each match: why the phrase "
        "needs evidence or care.",
    )
    active = models.BooleanField(default=True, help_text="Untick to stop checking for it.")

    objects = ClaimPhraseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["phrase"]
        verbose_name = "overstating phrase"

    def __str__(self):
        return self.phrase

    @property
    def forms(self):
        """The phrase and each other form, longest first (so "cures" is tried before "cure")."""
        return sorted({self.phrase.strip(), *_listed(self.other_forms)}, key=len, reverse=True)

    @property
    def context_words(self):
        return _listed(self.only_with)

    def clean(self):
        for form in [self.phrase, *_listed(self.other_forms), *_listed(self.only_with)]:
            if not re.search(r"\w", form):
                raise ValidationError(f"“{form}” has no letters or digits to match.")
