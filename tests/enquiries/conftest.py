import pytest
from django.contrib.auth.models import Group

from tests.enquiries.smtp import HungSmtpServer, SmtpServer


@pytest.fixture
def make_staff(django_user_model):
    def make(username, *, group=None, email=None):
        user = django_user_model.objects.create_user(
            username, email=email or f"{username}@clinic.example", password="pw", is_staff=True
        )
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    return make


def _use_mail_server(settings, port, timeout):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = timeout


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server the site sends to; `.handler` says how it answers and what came."""
    with SmtpServer() as server:
        _use_mail_server(settings, server.port, timeout=5)
        yield server.handler


@pytest.fixture
def hung_smtp_server(settings):
    """A mail server that accepts connections and never answers."""
    with HungSmtpServer() as server:
        _use_mail_server(settings, server.port, timeout=1)
        yield server
