from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from api.demo import seed_api_token
from awards.demo import seed_awards, seed_awards_2025, seed_front_certificates
from campaigns import services as campaign_services
from campaigns.demo import seed_campaigns, seed_front_stage, seed_later_campaigns
from campaigns.models import Campaign
from danvan.accounts.demo import (
    NGUYEN_NGHIEM,
    PHO_MINH,
    SUPERUSER,
    demo_totp_key,
    seed_directory,
    seed_second_factor,
)
from danvan.accounts.models import Membership, Organization, User
from evaluations import services as evaluation_services
from evaluations.demo import seed_evaluations
from models_registry.demo import (
    seed_front_form,
    seed_front_registrations,
    seed_later_registrations,
    seed_registrations,
)
from province.demo import QUANG_NGAI, seed_province

DEFAULT_PASSWORD = "demo@2024"
API_ROOT = "http://127.0.0.1:8000/api/v1"


class Command(BaseCommand):
    help = (
        "Load the demo data: Phổ Minh ward (plan 46/KH-UBND, 2024) with its units and one "
        "user per role, a second ward kept apart where the Front leads a stage 2026–2030, "
        "and the province above both wards with a proposal travelling from Phổ Minh. "
        "Safe to run again: it refreshes the "
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
        parser.add_argument(
            "--api-token",
            action="store_true",
            help=(
                "issue a read-API token for Phổ Minh and one for the province, print them "
                "with a curl example; running again revokes the tokens the previous run issued"
            ),
        )

    def handle(self, *args, password, otp_secret=None, api_token=False, **options):
        if otp_secret is not None:
            try:
                demo_totp_key(otp_secret)
            except ValueError as error:
                raise CommandError(f"--otp-secret: {error}") from None
        with translation.override("vi"), transaction.atomic():
            rows = seed_directory(password)
            if settings.DEBUG:
                self._test_keys()
            pho_minh = Organization.objects.get(code=PHO_MINH["code"])
            campaign = seed_campaigns(pho_minh)
            seed_registrations(campaign)
            rows += seed_evaluations(campaign, password=password)
            seed_awards(campaign)
            self._later_years(pho_minh, campaign)
            self._front_stage(Organization.objects.get(code=NGUYEN_NGHIEM["code"]))
            rows += seed_province(password)
            if settings.DEBUG:
                self._test_keys()  # the province's seal, for its summary reports
            enrolled = []
            if otp_secret is not None:
                enrolled = seed_second_factor([row[2] for row in rows], otp_secret)
            tokens = self._api_tokens(pho_minh) if api_token else []
        self._print_table(rows, password)
        self._print_tokens(tokens, pho_minh)
        if enrolled:
            self.stdout.write(
                f"Two-factor sign-in: {len(enrolled)} accounts ({', '.join(enrolled)}) use "
                f"an authenticator app with the secret {otp_secret}."
            )
            self.stdout.write("")

    def _test_keys(self):
        """The local demo signs its documents with a throwaway test CA (docs/signatures.md)."""
        from danvan.documents.management.commands.signing_test_keys import make_demo_keys

        directory = Path(settings.SIGNING_TEST_DIR)
        if make_demo_keys(directory):
            self.stdout.write(
                f"Test certificates (never for real documents) created in {directory}."
            )

    def _later_years(self, organization, first):
        """A 2025 cycle completed under the rules in force from 01/7/2025, and the 2026
        campaign in progress."""
        year_2025, year_2026 = seed_later_campaigns(organization, first)
        for campaign in (year_2025, year_2026):
            seed_later_registrations(campaign)
            seed_evaluations(campaign)
        if year_2025.status == Campaign.Status.ISSUED:
            office = (
                organization.memberships.filter(role="office").select_related("user").first().user
            )
            for round in year_2025.evaluation_rounds.filter(status="open"):
                evaluation_services.round_close(actor=office, round=round)
            seed_awards_2025(year_2025)
            campaign_services.campaign_close(actor=office, campaign=year_2025)

    def _front_stage(self, organization):
        """Nguyễn Nghiêm runs the movement the Front's way: a stage 2026–2030, the 2026
        call with its nine questions, models of residential areas, and certificates."""
        _stage, year = seed_front_stage(organization)
        seed_front_form(year)
        seed_front_registrations(year)
        seed_front_certificates(year)

    def _api_tokens(self, pho_minh) -> list[tuple[Organization, str]]:
        """Phổ Minh's token, issued by its office, and the province's, issued by the
        administrator (a province's staff do not use the back office)."""
        office = (
            Membership.objects.filter(organization=pho_minh, role=Membership.Role.OFFICE)
            .select_related("user")
            .order_by("pk")
            .first()
            .user
        )
        province = Organization.objects.get(code=QUANG_NGAI["code"])
        administrator = User.objects.get(username=SUPERUSER.username)
        return [
            (pho_minh, seed_api_token(pho_minh, actor=office)),
            (province, seed_api_token(province, actor=administrator)),
        ]

    def _print_tokens(self, tokens, pho_minh):
        for organization, plain in tokens:
            self.stdout.write(f"Read-API token of {organization.short_name}: {plain}")
            if organization.pk == pho_minh.pk:
                example = f"{API_ROOT}/registrations/"
            else:  # the province's token reads its communes; narrowed to one here
                example = f"{API_ROOT}/registrations/?organization={pho_minh.pk}"
            self.stdout.write(f'  curl -H "Authorization: Bearer {plain}" "{example}"')
        if tokens:
            self.stdout.write(
                "Running seed_demo --api-token again revokes these tokens and issues new "
                "ones. The API's documentation: http://127.0.0.1:8000/api/v1/docs/"
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
