"""What the editorial policy page says, read from the site's own data: who writes the pages,
who reviewed them and with what credentials (the approvals that put them live), how often
they are reviewed, and what kinds of evidence they cite. A fixed number of queries, however
many pages and references there are."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.models import Article
from references.evidence import EXPLANATIONS
from references.models import Reference
from topics.models import TopicPage


@dataclass
class Reviewer:
    credit: str  # name and credentials, as the reviewer gave them when approving
    pages: list = field(default_factory=list)
    last_reviewed_on: object = None


@dataclass
class Writer:
    byline: str
    publisher: str
    articles: list = field(default_factory=list)


@dataclass
class EditorialFacts:
    writers: list
    reviewers: list
    unreviewed: list  # published pages no clinician has reviewed yet
    review_interval: str
    evidence: list  # (label, count) of each kind cited
    references_cited: int
    retracted_cited: int


def interval_in_words(days):
    """The review interval as a reader says it: 365 days is "at least once a year"."""
    if days % 365 == 0:
        years = days // 365
        if years == 1:
            return _("at least once a year")
        return _("at least every %(count)s years") % {"count": years}
    months = round(days / 30.44)
    if months and abs(days - months * 30.44) <= 3:
        return ngettext("at least once a month", "at least every %(count)s months", months) % {
            "count": months
        }
    return ngettext("at least every day", "at least every %(count)s days", days) % {"count": days}


def editorial_facts():
    live_articles = list(Article.objects.live().order_by("title"))
    live_topics = list(TopicPage.objects.live().order_by("title"))
    writers = {}
    for article in live_articles:
        writer = writers.setdefault(
            (article.byline, article.publisher), Writer(article.byline, article.publisher)
        )
        writer.articles.append(article)
    reviewers = {}
    unreviewed = []
    for page in [*live_articles, *live_topics]:
        if not (page.reviewed_by and page.last_reviewed_on):
            unreviewed.append(page)
            continue
        reviewer = reviewers.setdefault(page.reviewed_by, Reviewer(page.reviewed_by))
        reviewer.pages.append(page)
        if reviewer.last_reviewed_on is None or page.last_reviewed_on > reviewer.last_reviewed_on:
            reviewer.last_reviewed_on = page.last_reviewed_on
    # What the published articles cite: the same works as the public export of them all.
    cited = Reference.objects.filter(
        citing_sections__article__status=Article.Status.PUBLISHED
    ).distinct()
    by_kind = dict(
        Reference.objects.filter(pk__in=cited.values("pk"))
        .values_list("evidence_type")
        .annotate(count=Count("pk"))
    )
    # In the order the "How to read our references" page explains them, strongest first.
    evidence = [(kind.label, by_kind[kind.value]) for kind in EXPLANATIONS if kind.value in by_kind]
    return EditorialFacts(
        writers=list(writers.values()),
        reviewers=sorted(reviewers.values(), key=lambda reviewer: reviewer.credit),
        unreviewed=unreviewed,
        review_interval=interval_in_words(settings.REVIEW_INTERVAL_DAYS),
        evidence=evidence,
        references_cited=sum(by_kind.values()),
        retracted_cited=Reference.objects.filter(pk__in=cited.values("pk"), retracted=True).count(),
    )
