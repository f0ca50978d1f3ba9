from django.core.management import BaseCommand

from enquiries.notifications import deliver_pending


class Command(BaseCommand):
    help = "Send pending staff notifications about enquiries (run it every few minutes)."

    def handle(self, *args, **options):
        counts = deliver_pending()
        self.stdout.write(
            f"Sent {counts['sent']}, failed {counts['failed']}, skipped {counts['skipped']}."
        )
