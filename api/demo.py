"""Demo: a read-API token for Phổ Minh and one for the province above it, issued by
``seed_demo --api-token`` through ``api.services`` like any other token."""

from api import services
from api.models import ApiToken
from danvan.accounts.models import Organization, User

# The name that marks a demo token: running the seed again revokes the earlier one.
DEMO_TOKEN_NAME = "Dữ liệu mẫu (seed_demo --api-token)"  # noqa: S105 - a label, not a secret


def seed_api_token(organization: Organization, *, actor: User) -> str:
    """Issue ``organization``'s demo token as ``actor`` and return its plain text, after
    revoking the demo token an earlier run issued (so that tokens do not pile up)."""
    earlier = ApiToken.objects.filter(
        organization=organization, name=DEMO_TOKEN_NAME, revoked_at__isnull=True
    )
    for token in earlier:
        services.token_revoke(actor=actor, token=token)
    _token, plain = services.token_issue(
        actor=actor, organization=organization, name=DEMO_TOKEN_NAME
    )
    return plain
