"""Enquiry handlers may delete an enquiry: the privacy notice promises deletion on request."""

from django.db import migrations


def allow_delete(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="enquiries", codename="delete_enquiry")
    Group.objects.get(name="Enquiry handlers").permissions.add(permission)


def forbid_delete(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="enquiries", codename="delete_enquiry")
    Group.objects.get(name="Enquiry handlers").permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [("enquiries", "0004_treatment_title")]

    operations = [migrations.RunPython(allow_delete, forbid_delete)]
