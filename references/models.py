import calendar
import re
import unicodedata
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from . import identifiers
from .citations import KEY_PATTERN, cited_keys
from .evidence import EvidenceType


class ReferenceQuerySet(models.QuerySet):
    def cited_in(self, sections):
        """The references that `sections` cite, with what formatting needs."""
        keys = {key for section in sections for key in cited_keys(section.body_html)}
        return self.filter(key__in=keys).prefetch_related("authors")

    def unknown_keys(self, keys):
        """Those of citation `keys` that no stored reference has, in their order."""
        known = set(self.filter(key__in=keys).values_list("key", flat=True))
        return [key for key in keys if key not in known]


def comparable_title(title):
    """A title as two records of one work are compared: case, braces, punctuation and
    spacing ignored ("{COVID}-19: a review." is "covid 19 a review")."""
    words = re.findall(r"\w+", unicodedata.normalize("NFKC", title or "").casefold())
    return " ".join(words)


class Reference(models.Model):
    """A work cited by the site, stored as CSL-style structured fields."""

    class Type(models.TextChoices):
        JOURNAL_ARTICLE = "article-journal", "Journal article"
        WEB_PAGE = "webpage", "Web page"
        BOOK = "book", "Book"
        CHAPTER = "chapter", "Book chapter"
        REPORT = "report", "Report"

    key = models.CharField(
        max_length=64,
        unique=True,
        validators=[
            RegexValidator(
                f"^{KEY_PATTERN}$",
                "Use letters, digits and _ : . - only, starting and ending with a "
                "letter or digit (for example zunszain2013).",
            )
        ],
        help_text="Cite it in a section as [@key], or several as [@key1; @key2].",
    )
    type = models.CharField(max_length=20, choices=Type.choices, default=Type.JOURNAL_ARTICLE)
    title = models.CharField(max_length=500)
    container_title = models.CharField(
        "journal or site", max_length=300, blank=True, help_text="Journal, website or book title."
    )
    container_title_short = models.CharField(
        "abbreviated journal",
        max_length=120,
        blank=True,
        help_text="The journal's abbreviation, for example Curr Psychiatry Rep.",
    )
    issued_year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1500), MaxValueValidator(2200)]
    )
    issued_month = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    issued_day = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    volume = models.CharField(max_length=30, blank=True)
    issue = models.CharField(max_length=30, blank=True)
    pages = models.CharField(max_length=40, blank=True)
    doi = models.CharField("DOI", max_length=200, blank=True, validators=[identifiers.validate_doi])
    pmid = models.CharField(
        "PMID", max_length=30, blank=True, validators=[identifiers.validate_pmid]
    )
    pmcid = models.CharField(
        "PMCID", max_length=30, blank=True, validators=[identifiers.validate_pmcid]
    )
    url = models.URLField("URL", max_length=500, blank=True)
    accessed = models.DateField("accessed on", null=True, blank=True)
    publisher = models.CharField(max_length=300, blank=True)
    publisher_place = models.CharField(max_length=200, blank=True)

    evidence_type = models.CharField(
        "kind of evidence",
        max_length=40,
        choices=EvidenceType.choices,
        default=EvidenceType.NOT_CLASSIFIED,
        help_text="Shown to patients beside the reference. Set from PubMed's publication "
        "types on import; otherwise only from what the work says of itself (its title, its "
        "type), or from reading it.",
    )
    retracted = models.BooleanField(
        default=False,
        help_text="The work has been retracted (PubMed: Retracted Publication). Every section "
        "citing it is flagged, and a page citing it cannot be approved.",
    )
    retraction_notice = models.CharField(
        max_length=300,
        blank=True,
        help_text="Where the retraction is published, for example “Retraction in: J Affect "
        "Disord. 2021;290:1”.",
    )

    # Formatting with citeproc-py takes milliseconds per entry, far too slow for
    # a public request, so the entry is formatted when the reference changes.
    formatted_html = models.TextField(blank=True, editable=False)
    formatted_style = models.CharField(max_length=100, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReferenceQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["formatted_html", "formatted_style"])

    class Meta:
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(
                Lower("doi"),
                condition=~Q(doi=""),
                name="reference_unique_doi",
                violation_error_message="Another reference already has this DOI.",
            ),
            models.UniqueConstraint(
                fields=["pmid"],
                condition=~Q(pmid=""),
                name="reference_unique_pmid",
                violation_error_message="Another reference already has this PMID.",
            ),
            models.UniqueConstraint(
                fields=["pmcid"],
                condition=~Q(pmcid=""),
                name="reference_unique_pmcid",
                violation_error_message="Another reference already has this PMCID.",
            ),
            models.CheckConstraint(
                condition=Q(issued_month__isnull=True) | Q(issued_year__isnull=False),
                name="reference_month_needs_year",
            ),
            models.CheckConstraint(
                condition=Q(issued_day__isnull=True) | Q(issued_month__isnull=False),
                name="reference_day_needs_month",
            ),
        ]

    def __str__(self):
        year = self.issued_year or "n.d."
        return f"{self.key}: {self.title} ({year})"

    def save(self, *args, **kwargs):
        self.normalize_identifiers()
        super().save(*args, **kwargs)

    def normalize_identifiers(self):
        fields = identifiers.normalized(doi=self.doi, pmid=self.pmid, pmcid=self.pmcid)
        self.doi, self.pmid, self.pmcid = fields["doi"], fields["pmid"], fields["pmcid"]

    def clean_fields(self, exclude=None):
        # Staff paste "https://doi.org/…" or "PMID: 123": normalise before validating.
        self.normalize_identifiers()
        super().clean_fields(exclude)

    def clean(self):
        if self.issued_month and not self.issued_year:
            raise ValidationError({"issued_month": "Give the year before the month."})
        if self.issued_day and not self.issued_month:
            raise ValidationError({"issued_day": "Give the month before the day."})
        # Only a month field validation passed (1 to 12) can be looked up; a bad one is
        # already reported on its field.
        if (
            self.issued_day
            and self.issued_year
            and self.issued_month
            and 1 <= self.issued_month <= 12
        ):
            last_day = calendar.monthrange(self.issued_year, self.issued_month)[1]
            if self.issued_day > last_day:
                raise ValidationError({"issued_day": f"That month has {last_day} days."})
        errors = {}
        others = Reference.objects.exclude(pk=self.pk)
        for field, label, lookup in [
            ("doi", "DOI", "doi__iexact"),
            ("pmid", "PMID", "pmid"),
            ("pmcid", "PMCID", "pmcid"),
        ]:
            value = getattr(self, field)
            existing = others.filter(**{lookup: value}).first() if value else None
            if existing:
                errors[field] = f"This {label} is already on reference “{existing.key}”."
        if errors:
            raise ValidationError(errors)

    @property
    def doi_url(self):
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def entry_shows_doi(self):
        """Whether the formatted entry already gives the DOI (APA, AMA and NLM do), so a
        printout need not give it twice."""
        return bool(self.doi) and self.doi.lower() in self.entry_html.lower()

    @property
    def pubmed_url(self):
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""

    @property
    def pmc_url(self):
        return f"https://pmc.ncbi.nlm.nih.gov/articles/{self.pmcid}/" if self.pmcid else ""

    def same_work(self):
        """Another stored reference with this title and year: probably this work again."""
        wanted = comparable_title(self.title)
        if not wanted:
            return None
        same_year = Reference.objects.exclude(pk=self.pk).filter(issued_year=self.issued_year)
        return next(
            (
                other
                for other in same_year.only("pk", "key", "title")
                if comparable_title(other.title) == wanted
            ),
            None,
        )

    def refresh_formatted(self):
        """Format this entry in the configured style and store it."""
        from .formatting import format_reference

        self.formatted_style = settings.CITATION_STYLE
        self.formatted_html = format_reference(self, self.formatted_style)
        Reference.objects.filter(pk=self.pk).update(
            formatted_html=self.formatted_html, formatted_style=self.formatted_style
        )

    @property
    def entry_html(self):
        """The formatted entry; formats now only if the style setting changed."""
        if self.formatted_html and self.formatted_style == settings.CITATION_STYLE:
            return self.formatted_html
        from .formatting import format_reference

        return format_reference(self, settings.CITATION_STYLE)


