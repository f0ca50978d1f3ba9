"""Two overlapping runs of the retry command send each pending notification once."""

import threading
import uuid

import pytest
from django.db import connection, connections

from enquiries.models import Enquiry, Notification
from enquiries.notifications import deliver_pending
from tests.enquiries.backends import SlowRecordingBackend


@pytest.mark.django_db(transaction=True)
def test_overlapping_runs_send_each_notification_once(settings):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT … FOR UPDATE SKIP LOCKED) are tested on PostgreSQL")
    settings.EMAIL_BACKEND = "tests.enquiries.backends.SlowRecordingBackend"
    SlowRecordingBackend.sent.clear()
    for _ in range(4):
        enquiry = Enquiry.objects.create(
            name="N",
            email="n@example.org",
            preferred_contact="email",
            topic="costs",
            message="m",
            consented_at="2026-01-01T00:00Z",
            submission_token=uuid.uuid4(),
        )
        for recipient in ("a@clinic.example", "b@clinic.example"):
            Notification.objects.create(enquiry=enquiry, recipient=recipient)

    start = threading.Barrier(2)
    results = []

    def run():
        start.wait()
        try:
            results.append(deliver_pending())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(SlowRecordingBackend.sent) == 8
    assert len(set(SlowRecordingBackend.sent)) == 8
    assert sum(result["sent"] for result in results) == 8
    assert all(result["sent"] > 0 for result in results), "both runs should have done some work"
    assert Notification.objects.filter(status="sent").count() == 8
