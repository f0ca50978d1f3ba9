"""Translations as reviewed content: what a revision of a translation holds, and how it is
taken from and put into its row (translations.models.Translation).

A translation's revision holds its translated words, shaped as its source's words
(translations.spec.source_words), and which revision of the source it translates with the
source's words then:

    {"fields": {...}, "sections": {id: {...}}, "key_points": {...}, "facts": {...},
     "source": {"revision": id or None, "words": {...}}}

It goes through the same workflow as any page: saved as revisions, submitted, compared word
by word, approved by a clinical reviewer (with its own review dates), scheduled. Going live,
its Markdown is rendered once, so no page renders it.
"""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.history import word_diff
from articles.models import Article
from articles.rendering import plain_text, render_markdown, stored_images_in
from references.citations import cited_keys
from topics.models import TopicPage
from translations.models import Translation
from translations.spec import MARKDOWN, places, source_words

from .merging import Merge
from .models import Revision
from .pages import LABELS, PageKind

WORDS = ("fields", "sections", "key_points", "facts")
ROW_NAMES = {
    "sections": gettext_lazy("Section"),
    "key_points": gettext_lazy("Key point"),
    "facts": gettext_lazy("Comparison entry"),
}


def words_of(content):
    """The translated words of a revision's content, without what it records of its source."""
    return {relation: content[relation] for relation in WORDS if content.get(relation)}


def place_label(place, source_words):
    """A place in an editor's words: the field, or the row named by its English words."""
    relation, pk, name = place
    field = LABELS.get(name, name.replace("_", " "))
    if relation == "fields":
        return field.capitalize()
    row = (source_words.get(relation) or {}).get(pk) or {}
    named = row.get("heading") or row.get("text") or ""
    if relation == "sections" and not named:
        named = _("Introduction")
    named = named if len(named) <= 60 else named[:59] + "…"
    return f"{ROW_NAMES.get(relation, relation)} “{named}”: {field}"


class TranslationKind(PageKind):
    model = Translation
    discern = False  # the checklist is for the page itself; its translation says the same

    def title(self, content):
        fields = content.get("fields") or {}
        name = fields.get("title") or fields.get("term") or fields.get("home_title") or "—"
        return _("Spanish: %(title)s") % {"title": name}

    def empty(self):
        return {"fields": {}}

    def snapshot(self, translation):
        return {
            **{relation: dict(translation.content.get(relation) or {}) for relation in WORDS},
            "source": {
                "revision": translation.source_revision_id,
                "words": translation.source_words,
            },
        }

    def overlay(self, translation, content, *, for_preview=False):
        translation.content = words_of(content)
        source = content.get("source") or {}
        translation.source_revision_id = source.get("revision")
        translation.source_words = source.get("words") or {}
        return translation

    def normalized(self, translation, content):
        return content

    def images(self, content):
        names = set()
        for (_relation, _pk, name), text in places(words_of(content)):
            if name in MARKDOWN:
                names |= stored_images_in(text)
        return names

    def apply(self, translation, content):
        """Its words into its row, with the HTML patients read made once from them."""
        self.overlay(translation, content)
        translation.rendered = rendered(translation.content)
        translation.save()

    def describe(self, old, new):
        changes = []
        before = dict(places(words_of(old)))
        after = dict(places(words_of(new)))
        if before != after:
            changed = sum(1 for p in before.keys() | after.keys() if before.get(p) != after.get(p))
            changes.append(
                _("translated or changed %(count)s text(s)") % {"count": changed}
                if before
                else _("translated %(count)s text(s)") % {"count": len(after)}
            )
        if (old.get("source") or {}).get("words") != (new.get("source") or {}).get("words"):
            changes.append(_("brought up to date with the English page"))
        return changes

    def differences(self, old, new):
        source_words = (new.get("source") or {}).get("words") or {}
        before, after = dict(places(words_of(old))), dict(places(words_of(new)))
        shown = []
        for place in _ordered(before.keys() | after.keys(), source_words):
            if before.get(place, "") != after.get(place, ""):
                shown.append(
                    (
                        place_label(place, source_words),
                        word_diff(before.get(place, ""), after.get(place, "")),
                    )
                )
        return shown

    def merge(self, base, theirs, mine, choices=None):
        merge = Merge(choices)
        source_words = (mine.get("source") or {}).get("words") or {}
        flat = [dict(places(words_of(content))) for content in (base, theirs, mine)]
        keys = lambda words: {_key(place): text for place, text in words.items()}  # noqa: E731
        labels = {_key(p): place_label(p, source_words) for f in flat for p in f}
        merged = merge.fields(
            "words.", *(keys(words) for words in flat), lambda key: labels.get(key, key)
        )
        content = {relation: {} for relation in WORDS}
        for key, text in merged.items():
            if text is None:
                continue
            relation, pk, name = key.split("|")
            if relation == "fields":
                content["fields"][name] = text
            else:
                content[relation].setdefault(pk, {})[name] = text
        # Which source it translates: the newer of the two saves'.
        newer = max(
            (theirs.get("source") or {}, mine.get("source") or {}),
            key=lambda source: source.get("revision") or 0,
        )
        return {**content, "source": newer}, merge.conflicts

    def texts(self, translation, content, rows=None):
        source_words = (content.get("source") or {}).get("words") or {}
        return [
            (
                place_label(place, source_words),
                plain_text(render_markdown(text)) if place[2] in MARKDOWN else text,
            )
            for place, text in places(words_of(content))
            if text.strip()
        ]

    def citations(self, translation, content, rows=None):
        source_words = (content.get("source") or {}).get("words") or {}
        return [
            (place_label(place, source_words), key)
            for place, text in places(words_of(content))
            if place[2] in MARKDOWN
            for key in cited_keys(render_markdown(text))
        ]


