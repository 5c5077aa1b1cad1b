from django.core.management.base import BaseCommand, CommandError

from danvan.accounts import services
from danvan.accounts.models import User


class Command(BaseCommand):
    help = (
        "Remove a user's second-factor devices (authenticator app and backup codes), for "
        "example a superuser who lost their phone. They enrol again at their next sign-in. "
        "The reset is recorded in the audit trail."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="the user's login name")

    def handle(self, *args, username, **options):
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        removed = services.second_factor_reset(actor=None, user=user)
        self.stdout.write(
            self.style.SUCCESS(
                f"Removed {removed} second-factor device(s) of {username}; "
                "they will enrol again at their next sign-in."
            )
        )
