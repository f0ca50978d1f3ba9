"""Go-live and take-down times: acted on by the background worker, not before their time."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article
from publishing import workflow
from publishing.models import Revision
from tests.factories import make_article, publish_pending
from tests.worker import run_worker_until

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduled_draft():
    article = make_article(
        title="An article for next week", status=Article.Status.DRAFT, sections=["Its text."]
    )
    article.go_live_at = timezone.now() + datetime.timedelta(hours=2)
    article.save()
    return article


def test_an_approved_page_goes_live_when_the_worker_runs_after_its_time(scheduled_draft, client):
    revision = publish_pending(scheduled_draft)
    assert revision.status == Revision.Status.APPROVED
    assert client.get(scheduled_draft.get_absolute_url()).status_code == 404
    # Before its time, a pass of the worker leaves it.
    assert workflow.run_schedule()["published"] == 0
    assert client.get(scheduled_draft.get_absolute_url()).status_code == 404
    later = scheduled_draft.go_live_at + datetime.timedelta(seconds=1)
    assert workflow.run_schedule(now=later) == {"published": 1, "taken_down": 0, "failed": 0}
    assert client.get(scheduled_draft.get_absolute_url()).status_code == 200
    scheduled_draft.refresh_from_db()
    assert scheduled_draft.go_live_at is None
    assert Revision.objects.of(scheduled_draft).first().status == Revision.Status.PUBLISHED


def test_an_unapproved_page_does_not_go_live_at_its_time(scheduled_draft, client):
    later = scheduled_draft.go_live_at + datetime.timedelta(seconds=1)
    assert workflow.run_schedule(now=later)["published"] == 0
    assert client.get(scheduled_draft.get_absolute_url()).status_code == 404


def test_a_page_comes_down_at_its_take_down_time_and_not_before(client):
    article = Article.objects.get(slug="who-can-benefit-from-ketamine-therapy")
    article.expires_at = timezone.now() + datetime.timedelta(minutes=30)
    article.save()
    assert workflow.run_schedule()["taken_down"] == 0
    assert client.get(article.get_absolute_url()).status_code == 200
    assert workflow.run_schedule(now=article.expires_at)["taken_down"] == 1
    assert client.get(article.get_absolute_url()).status_code == 404
    article.refresh_from_db()
    assert article.expires_at is None  # republishing does not take it down again


def test_the_command_runs_one_pass(client, capsys):
    article = Article.objects.get(slug="who-can-benefit-from-ketamine-therapy")
    article.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    article.save()
    call_command("publish_scheduled")
    assert "took down 1 page(s)" in capsys.readouterr().out
    assert client.get(article.get_absolute_url()).status_code == 404


def test_the_background_worker_takes_a_page_down_on_time(committed_seed):
    """The worker `make run` starts, run here as a command: once the time has passed, within
    a poll, the page is down; SIGTERM then ends it cleanly."""
    article = Article.objects.get(slug="who-can-benefit-from-ketamine-therapy")
    article.expires_at = timezone.now() + datetime.timedelta(seconds=1)
    article.save()
    seen_before_time = [Article.objects.get(pk=article.pk).status]
    took = run_worker_until(
        lambda: Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    )
    assert seen_before_time == [Article.Status.PUBLISHED]
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    assert took < 20


def test_a_take_down_keeps_to_its_second_while_the_mail_server_hangs(committed_seed, settings):
    """Publishing runs beside mail delivery, not after it: the worker is stuck on a mail
    server that never answers when the take-down time comes, and the page comes down on
    time all the same."""
    from tests.enquiries.smtp import HungSmtpServer
    from tests.factories import make_enquiry

    make_enquiry(recipients=["desk@clinic.example"])  # due: the worker starts on it at once
    article = Article.objects.get(slug="who-can-benefit-from-ketamine-therapy")
    article.expires_at = timezone.now() + datetime.timedelta(seconds=1.5)
    article.save()
    seen_down_at = []

    def down():
        if Article.objects.get(pk=article.pk).status == Article.Status.DRAFT:
            seen_down_at.append(timezone.now())
        return bool(seen_down_at)

    with HungSmtpServer() as server:
        settings.EMAIL_BACKEND = "enquiries.mail.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_TIMEOUT = 3  # each wait on the hung server
        run_worker_until(down)
    late = (seen_down_at[0] - article.expires_at).total_seconds()
    assert late < 1, f"taken down {late:.1f} s after its time"
