from django.views.decorators.http import require_safe

from . import exporting
from .models import Reference


@require_safe
def all_references(request, export_format):
    """Every reference a published page cites (drafts' sources stay unannounced)."""
    references = Reference.objects.cited_on_live_pages().prefetch_related("authors").order_by("key")
    return exporting.download(references, export_format, "atma-cena-references")
