import sys

from django.core.management import BaseCommand
from django.utils import timezone

from publishing.models import ScheduleProblem


class Command(BaseCommand):
    help = (
        "For monitoring: exit non-zero, naming them, while scheduled steps (going live, coming "
        "down) are failing. The admin home lists the same."
    )

    def handle(self, *args, **options):
        problems = list(ScheduleProblem.objects.select_related("content_type"))
        if not problems:
            self.stdout.write("No scheduled step is failing.")
            return
        now = timezone.now()
        for problem in problems:
            minutes = int((now - problem.first_failed_at).total_seconds() // 60)
            self.stderr.write(
                f"{problem.get_step_display()} of {problem.content_type.model} {problem.object_id} "
                f"failing for {minutes} min ({problem.failures} tries): {problem.reason}"
            )
        self.stderr.write(f"{len(problems)} scheduled step(s) failing.")
        sys.exit(1)
