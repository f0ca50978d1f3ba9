"""Images no page shows any more leave storage: replaced, taken out of the text, deleted with
their page or section, or uploaded and never saved. Images still shown, or waiting in a
revision that may go live, stay."""

import datetime
import io
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import Article
from publishing import workflow
from publishing.images import remove_unsaved_uploads
from publishing.models import Revision
from tests.articles.test_images import _article_form
from tests.factories import make_article, make_section, post_section_edit, publish_pending
from tests.media import remove_stored, stored_files

pytestmark = pytest.mark.django_db
SLUG = "who-can-benefit-from-ketamine-therapy"


def _jpeg(width=1200, height=800):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(buffer, format="JPEG")
    return buffer.getvalue()


def _replace_featured_image(staff_client, article):
    upload = SimpleUploadedFile("photo.jpg", _jpeg(), content_type="image/jpeg")
    response = staff_client.post(
        f"/admin/articles/article/{article.pk}/change/", _article_form(article, upload)
    )
    assert response.status_code == 302
    return Revision.objects.of(article).first().content["fields"]["featured_image"]


def _inline_upload(staff_client):
    response = staff_client.post(
        "/markdownx/upload/",
        {"image": SimpleUploadedFile("p.jpg", _jpeg(), content_type="image/jpeg")},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    return response.json()["url"]


def test_a_replaced_featured_image_and_its_sizes_leave_storage_when_the_new_one_goes_live(
    staff_client, client, media, django_capture_on_commit_callbacks
):
    article = Article.objects.get(slug=SLUG)
    with django_capture_on_commit_callbacks(execute=True):
        first = _replace_featured_image(staff_client, article)
        publish_pending(article)
    article.refresh_from_db()
    old_urls = [rendition["url"] for rendition in article.featured_image_renditions]
    assert len(old_urls) == 3  # 480 and 960 px copies and the 1200 px image
    assert all(client.get(url).status_code == 200 for url in old_urls)

    with django_capture_on_commit_callbacks(execute=True):
        second = _replace_featured_image(staff_client, article)
    # Waiting for review: patients still see the first image, so it stays.
    assert os.path.basename(first) in stored_files("featured")
    with django_capture_on_commit_callbacks(execute=True):
        publish_pending(article)

    base = os.path.splitext(os.path.basename(second))[0]
    assert stored_files("featured") == sorted(
        [f"{base}.jpg", f"{base}-480w.jpg", f"{base}-960w.jpg"]
    )
    assert all(client.get(url).status_code == 404 for url in old_urls)


def test_an_image_replaced_before_review_goes_while_the_live_one_stays(
    staff_client, django_capture_on_commit_callbacks
):
    article = Article.objects.get(slug=SLUG)
    with django_capture_on_commit_callbacks(execute=True):
        live = _replace_featured_image(staff_client, article)
    with django_capture_on_commit_callbacks(execute=True):
        publish_pending(article)
    article.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        draft = _replace_featured_image(staff_client, article)
    assert os.path.basename(draft) in stored_files("featured")
    article.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        newer_draft = _replace_featured_image(staff_client, article)
    names = stored_files("featured")
    assert os.path.basename(live) in names and os.path.basename(newer_draft) in names
    assert os.path.basename(draft) not in names


def test_an_image_taken_out_of_a_section_goes_unless_another_section_shows_it(
    staff_client, media, django_capture_on_commit_callbacks
):
    shared, own = _inline_upload(staff_client), _inline_upload(staff_client)
    article = make_article(status=Article.Status.DRAFT)
    section = make_section(article=article, body=f"![A calm room]({shared})\n\n![A garden]({own})")
    make_section(article=make_article(), position=1, body=f"Also here: ![A calm room]({shared})")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_section_edit(staff_client, section, "No pictures any more.")
    assert response.status_code == 302
    names = stored_files("markdownx")
    shared_base = os.path.splitext(os.path.basename(shared))[0]
    own_base = os.path.splitext(os.path.basename(own))[0]
    assert f"{shared_base}.jpg" in names and f"{shared_base}-960w.jpg" in names
    assert not [name for name in names if name.startswith(own_base)]


def test_deleting_an_article_removes_its_images(staff_client, django_capture_on_commit_callbacks):
    inline = _inline_upload(staff_client)
    article = make_article(status=Article.Status.DRAFT)
    make_section(article=article, body=f"![A garden]({inline})")
    with django_capture_on_commit_callbacks(execute=True):
        _replace_featured_image(staff_client, article)
    assert stored_files("featured") and stored_files("markdownx")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"}
        )
    assert response.status_code == 302
    assert stored_files("featured") == [] and stored_files("markdownx") == []


