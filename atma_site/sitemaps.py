"""sitemap.xml: every public page, with lastmod from its content; never a draft."""

import urllib.parse

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import Article
from topics.models import TopicPage


class CanonicalSitemap(Sitemap):
    """Addresses on SITE_URL, as the pages' canonical links, whatever host was asked."""

    def get_protocol(self, protocol=None):
        return urllib.parse.urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urllib.parse.urlsplit(settings.SITE_URL).netloc


class ArticleSitemap(CanonicalSitemap):
    def items(self):
        return Article.objects.live().order_by("pk")

    def lastmod(self, article):
        return article.updated_on or article.published_on


class TopicPageSitemap(CanonicalSitemap):
    def items(self):
        # A treatment page is public only while the Treatments page above it is.
        return (
            TopicPage.objects.live()
            .select_related("parent")
            .exclude(parent__isnull=False, parent__status=TopicPage.Status.DRAFT)
            .order_by("position", "pk")
        )

    def lastmod(self, page):
        # A topic page has no dates of its own but its medical review; pages never
        # reviewed give none rather than a made-up one.
        return page.last_reviewed_on


class FixedPageSitemap(CanonicalSitemap):
    def items(self):
        return [
            "home",
            "articles:list",
            "glossary:list",
            "enquiries:enquire",
            "privacy",
            "accessibility",
            "editorial_policy",
            "references:how_to_read",
        ]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"articles": ArticleSitemap, "topics": TopicPageSitemap, "pages": FixedPageSitemap}
