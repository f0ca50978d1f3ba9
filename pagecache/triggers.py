"""Database triggers that change the content version whenever a public table changes.

A content app lists its tables in a migration with `watch_tables(...)`. On
PostgreSQL the triggers are constraint triggers deferred to commit: the version row
is locked last, only while the transaction commits, so two editors' transactions
never deadlock over it, and the new version becomes visible in the same instant as
the content. SQLite runs one write transaction at a time, so plain row triggers do.

The version is random rather than a counter: after a flush (tests) or a restore the
row is recreated, and a counter starting again at 1 could meet pages stored before.
"""

from django.db import migrations

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


def _install(tables, connection):
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
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


def watch_tables(*tables):
    """A migration operation: any write to these tables changes the content version."""
    return migrations.RunPython(
        lambda apps, schema_editor: _install(tables, schema_editor.connection),
        lambda apps, schema_editor: _uninstall(tables, schema_editor.connection),
        elidable=False,
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
