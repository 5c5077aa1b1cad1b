from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

from awards.demo import seed_awards
from campaigns.demo import seed_campaigns
from danvan.accounts.demo import PHO_MINH, seed_directory
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

    def handle(self, *args, password, **options):
        with translation.override("vi"), transaction.atomic():
            rows = seed_directory(password)
            pho_minh = Organization.objects.get(code=PHO_MINH["code"])
            campaign = seed_campaigns(pho_minh)
            seed_registrations(campaign)
            rows += seed_evaluations(campaign, password=password)
            seed_awards(campaign)
        self._print_table(rows, password)

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
