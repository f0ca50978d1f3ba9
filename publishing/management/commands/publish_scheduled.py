from django.core.management import BaseCommand

from publishing.workflow import run_schedule


class Command(BaseCommand):
    help = (
        "Take down pages whose time is up and publish approved changes whose go-live time has "
        "come: one pass of what the background worker does every poll."
    )

    def handle(self, *args, **options):
        done = run_schedule()
        self.stdout.write(
            f"Published {done['published']} page(s); took down {done['taken_down']} page(s); "
            f"{done['failed']} failed."
        )
