"""Create the database cache table with the schema, so `migrate` alone readies the site.

The enquiry rate limit lives in the cache; without this table every post would fail.
With REDIS_URL set, createcachetable has nothing to do.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("enquiries", "0002_staff_groups")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
