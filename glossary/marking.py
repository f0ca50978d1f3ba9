"""Where a page first uses a defined term, the term is marked so a reader can see its
definition without leaving the page.

Each term (or one of its spellings) is marked once per page, at its first use in running
text, never inside a heading, a link, code or a citation. The mark is a link to the term's
entry on the glossary page (what a reader without script gets), described by the definition
for screen readers (`aria-describedby`), with the definition beside it, hidden until the
page's script shows it on tap, hover or keyboard focus (static/js/glossary.js). The HTML is
the same for every reader, so the page stays in the page cache. Plain functions over loaded
entries: no queries.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

# Tags whose text is not running text a term should be marked in.
_SKIP = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "sup", "abbr", "button"}
_TAG = re.compile(r"(<[^>]+>)")
_TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)")


class Marker:
    """Marks the first use of each of `entries` across the HTML given to `mark`, in order."""

    def __init__(self, entries, glossary_url):
        self.glossary_url = glossary_url
        self.pending = {}
        for entry in entries:
            for spelling in entry.spellings:
                self.pending.setdefault(spelling.casefold(), entry)
        # Longest first across all entries, so that "psicoterapia asistida con ketamina" is
        # found as itself, not as the shorter "psicoterapia" another entry defines.
        spellings = sorted(self.pending, key=len, reverse=True)
        patterns = [re.escape(spelling) for spelling in spellings]
        self.marked = set()
        self.pattern = (
            re.compile(r"(?<![\w-])(" + "|".join(patterns) + r")(?![\w-])", re.IGNORECASE)
            if patterns
            else None
        )

    def mark(self, html):
        if self.pattern is None or len(self.marked) == len(set(self.pending.values())):
            return html
        parts, skipping = [], []
        for piece in _TAG.split(html):
            if piece.startswith("<"):
                match = _TAG_NAME.match(piece)
                if match and match.group(2).lower() in _SKIP and not piece.endswith("/>"):
                    if match.group(1):
                        if skipping:
                            skipping.pop()
                    else:
                        skipping.append(match.group(2).lower())
                parts.append(piece)
            elif skipping or not piece.strip():
                parts.append(piece)
            else:
                parts.append(self.pattern.sub(self._mark_first, piece))
        # Sanitised HTML with only our own marks added, their text escaped.
        return mark_safe("".join(parts))  # noqa: S308

    def _mark_first(self, match):
        words = match.group(0)
        entry = self.pending.get(words.casefold())
        if entry is None or entry.pk in self.marked or not _same_case(words, entry):
            return words
        self.marked.add(entry.pk)
        definition_id = f"glossary-{entry.slug}"
        return (
            f'<span class="glossary-term">'
            f'<a href="{self.glossary_url}#{entry.slug}" aria-describedby="{definition_id}"'
            f" data-glossary-term>{words}</a>"
            f'<span class="glossary-term__definition" id="{definition_id}" role="tooltip" hidden>'
            f"<strong>{escape(entry.term)}:</strong> {escape(entry.definition)}</span></span>"
        )


def _same_case(words, entry):
    """An abbreviation written in capitals (NMDA, IV) matches only in capitals: "iv" in
    "iv." or a word like "Iv" is not it."""
    for spelling in entry.spellings:
        if spelling.casefold() == words.casefold():
            return not (spelling.isupper() and len(spelling) <= 6) or words == spelling
    return False
