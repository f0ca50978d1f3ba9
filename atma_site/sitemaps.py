"""sitemap.xml: every public page, with lastmod from its content; never a draft.

Each page is listed in every language it can be read in, with its other languages as
hreflang alternates: interface-only pages in all of them, an article or a topic page in
English and in each language a clinician approved a translation into.
"""

import urllib.parse

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import Article
from topics.models import TopicPage
from translations.models import Translation


class CanonicalSitemap(Sitemap):
    """Addresses on SITE_URL, as the pages' canonical links, whatever host was asked."""

    i18n = True
    alternates = True
    x_default = True

    def get_protocol(self, protocol=None):
        return urllib.parse.urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urllib.parse.urlsplit(settings.SITE_URL).netloc

    def get_urls(self, *args, **kwargs):
        """Alternates only for a page that exists in more than one language."""
        urls = super().get_urls(*args, **kwargs)
        for url in urls:
            languages = [a for a in url.get("alternates", []) if a["lang_code"] != "x-default"]
            if len(languages) < 2:
                url["alternates"] = []
        return urls


class TranslatedSitemap(CanonicalSitemap):
    """Pages whose content is translated: each in English and in the languages it has a
    live translation in (one query for them all)."""

    model = None

    def get_languages_for_item(self, item):
        if not hasattr(self, "_translated"):
            self._translated = {}
            for object_id, language in (
                Translation.objects.live().of_model(self.model).values_list("object_id", "language")
            ):
                self._translated.setdefault(object_id, set()).add(language)
        languages = self._translated.get(item.pk, set())
        return [
            code
            for code in self._languages()
            if code == settings.LANGUAGE_CODE or code in languages
        ]


class ArticleSitemap(TranslatedSitemap):
    model = Article

    def items(self):
        return Article.objects.live().order_by("pk")

    def lastmod(self, article):
        return article.updated_on or article.published_on


class TopicPageSitemap(TranslatedSitemap):
    model = TopicPage

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
