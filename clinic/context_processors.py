from . import lifeline
from .models import ClinicSettings


def clinic(request):
    """The clinic's settings for every page: crisis message, contact details, disclaimer.

    The crisis strip's values are also remembered for pages rendered without the database.
    """
    settings = ClinicSettings.load()
    lifeline.remember(settings)
    return {"clinic": settings}
