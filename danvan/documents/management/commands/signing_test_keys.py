from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from danvan.accounts.models import Membership, Organization
from danvan.documents import testca


class Command(BaseCommand):
    help = (
        "Local demo only (DEBUG=1): create, where missing, a throwaway test CA, a seal "
        "certificate for each organisation and a personal certificate for each chairman and "
        "vice-chairman, under SIGNING_TEST_DIR (var/test-signing). Never for real documents."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "The test CA is for the local demo only (DEBUG=1). In production configure "
                "real certificates: see docs/signatures.md."
            )
        directory = Path(settings.SIGNING_TEST_DIR)
        made = make_demo_keys(directory)
        for path in made:
            self.stdout.write(f"Created {path}")
        if settings.SIGNING_KEYS_DIR and Path(settings.SIGNING_KEYS_DIR) != directory / "seals":
            self.stdout.write(
                self.style.WARNING(
                    f"SIGNING_KEYS_DIR is {settings.SIGNING_KEYS_DIR}: the test seals in "
                    f"{directory / 'seals'} are not used."
                )
            )


def make_demo_keys(directory: Path) -> list[Path]:
    """The test CA, every active organisation's seal and every signer's certificate."""
    organizations = list(
        Organization.objects.filter(is_active=True).values_list("code", "name").order_by("code")
    )
    people = sorted(
        {
            (membership.user.username, membership.user.full_name)
            for membership in Membership.objects.filter(
                role__in=[Membership.Role.CHAIRMAN, Membership.Role.VICE_CHAIRMAN],
                user__is_active=True,
            ).select_related("user")
        }
    )
    return testca.ensure_test_keys(directory, organizations=organizations, people=people)
