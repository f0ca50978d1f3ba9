"""The page cache as visitors, staff and proxies meet it: hits, privacy, HTTP headers."""

import logging

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver

from articles.models import Article
from pagecache.store import page_store
from tests.factories import enquiry_data

pytestmark = pytest.mark.django_db

ARTICLE = "/articles/who-can-benefit-from-ketamine-therapy/"
PUBLIC_PAGES = [
    "/",
    "/articles/",
    ARTICLE,
    "/treatments/",
    "/treatments/iv-ketamine-infusion/",
    "/candidacy/",
    "/safety/",
    "/privacy/",
    "/accessibility/",
    "/glossary/",
    "/editorial-policy/",
    "/references/how-to-read/",
    "/sitemap.xml",
    "/search/",
    "/robots.txt",
    "/references/all.bib",
    "/articles/who-can-benefit-from-ketamine-therapy/references.ris",
    "/topics/safety/references.json",
]


# Every route that is not a public page, and why it never enters the cache.
NOT_PUBLIC = {
    "articles:preview": "staff preview of drafts",
    "topics:preview": "staff preview of drafts",
    "enquiries:enquire": "carries each visitor's own CSRF token and start time",
    "enquiries:thanks": "shows a visitor's own reference, from their own cookie",
    "review_schedule": "staff only",
    "claims_to_settle": "staff only",
    "markdownx_markdownify": "staff editor endpoint",
    "markdownx_upload": "staff editor endpoint",
    "feedback:send": "a POST only; what it stores is never shown publicly",
    "feedback:thanks": "a reader's own thank-you, perhaps with the crisis box",
    "favicon.ico": "a redirect to the hashed icon, kept by browsers as a permanent one",
}


