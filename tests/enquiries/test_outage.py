"""An enquiry sent while the database is away is never lost: held, then stored exactly
once, or handed back to its sender. The database is cut for real (tests/outage.py); the
hold is a Redis of the test's own, configured as production must (noeviction)."""

import json
import signal
import subprocess
import sys
import time

import lxml.html
import pytest
import redis

from enquiries import hold
from enquiries.models import Enquiry
from pagecache import middleware
from tests.admin_forms import form_values
from tests.factories import enquiry_data, set_clinic
from tests.outage import REPO, ProductionClient, subprocess_environment, wait_for

URL = "/enquire/"
URGENT = "Some days I think about ending my life. Can ketamine help?"


@pytest.fixture
def loaded_form(committed_seed, settings, monkeypatch):
    """A visitor with the enquiry form loaded (and the CSRF cookie it set), and a way to
    fill it in as they would."""
    settings.ENQUIRY_MIN_SECONDS = 0
    settings.ENQUIRY_DEFAULT_RECIPIENTS = ["desk@clinic.example"]
    monkeypatch.setattr(middleware, "DATABASE_RETRY_SECONDS", 0.3)
    set_clinic(phone="555 010 0199")
    visitor = ProductionClient(enforce_csrf_checks=True, raise_request_exception=False)
    page = visitor.get(URL)
    assert page.status_code == 200

    def filled(**fields):
        """The loaded form answered as enquiry_data() answers it, with its own start time
        and token unless `fields` give others."""
        kept = {"started", "submission_token"} - set(fields)
        answers = {
            name: value for name, value in enquiry_data(**fields).items() if name not in kept
        }
        return {**form_values(page, field="message"), **answers}

    return visitor, filled


def _text(response):
    return " ".join(lxml.html.fromstring(response.content).text_content().split())


def test_held_during_the_outage_then_stored_exactly_once(
    loaded_form, database_outage, settings, small_redis
):
    settings.ENQUIRY_HOLD_REDIS_URL = small_redis("noeviction")
    visitor, filled = loaded_form
    data = filled(message=URGENT)
    database_outage.cut()
    sent_at = time.time()
    thanks = visitor.post(URL, data)
    assert thanks.status_code == 200
    text = _text(thanks)
    reference = lxml.html.fromstring(thanks.content).find_class("reference-number")[0].text
    assert reference.startswith("ENQ-")
    assert "kept safely until it can be passed on" in text
    assert "If you are in danger or thinking about ending your life" in text, "urgent: crisis box"
    assert "no-store" in thanks["Cache-Control"]
    again = visitor.post(URL, data)  # a double click, or the page reloaded
    assert reference in again.content.decode(), "the same form is held once"

    database_outage.restore()
    assert not Enquiry.objects.exists()
    held_raw = redis.Redis.from_url(settings.ENQUIRY_HOLD_REDIS_URL).hgetall(hold.HELD)
    assert len(held_raw) == 1
    assert hold.store_held() == 1
    enquiry = Enquiry.objects.get()
    assert (enquiry.reference, enquiry.message, enquiry.is_urgent) == (reference, URGENT, True)
    assert abs(enquiry.created_at.timestamp() - sent_at) < 5, "dated when it was sent"
    assert enquiry.notifications.get().recipient == "desk@clinic.example"
    assert hold.store_held() == 0

    # A worker stopped after storing it, before deleting it from the hold: stored once still.
    redis.Redis.from_url(settings.ENQUIRY_HOLD_REDIS_URL).hset(hold.HELD, mapping=held_raw)
    assert hold.store_held() == 1
    assert Enquiry.objects.count() == 1


def _words_back(response):
    """The form on an answer that hands the sender's words back, as a browser would post it."""
    assert response["Retry-After"] == "60"
    return form_values(response, field="message", status=503)


def test_without_a_hold_the_sender_gets_their_words_back_and_our_phone(
    loaded_form, database_outage
):
    visitor, filled = loaded_form
    database_outage.cut()
    response = visitor.post(URL, filled(message="Do you treat teenagers?"))
    form = _words_back(response)
    text = _text(response)
    assert "Your enquiry has not been sent" in text
    assert "nothing has been stored" in text
    assert "555 010 0199" in text, "the clinic's other ways to be reached"
    assert form["message"] == "Do you treat teenagers?"
    assert form["name"] == "Alex Example"

    database_outage.restore()
    time.sleep(middleware.DATABASE_RETRY_SECONDS)
    sent_again = visitor.post(URL, form)
    assert sent_again.status_code == 302
    assert Enquiry.objects.get().message == "Do you treat teenagers?"


