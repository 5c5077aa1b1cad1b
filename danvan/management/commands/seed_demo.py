from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from awards.demo import seed_awards
from campaigns.demo import seed_campaigns
from danvan.accounts.demo import PHO_MINH, demo_totp_key, seed_directory, seed_second_factor
from danvan.accounts.models import Organization
from evaluations.demo import seed_evaluations
from models_registry.demo import seed_registrations

DEFAULT_PASSWORD = "demo@2024"


class Command(BaseCommand):
    help = (
        "Load the demo data: Phổ Minh ward (plan 46/KH-UBND, 2024) with its units and one "
        "user per role, and a second ward kept apart. Safe to run again: it refreshes the "
        "demo records and resets the demo users' passwords."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"password for every demo user (default: {DEFAULT_PASSWORD})",
        )
        parser.add_argument(
            "--otp-secret",
            metavar="BASE32",
            help=(
                "give every demo account that needs a second factor (office staff, "
                "chairmen, vice-chairmen, the superuser) an authenticator app with this "
                "base32 secret, so scripts and browser tests can compute its codes"
            ),
        )

    def handle(self, *args, password, otp_secret=None, **options):
        if otp_secret is not None:
            try:
                demo_totp_key(otp_secret)
            except ValueError as error:
                raise CommandError(f"--otp-secret: {error}") from None
        with translation.override("vi"), transaction.atomic():
            rows = seed_directory(password)
            pho_minh = Organization.objects.get(code=PHO_MINH["code"])
            campaign = seed_campaigns(pho_minh)
            seed_registrations(campaign)
            rows += seed_evaluations(campaign, password=password)
            seed_awards(campaign)
            enrolled = []
            if otp_secret is not None:
                enrolled = seed_second_factor([row[2] for row in rows], otp_secret)
        self._print_table(rows, password)
        if enrolled:
            self.stdout.write(
                f"Two-factor sign-in: {len(enrolled)} accounts ({', '.join(enrolled)}) use "
                f"an authenticator app with the secret {otp_secret}."
            )
            self.stdout.write("")

    def _print_table(self, rows, password):
        headers = ("Tổ chức", "Vai trò", "Tên đăng nhập", "Mật khẩu")
        table = [(str(a), str(b), str(c), password) for a, b, c in rows]
        widths = [max(len(row[i]) for row in [headers, *table]) for i in range(4)]
        line = "  ".join("-" * width for width in widths)
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS("Demo data loaded. Log in at http://127.0.0.1:8000 with:")
        )
        self.stdout.write("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
        self.stdout.write(line)
        for row in table:
            self.stdout.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
        self.stdout.write("")
