"""A valid enquiry is stored and routed by topic, in the request, with no mail server involved."""

import datetime
import io
import logging
import re
import time

import lxml.html
import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from enquiries.forms import seconds_since, started_token
from enquiries.models import Enquiry, Notification, PostCount, RoutingRule
from tests.factories import enquiry_data

pytestmark = pytest.mark.django_db
URL = "/enquire/"


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.ENQUIRY_DEFAULT_RECIPIENTS = ["desk@clinic.example"]
    settings.SITE_URL = "https://clinic.example"


def _rule(topic, *users):
    rule = RoutingRule.objects.create(topic=topic)
    rule.recipients.set(users)
    return rule


def _submit(client, **fields):
    return client.post(URL, enquiry_data(**fields))


def test_valid_enquiry_is_stored_routed_and_thanked(client, make_staff):
    billing = make_staff("billing")
    _rule("costs", billing)
    response = _submit(client, topic="costs")
    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert (enquiry.topic, enquiry.is_urgent, enquiry.status) == ("costs", False, "new")
    notification = enquiry.notifications.get()
    assert (notification.recipient, notification.status) == ("billing@clinic.example", "pending")
    assert notification.attempts == 0, "the request itself never talks to the mail server"

    thanks = client.get(response.headers["Location"])
    assert enquiry.reference in thanks.content.decode()
    assert "How much does a course" not in thanks.content.decode()


def test_thanks_are_shown_once_then_the_browser_forgets_the_enquiry(client):
    response = _submit(client)
    reference = Enquiry.objects.get().reference
    assert reference in client.get(response.headers["Location"]).content.decode()
    again = client.get(response.headers["Location"]).content.decode()
    assert reference not in again
    assert "sessionid" not in client.cookies or not client.cookies["sessionid"].value


def test_a_post_whose_redirect_is_not_followed_leaves_no_session_row(client):
    from django.contrib.sessions.models import Session

    for _ in range(3):
        assert _submit(client).status_code == 302
    assert Enquiry.objects.count() == 3
    assert Session.objects.count() == 0
    assert "sessionid" not in client.cookies


def test_the_thanks_cookie_cannot_be_forged(client):
    client.cookies["enquiry_thanks"] = "ENQ-FORGED12:1"
    page = client.get("/enquire/thanks/").content.decode()
    assert "ENQ-FORGED12" not in page
    assert "No enquiry sent from this browser yet" in page


def test_reloading_the_thanks_says_the_enquiry_was_sent_without_its_reference(client):
    response = _submit(client)
    enquiry = Enquiry.objects.get()
    client.get(response.headers["Location"])
    reloaded = client.get(response.headers["Location"])
    html = reloaded.content.decode()
    assert "your enquiry was sent" in html and "No enquiry sent" not in html
    assert enquiry.reference not in html
    cookie = client.cookies["enquiry_sent"]
    assert cookie["path"] == "/enquire/thanks/" and cookie["httponly"]
    assert enquiry.reference not in cookie.value and "urgent" not in cookie.value
    assert "private" in reloaded["Cache-Control"]


def test_a_forged_sent_cookie_says_nothing_was_sent(client):
    client.cookies["enquiry_sent"] = "sent"
    assert (
        "No enquiry sent from this browser yet" in client.get("/enquire/thanks/").content.decode()
    )


def test_one_notification_per_recipient_of_the_topic(client, make_staff):
    _rule("candidacy", make_staff("nurse"), make_staff("doctor"))
    _rule("costs", make_staff("billing"))
    _submit(client, topic="candidacy")
    recipients = sorted(Notification.objects.values_list("recipient", flat=True))
    assert recipients == ["doctor@clinic.example", "nurse@clinic.example"]


def test_unmatched_topic_goes_to_the_default_recipients(client):
    _submit(client, topic="other")
    assert list(Notification.objects.values_list("recipient", flat=True)) == ["desk@clinic.example"]


