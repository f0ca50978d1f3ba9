from django import template

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
    waiting = list(Revision.objects.waiting_for_review().select_related("submitted_by")[:20])
    return {
        "shown": True,
        "waiting": waiting,
        "may_review": user.has_perm("publishing.review_revision"),
    }
