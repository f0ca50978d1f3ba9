from django.contrib import admin

from .models import ClinicSettings


@admin.register(ClinicSettings)
class ClinicSettingsAdmin(admin.ModelAdmin):
    fieldsets = [
        ("Clinic", {"fields": ["clinic_name", "phone", "email", "address"]}),
        ("Home page", {"fields": ["home_title", "home_intro"]}),
        ("Shown on every page", {"fields": ["crisis_message", "disclaimer"]}),
    ]

    def has_add_permission(self, request):
        return not ClinicSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
