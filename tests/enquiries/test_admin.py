"""Staff groups: content editors never see enquiries; handlers work them in the admin."""

import csv
import io

import pytest
from django.core import mail

from enquiries.models import Enquiry, StatusChange
from tests.factories import enquiry_data

pytestmark = pytest.mark.django_db
EDITORS, HANDLERS = "Content editors", "Enquiry handlers"


@pytest.fixture
def enquiry(client, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ENQUIRY_DEFAULT_RECIPIENTS = ["desk@clinic.example"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/enquire/",
            enquiry_data(name="Casey Client", message='=HYPERLINK("http://evil.example")'),
        )
    mail.outbox.clear()
    return Enquiry.objects.get()


def test_content_editor_cannot_see_enquiries_at_all(client, make_staff, enquiry):
    client.force_login(make_staff("editor", group=EDITORS))
    index = client.get("/admin/").content.decode()
    assert "Articles" in index and "Enquiries" not in index
    assert client.get("/admin/enquiries/enquiry/").status_code == 403
    assert client.get(f"/admin/enquiries/enquiry/{enquiry.pk}/change/").status_code == 403
    assert client.get("/admin/enquiries/routingrule/").status_code == 403


def test_content_editor_can_edit_content(client, make_staff):
    client.force_login(make_staff("editor", group=EDITORS))
    for url in [
        "/admin/articles/article/",
        "/admin/topics/topicpage/",
        "/admin/references/reference/add/",
    ]:
        assert client.get(url).status_code == 200, url


def test_handler_sees_enquiries_but_not_content_admin(client, make_staff, enquiry):
    client.force_login(make_staff("handler", group=HANDLERS))
    listing = client.get("/admin/enquiries/enquiry/")
    assert listing.status_code == 200
    assert enquiry.reference in listing.content.decode()
    detail = client.get(f"/admin/enquiries/enquiry/{enquiry.pk}/change/").content.decode()
    assert "Casey Client" in detail
    assert client.get("/admin/articles/article/").status_code == 403
    assert client.get("/admin/enquiries/enquiry/add/").status_code == 403


@pytest.mark.parametrize("query", ["status__exact=new", "topic__exact=costs", "is_urgent__exact=0"])
def test_handler_filters_the_list(client, make_staff, enquiry, query):
    client.force_login(make_staff("handler", group=HANDLERS))
    response = client.get(f"/admin/enquiries/enquiry/?{query}")
    assert list(response.context["cl"].result_list) == [enquiry]


def test_handler_assigns_changes_status_and_adds_a_note_with_history(client, make_staff, enquiry):
    handler = make_staff("handler", group=HANDLERS)
    client.force_login(handler)
    response = client.post(
        f"/admin/enquiries/enquiry/{enquiry.pk}/change/",
        {
            "status": "in_progress",
            "assigned_to": handler.pk,
            "notes-TOTAL_FORMS": "1",
            "notes-INITIAL_FORMS": "0",
            "notes-0-text": "Left a voicemail.",
            "status_changes-TOTAL_FORMS": "0",
            "status_changes-INITIAL_FORMS": "1",
            "notifications-TOTAL_FORMS": "0",
            "notifications-INITIAL_FORMS": "1",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.assigned_to) == ("in_progress", handler)
    note = enquiry.notes.get()
    assert (note.text, note.author) == ("Left a voicemail.", handler)
    history = list(
        StatusChange.objects.filter(enquiry=enquiry).values_list(
            "from_status", "to_status", "changed_by"
        )
    )
    assert history == [("", "new", None), ("new", "in_progress", handler.pk)]


def test_only_handlers_may_be_assigned(client, make_staff, enquiry):
    handler = make_staff("handler", group=HANDLERS)
    editor = make_staff("editor", group=EDITORS)
    client.force_login(handler)
    form = client.get(f"/admin/enquiries/enquiry/{enquiry.pk}/change/").context["adminform"].form
    choices = list(form.fields["assigned_to"].queryset)
    assert handler in choices and editor not in choices


def test_handler_exports_csv_with_formulas_neutralised(client, make_staff, enquiry):
    client.force_login(make_staff("handler", group=HANDLERS))
    response = client.post(
        "/admin/enquiries/enquiry/", {"action": "export_csv", "_selected_action": [enquiry.pk]}
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["reference"] == enquiry.reference
    assert rows[0]["name"] == "Casey Client"
    assert rows[0]["message"].startswith("'=HYPERLINK")


def test_export_needs_its_own_permission(client, make_staff, enquiry):
    viewer = make_staff("viewer")
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_enquiry", "change_enquiry"])
    )
    client.force_login(viewer)
    listing = client.get("/admin/enquiries/enquiry/")
    assert listing.status_code == 200
    assert "export_csv" not in listing.content.decode()


def test_notes_cannot_be_deleted_so_nothing_is_logged_as_deleted(client, make_staff, enquiry):
    from django.contrib.admin.models import LogEntry
    from django.contrib.auth import get_user_model

    note = enquiry.notes.create(text="Called back, left a message.")
    boss = get_user_model().objects.create_superuser("boss", "boss@clinic.example", "pw")
    client.force_login(boss)
    url = f"/admin/enquiries/enquiry/{enquiry.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="notes-0-DELETE"' not in page
    data = {
        "status": enquiry.status,
        "assigned_to": "",
        "notes-TOTAL_FORMS": "2",
        "notes-INITIAL_FORMS": "1",
        "notes-0-id": str(note.pk),
        "notes-0-enquiry": str(enquiry.pk),
        "notes-0-DELETE": "on",
        "notes-1-enquiry": str(enquiry.pk),
        "notes-1-text": "",
        "status_changes-TOTAL_FORMS": "0",
        "status_changes-INITIAL_FORMS": "0",
        "notifications-TOTAL_FORMS": "0",
        "notifications-INITIAL_FORMS": "0",
    }
    client.post(url, data)
    assert enquiry.notes.filter(pk=note.pk).exists()
    logged = " ".join(str(entry.get_change_message()) for entry in LogEntry.objects.all())
    assert "Deleted" not in logged


def test_the_admin_has_a_content_security_policy(client, make_staff):
    client.force_login(make_staff("handler", group="Enquiry handlers"))
    policy = client.get("/admin/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    assert "script-src" not in policy, "scripts fall back to 'self': no inline ones"
