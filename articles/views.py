from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation as i18n
from django.utils.module_loading import import_string
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView
from markdownx.views import MarkdownifyView

from glossary.marking import Marker
from glossary.showing import live_entries
from references import exporting
from references.models import Reference
from translations.showing import (
    TranslationState,
    default_language,
    is_out_of_date,
    languages_translated_into,
    live_translation,
    page_language,
    translate,
    translate_listed,
    translating,
)

from .composition import compose_page
from .models import Article, Section
from .preview import earlier_sections, render_preview


def export_base(url_name, page):
    """The download address of a page's references, without its format extension."""
    return reverse(url_name, kwargs={"slug": page.slug, "export_format": "bib"}).removesuffix(
        ".bib"
    )


class ArticleListView(ListView):
    template_name = "articles/article_list.html"
    context_object_name = "article_list"

    def get_queryset(self):
        return translate_listed(Article.objects.live())


class TranslatedPageMixin:
    """A page under another language's address (/es/…): its live translation put over it
    (translations.showing), and what the page must say of it: that there is none yet (the
    page then shows only a notice linking to the English page, and is not indexed), or that
    the English page changed since it was translated."""

    untranslated_template_name = "translations/untranslated.html"
    translation_state = None

    def translate_page(self):
        """Put the page's live translation over it (before it is composed)."""
        if not translating():
            return None
        page = self.object
        with i18n.override(default_language()):
            english_url = page.get_absolute_url()
        state = TranslationState(page_language(), english_url, page.title)
        translation = live_translation(page)
        if translation is None:
            state.missing = True
        else:
            state.out_of_date = self.out_of_date(page, translation)
            translate(page, translation)
            self.translate_rows(page, translation, state)
        self.translation_state = state
        return state

    def out_of_date(self, page, translation):
        return is_out_of_date(page, translation)

    def translate_rows(self, page, translation, state):
        """Put translations over rows the page shows from other sources (a topic page's
        sections, from articles)."""

    def languages_with_a_version(self):
        """The languages this page can be read in: its own, and each with a live
        translation (one query). Its alternates and the sitemap name only these."""
        if self.translation_state is not None:
            if self.translation_state.missing:
                return [default_language()]
            return [default_language(), page_language()]
        return [default_language(), *languages_translated_into(self.object)]

    def get_template_names(self):
        if self.translation_state and self.translation_state.missing:
            return [self.untranslated_template_name]
        return super().get_template_names()


class ComposedPageMixin(TranslatedPageMixin):
    """A page made of sections: composed (unless given, as a preview does), with the
    address its reference list downloads from; under another language's address, in that
    language where a reviewer approved its translation."""

    references_url_name = None
    composition = {}

    def page_sections(self):
        raise NotImplementedError

    def page_key_points(self):
        return self.object.key_points.all()

    def get_context_data(self, **kwargs):
        if "page" not in kwargs:
            state = self.translate_page()
            kwargs["translated_into"] = self.languages_with_a_version()
            if state is not None:
                kwargs["translation_state"] = state
                if state.missing:
                    return super().get_context_data(**kwargs)
            sections = self.page_sections()
            kwargs["page"] = compose_page(
                sections,
                Reference.objects.cited_in(sections),
                key_points=self.page_key_points(),
                glossary=Marker(live_entries(), reverse("glossary:list")),
                **self.composition,
            )
        kwargs.setdefault(
            "references_export_url", export_base(self.references_url_name, self.object)
        )
        return super().get_context_data(**kwargs)


class ArticleDetailView(ComposedPageMixin, DetailView):
    references_url_name = "articles:references"

    def get_queryset(self):
        return Article.objects.live().for_page()

    def page_sections(self):
        return self.object.sections.all()

    def get_context_data(self, **kwargs):
        related = translate_listed(
            import_string(settings.ARTICLE_RELATED_PAGES_FUNCTION)(self.object)
        )
        return super().get_context_data(related_pages=related, **kwargs)


class StaffPreviewMixin:
    """Drafts and unsaved edits, shown to staff exactly as patients would see them."""

    permission_required = "articles.view_article"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not (request.user.is_staff and request.user.has_perm(self.permission_required)):
            raise PermissionDenied
        response = super().dispatch(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=True, **kwargs)


class ArticlePreviewView(StaffPreviewMixin, ArticleDetailView):
    def get_queryset(self):
        return Article.objects.for_page()


def references_download(sections, export_format, name):
    references = list(Reference.objects.cited_in(sections).order_by("key"))
    return exporting.download(references, export_format, f"{name}-references")


@require_safe
def article_references(request, slug, export_format):
    article = get_object_or_404(Article.objects.live().for_page(), slug=slug)
    return references_download(article.sections.all(), export_format, article.slug)


@require_safe
def all_references(request, export_format):
    """Every reference a published article cites (drafts' sources stay unannounced)."""
    references = (
        Reference.objects.filter(citing_sections__article__status=Article.Status.PUBLISHED)
        .distinct()
        .prefetch_related("authors")
        .order_by("key")
    )
    return exporting.download(references, export_format, "atma-cena-references")


class LivePreviewView(MarkdownifyView):
    """The Markdown editor's live preview. Given ?section=<id> (the section's editor asks so),
    citations are numbered as on that section's article page."""

    def post(self, request, *args, **kwargs):
        section_id = request.GET.get("section", "")
        section = Section.objects.filter(pk=section_id).first() if section_id.isdigit() else None
        earlier = earlier_sections(section) if section else ()
        content = request.POST.get("content", "")
        return HttpResponse(render_preview(content, earlier_sections=earlier))
