from django.core.management import BaseCommand

from articles.media_archive import write_archive


class Command(BaseCommand):
    help = (
        "Write every uploaded file in storage (MEDIA_ROOT, or the bucket) into a new tar.gz: "
        "the media half of deploy/backup."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the .tar.gz file to write")

    def handle(self, *args, archive, **options):
        count = write_archive(archive)
        self.stdout.write(f"Wrote {count} files to {archive}.")
