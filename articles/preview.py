"""The Markdown editor's live preview: the section as patients will read it.

Citations are numbered as on the article's page, continuing from the sections before it
(as they are saved), and the references they point to are listed; a key no reference has
is flagged at once, since saving would be refused, and so are a retracted reference and the
words a clinical reviewer will weigh (claims.matching), as they are typed.
"""

from types import SimpleNamespace

from django.db import models
from django.template.loader import render_to_string

from claims.matching import Matcher
from references.citations import cited_keys, number_citations
from references.models import Reference

from .models import Section
from .rendering import plain_text, render_markdown


def render_preview(text, *, earlier_sections=()):
    """`text` rendered; `earlier_sections` are those before it on its page, whose citations
    come first in the numbering."""
    html = render_markdown(text)
    keys = cited_keys(html)
    earlier_keys = {key for section in earlier_sections for key in cited_keys(section.body_html)}
    known = Reference.objects.filter(key__in=set(keys) | earlier_keys)
    citations = number_citations([*earlier_sections, SimpleNamespace(body_html=html)], known)
    found = {reference.key for reference in known}
    return render_to_string(
        "articles/_editor_preview.html",
        {
            "html": citations.sections[-1].html,
            "references": [entry for entry in citations.references if entry.reference.key in keys],
            "unknown": [key for key in keys if key not in found],
            "retracted": [r.key for r in known if r.retracted and r.key in keys],
            "claims": Matcher.active().find(plain_text(html)),
            "on_a_page": bool(earlier_sections),
        },
    )


def earlier_sections(section):
    """The sections before `section` on its article's page, as saved."""
    return list(
        Section.objects.filter(article_id=section.article_id)
        .filter(
            models.Q(position__lt=section.position)
            | models.Q(position=section.position, id__lt=section.pk)
        )
        .order_by("position", "id")
    )
