import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _


class PrivateFile(models.Model):
    """What the portal keeps about an uploaded file besides the file itself (which each
    concrete model declares with its own storage path). Served only through views that
    check permission (danvan.uploads.private_file_response)."""

    original_name = models.CharField(_("tên tệp"), max_length=200)
    content_type = models.CharField(_("loại tệp"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    uploaded_at = models.DateTimeField(db_default=Now(), editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


# A telephone number as people write it: digits, grouped by spaces, dots or dashes, with
# "+" for the country code, brackets for the area code, and "/" or ";" between numbers.
_PHONE = re.compile(r"[0-9 +.()\-/;,]*")


def validate_phone(value: str) -> None:
    """A phone number (or several): at least 8 digits and nothing but the marks above."""
    if value and (not _PHONE.fullmatch(value) or sum(ch.isdigit() for ch in value) < 8):
        raise ValidationError(
            _(
                "Số điện thoại chỉ gồm chữ số (ít nhất 8), có thể có dấu cách, dấu chấm, "
                "gạch ngang, ngoặc đơn và dấu + ở đầu."
            ),
            code="phone",
        )
