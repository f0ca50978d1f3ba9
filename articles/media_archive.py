"""Every uploaded file in storage, written to and read back from one tar.gz: the media half of
a backup (deploy/backup and deploy/restore run `manage.py backup_media` and `restore_media`).

Only through Django's storage API, so a backup of a bucket restores onto disk and the other
way round, and an archive of MEDIA_ROOT made with `tar -C MEDIA_ROOT -czf FILE .` (what
deploy/backup wrote before the bucket) restores too.
"""

import posixpath
import tarfile

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


class ArchiveError(Exception):
    pass


def stored_names(directory=""):
    """The name of every file in storage, each folder walked."""
    try:
        folders, files = default_storage.listdir(directory)
    except FileNotFoundError:  # MEDIA_ROOT not made yet: nothing was ever uploaded
        return
    for filename in sorted(files):
        yield posixpath.join(directory, filename)
    for folder in sorted(folders):
        yield from stored_names(posixpath.join(directory, folder))


def write_archive(path):
    """Write every stored file into a new tar.gz at `path`; how many."""
    count = 0
    with tarfile.open(path, "w:gz") as archive:
        for name in stored_names():
            with default_storage.open(name) as stored:
                info = tarfile.TarInfo(name)
                info.size = stored.size
                info.mtime = int(default_storage.get_modified_time(name).timestamp())
                info.mode = 0o644
                archive.addfile(info, stored)
            count += 1
    return count


def _restorable(member):
    """The storage name `member` is restored under, None for a folder; ArchiveError if it
    is neither a plain file nor a folder inside the archive's root."""
    name = posixpath.normpath(member.name)
    if member.isdir():
        return None
    if not member.isfile() or name.startswith(("/", "../")) or name in (".", ".."):
        raise ArchiveError(f"{member.name} is not a file that can be restored; nothing was.")
    return name


def read_archive(path):
    """Store every file of the tar.gz at `path` under its own name, replacing a stored file of
    that name (other stored files are left alone); the names restored. The archive is checked
    whole before anything is written."""
    with tarfile.open(path, "r:*") as archive:
        members = [(member, _restorable(member)) for member in archive.getmembers()]
        restored = []
        for member, name in members:
            if name is None:
                continue
            content = ContentFile(archive.extractfile(member).read())
            default_storage.delete(name)  # a save never replaces a file of the same name
            saved = default_storage.save(name, content)
            if saved != name:
                raise ArchiveError(f"{name} was stored as {saved}: another process wrote it.")
            restored.append(name)
    return restored
