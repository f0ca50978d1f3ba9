from django.contrib import admin

from .models import ClinicSettings


class ClinicSettingsAdmin(admin.ModelAdmin):
    """The clinic's own facts. Registered by the publishing app, which puts the safety texts
    (crisis strip, crisis message, disclaimer) under clinical review."""

    fieldsets = [
        ("Clinic", {"fields": ["clinic_name", "phone", "email", "address"]}),
        ("Home page", {"fields": ["home_title", "home_intro"]}),
        (
            "Editorial policy",
            {
                "fields": ["conflicts_of_interest", "funding"],
                "description": "Shown on the public editorial policy page, which leaves out "
                "each until it is written.",
            },
        ),
        (
            "Shown on every page",
            {
                "fields": [
                    "crisis_strip_label",
                    ("crisis_line", "emergency_number"),
                    "crisis_message",
                    "disclaimer",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return not ClinicSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
