"""Workflow steps racing each other, in real threads with their own database connections: each
step locks the page, then the revision, so every outcome is one the steps could have had one
after the other. Run on PostgreSQL (row locks); SQLite's write lock serialises them too."""

import datetime
import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from articles.models import Article
from publishing import workflow
from publishing.models import Revision, ScheduleProblem
from tests import staff_groups
from tests.concurrency import run_at_once
from tests.factories import make_article, publish_pending
from tests.worker import run_worker_until

SLUG = "who-can-benefit-from-ketamine-therapy"


@pytest.fixture
def people(committed_seed, django_user_model):
    from django.contrib.auth.models import Group

    staff_groups.restore()  # flushed with the rest after each test that commits

    def member(username, group):
        user = django_user_model.objects.create_user(
            username, is_staff=True, email=f"{username}@clinic.test"
        )
        user.groups.add(Group.objects.get(name=group))
        return user

    return {
        "editor": member("eddie", "Content editors"),
        "reviewer": member("rhea", "Clinical reviewers"),
        "second_reviewer": member("sol", "Clinical reviewers"),
    }


def _submitted(article, editor, summary):
    content = workflow.current_content(article)
    content["fields"]["summary"] = summary
    workflow.save_draft(article, content, user=editor)
    return workflow.submit(article, user=editor)


def _attempt(step):
    """Run a workflow step; what it returned, or the refusal's message."""
    try:
        return step()
    except workflow.WorkflowError as refusal:
        return f"refused: {refusal}"


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_approving_one_revision_publish_it_once(people):
    article = Article.objects.get(slug=SLUG)
    revision = _submitted(article, people["editor"], "Approved by one of two reviewers.")
    history_before = Article.history.filter(id=article.pk).count()

    def approve_as(reviewer):
        return lambda: _attempt(
            lambda: workflow.approve(
                Revision.objects.get(pk=revision.pk),
                reviewer=reviewer,
                credit=f"{reviewer.username}, MD",
                next_review_on=workflow.default_next_review(),
            )
        )

    approvals = iter([approve_as(people["reviewer"]), approve_as(people["second_reviewer"])])
    results = run_at_once(lambda: next(approvals)(), 2)

    published = [r for r in results if isinstance(r, Revision)]
    refused = [r for r in results if isinstance(r, str)]
    assert len(published) == 1 and len(refused) == 1, results
    assert "was already approved by" in refused[0]
    assert published[0].reviewer_credit in refused[0]
    # Published once: one new version of the article's row, and the credit of the one.
    assert Article.history.filter(id=article.pk).count() == history_before + 1
    article.refresh_from_db()
    assert article.reviewed_by == published[0].reviewer_credit


@pytest.mark.django_db(transaction=True)
def test_an_approval_racing_a_new_save_never_publishes_the_unreviewed_save(people, client):
    article = make_article(status=Article.Status.DRAFT, sections=["The reviewed text."])
    workflow.record_new_page(article, user=people["editor"])
    revision = workflow.submit(article, user=people["editor"])
    token = workflow.edit_token(article)
    unreviewed = workflow.current_content(article)
    unreviewed["sections"][0]["body"] = "An unreviewed rewrite saved during the approval."

    steps = iter(
        [
            lambda: workflow.approve(
                Revision.objects.get(pk=revision.pk),
                reviewer=people["reviewer"],
                credit="Rhea Ward, MD",
                next_review_on=workflow.default_next_review(),
            ),
            lambda: workflow.save_draft(
                Article.objects.get(pk=article.pk),
                unreviewed,
                user=people["editor"],
                based_on=token,
            ),
        ]
    )
    results = run_at_once(lambda: _attempt(next(steps)), 2)
    assert all(isinstance(r, Revision) for r in results), results

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    page = client.get(article.get_absolute_url()).content.decode()
    assert "The reviewed text." in page
    assert "unreviewed rewrite" not in page
    newest = workflow.latest_revision(article)
    assert newest.status == Revision.Status.DRAFT
    assert newest.content["sections"][0]["body"].startswith("An unreviewed rewrite")


