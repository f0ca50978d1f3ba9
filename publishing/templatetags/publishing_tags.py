from django import template

from ..pages import kind_for

register = template.Library()


@register.filter
def model_name(page):
    """ "article" or "topicpage": how the revision pages' addresses name a kind of page."""
    return page._meta.model_name


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
