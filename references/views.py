from django.views.generic import TemplateView

from .evidence import EXPLANATIONS


class HowToReadView(TemplateView):
    """What each kind of evidence means, in the words the reference lists use."""

    template_name = "references/how_to_read.html"

    def get_context_data(self, **kwargs):
        kinds = [
            (kind.value, kind.label, explanation) for kind, explanation in EXPLANATIONS.items()
        ]
        return super().get_context_data(kinds=kinds, **kwargs)
