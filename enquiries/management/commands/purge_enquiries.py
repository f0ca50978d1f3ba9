from django.conf import settings
from django.core.management import BaseCommand

from enquiries.models import Enquiry
from enquiries.throttling import purge_expired_counts


class Command(BaseCommand):
    help = "Delete enquiries older than ENQUIRY_RETENTION_DAYS, with their notes and notifications."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, but delete nothing.")

    def handle(self, *args, dry_run=False, **options):
        days = settings.ENQUIRY_RETENTION_DAYS
        expired = Enquiry.objects.older_than(days)
        count = expired.count()
        if not dry_run:
            expired.delete()
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} {count} enquiries older than {days} days.")
        if not dry_run:
            self.stdout.write(f"Deleted {purge_expired_counts()} expired rate-limit counts.")
