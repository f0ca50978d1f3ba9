from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_safe
from django.views.generic import DetailView

from articles.models import Article
from articles.views import ComposedPageMixin, StaffPreviewMixin, references_download
from translations.showing import (
    default_language,
    live_translations,
    row_out_of_date,
    translate,
    translate_row,
    translating,
)

from .comparison import comparison_rows
from .models import TopicPage


def _treatments_context(pages):
    """The treatment types among `pages`, and their comparison table; under another
    language's address, each with its live translation put over it."""
    treatments = list(pages.treatments().for_comparison())
    if translating():
        translations = live_translations(TopicPage, [page.pk for page in treatments])
        for page in treatments:
            if page.pk in translations:
                translate(page, translations[page.pk])
            else:
                page.shown_language = "en"
                for fact in page.facts.all():
                    fact.shown_language = "en"
    return {"treatments": treatments, "comparison": comparison_rows(treatments)}


class TopicPageView(ComposedPageMixin, DetailView):
    """A topic page: its intro, then its sections with one merged reference list.

    It speaks as the clinic: a source's publisher's own voice is left out.
    """

    template_name = "topics/topicpage_detail.html"
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

    def translate_rows(self, page, translation, state):
        """The sections come from articles: each in its article's live translation, or
        marked as shown in English; one the English changed since is out of date. Each
        article is named by its translation's title, or marked as named in English."""
        sections = page.live_sections()
        translations = live_translations(Article, {s.article_id for s in sections})
        titled = {}
        for section in sections:
            article_translation = translations.get(section.article_id)
            if article_translation and row_out_of_date(section, "sections", article_translation):
                state.out_of_date = True  # compared before its words are replaced
            translate_row(section, "sections", article_translation)
            if section.shown_language:
                state.untranslated_parts.append(section)
            if article_translation and article_translation.field("title"):
                titled[section.article_id] = article_translation.field("title")
        # Each section has its own copy of its article: each is given the same title.
        for section in sections:
            if section.article_id in titled:
                section.article.title = titled[section.article_id]
                section.article.shown_language = ""
            else:
                section.article.shown_language = default_language()


class TreatmentsView(TopicPageView):
    """The treatments page: its sections, the treatment types and their comparison."""

    template_name = "topics/treatments.html"

    def get_object(self, queryset=None):
        self.kwargs["slug"] = TopicPage.TREATMENTS_SLUG
        return super().get_object(queryset)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**_treatments_context(TopicPage.objects.live()), **kwargs)


class TreatmentView(TopicPageView):
    template_name = "topics/treatment_detail.html"

    def get_queryset(self):
        # A treatment is public only while the Treatments page above it is.
        return super().get_queryset().treatments().filter(parent__status=TopicPage.Status.PUBLISHED)


class TopicPreviewView(StaffPreviewMixin, TopicPageView):
    permission_required = "topics.view_topicpage"

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
            context.update(_treatments_context(TopicPage.objects.all()))
        return context


@require_safe
def topic_references(request, slug, export_format):
    page = get_object_or_404(TopicPage.objects.live().for_page(), slug=slug)
    return references_download(page.live_sections(), export_format, page.slug)
