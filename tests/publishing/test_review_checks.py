"""What approval checks besides the differences: retracted references block it, an added
overstating phrase needs the reviewer's reason, and the DISCERN ticks are kept with the
revision. Phrases already live are not a bar, and are listed for a reviewer to settle."""

import datetime

import pytest
from django.utils import timezone

from articles.models import Article, Section
from publishing import review_checks, workflow
from publishing.models import Revision, SettledClaim
from publishing.workflow import WorkflowError
from references.models import Reference
from topics.models import TopicPage

pytestmark = pytest.mark.django_db

SLUG = "who-can-benefit-from-ketamine-therapy"
DEPENDENCE = "ketamine doesn't cause physical dependence"  # seed text, section 29


def _article():
    return Article.objects.get(slug=SLUG)


def _submitted(editor_user, change):
    """The seed article with `change(content)` saved and submitted for review."""
    article = _article()
    content = workflow.current_content(article)
    change(content)
    workflow.save_draft(article, content, user=editor_user)
    return workflow.submit(article, user=editor_user)


def _edit_body(anchor, add):
    def change(content):
        entry = next(e for e in content["sections"] if e["anchor"] == anchor)
        entry["body"] += f"\n\n{add}"

    return change


def _approve(revision, reviewer, **options):
    return workflow.approve(
        revision,
        reviewer=reviewer,
        credit="Rhea Ward, MD",
        next_review_on=workflow.default_next_review(),
        **options,
    )


def test_a_page_citing_a_retracted_reference_cannot_be_approved(editor, reviewer):
    Reference.objects.filter(key="feder2014").update(retracted=True)
    revision = _submitted(editor.user, _edit_body("ketamine-therapy-for-anxiety", "More."))
    with pytest.raises(WorkflowError) as refused:
        _approve(revision, reviewer.user)
    message = str(refused.value)
    assert "“feder2014” (Efficacy of intravenous ketamine" in message
    assert "Section “Ketamine for Patients with PTSD”" in message
    revision.refresh_from_db()
    assert revision.status == Revision.Status.SUBMITTED
    Reference.objects.filter(key="feder2014").update(retracted=False)
    assert _approve(revision, reviewer.user).status == Revision.Status.PUBLISHED


def test_nor_published_without_review(editor, superuser):
    Reference.objects.filter(key="feder2014").update(retracted=True)
    revision = _submitted(editor.user, _edit_body("ketamine-therapy-for-anxiety", "More."))
    with pytest.raises(WorkflowError, match="retracted reference"):
        workflow.publish_without_review(revision, user=superuser.user, reason="Urgent fix.")


def test_a_scheduled_revision_whose_reference_is_retracted_since_goes_back(editor, reviewer):
    article = _article()
    Article.objects.filter(pk=article.pk).update(
        go_live_at=timezone.now() + datetime.timedelta(hours=1)
    )
    revision = _submitted(editor.user, _edit_body("ketamine-therapy-for-anxiety", "More."))
    assert _approve(revision, reviewer.user).status == Revision.Status.APPROVED
    Reference.objects.filter(key="whittaker2021").update(retracted=True)
    done = workflow.run_schedule(now=timezone.now() + datetime.timedelta(hours=2))
    assert done["failed"] == 1
    revision.refresh_from_db()
    assert revision.status == Revision.Status.SENT_BACK
    assert "whittaker2021" in revision.review_comment


def test_a_topic_page_showing_a_section_that_cites_a_retracted_work_cannot_be_approved(
    editor, reviewer
):
    Reference.objects.filter(key="clark2020").update(retracted=True)
    chronic_pain = Section.objects.get(anchor="ketamine-therapy-for-chronic-pain")
    page = TopicPage.objects.exclude(topic_sections__section=chronic_pain).first()
    content = workflow.current_content(page)
    content["sections"].append(chronic_pain.pk)
    workflow.save_draft(page, content, user=editor.user)
    revision = workflow.submit(page, user=editor.user)
    with pytest.raises(WorkflowError, match="“clark2020”"):
        _approve(revision, reviewer.user)


def test_an_added_overstating_phrase_needs_the_reviewers_reason(editor, reviewer):
    revision = _submitted(
        editor.user, _edit_body("ketamine-therapy-for-anxiety", "For many it is a cure.")
    )
    with pytest.raises(WorkflowError) as refused:
        _approve(revision, reviewer.user)
    assert "“cure” in Section “Ketamine Therapy for Anxiety” (“For many it is a cure.”)" in str(
        refused.value
    )
    (added,) = review_checks.claims_of(_article(), revision.content).added
    with pytest.raises(WorkflowError):
        _approve(revision, reviewer.user, claim_reasons={added.key: "   "})
    approved = _approve(
        revision,
        reviewer.user,
        claim_reasons={added.key: "The cited trial reports remission in most patients."},
    )
    assert approved.status == Revision.Status.PUBLISHED
    (kept,) = approved.settled_claims.all()
    assert (kept.phrase, kept.sentence, kept.settled_by) == (
        "cure",
        "For many it is a cure.",
        reviewer.user,
    )
    assert kept.reason == "The cited trial reports remission in most patients."


