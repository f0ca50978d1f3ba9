"""A fingerprint of the code, templates, static files and settings this process serves.

Cached pages are keyed by it, so a deploy (or a changed setting, which needs a
restart) never serves pages rendered by the previous release, and during a rolling
deploy servers on the old and the new release never share an entry.
"""

import hashlib
import re
from functools import cache
from pathlib import Path

import django
from django.conf import settings
from django.utils.functional import LazyObject, empty

# .mo: a compiled catalogue changes what a page in its language says.
SOURCE_SUFFIXES = {".py", ".html", ".txt", ".css", ".js", ".svg", ".ico", ".png", ".webp", ".mo"}
# Not part of what a page is made from: tooling, tests, local data.
SKIPPED_DIRECTORIES = {
    ".git",
    ".venv",
    "var",
    "tests",
    "benchmarks",
    "deploy",
    "node_modules",
    "__pycache__",
    "fixtures",
}
_ADDRESS = re.compile(r" at 0x[0-9a-f]+")


@cache
def release_fingerprint():
    digest = hashlib.blake2b(digest_size=8)
    digest.update(django.get_version().encode())
    for path in _source_files(Path(settings.BASE_DIR)):
        digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
        digest.update(path.read_bytes())
    digest.update(_settings_text().encode())
    return digest.hexdigest()


def _source_files(root):
    found = []
    for path in root.iterdir():
        if path.is_dir() and path.name not in SKIPPED_DIRECTORIES and not path.name.startswith("."):
            found.extend(_source_files(path))
        elif path.is_file() and path.suffix in SOURCE_SUFFIXES:
            found.append(path)
    return sorted(found)


def _settings_text():
    names = sorted(name for name in dir(settings) if name.isupper())
    return _ADDRESS.sub("", repr([(name, _evaluated(getattr(settings, name))) for name in names]))


def _evaluated(value):
    """A lazy setting (django-axes has some) as its value: its repr changes once it is first
    used, and the fingerprint must not."""
    if isinstance(value, LazyObject):
        if value._wrapped is empty:
            value._setup()
        return value._wrapped
    return value
