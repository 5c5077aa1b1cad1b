"""Issuing and revoking API tokens."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import DEFAULT_RATE_PER_MINUTE, TOKEN_PREFIX, ApiToken, token_digest
from api.rules import may_manage_tokens
from danvan.accounts.models import Organization, User
from danvan.audit.services import audit_record


def token_issue(
    *,
    actor: User,
    organization: Organization,
    name: str,
    rate_per_minute: int = DEFAULT_RATE_PER_MINUTE,
) -> tuple[ApiToken, str]:
    """Issue a token for ``organization`` and return it with its plain text, which is
    not stored anywhere (only its SHA-256) and must be shown to the actor now.

    Only the organisation's office staff (or a superuser) may; audited."""
    if not may_manage_tokens.test(actor, organization):
        raise PermissionDenied
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        organization=organization,
        name=name.strip(),
        digest=token_digest(plain),
        hint=plain[: len(TOKEN_PREFIX) + 6],
        rate_per_minute=rate_per_minute,
        created_by=actor,
    )
    token.full_clean()
    with transaction.atomic():
        token.save()
        audit_record(
            actor=actor,
            action="api_token.create",
            obj=token,
            changes={"name": [None, token.name], "rate_per_minute": [None, rate_per_minute]},
        )
    return token, plain


def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke ``token``: from the next request on it is refused (401). A token is revoked
    once; revoking it again is refused with a message. Audited."""
    if not may_manage_tokens.test(actor, token):
        raise PermissionDenied
    with transaction.atomic():
        now = timezone.now()
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=actor
        )
        if not updated:
            raise ValidationError(_("Mã này đã bị thu hồi."))
        token.revoked_at, token.revoked_by = now, actor
        audit_record(actor=actor, action="api_token.revoke", obj=token)
    return token