def load_source(content_type_id, object_id):
    """The source with the rows its words come from, or None if it is gone."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    queryset = model.objects.all()
    if model is Article:
        queryset = queryset.prefetch_related("sections", "key_points")
    elif model is TopicPage:
        queryset = queryset.prefetch_related("key_points", "facts")
    return queryset.filter(pk=object_id).first()


def source_state(source):
    """Which revision of `source` a translation made now translates, and its words now: what
    patients read in English (a live page's rows hold its published content)."""
    revisions = Revision.objects.of(source)
    revision = revisions.filter(status=Revision.Status.PUBLISHED).first() or revisions.first()
    return {"revision": revision.pk if revision else None, "words": source_words(source)}


def translated_beside(content):
    """For a reviewer: each text of the source as the revision translates it, (label,
    English, translation), in the order the page shows them; "" where untranslated."""
    source_words = (content.get("source") or {}).get("words") or {}
    translated = dict(places(words_of(content)))
    return [
        (place_label(place, source_words), english, translated.get(place, ""))
        for place, english in places(source_words)
        if english.strip()
    ]


def rendered(words):
    """The HTML of the Markdown among `words`, and its plain text (what search reads)."""
    fields = {
        name: render_markdown(text)
        for name, text in (words.get("fields") or {}).items()
        if name in MARKDOWN
    }
    sections = {
        pk: render_markdown(row.get("body", ""))
        for pk, row in (words.get("sections") or {}).items()
    }
    return {
        "fields": fields,
        "text": {name: plain_text(html) for name, html in fields.items()},
        "sections": sections,
        "section_text": {pk: plain_text(html) for pk, html in sections.items()},
    }


def _key(place):
    return "|".join(place)


def _ordered(found, source_words):
    """Places in the order the page shows them: fields first, then rows as the source has
    them (those the source no longer has last)."""
    order = {place: number for number, (place, _text) in enumerate(places(source_words))}
    return sorted(found, key=lambda place: (order.get(place, len(order)), place))
