from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.module_loading import import_string
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView
from markdownx.views import MarkdownifyView

from glossary.marking import Marker
from glossary.models import GlossaryEntry
from references import exporting
from references.models import Reference

from .composition import compose_page
from .models import Article, Section
from .preview import earlier_sections, render_preview


def export_base(url_name, page):
    """The download address of a page's references, without its format extension."""
    return reverse(url_name, kwargs={"slug": page.slug, "export_format": "bib"}).removesuffix(
        ".bib"
    )


class ArticleListView(ListView):
    def get_queryset(self):
        return Article.objects.live()


class ComposedPageMixin:
    """A page made of sections: composed (unless given, as a preview does), with the
    address its reference list downloads from."""

    references_url_name = None
    composition = {}

    def page_sections(self):
        raise NotImplementedError

    def page_key_points(self):
        return self.object.key_points.all()

    def get_context_data(self, **kwargs):
        if "page" not in kwargs:
            sections = self.page_sections()
            kwargs["page"] = compose_page(
                sections,
                Reference.objects.cited_in(sections),
                key_points=self.page_key_points(),
                glossary=Marker(GlossaryEntry.objects.live(), reverse("glossary:list")),
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
        related = import_string(settings.ARTICLE_RELATED_PAGES_FUNCTION)(self.object)
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
