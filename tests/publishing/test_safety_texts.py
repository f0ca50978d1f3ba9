"""The crisis strip, crisis message and disclaimer: edited in the admin, changed for patients
only once a clinical reviewer approves, like any page."""

import pytest

from clinic.models import ClinicSettings
from publishing import workflow
from publishing.models import Revision
from tests.admin_forms import form_values, marked_words

pytestmark = pytest.mark.django_db

URL = "/admin/clinic/clinicsettings/1/change/"
WRONG_NUMBER = "In an emergency call 12399. The crisis line: call or text 12345."


def _save(client, **changes):
    data = form_values(client.get(URL), field="clinic_name")
    data.update(changes)
    return client.post(URL, data)


def test_the_crisis_strip_is_editable_in_the_clinic_settings(editor):
    form = editor.get(URL).content.decode()
    for name in ("crisis_strip_label", "crisis_line", "emergency_number", "crisis_message"):
        assert f'name="{name}"' in form, name
    assert "changed through clinical review" in form


def test_a_wrong_crisis_number_saved_by_an_editor_does_not_go_live(editor, client):
    response = _save(editor, crisis_message=WRONG_NUMBER, crisis_line="12345")
    assert response.status_code == 302
    for url in ("/", "/articles/who-can-benefit-from-ketamine-therapy/", "/contact/"):
        page = client.get(url).content.decode()
        assert "12345" not in page and "12399" not in page, url
        assert 'href="tel:988"' in page, url
    live = ClinicSettings.load()
    assert (live.crisis_line, "12345" in live.crisis_message) == ("988", False)
    # The form shows the draft, so the editor sees what they saved.
    assert WRONG_NUMBER in editor.get(URL).content.decode()


def test_contact_details_still_change_at_once(editor, client):
    _save(editor, phone="555 0100 23")
    assert ClinicSettings.load().phone == "555 0100 23"
    assert "555 0100 23" in client.get("/contact/").content.decode()
    assert not Revision.objects.of(ClinicSettings.load()).exists()


def test_a_reviewer_sees_the_change_word_by_word_and_approves_it(editor, reviewer, client):
    _save(editor, crisis_strip_label="In crisis right now?")
    revision = Revision.objects.of(ClinicSettings.load()).first()
    assert revision.status == Revision.Status.DRAFT
    assert "changed the crisis strip's label" in revision.summary
    editor.post(f"/admin/publishing/revision/{revision.pk}/review/", {"action": "submit"})
    review = reviewer.get(f"/admin/publishing/revision/{revision.pk}/review/")
    assert "Need help" in marked_words(review, "del")
    assert "In crisis right" in marked_words(review, "ins")
    assert (
        "Next review due" not in review.content.decode()
    )  # the texts have no review dates of their own
    assert "In crisis right now?" not in client.get("/").content.decode()
    response = reviewer.post(
        f"/admin/publishing/revision/{revision.pk}/review/",
        {"action": "approve", "credit": "Rhea Ward, MD"},
    )
    assert response.status_code == 302
    assert "In crisis right now?" in client.get("/").content.decode()
    revision.refresh_from_db()
    assert (revision.status, revision.reviewer_credit) == (
        Revision.Status.PUBLISHED,
        "Rhea Ward, MD",
    )


def test_an_editor_cannot_approve_their_own_safety_text(editor):
    _save(editor, crisis_message=WRONG_NUMBER)
    revision = Revision.objects.of(ClinicSettings.load()).first()
    editor.post(f"/admin/publishing/revision/{revision.pk}/review/", {"action": "submit"})
    response = editor.post(
        f"/admin/publishing/revision/{revision.pk}/review/",
        {"action": "approve", "credit": "Eddie"},
    )
    assert response.status_code == 403
    assert ClinicSettings.load().crisis_message != WRONG_NUMBER


def test_an_empty_crisis_number_is_refused_with_the_editors_text_kept(editor):
    response = _save(editor, crisis_line="", crisis_message="Kept text.")
    assert response.status_code == 200
    page = response.content.decode()
    assert "This field is required." in page and "Kept text." in page
    assert not Revision.objects.of(ClinicSettings.load()).exists()


def test_the_safety_texts_are_listed_for_review_under_their_own_name(editor, reviewer):
    _save(editor, disclaimer="A disclaimer for review.")
    workflow.submit(ClinicSettings.load(), user=editor.user)
    home = reviewer.get("/admin/").content.decode()
    assert "Safety texts: crisis strip, crisis message and disclaimer" in home
