"""What a clinical reviewer is shown, and what approval checks, besides the differences:

- **Retracted references**: every place the content cites a reference marked retracted.
  A page citing one cannot be approved or published (publishing.workflow).
- **Overstating phrases** (claims.matching) in what patients read: those the revision adds
  need the reviewer's recorded reason to approve; those already live, or settled by a
  reviewer before (`SettledClaim`, the same phrase in the same sentence), do not, and live
  ones not yet settled are listed for a reviewer to settle (admin home, launch checklist).
- **DISCERN hints** (publishing.discern), for the checklist the reviewer may tick.

Plain reading functions: they lock and write nothing.
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch

from articles.models import Article, Section
from claims.matching import Matcher
from clinic.models import ClinicSettings
from glossary.models import GlossaryEntry
from references.models import Reference
from topics.models import TopicPage, TopicSection

from . import discern
from .models import Revision, SettledClaim
from .pages import KINDS, TOPIC_POINTS, kind_of


@dataclass
class Retracted:
    reference: Reference
    places: list  # where on the page it is cited


def retracted_citations(page, content):
    """The retracted references `content` cites, each with where it is cited."""
    places = {}
    for where, key in kind_of(page).citations(page, content):
        places.setdefault(key, [])
        if where not in places[key]:
            places[key].append(where)
    if not places:
        return []
    references = Reference.objects.filter(key__in=places, retracted=True).order_by("key")
    return [Retracted(reference, places[reference.key]) for reference in references]


def claims_in(page, content, matcher=None):
    matcher = matcher or Matcher.active()
    return matcher.find_all(kind_of(page).texts(page, content))


def settled_keys(keys):
    return set(SettledClaim.objects.filter(key__in=set(keys)).values_list("key", flat=True))


@dataclass
class Claims:
    added: list = field(default_factory=list)  # new to patients: need a reason to approve
    live: list = field(default_factory=list)  # already live and not yet settled
    settled: list = field(default_factory=list)  # settled by a reviewer before


def claims_of(page, content, matcher=None):
    """The overstating phrases in `content`, sorted by what approving it asks of the
    reviewer: added ones need a reason; live or settled ones do not."""
    matcher = matcher or Matcher.active()
    found = claims_in(page, content, matcher)
    kind = kind_of(page)
    live = {match.key for match in claims_in(page, kind.live_content(page), matcher)}
    settled = settled_keys(match.key for match in found)
    sorted_out = Claims()
    for match in found:
        if match.key in settled:
            sorted_out.settled.append(match)
        elif match.key in live:
            sorted_out.live.append(match)
        else:
            sorted_out.added.append(match)
    return sorted_out


def discern_hints(page, content):
    kind = kind_of(page)
    if not kind.discern:
        return []
    return discern.hints(
        kind.texts(page, content), kind.citations(page, content), dated=kind.dated_review
    )


# Across the live site: for the admin home and the launch checklist -------------------------


def live_texts():
    """(page, texts) for everything patients can read now, in a fixed number of queries."""
    articles = Article.objects.live().prefetch_related(
        Prefetch("sections", Section.objects.order_by("position", "id")), "key_points"
    )
    for article in articles:
        sections = list(article.sections.all())
        kind = KINDS[Article]
        content = kind.snapshot(article, sections=sections, key_points=article.key_points.all())
        yield article, kind.texts(article, content, rows={row.pk: row for row in sections})
    pages = TopicPage.objects.live().prefetch_related(
        Prefetch(
            "topic_sections",
            TopicSection.objects.select_related("section__article").order_by("position", "id"),
        ),
        "key_points",
        "facts",
    )
    kind = KINDS[TopicPage]
    for page in pages:
        rows = {row.section_id: row.section for row in page.topic_sections.all()}
        content = {
            "fields": kind.snapshot_fields(page),
            "sections": list(rows),
            "facts": [{"aspect": fact.aspect, "text": fact.text} for fact in page.facts.all()],
            "key_points": TOPIC_POINTS.snapshot(page, page.key_points.all()),
        }
        yield page, kind.texts(page, content, rows=rows)
    for entry in GlossaryEntry.objects.live():
        yield entry, KINDS[GlossaryEntry].texts(entry, KINDS[GlossaryEntry].snapshot(entry))
    clinic = ClinicSettings.objects.filter(pk=1).first()
    if clinic is not None:
        yield clinic, KINDS[ClinicSettings].texts(clinic, KINDS[ClinicSettings].snapshot(clinic))


@dataclass
class PageClaims:
    page: object
    claims: list


def live_claims_to_settle():
    """Each live page with the overstating phrases patients read on it that no reviewer has
    settled, in page order."""
    matcher = Matcher.active()
    found = [(page, matcher.find_all(texts)) for page, texts in live_texts()]
    settled = settled_keys(match.key for _page, matches in found for match in matches)
    listed = []
    for page, matches in found:
        unsettled = [match for match in matches if match.key not in settled]
        if unsettled:
            listed.append(PageClaims(page, unsettled))
    return listed


@dataclass
class PageGaps:
    page: object
    checked: bool  # its live content was approved with the DISCERN checklist ticked
    gaps: list  # the questions left unticked


def discern_gaps():
    """Each live article and topic page whose live content's approval left DISCERN questions
    unticked, or was not ticked at all, in a fixed number of queries."""
    pages = [*Article.objects.live().order_by("title"), *TopicPage.objects.live().order_by("title")]
    types = {model: ContentType.objects.get_for_model(model) for model in (Article, TopicPage)}
    newest = {}
    published = Revision.objects.filter(
        status=Revision.Status.PUBLISHED, content_type__in=types.values()
    ).order_by("-id")
    for type_id, object_id, kept in published.values_list(
        "content_type_id", "object_id", "discern"
    ):
        newest.setdefault((type_id, object_id), kept)
    listed = []
    for page in pages:
        kept = newest.get((types[type(page)].pk, page.pk)) or {}
        missing = discern.gaps(kept)
        if not kept or missing:
            listed.append(PageGaps(page, bool(kept), missing if kept else []))
    return listed
