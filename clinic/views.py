from django.views.generic import TemplateView

from articles.models import Article, TopicPage


class HomeView(TemplateView):
    template_name = "clinic/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            articles=Article.objects.live(),
            topics=TopicPage.objects.live().filter(parent=None),
            **kwargs,
        )
