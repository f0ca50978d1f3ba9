"""Readers' answers to "Was this page helpful?".

Nothing that tells one reader from another is kept: no address, session, browser or time of
day. The day alone is stored, so that an answer cannot be matched to a web server's log line.
Answers are never shown on a public page; editors see them, counted per page, in the admin.
"""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone

from articles.models import Article
from topics.models import TopicPage

COMMENT_MAX_LENGTH = 1000


class PageFeedbackQuerySet(models.QuerySet):
    def counts_per_page(self):
        """One row per page with answers: its title, yes, no and comments, most answered first."""
        return (
            self.values("article", "article__title", "topic_page", "topic_page__title")
            .annotate(
                answers=Count("id"),
                yes=Count("id", filter=Q(helpful=True)),
                no=Count("id", filter=Q(helpful=False)),
                comments=Count("id", filter=~Q(comment="")),
            )
            .order_by("-answers", "article__title", "topic_page__title")
        )


class PageFeedback(models.Model):
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    topic_page = models.ForeignKey(
        TopicPage, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    helpful = models.BooleanField()
    comment = models.TextField(blank=True, max_length=COMMENT_MAX_LENGTH)
    received_on = models.DateField(default=timezone.localdate, editable=False)
    # The language of the page it answers: its English or its Spanish words were read.
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")

    objects = PageFeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = "answer"
        verbose_name_plural = "answers to “Was this page helpful?”"
        constraints = [
            models.CheckConstraint(
                condition=Q(article__isnull=False, topic_page__isnull=True)
                | Q(article__isnull=True, topic_page__isnull=False),
                name="feedback_about_one_page",
            )
        ]

    def __str__(self):
        return f"{'Helpful' if self.helpful else 'Not helpful'}: {self.page}"

    @property
    def page(self):
        return self.article or self.topic_page