def test_an_image_waiting_to_go_live_at_its_time_is_kept(
    staff_client, reviewer, django_capture_on_commit_callbacks
):
    article = Article.objects.get(slug=SLUG)
    with django_capture_on_commit_callbacks(execute=True):
        scheduled = _replace_featured_image(staff_client, article)
    with django_capture_on_commit_callbacks(execute=True):
        revision = workflow.submit(article, user=reviewer.user)
        article.go_live_at = timezone.now() + datetime.timedelta(days=2)
        article.save(update_fields=["go_live_at"])
        workflow.approve(
            revision,
            reviewer=reviewer.user,
            credit="Rhea Ward, MD",
            next_review_on=workflow.default_next_review(),
        )
    article.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        _replace_featured_image(staff_client, article)  # a newer draft, with another image
    assert os.path.basename(scheduled) in stored_files("featured")


def test_an_image_in_a_live_pages_draft_stays_while_the_draft_is_edited(
    staff_client, django_capture_on_commit_callbacks
):
    article = Article.objects.get(slug=SLUG)
    section = article.sections.order_by("position").first()
    url = _inline_upload(staff_client)
    body = f"{section.body}\n\n![A calm room]({url})"
    with django_capture_on_commit_callbacks(execute=True):
        assert post_section_edit(staff_client, section, body).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):  # edited again, the image kept
        assert post_section_edit(staff_client, section, body + " More.").status_code == 302
    assert os.path.basename(url) in stored_files("markdownx")
    with django_capture_on_commit_callbacks(execute=True):
        publish_pending(article)
    assert os.path.basename(url) in stored_files("markdownx")


def test_an_image_of_a_submitted_revision_stays_while_a_newer_draft_leaves_it_out(
    staff_client, reviewer, django_capture_on_commit_callbacks
):
    article = Article.objects.get(slug=SLUG)
    section = article.sections.order_by("position").first()
    url = _inline_upload(staff_client)
    with django_capture_on_commit_callbacks(execute=True):
        post_section_edit(staff_client, section, f"{section.body}\n\n![A calm room]({url})")
    submitted = workflow.submit(article, user=reviewer.user)
    with django_capture_on_commit_callbacks(execute=True):
        post_section_edit(staff_client, section, "A newer draft, without the picture.")
    assert os.path.basename(url) in stored_files("markdownx")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(
            submitted,
            reviewer=reviewer.user,
            credit="Rhea Ward, MD",
            next_review_on=workflow.default_next_review(),
        )
    article.refresh_from_db()
    assert url in article.sections.order_by("position").first().body_html


def test_a_revision_showing_an_image_no_longer_stored_is_not_published(
    staff_client, reviewer, media
):
    article = Article.objects.get(slug=SLUG)
    section = article.sections.order_by("position").first()
    url = _inline_upload(staff_client)
    post_section_edit(staff_client, section, f"{section.body}\n\n![A calm room]({url})")
    revision = workflow.submit(article, user=reviewer.user)
    remove_stored(url)
    response = reviewer.post(
        f"/admin/publishing/revision/{revision.pk}/review/",
        {"action": "approve", "credit": "Rhea Ward, MD", "next_review_on": "2027-05-01"},
        follow=True,
    )
    assert response.status_code == 200
    assert "shows images no longer stored" in response.content.decode()
    assert url.rsplit("/", 1)[-1] in response.content.decode()
    assert url not in Article.objects.get(pk=article.pk).sections.first().body_html


