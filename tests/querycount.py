"""Count the queries a page costs to render, apart from the page cache's own.

The page cache adds a constant cost to a miss (read the version, look, store); the
tests that pin a page's rendering budget count the rest.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

PAGE_CACHE_TABLES = ("django_page_cache", "pagecache_contentversion")


def rendering_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "miss", "a rendering budget is measured on a miss"
    return [
        query["sql"]
        for query in captured.captured_queries
        if not any(table in query["sql"] for table in PAGE_CACHE_TABLES)
        and not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ], response
