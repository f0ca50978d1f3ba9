"""PostgreSQL keeps each section's and topic page's search document ready, weighted (heading
or title first), in a generated column with a GIN index: a search then parses no text to
match or rank, only to quote a snippet. SQLite searches its FTS5 table instead.

The columns are PostgreSQL's own, unknown to the models: the database fills them on every
write, and only front.search reads them. PostgreSQL refuses to change the type of a column a
generated column reads (heading, body_text; title, summary, intro): a migration that must do
so drops `search_vector` first and adds it again after, as `add` here does.
"""

from django.db import migrations

SECTION = (
    "setweight(to_tsvector('english'::regconfig, coalesce(heading, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(body_text, '')), 'B')"
)
TOPIC = (
    "setweight(to_tsvector('english'::regconfig, title), 'A') || "
    "setweight(to_tsvector('english'::regconfig, summary), 'B') || "
    "setweight(to_tsvector('english'::regconfig, intro), 'C')"
)
# articles migration 0009's index on the unweighted text, which searches no longer use.
OLD_INDEX = (
    "CREATE INDEX IF NOT EXISTS articles_section_search ON articles_section USING gin "
    "(to_tsvector('english'::regconfig, coalesce(heading, '') || ' ' || coalesce(body_text, '')))"
)


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, document in (("articles_section", SECTION), ("articles_topicpage", TOPIC)):
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS ({document}) STORED"
        )
    schema_editor.execute(
        "CREATE INDEX front_section_search ON articles_section USING gin (search_vector)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS articles_section_search")


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(OLD_INDEX)
    for table in ("articles_section", "articles_topicpage"):
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN search_vector")


class Migration(migrations.Migration):
    dependencies = [
        ("front", "0002_watch_seed_synonyms_editors"),
        ("articles", "0014_scheduled_publishing"),
        ("topics", "0003_scheduled_publishing"),
    ]

    operations = [migrations.RunPython(add, remove)]
