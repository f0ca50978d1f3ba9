from django.core.management import BaseCommand, CommandError

from articles.media_archive import ArchiveError, read_archive


class Command(BaseCommand):
    help = (
        "Store every file of a tar.gz written by backup_media (or by `tar -C MEDIA_ROOT -czf "
        "FILE .`) in storage (MEDIA_ROOT, or the bucket), replacing files of the same name."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the .tar.gz file to read")

    def handle(self, *args, archive, **options):
        try:
            restored = read_archive(archive)
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {len(restored)} files from {archive}.")
