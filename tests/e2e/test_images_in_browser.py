"""An editor adds an image to a section in a real browser: by the button or by dropping it
in, refused with the server's reason, and written into the text only with alt text."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.test_editing_in_browser import SECTION_LINK, _sign_in, _staff

pytestmark = pytest.mark.browser


@pytest.fixture
def editor(site):
    return _staff("carla", "Content editors")


def _jpeg(width, height):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(buffer, format="JPEG")
    return buffer.getvalue()


def _open_section(page, site):
    _sign_in(page, site, "carla")
    page.goto(site.url + "/admin/articles/section/?q=Post-Treatment")
    page.get_by_role("link", name=SECTION_LINK).click()
    expect(page.locator("html")).to_have_attribute("data-image-tools-ready", "true")
    return page.locator("textarea[name=body]")


def _choose(page, name, mime_type, content):
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Insert image…").click()
    chooser.value.set_files({"name": name, "mimeType": mime_type, "buffer": content})


def _drop(textarea, name, mime_type, content):
    transfer = textarea.page.evaluate_handle(
        """([name, type, bytes]) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([new Uint8Array(bytes)], name, { type }));
            return transfer;
        }""",
        [name, mime_type, list(content)],
    )
    textarea.dispatch_event("drop", {"dataTransfer": transfer})


def test_a_refused_upload_shows_the_servers_reason_and_leaves_the_text_alone(
    site, editor, desktop_page
):
    page = desktop_page
    body = _open_section(page, site)
    before = body.input_value()
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

    _choose(page, "logo.svg", "image/svg+xml", svg)
    alert = page.locator("[data-image-error]")
    expect(alert).to_have_text(
        "“logo.svg” was not added: SVG images are not accepted because they can contain "
        "scripts. Export the image as PNG or JPEG and upload that."
    )
    _drop(body, "notes.png", "image/png", b"plain text, not a picture")
    expect(alert).to_contain_text("“notes.png” was not added: This file is not an image")
    assert body.input_value() == before
    expect(page.locator("dialog[open]")).to_have_count(0)


def test_an_image_goes_in_only_with_its_description_and_is_previewed_in_sizes(
    site, editor, desktop_page
):
    page = desktop_page
    body = _open_section(page, site)
    before = body.input_value()

    _drop(body, "room.jpg", "image/jpeg", _jpeg(2000, 1000))
    dialog = page.get_by_role("dialog", name="Describe the image")
    expect(dialog).to_be_visible()
    alt = dialog.get_by_label("What the image shows, for people who cannot see it")
    expect(alt).to_be_focused()
    dialog.get_by_role("button", name="Insert image").click()
    expect(dialog.get_by_role("alert")).to_contain_text("Describe the image first")
    assert body.input_value() == before

    alt.fill("A calm treatment room with an armchair")
    alt.press("Enter")  # inserts; it must not submit the section's form
    expect(dialog).to_be_hidden()
    text = body.input_value()
    assert text.startswith(before.rstrip("\n"))
    image_line = text.rsplit("\n", 1)[-1]
    assert image_line.startswith("![A calm treatment room with an armchair](/media/markdownx/")
    expect(page.locator("[data-image-tools] [role=status]")).to_have_text(
        "Image inserted: A calm treatment room with an armchair"
    )
    preview = page.locator(".markdownx-preview img")
    expect(preview).to_have_attribute("width", "2000")
    assert preview.get_attribute("srcset").count("w,") == 3  # 480, 960 and 1440 px copies
    shape = preview.bounding_box()
    assert abs(shape["width"] / shape["height"] - 2) < 0.05  # narrowed, not squashed

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("saved as a draft")


def test_cancelling_adds_nothing_and_says_so(site, editor, desktop_page):
    page = desktop_page
    body = _open_section(page, site)
    before = body.input_value()
    _choose(page, "room.jpg", "image/jpeg", _jpeg(300, 200))
    dialog = page.get_by_role("dialog", name="Describe the image")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.locator("[data-image-tools] [role=status]")).to_have_text(
        "The image was not added."
    )
    expect(page.get_by_role("button", name="Insert image…")).to_be_focused()
    assert body.input_value() == before


def test_text_pasted_from_word_stays_text_though_a_picture_of_it_comes_along(
    site, editor, desktop_page
):
    page = desktop_page
    body = _open_section(page, site)
    before = body.input_value()
    body.evaluate(
        """(textarea, bytes) => {
            const clipboard = new DataTransfer();
            clipboard.setData("text/plain", "Words copied from a document");
            clipboard.items.add(new File([new Uint8Array(bytes)], "image.png", { type: "image/png" }));
            textarea.dispatchEvent(new ClipboardEvent("paste", {
                clipboardData: clipboard, bubbles: true, cancelable: true,
            }));
        }""",
        list(_jpeg(40, 30)),
    )
    page.wait_for_timeout(500)  # markdownx's own upload, had it run, would have answered
    expect(page.locator("dialog[open]")).to_have_count(0)
    expect(page.locator("[data-image-status]")).to_have_text("")
    assert body.input_value() == before  # no "Invalid response", no image code
