from .models import ClinicSettings


def clinic(request):
    """The clinic's settings for every page: crisis message, contact details, disclaimer."""
    return {"clinic": ClinicSettings.load()}
