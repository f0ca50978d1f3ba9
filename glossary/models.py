"""The glossary: terms the pages use, each with a short plain definition, reviewed like a
page before patients see it."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class GlossaryQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status=GlossaryEntry.Status.PUBLISHED)


class GlossaryEntry(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    term = models.CharField(max_length=100, help_text="As the pages write it, e.g. NMDA.")
    slug = models.SlugField(
        max_length=100, unique=True, help_text="Its address on the glossary page (#slug)."
    )
    also_matches = models.CharField(
        "also written as",
        max_length=300,
        blank=True,
        help_text="Other ways the pages write it, separated by commas (e.g. TRD). Each is "
        "matched as a whole word.",
    )
    definition = models.TextField(
        max_length=400,
        help_text="One or two short sentences in plain words, drawn from the pages' own "
        "sources. It is shown where the term is first used on a page.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)

    objects = GlossaryQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["term"]
        verbose_name_plural = "glossary entries"

    def __str__(self):
        return self.term

    def get_absolute_url(self):
        return f"{reverse('glossary:list')}#{self.slug}"

    @property
    def spellings(self):
        """The term and each other way it is written, longest first."""
        others = [part.strip() for part in self.also_matches.split(",") if part.strip()]
        return sorted({self.term, *others}, key=len, reverse=True)

    def publish(self):
        self.status = self.Status.PUBLISHED

    def unpublish(self):
        self.status = self.Status.DRAFT

    def clean(self):
        for spelling in self.spellings:
            if not re.search(r"\w", spelling):
                raise ValidationError({"also_matches": f"“{spelling}” has no letters to match."})
