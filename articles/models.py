import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from markdownx.models import MarkdownxField
from simple_history.models import HistoricalRecords

from clinic.crisis import mentions_crisis
from references.citations import cited_keys
from references.models import Reference

from .images import srcset, validate_upload
from .rendering import image_problem, plain_text, render_markdown, swallowing_html
from .voice import unclosed_marks

REVIEW_WARNING_DAYS = 30

# Ids the article page itself uses; a section anchor must not take them.
RESERVED_ANCHORS = {
    "main",
    "contents",
    "references",
    "attribution",
    "top",
    "treatment-comparison",
    "treatment-types",
}
RESERVED_ANCHOR_PREFIXES = ("ref-", "cite-", "contents-", "references-")
# Each section's heading takes the id "<anchor>-heading".
RESERVED_ANCHOR_SUFFIXES = ("-heading",)


def free_anchor(heading, taken):
    """An anchor made from `heading` that none of `taken` is: "risks", then "risks-2"."""
    base = slugify(heading)[:90].removesuffix("-heading") or "section"
    if base in RESERVED_ANCHORS or base.startswith(RESERVED_ANCHOR_PREFIXES):
        # "References", "Contents", "References and further reading": the page's own ids,
        # and numbering them ("references-2") would give one of its prefixes.
        base = f"section-{base}"
    anchor, number = base, 2
    while anchor in taken:
        anchor, number = f"{base}-{number}", number + 1
    return anchor


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class MedicalReviewQuerySet(models.QuerySet):
    def review_due(self, within_days=REVIEW_WARNING_DAYS):
        """Overdue, due within `within_days`, or never scheduled: what reviewers must look at,
        most urgent first (never scheduled last: nothing yet says it is due)."""
        horizon = timezone.localdate() + datetime.timedelta(days=within_days)
        return self.filter(
            models.Q(next_review_on__lte=horizon) | models.Q(next_review_on__isnull=True)
        ).order_by(models.F("next_review_on").asc(nulls_last=True))


class MedicallyReviewed(models.Model):
    """Who last reviewed a page's medical content, when, and when it is due again."""

    reviewed_by = models.CharField(
        max_length=200, blank=True, help_text="Name and credentials, for example Jane Doe, MD."
    )
    last_reviewed_on = models.DateField("page last reviewed", null=True, blank=True)
    next_review_on = models.DateField("next review due", null=True, blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(next_review_on__isnull=True)
                | models.Q(last_reviewed_on__isnull=True)
                | models.Q(next_review_on__gt=models.F("last_reviewed_on")),
                name="%(class)s_next_review_after_last",
            ),
        ]

    def clean_review_dates(self):
        if (
            self.last_reviewed_on
            and self.next_review_on
            and self.next_review_on <= self.last_reviewed_on
        ):
            raise ValidationError(
                {"next_review_on": "The next review must come after the last review."}
            )

    @property
    def review_overdue(self):
        return bool(self.next_review_on and self.next_review_on < timezone.localdate())


class Scheduled(models.Model):
    """When a page goes live and when it comes down, acted on by the background worker."""

    go_live_at = models.DateTimeField(
        "go live at",
        null=True,
        blank=True,
        help_text="Publish at this time once a clinical reviewer has approved it. Empty: on approval.",
    )
    expires_at = models.DateTimeField(
        "take down at",
        null=True,
        blank=True,
        help_text="Unpublish at this time, for content that must not outlive it.",
    )

    class Meta:
        abstract = True


class ArticleQuerySet(MedicalReviewQuerySet):
    def live(self):
        return self.filter(status=Article.Status.PUBLISHED)

    def for_page(self):
        return self.prefetch_related(
            Prefetch("sections", Section.objects.order_by("position", "id")), "key_points"
        )


