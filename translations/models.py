"""A translation of one piece of content (an article with its sections and key points, a
topic page with its key points and comparison entries, a glossary entry, the clinic's own
texts) into one language.

A translation is content in its own right: patients read what its row holds once a clinical
reviewer approved it, through the same workflow as any page (publishing.workflow), with its
own revisions, review and schedule. It records which revision of its source it translates
and the source's words then (`source_words`), so a page can tell, comparing them with the
source's words now, that the source changed since: the translation is then out of date, and
the admin can show what changed.

The row knows its source only by content type and id: it sits below every kind of content
(layer 0), so each content app can read its own translations.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .spec import changed_places


def other_languages():
    """The languages a translation may be in: every site language but the default."""
    default = settings.LANGUAGE_CODE.split("-")[0]
    return [(code, name) for code, name in settings.LANGUAGES if code != default]


class TranslationQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status=Translation.Status.PUBLISHED)

    def of_model(self, model, language=None):
        """Translations of `model`'s rows (into `language`, if given)."""
        found = self.filter(content_type=ContentType.objects.get_for_model(model))
        return found if language is None else found.filter(language=language)

    def of(self, source, language):
        return self.of_model(type(source), language).filter(object_id=source.pk)

    def live_for(self, model, ids, language):
        """The live translations of several sources of one kind: {source id: translation}."""
        found = self.live().of_model(model, language).filter(object_id__in=list(ids))
        return {translation.object_id: translation for translation in found}


class Translation(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("content_type", "object_id")
    language = models.CharField(max_length=8, choices=other_languages)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The translated words, shaped as the source's (spec.source_words):
    # {"fields": {name: text}, "sections": {id: {name: text}}, "key_points": ..., "facts": ...}
    content = models.JSONField(default=dict, blank=True)
    # The HTML made from its Markdown when it went live, so no page renders it:
    # {"fields": {name: html}, "sections": {id: html}, "section_text": {id: plain text}}.
    rendered = models.JSONField(default=dict, blank=True, editable=False)
    # The revision of the source it translates (the source's newest published one when the
    # translator opened it), and the source's words then.
    source_revision_id = models.PositiveBigIntegerField(null=True, blank=True)
    source_words = models.JSONField(default=dict, blank=True, editable=False)
    reviewed_by = models.CharField(max_length=200, blank=True)
    last_reviewed_on = models.DateField("translation last reviewed", null=True, blank=True)
    next_review_on = models.DateField("next review due", null=True, blank=True)
    go_live_at = models.DateTimeField("go live at", null=True, blank=True)
    expires_at = models.DateTimeField("take down at", null=True, blank=True)

    objects = TranslationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["content_type_id", "object_id", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "language"],
                name="one_translation_per_source_and_language",
            ),
        ]

    def __str__(self):
        return f"{self.get_language_display()}: {self.title or self.source}"

    @property
    def title(self):
        fields = self.content.get("fields") or {}
        return fields.get("title") or fields.get("term") or fields.get("home_title") or ""

    def publish(self):
        self.status = self.Status.PUBLISHED

    def unpublish(self):
        self.status = self.Status.DRAFT

    @property
    def is_live(self):
        return self.status == self.Status.PUBLISHED

    def changes_since(self, words_now):
        """Where the source's words now (spec.source_words) differ from those translated."""
        return changed_places(self.source_words, words_now)

    def field(self, name):
        """The translated text of one of the source's fields ("" if not translated)."""
        return (self.content.get("fields") or {}).get(name) or ""

    def row(self, relation, pk):
        """The translated texts of one of the source's rows ({} if not translated)."""
        return (self.content.get(relation) or {}).get(str(pk)) or {}

    def html(self, name):
        """A Markdown field's HTML, made when the translation went live."""
        return (self.rendered.get("fields") or {}).get(name, "")

    def section_html(self, pk):
        return (self.rendered.get("sections") or {}).get(str(pk), "")
