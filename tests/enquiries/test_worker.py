"""The notification worker recovers fast: a killed worker's notification goes out soon after,
a long send keeps its claim, and a server that never finishes is cut off.

Workers here are real processes (`manage.py notification_worker`) against a real SMTP
server (aiosmtpd) on loopback, killed with SIGKILL as the kernel's OOM killer or a lost
machine would.
"""

import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.utils import timezone

from enquiries.models import Notification
from enquiries.notifications import deliver_due
from tests.enquiries.smtp import DribblingSmtpServer, SmtpServer
from tests.factories import make_enquiry
from tests.outage import REPO, database_url, subprocess_environment, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

CLAIM_SECONDS = 2  # production's is 30: see test_a_claim_outlives_a_dead_worker_by_half_a_minute


@pytest.fixture
def slow_smtp():
    """A real SMTP server that thinks 30 s over each message, until told otherwise."""
    with SmtpServer() as server:
        server.handler.delay = 30
        yield server


@pytest.fixture
def start_worker(tmp_path, slow_smtp):
    workers = []

    def start():
        environment = subprocess_environment(
            DATABASE_URL=database_url(),
            EMAIL_BACKEND="enquiries.mail.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(slow_smtp.port),
            EMAIL_TIMEOUT="60",
            NOTIFICATION_CLAIM_SECONDS=str(CLAIM_SECONDS),
            MEDIA_ROOT=str(tmp_path / "media"),
        )
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "notification_worker", "--poll", "0.1"],
            cwd=REPO,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGKILL)
        worker.wait()


def _status(notification):
    return Notification.objects.get(pk=notification.pk).status


def test_a_killed_workers_notification_is_sent_as_soon_as_its_claim_runs_out(
    committed_seed, slow_smtp, start_worker
):
    notification = make_enquiry(recipients=["desk@clinic.example"]).notifications.get()
    first = start_worker()
    wait_for(lambda: slow_smtp.handler.data_commands == 1)  # mid-send: the message is going
    first.send_signal(signal.SIGKILL)
    first.wait()
    killed_at = time.monotonic()
    slow_smtp.handler.delay = 0

    start_worker()  # as systemd restarts it (or another host's worker)
    wait_for(lambda: _status(notification) == "sent")
    retried_after = time.monotonic() - killed_at
    assert retried_after < CLAIM_SECONDS + 3, f"sent {retried_after:.1f} s after the kill"
    assert len(slow_smtp.handler.to("desk@clinic.example")) == 1


def test_a_long_send_keeps_its_claim_so_no_other_worker_sends_it_too(
    committed_seed, slow_smtp, start_worker
):
    slow_smtp.handler.delay = 3 * CLAIM_SECONDS  # each message takes longer than a claim lasts
    notification = make_enquiry(recipients=["desk@clinic.example"]).notifications.get()
    start_worker()
    wait_for(lambda: slow_smtp.handler.data_commands == 1)
    start_worker()  # a second worker, polling all the while
    wait_for(lambda: _status(notification) == "sent", timeout=30)
    assert slow_smtp.handler.data_commands == 1, "the lease was renewed: sent once"
    assert Notification.objects.get(pk=notification.pk).attempts == 1


def test_a_claim_outlives_a_dead_worker_by_half_a_minute():
    """Production's lease: an urgent enquiry's notification is retried within a minute."""
    assert settings.NOTIFICATION_CLAIM_SECONDS == 30


def test_a_server_that_never_finishes_its_greeting_is_cut_off(committed_seed, settings):
    """Each byte comes before EMAIL_TIMEOUT, so no read times out; the deadline ends it."""
    settings.EMAIL_BACKEND = "enquiries.mail.EmailBackend"  # production's
    settings.EMAIL_TIMEOUT = 0.3  # a deadline of 3 s
    settings.NOTIFICATION_CLAIM_SECONDS = 0.6  # renewed every 0.2 s meanwhile
    notification = make_enquiry(recipients=["desk@clinic.example"]).notifications.get()
    with DribblingSmtpServer() as server:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        began = time.monotonic()
        claimed_until = []
        watcher = _watch_claim(notification, claimed_until)
        assert deliver_due() == {"sent": 0, "retry": 1, "failed": 0}
        took = time.monotonic() - began
        watcher.join()
    assert 3 <= took < 4.5, took
    assert len(set(claimed_until)) >= 5, "the claim was renewed while the send went on"
    notification.refresh_from_db()
    assert notification.status == "pending" and notification.claimed_until is None
    assert "SMTPServerDisconnected" in notification.last_error


def _watch_claim(notification, seen, seconds=3):
    """Note the claim's expiry, as another process would see it, for `seconds`."""
    import threading

    from django.db import connections

    def watch():
        try:
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                value = Notification.objects.get(pk=notification.pk).claimed_until
                if value and value > timezone.now():
                    seen.append(value)
                time.sleep(0.1)
        finally:
            connections.close_all()

    thread = threading.Thread(target=watch)
    thread.start()
    return thread
