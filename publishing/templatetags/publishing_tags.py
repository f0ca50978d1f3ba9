from django import template

register = template.Library()


@register.filter
def model_name(page):
    """ "article" or "topicpage": how the revision pages' addresses name a kind of page."""
    return page._meta.model_name


@register.filter
def next_after(revisions, revision):
    """The revision listed after `revision` (the one before it in time), or None."""
    revisions = list(revisions)
    index = revisions.index(revision)
    return revisions[index + 1] if index + 1 < len(revisions) else None
