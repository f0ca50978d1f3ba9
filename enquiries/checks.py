"""Deployment checks (`manage.py check --deploy`) for the enquiry hold's Redis.

Eviction policy belongs to a Redis instance, not to one of its numbered databases: the
hold must be an instance of its own, set never to evict.
"""

import urllib.parse

import redis
from django.conf import settings
from django.core import checks


def _instance(url):
    parts = urllib.parse.urlsplit(url)
    return parts.hostname, parts.port or 6379


@checks.register(checks.Tags.caches, deploy=True)
def hold_is_a_redis_that_never_evicts(app_configs=None, **kwargs):
    url = settings.ENQUIRY_HOLD_REDIS_URL
    if not url:
        return [
            checks.Warning(
                "ENQUIRY_HOLD_REDIS_URL is not set: enquiries sent while the database is "
                "unreachable are handed back to their senders rather than held.",
                hint="Give it a Redis instance of its own, maxmemory-policy noeviction "
                "(README, 'What production must set').",
                id="enquiries.W001",
            )
        ]
    if settings.REDIS_URL and _instance(url) == _instance(settings.REDIS_URL):
        return [
            checks.Error(
                "ENQUIRY_HOLD_REDIS_URL names the page cache's Redis instance, which may "
                "evict: held enquiries could be lost.",
                hint="Run a second Redis instance for the hold, maxmemory-policy noeviction.",
                id="enquiries.E001",
            )
        ]
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        policy = client.config_get("maxmemory-policy").get("maxmemory-policy")
    except redis.RedisError as error:
        return [
            checks.Warning(
                f"The enquiry hold's Redis could not be asked its eviction policy ({error}).",
                id="enquiries.W002",
            )
        ]
    if policy != "noeviction":
        return [
            checks.Error(
                f"The enquiry hold's Redis evicts keys (maxmemory-policy {policy}): held "
                "enquiries could be lost.",
                hint="Set maxmemory-policy noeviction in that instance's configuration.",
                id="enquiries.E002",
            )
        ]
    return []
