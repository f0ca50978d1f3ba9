"""Search in another language (front.search): on PostgreSQL, a table per language holding
each live translated document, weighted in PostgreSQL's configuration for the language with
a GIN index, rebuilt by a search that finds the content changed since (as SQLite's FTS5
tables are); and the table recording what each search table was built from, which SQLite
has had since migration 0002."""

from django.db import migrations

SPANISH = (
    "setweight(to_tsvector('spanish'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('spanish'::regconfig, coalesce(body, '')), 'B') || "
    "setweight(to_tsvector('spanish'::regconfig, coalesce(more, '')), 'C')"
)


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite makes its FTS5 table when first searched
    schema_editor.execute(
        "CREATE TABLE IF NOT EXISTS search_index_meta "
        "(id integer PRIMARY KEY, version bigint, schema integer)"
    )
    schema_editor.execute(
        "CREATE TABLE search_index_es (kind text NOT NULL, ref_id bigint NOT NULL, "
        "title text, body text, more text, context text, slug text, place text, "
        f"document tsvector GENERATED ALWAYS AS ({SPANISH}) STORED)"
    )
    schema_editor.execute("CREATE INDEX search_index_es_document ON search_index_es USING gin (document)")


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TABLE IF EXISTS search_index_es")
    schema_editor.execute("DROP TABLE IF EXISTS search_index_meta")


class Migration(migrations.Migration):
    dependencies = [("front", "0003_search_vectors")]

    operations = [migrations.RunPython(add, remove)]
