"""The post limit lives in the shared cache: the database table, or Redis."""

import socket

import pytest
from django.core.cache import caches
from django.test import RequestFactory

from enquiries import throttling


def _redis_reachable():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.fixture(params=["database", "redis"])
def shared_cache(request, settings, db):
    if request.param == "redis":
        if not _redis_reachable():
            pytest.skip("no Redis server on 127.0.0.1:6379")
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": "redis://127.0.0.1:6379/15",
            }
        }
    caches["default"].clear()
    yield request.param
    caches["default"].clear()


def test_limit_counts_posts_per_client_in_the_shared_cache(shared_cache, settings):
    settings.ENQUIRY_RATE_LIMIT = (3, 60)
    factory = RequestFactory()
    first = factory.post("/enquire/", REMOTE_ADDR="192.0.2.1")
    other = factory.post("/enquire/", REMOTE_ADDR="192.0.2.2")
    assert [throttling.allow_post(first) for _ in range(4)] == [True, True, True, False]
    assert throttling.allow_post(other) is True


def test_forwarded_address_is_trusted_only_behind_a_configured_proxy(settings):
    request = RequestFactory().post(
        "/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.5"
    )
    settings.NUM_PROXIES = 0
    assert throttling.client_address(request) == "10.0.0.9"
    settings.NUM_PROXIES = 1
    assert throttling.client_address(request) == "203.0.113.5"
