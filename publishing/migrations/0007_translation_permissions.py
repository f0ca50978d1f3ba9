"""Content editors write translations; clinical reviewers see them and approve their
changes, as with any page."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ALL = ("add", "change", "delete", "view")
GROUP_PERMISSIONS = {
    "Content editors": {("translations", "translation"): ALL},
    "Clinical reviewers": {("translations", "translation"): ("view",)},
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():  # permissions are made after migrations
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


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0006_review_checks_kept_with_revisions"),
        ("translations", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
