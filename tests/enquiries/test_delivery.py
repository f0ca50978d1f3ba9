"""Staff notifications through a real SMTP server: sent, retried, refused or stuck, never lost.

The server (aiosmtpd, on a free loopback port) accepts, greylists (451) or refuses
(550) each recipient as a test tells it; a second kind accepts connections and never
answers.
"""

import datetime
import time

import lxml.html
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from enquiries.models import Enquiry, Notification, NotificationAttempt, RoutingRule
from enquiries.notifications import deliver, deliver_due
from tests.enquiries.smtp import GREYLIST, REFUSE
from tests.factories import enquiry_data, make_enquiry
from tests.worker import run_worker_until

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.ENQUIRY_DEFAULT_RECIPIENTS = ["desk@clinic.example"]
    settings.SITE_URL = "https://clinic.example"


def _enquire(client, **fields):
    response = client.post("/enquire/", enquiry_data(**fields))
    assert response.status_code == 302
    return Enquiry.objects.latest("created_at")


def _route(topic, *usernames, make_staff):
    rule = RoutingRule.objects.create(topic=topic)
    rule.recipients.set([make_staff(name) for name in usernames])


def _make_due():
    """As if the retry delay had passed."""
    Notification.objects.update(next_attempt_at=timezone.now())


def test_accepted_email_holds_reference_topic_and_link_only(client, smtp_server):
    enquiry = _enquire(
        client,
        name="Private Person",
        email="private.person@example.org",
        phone="555 010 0199",
        message="My very private story about my health.",
    )
    assert smtp_server.received == [], "the post itself sends nothing"
    assert deliver_due() == {"sent": 1, "retry": 0, "failed": 0}
    (received,) = smtp_server.received
    assert received.recipients == ["desk@clinic.example"]
    text = received.text
    assert enquiry.reference in text
    assert "Costs and insurance" in text
    assert "Urgent: no" in text
    assert f"https://clinic.example/admin/enquiries/enquiry/{enquiry.pk}/change/" in text
    for secret in ["Private Person", "private.person", "555 010 0199", "private story"]:
        assert secret not in text
    notification = enquiry.notifications.get()
    assert (notification.status, notification.attempts) == ("sent", 1)
    assert [a.outcome for a in notification.attempt_log.all()] == ["sent"]


def test_urgent_email_says_yes_and_nothing_about_why(client, smtp_server, make_staff):
    _route("urgent", "oncall", make_staff=make_staff)
    _enquire(client, message="I have been thinking about suicide a lot lately.")
    deliver_due()
    (received,) = smtp_server.received
    assert received.message["Subject"].startswith("[URGENT]")
    assert "Urgent: yes" in received.text
    for word in ["suicid", "self-harm", "harm", "crisis", "thinking about"]:
        assert word not in received.text.lower()


def test_greylisting_is_retried_with_backoff_and_delivered_exactly_once(client, smtp_server):
    smtp_server.answers["desk@clinic.example"] = GREYLIST
    _enquire(client)
    started = timezone.now()
    assert deliver_due() == {"sent": 0, "retry": 1, "failed": 0}
    notification = Notification.objects.get()
    assert (notification.status, notification.attempts) == ("pending", 1)
    assert "451" in notification.last_error and "Greylisted" in notification.last_error
    wait = (notification.next_attempt_at - started).total_seconds()
    assert 25 <= wait <= 35, "the first retry waits about 30 s"
    assert deliver_due() == {"sent": 0, "retry": 0, "failed": 0}, "not due yet"

    _make_due()
    deliver_due()  # still greylisted: the wait doubles
    notification.refresh_from_db()
    assert 55 <= (notification.next_attempt_at - timezone.now()).total_seconds() <= 65

    del smtp_server.answers["desk@clinic.example"]  # the greylist lets it through now
    _make_due()
    assert deliver_due()["sent"] == 1
    _make_due()
    assert deliver_due() == {"sent": 0, "retry": 0, "failed": 0}
    assert len(smtp_server.to("desk@clinic.example")) == 1
    outcomes = list(Notification.objects.get().attempt_log.values_list("outcome", flat=True))
    assert outcomes == ["retry", "retry", "sent"]


