"""An editing day without hunting: each role's home, the next step where one is, a
reviewer's comments beside the sections they are about, the reviewer's own credit, and a save
that costs the same however long the article."""

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Section
from publishing import workflow
from publishing.models import ReviewComment, Revision, StaffProfile
from tests.admin_forms import form_values
from tests.factories import make_article, make_enquiry, without_seed_translations

pytestmark = pytest.mark.django_db

GUIDE = "ketamine-therapy-for-depression-guide"
SHORT = "who-can-benefit-from-ketamine-therapy"


def _form_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


def _save(client, article, **changes):
    data = form_values(client.get(_form_url(article)))
    data.update(changes)
    return client.post(_form_url(article), data)


def _document(response):
    return lxml.html.fromstring(response.content.decode())


# Each role's home ----------------------------------------------------------------------------


def test_an_editors_home_lists_drafts_changes_sent_back_and_those_waiting(editor, reviewer):
    guide, short = Article.objects.get(slug=GUIDE), Article.objects.get(slug=SHORT)
    _save(editor, guide, summary="A draft summary.")
    _save(editor, short, summary="A summary sent for review.")
    waiting = workflow.submit(short, user=editor.user)
    home = _document(editor.get("/admin/"))
    (box,) = home.xpath("//*[@id='editor-home']")
    text = box.text_content()
    assert "A Guide to Ketamine Therapy for Depression" in text  # a draft
    assert box.xpath(f".//a[@href='/admin/publishing/revision/{waiting.pk}/review/']")
    workflow.send_back(waiting, reviewer=reviewer.user, comment="Cite the source of the figure.")
    text = _document(editor.get("/admin/")).xpath("//*[@id='editor-home']")[0].text_content()
    assert "Sent back" in text and "Cite the source of the figure." in text
    # A reviewer has no editor's home; a handler has neither.
    assert not _document(reviewer.get("/admin/")).xpath("//*[@id='editor-home']")


