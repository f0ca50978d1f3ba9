"""The post limit is counted in the database, where nothing a visitor does can evict it."""

import pytest
import redis
from django.core.cache import caches
from django.test import Client, RequestFactory

from enquiries import throttling
from enquiries.models import PostCount
from tests.factories import enquiry_data

pytestmark = pytest.mark.django_db


def test_limit_counts_posts_per_client(settings):
    settings.ENQUIRY_RATE_LIMIT = (3, 60)
    factory = RequestFactory()
    first = factory.post("/enquire/", REMOTE_ADDR="192.0.2.1")
    other = factory.post("/enquire/", REMOTE_ADDR="192.0.2.2")
    assert [throttling.allow_post(first) for _ in range(4)] == [True, True, True, False]
    assert throttling.allow_post(other) is True
    assert sorted(PostCount.objects.values_list("count", flat=True)) == [1, 4]
    assert not any("192.0.2" in key for key in PostCount.objects.values_list("key", flat=True))


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
    request = RequestFactory().post("/enquire/", REMOTE_ADDR="192.0.2.9")
    results = run_at_once(lambda: throttling.allow_post(request), 20, timeout=30)
    assert sorted(results) == [False] * 10 + [True] * 10


def test_a_new_window_starts_a_new_count(settings, monkeypatch):
    settings.ENQUIRY_RATE_LIMIT = (1, 60)
    request = RequestFactory().post("/enquire/", REMOTE_ADDR="192.0.2.3")
    monkeypatch.setattr(throttling, "_now", lambda: 6000.0)
    assert [throttling.allow_post(request) for _ in range(2)] == [True, False]
    monkeypatch.setattr(throttling, "_now", lambda: 6061.0)
    assert throttling.allow_post(request) is True


@pytest.mark.parametrize("policy", ["allkeys-lru", "volatile-lru", "noeviction"])
def test_filling_a_small_redis_never_lets_a_client_past_the_limit(settings, small_redis, policy):
    """Production shared one Redis between pages and rate limits: made-up searches filled
    it, and then the counts were evicted (under an LRU policy) or could not be written
    (noeviction, and the post was let through). Here the Redis, configured as production
    had it, has 2 MB and is filled by visitors' searches and by pages."""
    url = small_redis(policy)
    shared = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    settings.CACHES = {"default": shared, "pages": shared}
    settings.ENQUIRY_RATE_LIMIT = (3, 900)
    client = Client(REMOTE_ADDR="203.0.113.7")
    assert [client.post("/enquire/", enquiry_data()).status_code for _ in range(3)] == [302] * 3

    for number in range(40):
        client.get(f"/search/?q=ketamine+{number}")
    pages = caches["pages"]
    for number in range(400):  # whatever else fills the page cache: many pages, big ones
        try:
            pages.set(f"filler-{number}", "x" * 10_000, timeout=3600)
        except redis.exceptions.ResponseError:  # noeviction: full
            break
    info = redis.Redis.from_url(url).info()
    assert info["used_memory"] > 1_500_000, "the Redis is full"
    assert info["evicted_keys"] > 0 or policy == "noeviction"

    assert client.get("/safety/").status_code == 200, "pages still answer, full or not"
    refused = client.post("/enquire/", enquiry_data(message="A fourth post in the window."))
    assert refused.status_code == 429
    assert "A fourth post in the window." in refused.content.decode(), "their words kept"
