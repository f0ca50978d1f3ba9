"""The media half of a backup: every stored file into one tar.gz, and back, through storage."""

import io
import subprocess
import tarfile
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from tests.conftest import bucket_storage
from tests.media import stored_files

FILES = {
    "featured/room.jpg": b"\xff\xd8 a featured image",
    "featured/room-480w.jpg": b"\xff\xd8 its smaller copy",
    "markdownx/garden.png": b"\x89PNG an image in a section",
}


def _store(files):
    for name, content in files.items():
        assert default_storage.save(name, ContentFile(content)) == name


def _read(name):
    with default_storage.open(name) as stored:
        return stored.read()


def _restore_into_empty_storage(settings, media, s3_server=None):
    """Point storage at an empty place of the same kind, as a restore onto a new host does."""
    if media == "bucket":
        settings.STORAGES = {
            **settings.STORAGES,
            "default": bucket_storage(s3_server, location=f"restored-{uuid.uuid4().hex}"),
        }
    else:
        settings.MEDIA_ROOT = settings.MEDIA_ROOT.parent / "restored-media"
    assert stored_files() == []


def test_a_backup_restores_every_file_into_empty_storage(settings, media, tmp_path, request):
    _store(FILES)
    archive = tmp_path / "media.tar.gz"
    call_command("backup_media", str(archive), stdout=io.StringIO())
    s3_server = request.getfixturevalue("s3_server") if media == "bucket" else None
    _restore_into_empty_storage(settings, media, s3_server)

    out = io.StringIO()
    call_command("restore_media", str(archive), stdout=out)

    assert stored_files() == sorted(FILES)
    assert {name: _read(name) for name in FILES} == FILES
    assert f"Restored 3 files from {archive}." in out.getvalue()


def test_a_bucket_backup_restores_onto_disk(settings, bucket_media, tmp_path):
    _store(FILES)
    archive = tmp_path / "media.tar.gz"
    call_command("backup_media", str(archive), stdout=io.StringIO())
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "disk"
    call_command("restore_media", str(archive), stdout=io.StringIO())
    assert {name: (settings.MEDIA_ROOT / name).read_bytes() for name in FILES} == FILES


def test_a_tarball_of_media_root_from_before_the_bucket_restores_into_it(
    settings, bucket_media, tmp_path
):
    """deploy/backup used to write `tar -C MEDIA_ROOT -czf FILE .`: those backups still restore."""
    old_root = tmp_path / "old-media"
    for name, content in FILES.items():
        (old_root / name).parent.mkdir(parents=True, exist_ok=True)
        (old_root / name).write_bytes(content)
    archive = tmp_path / "old.tar.gz"
    subprocess.run(["tar", "-C", str(old_root), "-czf", str(archive), "."], check=True)

    call_command("restore_media", str(archive), stdout=io.StringIO())

    assert {name: _read(name) for name in FILES} == FILES


def test_a_restore_replaces_a_file_of_the_same_name_and_keeps_others(settings, media, tmp_path):
    _store(FILES)
    archive = tmp_path / "media.tar.gz"
    call_command("backup_media", str(archive), stdout=io.StringIO())
    default_storage.delete("featured/room.jpg")
    default_storage.save("featured/room.jpg", ContentFile(b"changed since the backup"))
    default_storage.save("markdownx/later.png", ContentFile(b"uploaded after the backup"))

    call_command("restore_media", str(archive), stdout=io.StringIO())

    assert _read("featured/room.jpg") == FILES["featured/room.jpg"]
    assert stored_files() == sorted([*FILES, "markdownx/later.png"])  # no room_abc123.jpg


def test_an_empty_storage_backs_up_as_an_empty_archive(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "never-made"
    archive = tmp_path / "media.tar.gz"
    out = io.StringIO()
    call_command("backup_media", str(archive), stdout=out)
    assert "Wrote 0 files" in out.getvalue()
    with tarfile.open(archive) as opened:
        assert opened.getnames() == []


@pytest.mark.parametrize(
    "bad_member", ["../outside.jpg", "/etc/cron.d/job", "featured/../../outside.jpg", "link"]
)
def test_an_archive_reaching_outside_storage_is_refused_before_anything_is_written(
    settings, tmp_path, bad_member
):
    archive = tmp_path / "bad.tar.gz"
    with tarfile.open(archive, "w:gz") as writing:
        good = tarfile.TarInfo("featured/room.jpg")
        good.size = 4
        writing.addfile(good, io.BytesIO(b"\xff\xd8ok"))
        bad = tarfile.TarInfo(bad_member)
        if bad_member == "link":
            bad.type, bad.linkname = tarfile.SYMTYPE, "/etc/passwd"
        else:
            bad.size = 3
        writing.addfile(bad, io.BytesIO(b"bad"))

    with pytest.raises(CommandError, match="is not a file that can be restored; nothing was"):
        call_command("restore_media", str(archive), stdout=io.StringIO())
    assert stored_files() == []
