"""Images in a section's text: uploaded in the editor, shown in sizes, refused with a reason."""

import io

import lxml.html
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.models import Section
from tests.factories import make_article, post_section_edit, publish_pending
from tests.media import remove_stored, stored_files

pytestmark = pytest.mark.django_db
UPLOAD_URL = "/markdownx/upload/"


def _image_bytes(width, height, image_format="JPEG"):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(buffer, format=image_format)
    return buffer.getvalue()


def upload(client, content, name="photo.jpg", content_type="image/jpeg", **headers):
    """What the editor's script sends: the file, marked as a script's request."""
    headers.setdefault("HTTP_X_REQUESTED_WITH", "XMLHttpRequest")
    return client.post(
        UPLOAD_URL,
        {"image": SimpleUploadedFile(name, content, content_type=content_type)},
        **headers,
    )


def upload_directly():
    from articles.images import store_inline_image

    return store_inline_image(SimpleUploadedFile("a.jpg", _image_bytes(60, 40)))


def test_an_upload_is_stored_with_its_smaller_sizes(staff_client, media):
    response = upload(staff_client, _image_bytes(2400, 1200))
    assert response.status_code == 200
    url = response.json()["url"]
    assert url.startswith("/media/markdownx/") and url.endswith(".jpg")
    name = url.removeprefix("/media/").removesuffix(".jpg")
    assert stored_files() == sorted(
        [f"{name}.jpg", f"{name}-480w.jpg", f"{name}-960w.jpg", f"{name}-1440w.jpg"]
    )
    with default_storage.open(f"{name}-960w.jpg") as stored, Image.open(stored) as copy:
        assert copy.size == (960, 480)


def test_a_small_upload_needs_no_smaller_sizes(staff_client):
    url = upload(staff_client, _image_bytes(400, 300), "dot.png", "image/png").json()["url"]
    assert stored_files() == [url.removeprefix("/media/")]


def _bomb():
    buffer = io.BytesIO()
    Image.new("1", (20000, 10000)).save(buffer, format="PNG")  # a small file, 200 megapixels
    return buffer.getvalue()


@pytest.mark.parametrize(
    "make_content, name, reason",
    [
        (
            lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "logo.svg",
            "SVG images are not accepted because they can contain scripts.",
        ),
        (lambda: _image_bytes(600, 400) + b"\0" * 30_000, "big.jpg", "larger than 30 KB."),
        (_bomb, "bomb.png", "This image has too many pixels. Upload one under 40 megapixels."),
        (lambda: b"plain text", "notes.png", "This file is not an image we can read."),
    ],
)
def test_a_refusal_answers_with_its_reason_and_stores_nothing(
    staff_client, settings, make_content, name, reason
):
    settings.IMAGE_UPLOAD_MAX_BYTES = 30 * 1024  # more than every file here but "big.jpg"
    response = upload(staff_client, make_content(), name)
    assert response.status_code == 400
    assert reason in response.json()["error"]
    assert stored_files() == []


def test_a_form_post_without_a_script_gets_the_reason_too_not_an_error_page(staff_client):
    response = staff_client.post(UPLOAD_URL, {"image": ""})
    assert response.status_code == 400
    assert response.json() == {"error": "Choose an image to upload."}
    response = upload(staff_client, b"not an image", HTTP_X_REQUESTED_WITH="")
    assert response.status_code == 400
    assert "not an image we can read" in response.json()["error"]


def test_an_uploaded_image_in_a_section_is_served_in_sizes(staff_client, client, media):
    url = upload(staff_client, _image_bytes(2400, 1600)).json()["url"]
    article = make_article(sections=["Before."])
    section = article.sections.get()
    response = post_section_edit(
        staff_client, section, f"Before.\n\n![A calm treatment room]({url})"
    )
    assert response.status_code == 302
    publish_pending(article)

    page = client.get(article.get_absolute_url())
    (img,) = lxml.html.fromstring(page.content.decode()).xpath("//main//img")
    assert img.get("alt") == "A calm treatment room"
    assert (img.get("width"), img.get("height")) == ("2400", "1600")
    base = url.removesuffix(".jpg")
    assert img.get("srcset") == (
        f"{base}-480w.jpg 480w, {base}-960w.jpg 960w, {base}-1440w.jpg 1440w, {url} 2400w"
    )
    assert img.get("sizes") == "(min-width: 48rem) 42rem, calc(100vw - 2rem)"
    assert img.get("loading") == "lazy"
    for candidate in img.get("srcset").split(", "):
        address, width = candidate.split()
        served = client.get(address)
        assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
        with Image.open(io.BytesIO(b"".join(served.streaming_content))) as copy:
            assert f"{copy.width}w" == width


