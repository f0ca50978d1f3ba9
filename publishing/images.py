"""Image files that no page shows any more are removed from storage.

A replaced or deleted image must not stay public at its old address: it may show what should
never have been shown, and it is no longer reviewed. An image stays while a page shows it,
or a revision that may still go live does (a page's newest revision not yet published, or
one submitted or approved). Older revisions keep their text but not their images.

Removal follows each write that can stop a page showing an image (a publication, a new
revision, a deletion) once it commits. An upload never saved into any page (an editor who
cancelled) is removed by the background worker (WORKER_TASKS, hourly) a day after upload.
"""

import datetime
import logging

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from articles.images import INLINE_DIRECTORY, delete_image, original_name, stored_name
from articles.models import Article, Section
from topics.models import TopicPage
from translations.models import Translation

from .models import Revision
from .pages import KINDS

logger = logging.getLogger(__name__)

UPLOAD_GRACE = datetime.timedelta(days=1)


def remove_unused_later(candidates):
    """Once the current transaction commits, remove those of `candidates` (storage names)
    that nothing shows any more."""
    candidates = set(candidates)
    if candidates:
        # robust: a file that cannot be removed is logged, never an error for the editor.
        transaction.on_commit(lambda: remove_unused(candidates), robust=True)


def remove_unused(candidates):
    """Remove those of `candidates` that no page or pending revision shows; their names."""
    candidates = set(candidates) - images_of_pending_revisions() - _featured_image_copies()
    removed = sorted(name for name in candidates if not _shown_by_rows(name))
    for name in removed:
        delete_image(name)
        logger.info("Removed image %s and its smaller copies: no page shows it.", name)
    return removed


def images_of_pending_revisions():
    """Images of every revision that may still go live: each page's newest if not yet
    published, and any submitted (a reviewer may approve it) or approved (it goes live at
    its time)."""
    newest = (
        Revision.objects.values("content_type", "object_id")
        .annotate(newest=Max("id"))
        .values("newest")
    )
    pending = Revision.objects.filter(
        Q(id__in=newest) & ~Q(status=Revision.Status.PUBLISHED)
        | Q(status__in=[Revision.Status.SUBMITTED, Revision.Status.APPROVED])
    ).select_related("content_type")
    names = set()
    for revision in pending:
        names |= KINDS[revision.content_type.model_class()].images(revision.content)
    return names


def _featured_image_copies():
    """The smaller copies live articles list in `srcset`, whatever their names."""
    return {
        stored_name(size["url"])
        for sizes in Article.objects.values_list("featured_image_renditions", flat=True)
        for size in sizes
    }


def _shown_by_rows(name):
    """Whether a page's rows show the image `name` (by the name appearing in its text: an
    image only mentioned is kept too, which errs on the safe side)."""
    return (
        Article.objects.filter(Q(featured_image=name) | Q(attribution__contains=name)).exists()
        or Section.objects.filter(body__contains=name).exists()
        or TopicPage.objects.filter(intro__contains=name).exists()
        or Translation.objects.annotate(words=Cast("content", TextField()))
        .filter(words__contains=name)
        .exists()
    )


def images_no_longer_stored(names):
    return sorted(name for name in names if not default_storage.exists(name))


def remove_unsaved_uploads(now=None):
    """Remove uploads older than a day that no page shows: images uploaded and then left
    out, and any file left behind. Returns the names removed."""
    cutoff = (now or timezone.now()) - UPLOAD_GRACE
    directories = {INLINE_DIRECTORY, Article._meta.get_field("featured_image").upload_to}
    originals = set()  # each stored image once, whether found by itself or by its copies
    for directory in directories:
        try:
            _, files = default_storage.listdir(directory)
        except FileNotFoundError:
            continue
        for filename in files:
            originals.add(f"{directory.rstrip('/')}/{original_name(filename)}")
    return remove_unused(
        name
        for name in originals
        # A copy left without its image goes too.
        if not default_storage.exists(name) or default_storage.get_modified_time(name) < cutoff
    )
