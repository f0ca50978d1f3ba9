"""Whole files import in one go: the previewed batch is kept on the server, signed and
expiring, and exactly it is imported, once, whichever app server the confirm reaches."""

import datetime
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core import signing
from django.test import Client
from django.utils import timezone
from django.utils.module_loading import import_string

from references import services
from references.formatting import format_pending
from references.models import ImportBatch, Reference, ReferenceAuthor
from tests.concurrency import run_at_once
from tests.factories import make_reference
from tests.references.imports import IMPORT_URL, confirm, preview
from tests.references.library import NEAR_TWO_MB, mendeley_library
from tests.worker import run_worker_until

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent / "samples"
TWO_MB = 2 * 1024 * 1024
# Whatever the entries: the session and its user; the stored references, read once;
# expired batches removed; the batch written; the clinic settings the admin's pages show (2).
PREVIEW_QUERIES = 7


def test_a_generated_near_two_mb_mendeley_file_imports_whole(staff_client):
    text = mendeley_library(2000, target_bytes=NEAR_TWO_MB)
    assert 1_900_000 < len(text.encode()) <= TWO_MB
    before = Reference.objects.count()
    previewed = preview(staff_client, upload=text.encode(), name="My Library.bib")
    assert previewed.status_code == 200
    page = previewed.content.decode()
    assert "Preview of My Library.bib" in page and "2000 entries read" in page
    assert "Import 2000 new references" in page
    response = confirm(staff_client, previewed, follow=True)
    assert "Imported 2000 new references; 0 matched existing ones." in response.content.decode()
    assert Reference.objects.count() == before + 2000
    last = Reference.objects.get(doi="10.5555/atma.gen.2000")
    assert last.pmid == "80002000"
    assert last.authors.exists() and last.history.get().history_user.username == "editor"


def test_pasted_text_over_200000_characters_imports_too(staff_client):
    """The old confirm step sent the text back through a field capped at 200,000."""
    text = mendeley_library(260)
    assert len(text) > 200_000
    previewed = preview(staff_client, text)
    assert confirm(staff_client, previewed).status_code == 302
    assert Reference.objects.filter(doi__startswith="10.5555/atma.gen.").count() == 260


def test_pasted_text_over_two_mb_is_refused_saying_so(staff_client):
    response = preview(staff_client, "x" * (TWO_MB + 1))
    assert response.status_code == 200
    assert "The pasted text is larger than 2 MB: import it in parts." in (response.content.decode())
    assert not ImportBatch.objects.exists()


def test_the_import_stores_what_was_previewed_not_what_is_posted(staff_client):
    previewed = preview(staff_client, (SAMPLES / "sample.ris").read_text())
    other = "TY  - JOUR\nTI  - Something never previewed\nER  - \n"
    response = staff_client.post(
        IMPORT_URL,
        {"batch": previewed.context["token"], "confirm": "1", "text": other},
    )
    assert response.status_code == 302
    assert Reference.objects.filter(doi="10.5555/test.2022.042").exists()
    assert not Reference.objects.filter(title="Something never previewed").exists()


def test_the_import_form_sends_only_the_token_not_the_text(staff_client):
    previewed = preview(staff_client, (SAMPLES / "sample.ris").read_text())
    page = previewed.content.decode()
    form = page[page.index('<form method="post" class="submit-row">') :]
    form = form[: form.index("</form>")]
    assert 'name="batch"' in form and "<textarea" not in form and 'name="text"' not in form
    batch = ImportBatch.objects.get()
    assert signing.loads(previewed.context["token"], salt="references.import-batch") == str(
        batch.pk
    )
    assert [entry["fields"]["doi"] for entry in batch.entries] == ["10.5555/test.2022.042"]


def test_any_server_can_import_the_preview_nothing_is_kept_in_one_process(staff_client, staff_user):
    """Another client, with its own session (as a request reaching another server would
    be), imports with nothing but the token: the batch is a database row."""
    previewed = preview(staff_client, (SAMPLES / "sample.ris").read_text())
    elsewhere = Client()
    elsewhere.force_login(staff_user)
    assert confirm(elsewhere, previewed).status_code == 302
    assert Reference.objects.filter(doi="10.5555/test.2022.042").exists()


def test_someone_elses_preview_cannot_be_imported(staff_client, django_user_model):
    previewed = preview(staff_client, (SAMPLES / "sample.ris").read_text())
    other = Client()
    other.force_login(django_user_model.objects.create_superuser("sam", "s@x.test", "pw"))
    response = confirm(other, previewed)
    assert response.status_code == 200
    assert "This preview is no longer kept" in response.content.decode()
    assert not Reference.objects.filter(doi="10.5555/test.2022.042").exists()


def test_a_token_this_site_did_not_make_is_refused(staff_client):
    response = staff_client.post(IMPORT_URL, {"batch": "made-up", "confirm": "1"})
    assert response.status_code == 200
    assert "This import form is not one this site made: preview again." in (
        response.content.decode()
    )


def test_a_preview_older_than_its_lifetime_is_refused(staff_client, monkeypatch):
    long_ago = time.time() - services.PREVIEW_LIFETIME.total_seconds() - 60
    monkeypatch.setattr(signing.time, "time", lambda: long_ago)
    previewed = preview(staff_client, (SAMPLES / "sample.ris").read_text())
    monkeypatch.undo()
    response = confirm(staff_client, previewed)
    assert "This preview is no longer kept (previews are kept for 60 minutes)" in (
        response.content.decode()
    )
    assert not Reference.objects.filter(doi="10.5555/test.2022.042").exists()


