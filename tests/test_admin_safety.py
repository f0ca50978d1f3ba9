"""The admin: lockout after repeated failed logins, expiring sessions, no framing."""

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
    assert "Sign-in temporarily locked" in response.content.decode()
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