def test_backoff_stops_growing_at_the_cap_and_urgent_ones_keep_trying_each_minute(settings):
    from enquiries.notifications import retry_delay

    settings.NOTIFICATION_RETRY_BASE_SECONDS = 30
    settings.NOTIFICATION_RETRY_CAP_SECONDS = 600
    settings.NOTIFICATION_URGENT_RETRY_CAP_SECONDS = 60
    assert [retry_delay(n) for n in range(1, 8)] == [30, 60, 120, 240, 480, 600, 600]
    assert [retry_delay(n, urgent=True) for n in range(1, 6)] == [30, 60, 60, 60, 60]
    # A greylist that lets a sender through after 4 minutes passes an urgent one in 5.
    elapsed, attempts = 0, 0
    while elapsed < 240:
        attempts += 1
        elapsed += retry_delay(attempts, urgent=True)
    assert elapsed <= 300


@pytest.mark.parametrize(
    ("answer", "outcome"),
    [("451 4.3.0 Try again later", "retry"), ("554 5.7.1 Message rejected", "failed")],
)
def test_a_reply_at_data_is_temporary_or_permanent_by_its_code(
    client, smtp_server, answer, outcome
):
    smtp_server.data_answer = answer
    _enquire(client)
    deliver_due()
    notification = Notification.objects.get()
    assert notification.attempt_log.get().outcome == outcome
    assert answer.split()[0] in notification.last_error


def test_a_backend_that_sends_nothing_is_not_taken_for_sent(client, settings):
    settings.EMAIL_BACKEND = "tests.enquiries.smtp.SendsNothingBackend"
    _enquire(client)
    assert deliver_due() == {"sent": 0, "retry": 1, "failed": 0}


def test_a_refused_recipient_fails_alone_and_the_others_are_told(client, smtp_server, make_staff):
    _route("urgent", "oncall", "gone", make_staff=make_staff)
    smtp_server.answers["gone@clinic.example"] = REFUSE
    _enquire(client, message="I don't want to be here anymore.")
    assert deliver_due() == {"sent": 1, "retry": 0, "failed": 1}
    statuses = dict(Notification.objects.values_list("recipient", "status"))
    assert statuses == {"oncall@clinic.example": "sent", "gone@clinic.example": "failed"}
    assert "550" in Notification.objects.get(recipient="gone@clinic.example").last_error
    call_command("send_enquiry_notifications", stdout=None)
    assert smtp_server.rcpt_commands == 2, "a refused address is not tried again by itself"


def test_handlers_requeue_a_failed_notification_from_the_admin(
    client, smtp_server, make_staff, settings
):
    smtp_server.answers["desk@clinic.example"] = REFUSE
    _enquire(client)
    deliver_due()
    notification = Notification.objects.get()
    assert notification.status == "failed"
    del smtp_server.answers["desk@clinic.example"]  # the mailbox was fixed

    handler = make_staff("handler", group="Enquiry handlers")
    client.force_login(handler)
    response = client.post(
        "/admin/enquiries/notification/",
        {"action": "requeue_selected", "_selected_action": [notification.pk]},
    )
    assert response.status_code == 302
    assert Notification.objects.get().status == "pending"
    assert deliver_due()["sent"] == 1
    assert len(smtp_server.to("desk@clinic.example")) == 1


def test_requeue_leaves_alone_what_a_worker_is_sending(client, smtp_server):
    from enquiries.notifications import _claim_next, requeue

    _enquire(client)
    claimed = _claim_next()
    assert requeue(Notification.objects.all()) == 0, "a live claim is not taken back"
    assert _claim_next() is None, "nobody else can claim it either"
    assert deliver(claimed) == "sent"
    assert requeue(Notification.objects.all()) == 0, "sent ones are never re-sent"
    assert len(smtp_server.received) == 1


