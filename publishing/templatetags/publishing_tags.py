from django import template

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
