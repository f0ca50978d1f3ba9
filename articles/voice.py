"""Whose voice: text in which a source's publisher speaks of itself ("our online course",
"we believe…") is marked by staff as `{{…}}` in the section's Markdown.

The article page, attributed to its author and publisher, keeps every word. A topic
page speaks as the clinic, composed from several sources, so it leaves marked text out
rather than present another organisation's claims about itself as the clinic's.
"""

import re
import xml.etree.ElementTree as etree

from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

ATTRIBUTE, VALUE = "data-voice", "publisher"
_OPENING = f'<span {ATTRIBUTE}="{VALUE}">'
_SPAN_TAG = re.compile(r"<span\b[^>]*>|</span>")
_EMPTY_BLOCK = re.compile(r"<(p|li)>\s*</\1>\s*")


class _PublisherVoiceProcessor(InlineProcessor):
    def handleMatch(self, match, data):
        element = etree.Element("span")
        element.set(ATTRIBUTE, VALUE)
        element.text = match.group(1)  # inline Markdown inside (citations too) still applies
        return element, match.start(0), match.end(0)


class PublisherVoiceExtension(Extension):
    def extendMarkdown(self, md):
        # Before citations (175) and links, so what is inside is still read as Markdown;
        # after code spans (190), so `{{…}}` written in backticks stays literal.
        md.inlinePatterns.register(
            _PublisherVoiceProcessor(r"\{\{(.+?)\}\}", md), "publisher_voice", 185
        )


def without_publisher_voice(html):
    """`html` with the publisher's own voice left out, and any paragraph or item it emptied.

    The marked span is found with its own closing tag, counting any spans inside it.
    """
    html = html or ""
    kept, position = [], 0
    while (start := html.find(_OPENING, position)) != -1:
        depth, end = 0, len(html)
        for tag in _SPAN_TAG.finditer(html, start):
            depth += -1 if tag.group().startswith("</") else 1
            if depth == 0:
                end = tag.end()
                break
        kept.append(html[position:start].rstrip(" "))
        position = end
    kept.append(html[position:])
    return _EMPTY_BLOCK.sub("", "".join(kept))


def unclosed_marks(markdown_text):
    """Paragraphs whose {{ is not closed by }} within them (shown to staff as an error)."""
    problems = []
    for paragraph in re.split(r"\n\s*\n", markdown_text or ""):
        depth = 0
        for token in re.findall(r"\{\{|\}\}", paragraph):
            depth += 1 if token == "{{" else -1
            if depth < 0 or depth > 1:
                break
        if depth != 0:
            problems.append(" ".join(paragraph.split())[:80])
    return problems