def test_phrases_already_live_are_no_bar_to_approving_other_changes(editor, reviewer):
    claims = review_checks.claims_of(_article(), workflow.current_content(_article()))
    assert [match.found for match in claims.live] == ["doesn't cause physical dependence"]
    revision = _submitted(editor.user, _edit_body("ketamine-therapy-for-anxiety", "More text."))
    assert _approve(revision, reviewer.user).status == Revision.Status.PUBLISHED


def test_a_page_not_yet_live_adds_every_phrase_it_holds(editor, reviewer):
    article = _article()
    workflow.unpublish(article)
    revision = _submitted(editor.user, _edit_body("ketamine-therapy-for-anxiety", "More."))
    added = review_checks.claims_of(_article(), revision.content).added
    assert [match.found for match in added] == ["doesn't cause physical dependence"]
    with pytest.raises(WorkflowError, match="doesn't cause physical dependence"):
        _approve(revision, reviewer.user)


def test_the_discern_ticks_are_kept_with_the_revision_and_never_required(editor, reviewer):
    revision = _submitted(editor.user, _edit_body("ketamine-therapy-for-anxiety", "More."))
    approved = _approve(revision, reviewer.user, discern_ticks=["risks", "benefits"])
    approved.refresh_from_db()
    assert approved.discern == {
        "how_it_works": False,
        "benefits": True,
        "risks": True,
        "without_treatment": False,
        "alternatives": False,
        "uncertainty": False,
        "regulatory_status": False,
        "sources_and_dates": False,
    }
    second = _submitted(editor.user, _edit_body("ketamine-therapy-for-anxiety", "Again."))
    assert _approve(second, reviewer.user, discern_ticks=[]).status == "published"
    third = _submitted(editor.user, _edit_body("ketamine-therapy-for-anxiety", "Once more."))
    assert _approve(third, reviewer.user).discern == {}  # the checklist was not shown


def test_live_phrases_are_listed_to_settle_until_a_reviewer_settles_them(reviewer, editor):
    listed = {
        str(entry.page): [match.found for match in entry.claims]
        for entry in review_checks.live_claims_to_settle()
    }
    assert listed[_article().title] == ["doesn't cause physical dependence"]
    showing = TopicPage.objects.live().filter(
        topic_sections__section__anchor="ketamine-therapy-for-chronic-pain"
    )
    for page in showing:
        assert listed[page.title] == ["doesn't cause physical dependence"]
    (match,) = review_checks.claims_in(_article(), workflow.current_content(_article()))
    with pytest.raises(WorkflowError, match="Only a clinical reviewer"):
        workflow.settle_claim(_article(), key=match.key, reason="Sourced.", reviewer=editor.user)
    with pytest.raises(WorkflowError, match="no longer on the live page"):
        workflow.settle_claim(_article(), key="0" * 24, reason="Sourced.", reviewer=reviewer.user)
    settled = workflow.settle_claim(
        _article(),
        key=match.key,
        reason="Niesters 2014 says it causes no physical dependence at these doses.",
        reviewer=reviewer.user,
    )
    assert settled.page == _article() and settled.revision is None
    # The same sentence is the same claim on every page that shows it.
    assert review_checks.live_claims_to_settle() == []
    with pytest.raises(WorkflowError, match="already settled"):
        workflow.settle_claim(_article(), key=match.key, reason="Again.", reviewer=reviewer.user)
    assert SettledClaim.objects.count() == 1


def test_the_live_list_costs_the_same_queries_however_many_pages(django_assert_num_queries):
    from tests.factories import make_article, make_topic_page

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            review_checks.live_claims_to_settle()
        return len(queries)

    before = count()
    for number in range(3):
        article = make_article(sections=[f"Number {number} is a cure."])
        make_topic_page(sections=list(article.sections.all()))
    assert count() == before


def test_key_points_are_checked_like_sections(editor, reviewer):
    def change(content):
        content["key_points"][0]["text"] = "Ketamine is a guaranteed fix for depression."

    revision = _submitted(editor.user, change)
    (added,) = review_checks.claims_of(_article(), revision.content).added
    assert (added.found, added.where) == ("guaranteed", "Key point 1")
    with pytest.raises(WorkflowError, match="“guaranteed” in Key point 1"):
        _approve(revision, reviewer.user)