def test_srcset_written_by_hand_may_not_name_another_site():
    from articles.rendering import render_markdown

    html = render_markdown(
        '<img src="/media/markdownx/a.jpg" alt="A room" '
        'srcset="/media/markdownx/a.jpg 1x, https://tracker.example/p.png 2x" loading="soon">'
    )
    assert "tracker.example" not in html
    assert "srcset" not in html and "loading" not in html
    assert 'src="/media/markdownx/a.jpg"' in html


def test_an_image_no_longer_stored_is_refused_naming_it(staff_client, media):
    url = upload(staff_client, _image_bytes(300, 200)).json()["url"]
    article = make_article(sections=["Text."])
    section = article.sections.get()
    remove_stored(url)
    response = post_section_edit(staff_client, section, f"![A calm room]({url})")
    assert response.status_code == 200
    text = response.content.decode()
    assert f"Image 1 in the text ({url}) is not on this site" in text
    assert Section.objects.get(pk=section.pk).body == "Text."


def test_the_editor_offers_insert_image_with_the_limit(staff_client, settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 3 * 1024 * 1024
    article = make_article(sections=["Text."])
    page = staff_client.get(f"/admin/articles/section/{article.sections.get().pk}/change/")
    document = lxml.html.fromstring(page.content.decode())
    (tools,) = document.xpath("//*[@data-image-tools]")
    assert tools.xpath(".//button[@data-insert-image]")[0].text_content() == "Insert image…"
    assert "up to 3 MB." in tools.text_content()
    assert tools.xpath(".//input[@type='file']")[0].get("accept") == (
        "image/jpeg,image/png,image/webp"
    )
    assert tools.xpath(".//*[@role='alert']") and tools.xpath(".//*[@role='status']")
    assert document.xpath("//script[contains(@src, 'js/markdown-image.js')]")


@pytest.mark.parametrize(
    "model_path, field",
    [("articles.models.Article", "attribution"), ("topics.models.TopicPage", "intro")],
)
def test_every_markdown_field_refuses_what_a_section_refuses(model_path, field):
    from django.core.exceptions import ValidationError
    from django.utils.module_loading import import_string

    model = import_string(model_path)
    page = model.objects.first()
    for text, message in [
        ("![A room](https://images.example/room.jpg)", "is on another site"),
        ("![](/media/markdownx/room.jpg)", "(/media/markdownx/room.jpg) has no description"),
        ("![A room](/media/markdownx/room.jpg)", "(/media/markdownx/room.jpg) is not on this site"),
    ]:
        setattr(page, field, text)
        with pytest.raises(ValidationError) as error:
            page.full_clean()
        assert message in " ".join(error.value.message_dict[field])


def test_addresses_an_editor_may_paste_get_a_message_saying_what_to_do(settings):
    from articles.rendering import image_problem

    settings.SITE_URL = "https://atmacena.example"
    assert image_problem("![A room](https://atmacena.example/media/markdownx/a.jpg)") == (
        "Image 1 in the text is this site's own, but written with the site's address. Write it "
        "as /media/markdownx/a.jpg, without “https://atmacena.example”."
    )
    kept = upload_directly()
    second = image_problem(f"![A room]({kept})\n\n![](/media/markdownx/b.jpg)")
    assert second.startswith("Image 2 in the text (/media/markdownx/b.jpg) has no description")
    pasted = "![A room](data:image/png;base64," + "A" * 5000 + ")"
    message = image_problem(pasted)
    assert "written out as text (a data: address)" in message and len(message) < 300


@pytest.mark.parametrize(
    "address",
    [
        "/media/markdownx/../featured/victim.jpg",
        "/media/featured//victim.jpg",
        "/media/featured/%76ictim.jpg",
        "/media/featured/victim.jpg?x=1",
    ],
)
def test_an_address_bent_to_reach_another_stored_image_is_not_taken_for_it(staff_client, address):
    from django.core.files.base import ContentFile

    from articles.images import delete_image, stored_name
    from articles.rendering import image_problem

    default_storage.save("featured/victim.jpg", ContentFile(_image_bytes(40, 30)))
    assert stored_name("/media/featured/victim.jpg") == "featured/victim.jpg"
    assert stored_name(address) is None
    assert "is not on this site" in image_problem(f"![A room]({address})")
    with pytest.raises(ValueError):
        delete_image(address.removeprefix("/media/"))
    assert default_storage.exists("featured/victim.jpg")
