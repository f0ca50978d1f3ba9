import copy

from translations.showing import live_translation, translate, translating

from . import lifeline
from .models import ClinicSettings


def clinic(request):
    """The clinic's settings for every page: crisis message, contact details, disclaimer; on
    a page in another language, with the clinic's texts as their live translation has them.

    The crisis strip's values are also remembered for pages rendered without the database.
    """
    settings = ClinicSettings.load()
    if not translating():
        lifeline.remember(settings)
        return {"clinic": settings}
    translation = live_translation(settings)
    lifeline.remember(settings, [translation] if translation else [])
    shown = copy.copy(settings)
    if translation:
        translate(shown, translation)
    return {"clinic": shown}
