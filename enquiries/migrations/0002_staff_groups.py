"""Create the two staff groups with exactly the permissions their work needs.

Content editors never get a permission on the enquiries app, so the admin does
not show them enquiries at all.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_EDITORS = "Content editors"
ENQUIRY_HANDLERS = "Enquiry handlers"
ALL = ("add", "change", "delete", "view")

GROUP_PERMISSIONS = {
    CONTENT_EDITORS: {
        ("articles", "article"): ALL,
        ("articles", "section"): ALL,
        ("articles", "topicpage"): ALL,
        ("articles", "topicsection"): ALL,
        ("articles", "treatmentfact"): ALL,
        ("references", "reference"): ALL,
        ("references", "referenceauthor"): ALL,
        ("clinic", "clinicsettings"): ("change", "view"),
    },
    ENQUIRY_HANDLERS: {
        ("enquiries", "enquiry"): ("change", "view", "export"),
        ("enquiries", "enquirynote"): ("add", "view"),
        ("enquiries", "statuschange"): ("view",),
        ("enquiries", "notification"): ("view",),
        ("enquiries", "routingrule"): ALL,
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
    apps.get_model("auth", "Group").objects.filter(name__in=GROUP_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("enquiries", "0001_initial"),
        ("articles", "0003_article_standfirst"),
        ("references", "0002_identifier_lengths_and_messages"),
        ("clinic", "0003_home_page_text"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
