"""Uploaded images: raster formats only, checked by Pillow, stripped of metadata, resized.

A file's name and declared content type are the uploader's to choose, so neither is
trusted: Pillow must open the bytes as JPEG, PNG or WebP. SVG is refused because it
can carry scripts. Every accepted image is re-encoded from its pixels, which drops
EXIF (camera, time and GPS location) and any other embedded metadata.
"""

import io
import posixpath
import re
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
RENDITION_WIDTHS = (480, 960, 1440)
MAX_PIXELS = 40_000_000
# Where the Markdown editor's uploads are stored (featured images: Article.featured_image).
INLINE_DIRECTORY = "markdownx/"
# How wide an image in the text column is drawn: the article column (--measure) on wide
# screens, the screen less its margins on phones. The browser picks a size from `srcset` by it.
COLUMN_SIZES = "(min-width: 48rem) 42rem, calc(100vw - 2rem)"


def _open(upload):
    upload.seek(0)
    head = upload.read(512)
    upload.seek(0)
    if b"<svg" in head.lower() or head.lstrip().startswith(b"<?xml"):
        raise ValidationError(
            "SVG images are not accepted because they can contain scripts. "
            "Export the image as PNG or JPEG and upload that."
        )
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its pixel limit; refuse those too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(
                    "This image has too many pixels. Upload one under 40 megapixels."
                )
            image.verify()  # checks the file's structure; the image must be reopened after
            upload.seek(0)
            image = Image.open(upload)
            image.load()  # decodes every pixel: a truncated file fails here, not later
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            "This image has too many pixels. Upload one under 40 megapixels."
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            "This file is not an image we can read. Upload a JPEG, PNG or WebP image."
        ) from error
    upload.seek(0)
    return image


def upload_limit():
    """The largest image accepted, in words: "5 MB"."""
    size = settings.IMAGE_UPLOAD_MAX_BYTES
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.3g} MB"
    return f"{size / 1024:.3g} KB"


def validate_upload(upload):
    """Refuse anything but a readable JPEG, PNG or WebP within the size limits."""
    if getattr(upload, "_committed", False):
        return  # already stored (and checked when it was uploaded)
    if upload.size > settings.IMAGE_UPLOAD_MAX_BYTES:
        raise ValidationError(f"This image is larger than {upload_limit()}. Upload a smaller one.")
    image = _open(upload)
    if image.format not in EXTENSIONS:
        raise ValidationError(
            f"{image.format or 'This'} images are not accepted. Upload a JPEG, PNG or WebP image."
        )
    upload.seek(0)


def strip_metadata(upload):
    """The image re-encoded from its pixels (turned upright first), as a new file."""
    image = _open(upload)
    image_format = image.format
    image = ImageOps.exif_transpose(image)
    image.info = {}  # EXIF, XMP, comments, text chunks: none of it is kept
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    output = io.BytesIO()
    options = {"quality": 85, "optimize": True} if image_format in ("JPEG", "WEBP") else {}
    image.save(output, format=image_format, **options)
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.{EXTENSIONS[image_format]}")


def store_inline_image(upload):
    """Store an image uploaded in the Markdown editor, without its metadata, with its
    smaller sizes; return its address."""
    cleaned = strip_metadata(upload)
    name = default_storage.save(f"{INLINE_DIRECTORY}{cleaned.name}", cleaned)
    make_renditions(name)
    return default_storage.url(name)


def rendition_name(name, width):
    base, extension = posixpath.splitext(name)  # a storage name, not a path
    return f"{base}-{width}w{extension}"


_RENDITION = re.compile(r"^(?P<base>.+)-\d+w(?P<extension>\.[a-z]+)$")


def original_name(name):
    """The image a smaller copy named by `rendition_name` was made from; else `name`."""
    rendition = _RENDITION.match(name)
    return f"{rendition['base']}{rendition['extension']}" if rendition else name


def make_renditions(name):
    """Smaller copies of a stored image for `srcset`: [{"url", "width", "height"}, …].
    A copy already stored is kept, so this may be called again for the same image."""
    with default_storage.open(name) as stored:
        image = Image.open(stored)
        image.load()
    widths = [width for width in RENDITION_WIDTHS if width < image.width]
    for width in widths:
        rendition = rendition_name(name, width)
        if not default_storage.exists(rendition):
            output = io.BytesIO()
            height = round(image.height * width / image.width)
            image.resize((width, height), Image.Resampling.LANCZOS).save(
                output, format=image.format
            )
            default_storage.save(rendition, ContentFile(output.getvalue()))
    return _sizes(name, image.width, image.height, widths)


def _sizes(name, width, height, smaller_widths):
    """The image and its copies at `smaller_widths`, smallest first, as `srcset` lists them."""
    return [
        *(
            {
                "url": default_storage.url(rendition_name(name, smaller)),
                "width": smaller,
                "height": round(height * smaller / width),
            }
            for smaller in smaller_widths
        ),
        {"url": default_storage.url(name), "width": width, "height": height},
    ]


# What the site's own uploads are called in storage: a folder and a plain file name. Nothing
# else is taken for one, so an address such as /media/markdownx/../featured/x.jpg can neither
# show nor, once taken out of the text, remove another page's image.
_STORED_NAME = re.compile(r"[a-z]+/[A-Za-z0-9_-]+\.(?:jpg|jpeg|png|webp)")


def is_own_image(src):
    return src.startswith(settings.MEDIA_URL) and not src.startswith("//")


def stored_name(url):
    """The storage name of the site's own upload at address `url`, or None for any other."""
    if not url or not is_own_image(url):
        return None
    name = url[len(settings.MEDIA_URL) :]
    return name if _STORED_NAME.fullmatch(name) else None


def stored_sizes(name):
    """The sizes of a stored image that exist: [{"url", "width", "height"}, …], smallest
    first and the image itself last, as `make_renditions` gives them; [] if it is not there.
    Reads only the image's header and asks storage which copies exist: nothing is written."""
    try:
        with default_storage.open(name) as stored:
            width, height = Image.open(stored).size
    except (OSError, SuspiciousFileOperation, UnidentifiedImageError, ValueError):
        return []
    stored_widths = [
        smaller
        for smaller in RENDITION_WIDTHS
        if smaller < width and default_storage.exists(rendition_name(name, smaller))
    ]
    return _sizes(name, width, height, stored_widths)


def srcset(sizes):
    return ", ".join(f"{size['url']} {size['width']}w" for size in sizes)


def delete_image(name):
    """Remove a stored image and its smaller copies from storage."""
    if not _STORED_NAME.fullmatch(name):
        raise ValueError(f"{name!r} is not the name of an uploaded image")
    for width in RENDITION_WIDTHS:
        default_storage.delete(rendition_name(name, width))
    default_storage.delete(name)
