"""The Markdown renderer keeps what editors write and removes anything that could run."""

import io
import re

import lxml.html
import pytest

from articles.rendering import render_markdown


def _attributes(html, name):
    return re.findall(rf'\b{name}="([^"]*)"', html)


def test_ordinary_markdown_is_kept():
    html = render_markdown(
        "Some **bold** text and a [link](https://example.org/page).\n\n- one\n- two"
    )
    assert "<strong>bold</strong>" in html
    assert '<a href="https://example.org/page"' in html
    assert "<li>one</li>" in html


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "before <script src='https://evil.example/x.js'></script> after",
    ],
)
def test_script_elements_are_removed(source):
    assert "<script" not in render_markdown(source).lower()


def test_event_handler_on_raw_image_is_removed():
    html = render_markdown('<img src="/media/x.png" onerror="alert(1)">')
    assert "onerror" not in html
    assert '<img src="/media/x.png">' in html


def test_javascript_link_loses_its_href():
    html = render_markdown("[x](javascript:alert(1))")
    assert "javascript" not in html.lower()
    assert _attributes(html, "href") == []


def test_quote_in_image_alt_cannot_open_an_attribute():
    html = render_markdown('![x" onerror=alert(1)](/media/y.png)')
    (image,) = lxml.html.fromstring(html).iter("img")
    assert set(image.attrib) == {"alt", "src"}


def test_entity_obfuscated_javascript_href_is_removed():
    html = render_markdown('<a href="jav&#x09;ascript:alert(1)">click</a>')
    assert _attributes(html, "href") == []
    assert "click" in html


def test_iframe_is_removed():
    html = render_markdown('<iframe src="https://evil.example/"></iframe>text')
    assert "<iframe" not in html
    assert "evil.example" not in html


@pytest.mark.parametrize(
    "href", ["data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox", "file:///etc/passwd"]
)
def test_only_http_https_and_mailto_links_survive(href):
    assert _attributes(render_markdown(f"[x]({href})"), "href") == []


def test_allowed_link_schemes_are_kept_with_rel_noopener():
    html = render_markdown("[a](https://a.example) [m](mailto:clinic@example.org)")
    assert _attributes(html, "href") == ["https://a.example", "mailto:clinic@example.org"]
    assert all("noopener" in rel for rel in _attributes(html, "rel"))


def test_style_and_id_attributes_are_removed():
    html = render_markdown('<p style="position:fixed" id="main" class="x">hi</p>')
    assert "style=" not in html and 'id="main"' not in html


def test_citation_becomes_a_marker_and_code_spans_stay_literal():
    html = render_markdown("Claim [@smith2020; @doe-2019]. Code `[@not_a_citation]`.")
    assert '<sup data-cite="smith2020 doe-2019">' in html
    assert "<code>[@not_a_citation]</code>" in html


@pytest.mark.parametrize(
    "body, line, tag",
    [
        (
            'Intro.\n\n<iframe src="https://video.example/x"\n\nThe rest of the section.',
            3,
            "iframe",
        ),
        ("One.\nTwo <math><style>x\n\nThe rest.", 2, "math"),
    ],
)
def test_a_tag_that_would_hide_the_rest_is_refused_naming_the_line(staff_client, body, line, tag):
    from articles.models import Section
    from tests.factories import post_section_edit

    section = Section.objects.filter(article__slug="who-can-benefit-from-ketamine-therapy").first()
    original = section.body
    response = post_section_edit(staff_client, section, body)
    assert response.status_code == 200
    assert f"Line {line}: &lt;{tag}&gt; cannot be used in a section" in response.content.decode()
    section.refresh_from_db()
    assert section.body == original


def test_such_tags_written_as_code_are_fine():
    from articles.rendering import swallowing_html

    assert swallowing_html("Use `<iframe>` for video.\n\n```\n<script>\n```\n\n    <style>") == []


def test_images_from_other_sites_lose_their_address():
    html = render_markdown(
        "![A tracker](https://tracker.example/pixel.png) ![Ours](/media/markdownx/room.png)"
        ' <img src="//cdn.example/x.png" alt="x">'
    )
    assert "tracker.example" not in html and "cdn.example" not in html
    assert 'src="/media/markdownx/room.png"' in html


@pytest.mark.parametrize(
    "body, message",
    [
        ("Look: ![A room](https://images.example/room.jpg)", "is on another site"),
        (
            "Look: ![](/media/markdownx/room.jpg)",
            "Image 1 in the text (/media/markdownx/room.jpg) has no description",
        ),
        (
            'Look: <img src="/media/markdownx/desk.jpg">',
            "Image 1 in the text (/media/markdownx/desk.jpg) has no description",
        ),
    ],
)
def test_a_section_with_a_foreign_or_undescribed_image_is_refused_naming_it(db, body, message):
    from django.core.exceptions import ValidationError

    from articles.models import Article, Section

    section = Section(article=Article.objects.first(), heading="Images", body=body)
    with pytest.raises(ValidationError) as error:
        section.full_clean()
    assert message in " ".join(error.value.message_dict["body"])


def test_a_described_image_of_our_own_is_accepted(db):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from PIL import Image

    from articles.models import Article, Section

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, format="JPEG")
    default_storage.save("markdownx/room.jpg", ContentFile(buffer.getvalue()))
    section = Section(
        article=Article.objects.first(),
        heading="Images",
        anchor="images",
        body="![A calm treatment room](/media/markdownx/room.jpg)",
    )
    section.full_clean()
