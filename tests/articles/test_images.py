"""Images: raster only (checked by Pillow), metadata stripped, served in sizes with srcset."""

import io

import lxml.html
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.models import Article
from publishing.workflow import edit_token
from tests.factories import publish_pending
from tests.media import stored_files

pytestmark = pytest.mark.django_db
GPS_IFD = 0x8825


def _jpeg_with_location(width=1600, height=900):
    image = Image.new("RGB", (width, height), "teal")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif.get_ifd(GPS_IFD)[2] = (51.0, 30.0, 0.0)  # GPS latitude
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    data = buffer.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD), "the test image must carry GPS"
    return data


def _article_form(article, image, alt="A calm treatment room"):
    return {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "standfirst": article.standfirst,
        "status": article.status,
        "author_name": article.author_name,
        "author_credentials": article.author_credentials,
        "publisher": article.publisher,
        "published_on": article.published_on or "",
        "updated_on": article.updated_on or "",
        "attribution": article.attribution,
        "featured_image": image,
        "featured_image_alt": alt,
        "featured_image_credit": "Clinic photo",
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
        "key_points-TOTAL_FORMS": "0",
        "key_points-INITIAL_FORMS": "0",
        "go_live_at_0": "",
        "go_live_at_1": "",
        "expires_at_0": "",
        "expires_at_1": "",
        "edit_token": edit_token(article),  # what an editor opening the form would carry
    }


@pytest.fixture
def article():
    return Article.objects.get(slug="who-can-benefit-from-ketamine-therapy")


def test_featured_jpeg_is_stored_without_exif_and_served_with_srcset(staff_client, client, article):
    upload = SimpleUploadedFile("holiday.jpg", _jpeg_with_location(), content_type="image/jpeg")
    response = staff_client.post(
        f"/admin/articles/article/{article.pk}/change/", _article_form(article, upload)
    )
    assert response.status_code == 302
    publish_pending(article)  # the article is live: the new image waits for review
    article.refresh_from_db()
    with article.featured_image.open() as stored:
        image = Image.open(stored)
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
    assert [r["width"] for r in article.featured_image_renditions] == [480, 960, 1440, 1600]

    document = lxml.html.fromstring(client.get(article.get_absolute_url()).content)
    (img,) = document.xpath("//figure[@class='featured-image']/img")
    assert (img.get("width"), img.get("height"), img.get("alt")) == (
        "1600",
        "900",
        "A calm treatment room",
    )
    assert img.get("srcset").count("w,") == 3
    for rendition in article.featured_image_renditions:
        assert client.get(rendition["url"]).status_code == 200


def test_featured_image_needs_alt_text(staff_client, article):
    upload = SimpleUploadedFile(
        "room.jpg", _jpeg_with_location(200, 100), content_type="image/jpeg"
    )
    response = staff_client.post(
        f"/admin/articles/article/{article.pk}/change/", _article_form(article, upload, alt="")
    )
    assert response.status_code == 200
    assert "Describe the image for people who cannot see it." in response.content.decode()


@pytest.mark.parametrize(
    "name, content, message",
    [
        (
            "photo.jpg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "SVG images are not accepted",
        ),
        ("photo.png", b"just some text pretending to be a picture", "not an image we can read"),
        ("anim.png", None, "GIF images are not accepted"),
    ],
)
def test_non_raster_or_disguised_files_are_refused(staff_client, article, name, content, message):
    if content is None:
        buffer = io.BytesIO()
        Image.new("RGB", (10, 10)).save(buffer, format="GIF")
        content = buffer.getvalue()
    upload = SimpleUploadedFile(name, content, content_type="image/jpeg")
    response = staff_client.post(
        f"/admin/articles/article/{article.pk}/change/", _article_form(article, upload)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    article.refresh_from_db()
    assert not article.featured_image


def test_oversized_upload_is_refused(staff_client, article, settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 1000
    upload = SimpleUploadedFile("big.jpg", _jpeg_with_location(), content_type="image/jpeg")
    response = staff_client.post(
        f"/admin/articles/article/{article.pk}/change/", _article_form(article, upload)
    )
    assert "larger than" in response.content.decode()


def test_editor_upload_strips_exif_and_refuses_renamed_text(staff_client, media):
    upload = SimpleUploadedFile("p.jpg", _jpeg_with_location(300, 200), content_type="image/jpeg")
    response = staff_client.post(
        "/markdownx/upload/", {"image": upload}, HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    )
    assert response.status_code == 200
    (stored,) = stored_files()
    with default_storage.open(stored) as image_file, Image.open(image_file) as image:
        assert dict(image.getexif()) == {}

    fake = SimpleUploadedFile("notes.png", b"plain text", content_type="image/png")
    response = staff_client.post(
        "/markdownx/upload/", {"image": fake}, HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    )
    assert response.status_code == 400
    assert "not an image we can read" in response.content.decode()


def _upload(staff_client, article, content, name="x.png", content_type="image/png"):
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    return staff_client.post(
        f"/admin/articles/article/{article.pk}/change/", _article_form(article, upload)
    )


def test_a_decompression_bomb_is_refused_not_a_crash(staff_client, article):
    buffer = io.BytesIO()
    Image.new("1", (20000, 10000)).save(buffer, format="PNG")  # tiny file, 200 megapixels
    response = _upload(staff_client, article, buffer.getvalue())
    assert response.status_code == 200
    assert "too many pixels" in response.content.decode()


def test_a_truncated_jpeg_is_refused_not_a_crash(staff_client, article):
    data = _jpeg_with_location(400, 300)
    response = _upload(staff_client, article, data[: len(data) // 2], "cut.jpg", "image/jpeg")
    assert response.status_code == 200
    assert "not an image we can read" in response.content.decode()


def test_jpeg_comments_are_stripped_too(staff_client, article):
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), "teal").save(buffer, format="JPEG", comment=b"Home: 51.5N 0.1W")
    assert b"51.5N" in buffer.getvalue()
    _upload(staff_client, article, buffer.getvalue(), "c.jpg", "image/jpeg")
    publish_pending(article)
    article.refresh_from_db()
    with article.featured_image.open() as stored:
        assert b"51.5N" not in stored.read()


def test_article_still_saves_when_its_stored_image_went_missing(staff_client, article):
    _upload(staff_client, article, _jpeg_with_location(300, 200), "a.jpg", "image/jpeg")
    publish_pending(article)
    article.refresh_from_db()
    article.featured_image.storage.delete(article.featured_image.name)
    form = _article_form(article, "")
    del form["featured_image"]
    response = staff_client.post(f"/admin/articles/article/{article.pk}/change/", form)
    assert response.status_code == 302


def test_restoring_an_older_image_restores_its_sizes_too(staff_client, client, article):
    from publishing.models import Revision

    _upload(staff_client, article, _jpeg_with_location(1000, 500), "old.jpg", "image/jpeg")
    with_old_image = Revision.objects.of(article).first()
    publish_pending(article)
    _upload(staff_client, article, _jpeg_with_location(1600, 900), "new.jpg", "image/jpeg")
    publish_pending(article)
    staff_client.post(f"/admin/publishing/revision/{with_old_image.pk}/restore/")
    publish_pending(article)
    article.refresh_from_db()
    assert article.featured_image.name == with_old_image.content["fields"]["featured_image"]
    assert article.featured_image_size["width"] == 1000
    assert article.featured_image_renditions[-1]["url"] == article.featured_image.url
