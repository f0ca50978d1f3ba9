"""Citations: from Pandoc-style `[@key]` in Markdown to numbered links and a reference list.

Writing: `CitationExtension` turns `[@key]` and `[@key1; @key2]` into a marker element,
`<sup data-cite="key1 key2">[@key1; @key2]</sup>`, which survives sanitizing and is
stored in the section's HTML.

Reading: `number_citations(sections, references)` replaces the markers of one page's
sections with superscript links numbered by first appearance on that page, and lists
the cited references in that order with links back to every place that cites them.
It works on loaded objects only: it makes no queries and never fails on an unknown
key (an unknown key is dropped from the page and logged).
"""

import logging
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

logger = logging.getLogger(__name__)

KEY_PATTERN = r"[A-Za-z0-9_](?:[A-Za-z0-9_:.\-]*[A-Za-z0-9_])?"
CITATION_GROUP = re.compile(rf"\[(@{KEY_PATTERN}(?:\s*;\s*@{KEY_PATTERN})*)\]")
MARKER_TAG = "sup"
MARKER_ATTRIBUTE = "data-cite"
_MARKER = re.compile(r'<sup data-cite="([^"<>]*)">[^<]*</sup>')
# A marker with the white space before it (spaces, or none), when numbering.
_SPACED_MARKER = re.compile(r"([ \t\n]*)" + _MARKER.pattern)


class _CitationProcessor(InlineProcessor):
    def handleMatch(self, m, data):
        keys = [part.strip().lstrip("@") for part in m.group(1).split(";")]
        element = etree.Element(MARKER_TAG)
        element.set(MARKER_ATTRIBUTE, " ".join(keys))
        element.text = AtomicString(m.group(0))
        return element, m.start(0), m.end(0)


class CitationExtension(Extension):
    def extendMarkdown(self, md):
        # Above links (160) so `[@key]` is never read as a link; below code spans
        # (190) so a citation written inside backticks stays literal.
        md.inlinePatterns.register(_CitationProcessor(CITATION_GROUP.pattern, md), "citation", 175)


def without_markers(html):
    """`html` with its citation markers taken out (for plain text to search and quote)."""
    return _MARKER.sub("", html or "")


def cited_keys(html):
    """The distinct keys cited in rendered `html`, in order of first appearance."""
    keys = {}
    for marker in _MARKER.finditer(html or ""):
        for key in marker.group(1).split():
            keys.setdefault(key, None)
    return list(keys)


@dataclass
class CitedReference:
    number: int
    reference: object
    backlinks: list = field(default_factory=list)

    @property
    def anchor(self):
        return f"ref-{self.number}"

    @property
    def backlink_labels(self):
        """(anchor, label) for each place citing this entry: a, b, c…"""
        return [(backlink, _letter(index)) for index, backlink in enumerate(self.backlinks)]


@dataclass
class CitedSection:
    section: object
    html: str


@dataclass
class Citations:
    sections: list
    references: list


def number_citations(sections, references):
    """Number the citations of one page's `sections` (in page order).

    `references` are the Reference objects the page may cite. Each section must
    have `body_html` as stored by the renderer.
    """
    by_key = {reference.key: reference for reference in references}
    cited = {}

    def link(key):
        reference = by_key.get(key)
        if reference is None:
            logger.warning("Citation key %r has no reference; dropped from the page.", key)
            return None
        entry = cited.get(reference.pk)
        if entry is None:
            entry = cited[reference.pk] = CitedReference(number=len(cited) + 1, reference=reference)
        backlink = f"cite-{entry.number}-{len(entry.backlinks) + 1}"
        entry.backlinks.append(backlink)
        # A retracted work is flagged wherever it is cited, not only in the list.
        flag = (
            format_html('<span class="citation__retracted"> {}</span>', _("retracted"))
            if getattr(reference, "retracted", False)
            else ""
        )
        return format_html(
            '<a href="#{}" id="{}"><span class="visually-hidden">{} </span>{}{}</a>',
            entry.anchor,
            backlink,
            _("Reference"),
            entry.number,
            flag,
        )

    def replace(marker):
        space, keys = marker.groups()
        links = [html for html in (link(key) for key in keys.split()) if html]
        if not links:
            return space
        # Glued to the word before it, so "[4]" never starts a line on its own.
        glue = "\u00a0" if space else "\u2060"
        return format_html('{}<sup class="citation">[{}]</sup>', glue, mark_safe(", ".join(links)))

    numbered = [
        CitedSection(
            section=section, html=mark_safe(_SPACED_MARKER.sub(replace, section.body_html))
        )
        for section in sections
    ]
    return Citations(sections=numbered, references=list(cited.values()))


def _letter(index):
    return chr(ord("a") + index) if index < 26 else str(index + 1)
