"""Assemble a page from article sections: numbered citations, unique anchors, contents.

Article pages and topic pages are both an ordered list of sections; a topic page
takes them from several articles. `compose_page` works on loaded objects only
and makes no queries.
"""

import copy
from dataclasses import dataclass, field

from django.utils.translation import gettext

from references.citations import number_citations

from .voice import without_publisher_voice


@dataclass
class PageSection:
    section: object
    anchor: str
    level: int
    html: str = ""
    children: list = field(default_factory=list)

    @property
    def heading(self):
        return self.section.heading


@dataclass
class ShownKeyPoint:
    text: str
    anchor: str  # of the section on this page that supports it
    heading: str
    language: str = ""  # set when shown in a language other than the page's
    heading_language: str = ""  # the same, for its section's heading


@dataclass
class ComposedPage:
    sections: list
    references: list
    contents: list
    key_points: list = field(default_factory=list)


def compose_page(
    sections,
    references,
    *,
    flatten_levels=False,
    publisher_voice=True,
    key_points=(),
    glossary=None,
):
    """Number citations over `sections` and give each a unique anchor on the page.

    `flatten_levels` shows every section at level 2, for pages whose sections
    come without the parent sections that introduce them. Without `publisher_voice`,
    text a source's publisher says of itself is left out (articles.voice).
    `key_points` are shown each linking to the section that supports it (by its `anchor`,
    or its `section_id` on a topic page); a point whose section the page does not show is
    left out. `glossary` (a glossary.marking.Marker) marks each defined term's first use.
    """
    if not publisher_voice:
        sections = [_in_clinic_voice(section) for section in sections]
    citations = number_citations(sections, references)
    used = set()
    page_sections = []
    for cited in citations.sections:
        page_sections.append(
            PageSection(
                section=cited.section,
                anchor=_unique(cited.section.anchor, used),
                level=2 if flatten_levels else cited.section.level,
                html=glossary.mark(cited.html) if glossary else cited.html,
            )
        )
    return ComposedPage(
        sections=page_sections,
        references=citations.references,
        contents=_contents(page_sections),
        key_points=_key_points(key_points, page_sections),
    )


def _key_points(points, page_sections):
    by_anchor = {part.section.anchor: part for part in page_sections}
    by_id = {part.section.pk: part for part in page_sections if part.section.pk}
    shown = []
    for point in points:
        section_id = getattr(point, "section_id", None)
        part = by_id.get(section_id) if section_id else by_anchor.get(point.anchor)
        if part is not None:
            shown.append(
                ShownKeyPoint(
                    point.text,
                    part.anchor,
                    part.heading or gettext("Introduction"),
                    getattr(point, "shown_language", ""),
                    getattr(part.section, "shown_language", "") if part.heading else "",
                )
            )
    return shown


def _in_clinic_voice(section):
    """A copy of `section` to show without its publisher's own voice; nothing is saved."""
    shown = copy.copy(section)
    shown.body_html = without_publisher_voice(section.body_html)
    return shown


def _unique(anchor, used):
    candidate, number = anchor, 2
    while candidate in used:
        candidate = f"{anchor}-{number}"
        number += 1
    used.add(candidate)
    return candidate


def _contents(page_sections):
    """Titled sections; level-3 ones nested under the level-2 one before them."""
    entries = []
    for page_section in page_sections:
        if not page_section.heading:
            continue
        entry = PageSection(page_section.section, page_section.anchor, page_section.level)
        if page_section.level == 3 and entries:
            entries[-1].children.append(entry)
        else:
            entries.append(entry)
    return entries
