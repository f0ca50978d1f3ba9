from django.core.management import BaseCommand

from publishing.services import publish_due


class Command(BaseCommand):
    help = (
        "Publish approved changes whose go-live time has come and take down pages whose time "
        "is up: one pass of what the background worker does every poll."
    )

    def handle(self, *args, **options):
        done = publish_due()
        self.stdout.write(
            f"Published {done['published']} page(s); took down {done['taken_down']} page(s)."
        )
