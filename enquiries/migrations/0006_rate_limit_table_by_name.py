"""Create the rate limit's cache table by name, whatever CACHES says at migrate time.

0003 ran createcachetable, which creates only the tables CACHES names: a site migrated
with REDIS_URL set had no table, and answered 500 to every post once Redis was dropped.
"""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations


def create_cache_table(apps, schema_editor):
    creator = CreateCacheTable()
    creator.verbosity = 0
    creator.create_table(schema_editor.connection.alias, "django_cache", dry_run=False)


class Migration(migrations.Migration):
    dependencies = [("enquiries", "0005_handlers_may_delete")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
