"""sitemap.xml: every public page, with lastmod from its content; never a draft."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import Article, TopicPage


class ArticleSitemap(Sitemap):
    def items(self):
        return Article.objects.live().order_by("pk")

    def lastmod(self, article):
        return article.updated_on or article.published_on


class TopicPageSitemap(Sitemap):
    def items(self):
        # A treatment page is public only while the Treatments page above it is.
        return (
            TopicPage.objects.live()
            .select_related("parent")
            .exclude(parent__isnull=False, parent__status=TopicPage.Status.DRAFT)
            .order_by("position", "pk")
        )

    def lastmod(self, page):
        return page.last_reviewed_on


class FixedPageSitemap(Sitemap):
    def items(self):
        return ["home", "articles:list", "enquiries:enquire", "privacy", "accessibility"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"articles": ArticleSitemap, "topics": TopicPageSitemap, "pages": FixedPageSitemap}
