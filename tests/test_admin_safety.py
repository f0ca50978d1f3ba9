"""The admin: lockout after repeated failed logins, expiring sessions, no framing."""

import logging

import pytest
from django.conf import settings as django_settings

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/"


def test_repeated_failed_logins_lock_out_with_a_clear_message(client, staff_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(LOGIN, {"username": "editor", "password": "wrong"})
        assert response.status_code == 200  # the ordinary "incorrect" form
    response = client.post(LOGIN, {"username": "editor", "password": "wrong"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Sign-in temporarily locked" in page
    assert "ATMA CENA site administration" in page and "Django administration" not in page
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert f"blocked for {minutes} minutes" in page
    # Even the right password is refused while locked.
    response = client.post(LOGIN, {"username": "editor", "password": "pw"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_successful_login_still_works_before_the_limit(client, staff_user):
    client.post(LOGIN, {"username": "editor", "password": "wrong"})
    response = client.post(LOGIN, {"username": "editor", "password": "pw", "next": "/admin/"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff_user.pk)


def test_staff_sessions_end_with_the_browser_and_within_hours(client, staff_user):
    response = client.post(LOGIN, {"username": "editor", "password": "pw", "next": "/admin/"})
    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert not cookie["expires"] and not cookie["max-age"]  # a browser-session cookie
    assert client.session.get_expire_at_browser_close()
    assert 0 < client.session.get_expiry_age() <= 8 * 60 * 60


def test_admin_cannot_be_framed_by_another_site(staff_client):
    response = staff_client.get("/admin/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_a_refusal_explains_itself_in_the_admins_style(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("x", password="pw", is_staff=True))
    response = client.get("/admin/review-schedule/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "You can't open this page" in page
    assert "ATMA CENA site administration" in page and "Django administration" not in page
    assert "ask a site administrator to add you to the right group" in page
    assert "(x)" in page  # which account it is


def test_a_refusal_is_one_line_in_the_log_not_a_traceback(client, django_user_model, caplog):
    client.force_login(django_user_model.objects.create_user("x", password="pw", is_staff=True))
    with caplog.at_level(logging.INFO, logger="django.request"):
        assert client.get("/admin/review-schedule/").status_code == 403
    refusals = [r for r in caplog.records if r.name == "django.request"]
    assert [r.levelname for r in refusals] == ["INFO"]
    assert refusals[0].getMessage() == "Forbidden (Permission denied): /admin/review-schedule/"
    assert refusals[0].exc_info is None


def test_an_unexpected_error_is_still_logged_with_its_traceback(client, caplog):
    from django.core.exceptions import SuspiciousOperation

    from atma_site.log_filters import ExpectedRefusals

    try:
        raise SuspiciousOperation("a forged header")
    except SuspiciousOperation as error:
        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "boom", (), (type(error), error, None)
        )
    assert ExpectedRefusals().filter(record)
    assert record.levelname == "ERROR" and record.exc_info is not None