def test_a_reviewers_home_lists_what_waits_oldest_first_and_reviews_overdue(editor, reviewer):
    without_seed_translations()  # the seed's, waiting for review
    import datetime

    from django.utils import timezone

    guide, short = Article.objects.get(slug=GUIDE), Article.objects.get(slug=SHORT)
    _save(editor, short, summary="Submitted first.")
    first = workflow.submit(short, user=editor.user)
    _save(editor, guide, summary="Submitted second.")
    second = workflow.submit(guide, user=editor.user)
    Article.objects.filter(pk=short.pk).update(
        next_review_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    (box,) = _document(reviewer.get("/admin/")).xpath("//*[@id='reviewer-home']")
    links = [a.get("href") for a in box.xpath(".//*[@id='waiting-for-review']//a")]
    assert links == [
        f"/admin/publishing/revision/{first.pk}/review/",
        f"/admin/publishing/revision/{second.pk}/review/",
    ]
    assert "Who Can Benefit" in box.xpath(".//caption[contains(., 'overdue')]/..")[0].text_content()


def test_a_handlers_home_counts_new_and_urgent_enquiries_each_a_link(client, django_user_model):
    from django.contrib.auth.models import Group

    handler = django_user_model.objects.create_user("hana", is_staff=True)
    handler.groups.add(Group.objects.get(name="Enquiry handlers"))
    client.force_login(handler)
    make_enquiry(is_urgent=True)
    make_enquiry()
    make_enquiry(status="closed")
    (box,) = _document(client.get("/admin/")).xpath("//*[@id='handler-home']")
    counts = {a.get("href").split("?")[1]: a.text_content().split()[0] for a in box.xpath(".//a")}
    assert counts["status__exact=new&is_urgent__exact=1"] == "1"
    assert counts["status__exact=new"] == "2"  # the urgent one counted among the new
    urgent_list = client.get("/admin/enquiries/enquiry/?status__exact=new&is_urgent__exact=1")
    assert urgent_list.status_code == 200
    # Urgent is a red label in words, not a green tick.
    page = urgent_list.content.decode()
    assert '<span class="urgent-label">Urgent</span>' in page and "icon-yes.svg" not in page
    assert not _document(client.get("/admin/")).xpath("//*[@id='launch-checklist']")


# The next step where one is ------------------------------------------------------------------


def test_after_saving_the_form_offers_to_submit_and_save_and_submit_does(editor, reviewer):
    article = Article.objects.get(slug=SHORT)
    page = _document(editor.get(_form_url(article)))
    assert page.xpath("//input[@name='_save_and_submit']")
    assert not page.xpath("//button[@value='submit']")  # nothing saved yet to submit
    _save(editor, article, summary="A plainer summary.")
    pending = workflow.latest_revision(article)
    page = _document(editor.get(_form_url(article)))
    (button,) = page.xpath("//button[@value='submit']")
    assert button.get("formaction") == f"/admin/publishing/revision/{pending.pk}/review/"

    response = _save(editor, article, summary="Plainer still.", _save_and_submit="1")
    assert response.status_code == 302
    latest = workflow.latest_revision(article)
    assert (latest.status, latest.content["fields"]["summary"]) == (
        Revision.Status.SUBMITTED,
        "Plainer still.",
    )


def test_after_approving_the_reviewer_lands_on_the_next_change_waiting(editor, reviewer):
    without_seed_translations()  # the seed's, waiting for review
    guide, short = Article.objects.get(slug=GUIDE), Article.objects.get(slug=SHORT)
    _save(editor, short, summary="First.")
    first = workflow.submit(short, user=editor.user)
    _save(editor, guide, summary="Second.")
    second = workflow.submit(guide, user=editor.user)
    response = reviewer.post(
        f"/admin/publishing/revision/{first.pk}/review/",
        {"action": "approve", "credit": "Rhea Ward, MD", "next_review_on": "2031-01-01"},
    )
    assert response["Location"] == f"/admin/publishing/revision/{second.pk}/review/"
    response = reviewer.post(
        f"/admin/publishing/revision/{second.pk}/review/",
        {"action": "send_back", "comment": "Not yet."},
    )
    assert response["Location"] == "/admin/"


# Comments where they apply -------------------------------------------------------------------


def test_section_comments_sit_beside_their_sections_until_marked_resolved(editor, reviewer):
    article = Article.objects.get(slug=SHORT)
    _save(editor, article, summary="For review.")
    revision = workflow.submit(article, user=editor.user)
    review = reviewer.get(f"/admin/publishing/revision/{revision.pk}/review/")
    fields = {
        f.get("name"): f for f in _document(review).xpath("//form[@id='send-back-form']//textarea")
    }
    anxiety = next(
        name
        for name, field in fields.items()
        if "Ketamine Therapy for Anxiety" in field.getparent().text_content()
        or "Anxiety" in (field.label.text_content() if field.label is not None else "")
    )
    response = reviewer.post(
        f"/admin/publishing/revision/{revision.pk}/review/",
        {"action": "send_back", "comment": "", anxiety: "Say which study this is."},
    )
    assert response.status_code == 302
    (comment,) = ReviewComment.objects.filter(revision=revision)
    section = Section.objects.get(anchor="ketamine-therapy-for-anxiety")
    assert (comment.section_id, comment.text) == (section.pk, "Say which study this is.")

    form = _document(editor.get(_form_url(article)))
    (box,) = form.xpath("//*[contains(@class, 'review-comments')]")
    inline = box.getparent()
    assert inline.xpath(f".//input[@value='{section.anchor}']"), "beside its own section"
    assert "Say which study this is." in box.text_content()
    # Its own section's form shows it too.
    own = editor.get(f"/admin/articles/section/{section.pk}/change/").content.decode()
    assert "Say which study this is." in own

    _save(editor, article, summary="Fixed.", resolve_comment=str(comment.pk))
    comment.refresh_from_db()
    assert comment.resolved_by == editor.user and comment.resolved_at
    assert "Say which study this is." not in editor.get(_form_url(article)).content.decode()


def test_sending_back_needs_a_comment_somewhere(editor, reviewer):
    article = Article.objects.get(slug=SHORT)
    _save(editor, article, summary="For review.")
    revision = workflow.submit(article, user=editor.user)
    response = reviewer.post(
        f"/admin/publishing/revision/{revision.pk}/review/", {"action": "send_back"}
    )
    assert response.status_code == 200
    assert "Say what needs changing, overall or on a section" in response.content.decode()
    assert Revision.objects.get(pk=revision.pk).status == Revision.Status.SUBMITTED


# The reviewer's credit -----------------------------------------------------------------------


def test_the_approve_form_offers_the_reviewers_own_credit_never_their_username(editor, reviewer):
    article = Article.objects.get(slug=SHORT)
    _save(editor, article, summary="For review.")
    revision = workflow.submit(article, user=editor.user)
    url = f"/admin/publishing/revision/{revision.pk}/review/"
    (credit,) = _document(reviewer.get(url)).xpath("//input[@name='credit']")
    assert credit.get("value") in (None, "")  # not "rhea", nor "Rhea Ward" from the account
    response = reviewer.post(
        "/admin/publishing/staffprofile/mine/", {"name": "Rhea Ward", "credentials": "MD, PhD"}
    )
    assert response.status_code == 302
    assert StaffProfile.objects.get(user=reviewer.user).credit == "Rhea Ward, MD, PhD"
    (credit,) = _document(reviewer.get(url)).xpath("//input[@name='credit']")
    assert credit.get("value") == "Rhea Ward, MD, PhD"


def test_any_staff_member_edits_only_their_own_profile(editor, reviewer):
    editor.post("/admin/publishing/staffprofile/mine/", {"name": "Eddie Editor"})
    reviewer.post("/admin/publishing/staffprofile/mine/", {"name": "Rhea Ward"})
    assert StaffProfile.objects.get(user=editor.user).name == "Eddie Editor"
    assert StaffProfile.objects.get(user=reviewer.user).name == "Rhea Ward"
    assert editor.get("/admin/publishing/staffprofile/").status_code == 403


# Fast enough not to notice --------------------------------------------------------------------


def _save_queries(client, article):
    data = form_values(client.get(_form_url(article)))
    data["summary"] = f"Changed {article.pk}."
    with CaptureQueriesContext(connection) as queries:
        response = client.post(_form_url(article), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return [query["sql"] for query in queries.captured_queries]


def test_saving_a_long_article_costs_what_a_short_one_does(editor):
    """Each with sections citing references, as the seed articles' do."""
    short = make_article(sections=[f"Claim {n} [@zunszain2013]." for n in range(2)])
    long = make_article(sections=[f"Claim {n} [@zunszain2013; @andrade2017]." for n in range(30)])
    for article in (short, long):
        workflow.save_draft(article, workflow.current_content(article), user=editor.user)
    assert len(_save_queries(editor, long)) == len(_save_queries(editor, short))


def test_saving_the_longest_seed_article_reads_its_newest_revision_once(editor):
    guide = Article.objects.get(slug=GUIDE)
    workflow.save_draft(guide, workflow.current_content(guide), user=editor.user)
    queries = _save_queries(editor, guide)
    newest = [
        q
        for q in queries
        if 'FROM "publishing_revision"' in q
        and "DESC LIMIT 1" in q
        and '"publishing_revision"."id" =' not in q  # the one the form was made from, by id
    ]
    assert len(newest) == 1


def test_a_revision_preview_reads_the_revision_once(editor):
    article = Article.objects.get(slug=GUIDE)
    revision = workflow.save_draft(article, workflow.current_content(article), user=editor.user)
    with CaptureQueriesContext(connection) as queries:
        response = editor.get(f"/admin/publishing/revision/{revision.pk}/preview/")
    assert response.status_code == 200
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "publishing_revision"' in q["sql"]]
    assert len(reads) == 1
