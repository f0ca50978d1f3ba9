from django.db import migrations


def create_settings_row(apps, schema_editor):
    # The one settings row exists from the start, so no page view ever has to create it.
    apps.get_model("clinic", "ClinicSettings").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("clinic", "0001_initial")]

    operations = [migrations.RunPython(create_settings_row, migrations.RunPython.noop)]
