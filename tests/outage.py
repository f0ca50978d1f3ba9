"""Take the database away and bring it back, for real, during a test.

On PostgreSQL every connection goes through a TCP proxy the test controls
(deploy/tcp_proxy.py): cutting it breaks the open connections and refuses new ones,
as a database server that went away does. On SQLite the database file is made
unopenable. Either way Django sees the OperationalError production would see.

`ProductionClient` closes broken connections around each request, as Django's
request handler does in production (the test client leaves that out).
"""

import os
import subprocess
import sys
import time
from pathlib import Path

from django.db import close_old_connections, connection, connections
from django.test import Client, RequestFactory

from clinic import lifeline
from clinic.lifeline import render_without_database
from enquiries.forms import OfflineEnquiryForm
from tests.factories import enquiry_data, set_clinic
from tests.ports import free_port

REPO = Path(__file__).resolve().parent.parent
PROXY = REPO / "deploy" / "tcp_proxy.py"


class DatabaseOutage:
    def __init__(self):
        self.settings = connections.settings["default"]  # shared by every thread's connection
        self.original = dict(self.settings)
        self.proxy = None
        if connection.vendor == "postgresql":
            self.target = f"{self.original['HOST'] or '127.0.0.1'}:{self.original['PORT'] or 5432}"
            self.port = free_port()
            self._start_proxy()
            self.settings.update(HOST="127.0.0.1", PORT=str(self.port))
        connections.close_all()

    def cut(self):
        if connection.vendor == "postgresql":
            self.proxy.kill()
            self.proxy.wait()
        else:
            self.settings["NAME"] = str(REPO / "var" / "no-such-directory" / "db.sqlite3")
            connections.close_all()

    def restore(self):
        if connection.vendor == "postgresql":
            self._start_proxy()
        else:
            self.settings["NAME"] = self.original["NAME"]
        connections.close_all()

    def end(self):
        if self.proxy and self.proxy.poll() is None:
            self.proxy.kill()
            self.proxy.wait()
        self.settings.clear()
        self.settings.update(self.original)
        connections.close_all()

    @property
    def url(self):
        """DATABASE_URL for another process, through the proxy on PostgreSQL."""
        if connection.vendor == "postgresql":
            user = self.original["USER"] or "postgres"
            return f"postgres://{user}@127.0.0.1:{self.port}/{self.original['NAME']}"
        return f"sqlite:///{self.original['NAME']}"

    def _start_proxy(self):
        self.proxy = subprocess.Popen(
            [sys.executable, str(PROXY), str(self.port), self.target],
            stdout=subprocess.PIPE,
            text=True,
        )
        self.proxy.stdout.readline()  # "listening on …": the port is open


class ProductionClient(Client):
    def request(self, **request):
        close_old_connections()
        try:
            return super().request(**request)
        finally:
            close_old_connections()


def database_url():
    """DATABASE_URL of the test database, for another process (no proxy)."""
    settings = connections.settings["default"]
    if connection.vendor == "postgresql":
        user = settings["USER"] or "postgres"
        host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
        return f"postgres://{user}@{host}:{port}/{settings['NAME']}"
    return f"sqlite:///{settings['NAME']}"


def wait_for(predicate, timeout=20, interval=0.05):
    """Seconds until `predicate()` held; fails the test after `timeout`."""
    began = time.monotonic()
    while not predicate():
        if time.monotonic() - began > timeout:
            raise AssertionError(f"not within {timeout} s")
        time.sleep(interval)
    return time.monotonic() - began


def subprocess_environment(**extra):
    return {**os.environ, "PYTHONUNBUFFERED": "1", **extra}


def outage_pages():
    """Each page the site renders without the database, by name (for HTML and axe checks)."""
    lifeline.remember(set_clinic(phone="555 010 0199", email="hello@clinic.example"))
    form = OfflineEnquiryForm(data=enquiry_data(email="", phone="", message="My words."))
    form.is_valid()
    unreadable = (
        "This form was sent in the utf-16 character encoding, which this site does not read."
    )
    return {
        "503": render_without_database("503.html", status=503),
        "500": render_without_database("500.html", status=500),
        "400": render_without_database("400.html", {"reason": unreadable}, status=400),
        "words-back": render_without_database(
            "enquiries/unavailable.html",
            {"form": form},
            status=503,
            request=RequestFactory().post("/enquire/"),
        ),
        "held": render_without_database(
            "enquiries/thanks.html",
            {"base": "errors/base.html", "reference": "ENQ-ABCD2345", "urgent": True, "held": True},
            status=200,
        ),
    }
