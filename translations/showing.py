"""A page in the language of its address: its content with its live translation's words put
over it, and what the page must say about that.

Only a translation a clinical reviewer approved is live (`Translation.objects.live()`); a
page shows nothing of one that is not. The content apps' views call these on rows they have
loaded (with the relations a page shows prefetched): nothing here queries, except to find the
translations themselves, one query per kind of source on a page.

What is put over a row is only in memory, for this response: nothing is saved.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation as i18n

from .models import Translation
from .spec import FIELDS, MARKDOWN, ROW_FIELDS, ROWS, label_of, source_words


def page_language():
    """The language of the current request's page ("en", "es"): its address's."""
    return (i18n.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def default_language():
    return settings.LANGUAGE_CODE.split("-")[0]


def translating():
    """Whether the current page is in a language other than the one content is written in."""
    return page_language() != default_language()


@dataclass
class TranslationState:
    """What a page in another language says of its translation: none yet (`missing`, the
    page then links to the English one and is not indexed), or one out of date."""

    language: str
    english_url: str = ""
    english_title: str = ""
    missing: bool = False
    out_of_date: bool = False
    untranslated_parts: list = field(default_factory=list)


def live_translation(source, language=None):
    language = language or page_language()
    return Translation.objects.live().of(source, language).first()


def languages_translated_into(source):
    """The languages `source` has a live translation in: one query."""
    return list(
        Translation.objects.live()
        .of_model(type(source))
        .filter(object_id=source.pk)
        .values_list("language", flat=True)
    )


def live_translations(model, ids, language=None):
    """{source id: live translation} for several sources of one kind: one query."""
    return Translation.objects.live_for(model, ids, language or page_language())


def translate(source, translation):
    """Put `translation`'s words over `source`'s fields (a Markdown field's HTML over its
    `<name>_html`), and over its rows' where it has them; a row it lacks is marked as
    shown in English (`shown_language`). Returns `source`."""
    label = label_of(source)
    for name in FIELDS[label]:
        text = translation.field(name)
        if not text:
            continue
        if name in MARKDOWN:
            setattr(source, f"{name}_html", translation.html(name))
        setattr(source, name, text)
    for relation in ROWS.get(label, []):
        for row in getattr(source, relation).all():
            translate_row(row, relation, translation)
    return source


def translate_row(row, relation, translation):
    """Put a translation's words for one row over it; without them, mark it as English."""
    words = translation.row(relation, row.pk) if translation else {}
    if not words:
        row.shown_language = default_language()
        return row
    for name in ROW_FIELDS[relation]:
        text = words.get(name)
        if not text:
            continue
        if name == "body":
            row.body_html = translation.section_html(row.pk)
        setattr(row, name, text)
    row.shown_language = ""
    return row


def is_out_of_date(source, translation):
    """Whether `source` (its rows loaded) changed since `translation` was made of it."""
    return bool(translation.changes_since(source_words(source)))


def row_out_of_date(row, relation, translation):
    """Whether one row of a source changed since `translation` translated it."""
    then = (translation.source_words.get(relation) or {}).get(str(row.pk))
    if then is None:
        return True
    return any((getattr(row, name) or "") != then.get(name, "") for name in ROW_FIELDS[relation])


def translate_listed(sources):
    """Put the live translations of listed pages (their own fields only: a list shows no
    rows) over them, one query per kind; one without is marked as shown in English.
    Returns the sources, as a list."""
    sources = list(sources)
    if not translating() or not sources:
        return sources
    by_model = {}
    for source in sources:
        by_model.setdefault(type(source), []).append(source)
    for model, listed in by_model.items():
        translations = live_translations(model, [source.pk for source in listed])
        for source in listed:
            translation = translations.get(source.pk)
            if translation is None:
                source.shown_language = default_language()
                continue
            for name in FIELDS[label_of(source)]:
                text = translation.field(name)
                if text:
                    setattr(source, name, text)
                    if name in MARKDOWN:
                        setattr(source, f"{name}_html", translation.html(name))
            source.shown_language = ""
    return sources
