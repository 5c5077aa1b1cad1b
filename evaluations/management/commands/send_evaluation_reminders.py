from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from evaluations.services import reminder_days, reminders_send


class Command(BaseCommand):
    help = (
        "E-mail every evaluator who still has models to score in an open round closing "
        "within EVALUATION_REMINDER_DAYS days (or overdue). Run it daily (systemd timer or "
        "cron); a second run on the same day sends nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=None, help="days ahead (default: the setting, 3)"
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="queue the work for the task worker instead of doing it now",
        )
        parser.add_argument(
            "--today", default=None, help="pretend today is this date (YYYY-MM-DD), for testing"
        )

    def handle(self, *args, days, today, enqueue=False, **options):
        if days is not None and days < 0:
            raise CommandError("--days must be 0 or more")
        if enqueue:
            if today:
                raise CommandError("--today cannot be queued; run without --enqueue")
            from evaluations.tasks import send_reminders

            result = send_reminders.enqueue(days=days)
            self.stdout.write(f"Queued the reminders (task {result.id}, {result.status}).")
            return
        try:
            day = date.fromisoformat(today) if today else None
        except ValueError:
            raise CommandError(f"--today must be a date like 2024-12-15, not {today!r}") from None
        with translation.override("vi"):
            sent = reminders_send(today=day, days=days)
        window = reminder_days() if days is None else days
        self.stdout.write(f"Sent {sent} reminder(s) (rounds closing within {window} days).")
