from django.db import models


class ContentVersion(models.Model):
    """One row whose `version` changes in the same transaction as any public content.

    Database triggers on every content table write a new random version when a row
    is inserted, updated or deleted (see `triggers.py`), so no code path, whether
    the admin, `loaddata`, a queryset `update()` or raw SQL, can change a public
    page without changing the version. Cached pages are stored under the version,
    so the next request after the commit looks for a key nobody has stored yet.
    """

    version = models.BigIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="content_version_single_row"),
        ]

    def __str__(self):
        return f"Content version {self.version}"


def current_version(connection):
    """The content version now committed, or None when the row is missing (after a flush).

    Read with one plain query rather than the ORM: it runs on every public request.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM pagecache_contentversion WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None
