"""Markdown to safe HTML: the one renderer for public pages and the admin preview.

django-markdownx's own `markdownify` passes raw HTML through, so everything
staff write is converted and then cleaned against an allow-list with nh3:
no scripts, event handlers, frames or styles, and links only to http(s) and
mailto. Links get `rel="noopener noreferrer"` so a reader's visit to a
mental-health page is not passed on to the sites it links to.
"""

import html
import re
from html.parser import HTMLParser

import markdown
import nh3
from django.conf import settings
from markdown.treeprocessors import Treeprocessor

from references.citations import (
    MARKER_ATTRIBUTE,
    MARKER_TAG,
    CitationExtension,
    without_markers,
)

from .images import COLUMN_SIZES, is_own_image, srcset, stored_name, stored_sizes
from .voice import ATTRIBUTE as VOICE_ATTRIBUTE
from .voice import PublisherVoiceExtension

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "li",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height", "srcset", "sizes", "loading", "decoding"},
    "ins": {"title"},
    "td": {"align"},
    "th": {"align", "scope"},
    MARKER_TAG: {MARKER_ATTRIBUTE},
    "span": {VOICE_ATTRIBUTE},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

_EXTENSIONS = ["tables", "sane_lists", "fenced_code"]


class _SizedImages(Treeprocessor):
    """The site's own images as the featured image is shown: width and height (no jump as
    the page loads), the smaller copies in `srcset` (a phone does not fetch the 2,400 px
    original), and loaded only as the reader nears them."""

    def run(self, root):
        for image in root.iter("img"):
            name = stored_name(image.get("src", ""))
            sizes = stored_sizes(name) if name else []
            if not sizes:
                continue
            image.set("width", str(sizes[-1]["width"]))
            image.set("height", str(sizes[-1]["height"]))
            if len(sizes) > 1:
                image.set("srcset", srcset(sizes))
                image.set("sizes", COLUMN_SIZES)
            image.set("loading", "lazy")
            image.set("decoding", "async")


class SizedImagesExtension(markdown.Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_SizedImages(md), "sized_images", 5)  # after inline images


def render_markdown(text):
    """Convert Markdown `text` to HTML and sanitize it against the allow-list."""
    converter = markdown.Markdown(
        extensions=[
            *_EXTENSIONS,
            CitationExtension(),
            PublisherVoiceExtension(),
            SizedImagesExtension(),
        ]
    )
    return nh3.clean(
        converter.convert(text or ""),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_own_images_only,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def _own_images_only(tag, attribute, value):
    """An image from another site would tell that site who reads a mental-health page:
    only the site's own uploads keep their address, in `src` and in every `srcset` entry."""
    if tag != "img":
        return value
    if attribute == "src" and not is_own_image(value):
        return None
    if attribute == "srcset" and not all(
        is_own_image(candidate.split()[0]) for candidate in value.split(",") if candidate.strip()
    ):
        return None
    if attribute == "loading" and value not in ("lazy", "eager"):
        return None
    return value


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.found.append(dict(attrs))


def images_in(markdown_text):
    """The images `markdown_text` shows, as (address, alt text), before sanitizing."""
    parser = _Images()
    parser.feed(markdown.markdown(markdown_text or "", extensions=_EXTENSIONS))
    return [(image.get("src") or "", (image.get("alt") or "").strip()) for image in parser.found]


def stored_images_in(markdown_text):
    """The storage names of the site's own uploads that `markdown_text` shows."""
    return {name for src, _ in images_in(markdown_text) if (name := stored_name(src))}


def image_problem(markdown_text):
    """What is wrong with the first image in `markdown_text` that cannot be shown, in an
    editor's words, or None: one from another site, one without alt text, one not stored."""
    own_site = settings.SITE_URL.rstrip("/")
    for number, (src, alt) in enumerate(images_in(markdown_text), 1):
        which = f"Image {number} in the text"
        if src.startswith("data:"):
            return (
                f"{which} is written out as text (a data: address), which cannot be shown. "
                "Take it out and add the picture with “Insert image” above the text."
            )
        if own_site and src.startswith(own_site + settings.MEDIA_URL):
            return (
                f"{which} is this site's own, but written with the site's address. Write it as "
                f"{src[len(own_site) :]}, without “{own_site}”."
            )
        shown = src if len(src) <= 80 else src[:77] + "…"
        if not is_own_image(src):
            return (
                f"{which} ({shown}) is on another site. Upload it here instead (“Insert image” "
                "above the text): a picture from another site would tell that site who reads "
                "this page."
            )
        if not alt:
            return (
                f"{which} ({shown}) has no description. Write what it shows between the square "
                "brackets, as in ![A calm treatment room](…), for people who cannot see it."
            )
        stored = stored_name(src)
        if not stored or not stored_sizes(stored):
            return (
                f"{which} ({shown}) is not on this site: images are removed when no page "
                "shows them any more. Upload it again with “Insert image”, or take it out."
            )
    return None


# Raw HTML whose content the sanitizer drops along with the element: unclosed, such an
# element swallows everything after it, and the rest of the section silently vanishes.
_SWALLOWING_TAG = re.compile(
    r"<\s*(iframe|math|svg|style|script|textarea|title|xmp|noscript|noembed|noframes"
    r"|plaintext|template|select|object)\b",
    re.IGNORECASE,
)
_CODE = re.compile(r"`[^`]*`")


def swallowing_html(text):
    """(line number, tag) for each raw tag in Markdown `text` that would hide what follows."""
    found, in_fence = [], False
    for number, line in enumerate((text or "").splitlines(), 1):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence or line.startswith(("    ", "\t")):
            continue  # code: shown as text
        for match in _SWALLOWING_TAG.finditer(_CODE.sub("", line)):
            found.append((number, match.group(1).lower()))
    return found


def plain_text(rendered_html):
    """The words of rendered HTML, without tags or citation markers: what search indexes."""
    text = nh3.clean(without_markers(rendered_html), tags=set())
    return " ".join(html.unescape(text).split())
