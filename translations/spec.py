"""What of each kind of content is translated, and its source's words: the words a
translator translates, and that a page compares with the words the translation recorded,
to know whether its source changed since.

Content is named by its model's label ("articles.article"): this layer knows no content
app, only which of their fields and rows are words a person reads. Rows are named by their
relation on the source ("sections") and keyed by id as a string (JSON's keys are strings).
"""

FIELDS = {
    "articles.article": ["title", "summary", "standfirst", "attribution"],
    "topics.topicpage": ["title", "navigation_label", "summary", "intro"],
    "glossary.glossaryentry": ["term", "also_matches", "definition"],
    "clinic.clinicsettings": [
        "home_title",
        "home_intro",
        "crisis_strip_label",
        "crisis_message",
        "disclaimer",
    ],
}
# Fields and row fields written in Markdown: their HTML is made when the translation goes
# live.
MARKDOWN = {"attribution", "intro", "body"}
# Long texts: edited in a text area.
LONG = MARKDOWN | {
    "summary",
    "standfirst",
    "definition",
    "home_intro",
    "crisis_message",
    "disclaimer",
    "text",
}
# The rows each kind has, by the name of their relation on the source, and their words.
ROWS = {
    "articles.article": ["sections", "key_points"],
    "topics.topicpage": ["key_points", "facts"],
}
ROW_FIELDS = {"sections": ["heading", "body"], "key_points": ["text"], "facts": ["text"]}
ORDER = "order"


def label_of(model_or_source):
    return model_or_source._meta.label_lower


def translatable(model_or_source):
    return label_of(model_or_source) in FIELDS


def rows_of(source, relation):
    """The source's rows in the order a page shows them (prefetched rows are used)."""
    rows = getattr(source, relation).all()
    return sorted(rows, key=lambda row: (getattr(row, "position", 0), row.pk))


def source_words(source):
    """The words of `source` (its fields and rows, as stored: what patients read now) that a
    translation translates. Rows come from the source's relations, prefetched by the pages
    that show them."""
    label = label_of(source)
    words = {"fields": {name: getattr(source, name) or "" for name in FIELDS[label]}}
    # The order a page shows them in (JSON objects in PostgreSQL keep no order).
    order = {"fields": list(FIELDS[label])}
    for relation in ROWS.get(label, []):
        rows = rows_of(source, relation)
        words[relation] = {
            str(row.pk): {name: getattr(row, name) or "" for name in ROW_FIELDS[relation]}
            for row in rows
        }
        order[relation] = [str(row.pk) for row in rows]
    return {**words, ORDER: order}


def places(words):
    """Each translatable place of `words` with its text, ((relation, id, name), text), in the
    order a page shows them when `words` records it (source_words does)."""
    order = words.get(ORDER) or {}
    fields = words.get("fields") or {}
    for name in _in_order(fields, order.get("fields")):
        yield ("fields", "", name), fields[name]
    for relation, rows in words.items():
        if relation in ("fields", ORDER):
            continue
        for pk in _in_order(rows, order.get(relation)):
            for name, text in rows[pk].items():
                yield (relation, pk, name), text


def _in_order(keys, order):
    order = order or []
    return [key for key in order if key in keys] + sorted(k for k in keys if k not in order)


def changed_places(before, now):
    """The places whose words differ between two source_words (added and removed too)."""
    old, new = dict(places(before)), dict(places(now))
    return sorted(place for place in old.keys() | new.keys() if old.get(place) != new.get(place))
