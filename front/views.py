from django.shortcuts import render
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from articles.models import Article
from topics.models import TopicPage
from translations.showing import translate_listed

from . import search
from .editorial import editorial_facts


class HomeView(TemplateView):
    template_name = "front/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            articles=translate_listed(Article.objects.live()),
            topics=translate_listed(TopicPage.objects.live().filter(parent=None)),
            **kwargs,
        )


class EditorialPolicyView(TemplateView):
    """Who writes and reviews the pages, how sources are chosen, how to report a mistake: as
    the site's own data say."""

    template_name = "front/editorial_policy.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(facts=editorial_facts(), **kwargs)


@require_safe
def search_view(request):
    """Search published articles and topic pages; any query answers a page, never an error."""
    query = request.GET.get("q", "")
    results = search.search(query)
    searched = bool(search.words_of(query))
    return render(
        request,
        "front/search.html",
        {
            "query": search.shown_query(query),
            "searched": searched,
            "results": results,
            "hits": results.hits,
            "offered_topics": (
                translate_listed(search.offered_topics()) if searched and not results.hits else []
            ),
        },
    )