def test_crisis_language_is_flagged_urgent_and_routed_to_urgent_recipients(client, make_staff):
    _rule("urgent", make_staff("oncall"))
    _rule("candidacy", make_staff("nurse"))
    response = _submit(
        client,
        topic="candidacy",
        message="Some days I think about killing myself. Could ketamine help?",
    )
    enquiry = Enquiry.objects.get()
    assert enquiry.is_urgent
    recipients = list(enquiry.notifications.values_list("recipient", flat=True))
    assert recipients == ["oncall@clinic.example", "nurse@clinic.example"]

    thanks = lxml.html.fromstring(client.get(response.headers["Location"]).content)
    main = thanks.get_element_by_id("main")
    first = next(main.iterchildren())
    assert "crisis-box" in first.get("class")
    assert first.xpath(".//a[@href='tel:988']")


def test_crisis_check_normalises_but_the_message_is_stored_as_written(client):
    message = "ｉ ｗａｎｔ ｔｏ ｕｎａｌｉｖｅ ｍｙｓｅｌｆ"
    _submit(client, message=message)
    enquiry = Enquiry.objects.get()
    assert enquiry.is_urgent
    assert enquiry.message == message


def test_nothing_the_enquirer_wrote_is_logged(client, caplog):
    with caplog.at_level(logging.DEBUG):
        _submit(
            client,
            name="Logan Secret",
            email="logan.secret@example.org",
            message="A message that must never reach a log file.",
        )
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert Enquiry.objects.get().reference in logged  # something is logged, just not content
    for secret in ["Logan Secret", "logan.secret", "never reach a log"]:
        assert secret not in logged


def test_same_form_resent_with_new_content_is_a_second_enquiry(client):
    data = enquiry_data()
    client.post(URL, data)
    client.post(URL, {**data, "topic": "someone_else", "message": "Now asking for my brother."})
    assert Enquiry.objects.count() == 2
    assert Enquiry.objects.filter(message="Now asking for my brother.").exists()
    assert "Now asking" not in client.get("/enquire/thanks/").content.decode()


def test_same_form_posted_twice_makes_one_enquiry(client):
    data = enquiry_data()
    first = client.post(URL, data)
    second = client.post(URL, data)
    assert first.status_code == second.status_code == 302
    assert Enquiry.objects.count() == 1
    assert Notification.objects.count() == 1
    reference = Enquiry.objects.get().reference
    assert reference in client.get("/enquire/thanks/").content.decode()


def test_honeypot_post_looks_ordinary_is_not_stored_and_is_counted(client, caplog):
    with caplog.at_level(logging.WARNING, logger="enquiries.views"):
        response = client.post(
            URL, enquiry_data(website="https://spam.example", message="Buy cheap pills now")
        )
    assert response.status_code == 302
    assert Enquiry.objects.count() == 0
    thanks = client.get(response.headers["Location"]).content.decode()
    assert re.search(r"ENQ-[A-Z0-9]{8}", thanks)
    assert "treated as automated: honeypot filled in" in caplog.text
    assert "spam.example" not in caplog.text and "cheap pills" not in caplog.text


@pytest.mark.parametrize(
    ("started", "reason", "says"),
    [
        (lambda: started_token(time.time() - 1), "sent too fast", "we need a moment more"),
        (lambda: started_token(time.time() - 2 * 86400), "form expired", "it has expired"),
        (lambda: "1700000000", "start time missing or forged", "it has expired"),
    ],
    ids=["too-fast", "expired", "forged"],
)
def test_suspect_timing_shows_the_form_again_with_nothing_lost(
    client, caplog, started, reason, says
):
    with caplog.at_level(logging.WARNING, logger="enquiries.views"):
        response = client.post(URL, enquiry_data(started=started(), message="My real question."))
    assert response.status_code == 200
    assert Enquiry.objects.count() == 0
    html = response.content.decode()
    assert says in html
    assert "My real question." in html
    assert f"treated as automated: {reason}" in caplog.text
    assert "My real question" not in caplog.text
    # The form shown again carries a fresh start time: sent after a pause, it is stored.
    fresh = lxml.html.fromstring(html).xpath("//input[@name='started']/@value")[0]
    assert 0 <= seconds_since(fresh) < 5
    data = enquiry_data(message="My real question.")
    data["started"] = started_token(time.time() - 60)  # as the fresh one will be, a minute on
    assert client.post(URL, data).status_code == 302
    assert Enquiry.objects.get().message == "My real question."


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
    from topics.models import TopicPage

    for treatment in TopicPage.objects.live().treatments():
        html = client.get(treatment.get_absolute_url()).content.decode()
        assert f'href="/enquire/?treatment={treatment.slug}"' in html


