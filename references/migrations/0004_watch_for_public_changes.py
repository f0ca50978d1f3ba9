"""Any write to these tables changes the public page cache's content version."""

from django.db import migrations

from pagecache.triggers import watch_tables


class Migration(migrations.Migration):
    dependencies = [
        ("references", "0003_history"),
        ("pagecache", "0001_initial"),
    ]

    operations = [watch_tables("references_reference", "references_referenceauthor")]
