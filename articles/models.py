from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.text import slugify
from markdownx.models import MarkdownxField

from references.citations import cited_keys
from references.models import Reference

from .rendering import render_markdown

# Ids the article page itself uses; a section anchor must not take them.
RESERVED_ANCHORS = {"main", "contents", "references", "attribution", "top"}
RESERVED_ANCHOR_PREFIXES = ("ref-", "cite-", "contents-", "references-")


class ArticleQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status=Article.Status.PUBLISHED)

    def for_page(self):
        return self.prefetch_related(
            Prefetch("sections", Section.objects.order_by("position", "id"))
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.TextField(help_text="One or two sentences shown in article lists.")
    author_name = models.CharField(max_length=200)
    author_credentials = models.CharField(
        max_length=100, blank=True, help_text="For example RN, MD, PhD."
    )
    publisher = models.CharField(max_length=200)
    source_url = models.URLField(
        "original source URL",
        blank=True,
        help_text="Where the article was first published, if elsewhere.",
    )
    published_on = models.DateField(null=True, blank=True)
    updated_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    attribution = MarkdownxField(
        blank=True,
        help_text="Author biography, the source’s disclaimer and editor’s notes. "
        "Shown after the article, not as part of it.",
    )
    attribution_html = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(updated_on__isnull=True)
                | models.Q(published_on__isnull=False, updated_on__gte=models.F("published_on")),
                name="article_updated_after_published",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.attribution_html = render_markdown(self.attribution)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @property
    def byline(self):
        if self.author_credentials:
            return f"{self.author_name}, {self.author_credentials}"
        return self.author_name

    def clean(self):
        if self.updated_on and not self.published_on:
            raise ValidationError({"updated_on": "Set the published date first."})
        if self.updated_on and self.published_on and self.updated_on < self.published_on:
            raise ValidationError({"updated_on": "The update cannot be earlier than publication."})


class SectionQuerySet(models.QuerySet):
    def rerender(self):
        """Store fresh HTML for each section (after a fixture load or a renderer change)."""
        for section in self:
            section.body_html = render_markdown(section.body)
            section.save(update_fields=["body_html"])


class Section(models.Model):
    """One ordered, separately editable part of an article."""

    class Level(models.IntegerChoices):
        SECTION = 2, "Section (level 2)"
        SUBSECTION = 3, "Subsection (level 3)"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField(default=0, help_text="Sections are shown in this order.")
    heading = models.CharField(
        max_length=200, blank=True, help_text="Leave empty for an untitled introduction."
    )
    level = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.SECTION)
    anchor = models.SlugField(
        max_length=100,
        blank=True,
        help_text="The #address of this section within the page. Made from the heading when empty.",
    )
    body = MarkdownxField(
        help_text="Markdown. Cite a reference as [@key], or several as [@key1; @key2]."
    )
    body_html = models.TextField(blank=True, editable=False)

    objects = SectionQuerySet.as_manager()

    class Meta:
        # No unique position: the admin saves reordered sections one by one,
        # and a swap would collide half-way through.
        ordering = ["article", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "anchor"], name="section_unique_anchor"),
            models.CheckConstraint(
                condition=models.Q(level__in=[2, 3]), name="section_level_2_or_3"
            ),
        ]

    def __str__(self):
        return self.heading or f"{self.article} (introduction)"

    def save(self, *args, **kwargs):
        if not self.anchor:
            self.anchor = slugify(self.heading)[:100] or "introduction"
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)

    def clean(self):
        if not self.anchor:
            self.anchor = slugify(self.heading)[:100] or "introduction"
        if self.anchor in RESERVED_ANCHORS or self.anchor.startswith(RESERVED_ANCHOR_PREFIXES):
            raise ValidationError(
                {"anchor": f"“{self.anchor}” is used by the page itself; choose another anchor."}
            )
        keys = cited_keys(render_markdown(self.body))
        known = set(Reference.objects.filter(key__in=keys).values_list("key", flat=True))
        unknown = [key for key in keys if key not in known]
        if unknown:
            raise ValidationError(
                {
                    "body": (
                        "Unknown citation key: " if len(unknown) == 1 else "Unknown citation keys: "
                    )
                    + ", ".join(f"@{key}" for key in unknown)
                    + ". Add the reference first, or correct the key."
                }
            )
