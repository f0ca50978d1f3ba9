"""markdownx's upload and preview endpoints answer staff only."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.media import stored_files

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/markdownx/upload/"
PREVIEW_URL = "/markdownx/markdownify/"


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "teal").save(buffer, format="PNG")
    return SimpleUploadedFile("dot.png", buffer.getvalue(), content_type="image/png")


def test_anonymous_upload_is_refused_and_writes_no_file(client):
    response = client.post(UPLOAD_URL, {"image": _png()}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 403
    assert stored_files() == []


def test_logged_in_non_staff_upload_is_refused(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("patient", password="pw"))
    response = client.post(UPLOAD_URL, {"image": _png()}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 403
    assert stored_files() == []


def test_staff_upload_is_stored(staff_client):
    response = staff_client.post(
        UPLOAD_URL, {"image": _png()}, HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    )
    assert response.status_code == 200
    assert len(stored_files()) == 1


def test_svg_upload_is_refused_even_for_staff(staff_client):
    svg = SimpleUploadedFile(
        "x.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        content_type="image/svg+xml",
    )
    response = staff_client.post(UPLOAD_URL, {"image": svg}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 400
    assert stored_files() == []


def test_anonymous_preview_is_refused(client):
    assert client.post(PREVIEW_URL, {"content": "**hi**"}).status_code == 403


def test_staff_preview_is_the_sanitized_rendering(staff_client):
    response = staff_client.post(
        PREVIEW_URL, {"content": "**hi** [@zunszain2013] <script>alert(1)</script>"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>hi</strong>" in html
    assert "<script" not in html
    # Numbered and listed as on the page, not shown as the raw key.
    assert "[@zunszain2013]" not in html
    assert '<sup class="citation">' in html and ">1</a>" in html
    assert "Zunszain" in html  # the formatted reference under the preview
    assert "&lt;" not in html  # its markup rendered, not shown as text


def test_the_preview_flags_an_unknown_key_at_once(staff_client):
    response = staff_client.post(
        PREVIEW_URL, {"content": "A claim [@zunszain2013; @smith-1999-typo]."}
    )
    html = response.content.decode()
    assert "Unknown citation key: @smith-1999-typo" in html
    assert "saving will be refused" in html
    assert "Zunszain" in html and "smith-1999-typo" not in html.split("</p>", 1)[1]


def test_staff_without_content_permission_cannot_upload(client, django_user_model):
    from django.contrib.auth.models import Group

    handler = django_user_model.objects.create_user("handler", password="pw", is_staff=True)
    handler.groups.add(Group.objects.get(name="Enquiry handlers"))
    client.force_login(handler)
    response = client.post(UPLOAD_URL, {"image": _png()}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 403
    assert stored_files() == []


def test_a_sections_preview_numbers_citations_as_its_page_does(staff_client):
    from articles.models import Article

    article = Article.objects.get(slug="who-can-benefit-from-ketamine-therapy")
    sections = list(article.sections.order_by("position", "id"))
    later = sections[-1]
    cited_before = article.sections.filter(
        position__lt=later.position, body__contains="[@who-depression]"
    )
    assert cited_before.exists()
    response = staff_client.post(
        f"{PREVIEW_URL}?section={later.pk}", {"content": "Depression is common [@who-depression]."}
    )
    html = response.content.decode()
    # Not 1: on the page the WHO fact sheet is reference 3 (the article cites it third).
    assert ">3</a>" in html and ">1</a>" not in html
    assert "Numbered as on the article's page" in html
    form = staff_client.get(f"/admin/articles/section/{later.pk}/change/").content.decode()
    assert f'data-markdownx-urls-path="/markdownx/markdownify/?section={later.pk}"' in form
