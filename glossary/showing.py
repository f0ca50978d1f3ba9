"""The glossary as a page in the current language shows it: every live term in English; in
another language, the live terms with a live translation, in that language (a term whose
translation a reviewer has not approved is not used there)."""

from translations.showing import live_translations, translate, translating

from .models import GlossaryEntry


def live_entries():
    entries = list(GlossaryEntry.objects.live())
    if not translating():
        return entries
    translations = live_translations(GlossaryEntry, [entry.pk for entry in entries])
    return [
        translate(entry, translations[entry.pk]) for entry in entries if entry.pk in translations
    ]
