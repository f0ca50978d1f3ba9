import unicodedata

from django.views.generic import ListView

from translations.showing import translating

from .models import GlossaryEntry
from .showing import live_entries


class GlossaryView(ListView):
    """Every published term with its definition, each at its own #address; in another
    language, those a reviewer approved the translation of, in alphabetical order there."""

    template_name = "glossary/glossary.html"

    def get_queryset(self):
        return sorted(live_entries(), key=lambda entry: _alphabetical(entry.term))

    def get_context_data(self, **kwargs):
        untranslated = 0
        if translating():
            untranslated = GlossaryEntry.objects.live().count() - len(self.object_list)
        return super().get_context_data(untranslated=untranslated, **kwargs)


def _alphabetical(term):
    """A sort key that files "ánimo" under a, as a dictionary does."""
    return unicodedata.normalize("NFKD", term).encode("ascii", "ignore").decode().casefold()