def test_an_expired_batch_is_refused_and_removed(staff_client):
    previewed = preview(staff_client, (SAMPLES / "sample.ris").read_text())
    ImportBatch.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert "no longer kept" in confirm(staff_client, previewed).content.decode()
    preview(staff_client, (SAMPLES / "sample.bib").read_text())  # removes the expired one
    assert ImportBatch.objects.count() == 1


def test_the_worker_removes_expired_batches_hourly(staff_user):
    assert (
        "references.services.remove_expired_import_batches",
        3600,
    ) in settings.WORKER_TASKS
    services.import_preview(
        text=(SAMPLES / "sample.ris").read_text(), text_format="auto", user=staff_user
    )
    kept = ImportBatch.objects.get()
    ImportBatch.objects.create(
        created_by=staff_user, expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    import_string("references.services.remove_expired_import_batches")()
    assert list(ImportBatch.objects.all()) == [kept]


def test_a_second_confirm_imports_nothing_more(staff_client):
    previewed = preview(staff_client, (SAMPLES / "sample.ris").read_text())
    assert confirm(staff_client, previewed).status_code == 302
    again = confirm(staff_client, previewed)
    assert "These references were already imported" in again.content.decode()
    assert Reference.objects.filter(doi="10.5555/test.2022.042").count() == 1


def test_two_confirms_at_once_import_once(committed_seed, django_user_model):
    """A double click reaching two servers: the batch row is locked while it is imported."""
    user = django_user_model.objects.create_superuser("editor2", "e2@x.test", "pw")
    text = mendeley_library(40)
    _parsed, token = services.import_preview(text=text, text_format="auto", user=user)

    def confirm_once():
        try:
            return len(services.import_confirm(token=token, user=user).created)
        except services.ImportRefused as refusal:
            return str(refusal)

    results = run_at_once(confirm_once, 2)
    imported = [result for result in results if result == 40]
    refused = [result for result in results if isinstance(result, str)]
    assert len(imported) == 1 and len(refused) == 1, results
    assert "These references were already imported" in refused[0]
    assert Reference.objects.filter(doi__startswith="10.5555/atma.gen.").count() == 40


def test_a_work_stored_since_the_preview_is_matched_not_stored_twice(staff_client):
    previewed = preview(staff_client, (SAMPLES / "sample.ris").read_text())
    make_reference(key="stored-meanwhile", doi="10.5555/test.2022.042")
    response = confirm(staff_client, previewed, follow=True)
    assert "Imported 0 new references; 1 matched existing ones." in response.content.decode()
    assert Reference.objects.filter(doi="10.5555/test.2022.042").count() == 1


def test_a_key_taken_since_the_preview_is_replaced_and_said(staff_client):
    previewed = preview(staff_client, (SAMPLES / "sample.ris").read_text())
    (entry,) = previewed.context["parsed"]
    make_reference(key=entry.key, title="Another work that took the key")
    response = confirm(staff_client, previewed, follow=True)
    stored = Reference.objects.get(doi="10.5555/test.2022.042")
    assert stored.key != entry.key
    assert (
        f"The key {entry.key} was taken since the preview: that reference is {stored.key}."
        in response.content.decode()
    )


def test_a_preview_costs_the_same_queries_for_5_entries_as_for_120(
    staff_client, django_assert_num_queries
):
    """Not about six per entry: stored references are read once, the batch written once."""
    seed_matches = (SAMPLES / "sample.bib").read_text()  # one matches a stored reference
    for count in (5, 120):
        text = mendeley_library(count) + seed_matches
        with django_assert_num_queries(PREVIEW_QUERIES):
            response = preview(staff_client, text)
        assert len(response.context["parsed"]) == count + 3
        assert "Already stored as" in response.content.decode()


def test_imported_references_are_formatted_by_the_worker_and_shown_formatted_before(
    staff_client,
):
    previewed = preview(staff_client, (SAMPLES / "sample.ris").read_text())
    confirm(staff_client, previewed)
    stored = Reference.objects.get(doi="10.5555/test.2022.042")
    assert stored.formatted_html == ""
    assert stored.entry_html.startswith("Lindqvist, K., &amp; Okafor, C. (2022).")
    assert format_pending() == 1
    stored.refresh_from_db()
    assert stored.formatted_html.startswith("Lindqvist, K., &amp; Okafor, C. (2022).")
    assert format_pending() == 0


def test_the_background_worker_formats_what_an_import_stored(committed_seed, django_user_model):
    assert ("references.formatting.format_pending", None) in settings.WORKER_TASKS
    user = django_user_model.objects.create_superuser("editor3", "e3@x.test", "pw")
    _parsed, token = services.import_preview(
        text=mendeley_library(60), text_format="auto", user=user
    )
    services.import_confirm(token=token, user=user)
    assert Reference.objects.filter(formatted_html="").count() == 60
    run_worker_until(lambda: not Reference.objects.filter(formatted_html="").exists())
    assert not Reference.objects.filter(formatted_html="").exists()
    assert ReferenceAuthor.objects.filter(reference__doi="10.5555/atma.gen.60").exists()
