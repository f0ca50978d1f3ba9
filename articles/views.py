from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from references import exporting
from references.models import Reference

from . import search
from .composition import comparison_rows, compose_page
from .models import Article, Section, TopicPage


def _export_base(url_name, page):
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

    def get_context_data(self, **kwargs):
        if "page" not in kwargs:
            sections = self.page_sections()
            kwargs["page"] = compose_page(
                sections, Reference.objects.cited_in(sections), **self.composition
            )
        kwargs.setdefault(
            "references_export_url", _export_base(self.references_url_name, self.object)
        )
        return super().get_context_data(**kwargs)


class ArticleDetailView(ComposedPageMixin, DetailView):
    references_url_name = "articles:references"

    def get_queryset(self):
        return Article.objects.live().for_page()

    def page_sections(self):
        return self.object.sections.all()


class TopicPageView(ComposedPageMixin, DetailView):
    """A topic page: its intro, then its sections with one merged reference list.

    It speaks as the clinic: a source's publisher's own voice is left out.
    """

    template_name = "articles/topicpage_detail.html"
    references_url_name = "topics:references"
    composition = {"flatten_levels": True, "publisher_voice": False}

    def get_queryset(self):
        return TopicPage.objects.live().for_page()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        # One address per page: /topics/safety/ and the like lead to the page's own.
        if request.path != self.object.get_absolute_url():
            return redirect(self.object, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))

    def page_sections(self):
        return self.object.live_sections()


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
        # A treatment is public only while the Treatments page above it is.
        return super().get_queryset().treatments().filter(parent__status=TopicPage.Status.PUBLISHED)


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


class SectionPreviewView(StaffPreviewMixin, ArticleDetailView):
    """The article page with one section's unsaved edits (posted from its admin form)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        edited = get_object_or_404(Section.objects.select_related("article"), pk=kwargs["pk"])
        edited.heading = request.POST.get("heading", edited.heading)
        edited.level = (
            Section.Level.SUBSECTION if request.POST.get("level") == "3" else Section.Level.SECTION
        )
        edited.body = request.POST.get("body", edited.body)
        edited.derive()
        self.object = Article.objects.for_page().get(pk=edited.article_id)
        sections = [edited if s.pk == edited.pk else s for s in self.object.sections.all()]
        page = compose_page(sections, Reference.objects.cited_in(sections))
        context = self.get_context_data(object=self.object, page=page, edited_section=edited)
        return self.render_to_response(context)


class TopicPreviewView(StaffPreviewMixin, TopicPageView):
    permission_required = "articles.view_topicpage"

    def get_queryset(self):
        return TopicPage.objects.for_page()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_template_names(self):
        if self.object.is_treatments_page:
            return [TreatmentsView.template_name]
        if self.object.is_treatment:
            return [TreatmentView.template_name]
        return [TopicPageView.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.object.is_treatments_page:
            treatments = list(TopicPage.objects.treatments().for_comparison())
            context.update(treatments=treatments, comparison=comparison_rows(treatments))
        return context


@require_safe
def search_view(request):
    """Search published articles and topic pages; any query answers a page, never an error."""
    query = request.GET.get("q", "")
    return render(
        request,
        "articles/search.html",
        {
            "query": search.shown_query(query),
            "searched": bool(search.words_of(query)),
            "hits": search.search(query),
        },
    )


def _references_download(sections, export_format, name):
    references = list(Reference.objects.cited_in(sections).order_by("key"))
    return exporting.download(references, export_format, f"{name}-references")


@require_safe
def article_references(request, slug, export_format):
    article = get_object_or_404(Article.objects.live().for_page(), slug=slug)
    return _references_download(article.sections.all(), export_format, article.slug)


@require_safe
def topic_references(request, slug, export_format):
    page = get_object_or_404(TopicPage.objects.live().for_page(), slug=slug)
    return _references_download(page.live_sections(), export_format, page.slug)
