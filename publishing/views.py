"""Staff previews of a revision: the page exactly as patients would see it once published."""

from django.shortcuts import get_object_or_404

from articles.models import Article, Section
from articles.views import ArticlePreviewView
from topics.models import TopicPage
from topics.views import TopicPreviewView

from .pages import ARTICLE_POINTS, TOPIC_POINTS, kind_of


class ArticleContentPreview(ArticlePreviewView):
    """An article as given `content` (a revision's, or a form's unsaved edits) would show it."""

    content = None
    edited_section_id = None
    warnings = ()
    http_method_names = ["get", "post"]

    def get_context_data(self, **kwargs):
        edited = next((s for s in self.sections if s.pk and s.pk == self.edited_section_id), None)
        return super().get_context_data(
            edited_section=edited, preview_warnings=self.warnings, **kwargs
        )

    def post(self, request, *args, **kwargs):
        return self.get(request, *args, **kwargs)

    def get_object(self, queryset=None):
        article = get_object_or_404(Article, pk=self.kwargs["pk"])
        article, self.sections = kind_of(article).overlay(
            article, self.get_content(), for_preview=True
        )
        return article

    def get_content(self):
        return self.content

    def page_sections(self):
        return self.sections

    def page_key_points(self):
        return ARTICLE_POINTS.objects(self.object, self.get_content())


class ArticleRevisionPreview(ArticleContentPreview):
    """A revision of an article as patients would see it; `revision` is given, read once."""

    revision = None

    def get_content(self):
        return self.revision.content


class TopicRevisionPreview(TopicPreviewView):
    revision = None

    def get_object(self, queryset=None):
        revision = self.revision
        page = get_object_or_404(TopicPage, pk=revision.object_id)
        self.section_ids = revision.content["sections"]
        self.revision_content = revision.content
        return kind_of(page).overlay(page, revision.content, for_preview=True)

    def page_key_points(self):
        return TOPIC_POINTS.objects(self.object, self.revision_content)

    def page_sections(self):
        found = Section.objects.select_related("article").in_bulk(self.section_ids)
        return [
            found[pk]
            for pk in self.section_ids
            if pk in found and found[pk].article.status == Article.Status.PUBLISHED
        ]


def revision_preview(request, revision):
    """The preview of `revision` (already read, with its content type)."""
    if revision.content_type.model == "article":
        return ArticleRevisionPreview.as_view(revision=revision)(request, pk=revision.object_id)
    return TopicRevisionPreview.as_view(revision=revision)(request, pk=revision.object_id)
