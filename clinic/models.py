from django.db import models

CONTACT_FIELDS = ("phone", "email", "address")
POLICY_FIELDS = ("conflicts_of_interest", "funding")


class ClinicSettings(models.Model):
    """Site-wide facts only the clinic can supply, edited in the admin (one row)."""

    clinic_name = models.CharField(max_length=100, default="ATMA CENA")
    phone = models.CharField(
        max_length=40,
        blank=True,
        help_text="The clinic’s phone number as patients should dial it. Public pages leave "
        "it out until it is filled in.",
    )
    email = models.EmailField(
        max_length=200, blank=True, help_text="Public pages leave it out until it is filled in."
    )
    address = models.TextField(
        blank=True, help_text="Public pages leave it out until it is filled in."
    )
    crisis_strip_label = models.CharField(
        max_length=60,
        default="Need help now?",
        help_text="Shown before the crisis numbers at the top of every page.",
    )
    crisis_line = models.CharField(
        max_length=20,
        default="988",
        help_text="The crisis line to call or text, as dialled (Suicide & Crisis Lifeline: 988).",
    )
    emergency_number = models.CharField(
        max_length=20, default="911", help_text="The emergency number, as dialled."
    )
    home_title = models.CharField(max_length=120, default="Ketamine-assisted therapy, explained")
    home_intro = models.TextField(
        default=(
            "ATMA CENA offers ketamine-assisted therapy. This site explains what the treatment "
            "is, who it may help, and what to expect, and links each cited claim to its "
            "research source."
        ),
        help_text="The home page’s opening paragraph.",
    )
    crisis_message = models.TextField(
        default="In an emergency call 911. Suicide & Crisis Lifeline: call or text 988.",
        help_text="Shown at the top of the home page and wherever suicidal thoughts are "
        "discussed. Phone numbers in it become call links.",
    )
    disclaimer = models.TextField(
        default=(
            "The information on this site is for education only. It is not medical advice "
            "and does not replace a consultation with a qualified professional who knows "
            "your health and history. Do not start, stop or change any treatment because "
            "of something you read here."
        ),
        help_text="The site’s own medical disclaimer, shown in every page’s footer.",
    )

    # The editorial policy page says these once the clinic has written them, and leaves
    # them out until then (the launch checklist names what is missing).
    conflicts_of_interest = models.TextField(
        "conflicts of interest",
        blank=True,
        help_text="What the clinic, its writers and its reviewers gain from what the pages "
        "say, for example that the clinic sells the treatments it describes. Shown on the "
        "editorial policy page.",
    )
    funding = models.TextField(
        blank=True,
        help_text="Who pays for the site and its content, and whether any advertiser or "
        "drug maker does. Shown on the editorial policy page.",
    )

    class Meta:
        verbose_name = "clinic settings"
        verbose_name_plural = "clinic settings"
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="clinic_settings_single_row"),
        ]

    def __str__(self):
        return "Clinic settings"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        settings, _ = cls.objects.get_or_create(pk=1)
        return settings

    @property
    def has_contact_details(self):
        return any(getattr(self, name) for name in CONTACT_FIELDS)
