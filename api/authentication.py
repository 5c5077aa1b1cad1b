"""Who is calling: a bearer token issued in the back office (``api.models.ApiToken``)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from api.models import ApiToken
from api.selectors import token_by_plain


@dataclass(frozen=True)
class TokenClient:
    """The caller of an API request: not a person, a system holding ``token``. It stands
    in ``request.user`` for the request; ``request.auth`` is the token itself."""

    token: ApiToken
    is_authenticated: bool = True
    is_active: bool = True
    is_superuser: bool = False
    is_anonymous: bool = False
    pk: None = None

    def __str__(self) -> str:
        return str(self.token)


class TokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer dvk_…``. A token unknown, revoked, or of an organisation
    no longer active is refused with 401; no token at all is a 401 too (the permission
    check asks for one)."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Tiêu đề Authorization phải có dạng “Bearer <mã>”."), code="token_invalid"
            )
        try:
            plain = header[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(
                _("Mã truy cập không hợp lệ."), code="token_invalid"
            ) from None
        token = token_by_plain(plain)
        if token is None or not token.organization.is_active:
            raise exceptions.AuthenticationFailed(
                _("Mã truy cập không hợp lệ."), code="token_invalid"
            )
        if token.is_revoked:
            raise exceptions.AuthenticationFailed(
                _("Mã truy cập đã bị thu hồi."), code="token_revoked"
            )
        return TokenClient(token), token

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'
