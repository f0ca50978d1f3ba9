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
_MARKED = re.compile(rf'\s*<span {ATTRIBUTE}="{VALUE}">.*?</span>', re.DOTALL)
_EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>\s*")


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
    """`html` with the publisher's own voice left out, and any paragraph it emptied."""
    return _EMPTY_PARAGRAPH.sub("", _MARKED.sub("", html or ""))
