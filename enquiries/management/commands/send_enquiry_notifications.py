from django.core.management import BaseCommand

from enquiries.notifications import deliver_due


class Command(BaseCommand):
    help = (
        "Deliver the staff notifications that are due, once, then stop. The notification "
        "worker does this continuously; this is for a manual retry or a cron job."
    )

    def handle(self, *args, **options):
        counts = deliver_due()
        self.stdout.write(
            f"Sent {counts['sent']}, will retry {counts['retry']}, refused {counts['failed']}."
        )
