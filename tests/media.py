"""Uploaded files as tests see them: through Django's storage API, wherever they are stored."""

from django.conf import settings
from django.core.files.storage import default_storage

from articles.media_archive import stored_names


def stored_files(directory=""):
    """The names of the files stored under `directory` (all, if none), relative to it."""
    prefix = f"{directory.rstrip('/')}/" if directory else ""
    return sorted(name.removeprefix(prefix) for name in stored_names(directory.rstrip("/")))


def remove_stored(url):
    """Take the file at address `url` out of storage, as if removed behind the site's back."""
    default_storage.delete(url.removeprefix(settings.MEDIA_URL))
