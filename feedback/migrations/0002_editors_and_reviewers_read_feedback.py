"""Content editors read readers' answers (and may delete one that holds personal details);
clinical reviewers read them. Nobody adds or edits an answer."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = {
    "Content editors": ("view_pagefeedback", "delete_pagefeedback"),
    "Clinical reviewers": ("view_pagefeedback",),
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    for name, codenames in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="feedback", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_initial"),
        ("enquiries", "0002_staff_groups"),
        ("publishing", "0002_clinical_reviewers"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
