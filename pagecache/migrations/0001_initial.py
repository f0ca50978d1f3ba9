"""The content version row, its trigger function, and the page cache's own table.

The table is created by name, whatever CACHES says at migrate time: a site migrated
with REDIS_URL set that later runs without Redis still has it.
"""

import random

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations, models

from pagecache.triggers import install_function, remove_function

def create_cache_table(apps, schema_editor):
    creator = CreateCacheTable()
    creator.verbosity = 0
    creator.create_table(schema_editor.connection.alias, "django_page_cache", dry_run=False)


def create_version_row(apps, schema_editor):
    ContentVersion = apps.get_model("pagecache", "ContentVersion")
    ContentVersion.objects.get_or_create(pk=1, defaults={"version": random.getrandbits(62)})


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.BigIntegerField()),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(pk=1), name="content_version_single_row"
                    )
                ],
            },
        ),
        migrations.RunPython(create_version_row, migrations.RunPython.noop),
        migrations.RunPython(install_function, remove_function),
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
    ]
