"""A valid enquiry is stored, routed by topic, and staff are told without its content."""

import logging
import re
import time

import lxml.html
import pytest
from django.core import mail
from django.core.management import call_command

from enquiries.forms import started_token
from enquiries.models import Enquiry, Notification, RoutingRule
from tests.factories import enquiry_data

pytestmark = pytest.mark.django_db
URL = "/enquire/"


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ENQUIRY_DEFAULT_RECIPIENTS = ["desk@clinic.example"]
    settings.SITE_URL = "https://clinic.example"


def _rule(topic, *users):
    rule = RoutingRule.objects.create(topic=topic)
    rule.recipients.set(users)
    return rule


def _submit(client, capture, **fields):
    with capture(execute=True):
        return client.post(URL, enquiry_data(**fields))


def test_valid_enquiry_is_stored_routed_and_thanked(
    client, make_staff, django_capture_on_commit_callbacks
):
    billing = make_staff("billing")
    _rule("costs", billing)
    response = _submit(client, django_capture_on_commit_callbacks, topic="costs")
    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert (enquiry.topic, enquiry.is_urgent, enquiry.status) == ("costs", False, "new")
    assert [n.recipient for n in enquiry.notifications.all()] == ["billing@clinic.example"]
    assert enquiry.notifications.get().status == Notification.Status.SENT
    assert [m.to for m in mail.outbox] == [["billing@clinic.example"]]

    thanks = client.get(response.headers["Location"])
    assert enquiry.reference in thanks.content.decode()
    assert "How much does a course" not in thanks.content.decode()


def test_one_notification_per_recipient_of_the_topic(
    client, make_staff, django_capture_on_commit_callbacks
):
    _rule("candidacy", make_staff("nurse"), make_staff("doctor"))
    _rule("costs", make_staff("billing"))
    _submit(client, django_capture_on_commit_callbacks, topic="candidacy")
    recipients = sorted(Notification.objects.values_list("recipient", flat=True))
    assert recipients == ["doctor@clinic.example", "nurse@clinic.example"]
    assert len(mail.outbox) == 2


def test_unmatched_topic_goes_to_the_default_recipients(client, django_capture_on_commit_callbacks):
    _submit(client, django_capture_on_commit_callbacks, topic="other")
    assert list(Notification.objects.values_list("recipient", flat=True)) == ["desk@clinic.example"]


def test_staff_email_has_reference_topic_and_link_but_no_content_or_contact(
    client, make_staff, django_capture_on_commit_callbacks
):
    _rule("costs", make_staff("billing"))
    _submit(
        client,
        django_capture_on_commit_callbacks,
        name="Private Person",
        email="private.person@example.org",
        phone="555 010 0199",
        message="My very private story about my health.",
    )
    enquiry = Enquiry.objects.get()
    (message,) = mail.outbox
    text = message.subject + message.body
    assert enquiry.reference in text
    assert "Costs and insurance" in text
    assert f"https://clinic.example/admin/enquiries/enquiry/{enquiry.pk}/change/" in message.body
    for secret in ["Private Person", "private.person", "555 010 0199", "private story"]:
        assert secret not in text


def test_crisis_language_is_flagged_urgent_and_routed_to_urgent_recipients(
    client, make_staff, django_capture_on_commit_callbacks
):
    _rule("urgent", make_staff("oncall"))
    _rule("candidacy", make_staff("nurse"))
    response = _submit(
        client,
        django_capture_on_commit_callbacks,
        topic="candidacy",
        message="Some days I think about killing myself. Could ketamine help?",
    )
    enquiry = Enquiry.objects.get()
    assert enquiry.is_urgent
    recipients = list(enquiry.notifications.values_list("recipient", flat=True))
    assert recipients == ["oncall@clinic.example", "nurse@clinic.example"]
    assert all(m.subject.startswith("[URGENT]") for m in mail.outbox)

    thanks = lxml.html.fromstring(client.get(response.headers["Location"]).content)
    main = thanks.get_element_by_id("main")
    first = next(main.iterchildren())
    assert "crisis-box" in first.get("class")
    assert first.xpath(".//a[@href='tel:988']")


def test_nothing_the_enquirer_wrote_is_logged(client, caplog, django_capture_on_commit_callbacks):
    with caplog.at_level(logging.DEBUG):
        _submit(
            client,
            django_capture_on_commit_callbacks,
            name="Logan Secret",
            email="logan.secret@example.org",
            message="A message that must never reach a log file.",
        )
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert Enquiry.objects.get().reference in logged  # something is logged, just not content
    for secret in ["Logan Secret", "logan.secret", "never reach a log"]:
        assert secret not in logged


