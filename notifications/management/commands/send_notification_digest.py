from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from notifications.services import digest_send


class Command(BaseCommand):
    help = (
        "E-mail everyone who chose the daily digest for some kinds of notification one "
        "message with those not yet mailed. Run it daily (systemd timer or cron); a second "
        "run on the same day sends nothing, and nobody with nothing new gets an e-mail."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", default=None, help="pretend today is this date (YYYY-MM-DD), for testing"
        )

    def handle(self, *args, today=None, **options):
        try:
            day = date.fromisoformat(today) if today else None
        except ValueError:
            raise CommandError(f"--today must be a date like 2024-12-15, not {today!r}") from None
        with translation.override("vi"):
            sent = digest_send(today=day)
        self.stdout.write(f"Sent {sent} digest(s).")
