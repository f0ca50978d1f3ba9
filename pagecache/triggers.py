"""Database triggers that change the content version whenever a public table changes.

A content app lists its tables in a migration with `watch_tables(...)`. On
PostgreSQL the triggers are constraint triggers deferred to commit: the version row
is locked last, only while the transaction commits, so two editors' transactions
never deadlock over it, and the new version becomes visible in the same instant as
the content. SQLite runs one write transaction at a time, so plain row triggers do.

The version is random rather than a counter: after a flush (tests) or a restore the
row is recreated, and a counter starting again at 1 could meet pages stored before.

SQLite rebuilds a table to alter it, dropping its triggers, so after every `migrate`
`ensure_triggers` puts back any that are missing on the tables the applied
migrations watch, and changes the version (a migration may have changed content).
"""

import secrets

from django.db import migrations
from django.db.migrations.loader import MigrationLoader

FUNCTION = "pagecache_bump_version"

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$
BEGIN
    INSERT INTO pagecache_contentversion (id, version)
    VALUES (1, floor(random() * 9000000000000000000)::bigint)
    ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""

_SQLITE_BUMP = (
    "INSERT INTO pagecache_contentversion (id, version) VALUES (1, random()) "
    "ON CONFLICT(id) DO UPDATE SET version = excluded.version;"
)

_OPERATIONS = ("INSERT", "UPDATE", "DELETE")


def trigger_names(table):
    """The triggers `watch_tables` puts on `table` (PostgreSQL has one more for TRUNCATE)."""
    return [f"pagecache_{table}_{operation.lower()}" for operation in _OPERATIONS]


def _existing_triggers(cursor, connection):
    if connection.vendor == "postgresql":
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'pagecache%%'")
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    return {row[0] for row in cursor.fetchall()}


def _install(tables, connection):
    with connection.cursor() as cursor:
        existing = _existing_triggers(cursor, connection)
        for table in tables:
            if connection.vendor == "postgresql":
                if f"pagecache_{table}_change" in existing:
                    continue
                cursor.execute(
                    f"CREATE CONSTRAINT TRIGGER pagecache_{table}_change "
                    f"AFTER INSERT OR UPDATE OR DELETE ON {table} "
                    f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
                )
                cursor.execute(
                    f"CREATE TRIGGER pagecache_{table}_truncate AFTER TRUNCATE ON {table} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
                )
            elif connection.vendor == "sqlite":
                for operation, name in zip(_OPERATIONS, trigger_names(table), strict=True):
                    if name in existing:
                        continue
                    cursor.execute(
                        f"CREATE TRIGGER {name} AFTER {operation} ON {table} "
                        f"BEGIN {_SQLITE_BUMP} END"
                    )
            else:
                raise NotImplementedError(f"No page cache triggers for {connection.vendor}.")


def _uninstall(tables, connection):
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS pagecache_{table}_change ON {table}")
                cursor.execute(f"DROP TRIGGER IF EXISTS pagecache_{table}_truncate ON {table}")
            else:
                for name in trigger_names(table):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


class WatchTables(migrations.RunPython):
    """A migration operation: any write to these tables changes the content version."""

    def __init__(self, *tables):
        self.tables = tables
        super().__init__(
            lambda apps, schema_editor: _install(tables, schema_editor.connection),
            lambda apps, schema_editor: _uninstall(tables, schema_editor.connection),
            elidable=False,
        )

    def describe(self):
        return f"Change the page cache's content version on writes to {', '.join(self.tables)}"


watch_tables = WatchTables


def watched_tables(connection):
    """The tables that the migrations applied to this database watch."""
    loader = MigrationLoader(connection)
    return [
        table
        for key in loader.applied_migrations
        if key in loader.disk_migrations
        for operation in loader.disk_migrations[key].operations
        if isinstance(operation, WatchTables)
        for table in operation.tables
    ]


def ensure_triggers(connection):
    """Put back triggers a table rebuild dropped, and change the content version."""
    tables = watched_tables(connection)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables"
            if connection.vendor == "postgresql"
            else "SELECT name FROM sqlite_master WHERE type = 'table'"
        )
        present = {row[0] for row in cursor.fetchall()}
    _install([table for table in tables if table in present], connection)
    bump_version(connection)


def bump_version(connection):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE pagecache_contentversion SET version = %s WHERE id = 1",
            [secrets.randbits(62)],
        )


def install_function(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_PG_FUNCTION)


def remove_function(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
