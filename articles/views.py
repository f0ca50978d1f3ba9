from django.shortcuts import redirect
from django.views.generic import DetailView, ListView

from references.models import Reference

from .composition import comparison_rows, compose_page
from .models import Article, TopicPage


class ArticleListView(ListView):
    def get_queryset(self):
        return Article.objects.live()


class ArticleDetailView(DetailView):
    def get_queryset(self):
        return Article.objects.live().for_page()

    def get_context_data(self, **kwargs):
        sections = self.object.sections.all()
        page = compose_page(sections, Reference.objects.cited_in(sections))
        return super().get_context_data(page=page, **kwargs)


class TopicPageView(DetailView):
    """A topic page: its intro, then its sections with one merged reference list."""

    template_name = "articles/topicpage_detail.html"

    def get_queryset(self):
        return TopicPage.objects.live().for_page()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        # One address per page: /topics/safety/ and the like lead to the page's own.
        if request.path != self.object.get_absolute_url():
            return redirect(self.object, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        sections = self.object.live_sections()
        page = compose_page(sections, Reference.objects.cited_in(sections), flatten_levels=True)
        return super().get_context_data(page=page, **kwargs)


class TreatmentsView(TopicPageView):
    """The treatments page: its sections, the treatment types and their comparison."""

    template_name = "articles/treatments.html"

    def get_object(self, queryset=None):
        self.kwargs["slug"] = TopicPage.TREATMENTS_SLUG
        return super().get_object(queryset)

    def get_context_data(self, **kwargs):
        treatments = list(TopicPage.objects.live().treatments().for_comparison())
        return super().get_context_data(
            treatments=treatments, comparison=comparison_rows(treatments), **kwargs
        )


class TreatmentView(TopicPageView):
    template_name = "articles/treatment_detail.html"

    def get_queryset(self):
        return super().get_queryset().treatments()
