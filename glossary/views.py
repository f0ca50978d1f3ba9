from django.db.models.functions import Lower
from django.views.generic import ListView

from .models import GlossaryEntry


class GlossaryView(ListView):
    """Every published term with its definition, each at its own #address."""

    template_name = "glossary/glossary.html"

    def get_queryset(self):
        return GlossaryEntry.objects.live().order_by(Lower("term"))
