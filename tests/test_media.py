"""Uploads on disk or in an S3-compatible bucket, always addressed and served as /media/…."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.http import http_date
from PIL import Image

from tests.conftest import bucket_storage
from tests.test_site import _production_settings

pytestmark = pytest.mark.django_db


def _png(width=30, height=20):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_app_serves_media_from_whichever_storage_holds_it(client, media):
    content = _png()
    name = default_storage.save("markdownx/dot.png", ContentFile(content))
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == content
    assert "public" in response["Cache-Control"]
    modified = default_storage.get_modified_time(name).timestamp()
    assert response["Last-Modified"] == http_date(modified)
    again = client.get(f"/media/{name}", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert again.status_code == 304
    assert client.head(f"/media/{name}").status_code == 200


@pytest.mark.parametrize(
    "address",
    [
        "/media/markdownx/gone.png",  # never stored, or removed
        "/media/markdownx",  # a folder
        "/media/markdownx/",
        "/media/featured/../markdownx/dot.png",  # a bent address for a stored file
        "/media/markdownx//dot.png",
        "/media/./markdownx/dot.png",
    ],
)
def test_anything_but_a_stored_files_plain_address_is_not_found(client, media, address):
    default_storage.save("markdownx/dot.png", ContentFile(_png()))
    assert client.get(address).status_code == 404


def test_media_is_only_read(client, media):
    name = default_storage.save("markdownx/dot.png", ContentFile(_png()))
    assert client.post(f"/media/{name}").status_code == 405
    assert client.delete(f"/media/{name}").status_code == 405
    assert default_storage.exists(name)


def test_bucket_addresses_are_the_sites_own_and_ask_nothing_of_the_bucket(settings, s3_server):
    """Pages never name the bucket's host: nginx (or the app) answers /media/ from it."""
    settings.STORAGES = {**settings.STORAGES, "default": bucket_storage(s3_server)}
    settings.STORAGES["default"]["OPTIONS"]["endpoint_url"] = "http://127.0.0.1:1"  # no one
    assert default_storage.url("markdownx/a b.jpg") == "/media/markdownx/a%20b.jpg"


def test_the_environment_chooses_the_bucket_or_local_disk():
    shown = (
        "d = s.STORAGES['default']; o = d.get('OPTIONS', {}); "
        "print(d['BACKEND'], o.get('bucket_name'), o.get('endpoint_url'), o.get('region_name'), "
        "o.get('access_key'), o.get('secret_key'), o.get('file_overwrite'))"
    )
    on_disk = _production_settings(shown, AWS_STORAGE_BUCKET_NAME=None)
    assert on_disk.stdout.split() == ["django.core.files.storage.FileSystemStorage"] + ["None"] * 6
    in_bucket = _production_settings(
        shown,
        AWS_STORAGE_BUCKET_NAME="atma-media",
        AWS_S3_ENDPOINT_URL="https://objects.clinic.example",
        AWS_S3_REGION_NAME="eu-central-1",
        AWS_ACCESS_KEY_ID="key-id",
        AWS_SECRET_ACCESS_KEY="secret",
    )
    assert in_bucket.stdout.split() == [
        "atma_site.storage.BucketStorage",
        "atma-media",
        "https://objects.clinic.example",
        "eu-central-1",
        "key-id",
        "secret",
        "False",  # an upload never replaces another file of its name, as on disk
    ]


def _bucket_gone(settings):
    """The bucket stops answering: nothing listens at its address any more."""
    settings.STORAGES["default"]["OPTIONS"]["endpoint_url"] = "http://127.0.0.1:1"
    settings.STORAGES = dict(settings.STORAGES)  # storage is made afresh on the change


def test_public_pages_never_ask_the_bucket(client, settings, bucket_media, sections_with_image):
    """A visitor's page is rendered from the database alone: the bucket down, pages still
    answer, naming the images, which nginx may still have."""
    article, url = sections_with_image
    _bucket_gone(settings)
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert f'src="{url}"' in page.content.decode()
    assert article.featured_image.url in page.content.decode()


def test_an_upload_the_bucket_cannot_take_gets_a_reason_not_an_error(
    staff_client, settings, bucket_media, caplog
):
    _bucket_gone(settings)
    response = staff_client.post(
        "/markdownx/upload/",
        {"image": SimpleUploadedFile("p.png", _png(), content_type="image/png")},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.status_code == 503
    assert response.json()["error"] == (
        "The image could not be stored just now. Try again in a few minutes; if it keeps "
        "failing, tell whoever looks after the site."
    )
    assert "could not store an uploaded image" in caplog.text


@pytest.fixture
def sections_with_image(staff_client):
    """A live article with a featured image and an image in its text; its inline image's
    address."""
    from articles.services import save_article
    from tests.articles.test_images import _jpeg_with_location
    from tests.factories import make_article, make_section

    url = staff_client.post(
        "/markdownx/upload/",
        {"image": SimpleUploadedFile("p.png", _png(1200, 800), content_type="image/png")},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    ).json()["url"]
    article = make_article()
    article.featured_image = SimpleUploadedFile("room.jpg", _jpeg_with_location(1200, 600))
    article.featured_image_alt = "A calm treatment room"
    save_article(article)
    make_section(article=article, body=f"![A calm room]({url})")
    return article, url


@pytest.mark.parametrize("live", [True, False])
def test_a_featured_image_the_bucket_cannot_take_gets_the_form_back_not_an_error(
    editor, settings, bucket_media, caplog, live
):
    from articles.models import Article
    from tests.admin_forms import form_values
    from tests.factories import make_article

    article = make_article(
        status=Article.Status.PUBLISHED if live else Article.Status.DRAFT, sections=["Text."]
    )
    url = f"/admin/articles/article/{article.pk}/change/"
    data = form_values(editor.get(url))
    _bucket_gone(settings)
    data.update(
        featured_image=SimpleUploadedFile("p.png", _png(800, 600), content_type="image/png"),
        featured_image_alt="A square.",
        summary="Kept in the form.",
    )
    response = editor.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The image could not be stored just now, so nothing was saved." in page
    assert "Kept in the form." in page
    assert "could not store a featured image" in caplog.text
    assert Article.objects.get(pk=article.pk).summary != "Kept in the form."
