"""With the database away, a page already cached is still served; once it is back, pages
are current again. The database is cut for real (tests/outage.py)."""

import time

import lxml.html
import pytest
from django.core.cache import caches

from articles.models import Article
from pagecache import middleware
from pagecache.store import page_store
from tests.factories import set_clinic
from tests.outage import ProductionClient

ARTICLE = "/articles/who-can-benefit-from-ketamine-therapy/"


@pytest.fixture(params=["database", "redis"])
def pages_cache(request, settings):
    """The page cache as production has it: Redis, or the database table without Redis."""
    if request.param == "redis":
        settings.CACHES = {
            **settings.CACHES,
            "pages": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": request.getfixturevalue("redis_url"),
            },
        }
        caches["pages"].clear()
    page_store()._shared_down_until = 0
    yield request.param
    page_store()._shared_down_until = 0
    if request.param == "redis":
        caches["pages"].clear()


@pytest.fixture
def visitor(monkeypatch):
    monkeypatch.setattr(middleware, "DATABASE_RETRY_SECONDS", 0.3)
    return ProductionClient(raise_request_exception=False)


def test_a_cached_page_outlives_the_database_and_is_current_once_it_returns(
    committed_seed, database_outage, pages_cache, visitor
):
    set_clinic(crisis_line="0800 111 222")
    first = visitor.get(ARTICLE)
    assert first["X-Page-Cache"] == "miss"

    database_outage.cut()
    for _ in range(2):  # the first finds the database gone; the next does not ask it again
        during = visitor.get(ARTICLE)
        assert (during.status_code, during["X-Page-Cache"]) == (200, "stale")
        assert during.content == first.content
    page_store().clear_local()  # another process, or a restarted one
    elsewhere = visitor.get(ARTICLE)
    if pages_cache == "redis":
        assert (elsewhere.status_code, elsewhere["X-Page-Cache"]) == (200, "stale")
    else:  # the shared copies were in the database too: only a process's own memory is left
        assert elsewhere.status_code == 503
    never_cached = visitor.get("/safety/")
    assert never_cached.status_code == 503
    assert "Call 0800 111 222" in lxml.html.fromstring(never_cached.content).text_content()

    database_outage.restore()
    Article.objects.filter(slug="who-can-benefit-from-ketamine-therapy").update(
        title="Written while the site was down"
    )
    time.sleep(middleware.DATABASE_RETRY_SECONDS)
    after = visitor.get(ARTICLE)
    assert (after.status_code, after["X-Page-Cache"]) == (200, "miss")
    assert "Written while the site was down" in after.content.decode()
    assert visitor.get("/safety/").status_code == 200
