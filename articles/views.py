from django.views.generic import DetailView, ListView

from references.citations import number_citations
from references.models import Reference

from .contents import table_of_contents
from .models import Article


class ArticleListView(ListView):
    def get_queryset(self):
        return Article.objects.live()


class ArticleDetailView(DetailView):
    def get_queryset(self):
        return Article.objects.live().for_page()

    def get_context_data(self, **kwargs):
        sections = self.object.sections.all()
        return super().get_context_data(
            citations=number_citations(sections, Reference.objects.cited_in(sections)),
            contents=table_of_contents(sections),
            **kwargs,
        )
