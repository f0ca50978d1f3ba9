"""What staff tune about site search: words that mean the same, and the topic pages a search
that finds nothing offers instead. Both change public pages (search results), so their tables
are watched by the page cache (migration 0002)."""

import re

from django.core.exceptions import ValidationError
from django.db import models

from topics.models import TopicPage

_TERM_WORD = re.compile(r"\w+")
MAX_TERM_WORDS = 4


def term_words(term):
    """The words of one synonym term, as search compares them: lower case, no punctuation."""
    return tuple(word.casefold() for word in _TERM_WORD.findall(term))


class SynonymGroup(models.Model):
    terms = models.CharField(
        max_length=500,
        help_text="Words or short phrases that mean the same to someone searching, separated by "
        "commas, for example “price, cost, fee, afford”. A search for any of them finds "
        "pages holding any of them. Up to four words each.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["terms"]
        verbose_name = "synonym group"

    def __str__(self):
        return self.terms

    def term_list(self):
        """Each term once, as a tuple of its words."""
        seen = []
        for term in self.terms.split(","):
            words = term_words(term)
            if words and words not in seen:
                seen.append(words)
        return seen

    def clean(self):
        terms = self.term_list()
        if len(terms) < 2:
            raise ValidationError({"terms": "Give at least two terms, separated by commas."})
        too_long = [" ".join(t) for t in terms if len(t) > MAX_TERM_WORDS]
        if too_long:
            raise ValidationError(
                {"terms": f"Keep each term to {MAX_TERM_WORDS} words: “{too_long[0]}” is longer."}
            )
        self.terms = ", ".join(" ".join(t) for t in terms)


class NoResultTopic(models.Model):
    """A topic page offered when a search finds nothing."""

    page = models.OneToOneField(
        TopicPage,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="topic page",
        help_text="Shown only while it is published.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "topic offered when search finds nothing"
        verbose_name_plural = "topics offered when search finds nothing"

    def __str__(self):
        return str(self.page)
