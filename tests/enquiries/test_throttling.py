"""The post limit lives in the shared cache: the database table, or Redis."""

import pytest
from django.core.cache import caches
from django.test import RequestFactory

from enquiries import throttling


@pytest.fixture(params=["database", "redis"])
def shared_cache(request, settings, db):
    if request.param == "redis":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": request.getfixturevalue("redis_url"),  # the suite's own server
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


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_cannot_exceed_the_limit(settings):
    """Twenty posts at once from one client, limit ten: exactly ten pass."""
    from tests.concurrency import run_at_once

    settings.ENQUIRY_RATE_LIMIT = (10, 600)
    caches["default"].clear()
    request = RequestFactory().post("/enquire/", REMOTE_ADDR="192.0.2.9")
    results = run_at_once(lambda: throttling.allow_post(request), 20, timeout=30)
    assert sorted(results) == [False] * 10 + [True] * 10


def test_a_new_window_starts_a_new_count(shared_cache, settings, monkeypatch):
    settings.ENQUIRY_RATE_LIMIT = (1, 60)
    request = RequestFactory().post("/enquire/", REMOTE_ADDR="192.0.2.3")
    monkeypatch.setattr(throttling, "_now", lambda: 6000.0)
    assert [throttling.allow_post(request) for _ in range(2)] == [True, False]
    monkeypatch.setattr(throttling, "_now", lambda: 6061.0)
    assert throttling.allow_post(request) is True
