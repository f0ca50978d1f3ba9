"""Enquiry handlers may re-queue a failed staff notification and read its attempts."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["change_notification", "view_notificationattempt"]


def _permissions(apps):
    app_config = apps.get_app_config("enquiries")
    app_config.models_module = True  # permissions are normally made after all migrations
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="enquiries", codename__in=CODENAMES)


def allow(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.get(name="Enquiry handlers")
    group.permissions.add(*_permissions(apps))


def forbid(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.get(name="Enquiry handlers")
    group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [("enquiries", "0007_notification_outbox")]

    operations = [migrations.RunPython(allow, forbid)]
