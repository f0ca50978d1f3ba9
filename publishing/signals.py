"""What follows a page's or section's deletion, however it is deleted (the admin, a command,
a cascade): its revisions and its images go with it."""

from articles.models import Section
from articles.rendering import stored_images_in
from translations.models import Translation

from .images import remove_unused_later
from .models import Revision, ScheduleProblem
from .pages import kind_of


def forget_revisions(sender, instance, **kwargs):
    """A deleted page's revisions go with it (post_delete): nothing is left to review or
    restore, and no failed schedule step is left listed."""
    Revision.objects.of(instance).delete()
    ScheduleProblem.objects.filter(
        content_type__app_label=instance._meta.app_label,
        content_type__model=instance._meta.model_name,
        object_id=instance.pk,
    ).delete()


def forget_images(sender, instance, **kwargs):
    """A deleted page's or section's images go with it (pre_delete, while its sections and
    revisions can still be read), unless shown elsewhere."""
    if isinstance(instance, Section):
        remove_unused_later(stored_images_in(instance.body))
        return
    kind = kind_of(instance)
    shown = kind.images(kind.snapshot(instance))
    for revision in Revision.objects.of(instance):
        shown |= kind.images(revision.content)
    remove_unused_later(shown)


def forget_translations(sender, instance, **kwargs):
    """A deleted page's translations go with it (post_delete), each with its revisions: a
    translation of nothing is nothing a patient can read."""
    Translation.objects.filter(
        content_type__app_label=instance._meta.app_label,
        content_type__model=instance._meta.model_name,
        object_id=instance.pk,
    ).delete()
