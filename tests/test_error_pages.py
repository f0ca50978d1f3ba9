"""Error pages need no database and show the crisis numbers last published."""

import time

import lxml.html
import pytest
from django.test import Client

from front.views import HomeView
from pagecache import middleware
from tests.factories import set_clinic
from tests.outage import ProductionClient

pytestmark = pytest.mark.django_db


def _text(response):
    return " ".join(lxml.html.fromstring(response.content).text_content().split())


def test_a_server_error_shows_the_clinics_crisis_numbers(monkeypatch):
    set_clinic(crisis_line="0800 111 222", emergency_number="112", phone="555 010 0199")
    Client().get("/safety/")  # rendered: the values are this process's newest

    def broken(self, request, *args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(HomeView, "get", broken)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    text = _text(response)
    assert "Something went wrong on our side" in text
    assert "Call 0800 111 222" in text and "Emergency 112" in text
    assert "555 010 0199" in text, "and the clinic's own number"
    assert 'href="tel:0800111222"' in response.content.decode()


def test_the_database_gone_answers_503_with_the_numbers_last_published(
    committed_seed, database_outage, monkeypatch
):
    monkeypatch.setattr(middleware, "DATABASE_RETRY_SECONDS", 0.3)
    set_clinic(crisis_line="0800 111 222")
    visitor = ProductionClient(raise_request_exception=False)
    assert visitor.get("/enquire/").status_code == 200
    database_outage.cut()
    response = visitor.get("/enquire/")  # never cached: it needs the database
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    text = _text(response)
    assert "This page is not available just now" in text
    assert "Call 0800 111 222" in text
    database_outage.restore()
    time.sleep(middleware.DATABASE_RETRY_SECONDS)
    assert visitor.get("/enquire/").status_code == 200


POST_ADDRESSES = [
    "/enquire/",
    "/admin/login/",
    "/admin/articles/article/add/",
    "/markdownx/markdownify/",
    "/search/",
    "/",
]


@pytest.fixture
def browser_with_csrf(staff_user):
    """As a browser posts: CSRF enforced, with its cookie and token (so the check reads the
    body); signed in, so the staff addresses read it too."""
    browser = Client(enforce_csrf_checks=True, raise_request_exception=False)
    browser.force_login(staff_user)
    browser.get("/enquire/")
    return browser, browser.cookies["csrftoken"].value


@pytest.mark.parametrize("charset", ["utf-16", "utf-7", "latin-1"])
@pytest.mark.parametrize("url", POST_ADDRESSES)
def test_a_form_body_in_another_charset_answers_400_saying_why(browser_with_csrf, url, charset):
    browser, token = browser_with_csrf
    body = f"csrfmiddlewaretoken={token}&message=hello".encode(charset)
    for content_type in ("application/x-www-form-urlencoded", "multipart/form-data; boundary=x"):
        response = browser.generic(
            "POST",
            url,
            data=body,
            content_type=f"{content_type}; charset={charset}",
            HTTP_X_CSRFTOKEN=token,
        )
        assert response.status_code == 400, (url, content_type)
        text = _text(response)
        assert f"sent in the {charset} character encoding" in text
        assert "nothing was stored" in text
        assert "Call 988" in text


def test_a_body_django_refuses_answers_400_not_500(browser_with_csrf):
    """Too many fields: Django refuses the body, and its own 400 page read it again."""
    browser, token = browser_with_csrf
    body = f"csrfmiddlewaretoken={token}&" + "&".join(f"f{n}=x" for n in range(1100))
    response = browser.generic(
        "POST", "/enquire/", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "We could not read what was sent" in _text(response)