def test_deleting_a_section_removes_its_images(staff_client, django_capture_on_commit_callbacks):
    url = _inline_upload(staff_client)
    article = make_article(status=Article.Status.DRAFT)
    section = make_section(article=article, body=f"![A garden]({url})")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/admin/articles/section/{section.pk}/delete/", {"post": "yes"}
        )
    assert response.status_code == 302
    assert stored_files("markdownx") == []


def _next_second():
    """Sleep into the next whole second: a bucket keeps modification times in whole seconds."""
    time.sleep(1 - time.time() % 1 + 0.01)


def test_uploads_never_saved_into_a_page_go_after_a_day(staff_client, media):
    from django.core.files.storage import default_storage

    used, left_out = _inline_upload(staff_client), _inline_upload(staff_client)
    _next_second()
    fresh = _inline_upload(staff_client)
    make_section(article=make_article(), body=f"![A calm room]({used})")
    fresh_uploaded = default_storage.get_modified_time(fresh.removeprefix("/media/"))

    # A day after the last upload: the two before it are over a day old, it is not.
    removed = remove_unsaved_uploads(now=fresh_uploaded + datetime.timedelta(days=1))

    assert removed == [left_out.removeprefix("/media/")]
    names = "".join(stored_files("markdownx"))
    for kept in (used, fresh):
        assert os.path.splitext(os.path.basename(kept))[0] in names
    assert os.path.splitext(os.path.basename(left_out))[0] not in names
    assert remove_unsaved_uploads(now=fresh_uploaded + datetime.timedelta(days=2)) == [
        fresh.removeprefix("/media/")
    ]


def test_restoring_a_revision_whose_image_was_removed_leaves_the_image_out_and_says_so(
    staff_client, django_capture_on_commit_callbacks
):
    article = Article.objects.get(slug=SLUG)
    with django_capture_on_commit_callbacks(execute=True):
        _replace_featured_image(staff_client, article)
    with_old_image = Revision.objects.of(article).first()
    with django_capture_on_commit_callbacks(execute=True):
        publish_pending(article)
    article.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        _replace_featured_image(staff_client, article)
    with django_capture_on_commit_callbacks(execute=True):
        publish_pending(article)
    response = staff_client.post(
        f"/admin/publishing/revision/{with_old_image.pk}/restore/", follow=True
    )
    assert "shows images no longer stored" in response.content.decode()
    assert "The featured image is left out of the draft." in response.content.decode()
    restored = Revision.objects.of(article).first()
    assert restored.restored_from == with_old_image
    assert restored.content["fields"]["featured_image"] == ""


def test_the_background_worker_removes_them_once_an_hour(committed_seed, settings):
    from articles.images import store_inline_image
    from tests.worker import run_worker_until

    def left_out_a_day_ago():
        upload = SimpleUploadedFile("p.jpg", _jpeg(300, 200), content_type="image/jpeg")
        path = settings.MEDIA_ROOT / store_inline_image(upload).removeprefix("/media/")
        day_old = (timezone.now() - datetime.timedelta(days=2)).timestamp()
        os.utime(path, (day_old, day_old))
        return path

    left_out = left_out_a_day_ago()
    later = {}

    def first_removed_then_several_polls():
        # Once the first sweep has removed it, another is left out in the same worker's hour.
        if "again" not in later and not left_out.exists():
            later["again"], later["at"] = left_out_a_day_ago(), time.monotonic()
        return "again" in later and time.monotonic() - later["at"] > 0.5

    run_worker_until(first_removed_then_several_polls, timeout=10)
    assert not left_out.exists()
    assert later["again"].exists()


def test_a_file_that_cannot_be_removed_is_logged_and_the_save_still_succeeds(
    staff_client, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    from django.core.files.storage import FileSystemStorage

    url = _inline_upload(staff_client)
    article = make_article(status=Article.Status.DRAFT)
    section = make_section(article=article, body=f"![A garden]({url})")

    def refuse(storage, name):
        raise PermissionError(f"read-only storage: {name}")

    monkeypatch.setattr(FileSystemStorage, "delete", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_section_edit(staff_client, section, "No picture.")
    assert response.status_code == 302
    assert "read-only storage" in caplog.text
    assert os.path.basename(url) in stored_files("markdownx")
