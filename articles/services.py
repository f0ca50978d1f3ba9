"""Saving articles and sections with what follows from them in files and other rows.

The models keep what must hold for every write (stored HTML, the first publication date, a
free anchor). Work with side effects (image files, citation rows) happens here, in functions
the admin, the commands and the tests call by name.
"""

import logging

from references.citations import cited_keys
from references.models import Reference

from .images import make_renditions, strip_metadata
from .models import Section, SectionCitation

logger = logging.getLogger(__name__)


class ImageNotStored(Exception):
    """Storage would not take an image (a bucket not answering, a full disk). The message is
    for the editor; the traceback is logged for whoever looks after the site."""

    def __init__(self):
        super().__init__(
            "The image could not be stored just now, so nothing was saved. Try again in a few "
            "minutes (choose the image again); if it keeps failing, tell whoever looks after "
            "the site."
        )


def store_featured_image(article):
    """Store a newly uploaded featured image, without its metadata, under a new name."""
    image = article.featured_image
    if image and not image._committed:
        cleaned = strip_metadata(image)
        try:
            image.save(cleaned.name, cleaned, save=False)
        except Exception as error:
            logger.exception("The site could not store a featured image.")
            raise ImageNotStored() from error


def save_article(article):
    """Save `article`; a new featured image is stored without its metadata, and the image
    the article names (new, or restored from history) gets its smaller sizes. One write."""
    store_featured_image(article)
    image = article.featured_image
    if not image:
        article.featured_image_renditions = []
    elif not renditions_match(article):
        article.featured_image_renditions = make_renditions(image.name)
    article.save()


def renditions_match(article):
    """Whether the sizes stored for the featured image are those of the image it names."""
    renditions = article.featured_image_renditions
    return bool(renditions) and renditions[-1]["url"] == article.featured_image.url


def record_citations(section):
    """Keep the section→reference rows current: what "cited in", the all-references export
    and delete protection read."""
    references = Reference.objects.filter(key__in=cited_keys(section.body_html))
    SectionCitation.objects.filter(section=section).exclude(reference__in=references).delete()
    known = set(
        SectionCitation.objects.filter(section=section).values_list("reference_id", flat=True)
    )
    SectionCitation.objects.bulk_create(
        SectionCitation(section=section, reference=reference)
        for reference in references
        if reference.pk not in known
    )


def save_section(section, **save_options):
    """Save `section` and the list of references it cites."""
    section.save(**save_options)
    record_citations(section)


def rerender_sections(sections=None):
    """Store each section's derived fields afresh, and its citations (after a fixture load
    or a renderer change)."""
    for section in Section.objects.all() if sections is None else sections:
        # Saving derives them.
        save_section(section, update_fields=["body_html", "body_text", "discusses_suicide"])
