"""The checks at review as staff meet them: the section form and its live preview, the
review page, the phrases to settle, and the admin home."""

import lxml.html
import pytest

from articles.models import Article, Section
from publishing import workflow
from publishing.models import Revision, SettledClaim
from references.models import Reference
from tests.admin_forms import form_values
from tests.factories import post_section_edit

pytestmark = pytest.mark.django_db

SLUG = "who-can-benefit-from-ketamine-therapy"


def _review_url(revision):
    return f"/admin/publishing/revision/{revision.pk}/review/"


def _submitted_edit(editor, anchor, add):
    section = Section.objects.get(article__slug=SLUG, anchor=anchor)
    assert post_section_edit(editor, section, section.body + f"\n\n{add}").status_code == 302
    return workflow.submit(section.article, user=editor.user)


def _text(response, xpath):
    """The words of the elements at `xpath`, each text node apart (table cells too)."""
    document = lxml.html.fromstring(response.content.decode())
    return " ".join(" ".join(" ".join(node.itertext()).split()) for node in document.xpath(xpath))


def test_the_section_form_shows_the_phrases_a_reviewer_will_weigh(editor):
    section = Section.objects.get(article__slug=SLUG, anchor="ketamine-therapy-for-chronic-pain")
    response = editor.get(f"/admin/articles/section/{section.pk}/change/")
    shown = _text(response, "//div[contains(@class, 'field-reading')]")
    assert "1 phrase(s) a clinical reviewer will weigh" in shown
    assert "“doesn't cause physical dependence” in “Unlike other pain management" in shown


def test_the_article_form_shows_them_beside_each_section(editor):
    article = Article.objects.get(slug=SLUG)
    response = editor.get(f"/admin/articles/article/{article.pk}/change/")
    assert "phrase(s) a clinical reviewer will weigh" in response.content.decode()


def test_the_section_form_flags_a_retracted_reference_it_cites(editor):
    Reference.objects.filter(key="feder2014").update(retracted=True)
    section = Section.objects.get(article__slug=SLUG, anchor="ketamine-for-patients-with-ptsd")
    response = editor.get(f"/admin/articles/section/{section.pk}/change/")
    assert "Cites a retracted reference: feder2014." in _text(
        response, "//div[contains(@class, 'field-reading')]"
    )
    assert "feder2014 (retracted)" in _text(response, "//div[contains(@class, 'field-cites')]")


def test_the_live_preview_flags_them_as_the_editor_types(editor):
    Reference.objects.filter(key="feder2014").update(retracted=True)
    response = editor.post(
        "/markdownx/markdownify/",
        {"content": "It is a guaranteed cure [@feder2014]."},
    )
    html = response.content.decode()
    assert "Retracted: @feder2014." in html
    assert "“guaranteed” in “It is a guaranteed cure" in html
    assert "“cure” in “It is a guaranteed cure" in html


def test_the_review_page_names_the_retracted_reference_and_where_and_refuses(editor, reviewer):
    revision = _submitted_edit(editor, "ketamine-therapy-for-anxiety", "More.")
    Reference.objects.filter(key="feder2014").update(retracted=True)
    page = reviewer.get(_review_url(revision))
    assert "feder2014 (Efficacy of intravenous ketamine" in _text(
        page, "//*[@id='retracted-citations']"
    )
    assert "Cited in Section “Ketamine for Patients with PTSD”" in _text(
        page, "//*[@id='retracted-citations']"
    )
    data = {"action": "approve", "credit": "Rhea Ward, MD", "next_review_on": "2099-01-01"}
    refused = reviewer.post(_review_url(revision), data, follow=True)
    assert "It cites a retracted reference, so it cannot be published" in refused.content.decode()
    revision.refresh_from_db()
    assert revision.status == Revision.Status.SUBMITTED