@pytest.mark.django_db(transaction=True)
def test_a_take_down_racing_an_approval_ends_as_one_order_or_the_other(people):
    article = Article.objects.get(slug=SLUG)
    revision = _submitted(article, people["editor"], "Approved as the page comes down.")
    now = timezone.now()
    Article.objects.filter(pk=article.pk).update(expires_at=now)

    steps = iter(
        [
            lambda: workflow.run_schedule(now=now),
            lambda: workflow.approve(
                Revision.objects.get(pk=revision.pk),
                reviewer=people["reviewer"],
                credit="Rhea Ward, MD",
                next_review_on=workflow.default_next_review(),
            ),
        ]
    )
    results = run_at_once(lambda: _attempt(next(steps)), 2)
    assert not any(isinstance(r, str) for r in results), results

    article.refresh_from_db()
    revision.refresh_from_db()
    assert revision.status == Revision.Status.PUBLISHED
    assert article.summary == "Approved as the page comes down."
    assert article.expires_at is None
    schedule = next(r for r in results if isinstance(r, dict))
    assert schedule == {"published": 0, "taken_down": 1, "failed": 0}
    # Approved first, then taken down: down, with the approved text in its rows. Or taken
    # down first, then approved: published again, as approval publishes a draft page.
    assert article.status in (Article.Status.DRAFT, Article.Status.PUBLISHED)
    assert Revision.objects.filter(pk=revision.pk, published_at__isnull=False).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_publishes_other_pages_while_one_fails_or_is_held(people, settings):
    """Three pages go live in one pass: one the database refuses, one locked by a transaction
    that hangs. The third goes live at once; the refused one is recorded; the held one is
    tried again when its lock is free, not sent back."""
    if connection.vendor != "postgresql":
        pytest.skip("lock_timeout and row locks are PostgreSQL's")
    settings.SCHEDULE_LOCK_TIMEOUT_MS = 300
    go_live = timezone.now() + datetime.timedelta(seconds=1)
    pages = [make_article(status=Article.Status.DRAFT, sections=[f"Page {n}."]) for n in range(3)]
    refused, held, fine = pages
    for page in pages:
        Article.objects.filter(pk=page.pk).update(go_live_at=go_live)
        publish_pending(Article.objects.get(pk=page.pk))
    Revision.objects.filter(pk=workflow.latest_revision(refused).pk).update(
        content={
            **workflow.latest_revision(refused).content,
            "fields": {
                **workflow.latest_revision(refused).content["fields"],
                "published_on": "2030-01-01",
                "updated_on": "2020-01-01",  # before publication: the database refuses it
            },
        }
    )

    release = threading.Event()
    locked = threading.Event()

    def hold_the_lock():
        try:
            with transaction.atomic():
                Article.objects.select_for_update().get(pk=held.pk)
                locked.set()
                release.wait(20)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    locked.wait(10)
    try:
        while timezone.now() < go_live:
            time.sleep(0.05)
        run_worker_until(
            lambda: (
                Article.objects.get(pk=fine.pk).status == Article.Status.PUBLISHED
                and ScheduleProblem.objects.filter(object_id=held.pk).exists()
            ),
            poll=0.1,
        )
        assert Article.objects.get(pk=fine.pk).status == Article.Status.PUBLISHED
        assert Article.objects.get(pk=held.pk).status == Article.Status.DRAFT
        held_problem = ScheduleProblem.objects.get(object_id=held.pk)
        assert held_problem.retrying and "database" in held_problem.reason
        assert workflow.latest_revision(held).status == Revision.Status.APPROVED  # not sent back
        assert ScheduleProblem.objects.get(object_id=refused.pk).retrying
    finally:
        release.set()
        holder.join()
    run_worker_until(lambda: Article.objects.get(pk=held.pk).status == Article.Status.PUBLISHED)
    assert Article.objects.get(pk=held.pk).status == Article.Status.PUBLISHED
    assert not ScheduleProblem.objects.filter(object_id=held.pk).exists()
    assert Article.objects.get(pk=refused.pk).status == Article.Status.DRAFT


@pytest.mark.django_db(transaction=True)
def test_delete_selected_rows_of_a_draft_page_works_outside_a_test_transaction(people, client):
    """The admin's "Delete selected" runs in autocommit; each removal is the workflow's own
    transaction (a lock outside one is an error on PostgreSQL) and is kept in a revision."""
    from topics.models import TopicPage, TreatmentFact

    client.force_login(people["editor"])
    article = make_article(status=Article.Status.DRAFT, sections=["One.", "Two.", "Three."])
    doomed = list(article.sections.order_by("position").values_list("pk", flat=True)[1:])
    response = client.post(
        "/admin/articles/section/",
        {"action": "delete_selected", "_selected_action": doomed, "post": "yes"},
    )
    assert response.status_code == 302
    assert list(article.sections.values_list("body", flat=True)) == ["One."]
    assert [e["body"] for e in workflow.latest_revision(article).content["sections"]] == ["One."]

    page = TopicPage.objects.get(slug="iv-ketamine-infusion")
    workflow.unpublish(page)
    facts = list(page.facts.values_list("pk", flat=True)[:2])
    response = client.post(
        "/admin/topics/treatmentfact/",
        {"action": "delete_selected", "_selected_action": facts, "post": "yes"},
    )
    assert response.status_code == 302
    assert not TreatmentFact.objects.filter(pk__in=facts).exists()
    kept = {entry["id"] for entry in workflow.latest_revision(page).content["facts"]}
    assert kept and not kept & set(facts)
