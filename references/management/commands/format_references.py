from django.conf import settings
from django.core.management import BaseCommand

from references.models import Reference


class Command(BaseCommand):
    help = "Format every reference in the CITATION_STYLE setting and store the result."

    def handle(self, *args, **options):
        references = Reference.objects.prefetch_related("authors")
        for reference in references:
            reference.refresh_formatted()
        self.stdout.write(f"Formatted {len(references)} references in {settings.CITATION_STYLE}.")
