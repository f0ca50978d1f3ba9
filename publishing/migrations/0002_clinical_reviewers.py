"""The third staff group, Clinical reviewers, and the editors' right to submit for review.

Reviewers see the content and approve or send back changes; they do not edit it. Content
editors save and submit changes; they cannot publish them.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CLINICAL_REVIEWERS = "Clinical reviewers"
CONTENT_EDITORS = "Content editors"

GROUP_PERMISSIONS = {
    CLINICAL_REVIEWERS: {
        ("articles", "article"): ("view",),
        ("articles", "section"): ("view",),
        ("topics", "topicpage"): ("view",),
        ("topics", "topicsection"): ("view",),
        ("topics", "treatmentfact"): ("view",),
        ("references", "reference"): ("view",),
        ("references", "referenceauthor"): ("view",),
        ("publishing", "revision"): ("view", "review"),
    },
    CONTENT_EDITORS: {
        ("publishing", "revision"): ("view", "submit"),
    },
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; these need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, models in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for (app_label, model), actions in models.items():
            codenames = [f"{action}_{model}" for action in actions]
            permissions = Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
            assert permissions.count() == len(codenames), (app_label, model, codenames)
            group.permissions.add(*permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=CLINICAL_REVIEWERS).delete()
    Permission = apps.get_model("auth", "Permission")
    editors = apps.get_model("auth", "Group").objects.filter(name=CONTENT_EDITORS).first()
    if editors:
        editors.permissions.remove(
            *Permission.objects.filter(content_type__app_label="publishing")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0001_initial"),
        ("articles", "0014_scheduled_publishing"),
        ("topics", "0003_scheduled_publishing"),
        ("enquiries", "0002_staff_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
