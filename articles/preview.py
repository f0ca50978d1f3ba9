"""The Markdown editor's live preview: the section as patients will read it.

Citations are numbered and listed as on a page (counted within this section: on the page,
numbers continue from the sections before it); a key no reference has is flagged at once,
since saving would be refused.
"""

from types import SimpleNamespace

from django.template.loader import render_to_string

from references.citations import cited_keys, number_citations
from references.models import Reference

from .rendering import render_markdown


def render_preview(text):
    html = render_markdown(text)
    keys = cited_keys(html)
    known = Reference.objects.filter(key__in=keys)
    citations = number_citations([SimpleNamespace(body_html=html)], known)
    found = {entry.reference.key for entry in citations.references}
    return render_to_string(
        "articles/_editor_preview.html",
        {
            "html": citations.sections[0].html,
            "references": citations.references,
            "unknown": [key for key in keys if key not in found],
        },
    )
