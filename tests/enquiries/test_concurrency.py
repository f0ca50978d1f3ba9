"""Two workers (or a worker and the retry command) send each notification exactly once."""

import pytest

from enquiries.models import Notification
from enquiries.notifications import deliver_due
from tests.concurrency import run_at_once
from tests.factories import make_enquiry


@pytest.mark.django_db(transaction=True)
def test_racing_workers_send_each_notification_once(smtp_server):
    # PostgreSQL: row locks (FOR UPDATE SKIP LOCKED). SQLite, a file as in production: its
    # write lock, taken when each claim's transaction begins.
    smtp_server.delay = 0.1  # each send takes a while, so the workers overlap
    for _ in range(4):
        make_enquiry(recipients=["a@clinic.example", "b@clinic.example"])

    results = run_at_once(deliver_due, 3)

    delivered = [(tuple(r.recipients), r.message["Subject"]) for r in smtp_server.received]
    assert len(delivered) == 8
    assert len(set(delivered)) == 8, "no notification was sent twice"
    assert sum(result["sent"] for result in results) == 8
    assert sum(1 for result in results if result["sent"]) >= 2, "the workers shared the work"
    assert Notification.objects.filter(status="sent").count() == 8
    assert all(n.attempt_log.count() == 1 for n in Notification.objects.all())
