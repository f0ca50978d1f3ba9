"""Any write to these tables changes the public page cache's content version."""

from django.db import migrations

from pagecache.triggers import watch_tables


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_record_existing_citations"),
        ("pagecache", "0001_initial"),
    ]

    operations = [
        watch_tables(
            "articles_article",
            "articles_section",
            "articles_sectioncitation",
            "articles_topicpage",
            "articles_topicsection",
            "articles_treatmentfact",
        )
    ]