@pytest.mark.parametrize(
    "query",
    [
        {"treatment": "\x00"},
        {"treatment": "iv-ketamine\x00infusion"},
        {"topic": "\x00"},
        {"treatment": "../../etc/passwd"},
        {"treatment": "x" * 5000},
        {"treatment": "no-such-treatment", "topic": "no-such-topic"},
    ],
    ids=["nul", "nul-inside", "nul-topic", "path", "very-long", "unknown"],
)
def test_any_query_value_gets_the_form_not_an_error(client, query):
    response = client.get(URL, query)
    assert response.status_code == 200
    document = lxml.html.fromstring(response.content)
    assert document.xpath("//select[@name='treatment']/option[@selected]/@value") in ([], [""])


def test_file_parts_are_skipped_unread_and_the_other_fields_kept(rf):
    from django.http import HttpResponse

    from atma_site.request_limits import FILES_REFUSED, RefuseUnexpectedFilesMiddleware

    big = io.BytesIO(b"\0" * (3 * 1024 * 1024))  # over the in-memory limit: would be spooled
    big.name = "records.pdf"
    request = rf.post(URL, {"message": "kept", "attachment": big})
    seen = {}

    def view(request):
        seen.update(post=dict(request.POST), files=dict(request.FILES))
        return HttpResponse()

    RefuseUnexpectedFilesMiddleware(view)(request)
    assert seen == {"post": {"message": ["kept"]}, "files": {}}
    assert request.META[FILES_REFUSED] is True


def test_file_parts_are_refused_on_the_enquiry_form(client):
    big = io.BytesIO(b"\0" * (3 * 1024 * 1024))
    big.name = "records.pdf"
    response = client.post(URL, {**enquiry_data(message="See my records."), "attachment": big})
    assert response.status_code == 400
    html = response.content.decode()
    assert "attachments are not accepted" in html
    assert "See my records." in html, "the text is kept"
    assert Enquiry.objects.count() == 0


def test_rate_limit_unavailable_still_stores_and_thanks(client, caplog):
    with connection.cursor() as cursor:  # rolled back with the test
        cursor.execute("ALTER TABLE enquiries_postcount RENAME TO enquiries_postcount_away")
    with caplog.at_level(logging.ERROR, logger="enquiries.throttling"):
        response = _submit(client, message="Please call me back.")
    assert response.status_code == 302
    assert Enquiry.objects.get().message == "Please call me back."
    assert (
        "Thank you: we have your enquiry"
        in client.get(response.headers["Location"]).content.decode()
    )
    assert "rate limit unavailable" in caplog.text


def test_purge_discards_expired_rate_limit_counts(client, settings):
    """The privacy notice: the count is discarded soon after its window."""
    settings.ENQUIRY_RATE_LIMIT = (10, 60)
    _submit(client)
    PostCount.objects.create(
        key="some-old-count", count=1, expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    call_command("purge_enquiries", stdout=io.StringIO())
    keys = list(PostCount.objects.values_list("key", flat=True))
    assert "some-old-count" not in keys
    assert any(key.startswith("enquiry-posts:") for key in keys), "counts in their window stay"


def test_purge_deletes_only_expired_enquiries_with_their_records(client, settings):
    settings.ENQUIRY_RETENTION_DAYS = 365
    _submit(client)
    _submit(client)
    old, recent = Enquiry.objects.order_by("pk")
    Enquiry.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=366)
    )
    old.notes.create(text="Called back.")
    call_command("purge_enquiries", stdout=None)
    assert list(Enquiry.objects.all()) == [recent]
    assert not Notification.objects.filter(enquiry_id=old.pk).exists()
    assert recent.notifications.exists()
