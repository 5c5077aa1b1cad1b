"""Access tokens of the read API (docs/api.md).

A token is issued to one organisation in the back office. Only the SHA-256 of the token
is stored: the plain token is shown once, when it is issued, and can never be read again.
"""

import hashlib

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danvan.accounts.models import Organization
from province.selectors import commune_ids

# What every plain token starts with, so that a leaked one is recognisable (secret scanners).
TOKEN_PREFIX = "dvk_"  # noqa: S105 - a public prefix, not a secret
DEFAULT_RATE_PER_MINUTE = 120


def token_digest(plain: str) -> str:
    """The stored form of a token. Tokens are 256 random bits, so a plain SHA-256 is
    enough: there is nothing to guess, and the look-up stays one indexed equality."""
    return hashlib.sha256(plain.encode()).hexdigest()


class ApiToken(models.Model):
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("tổ chức"),
    )
    name = models.CharField(
        _("tên"),
        max_length=150,
        help_text=_("Hệ thống hoặc người dùng mã này, ví dụ “Cổng thông tin tỉnh”."),
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the plain token, to recognise it in the list.
    hint = models.CharField(_("đầu mã"), max_length=16, editable=False)
    rate_per_minute = models.PositiveIntegerField(
        _("số yêu cầu mỗi phút"),
        default=DEFAULT_RATE_PER_MINUTE,
        validators=[MinValueValidator(1), MaxValueValidator(100_000)],
        help_text=_("Quá số này, API trả lỗi 429 cho đến phút sau."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("người cấp"),
    )
    created_at = models.DateTimeField(_("cấp lúc"), db_default=Now(), editable=False)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("người thu hồi"),
    )

    # ``organization_ids()``, once computed.
    _organization_ids: frozenset[int] | None = None

    class Meta:
        ordering = ["organization", "-created_at", "-pk"]
        verbose_name = _("mã truy cập API")
        verbose_name_plural = pgettext_lazy("plural", "mã truy cập API")
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def organization_ids(self) -> frozenset[int]:
        """The organisations whose data the token reads. Every query of the API is
        scoped by this set and nothing else.

        A commune's token reads its own organisation. A province's token reads the
        province and the communes under it today (``province.selectors.commune_ids``),
        with all their years, the years before they came under it included: what the API
        follows is where a commune answers now. A commune that has left (moved to
        another province, or merged into another commune) is no longer read, so that two
        provinces never read the same commune's new data; nor is a deactivated commune,
        whose own tokens no longer work either. One query for a province,
        none for a commune; remembered on the object, which lives for one request."""
        if self._organization_ids is None:
            ids = {self.organization_id}
            if self.organization.kind == Organization.Kind.PROVINCE:
                ids |= commune_ids(self.organization, active_only=True)
            self._organization_ids = frozenset(ids)
        return self._organization_ids