def _routes(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue  # the admin, all staff-only and never_cache
            yield from _routes(pattern.url_patterns, pattern.namespace or namespace)
        else:
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name or str(pattern.pattern), pattern.callback


def test_every_route_is_a_public_page_or_said_not_to_be():
    unclassified = [
        name
        for name, view in _routes(get_resolver().url_patterns)
        if not getattr(view, "public_page", False) and name not in NOT_PUBLIC
    ]
    assert not unclassified, (
        f"Wrap {unclassified} in pagecache.decorators.public_page (and add it to PUBLIC_PAGES), "
        "or add it to NOT_PUBLIC saying why it must never be cached"
    )


@pytest.fixture
def visitor():
    return Client()


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_second_anonymous_request_is_a_hit_with_the_same_bytes(visitor, url):
    first = visitor.get(url)
    second = visitor.get(url)
    assert (first.status_code, first["X-Page-Cache"]) == (200, "miss")
    assert (second.status_code, second["X-Page-Cache"]) == (200, "hit")
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_a_hit_renders_no_template_and_reads_at_most_twice(visitor):
    visitor.get(ARTICLE)
    page_store().clear_local()  # as another process would: only the shared cache has it
    with CaptureQueriesContext(connection) as shared_hit:
        response = visitor.get(ARTICLE)
    assert response["X-Page-Cache"] == "hit"
    assert response.templates == []
    assert len(shared_hit) == 2, [q["sql"] for q in shared_hit]
    with CaptureQueriesContext(connection) as local_hit:
        assert visitor.get(ARTICLE)["X-Page-Cache"] == "hit"
    assert [q["sql"] for q in local_hit] == [
        "SELECT version FROM pagecache_contentversion WHERE id = 1"
    ]
    touched = " ".join(q["sql"] for q in shared_hit.captured_queries)
    for table in ("django_session", "auth_user", "axes_"):
        assert table not in touched


def test_head_is_answered_from_the_cache_without_a_body(visitor):
    body = visitor.get(ARTICLE).content
    response = visitor.head(ARTICLE)
    assert response["X-Page-Cache"] == "hit"
    assert response.content == b""
    assert response["Content-Length"] == str(len(body))


def test_public_pages_may_be_kept_briefly_by_proxies(visitor, settings):
    settings.PAGE_CACHE_MAX_AGE = 7
    response = visitor.get("/safety/")
    assert set(response["Cache-Control"].split(", ")) == {
        "public",
        "max-age=7",
        "stale-while-revalidate=2",
    }
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies


def test_matching_etag_answers_304_without_a_body(visitor):
    etag = visitor.get(ARTICLE)["ETag"]
    assert etag.startswith('"') and len(etag) > 10
    response = visitor.get(ARTICLE, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert "max-age" in response["Cache-Control"]
    assert visitor.get(ARTICLE, headers={"If-None-Match": '"other"'}).status_code == 200


def test_no_last_modified_so_a_change_within_a_second_is_never_hidden(visitor):
    """Dates have one-second resolution; a page changed twice in a second must not 304."""
    first = visitor.get(ARTICLE)
    assert "Last-Modified" not in first
    Article.objects.filter(slug="who-can-benefit-from-ketamine-therapy").update(title="Again")
    response = visitor.get(ARTICLE, headers={"If-Modified-Since": "Sat, 01 Jan 2100 00:00:00 GMT"})
    assert response.status_code == 200
    assert "Again" in response.content.decode()


def test_etag_changes_when_the_page_changes(visitor):
    before = visitor.get(ARTICLE)["ETag"]
    Article.objects.filter(slug="who-can-benefit-from-ketamine-therapy").update(
        title="A retitled article"
    )
    response = visitor.get(ARTICLE, headers={"If-None-Match": before})
    assert response.status_code == 200
    assert "A retitled article" in response.content.decode()


def test_query_parameters_no_page_reads_cannot_multiply_copies(visitor):
    visitor.get("/safety/")
    for query in ["utm_source=news&fbclid=abc", "x=1", "x=2", "cachebuster=987654"]:
        assert visitor.get(f"/safety/?{query}")["X-Page-Cache"] == "hit", query


def test_pages_read_with_words_a_visitor_chose_are_never_stored(visitor):
    """Each made-up search would otherwise take a place in the shared cache for a day, and
    push out pages patients need (or, sharing a Redis, anything else kept there)."""
    for query in ["one", "one", "two", "one&utm_source=x"]:
        response = visitor.get(f"/search/?q={query}")
        assert (response.status_code, response["X-Page-Cache"]) == (200, "bypass"), query
        assert "public" in response["Cache-Control"], "a browser may still keep it"
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_page_cache")
        assert cursor.fetchone()[0] == 0
    visitor.get("/safety/")
    assert visitor.get("/safety/?q=anything")["X-Page-Cache"] == "hit", "only /search/ reads q"


def test_a_made_up_session_cookie_cannot_force_a_fresh_render(visitor):
    visitor.get(ARTICLE)
    visitor.cookies["sessionid"] = "not-a-session-anybody-has"
    response = visitor.get(ARTICLE)
    assert response["X-Page-Cache"] == "hit"
    assert "public" in response["Cache-Control"]


def test_staff_never_get_a_cached_page_and_never_fill_the_cache(visitor, staff_client):
    visitor.get(ARTICLE)  # in the cache now
    response = staff_client.get(ARTICLE)
    assert response["X-Page-Cache"] == "bypass"
    assert response.templates, "staff get a freshly rendered page"
    assert set(response["Cache-Control"].split(", ")) == {"private", "no-store"}
    page_store().clear_local()
    Article.objects.filter(slug="who-can-benefit-from-ketamine-therapy").update(title="Changed")
    staff_client.get(ARTICLE)  # rendered for staff only: must not be stored
    assert visitor.get(ARTICLE)["X-Page-Cache"] == "miss"


def test_previews_are_private_and_never_stored(staff_client, visitor):
    draft = Article.objects.create(
        title="Unreleased draft",
        slug="unreleased-draft",
        summary="s",
        author_name="a",
        publisher="p",
    )
    preview = staff_client.get(f"/articles/preview/{draft.pk}/")
    assert preview.status_code == 200
    assert "private" in preview["Cache-Control"] and "no-store" in preview["Cache-Control"]
    public = visitor.get("/articles/unreleased-draft/")
    assert public.status_code == 404
    assert "no-store" in public["Cache-Control"]
    assert "Unreleased draft" not in visitor.get("/articles/").content.decode()


def test_enquiry_form_carries_a_personal_token_and_is_never_stored(visitor):
    first = visitor.get("/enquire/")
    assert first.status_code == 200
    assert "csrfmiddlewaretoken" in first.content.decode()
    assert set(first["Cache-Control"].split(", ")) == {"private", "no-store"}
    assert "X-Page-Cache" not in first
    assert Client().get("/enquire/").templates, "each visitor gets a form of their own"


def test_enquiry_post_errors_and_thanks_are_private(visitor):
    visitor.get("/enquire/")
    errors = visitor.post("/enquire/", enquiry_data(message=""))
    assert errors.status_code == 200
    assert "no-store" in errors["Cache-Control"]
    sent = visitor.post("/enquire/", enquiry_data(), follow=True)
    assert sent.redirect_chain[-1][0] == "/enquire/thanks/"
    assert set(sent["Cache-Control"].split(", ")) == {"private", "no-store"}


def test_a_visitor_with_session_data_gets_fresh_private_pages(visitor):
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session["something"] = "personal"
    session.save()
    visitor.cookies["sessionid"] = session.session_key
    response = visitor.get("/safety/")
    assert response["X-Page-Cache"] == "bypass"
    assert "no-store" in response["Cache-Control"]


def test_sending_an_enquiry_makes_no_session_so_pages_stay_shared(visitor):
    visitor.get("/safety/")
    visitor.post("/enquire/", enquiry_data(), follow=True)
    assert "sessionid" not in visitor.cookies
    assert visitor.get("/safety/")["X-Page-Cache"] == "hit"


def test_admin_pages_are_never_cached(staff_client):
    response = staff_client.get("/admin/")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_public_files_streamed_by_django_stay_public(visitor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff not really a photo")
    response = visitor.get("/media/photo.jpg")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "no-store" not in response["Cache-Control"]


def test_pages_and_enquiries_survive_both_caches_down(visitor, settings, caplog):
    """In production both caches are one Redis: when it goes, both go at once."""
    down = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    settings.CACHES = {"default": down, "pages": down}
    page_store()._shared_down_until = 0
    try:
        assert visitor.get("/safety/").status_code == 200
        assert visitor.get("/enquire/").status_code == 200
        response = visitor.post("/enquire/", enquiry_data(message="Still stored."))
        assert response.status_code == 302
        from enquiries.models import Enquiry

        assert Enquiry.objects.filter(message="Still stored.").exists()
    finally:
        page_store()._shared_down_until = 0


@pytest.mark.parametrize(
    "broken_cache",
    [
        # A Redis that is not there (nothing listens on port 1).
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
        # A database cache whose table is gone.
        {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "no_such_table"},
    ],
    ids=["redis-down", "table-missing"],
)
@pytest.mark.django_db(transaction=True)
def test_public_pages_still_answer_when_the_cache_is_down(
    committed_seed, visitor, settings, caplog, broken_cache
):
    """Committed, as in production, where a failed cache query aborts no request's transaction."""
    settings.CACHES = {**settings.CACHES, "pages": broken_cache}
    page_store()._shared_down_until = 0
    try:
        with caplog.at_level(logging.ERROR, logger="pagecache.store"):
            for url in ["/", ARTICLE, "/safety/"]:
                page_store().clear_local()
                response = visitor.get(url)
                assert response.status_code == 200, url
        assert "Page cache 'pages' failed" in caplog.text
    finally:
        page_store()._shared_down_until = 0


def test_pages_are_shared_through_redis(visitor, settings, redis_url):
    """Production's shared cache: a page stored by one process is a hit in another."""
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url},
    }
    from django.core.cache import caches

    try:
        assert visitor.get(ARTICLE)["X-Page-Cache"] == "miss"
        page_store().clear_local()  # as another process would be
        hit = visitor.get(ARTICLE)
        assert hit["X-Page-Cache"] == "hit"
        assert b"Who Can Benefit From Ketamine Therapy?" in hit.content
    finally:
        caches["pages"].clear()  # Redis keeps what a test's rollback would have undone
