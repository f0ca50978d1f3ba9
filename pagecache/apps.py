from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def _ensure_triggers(sender, using, **kwargs):
    from .triggers import ensure_triggers

    ensure_triggers(connections[using])


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "public page cache"

    def ready(self):
        # Sent once per app after all migrations have run; this listens for ours only.
        post_migrate.connect(_ensure_triggers, sender=self, dispatch_uid="pagecache_triggers")
