"""Every public page is valid HTML by the Nu Html Checker (vnu.jar, from the npm registry).

`.ci/run` installs it into var/vnu; locally: `make install-vnu`. Without it the test is
skipped, saying so (and fails under REQUIRE_VNU).
"""

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import enquiry_data
from tests.outage import outage_pages

pytestmark = pytest.mark.django_db


def _vnu_jar():
    path = Path(
        os.environ.get("VNU_JAR")
        or settings.BASE_DIR / "var/vnu/node_modules/vnu-jar/build/dist/vnu.jar"
    )
    if not path.exists():
        if os.environ.get("REQUIRE_VNU"):
            pytest.fail(f"REQUIRE_VNU is set but there is no vnu.jar at {path}")
        pytest.skip(f"no vnu.jar at {path}: run `make install-vnu` to check HTML")
    return path


def _pages(client):
    sitemap = client.get("/sitemap.xml").content.decode()
    paths = [
        url.split("://", 1)[1].split("/", 1)[1]
        for url in re.findall(r"<loc>([^<]+)</loc>", sitemap)
    ]
    pages = {f"/{path}": client.get(f"/{path}").content for path in paths}
    pages["/search/?q=ketamine"] = client.get("/search/", {"q": "ketamine"}).content
    pages["/search/ (empty)"] = client.get("/search/").content
    pages["/no-such-page/ (404)"] = client.get("/no-such-page/").content
    pages["/enquire/ (errors)"] = client.post("/enquire/", enquiry_data(message="")).content
    thanks = client.post("/enquire/", enquiry_data(), follow=True)
    pages["/enquire/thanks/"] = thanks.content
    for name, response in outage_pages().items():
        pages[f"{name} (without the database)"] = response.content
    pages["/enquire/thanks/ (again)"] = client.get("/enquire/thanks/").content
    pages["/search/?q=pregnant (nothing found)"] = client.get("/search/", {"q": "pregnant"}).content
    pages["/search/ (misspelt, partly found)"] = client.get(
        "/search/", {"q": "spravatto pregnancy"}
    ).content
    page = re.search(rb'name="page" value="([^"]+)"', pages["/safety/"]).group(1).decode()
    origin = {"HTTP_ORIGIN": "http://testserver"}
    pages["/feedback/ (errors)"] = client.post("/feedback/", {"page": page}, **origin).content
    sent = client.post(
        "/feedback/", {"page": page, "helpful": "no", "comment": "I want to die"}, **origin
    )
    pages["/feedback/thanks/ (support)"] = client.get(sent["Location"]).content
    pages["/feedback/ (GET)"] = client.get("/feedback/").content
    pages.update(_spanish_pages(client))
    return pages


def _spanish_pages(client):
    """Spanish pages the sitemap does not list: approved translations (with their parts in
    English marked as such), a page not yet translated, search, errors and the form's."""
    from articles.models import Article
    from tests.factories import approve_translation
    from topics.models import TopicPage

    short = Article.objects.get(slug="who-can-benefit-from-ketamine-therapy")
    for source in (short, TopicPage.objects.get(slug="candidacy")):
        approve_translation(source)
    pages = {
        f"/es{path}": client.get(f"/es{path}").content
        for path in (short.get_absolute_url(), "/candidacy/", "/treatments/", "/safety/")
    }
    pages["/es/search/?q=ansiedad"] = client.get("/es/search/", {"q": "ansiedad"}).content
    pages["/es/search/ (nothing found)"] = client.get("/es/search/", {"q": "xqzzyqw"}).content
    pages["/es/no-such-page/ (404)"] = client.get("/es/no-such-page/").content
    pages["/es/enquire/ (errors)"] = client.post("/es/enquire/", enquiry_data(message="")).content
    return pages


def _show_an_image_in_a_section():
    """An image in the text, as the editor inserts it: its sizes and srcset are checked too."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from articles.images import store_inline_image
    from articles.models import Section
    from articles.services import save_section

    buffer = io.BytesIO()
    Image.new("RGB", (1600, 900), "teal").save(buffer, format="JPEG")
    url = store_inline_image(SimpleUploadedFile("room.jpg", buffer.getvalue()))
    section = Section.objects.filter(article__status="published").first()
    section.body += f"\n\n![A calm treatment room]({url})"
    save_section(section)
    return section


def test_every_public_page_passes_the_nu_html_checker(client, tmp_path):
    jar = _vnu_jar()
    with_image = _show_an_image_in_a_section()
    assert "srcset=" in client.get(with_image.get_absolute_url()).content.decode()
    pages = _pages(client)
    assert len(pages) >= 15
    files = {}
    for number, (name, content) in enumerate(pages.items()):
        path = tmp_path / f"page{number}.html"
        path.write_bytes(content)
        files[str(path)] = name
    result = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.stderr.strip(), f"vnu said nothing (exit {result.returncode})"
    messages = json.loads(result.stderr)["messages"]
    errors = [
        f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: line {m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]
    assert errors == [], "\n".join(errors)
