"""Topic pages: pages that answer one question by composing existing article sections."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField
from simple_history.models import HistoricalRecords

from articles.models import Article, MedicallyReviewed, MedicalReviewQuerySet, Scheduled, Section
from articles.rendering import image_problem, render_markdown
from clinic.crisis import mentions_crisis

# These models began in the articles app; their tables keep the names they had there.


class TopicPageQuerySet(MedicalReviewQuerySet):
    def live(self):
        return self.filter(status=TopicPage.Status.PUBLISHED)

    def showing(self, section):
        """Pages that show `section` or cite it in the comparison table."""
        return (
            self.filter(
                models.Q(topic_sections__section=section) | models.Q(facts__section=section)
            )
            .select_related("parent")  # a treatment page's address names its parent
            .distinct()
        )

    def treatments(self):
        return (
            self.filter(parent__slug=TopicPage.TREATMENTS_SLUG)
            .select_related("parent")
            .order_by("position", "title")
        )

    def for_comparison(self):
        return self.prefetch_related(
            Prefetch("facts", TreatmentFact.objects.select_related("section__article"))
        )

    def for_page(self):
        return self.select_related("parent").prefetch_related(
            Prefetch(
                "topic_sections",
                TopicSection.objects.select_related("section__article").order_by("position", "id"),
            ),
            "key_points",
        )


class TopicPage(MedicallyReviewed, Scheduled):
    """A page that answers one question by composing existing article sections.

    Editing a section changes every page that shows it. The treatments page
    (slug "treatments") is the parent of one page per treatment type.
    """

    TREATMENTS_SLUG = "treatments"
    # Pages the site's navigation names get short addresses of their own.
    FIXED_URLS = {
        "treatments": "topics:treatments",
        "candidacy": "topics:candidacy",
        "safety": "topics:safety",
    }

    Status = Article.Status

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="For a treatment type: the Treatments page.",
    )
    position = models.PositiveIntegerField(default=0, help_text="Order among its siblings.")
    navigation_label = models.CharField(
        max_length=60, blank=True, help_text="Shorter name for menus and the comparison table."
    )
    summary = models.TextField(help_text="One or two sentences for lists and search results.")
    intro = MarkdownxField(
        help_text="The page’s own short introduction. State no medical facts here: "
        "they belong in cited sections."
    )
    intro_html = models.TextField(blank=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    sections = models.ManyToManyField(Section, through="TopicSection", related_name="topic_pages")

    objects = TopicPageQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["intro_html"], table_name="articles_historicaltopicpage"
    )

    class Meta(MedicallyReviewed.Meta):
        db_table = "articles_topicpage"
        ordering = ["position", "title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.intro_html = render_markdown(self.intro)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        if self.slug in self.FIXED_URLS:
            return reverse(self.FIXED_URLS[self.slug])
        if self.is_treatment:
            return reverse("topics:treatment", kwargs={"slug": self.slug})
        return reverse("topics:page", kwargs={"slug": self.slug})

    @property
    def discusses_suicide(self):
        """An intro about suicidal thoughts or self-harm is shown with the crisis box."""
        return mentions_crisis(self.intro) or mentions_crisis(self.summary)

    def source_articles(self):
        """The published articles its sections come from, in the order they first appear."""
        articles = {}
        for section in self.live_sections():
            articles.setdefault(section.article_id, section.article)
        return list(articles.values())

    def live_sections(self):
        """The page's sections in order, leaving out those of unpublished articles."""
        return [
            topic_section.section
            for topic_section in self.topic_sections.all()
            if topic_section.section.article.status == Article.Status.PUBLISHED
        ]

    @property
    def is_treatments_page(self):
        return self.slug == self.TREATMENTS_SLUG

    @property
    def is_treatment(self):
        """One treatment type: a page under the Treatments page."""
        return bool(self.parent_id) and self.parent.slug == self.TREATMENTS_SLUG

    @property
    def short_title(self):
        return self.navigation_label or self.title

    def publish(self):
        self.status = self.Status.PUBLISHED

    def unpublish(self):
        self.status = self.Status.DRAFT

    def clean(self):
        self.clean_review_dates()
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": "A page cannot be its own parent."})
        problem = image_problem(self.intro)
        if problem:
            raise ValidationError({"intro": problem})


class TopicSection(models.Model):
    """One article section shown on a topic page, in order."""

    page = models.ForeignKey(TopicPage, on_delete=models.CASCADE, related_name="topic_sections")
    # PROTECT: deleting a section must not silently empty a topic page; the
    # admin refuses and names the pages instead.
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords(table_name="articles_historicaltopicsection")

    class Meta:
        db_table = "articles_topicsection"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["page", "section"], name="topic_section_once_per_page"),
        ]

    def __str__(self):
        return f"{self.page}: {self.section}"


class TopicKeyPoint(models.Model):
    """One of the three to six points in plain words at the top of a topic page, each leading
    to a section the page shows."""

    page = models.ForeignKey(TopicPage, on_delete=models.CASCADE, related_name="key_points")
    position = models.PositiveIntegerField(default=0)
    text = models.CharField(
        max_length=200,
        help_text="One short sentence in plain words, at reading grade 8 or lower, saying only "
        "what the section it leads to says.",
    )
    # PROTECT: a section a key point leads to is not deleted from under it.
    section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="A section this page shows, which supports the point; it links there.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["page_id", "position", "id"]

    def __str__(self):
        return self.text


class TreatmentFact(models.Model):
    """One cell of the treatment comparison table, with the section that supports it."""

    class Aspect(models.TextChoices):
        # The comparison's row names: patients read them, in their language.
        HOW_GIVEN = "how_given", _("How it is given")
        SETTING = "setting", _("Where")
        COURSE = "course", _("Typical course")
        SESSION = "session", _("Session length")
        MONITORING = "monitoring", _("Monitoring afterwards")
        REGULATORY = "regulatory", _("Regulatory status")
        INSURANCE = "insurance", _("Insurance and cost")

    treatment = models.ForeignKey(TopicPage, on_delete=models.CASCADE, related_name="facts")
    aspect = models.CharField(max_length=20, choices=Aspect.choices)
    text = models.CharField(max_length=300)
    section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The article section this fact comes from; the table links to it.",
    )

    history = HistoricalRecords(table_name="articles_historicaltreatmentfact")

    class Meta:
        db_table = "articles_treatmentfact"
        # By the page's id: ordering by the foreign key would join topic pages to sort.
        ordering = ["treatment_id", "aspect"]
        constraints = [
            models.UniqueConstraint(fields=["treatment", "aspect"], name="one_fact_per_aspect"),
        ]

    def __str__(self):
        return f"{self.treatment.short_title}: {self.get_aspect_display()}"