class ReferenceAuthor(models.Model):
    """One author of a reference: a person (family, given) or an organisation (literal)."""

    reference = models.ForeignKey(Reference, on_delete=models.CASCADE, related_name="authors")
    position = models.PositiveSmallIntegerField(default=0)
    particle = models.CharField(
        max_length=40,
        blank=True,
        help_text="A particle kept with the family name, for example de, van.",
    )
    family = models.CharField("family name", max_length=120, blank=True)
    given = models.CharField(
        "given names or initials", max_length=120, blank=True, help_text="For example P. A."
    )
    suffix = models.CharField(max_length=20, blank=True, help_text="For example Jr")
    literal = models.CharField(
        "organisation",
        max_length=300,
        blank=True,
        help_text="Instead of a person’s name, for example World Health Organization.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(family="") | ~Q(literal=""),
                name="author_has_family_or_literal",
            ),
        ]

    def __str__(self):
        if self.literal:
            return self.literal
        return ", ".join(part for part in (self.family_name, self.given, self.suffix) if part)

    @property
    def family_name(self):
        """The family name as written, with its particle: "de Maricourt"."""
        return " ".join(part for part in (self.particle, self.family) if part)

    def clean(self):
        if not self.family and not self.literal:
            raise ValidationError("Give a family name, or an organisation as the author.")
        if self.family and self.literal:
            raise ValidationError("Give either a person’s name or an organisation, not both.")

    def to_csl(self):
        if self.literal:
            return {"literal": self.literal}
        name = {
            "family": self.family,
            "given": self.given,
            "non-dropping-particle": self.particle,
            "suffix": self.suffix,
        }
        # An empty given name would print as "Al-harbi, ." in APA.
        return {part: value for part, value in name.items() if value}


class ImportBatch(models.Model):
    """The entries an editor previewed for import, kept until they confirm it or it expires.

    Kept in the database rather than in one process, so the confirming request may reach
    any app server; the import form carries a signed token naming the batch
    (`references.services`). `entries` are the new entries exactly as previewed;
    `imported_at` makes a second confirm (a double click, a reload) import nothing more.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    source = models.CharField(max_length=300, blank=True, help_text="The file's name, if any.")
    entries = models.JSONField(default=list)
    matched = models.PositiveIntegerField(default=0)
    not_imported = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{len(self.entries)} new from {self.source or 'pasted text'}"