def test_a_full_hold_hands_the_words_back(loaded_form, database_outage, settings, small_redis):
    settings.ENQUIRY_HOLD_REDIS_URL = small_redis("noeviction")
    filler = redis.Redis.from_url(settings.ENQUIRY_HOLD_REDIS_URL)
    with pytest.raises(redis.exceptions.OutOfMemoryError):
        for number in range(1000):
            filler.set(f"filler-{number}", "x" * 10_000)
    visitor, filled = loaded_form
    database_outage.cut()
    form = _words_back(visitor.post(URL, filled(message="Is there a waiting list?")))
    assert form["message"] == "Is there a waiting list?"


def test_the_hold_keeps_to_the_rate_limit(loaded_form, database_outage, settings, small_redis):
    settings.ENQUIRY_HOLD_REDIS_URL = small_redis("noeviction")
    settings.ENQUIRY_RATE_LIMIT = (2, 900)
    visitor, filled = loaded_form
    database_outage.cut()
    statuses = []
    for number in range(3):
        data = filled(message=f"Question {number}", submission_token=f"{number:032x}")
        statuses.append(visitor.post(URL, data).status_code)
    assert statuses == [200, 200, 429]
    assert len(redis.Redis.from_url(settings.ENQUIRY_HOLD_REDIS_URL).hkeys(hold.HELD)) == 2


def test_invalid_input_during_the_outage_is_shown_with_its_problems(loaded_form, database_outage):
    visitor, filled = loaded_form
    database_outage.cut()
    form = _words_back(visitor.post(URL, filled(email="", phone="")))
    assert "Give an email address or a phone number" in _text(
        visitor.post(URL, filled(email="", phone=""))
    )
    assert form["message"] == "How much does a course of treatment cost?"


def test_the_worker_stores_held_enquiries_once_the_database_answers(
    loaded_form, database_outage, settings, small_redis, tmp_path
):
    """The real worker, a process of its own: it rides out the outage and stores the held
    enquiry within a poll of the database's return. (On PostgreSQL it goes through the
    same cut connection; on SQLite only this process's database is made unopenable.)"""
    settings.ENQUIRY_HOLD_REDIS_URL = small_redis("noeviction")
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "notification_worker", "--poll", "0.2"],
        cwd=REPO,
        env=subprocess_environment(
            DATABASE_URL=database_outage.url,
            ENQUIRY_HOLD_REDIS_URL=settings.ENQUIRY_HOLD_REDIS_URL,
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            MEDIA_ROOT=str(tmp_path / "media"),
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        visitor, filled = loaded_form
        database_outage.cut()
        assert visitor.post(URL, filled(message="Sent while you were down.")).status_code == 200
        time.sleep(1)  # the worker tries, and fails, meanwhile
        database_outage.restore()
        stored_after = wait_for(
            lambda: Enquiry.objects.filter(message="Sent while you were down.").exists()
        )
        assert stored_after < 5
        assert Enquiry.objects.count() == 1
        # The worker lets go of the held copy just after the row commits.
        held = redis.Redis.from_url(settings.ENQUIRY_HOLD_REDIS_URL)
        assert wait_for(lambda: not held.hkeys(hold.HELD), timeout=5) < 5
    finally:
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=20) == 0, "and it stops cleanly"


@pytest.mark.django_db
def test_a_held_enquiry_the_form_now_refuses_is_set_aside_not_blocking_the_rest(
    settings, small_redis, caplog
):
    settings.ENQUIRY_HOLD_REDIS_URL = small_redis("noeviction")
    client = redis.Redis.from_url(settings.ENQUIRY_HOLD_REDIS_URL)
    sent_at = "2026-01-01T12:00:00+00:00"
    for reference, message, consent in [
        ("ENQ-AAAAAAAA", "Refused now: no consent.", ""),
        ("ENQ-BBBBBBBB", "A fine enquiry.", "on"),
    ]:
        data = {**enquiry_data(message=message), "consent": consent}
        entry = {"data": data, "reference": reference, "sent_at": sent_at}
        client.hset(hold.HELD, data["submission_token"], json.dumps(entry))
    assert hold.store_held() == 1
    assert list(Enquiry.objects.values_list("reference", flat=True)) == ["ENQ-BBBBBBBB"]
    assert not client.hkeys(hold.HELD)
    assert len(client.hkeys(hold.HELD_ASIDE)) == 1
    assert "ENQ-AAAAAAAA could not be stored (the form's checks now refuse consent)" in caplog.text
    assert "Refused now" not in caplog.text


def test_an_expired_form_sent_during_the_outage_still_gets_its_words_back(
    loaded_form, database_outage
):
    visitor, filled = loaded_form
    database_outage.cut()
    response = visitor.post(URL, filled(csrfmiddlewaretoken="expired", message="Still mine."))
    assert _words_back(response)["message"] == "Still mine."
