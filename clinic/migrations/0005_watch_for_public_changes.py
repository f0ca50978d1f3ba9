"""Any write to the clinic settings changes the public page cache's content version."""

from django.db import migrations

from pagecache.triggers import watch_tables


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0004_home_intro_wording"),
        ("pagecache", "0001_initial"),
    ]

    operations = [watch_tables("clinic_clinicsettings")]