def test_an_added_phrase_asks_the_reviewer_for_a_reason_kept_with_the_approval(editor, reviewer):
    revision = _submitted_edit(editor, "ketamine-therapy-for-anxiety", "It is 100% safe.")
    page = reviewer.get(_review_url(revision))
    assert "This revision adds one such phrase" in page.content.decode()
    values = form_values(page, field="credit")
    (reason_field,) = [name for name in values if name.startswith("claim_")]
    values.update(action="approve", credit="Rhea Ward, MD", next_review_on="2099-01-01")
    missing = reviewer.post(_review_url(revision), values)
    assert missing.status_code == 200
    assert "Give your reason for approving it as written" in missing.content.decode()
    values[reason_field] = "Withdrawn wording is fine: the trial reports no serious harms."
    values["discern"] = ["risks", "regulatory_status"]
    assert reviewer.post(_review_url(revision), values).status_code == 302
    revision.refresh_from_db()
    assert revision.status == Revision.Status.PUBLISHED
    assert revision.discern["risks"] and revision.discern["regulatory_status"]
    assert not revision.discern["alternatives"]
    (kept,) = revision.settled_claims.all()
    assert kept.phrase == "100%" and kept.sentence == "It is 100% safe."
    after = reviewer.get(_review_url(revision))
    assert "Withdrawn wording is fine" in _text(after, "//*[@id='overstating-phrases']")
    kept_ticks = _text(after, "//*[@id='discern-kept']")
    assert "Its risks and side effects Says it" in kept_ticks
    assert "The alternatives Not said" in kept_ticks


def test_the_checklist_shows_hints_and_is_never_required(editor, reviewer):
    revision = _submitted_edit(editor, "ketamine-therapy-for-anxiety", "More.")
    page = reviewer.get(_review_url(revision))
    checklist = _text(page, "//*[@id='discern-checklist']")
    assert "Its risks and side effects" in checklist
    assert "Seems to be in:" in checklist and "Cites 21 reference(s)." in checklist
    data = {"action": "approve", "credit": "Rhea Ward, MD", "next_review_on": "2099-01-01"}
    assert reviewer.post(_review_url(revision), data).status_code == 302
    revision.refresh_from_db()
    assert revision.discern and not any(revision.discern.values())


def test_a_live_phrase_is_shown_as_no_bar_and_the_approval_asks_no_reason(editor, reviewer):
    revision = _submitted_edit(editor, "ketamine-therapy-for-anxiety", "More.")
    page = reviewer.get(_review_url(revision))
    assert "not a bar to approving this revision" in page.content.decode()
    assert not [name for name in form_values(page, field="credit") if name.startswith("claim_")]


def test_reviewers_settle_live_phrases_from_their_list_and_the_home_page_says_so(reviewer, editor):
    home = reviewer.get("/admin/")
    assert "Overstating phrases on live pages" in home.content.decode()
    listing = reviewer.get("/admin/phrases-to-settle/")
    forms = lxml.html.fromstring(listing.content).xpath("//div[@id='claims-to-settle']//form")
    assert forms, "a form to settle each"
    data = dict(forms[0].form_values())
    data["reason"] = "Niesters 2014 reports no physical dependence at these doses."
    assert editor.post("/admin/phrases-to-settle/", data).status_code == 403
    done = reviewer.post("/admin/phrases-to-settle/", data, follow=True)
    assert "is settled; your reason is kept" in done.content.decode()
    assert SettledClaim.objects.get().reason.startswith("Niesters 2014")
    assert "Nothing to settle" in reviewer.get("/admin/phrases-to-settle/").content.decode()
    assert "Overstating phrases on live pages" not in reviewer.get("/admin/").content.decode()


def test_editors_see_what_live_pages_do_not_say_on_the_admin_home(editor, reviewer):
    home = editor.get("/admin/")
    gaps = _text(home, "//*[@id='discern-gaps']")
    assert "No reviewer has ticked its DISCERN checklist yet." in gaps
    revision = _submitted_edit(editor, "ketamine-therapy-for-anxiety", "More.")
    workflow.approve(
        revision,
        reviewer=reviewer.user,
        credit="Rhea Ward, MD",
        next_review_on=workflow.default_next_review(),
        discern_ticks=[code for code in ["how_it_works", "benefits", "risks"]],
    )
    gaps = _text(editor.get("/admin/"), "//*[@id='discern-gaps']")
    assert (
        "Who Can Benefit From Ketamine Therapy? Does not say: what happens without treatment; "
        "the alternatives"
    ) in gaps


def test_a_reviewer_withdraws_a_settled_reason_and_the_phrase_is_listed_again(reviewer, editor):
    article = Article.objects.get(slug=SLUG)
    from publishing import review_checks

    (match,) = review_checks.claims_in(article, workflow.current_content(article))
    settled = workflow.settle_claim(
        article, key=match.key, reason="Sourced.", reviewer=reviewer.user
    )
    url = f"/admin/publishing/settledclaim/{settled.pk}/delete/"
    assert "Sourced." in editor.get("/admin/publishing/settledclaim/").content.decode()
    assert editor.post(url, {"post": "yes"}).status_code == 403
    assert reviewer.post(url, {"post": "yes"}).status_code == 302
    assert not SettledClaim.objects.exists()
    assert review_checks.live_claims_to_settle()
