"""The import page's two steps as staff take them: preview, then import what was previewed."""

from django.core.files.uploadedfile import SimpleUploadedFile

IMPORT_URL = "/admin/references/reference/import/"


def preview(client, text=None, *, upload=None, name="export.bib", text_format="auto"):
    """Post pasted `text`, or `upload` (bytes) as a file called `name`, for a preview."""
    data = {"text_format": text_format, "preview": "Preview"}
    if upload is not None:
        data["upload"] = SimpleUploadedFile(name, upload)
    else:
        data["text"] = text
    return client.post(IMPORT_URL, data)


def confirm(client, previewed, **extra):
    """Press the preview page's Import button: its form sends only the batch's token."""
    return client.post(IMPORT_URL, {"batch": previewed.context["token"], "confirm": "1"}, **extra)


def preview_and_import(client, text, **options):
    previewed = preview(client, text, **options)
    assert previewed.status_code == 200
    return confirm(client, previewed)