def test_email_failure_keeps_the_enquiry_and_the_command_sends_it_once(
    client, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.enquiries.backends.FailingEmailBackend"
    response = _submit(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    notification = Notification.objects.get()
    assert notification.status == Notification.Status.PENDING
    assert notification.attempts == 1
    assert "SMTPServerDisconnected" in notification.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_enquiry_notifications", stdout=None)
    call_command("send_enquiry_notifications", stdout=None)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 2
    assert len(mail.outbox) == 1


def test_failures_stay_pending_and_are_retried_however_many(
    client, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.enquiries.backends.FailingEmailBackend"
    settings.ENQUIRY_NOTIFICATION_ALERT_ATTEMPTS = 3
    _submit(client, django_capture_on_commit_callbacks)
    for _ in range(4):
        call_command("send_enquiry_notifications", stdout=None)
    notification = Notification.objects.get()
    assert (notification.status, notification.attempts) == ("pending", 5)
    assert any(r.levelname == "ERROR" for r in caplog.records), "persistent failure must alert"


def test_a_refused_address_is_marked_failed_not_retried(
    client, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.enquiries.backends.RefusingEmailBackend"
    _submit(client, django_capture_on_commit_callbacks)
    assert Notification.objects.get().status == Notification.Status.FAILED
    call_command("send_enquiry_notifications", stdout=None)
    assert Notification.objects.get().attempts == 1


def test_unreachable_mail_server_does_not_hold_up_the_person(
    client, settings, make_staff, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.enquiries.backends.FailingEmailBackend"
    _rule("costs", make_staff("one"), make_staff("two"), make_staff("three"))
    response = _submit(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    attempts = sorted(Notification.objects.values_list("attempts", flat=True))
    assert attempts == [0, 0, 1]  # stopped at the first connection failure


def test_broken_email_configuration_still_thanks_the_person(
    client, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "no.such.EmailBackend"
    response = _submit(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert Enquiry.objects.count() == 1
    assert Notification.objects.get().status == Notification.Status.PENDING


def test_same_form_resent_with_new_content_is_a_second_enquiry(
    client, django_capture_on_commit_callbacks
):
    data = enquiry_data()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, data)
        client.post(URL, {**data, "topic": "someone_else", "message": "Now asking for my brother."})
    assert Enquiry.objects.count() == 2
    assert Enquiry.objects.filter(message="Now asking for my brother.").exists()
    assert "Now asking" not in client.get("/enquire/thanks/").content.decode()


def test_same_form_posted_twice_makes_one_enquiry(client, django_capture_on_commit_callbacks):
    data = enquiry_data()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(URL, data)
        second = client.post(URL, data)
    assert first.status_code == second.status_code == 302
    assert Enquiry.objects.count() == 1
    reference = Enquiry.objects.get().reference
    assert reference in client.get("/enquire/thanks/").content.decode()
    assert len(mail.outbox) == 1


def test_honeypot_post_looks_ordinary_and_is_not_stored(client):
    response = client.post(URL, enquiry_data(website="https://spam.example"))
    assert response.status_code == 302
    assert Enquiry.objects.count() == 0
    thanks = client.get(response.headers["Location"]).content.decode()
    assert re.search(r"ENQ-[A-Z0-9]{8}", thanks)


def test_too_fast_post_looks_ordinary_and_is_not_stored(client):
    response = client.post(URL, enquiry_data(started=started_token(time.time() - 1)))
    assert response.status_code == 302
    assert Enquiry.objects.count() == 0


def test_forged_start_time_is_treated_as_automated(client):
    response = client.post(URL, enquiry_data(started="1700000000"))
    assert response.status_code == 302
    assert Enquiry.objects.count() == 0


def test_rate_limit_answers_429_and_keeps_the_input(client, settings):
    settings.ENQUIRY_RATE_LIMIT = (2, 600)
    for _ in range(2):
        assert client.post(URL, enquiry_data()).status_code == 302
    response = client.post(URL, enquiry_data(message="Third message, kept for the person."))
    assert response.status_code == 429
    html = response.content.decode()
    assert "Please wait before sending again" in html
    assert "Third message, kept for the person." in html
    assert Enquiry.objects.count() == 2


def test_rate_limit_is_per_client(client, settings):
    settings.ENQUIRY_RATE_LIMIT = (1, 600)
    assert client.post(URL, enquiry_data(), REMOTE_ADDR="10.0.0.1").status_code == 302
    assert client.post(URL, enquiry_data(), REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.post(URL, enquiry_data(), REMOTE_ADDR="10.0.0.2").status_code == 302


def test_treatment_page_link_preselects_the_treatment(client):
    document = lxml.html.fromstring(client.get(URL, {"treatment": "iv-ketamine-infusion"}).content)
    selected = document.xpath("//select[@name='treatment']/option[@selected]/text()")
    assert selected == ["Intravenous (IV) ketamine infusion"]
    assert document.xpath("//input[@name='topic'][@checked]/@value") == ["treatment_options"]


def test_every_treatment_page_links_to_the_form_with_itself_chosen(client):
    from articles.models import TopicPage

    for treatment in TopicPage.objects.live().treatments():
        html = client.get(treatment.get_absolute_url()).content.decode()
        assert f'href="/enquire/?treatment={treatment.slug}"' in html


def test_purge_deletes_only_expired_enquiries_with_their_records(
    client, settings, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    settings.ENQUIRY_RETENTION_DAYS = 365
    _submit(client, django_capture_on_commit_callbacks)
    _submit(client, django_capture_on_commit_callbacks)
    old, recent = Enquiry.objects.order_by("pk")
    Enquiry.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=366)
    )
    old.notes.create(text="Called back.")
    call_command("purge_enquiries", stdout=None)
    assert list(Enquiry.objects.all()) == [recent]
    assert not Notification.objects.filter(enquiry_id=old.pk).exists()
    assert recent.notifications.exists()