def test_a_hung_mail_server_never_delays_the_person(client, hung_smtp_server, settings):
    settings.EMAIL_TIMEOUT = 5
    began = time.monotonic()
    enquiry = _enquire(client)
    assert time.monotonic() - began < settings.EMAIL_TIMEOUT, "the post did not wait on SMTP"
    assert "Thank you" in client.get("/enquire/thanks/").content.decode()

    settings.EMAIL_TIMEOUT = 1
    assert deliver_due() == {"sent": 0, "retry": 1, "failed": 0}
    notification = enquiry.notifications.get()
    assert notification.status == "pending"
    assert "timed out" in notification.last_error.lower()
    assert notification.claimed_until is None, "the claim is released after the attempt"


def test_an_unreachable_mail_server_is_retried(client, settings):
    from tests.ports import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    _enquire(client)
    assert deliver_due() == {"sent": 0, "retry": 1, "failed": 0}
    assert "ConnectionRefusedError" in Notification.objects.get().last_error


def test_persistent_failure_alerts_in_the_log(client, smtp_server, settings, caplog):
    settings.ENQUIRY_NOTIFICATION_ALERT_ATTEMPTS = 3
    smtp_server.answers["desk@clinic.example"] = GREYLIST
    _enquire(client, message="A message the log must never hold.")
    for _ in range(4):
        _make_due()
        deliver_due()
    assert Notification.objects.get().attempts == 4
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert errors, "persistent failure must alert"
    assert "never hold" not in caplog.text


def test_overdue_notifications_fail_the_check_and_show_in_the_admin(
    client, smtp_server, make_staff
):
    smtp_server.answers["desk@clinic.example"] = GREYLIST
    call_command("check_notifications", stdout=None)  # nothing yet: passes
    _enquire(client, message="Some days I want to die.")
    deliver_due()
    call_command("check_notifications", stdout=None)  # urgent, but only just sent: in time
    Notification.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=7))
    with pytest.raises(CommandError) as failure:
        call_command("check_notifications", stdout=None)
    assert "1 staff notification(s) overdue (1 urgent" in str(failure.value)
    assert "7 minutes" in str(failure.value)

    client.force_login(make_staff("handler", group="Enquiry handlers"))
    page = lxml.html.fromstring(client.get("/admin/enquiries/enquiry/").content)
    (banner,) = page.xpath("//ul[@class='messagelist'][@role='alert']/li")
    assert "1 staff notification was not delivered in time, 1 for urgent enquiries" in " ".join(
        banner.text_content().split()
    )


def test_once_a_handler_takes_the_enquiry_it_is_no_longer_overdue(client, smtp_server):
    smtp_server.answers["desk@clinic.example"] = REFUSE
    enquiry = _enquire(client, message="I want to die.")
    deliver_due()
    Notification.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=30))
    with pytest.raises(CommandError):
        call_command("check_notifications", stdout=None)
    Enquiry.objects.filter(pk=enquiry.pk).update(status=Enquiry.Status.IN_PROGRESS)
    call_command("check_notifications", stdout=None)


def test_an_ordinary_enquiry_has_an_hour(client, smtp_server):
    smtp_server.answers["desk@clinic.example"] = GREYLIST
    _enquire(client)
    Notification.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=50))
    call_command("check_notifications", stdout=None)
    Notification.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=61))
    with pytest.raises(CommandError):
        call_command("check_notifications", stdout=None)


def test_the_attempt_log_holds_no_enquiry_content(client, smtp_server):
    smtp_server.answers["desk@clinic.example"] = GREYLIST
    _enquire(client, name="Quinn Private", message="Nothing of this in the log.")
    deliver_due()
    (attempt,) = NotificationAttempt.objects.all()
    assert attempt.outcome == "retry"
    assert "Quinn" not in attempt.error and "Nothing of this" not in attempt.error


@pytest.mark.django_db(transaction=True)
def test_the_worker_delivers_then_stops_on_sigterm(smtp_server):
    """The real command, in this process: it delivers, and SIGTERM ends it cleanly."""
    make_enquiry(recipients=["desk@clinic.example"])
    assert run_worker_until(lambda: smtp_server.received) < 20
    assert len(smtp_server.received) == 1
    assert Notification.objects.get().status == "sent"
