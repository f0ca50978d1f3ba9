from django import template
from django.db.models import Q
from django.utils import timezone

from ..pages import kind_for

register = template.Library()


@register.filter
def model_name(page):
    """ "article" or "topicpage": how the revision pages' addresses name a kind of page."""
    return page._meta.model_name


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.inclusion_tag("admin/publishing/waiting_for_review.html", takes_context=True)
def waiting_for_review(context):
    """The admin home's list of changes waiting for a clinical reviewer, oldest first."""
    from ..models import Revision

    user = context["request"].user
    if not user.has_perm("publishing.view_revision"):
        return {"shown": False}
    waiting = list(
        Revision.objects.waiting_for_review().select_related("submitted_by", "content_type")[:20]
    )
    return {
        "shown": True,
        "waiting": [
            (revision, kind_for(revision.content_type.model_class()).title(revision.content))
            for revision in waiting
        ],
        "may_review": user.has_perm("publishing.review_revision"),
    }


@register.inclusion_tag("admin/publishing/schedule_problems.html", takes_context=True)
def schedule_problems(context):
    """The admin home's list of scheduled steps that failed: what the worker could not do."""
    from ..models import ScheduleProblem

    user = context["request"].user
    if not user.has_perm("publishing.view_revision"):
        return {"problems": []}
    problems = list(ScheduleProblem.objects.select_related("content_type", "revision"))
    return {"problems": [(problem, problem.page) for problem in problems]}


def _titled(revisions):
    return [
        (revision, kind_for(revision.content_type.model_class()).title(revision.content))
        for revision in revisions
    ]


@register.inclusion_tag("admin/publishing/editor_home.html", takes_context=True)
def editor_home(context):
    """A content editor's home: their drafts not yet submitted, changes sent back to them
    with the reviewer's comment, and theirs waiting for review."""
    from ..models import Revision

    user = context["request"].user
    if not user.has_perm("publishing.submit_revision"):
        return {"shown": False}
    newest = Revision.objects.newest_per_page().select_related("content_type", "reviewed_by")
    mine = Q(created_by=user) | Q(submitted_by=user)
    return {
        "shown": True,
        "drafts": _titled(newest.filter(status=Revision.Status.DRAFT, created_by=user)[:20]),
        "sent_back": _titled(newest.filter(mine, status=Revision.Status.SENT_BACK)[:20]),
        "waiting": _titled(
            Revision.objects.waiting_for_review()
            .filter(submitted_by=user)
            .select_related("content_type")[:20]
        ),
    }


@register.inclusion_tag("admin/publishing/reviewer_home.html", takes_context=True)
def reviewer_home(context):
    """A clinical reviewer's home: changes waiting for them, oldest first, and pages whose
    review is overdue."""
    from articles.models import Article
    from topics.models import TopicPage

    from ..models import Revision
    from ..workflow import may_review

    user = context["request"].user
    if not may_review(user):
        return {"shown": False}
    today = timezone.localdate()
    overdue = [
        *Article.objects.live().filter(next_review_on__lt=today).order_by("next_review_on"),
        *TopicPage.objects.live().filter(next_review_on__lt=today).order_by("next_review_on"),
    ]
    return {
        "shown": True,
        "waiting": _titled(
            Revision.objects.waiting_for_review().select_related("submitted_by", "content_type")
        ),
        "overdue": sorted(overdue, key=lambda page: page.next_review_on),
    }


@register.inclusion_tag("admin/publishing/claims_on_home.html", takes_context=True)
def claims_to_settle(context):
    """The admin home's count of overstating phrases live and unsettled, for reviewers and
    editors to act on."""
    from ..review_checks import live_claims_to_settle

    user = context["request"].user
    if not user.has_perm("publishing.view_revision"):
        return {"shown": False}
    listed = live_claims_to_settle()
    return {
        "shown": True,
        "listed": listed,
        "count": sum(len(entry.claims) for entry in listed),
    }


@register.inclusion_tag("admin/publishing/discern_gaps.html", takes_context=True)
def discern_gaps(context):
    """The admin home's list, for editors, of what each live page does not say by its last
    reviewer's DISCERN ticks (or that no reviewer has ticked them yet)."""
    from ..review_checks import discern_gaps as gaps

    user = context["request"].user
    if not (user.has_perm("articles.change_article") or user.has_perm("topics.change_topicpage")):
        return {"shown": False}
    return {"shown": True, "pages": gaps()}
