from django.core.management import BaseCommand, CommandError
from django.utils import timezone

from enquiries.models import Notification


class Command(BaseCommand):
    help = (
        "Exit non-zero if any staff notification was not delivered in time (urgent "
        "enquiries: NOTIFICATION_URGENT_DEADLINE_MINUTES; others: NOTIFICATION_DEADLINE_MINUTES). "
        "For an operator's monitoring."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        overdue = list(
            Notification.objects.overdue(now)
            .select_related("enquiry")
            .order_by("created_at")
            .values_list("created_at", "enquiry__is_urgent", "status")
        )
        if not overdue:
            self.stdout.write("Every staff notification was delivered in time.")
            return
        oldest_minutes = int((now - overdue[0][0]).total_seconds() // 60)
        urgent = sum(1 for _, is_urgent, _ in overdue if is_urgent)
        refused = sum(1 for *_, status in overdue if status == Notification.Status.FAILED)
        raise CommandError(
            f"{len(overdue)} staff notification(s) overdue ({urgent} urgent, {refused} refused "
            f"by the mail server); the oldest is {oldest_minutes} minutes old. "
            "See Enquiries → Staff notifications in the admin."
        )