class Article(MedicallyReviewed, Scheduled):
    Status = Status

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.TextField(help_text="One or two sentences shown in article lists.")
    standfirst = models.TextField(
        blank=True,
        help_text="The source’s own introductory line, shown under the title, if it has one.",
    )
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
    featured_image = models.ImageField(
        upload_to="featured/",
        blank=True,
        validators=[validate_upload],
        help_text="JPEG, PNG or WebP. Location and camera data are removed on upload.",
    )
    featured_image_alt = models.CharField(
        "image description (alt text)",
        max_length=250,
        blank=True,
        help_text="What the image shows, for people who cannot see it. Required with an image.",
    )
    featured_image_credit = models.CharField("image credit", max_length=200, blank=True)
    featured_image_renditions = models.JSONField(default=list, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["attribution_html", "featured_image_renditions"])

    class Meta:
        ordering = ["title"]
        constraints = [
            *MedicallyReviewed.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(updated_on__isnull=True)
                | models.Q(published_on__isnull=False, updated_on__gte=models.F("published_on")),
                name="article_updated_after_published",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Image files and their sizes are stored by articles.services.save_article.
        self.attribution_html = render_markdown(self.attribution)
        if self.status == self.Status.PUBLISHED and self.published_on is None:
            self.published_on = timezone.localdate()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @property
    def featured_image_srcset(self):
        return srcset(self.featured_image_renditions)

    @property
    def featured_image_size(self):
        """The full-size image's width and height, for the <img> attributes."""
        return self.featured_image_renditions[-1] if self.featured_image_renditions else None

    @property
    def has_attribution(self):
        return bool(self.attribution_html or self.source_url)

    @property
    def byline(self):
        if self.author_credentials:
            return f"{self.author_name}, {self.author_credentials}"
        return self.author_name

    def publish(self):
        """Make the article public; the first publication dates it."""
        if self.status == self.Status.PUBLISHED:
            return
        self.status = self.Status.PUBLISHED
        if self.published_on is None:
            self.published_on = timezone.localdate()

    def unpublish(self):
        self.status = self.Status.DRAFT

    def record_update(self):
        """Date a change to published content; drafts keep their dates until publication."""
        if self.status != self.Status.PUBLISHED or not self.published_on:
            return
        today = max(timezone.localdate(), self.published_on)
        if self.updated_on != today:
            self.updated_on = today
            Article.objects.filter(pk=self.pk).update(updated_on=today)

    def clean(self):
        self.clean_review_dates()
        if self.featured_image and not self.featured_image_alt.strip():
            raise ValidationError(
                {"featured_image_alt": "Describe the image for people who cannot see it."}
            )
        problem = image_problem(self.attribution)
        if problem:
            raise ValidationError({"attribution": problem})
        if cited_keys(render_markdown(self.attribution)):
            raise ValidationError(
                {
                    "attribution": "Citations are numbered only in sections; cite the reference in a section."
                }
            )
        if self.updated_on and not self.published_on:
            raise ValidationError({"updated_on": "Set the published date first."})
        if self.updated_on and self.published_on and self.updated_on < self.published_on:
            raise ValidationError({"updated_on": "The update cannot be earlier than publication."})


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
        help_text="Markdown. Cite a reference as [@key], or several as [@key1; @key2]. Put "
        "{{ }} around text in which the source's publisher speaks of itself (“our course”, "
        "“we believe”): the article keeps it, topic pages leave it out."
    )
    body_html = models.TextField(blank=True, editable=False)
    # Sections about suicidal thoughts or self-harm are shown with the crisis box. Worked
    # out on save, like body_html: the check is too slow to run on every page view.
    discusses_suicide = models.BooleanField(default=False, editable=False)
    # The body's words without markup, for search (front.search).
    body_text = models.TextField(blank=True, editable=False)
    cited_references = models.ManyToManyField(
        Reference, through="SectionCitation", related_name="citing_sections", editable=False
    )

    history = HistoricalRecords(excluded_fields=["body_html", "discusses_suicide", "body_text"])

    class Meta:
        # No unique position: the admin saves reordered sections one by one,
        # and a swap would collide half-way through.
        # By the article's id, not the article: ordering by the foreign key would join the
        # articles table and sort by its title on every section query.
        ordering = ["article_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "anchor"], name="section_unique_anchor"),
            models.CheckConstraint(
                condition=models.Q(level__in=[2, 3]), name="section_level_2_or_3"
            ),
        ]

    def __str__(self):
        if self.heading:
            return f"{self.heading} ({self.article})"
        return f"Introduction ({self.article})"

    def save(self, *args, **kwargs):
        if not self.anchor:
            self.anchor = self._free_anchor()
        self.derive()
        # The references it cites are recorded by articles.services.save_section.
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    def derive(self):
        """Work out the fields stored from the heading and body."""
        self.body_html = render_markdown(self.body)
        self.body_text = plain_text(self.body_html)
        self.discusses_suicide = mentions_crisis(self.heading) or mentions_crisis(self.body)

    def _free_anchor(self):
        """An anchor made from the heading that no other section of the article has."""
        taken = set()
        if self.article_id:
            taken = set(
                Section.objects.filter(article_id=self.article_id)
                .exclude(pk=self.pk)
                .values_list("anchor", flat=True)
            )
        return free_anchor(self.heading, taken)

    def clean(self):
        if not self.anchor:
            self.anchor = self._free_anchor()
        if (
            self.anchor in RESERVED_ANCHORS
            or self.anchor.startswith(RESERVED_ANCHOR_PREFIXES)
            or self.anchor.endswith(RESERVED_ANCHOR_SUFFIXES)
        ):
            raise ValidationError(
                {"anchor": f"“{self.anchor}” is used by the page itself; choose another anchor."}
            )
        swallowing = swallowing_html(self.body)
        if swallowing:
            line, tag = swallowing[0]
            raise ValidationError(
                {
                    "body": f"Line {line}: <{tag}> cannot be used in a section, and everything "
                    "after it would be hidden from readers. Remove it, or put it in `backticks` "
                    "to show it as text."
                }
            )
        problem = image_problem(self.body)
        if problem:
            raise ValidationError({"body": problem})
        unclosed = unclosed_marks(self.body)
        if unclosed:
            raise ValidationError(
                {
                    "body": "Close each {{ with }} in the same paragraph (they mark the "
                    f"publisher's own voice). Check the paragraph starting “{unclosed[0]}”."
                }
            )
        # Citation keys no reference has are refused by the section's form, which can read
        # the references once for all the sections it holds (articles.admin.SectionForm).

    def unknown_citation_keys(self, known_keys=None):
        """The keys the body cites that no reference has. `known_keys`: the keys of stored
        references, when a form of many sections has read them once for all."""
        keys = cited_keys(render_markdown(self.body))
        if known_keys is None:
            return Reference.objects.unknown_keys(keys)
        return [key for key in keys if key not in known_keys]

    def validate_constraints(self, exclude=None):
        # The level's choices already allow only 2 or 3: no need to ask the database for each
        # section of a form.
        return super().validate_constraints(exclude={*(exclude or ()), "level"})


class KeyPoint(models.Model):
    """One of the three to six points in plain words at the top of an article, each leading to
    the section that supports it (by its anchor: a section a draft adds has no id yet)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="key_points")
    position = models.PositiveIntegerField(default=0)
    text = models.CharField(
        max_length=200,
        help_text="One short sentence in plain words, at reading grade 8 or lower, saying only "
        "what the section it leads to says.",
    )
    anchor = models.SlugField(
        "section", max_length=100, help_text="The section that supports it; the point links there."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["article_id", "position", "id"]

    def __str__(self):
        return self.text


class SectionCitation(models.Model):
    """A reference cited in a section: derived from the section's text on every save."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+")
    # PROTECT: a cited reference cannot be deleted (the admin names the sections).
    reference = models.ForeignKey(Reference, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["section", "reference"], name="one_citation_row_per_pair"
            ),
        ]

    def __str__(self):
        return f"{self.section} cites {self.reference.key}"
